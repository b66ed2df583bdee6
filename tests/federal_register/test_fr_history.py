"""regulations.gov rule history: parse, merge with the API and the snapshot, scope, linking."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import pytest
from fr_fakeapi import fixture
from sqlalchemy import func, select
from typer.testing import CliRunner

from payforce.cli import app
from payforce.errors import ParseError
from payforce.sources.federal_register import iter_file_records
from payforce.sources.fr_history import (
    collection_docket,
    iter_history_file,
    normalize_fr_number,
    parse_history,
    posted_day,
    sniff_history_file,
)
from payforce.store import schema
from payforce.store.fr_sync import ingest_records
from payforce.store.queries import get_document, list_documents
from payforce.store.rule_history import ingest_history
from payforce.store.scope_tables import out_of_scope_documents

EXCERPT = fixture("regulations_gov_cms_hhs_excerpt.jsonl")
runner = CliRunner()


def _load(store, path: Path = EXCERPT, **kw):
    records = list(iter_history_file(path))
    docs, skipped = parse_history(records)
    return ingest_history(store, docs, skipped, records=len(records), **kw)


def test_numbers_dates_and_dockets_normalised():
    assert normalize_fr_number("2013\u201316547 ") == "2013-16547"
    assert normalize_fr_number("c1-2018-14985") == "C1-2018-14985"
    assert normalize_fr_number("E9-31217") == "E9-31217"
    assert normalize_fr_number("2010-2167") == "2010-2167"
    for bad in ("75", "73 FR 9714-9727", "FR79 29732", "C1-2020-26", "1-266", None, 3):
        assert normalize_fr_number(bad) is None
    assert posted_day("2013-07-19T04:00:00Z") == date(2013, 7, 19)  # midnight EDT
    assert posted_day("2013-12-10T05:00:00Z") == date(2013, 12, 10)  # midnight EST
    assert posted_day("2013-01-15T00:00:00Z") == date(2013, 1, 15)  # a bare date
    assert posted_day("2010-01-14T04:59:59Z") == date(2010, 1, 13)  # comments end 23:59 EST
    assert collection_docket("CMS_FRDOC_0001", date(2021, 11, 19))
    assert collection_docket("HHS-OS-2022-0008", date(2011, 3, 14))
    assert not collection_docket("CMS-2013-0155", date(2013, 7, 19))


def test_parse_real_excerpt_keys_on_fr_number_with_reasons():
    assert sniff_history_file(EXCERPT)
    assert not sniff_history_file(fixture("search_newest_page1.json"))
    records = list(iter_history_file(EXCERPT))
    assert len(records) == 16
    docs, skipped = parse_history(records)
    by = {h.document.document_number: h for h in docs}
    assert len(docs) == 12  # 16 records: 3 skipped, two postings of one document merged
    reasons = sorted(s.reason.split(" (")[0] for s in skipped)
    assert reasons == [
        "frDocNum is not an FR document number",
        "no FR document number",
        "no FR document number",
    ]
    assert all("line" in s.source for s in skipped)
    twice = by["2011-05583"]
    assert twice.postings == 2 and twice.document.docket == "CMS-2011-0023"
    assert twice.dropped_dockets == ("HHS-OS-2022-0008",)
    final = by["2021-23972"].document
    assert final.docket == "" and final.publication_date == date(2021, 11, 19)
    p = by["2013-16547"].document
    assert (p.type, p.publication_date, p.docket, p.confidence, p.origin) == (
        "Proposed Rule",
        date(2013, 7, 19),
        "CMS-2013-0155",
        "medium",
        "regulations_gov",
    )
    assert p.html_url == "https://www.federalregister.gov/d/2013-16547"
    assert p.source_url.startswith("https://www.regulations.gov/document/CMS-2013-0155-")
    assert by["2013-00723"].document.publication_date == date(2013, 1, 15)


def test_history_links_pfs_proposed_final_and_correction(empty_store):
    from payforce.rulemaking.lifecycle import rulemaking_index

    summary = _load(empty_store)
    assert (summary.records, summary.documents, summary.new) == (16, 12, 12)
    index = rulemaking_index(empty_store, date(2024, 1, 1))
    docs = {d.document_number: d for d in list_documents(empty_store)}
    assert index.final_for(docs["2013-16547"]).document_number == "2013-28696"
    assert index.final_for(docs["2018-14985"]).document_number == "2018-24170"
    assert index.stage_of(docs["C1-2018-14985"]) == "correction"
    assert index.corrected_by(docs["C1-2018-14985"]) == "2018-14985"
    # the CY2022 final sits in the catch-all docket: linked by the title's program and year
    assert index.final_for(docs["2021-14973"]).document_number == "2021-23972"
    pairs = {(p.document_number, f.document_number) for p, f in index.lead_time_pairs()}
    assert {("2013-16547", "2013-28696"), ("2018-14985", "2018-24170")} <= pairs


def test_history_never_overrides_the_snapshot_or_the_api(any_store):
    curated = get_document(any_store, "2018-24170")
    assert curated is not None and curated.origin == "snapshot"
    summary = _load(any_store)
    after = get_document(any_store, "2018-24170")
    assert after is not None
    assert (after.title, after.origin, after.file_code) == (
        curated.title,
        "snapshot",
        curated.file_code,
    )
    assert after.docket == "CMS-2018-0076"  # an empty field filled, nothing else
    assert summary.kept >= 3  # the bundled snapshot already filled the empty docket
    # the API's values win over history later, and nothing is duplicated
    before = _count(any_store)
    bundled = get_document(any_store, "2023-14624")
    assert bundled is not None and bundled.origin == "regulations_gov"
    ingest_records(any_store, iter_file_records(fixture("document_2023-14624_reserialized.json")))
    api = get_document(any_store, "2023-14624")
    assert api is not None and api.origin == "federal_register" and api.rin
    assert _count(any_store) == before
    again = _load(any_store)
    assert again.new == 0 and again.updated == 0
    assert get_document(any_store, "2023-14624").origin == "federal_register"


def test_api_overwrites_a_history_document(empty_store, tmp_path):
    line = {
        "record": {
            "id": "CMS-2023-0121-0001",
            "type": "documents",
            "attributes": {
                "documentType": "Proposed Rule",
                "frDocNum": "2023\u201314624",
                "withdrawn": False,
                "agencyId": "CMS",
                "title": "CY 2024 Payment Policies under the Physician Fee Schedule",
                "postedDate": "2023-08-07T04:00:00Z",
                "docketId": "CMS-2023-0121",
                "commentEndDate": "2023-09-12T03:59:59Z",
            },
        }
    }
    path = tmp_path / "one.jsonl"
    path.write_text(json.dumps(line) + "\n")
    _load(empty_store, path)
    history = get_document(empty_store, "2023-14624")
    assert history is not None and history.origin == "regulations_gov"
    assert history.comments_close_date == date(2023, 9, 11)
    ingest_records(empty_store, iter_file_records(fixture("document_2023-14624_reserialized.json")))
    api = get_document(empty_store, "2023-14624")
    assert api is not None and api.origin == "federal_register" and api.rin
    assert _count(empty_store) == 1


def _count(store) -> int:
    with store.connect() as conn:
        return int(conn.execute(select(func.count()).select_from(schema.documents)).scalar())


def test_out_of_scope_documents_are_counted_and_kept_out(any_empty_store):
    empty_store = any_empty_store
    summary = ingest_records(
        empty_store, iter_file_records(fixture("document_2024-29463.json"))
    )  # an EPA rule
    assert summary.outside_scope == 1
    assert list_documents(empty_store) == []
    assert [d.document_number for d in list_documents(empty_store, include_out_of_scope=True)] == [
        "2024-29463"
    ]
    with empty_store.connect() as conn:
        reason = conn.execute(select(out_of_scope_documents.c.reason)).scalar()
    assert reason.startswith("agency outside the default scope")
    kept = ingest_records(
        empty_store, iter_file_records(fixture("document_2024-29463.json")), scope_all=True
    )
    assert kept.outside_scope == 0
    assert [d.document_number for d in list_documents(empty_store)] == ["2024-29463"]


def test_bad_line_is_one_error_naming_file_and_line(empty_store, tmp_path):
    lines = EXCERPT.read_bytes().split(b"\n")
    bad = tmp_path / "rg.jsonl"
    bad.write_bytes(b"\n".join([*lines[:3], b'{"record": {"id": "x"', *lines[3:]]))
    with pytest.raises(ParseError) as exc:
        list(iter_history_file(bad))
    assert exc.value.message.startswith(f"{bad} line 4: not JSON")
    assert _count(empty_store) == 0


def test_cli_detects_regulations_gov_and_reports(cli_env):
    r = runner.invoke(
        app, ["sync", "federal-register", "--from-file", str(EXCERPT)], env={"COLUMNS": "200"}
    )
    assert r.exit_code == 0, r.output
    assert "regulations.gov records 16 -> 12 FR documents" in r.stdout
    assert "skipped 2: no FR document number" in r.stdout
    assert "publication date = regulations.gov posting date" in r.stdout
    r = runner.invoke(app, ["sync", "federal-register", "--from-file", str(EXCERPT), "--json"])
    data = json.loads(r.stdout)
    assert data["ok"] and data["new"] == 0 and data["documents"] == 12
    r = runner.invoke(app, ["docs", "--json", "--as-of", "2019-01-01", "--since", "2018-07-01"])
    rows = {d["document_number"]: d for d in json.loads(r.stdout)["documents"]}
    assert rows["2018-14985"]["final"] == "2018-24170"
    assert rows["C1-2018-14985"]["stage"] == "correction"
    assert rows["C1-2018-14985"]["final"] is None
    r = runner.invoke(app, ["rulemaking", "C1-2018-14985", "--json"])
    rm = json.loads(r.stdout)["rulemaking"]
    stages = {d["document_number"]: d["stage"] for d in rm["documents"]}
    assert stages["C1-2018-14985"] == "correction" and stages["2018-14985"] == "proposed"
