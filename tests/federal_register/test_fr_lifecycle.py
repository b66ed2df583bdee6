"""Rule lifecycle: linking by RIN / file code / docket, corrections, lead times, comment windows."""

from __future__ import annotations

from dataclasses import replace
from datetime import date

from fr_fakeapi import fixture

from payforce.models import PolicyDocument
from payforce.rulemaking.calendar import build_calendar, calendar
from payforce.rulemaking.lifecycle import (
    link_keys,
    link_rulemakings,
    open_for_comment,
    rulemakings,
    stage,
)
from payforce.sources.federal_register import iter_file_records
from payforce.store.fr_sync import ingest_records


def _doc(number: str, kind: str, day: str, **kw) -> PolicyDocument:
    return PolicyDocument(
        document_number=number,
        type=kind,
        title=f"doc {number}",
        publication_date=date.fromisoformat(day),
        **kw,
    )


def test_real_ipps_rulemaking_links_proposed_final_and_corrections(any_empty_store):
    empty_store = any_empty_store
    ingest_records(
        empty_store, iter_file_records(fixture("rin_0938-AV34_results_reserialized.json"))
    )
    [rm] = rulemakings(empty_store, date(2025, 1, 1))
    assert rm.key == "CMS-1808"
    assert [(d.document_number, s) for d, s in zip(rm.documents, rm.stages, strict=True)] == [
        ("2024-07567", "proposed"),
        ("2024-12164", "correction"),
        ("2024-17021", "final"),
        ("2024-22501", "correction"),
        ("2024-22765", "final"),
    ]
    assert rm.corrects == (("2024-12164", "2024-07567"), ("2024-22501", "2024-17021"))
    assert rm.proposed_to_final_days == 118
    assert rm.final_to_effective_days is None


def test_as_of_hides_later_documents(empty_store):
    ingest_records(
        empty_store, iter_file_records(fixture("rin_0938-AV34_results_reserialized.json"))
    )
    [rm] = rulemakings(empty_store, date(2024, 6, 30))
    assert [d.document_number for d in rm.documents] == ["2024-07567", "2024-12164"]
    assert rm.final is None and rm.proposed_to_final_days is None


def test_snapshot_pfs_2015_links_by_file_code_with_lead_times(store):
    found = [r for r in rulemakings(store, date(2016, 1, 1)) if r.key == "CMS-1612"]
    assert len(found) == 1
    rm = found[0]
    assert rm.proposed is not None and rm.proposed.document_number == "2014-15948"
    assert rm.final is not None and rm.final.document_number == "2014-26183"
    assert rm.proposed_to_final_days == 125
    assert rm.final_to_effective_days == 49
    assert rm.proposed_to_effective_days == 174


def test_link_by_docket_and_transitive_file_codes():
    docs = [
        _doc("a", "Proposed Rule", "2020-01-01", docket="CMS-2020-0001"),
        _doc("b", "Rule", "2020-06-01", docket="CMS-2020-0001", file_code="CMS-1111-F"),
        _doc("c", "Rule", "2020-07-01", file_code="CMS-1111-F2; CMS-2222-F"),
        _doc("d", "Proposed Rule", "2020-02-01", file_code="CMS-2222-P"),
        _doc("e", "Notice", "2020-03-01", rin="0938-ZZ99"),
    ]
    groups = link_rulemakings(docs)
    assert sorted(sorted(d.document_number for d in g.documents) for g in groups) == [
        ["a", "b", "c", "d"],
        ["e"],
    ]
    assert link_keys(docs[2]) == {"file:CMS-1111", "file:CMS-2222"}


def test_stage_rules():
    assert stage(_doc("x", "Rule", "2020-01-01", file_code="CMS-1808-CN2")) == "correction"
    assert stage(_doc("x", "Rule", "2020-01-01"), action="Final rule; correction") == "correction"
    assert stage(_doc("x", "Rule", "2020-01-01"), correction_of="2019-1") == "correction"
    assert stage(_doc("x", "Rule", "2020-01-01", file_code="CMS-1808-FC")) == "final"
    assert stage(_doc("x", "Proposed Rule", "2020-01-01")) == "proposed"
    assert stage(_doc("x", "Notice", "2020-01-01")) == "other"


