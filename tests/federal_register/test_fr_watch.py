"""Watchlists, digests (nothing missed, nothing repeated) and the Atom feed."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from datetime import UTC, date, datetime

import pytest
from fr_fakeapi import fixture, synth_records

from payforce.errors import InputError
from payforce.models import PolicyDocument, Provision
from payforce.rulemaking.watch import (
    DIGEST_FORMATS,
    build_digest,
    compute_digest,
    feed_entries,
    matches,
    normalize_watch,
    render_atom,
    render_digest,
)
from payforce.sources.federal_register import iter_file_records
from payforce.store import fr_tables
from payforce.store.fr_sync import ingest_records

ATOM = "{http://www.w3.org/2005/Atom}"


def _doc(number: str, **kw) -> PolicyDocument:
    base = {"type": "Rule", "title": "t", "publication_date": date(2024, 1, 2)}
    return PolicyDocument(document_number=number, **(base | kw))


@pytest.mark.parametrize(
    ("kind", "value", "expected"),
    [
        ("code", "99490", "99490"),
        ("code", "0623t", "0623T"),
        ("code", "g0556", "G0556"),
        ("cfr", "42 : 414", "42:414"),
        ("rin", "0938-av34", "0938-AV34"),
        ("term", " AI ", "AI"),
    ],
)
def test_normalize_watch(kind, value, expected):
    assert normalize_watch(kind, value) == expected


@pytest.mark.parametrize(
    ("kind", "value", "message"),
    [
        (
            "code",
            "2024",
            "--code: not a CPT or HCPCS code ('2024'). Use 5 digits (99490), 4 "
            "digits + T (0623T) or a letter + 4 digits (G0556)",
        ),
        ("cfr", "42 CFR 414", "--cfr: not TITLE:PART ('42 CFR 414'). Use e.g. 42:414"),
        ("rin", "AV34", "--rin: not a RIN ('AV34'). Use e.g. 0938-AV34"),
        ("term", "  ", "--term: empty value. Give something to watch"),
    ],
)
def test_normalize_watch_errors(kind, value, message):
    with pytest.raises(InputError) as info:
        normalize_watch(kind, value)
    assert info.value.message == message


def test_matches_each_kind():
    w = fr_tables.Watch
    doc = _doc(
        "d1",
        title="Remote monitoring; CPT 99457",
        summary="Artificial intelligence use",
        cfr_parts="42 CFR 405; 410; 414; 45 CFR 170",
        rin="0938-AV34; 0938-AV99",
    )
    prov = [Provision(document_number="d1", kind="code_payable", subject="99490")]
    assert matches(w(1, "code", "99490", ""), doc, prov) == "a provision is about 99490"
    assert matches(w(1, "code", "99457", ""), doc) == "mentions 99457"
    assert matches(w(1, "code", "9945", ""), doc) is None
    assert matches(w(1, "cfr", "42:414", ""), doc) == "amends 42 CFR 414"
    assert matches(w(1, "cfr", "45:170", ""), doc) == "amends 45 CFR 170"
    assert matches(w(1, "cfr", "42:170", ""), doc) is None
    assert matches(w(1, "rin", "0938-AV99", ""), doc) == "RIN 0938-AV99"
    assert matches(w(1, "term", "artificial INTELLIGENCE", ""), doc) == (
        "mentions 'artificial INTELLIGENCE'"
    )
    assert matches(w(1, "role", "care_manager_rn", ""), doc, roles={"care_manager_rn"}) == (
        "signals for care_manager_rn cite it"
    )


def test_digest_never_repeats_and_never_misses_late_synced_documents(any_empty_store):
    empty_store = any_empty_store
    records = synth_records(3, date(2024, 5, 1))
    ingest_records(empty_store, ((r, "t") for r in records))
    watch, created = fr_tables.add_watch(empty_store, "cfr", "42:414")
    assert created and fr_tables.add_watch(empty_store, "cfr", "42:414") == (watch, False)
    first = compute_digest(empty_store, date(2024, 6, 1))
    assert [i.document.document_number for i in first.items] == [
        "2024-90000",
        "2024-90001",
        "2024-90002",
    ]
    fr_tables.record_digest(
        empty_store,
        date(2024, 6, 1),
        [(i.watch.id, i.document.document_number) for i in first.items],
    )
    assert compute_digest(empty_store, date(2024, 6, 1)).items == ()
    # a document published in April but synced only now still arrives in the next digest
    late = {**synth_records(1, date(2024, 4, 15))[0], "document_number": "2024-70000"}
    ingest_records(empty_store, [(late, "t")])
    second = compute_digest(empty_store, date(2024, 6, 2))
    assert [i.document.document_number for i in second.items] == ["2024-70000"]


def test_digest_since_and_as_of_filters():
    w = fr_tables.Watch(1, "term", "rule", "")
    docs = [
        _doc("a", title="rule a", publication_date=date(2024, 1, 1)),
        _doc("b", title="rule b", publication_date=date(2024, 3, 1)),
        _doc("c", title="rule c", publication_date=date(2024, 5, 1)),
    ]
    digest = build_digest([w], docs, [], {}, set(), date(2024, 4, 1), since=date(2024, 2, 1))
    assert [i.document.document_number for i in digest.items] == ["b"]


def test_role_watch_uses_signal_evidence(store):
    watch, _ = fr_tables.add_watch(store, "role", "care_manager_rn")
    digest = compute_digest(store, date(2016, 1, 1))
    # the care manager's evidence on 2016-01-01: TCM (CY2013 rule) and CCM (made payable by the
    # CY2014 rule; the CY2015 rule only gave it the number 99490)
    assert [(i.watch.id, i.document.document_number) for i in digest.items] == [
        (watch.id, "2012-26900"),
        (watch.id, "2013-28696"),
    ]


def test_render_digest_markdown_html_json():
    w = fr_tables.Watch(3, "code", "99490", "")
    doc = _doc("2014-26183", title="CCM <final> rule", publication_date=date(2014, 11, 13))
    digest = build_digest(
        [w, fr_tables.Watch(4, "rin", "0938-AA00", "")],
        [doc],
        [Provision("2014-26183", "code_payable", "99490")],
        {},
        set(),
        date(2015, 1, 1),
    )
    assert render_digest(digest, "md") == (
        "# payforce digest, as of 2015-01-01\n\n"
        "## code 99490 (#3): 1 new\n\n"
        "- 2014-11-13 [2014-26183](https://www.federalregister.gov/d/2014-26183) Rule: "
        "CCM \\<final\\> rule (a provision is about 99490)\n\n"
        "## rin 0938-AA00 (#4): 0 new\n"
    )
    html = render_digest(digest, "html")
    assert "<h2>code 99490 (#3): 1 new</h2>" in html
    assert "CCM &lt;final&gt; rule" in html
    assert '"item_count": 1' in render_digest(digest, "json")


def test_atom_feed_is_valid_and_stable(empty_store):
    ingest_records(
        empty_store, iter_file_records(fixture("rin_0938-AV34_results_reserialized.json"))
    )
    fr_tables.add_watch(empty_store, "rin", "0938-AV34")
    fr_tables.add_watch(empty_store, "term", "correction")
    digest = compute_digest(empty_store, date(2025, 1, 1))
    items = feed_entries(digest, limit=3)
    text = render_atom(items, generated_at=datetime(2025, 1, 1, tzinfo=UTC))
    assert text == render_atom(items, generated_at=datetime(2025, 1, 1, tzinfo=UTC))
    root = ET.fromstring(text)
    assert root.tag == f"{ATOM}feed"
    assert root.findtext(f"{ATOM}updated") == "2025-01-01T00:00:00Z"
    assert root.findtext(f"{ATOM}id") and root.findtext(f"{ATOM}title")
    entries = root.findall(f"{ATOM}entry")
    assert [e.findtext(f"{ATOM}id") for e in entries] == [
        "urn:federal-register:document:2024-22765",
        "urn:federal-register:document:2024-22501",
        "urn:federal-register:document:2024-17021",
    ]
    for e in entries:
        assert e.findtext(f"{ATOM}title") and e.findtext(f"{ATOM}updated")
        assert e.find(f"{ATOM}link").get("href").startswith("https://www.federalregister.gov/d/")
    assert "rin 0938-AV34 (RIN 0938-AV34); term correction" in entries[1].findtext(f"{ATOM}summary")


@pytest.mark.parametrize("fmt", DIGEST_FORMATS)
def test_every_digest_format_renders(fmt):
    w = fr_tables.Watch(1, "term", "rule", "")
    digest = build_digest([w], [_doc("a", title="A rule")], [], {}, set(), date(2024, 2, 1))
    text = render_digest(digest, fmt)
    assert "A rule" in text and text.endswith("\n")
