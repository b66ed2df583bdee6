"""Each detector, from evidence in a temporary store to its signals and their evidence."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import delete

from payforce.signals import DETECTORS, compute_signals
from payforce.signals.base import load_evidence
from payforce.signals.program import metric_trend
from payforce.signals.proposed_rules import (
    DEFAULT_LEAD_DAYS,
    expected_lead_days,
    program_of,
    rulemaking_pairs,
)
from payforce.store import schema
from payforce.store.db import upsert_rows


def _by(signals, **kw):
    return [s for s in signals if all(getattr(s, k) == v for k, v in kw.items())]


def test_registry_holds_the_five_questions():
    assert sorted((d.question, name) for name, d in DETECTORS.items()) == [
        (1, "new_code"),
        (2, "mandate"),
        (3, "program"),
        (4, "ai_codes"),
        (5, "proposed_rules"),
    ]


def test_new_code_funds_the_chain_of_ccm(store):
    ev = load_evidence(store, date(2015, 6, 1))
    signals = list(DETECTORS["new_code"].detect(ev))
    rn = _by(signals, role="care_manager_rn", subject="ccm")
    assert len(rn) == 1
    s = rn[0]
    assert s.direction == "growth" and s.question == 1
    # the CY2014 final rule made CCM payable from 2015, before it had a CPT number
    assert s.evidence[0].ref == "2013-28696" and s.evidence[1].ref == "CCM G-code"
    assert s.published == date(2013, 12, 10) and s.effective == date(2015, 1, 1)
    assert s.lead_time_days == 387
    # No RVU public in 2015: default split, PE 0.45 shared by the three staff who may perform
    # it (RN, LPN, MA) × 20 min / 20 min × value factor 0.75 (no payment known) × uptake: no
    # CCM uptake public by mid-2015, so the default 3 % of eligible patients / 10 % = 0.3.
    assert s.strength == pytest.approx(0.45 / 3 * 0.75 * 0.3)
    np_ = _by(signals, role="nurse_practitioner", subject="ccm")[0]
    # work RVU share 0.5 split among the four billers
    assert np_.strength == pytest.approx(0.5 / 4 * 0.75 * 0.3)


def test_new_code_skips_ai_codes(store):
    ev = load_evidence(store, date(2026, 6, 30))
    assert not [s for s in DETECTORS["new_code"].detect(ev) if s.subject == "ai_coronary_plaque"]


def test_mandate_gives_operators_growth_and_manual_work_pressure(store):
    ev = load_evidence(store, date(2025, 6, 30))
    signals = list(DETECTORS["mandate"].detect(ev))
    pa = _by(
        signals,
        role="prior_authorization_specialist",
        subject="cms0057_prior_auth.decision_timeframes",
    )
    assert {s.direction for s in pa} == {"pressure", "pivot"}
    pressure = _by(pa, direction="pressure")[0]
    assert pressure.lead_time_days == (date(2026, 1, 1) - date(2025, 6, 30)).days
    assert pressure.evidence[0].ref == "2024-00895"
    informatics = _by(
        signals, role="clinical_informaticist", subject="cms0057_prior_auth.fhir_apis"
    )[0]
    assert informatics.direction == "growth" and informatics.effective == date(2027, 1, 1)


def test_mandate_waits_for_the_final_rule(store):
    ev = load_evidence(store, date(2023, 6, 30))  # CMS-0057-P public, CMS-0057-F not yet
    assert not [s for s in DETECTORS["mandate"].detect(ev) if s.subject.startswith("cms0057")]
    leading = [s for s in DETECTORS["proposed_rules"].detect(ev) if s.subject.startswith("cms0057")]
    assert leading and all(s.question == 5 and s.leading for s in leading)


def test_program_growth_rate_from_the_series(store):
    ev = load_evidence(store, date(2026, 6, 30))
    values = [m for m in ev.metrics if m.metric == "mssp_assigned_beneficiaries"]
    trend = metric_trend(values)
    assert trend is not None
    # PY2024 results (released 2025-08-29) against PY2021: sums of N_AB in the bundled PUFs
    assert (trend.base.year, trend.latest.year) == (2021, 2024)
    assert trend.rate == pytest.approx((10.326 / 10.124) ** (1 / 3) - 1)
    signals = _by(
        list(DETECTORS["program"].detect(ev)),
        role="health_data_analyst",
        subject="mssp:mssp_assigned_beneficiaries",
    )
    # × reach: 10.326 M assigned beneficiaries (PY2024) of 34.9 M in Original Medicare
    assert signals[0].strength == pytest.approx(trend.rate / 0.10 * 10.326 / 34.9)
    assert [e.year for e in signals[0].evidence] == [2021, 2024]


def test_ai_codes_make_the_interpreter_more_valuable(store):
    ev = load_evidence(store, date(2026, 6, 30))
    signals = list(DETECTORS["ai_codes"].detect(ev))
    rad = _by(signals, role="radiologist", subject="ai_coronary_plaque")[0]
    assert rad.direction == "growth" and rad.question == 4
    # bills × augmentative 1.0 × work dollars / $200: 75577 pays $1,012.05, of which the work
    # RVU (0.85 of 30.30) is $28.39; the rest pays the software and technical component.
    assert rad.strength == pytest.approx(1012.05 * 0.85 / 30.30 / 200)
    assert any(e.ref == "75577" and "$1,012.05" in e.value for e in rad.evidence)
    coder = _by(signals, role="medical_coder", subject="ai_coronary_plaque")[0]
    assert coder.direction == "pivot"


def test_proposed_rule_lead_time_is_learned_from_history(store):
    ev = load_evidence(store, date(2025, 8, 1))
    pairs = rulemaking_pairs(ev.documents.values())
    pfs = {
        p.publication_date.year + 1: (f.publication_date - p.publication_date).days
        for p, f in pairs
        if program_of(p) == "pfs"
    }
    # every PFS proposed -> final cycle CY2011-CY2024 from the bundled regulations.gov history
    # (and the curated documents); CY2025's proposed rule is not in either
    assert sorted(pfs) == list(range(2011, 2025))
    assert (pfs[2014], pfs[2015], pfs[2020], pfs[2022]) == (144, 125, 93, 119)
    lead, how = expected_lead_days("pfs", pairs)
    assert lead == 121 and how == "median of 14 pfs rulemaking(s)"
    signals = [s for s in DETECTORS["proposed_rules"].detect(ev) if s.subject == "rpm"]
    assert signals and all(s.lead_time_days == 121 for s in signals)
    assert expected_lead_days("pfs", []) == (
        DEFAULT_LEAD_DAYS,
        "default (no rulemaking history public yet)",
    )


def test_final_rule_confirms_the_proposal(store):
    before = compute_signals(store, date(2025, 8, 1))
    after = compute_signals(store, date(2025, 12, 1))
    assert _by(before, detector="proposed_rules", subject="rpm")
    assert not _by(after, detector="proposed_rules", subject="rpm")
    assert _by(after, detector="new_code", subject="rpm")


def test_signals_never_come_from_the_future(store):
    as_of = date(2019, 1, 1)
    for s in compute_signals(store, as_of):
        assert s.published <= as_of
        for e in s.evidence:
            if e.kind == "document":
                assert e.year is not None and e.year <= 2019


def test_dropping_a_document_removes_its_signals(store):
    with store.begin() as conn:
        conn.execute(
            delete(schema.provisions).where(schema.provisions.c.document_number == "2013-28696")
        )
        conn.execute(
            delete(schema.documents).where(schema.documents.c.document_number == "2013-28696")
        )
    signals = compute_signals(store, date(2015, 6, 1))
    assert not any(e.ref == "2013-28696" for s in signals for e in s.evidence)
    # without the rule that made CCM payable, 99490 counts from the rule that numbered it
    rn = _by(signals, role="care_manager_rn", subject="ccm", detector="new_code")[0]
    assert rn.evidence[0].ref == "2014-26183" and rn.published == date(2014, 11, 13)


def test_explicit_roles_on_a_provision_are_used(store):
    with store.begin() as conn:
        upsert_rows(
            conn,
            schema.documents,
            [
                {
                    "document_number": "2099-00001",
                    "key": "",
                    "type": "Rule",
                    "title": "Made-up final rule",
                    "agency": "CMS",
                    "citation": "",
                    "file_code": "CMS-9999-F",
                    "rin": "",
                    "docket": "",
                    "publication_date": date(2026, 2, 1),
                    "effective_date": date(2026, 3, 1),
                    "comments_close_date": None,
                    "cfr_parts": "",
                    "summary": "",
                    "html_url": "",
                    "source_url": "test",
                    "confidence": "high",
                    "origin": "snapshot",
                }
            ],
        )
        upsert_rows(
            conn,
            schema.provisions,
            [
                {
                    "document_number": "2099-00001",
                    "kind": "code_payable",
                    "subject": "X0001",
                    "family": "",
                    "effective_date": date(2026, 3, 1),
                    "detail": "",
                    "evidence_text": "",
                    "start": None,
                    "end": None,
                    "origin": "curated",
                    "roles": "community_health_worker",
                }
            ],
        )
    s = _by(
        compute_signals(store, date(2026, 6, 30)),
        role="community_health_worker",
        detector="new_code",
    )
    assert s and s[0].evidence[0].ref == "2099-00001"


def test_revaluation_is_relative_to_the_conversion_factor_and_devices_fund_no_one(store):
    ev = load_evidence(store, date(2026, 6, 30))
    signals = [s for s in DETECTORS["new_code"].detect(ev) if s.subject == "rpm:revalued"]
    # 99454 (+21.1 %) pays for the device supply (0 work RVU): nobody's labour is funded
    assert not [s for s in signals if s.evidence[0].ref == "99454"]
    tech = [s for s in signals if s.role == "rpm_technician" and s.evidence[0].ref == "99453"]
    assert len(tech) == 1
    s = tech[0]
    assert s.direction == "growth" and s.question == 1
    # 99453: $19.73 → $21.71 (+10.0 %) while the conversion factor rose 32.3465 → 33.4009
    rel = (21.71 / 19.73) / (33.4009 / 32.3465) - 1
    # staff share (PE 0.63 of 0.65) × 10 of 20 minutes / 3 staff roles × RPM uptake
    # (1,000,000 enrolees / 34.9 M = 2.9 %, over 10 %) × relative change
    share = 0.63 / 0.65 * 0.5 / 3
    up = 1_000_000 / 34.9e6 / 0.10
    assert s.strength == pytest.approx(share * up * rel, rel=1e-3)
    assert "+10.0%; conversion factor +3.3%" in s.evidence[0].value
    # the billers are paid by work RVU, and 99453 has none
    assert not [x for x in signals if x.role == "nurse_practitioner"]
    before = load_evidence(store, date(2025, 10, 1))
    assert not [x for x in DETECTORS["new_code"].detect(before) if x.subject == "rpm:revalued"]


def test_a_later_rule_mentioning_an_old_code_is_not_a_new_code(store):
    with store.begin() as conn:
        upsert_rows(
            conn,
            schema.provisions,
            [
                {
                    "document_number": "2025-19787",
                    "kind": "code_payable",
                    "subject": "99490",
                    "family": "ccm",
                    "effective_date": date(2026, 1, 1),
                    "detail": "",
                    "evidence_text": "99490 is valued at…",
                    "start": 10,
                    "end": 15,
                    "origin": "extracted",
                    "roles": "",
                }
            ],
        )
    signals = compute_signals(store, date(2026, 6, 30))
    ccm = [
        s
        for s in signals
        if s.detector == "new_code" and s.subject == "ccm" and s.role == "care_manager_rn"
    ]
    refs = [s.evidence[0].ref for s in ccm]
    # CCM 2015 (CY2014 rule), G2058 2020; 99490 and 99439 are new numbers, not new services
    assert refs == ["2013-28696", "2019-24086"]
    assert "2025-19787" not in refs
