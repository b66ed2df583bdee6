"""Pivot paths: ranking parts by hand, evidence as of a date, change-the-evidence, O*NET overlap."""

from __future__ import annotations

import math
from dataclasses import replace
from datetime import date
from pathlib import Path

import pytest

from payforce.errors import LookupFailedError
from payforce.knowledge import load_knowledge
from payforce.models import Outlook
from payforce.signals.outlook import compute_outlooks
from payforce.sources.onet import parse_onet_dir
from payforce.workforce.pivots import credential_burden, pivot_paths, score_parts
from payforce.workforce.sync import sync_onet_database

ONET = Path(__file__).parent.parent / "fixtures" / "onet"
DAY = date(2026, 6, 30)


def test_score_parts_by_hand():
    score, parts = score_parts(gain=2.0, wage_pct=10.9, overlap=0.2, burden=0.5)
    # tanh(2/2) = 0.761594; 10.9/50 = 0.218
    assert parts == pytest.approx(
        {"gain": 0.761594, "wage": 0.218, "overlap": 0.2, "burden": 0.5}, abs=1e-6
    )
    # 0.45*0.761594 + 0.25*0.218 + 0.20*0.2 - 0.10*0.5 = 0.342717 + 0.0545 + 0.04 - 0.05
    assert score == pytest.approx(0.387217, abs=1e-6)
    assert score_parts(0.0, 120.0, 0.0, 0.0)[1]["wage"] == 1.0  # wage part is clamped
    assert score_parts(0.0, None, 0.0, 0.0)[0] == 0.0


def test_credential_burden():
    assert credential_burden(()) == 0.0
    assert credential_burden(("CCM (CCMC)",)) == 0.5
    assert credential_burden(("NP license and national board certification",)) == 1.0
    assert credential_burden(("NCLEX-RN",)) == 1.0


def test_ur_nurse_pivots_ranked_with_funding_evidence(store):
    paths = pivot_paths(store, "utilization_review_nurse", DAY, load_knowledge())
    assert {p.target for p in paths} == {
        "care_manager_rn",
        "clinical_informaticist",
        "ai_governance_compliance",
    }
    assert [p.rank for p in paths] == [1, 2, 3]
    assert [p.score for p in paths] == sorted((p.score for p in paths), reverse=True)
    informatics = next(p for p in paths if p.target == "clinical_informaticist")
    assert informatics.credentials == (
        "ACHIP (AMIA)",
        "ANCC informatics nursing board certification",
    )
    assert informatics.source_wage == 93600.0 and informatics.target_wage == 103790.0
    assert informatics.wage_change_pct == pytest.approx((103790 - 93600) / 93600 * 100)
    docs = {e.ref for e in informatics.funding if e.kind == "document"}
    assert "2024-00895" in docs  # CMS-0057-F, the rule whose APIs informaticists operate
    care = next(p for p in paths if p.target == "care_manager_rn")
    codes = {e.ref for e in care.funding if e.kind == "code"}
    assert {"99490", "G0556"} <= codes
    cm = next(e for e in care.funding if e.ref == "99490")
    # dated by the rule that named it (2014-26183, 2014-11-13), which it links
    assert "care_manager_rn performs" in cm.label and cm.year == 2014
    assert cm.available_from == date(2014, 11, 13) and cm.url.endswith("/2014-26183")


def test_funding_respects_as_of(store):
    paths = pivot_paths(store, "utilization_review_nurse", date(2015, 12, 31), load_knowledge())
    care = next(p for p in paths if p.target == "care_manager_rn")
    codes = {e.ref for e in care.funding if e.kind == "code"}
    assert "99490" in codes and "G0556" not in codes  # APCM was first paid in 2025
    informatics = next(p for p in paths if p.target == "clinical_informaticist")
    assert not [e for e in informatics.funding if e.ref == "2024-00895"]


def test_change_the_outlook_and_the_ranking_moves(store):
    knowledge = load_knowledge()
    outlooks = compute_outlooks(store, DAY, knowledge)
    before = pivot_paths(store, "utilization_review_nurse", DAY, knowledge, outlooks=outlooks)
    first, last = before[0].target, before[-1].target
    source = next(o for o in outlooks if o.role == "utilization_review_nurse")
    # the best target loses its signals; the worst gains strong ones
    changed = [
        replace(o, score=o.score + 5.0, direction="growth")
        if o.role == last
        else replace(o, score=source.score, direction="none")
        if o.role == first
        else o
        for o in outlooks
    ]
    after = pivot_paths(store, "utilization_review_nurse", DAY, knowledge, outlooks=changed)
    ranks = {p.target: p.rank for p in after}
    assert ranks[last] < ranks[first]
    assert next(p for p in after if p.target == first).outlook_gain == 0.0


def test_outlook_gain_is_target_minus_source(store):
    knowledge = load_knowledge()
    fake = [
        Outlook(
            role="medical_coder",
            title="",
            as_of=DAY,
            direction="pivot",
            score=-1.0,
            growth=0.0,
            pressure=1.0,
            pivot=1.0,
            confidence=0.5,
        ),
        Outlook(
            role="cdi_specialist",
            title="",
            as_of=DAY,
            direction="growth",
            score=2.0,
            growth=2.0,
            pressure=0.0,
            pivot=0.0,
            confidence=0.5,
        ),
    ]
    paths = pivot_paths(store, "medical_coder", DAY, knowledge, outlooks=fake)
    cdi = next(p for p in paths if p.target == "cdi_specialist")
    assert cdi.outlook_gain == 3.0 and cdi.parts["gain"] == pytest.approx(math.tanh(1.5))
    assert cdi.source_direction == "pivot" and cdi.target_direction == "growth"
    other = next(p for p in paths if p.target == "health_data_analyst")
    assert other.outlook_gain == 1.0  # a role without an outlook counts as score 0


def test_overlap_uses_onet_when_synced(store):
    knowledge = load_knowledge()
    before = {p.target: p for p in pivot_paths(store, "registered_nurse", DAY, knowledge)}
    assert before["care_manager_rn"].overlap_basis == "curated"
    sync_onet_database(store, parse_onet_dir(ONET), "samples")
    after = {p.target: p for p in pivot_paths(store, "registered_nurse", DAY, knowledge)}
    # both roles are O*NET 29-1141.00: identical task lists
    assert after["care_manager_rn"].overlap_basis == "O*NET tasks"
    assert after["care_manager_rn"].overlap == 1.0
    np_path = after["nurse_practitioner"]
    assert np_path.overlap_basis == "O*NET tasks" and 0.0 < np_path.overlap < 1.0


def test_unknown_role_message(store):
    with pytest.raises(LookupFailedError) as exc:
        pivot_paths(store, "astronaut", DAY, load_knowledge())
    assert exc.value.message.startswith("unknown role 'astronaut'. Closest matches: ")
