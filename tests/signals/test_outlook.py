"""Outlook aggregation, change-the-evidence tests and the thesis sanity check."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import delete

from payforce.models import Evidence, Role, Signal
from payforce.signals.outlook import HALF_LIFE_DAYS, aggregate, compute_outlooks
from payforce.store import schema
from payforce.store.db import upsert_rows

AS_OF = date(2026, 6, 30)


def _outlooks(store, as_of=AS_OF):
    return {o.role: o for o in compute_outlooks(store, as_of)}


def _sig(direction, strength, confidence=1.0, published=AS_OF):
    return Signal(
        role="r",
        direction=direction,
        strength=strength,
        confidence=confidence,
        question=1,
        detector="t",
        summary="",
        published=published,
        evidence=(Evidence(kind="code", ref="x", label="x"),),
    )


def test_aggregate_formula_by_hand():
    role = Role(key="r", title="R")
    old = date(2026, 6, 30).replace(year=2022)
    o = aggregate(
        role, [_sig("growth", 0.8, 0.5), _sig("pressure", 0.4, 1.0, published=old)], AS_OF
    )
    decay = 0.5 ** ((AS_OF - old).days / HALF_LIFE_DAYS)
    assert o.growth == pytest.approx(0.4)
    assert o.pressure == pytest.approx(0.4 * decay, abs=1e-4)
    assert o.score == pytest.approx(0.4 - 0.4 * decay, abs=1e-4)
    assert o.direction == "growth"
    assert o.confidence == pytest.approx((0.4 + 0.4 * decay) / (0.8 + 0.4 * decay) * 0.75, abs=1e-4)


def test_pivot_wins_when_it_outweighs_the_net():
    o = aggregate(Role(key="r", title="R"), [_sig("pivot", 0.9), _sig("growth", 0.3)], AS_OF)
    assert o.direction == "pivot"
    assert aggregate(Role(key="r", title="R"), [], AS_OF).direction == "none"


def test_dropping_mssp_growth_lowers_analysts_and_coordinators(store):
    before = _outlooks(store)
    with store.begin() as conn:
        conn.execute(
            delete(schema.program_metrics).where(schema.program_metrics.c.metric.like("mssp_%"))
        )
    after = _outlooks(store)
    for role in (
        "health_data_analyst",
        "care_coordinator_non_rn",
        "care_manager_rn",
        "quality_improvement_specialist",
    ):
        assert after[role].score < before[role].score, role
    assert not [
        s for s in after["health_data_analyst"].signals if s.question == 3 and "mssp" in s.subject
    ]


def test_a_proposed_rule_creating_an_np_code_raises_the_np_score(store):
    before = _outlooks(store)["nurse_practitioner"]
    with store.begin() as conn:
        upsert_rows(
            conn,
            schema.documents,
            [
                {
                    "document_number": "2026-99999",
                    "key": "",
                    "type": "Proposed Rule",
                    "title": "Medicare Program; made-up proposal paying NP-led monitoring",
                    "agency": "CMS (HHS)",
                    "citation": "",
                    "file_code": "CMS-9001-P",
                    "rin": "0938-ZZ99",
                    "docket": "",
                    "publication_date": date(2026, 5, 1),
                    "effective_date": None,
                    "comments_close_date": date(2026, 7, 1),
                    "cfr_parts": "42 CFR 414",
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
                    "document_number": "2026-99999",
                    "kind": "code_proposed",
                    "subject": "X9999",
                    "family": "",
                    "effective_date": date(2027, 1, 1),
                    "detail": "new NP-billed code",
                    "evidence_text": "",
                    "start": None,
                    "end": None,
                    "origin": "curated",
                    "roles": "nurse_practitioner",
                }
            ],
        )
    after = _outlooks(store)["nurse_practitioner"]
    assert after.score > before.score
    new = [s for s in after.signals if any(e.ref == "2026-99999" for e in s.evidence)]
    assert len(new) == 1 and new[0].question == 5 and new[0].leading
    assert new[0].lead_time_days is not None and new[0].lead_time_days > 0


def test_thesis_follows_from_the_bundled_evidence(store):
    o = _outlooks(store)
    for role in (
        "care_manager_rn",
        "clinical_informaticist",
        "health_data_analyst",
        "nurse_practitioner",
        "radiologist",
        "cardiologist",
    ):
        assert o[role].direction == "growth", role
    for role in ("prior_authorization_specialist", "utilization_review_nurse"):
        assert o[role].direction == "pressure", role
        assert o[role].pivot > 0, role
    assert o["medical_coder"].direction == "pivot"
    assert any(s.question == 4 for s in o["radiologist"].signals)


def test_outlook_as_of_2016_knows_nothing_of_2026(store):
    o = _outlooks(store, date(2016, 1, 1))
    assert o["radiologist"].direction == "none"
    assert o["prior_authorization_specialist"].direction == "none"
    assert o["care_manager_rn"].direction == "growth"
