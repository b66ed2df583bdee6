"""A newly synced document with extracted provisions changes the outlook with no hand edit."""

from __future__ import annotations

from dataclasses import asdict
from datetime import date

from payforce.extract import extract_provisions
from payforce.signals.outlook import compute_outlooks
from payforce.store import schema
from payforce.store.db import upsert_rows

TEXT = (
    "SUMMARY: This final rule requires Medicaid managed care plans to modernize prior "
    "authorization. Impacted payers must send prior authorization decisions within 72 hours for "
    "expedited requests and within 7 calendar days for standard requests. The rule also pays "
    "CPT code 99490 under the physician fee schedule."
)


def _add(store, number: str, doc_type: str, published: date) -> None:
    provisions = extract_provisions(TEXT, document_number=number, fmt="text")
    assert {p.kind for p in provisions} >= {"deadline", "code_payable"}
    with store.begin() as conn:
        upsert_rows(
            conn,
            schema.documents,
            [
                {
                    "document_number": number,
                    "key": "",
                    "type": doc_type,
                    "title": "Medicaid Program; made-up prior authorization timeframes",
                    "agency": "CMS (HHS)",
                    "citation": "",
                    "file_code": "",
                    "rin": "",
                    "docket": "",
                    "publication_date": published,
                    "effective_date": date(2027, 1, 1),
                    "comments_close_date": None,
                    "cfr_parts": "42 CFR 438",
                    "summary": "",
                    "html_url": "",
                    "source_url": "test",
                    "confidence": "high",
                    "origin": "federal_register",
                }
            ],
        )
        rows = []
        for p in provisions:
            row = asdict(p)
            row["roles"] = ";".join(p.roles)
            rows.append(row)
        upsert_rows(conn, schema.provisions, rows)


def _pa(store):
    return {o.role: o for o in compute_outlooks(store, date(2026, 6, 30))}


def test_extracted_timeframes_in_a_final_rule_raise_pa_pressure(store):
    before = _pa(store)
    _add(store, "2026-88888", "Rule", date(2026, 5, 1))
    after = _pa(store)
    assert (
        after["prior_authorization_specialist"].pressure
        > before["prior_authorization_specialist"].pressure
    )
    assert after["clinical_informaticist"].growth > before["clinical_informaticist"].growth
    sig = [
        s
        for s in after["prior_authorization_specialist"].signals
        if s.subject == "extracted:prior_authorization_timeframe" and s.direction == "pressure"
    ]
    assert len(sig) == 1 and sig[0].question == 2 and sig[0].direction == "pressure"
    assert "72 hours" in sig[0].summary and "7 calendar days" in sig[0].summary
    assert "prior authorization decisions within 72 hours" in sig[0].evidence[1].label
    assert sig[0].lead_time_days == (date(2027, 1, 1) - date(2026, 6, 30)).days
    # 99490 is not new: the 2014 rule stays its only new-code evidence
    rn = [s for s in after["care_manager_rn"].signals if s.subject == "ccm" and s.question == 1]
    assert [s.evidence[0].ref for s in rn] == [
        s.evidence[0].ref
        for s in before["care_manager_rn"].signals
        if s.subject == "ccm" and s.question == 1
    ]


def test_extracted_timeframes_in_a_proposed_rule_lead(store):
    _add(store, "2026-77777", "Proposed Rule", date(2026, 5, 1))
    sig = [
        s
        for s in _pa(store)["prior_authorization_specialist"].signals
        if s.subject == "extracted:prior_authorization_timeframe" and s.direction == "pressure"
    ]
    assert len(sig) == 1 and sig[0].question == 5 and sig[0].leading
    assert sig[0].lead_time_days is not None and sig[0].lead_time_days > 0
