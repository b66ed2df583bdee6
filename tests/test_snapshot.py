"""The bundled snapshot loads completely, idempotently, and keeps sources and confidence."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import func, select

from payforce.errors import ParseError
from payforce.store import queries, schema
from payforce.store.snapshot import document_rows, load_snapshot, metric_rows, value_rows


def _counts(store):
    with store.connect() as conn:
        return {
            t.name: conn.execute(select(func.count()).select_from(t)).scalar()
            for t in (
                schema.documents,
                schema.billing_codes,
                schema.code_values,
                schema.program_metrics,
                schema.roles,
                schema.provisions,
            )
        }


def test_snapshot_has_every_reference_record(any_store):
    counts = _counts(any_store)
    # 24 reference documents + 13 added (scripts/snapshot_fixes.py: 10 FR, 3 CMS/AMA issuances)
    # + the regulations.gov rule history's documents that no curated record covers
    assert counts["documents"] == 37 + 1341 - 21  # 21 of the history's rules are curated
    # 55 reference rows; 0623T-0626T expands to four codes; 75580 and 0993T added
    assert counts["billing_codes"] == 60
    # + the superseded 2021 and 2022 CFs; + 7 metrics for each of 10 MSSP PUF years
    assert counts["program_metrics"] == 66 + 70
    assert counts["roles"] == 32 + 74  # curated + one per other healthcare occupation
    assert counts["provisions"] > 40


def test_loading_twice_changes_nothing(any_store):
    before = _counts(any_store)
    with any_store.connect() as conn:
        docs_before = conn.execute(select(schema.documents).order_by("document_number")).all()
    load_snapshot(any_store)
    assert _counts(any_store) == before
    with any_store.connect() as conn:
        assert (
            conn.execute(select(schema.documents).order_by("document_number")).all() == docs_before
        )


def test_records_keep_source_and_confidence(store):
    ccm = {c.code: c for c in queries.list_codes(store)}["99490"]
    assert ccm.family == "ccm" and ccm.first_paid_year == 2015
    assert "cptcodecalculator.com" in ccm.source_url and ccm.confidence == "medium"
    doc = queries.get_document(store, "2014-26183")
    assert doc is not None and doc.file_code == "CMS-1612-FC" and doc.confidence == "high"
    assert doc.effective_date == date(2015, 1, 1)


def test_code_system_is_derived_from_the_code_form(store):
    codes = {c.code: c for c in queries.list_codes(store)}
    # The reference file labels 0623T "CPT Category I"; the code's form says Category III.
    assert codes["0623T"].system == "CPT Category III"
    assert codes["G0557"].system == "HCPCS Level II"
    assert codes["75577"].ai_category == "augmentative"


def test_real_rvu_values_win_over_rounded_vendor_figures(store):
    v = {(x.year, x.setting): x for x in queries.list_code_values(store, "99445")}
    assert v[(2026, "nonfacility")].payment == pytest.approx(52.11)
    assert v[(2026, "nonfacility")].approximate is False
    assert "PPRRVU2026_Jul_nonQPP.csv" in v[(2026, "nonfacility")].source
    g0556 = {(x.year, x.setting): x for x in queries.list_code_values(store, "G0556")}
    assert g0556[(2025, "nonfacility")].approximate is True  # "~15 (approx.)" stays approximate


def test_approximate_metrics_stay_marked(store):
    m = [
        x
        for x in queries.list_metrics(store)
        if x.metric == "pa_requests_auto_approvable_payer_view"
    ]
    assert m[0].value is None and m[0].value_text == "40-60" and m[0].approximate is True


def test_mssp_series_comes_from_the_results_pufs(store):
    counts = {
        x.year: (x.value, x.available_from.isoformat())
        for x in queries.list_metrics(store)
        if x.metric == "mssp_aco_count"
    }
    # one value per performance year, each dated by the release of that year's results
    assert counts[2023] == (453, "2024-10-29")
    assert counts[2024] == (476, "2025-08-29")
    assert sorted(counts) == [2014, 2015, 2016, 2017, 2018, 2020, 2021, 2022, 2023, 2024]


def test_bad_date_in_documents_names_file_line_and_field():
    text = "key,document_number,citation,type,title,agency,file_code,rin,publication_date,effective_date,comments_close_date,cfr_parts,summary,source_url,confidence\n"
    text += "k,2014-1,,Rule,T,,,,2014-13-45,,,,,u,high\n"
    with pytest.raises(ParseError) as exc:
        document_rows(text)
    assert exc.value.message == (
        "policy_documents.csv line 2, field publication_date: not an ISO date ('2014-13-45'). "
        "Use YYYY-MM-DD"
    )


def test_bad_number_and_flag_are_reported():
    head = "code,year,setting,work_rvu,pe_rvu,mp_rvu,total_rvu,conversion_factor,payment,approximate,source\n"
    with pytest.raises(
        ParseError, match=r"code_values.csv line 2, field payment: not a number \('N/A'\)"
    ):
        value_rows(head + "99490,2026,nonfacility,,,,,,N/A,false,x\n")
    mhead = "metric,year,value,value_text,unit,available_from,approximate,source_url,confidence\n"
    with pytest.raises(
        ParseError,
        match=r"line 2, field confidence: confidence must be high, medium or low \('sure'\)",
    ):
        metric_rows(mhead + "m,2020,1,1,u,2020-01-01,false,x,sure\n")


def test_failed_load_writes_nothing(empty_store, monkeypatch):
    from payforce.store import snapshot

    def broken(*_a, **_k):
        raise ParseError("not a number", path="roles.csv", line=3, field="employment", value="x")

    monkeypatch.setattr(snapshot, "role_rows", broken)
    with pytest.raises(ParseError):
        load_snapshot(empty_store)
    assert _counts(empty_store)["documents"] == 0


def test_curated_documents_win_over_the_rule_history(store):
    history = {
        d.document_number: d for d in queries.list_documents(store) if d.origin == "regulations_gov"
    }
    curated = queries.get_document(store, "2018-24170")
    assert curated is not None and curated.origin == "snapshot"
    assert curated.docket == "CMS-2018-0076"  # an empty field filled from the history
    assert "2018-24170" not in history
    assert history["2012-16814"].confidence == "medium"  # CY2013 PFS proposed: history only


def test_bad_history_row_names_file_line_and_field():
    from payforce.store.history_snapshot import RULE_COLUMNS, history_documents

    header = ",".join(RULE_COLUMNS)
    row = "2013-16547,Proposed Rule,2013-13-19,CMS,CMS-2013-0155,,,CMS-2013-0155-0001,1,medium,T"
    with pytest.raises(ParseError) as exc:
        history_documents(f"{header}\n{row}\n")
    assert exc.value.message.startswith(
        "rule_history.csv line 2, field publication_date: bad value ('2013-13-19')"
    )
