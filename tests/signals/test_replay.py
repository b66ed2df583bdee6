"""Replay history: what payforce would have said on a past date."""

from __future__ import annotations

from datetime import date

from payforce.signals import compute_signals


def _cites_ccm(signal) -> bool:
    return signal.subject == "ccm" or any(
        e.ref in {"99490", "2014-15948", "2014-26183"} for e in signal.evidence
    )


def test_before_the_ccm_proposal_no_signal_cites_ccm(store):
    assert not [s for s in compute_signals(store, date(2014, 6, 30)) if _cites_ccm(s)]


def test_the_proposed_rule_gives_a_leading_ccm_signal(store):
    signals = [s for s in compute_signals(store, date(2014, 8, 1)) if _cites_ccm(s)]
    assert signals
    assert {s.question for s in signals} == {5}
    rn = [s for s in signals if s.role == "care_manager_rn"][0]
    assert rn.leading and rn.evidence[0].ref == "2014-15948"
    # median of the CY2011-CY2014 PFS cycles public then (139, 132, 109, 144 days)
    assert rn.lead_time_days == 135 and rn.effective == date(2015, 1, 1)


def test_the_final_rule_gives_care_coordination_growth(store):
    signals = compute_signals(store, date(2015, 6, 1))
    q1 = [
        s for s in signals if s.role == "care_manager_rn" and s.question == 1 and s.subject == "ccm"
    ]
    assert len(q1) == 1 and q1[0].direction == "growth"
    assert q1[0].evidence[0].ref == "2014-26183"
    assert not [s for s in signals if s.question == 5 and s.subject == "ccm"]
