"""The bulk parse path: one parser, two shapes (plain rows for bulk writes, FRRecord objects)."""

from __future__ import annotations

import dataclasses
import sqlite3

import pytest
from fr_fakeapi import fixture

from payforce.models import PolicyDocument
from payforce.sources import fr_records as fr
from payforce.sources.federal_register import (
    DATE_FIELDS,
    DOCUMENT_FIELDS,
    FRRecord,
    SkippedRecord,
    iter_file_records,
    parse_record,
    parse_record_row,
    record_from_row,
)
from payforce.store.db import Store
from payforce.store.fr_sync import ingest_records

FIXTURES = [
    "document_2023-14624_reserialized.json",
    "document_2024-29463.json",
    "rin_0938-AV34_results_reserialized.json",
    "search_newest_page1.json",
]


def test_document_fields_are_policy_document_fields_in_order():
    assert DOCUMENT_FIELDS == tuple(f.name for f in dataclasses.fields(PolicyDocument))
    assert [DOCUMENT_FIELDS[i] for i in DATE_FIELDS] == [
        "publication_date",
        "effective_date",
        "comments_close_date",
    ]


@pytest.mark.parametrize("name", FIXTURES)
def test_parse_record_row_matches_parse_record_on_real_records(name):
    records = list(iter_file_records(fixture(name)))
    assert records
    for record, source in records:
        row = parse_record_row(record, source)
        parsed = parse_record(record, source)
        assert isinstance(parsed, FRRecord)
        assert not isinstance(row, SkippedRecord)
        values, digest, details = row
        assert record_from_row(row) == parsed
        assert digest == parsed.content_hash
        doc = parsed.document
        expected = [getattr(doc, f) for f in DOCUMENT_FIELDS]
        for i in DATE_FIELDS:
            expected[i] = expected[i].isoformat() if expected[i] else None
        assert list(values) == expected
        assert details[:4] == (
            parsed.action,
            parsed.correction_of,
            ";".join(parsed.corrections),
            ";".join(parsed.agency_slugs),
        )


def test_parse_record_row_normalises_quirky_values():
    row = parse_record_row(
        {
            "document_number": " E4 ",
            "type": "Rule",
            "title": "A <I>b</I>  <SU>1</SU>\n\tc\u00a0d ",
            "publication_date": "2020-01-02T00:00:00",
            "abstract": "  lead\u2003trail  ",
            "action": "Final rule;\ncorrection",
            "correction_of": {"document_number": "E9"},
            "corrections": [{"document_number": "C1"}, "C2", None],
            "agencies": [{"slug": "x-y", "name": "Xy"}, "not an agency"],
            "cfr_references": [{"title": "42", "part": 414}, {"title": "x", "part": "1"}],
            "docket_ids": ["CMS-1234-F", "HHS-OS-1", None],
            "effective_on": "2020-13-01",
            "citation": 85,
        },
        "f.jsonl line 5",
    )
    assert not isinstance(row, SkippedRecord)
    values, _, details = row
    doc = dict(zip(DOCUMENT_FIELDS, values, strict=True))
    assert doc["document_number"] == "E4"
    assert doc["title"] == "A b 1 c d"
    assert doc["summary"] == "lead trail"
    assert doc["publication_date"] == "2020-01-02"
    assert doc["effective_date"] is None
    assert (doc["file_code"], doc["docket"], doc["citation"]) == ("CMS-1234-F", "HHS-OS-1", "85")
    assert (doc["cfr_parts"], doc["agency"], doc["source_url"]) == (
        "42 CFR 414",
        "Xy",
        "f.jsonl line 5",
    )
    assert details[:4] == ("Final rule; correction", "E9", "C1;C2", "x-y")


@pytest.mark.parametrize(
    "text",
    [
        "plain title",
        "",
        " lead",
        "trail ",
        "two  spaces",
        "tab\there",
        "line\nbreak",
        "cr\rhere",
        "unit\x1fsep",
        "no\u00a0break",
        "em\u2003space",
        "caf\u00e9 ok",
        "caf\u00e9  runs",
        "line\u2028sep",
    ],
)
def test_clean_fast_check_agrees_with_split_and_join(text):
    assert fr._clean(text) == " ".join(text.split())


def test_bulk_ingest_commits_each_month_and_restores_checkpoints(tmp_path):
    path = tmp_path / "docs.jsonl"
    record = fixture("document_2024-29463.json").read_text()
    path.write_text(
        "\n".join(
            record.replace("2024-29463", f"2024-{n:05d}").replace(
                '"publication_date":"2024-12-27"', f'"publication_date":"2024-{m:02d}-02"'
            )
            for n, m in ((1, 1), (2, 2), (3, 2))
        )
        + "\n"
    )
    store = Store.open(f"sqlite:///{tmp_path / 'p.db'}")
    summary = ingest_records(store, iter_file_records(path))
    with store.connect() as conn:
        autocheckpoint = conn.exec_driver_sql("PRAGMA wal_autocheckpoint").scalar()
    store.dispose()
    assert (summary.new, summary.slices) == (3, 2)
    assert autocheckpoint == 1000
    with sqlite3.connect(tmp_path / "p.db") as conn:
        rows = conn.execute(
            "select d.document_number, d.publication_date, f.publication_date from documents d "
            "join fr_documents f using (document_number) order by 1"
        ).fetchall()
    assert rows == [
        ("2024-00001", "2024-01-02", "2024-01-02"),
        ("2024-00002", "2024-02-02", "2024-02-02"),
        ("2024-00003", "2024-02-02", "2024-02-02"),
    ]