def test_open_for_comment_and_calendar_from_real_record(empty_store):
    ingest_records(empty_store, iter_file_records(fixture("document_2023-14624_reserialized.json")))
    assert open_for_comment(empty_store, date(2023, 8, 1)) == []  # not yet published
    [window] = open_for_comment(empty_store, date(2023, 8, 10))
    assert (window.document.document_number, window.opens, window.closes, window.days) == (
        "2023-14624",
        date(2023, 8, 7),
        date(2023, 9, 11),
        35,
    )
    assert window.days_left(date(2023, 8, 10)) == 32
    assert open_for_comment(empty_store, date(2023, 9, 11)) != []
    assert open_for_comment(empty_store, date(2023, 9, 12)) == []
    events = calendar(empty_store, date(2023, 8, 10), days=60)
    assert [(e.day, e.kind, e.document.document_number) for e in events] == [
        (date(2023, 9, 11), "comments close", "2023-14624")
    ]
    assert calendar(empty_store, date(2023, 8, 10), days=10) == []


def test_calendar_orders_events_and_respects_as_of():
    p = _doc("p", "Proposed Rule", "2025-07-01", comments_close_date=date(2025, 9, 2))
    f = _doc("f", "Rule", "2025-06-01", effective_date=date(2025, 9, 1))
    late = replace(f, document_number="late", publication_date=date(2025, 8, 20))
    events = build_calendar([p, f, late], date(2025, 8, 1), 45)
    assert [(e.day.isoformat(), e.kind, e.document.document_number) for e in events] == [
        ("2025-09-01", "effective", "f"),
        ("2025-09-02", "comments close", "p"),
    ]


def test_docs_links_exactly_as_rulemaking_does(empty_store):
    from payforce.views.gather import gather_documents

    ingest_records(
        empty_store, iter_file_records(fixture("rin_0938-AV34_results_reserialized.json"))
    )
    rows = {
        d["document_number"]: d
        for d in gather_documents(empty_store, date(2025, 1, 1))["documents"]
        if d["document_number"].startswith("2024-")
    }
    # the proposed rule's correction is not "the proposed rule" of the final rule
    assert rows["2024-17021"]["proposed"] == "2024-07567"
    assert rows["2024-07567"]["final"] == "2024-17021"
    assert rows["2024-07567"]["lead_time_days"] == 118
    assert rows["2024-12164"]["stage"] == "correction"
    assert rows["2024-12164"]["corrects"] == "2024-07567"
    assert rows["2024-12164"]["final"] is None
    assert rows["2024-22501"]["corrects"] == "2024-17021"
    [rm] = [r for r in rulemakings(empty_store, date(2025, 1, 1)) if r.key == "CMS-1808"]
    for d, s in zip(rm.documents, rm.stages, strict=True):
        assert rows[d.document_number]["stage"] == s


def test_title_and_docket_keys_of_annual_rules():
    p = _doc(
        "2013-16547",
        "Proposed Rule",
        "2013-07-19",
        docket="CMS-2013-0155",
    )
    p = replace(
        p,
        title="Medicare Program; Revisions to Payment Policies under the Physician "
        "Fee Schedule ... for CY 2014",
    )
    f = replace(
        _doc("2013-28696", "Rule", "2013-12-10", docket="CMS_FRDOC_0001"),
        title="Medicare Program; Revisions to Payment Policies Under the Physician Fee Schedule"
        ", Clinical Laboratory Fee Schedule & Other Revisions to Part B for CY 2014",
    )
    other = replace(
        _doc("2014-26183", "Rule", "2014-11-13", docket="CMS_FRDOC_0001"),
        title="Medicare Program; Revisions to Payment Policies Under the Physician Fee Schedule"
        " for CY 2015",
    )
    assert "title:pfs CY2014" in link_keys(p)
    assert not any(k.startswith("docket:") for k in link_keys(f))  # catch-all bucket ignored
    groups = link_rulemakings([p, f, other])
    by_key = {r.key: [d.document_number for d in r.documents] for r in groups}
    assert by_key["CMS-2013-0155"] == ["2013-16547", "2013-28696"]
    assert by_key["pfs CY2015"] == ["2014-26183"]
    assert stage(_doc("C1-2018-14985", "Proposed Rule", "2018-08-09")) == "correction"
