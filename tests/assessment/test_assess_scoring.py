"""Scoring: team means, divergence, domain and overall maturity, must-fix gates, readiness."""

from __future__ import annotations

import math

import pytest

from payforce.assessment.scoring import (
    STATUS_BLOCKED,
    STATUS_CLEAR,
    Response,
    compare_scorecards,
    level_of,
    score_assessment,
)
from payforce.errors import AssessmentError


def _all(instrument, level, **overrides):
    answers = {q.id: level for q in instrument.questions}
    answers.update({k.replace("_", "."): v for k, v in overrides.items()})
    return answers


def test_must_fix_gate_caps_a_high_average(instrument):
    team = [
        Response("CEO", "CEO", _all(instrument, 4, D3_02=1)),
        Response("Compliance", "Compliance", _all(instrument, 4, D3_02=2)),
    ]
    card = score_assessment(instrument, team)
    q = card.question("D3.02")
    assert (q.mean, q.minimum, q.maximum, q.spread, q.stdev, q.count) == (1.5, 1, 2, 1, 0.5, 2)
    d3 = next(d for d in card.domains if d.domain_id == "D3")
    assert d3.raw == pytest.approx((7 * 4 + 1.5) / 8)
    assert d3.score == 2.0 and d3.capped and d3.failing_must_fix == ("D3.02",)
    assert [d.score for d in card.domains if d.domain_id != "D3"] == [4.0, 4.0, 4.0, 4.0]
    assert card.overall_raw == pytest.approx((4 * 4 + 29.5 / 8) / 5)
    assert card.overall == 2.0
    assert (card.level, card.status) == (2, STATUS_BLOCKED)
    assert [(m.question_id, m.law, m.passed) for m in card.failing_must_fix] == [
        ("D3.02", "45 CFR 92.210(b)", False)
    ]
    assert card.completion == 1.0


def test_clearing_the_gate_lifts_the_cap(instrument):
    team = [Response(r, r, _all(instrument, 4, D3_02=3)) for r in ("CEO", "Compliance")]
    card = score_assessment(instrument, team)
    assert card.status == STATUS_CLEAR
    assert card.failing_must_fix == ()
    assert card.overall == card.overall_raw == pytest.approx((16 + 31 / 8) / 5)
    assert card.level == 3
    assert all(r.ready for r in card.readiness)


def test_divergence_range_and_population_stdev(instrument):
    team = [
        Response(role, role, {"D1.01": level})
        for role, level in (("CEO", 1), ("CMO", 5), ("CIO", 3))
    ]
    q = score_assessment(instrument, team).question("D1.01")
    assert (q.mean, q.spread) == (3.0, 4)
    assert q.stdev == pytest.approx(math.sqrt(8 / 3))
    assert q.agenda_score == pytest.approx(2.0 + 2 * math.sqrt(8 / 3))


def test_unanswered_must_fix_fails_and_unknown_counts_as_zero(instrument):
    team = [Response("CEO", "CEO", {"D1.01": 0, "D1.02": 4})]
    card = score_assessment(instrument, team)
    assert card.question("D1.01").unknown == 1
    assert card.question("D3.02").mean is None
    assert {m.question_id for m in card.failing_must_fix} == {
        q.id for q in instrument.must_fix_questions
    }
    d1 = card.domains[0]
    assert (d1.raw, d1.answered, d1.total) == (2.0, 2, 8)
    assert [d.raw for d in card.domains[1:]] == [None, None, None, None]
    assert card.overall_raw == 2.0
    assert card.completion == pytest.approx(2 / 37)


def test_scoring_rejects_unknown_question_and_bad_level(instrument):
    with pytest.raises(AssessmentError) as exc:
        score_assessment(instrument, [Response("CEO", "CEO", {"D9.99": 3})])
    assert exc.value.message == (
        "answer D9.99: unknown question id ('D9.99'). Use an id from the instrument, D1.01 to D5.07"
    )
    with pytest.raises(AssessmentError) as exc:
        score_assessment(instrument, [Response("CEO", "CEO", {"D1.01": 6})])
    assert exc.value.message.startswith(
        "answer D1.01: level must be a whole number from 0 to 5 (6)"
    )


def test_fixture_team_round1_fails_ten_gates(instrument, team_responses):
    card = score_assessment(instrument, team_responses("team_round1.yaml"))
    q = card.question("D3.02")  # CEO 3, CMO 1, CIO 2, Compliance 0, CNO 1, Revenue cycle 2
    assert (q.mean, q.spread, q.unknown) == (1.5, 3, 1)
    assert q.answers[3] == ("Compliance", 0)
    assert card.question("D4.02").mean == pytest.approx(10 / 6)
    assert [m.question_id for m in card.failing_must_fix] == [
        "D2.02",
        "D3.02",
        "D3.03",
        "D3.06",
        "D3.07",
        "D3.08",
        "D4.02",
        "D5.01",
        "D5.03",
        "D5.05",
    ]
    assert next(m for m in card.must_fix if m.question_id == "D2.03").passed  # 2.5 >= 2
    assert card.status == STATUS_BLOCKED
    assert card.overall == 2.0
    assert card.overall_raw > 2.0
    blocked = {(r.area, r.requirement): r for r in card.readiness}
    assert blocked[("prior_auth", "decision_metrics")].blockers == (
        ("D4.02", pytest.approx(10 / 6)),
    )
    assert not blocked[("ai_codes", "interpretation")].ready


def test_fixture_rounds_compare(instrument, team_responses):
    first = score_assessment(instrument, team_responses("team_round1.yaml"))
    second = score_assessment(instrument, team_responses("team_round2.yaml"))
    assert [m.question_id for m in second.failing_must_fix] == ["D3.03", "D3.07", "D4.02", "D5.05"]
    change = compare_scorecards(second, first, "2026 Q1 baseline")
    assert change.cleared == ("D2.02", "D3.02", "D3.06", "D3.08", "D5.01", "D5.03")
    assert change.new_failures == ()
    d1 = change.domains[0]
    assert d1.domain_id == "D1" and d1.delta is not None and d1.delta > 0


@pytest.mark.parametrize(("score", "level"), [(None, 0), (0.0, 0), (2.99, 2), (3.0, 3), (5.0, 5)])
def test_level_of_is_the_whole_part(score, level):
    assert level_of(score) == level


def test_gates_that_bind_the_other_side_do_not_block(instrument):
    # CMS-0057-F decision metrics (D4.02) and specific denial reasons (D5.05) bind payers;
    # patient disclosure (D5.01) binds providers.
    answers = _all(instrument, 4, D4_02=0, D5_05=1, D5_01=0)
    team = [Response("CEO", "CEO", answers)]
    provider = score_assessment(instrument, team, "provider")
    payer = score_assessment(instrument, team, "payer")
    both = score_assessment(instrument, team)
    assert [m.question_id for m in provider.failing_must_fix] == ["D5.01"]
    assert [m.question_id for m in payer.failing_must_fix] == ["D4.02", "D5.05"]
    assert [m.question_id for m in both.failing_must_fix] == ["D4.02", "D5.01", "D5.05"]
    gate = next(m for m in provider.must_fix if m.question_id == "D4.02")
    assert (gate.applicable, gate.passed, gate.score) == (False, True, 0.0)
    clear = score_assessment(
        instrument, [Response("CEO", "CEO", _all(instrument, 4, D4_02=0))], "provider"
    )
    assert clear.status == STATUS_CLEAR and clear.overall == clear.overall_raw
