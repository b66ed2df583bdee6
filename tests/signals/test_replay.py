"""Replay history: what payforce would have said on a past date (the CCM story, as the records
show it: proposed in the CY2014 rule of 2013-07-19, final 2013-12-10, code 99490 from 2014-11-13).
"""

from __future__ import annotations

from datetime import date

from payforce.signals import compute_signals


def _cites_ccm(signal) -> bool:
    return signal.subject == "ccm" or any(
        e.ref in {"99490", "2013-16547", "2013-28696", "2014-15948", "2014-26183"}
        for e in signal.evidence
    )


def test_before_the_ccm_proposal_no_signal_cites_ccm(store):
    assert not [s for s in compute_signals(store, date(2013, 7, 18)) if _cites_ccm(s)]


def test_the_cy2014_proposal_gives_a_leading_ccm_signal(store):
    signals = [s for s in compute_signals(store, date(2013, 8, 1)) if _cites_ccm(s)]
    assert signals
    assert {s.question for s in signals} == {5}
    rn = [s for s in signals if s.role == "care_manager_rn"][0]
    assert rn.leading and rn.evidence[0].ref == "2013-16547"
    # median of the CY2011-CY2013 PFS cycles public then (139, 132, 109 days)
    assert rn.lead_time_days == 132 and rn.effective == date(2015, 1, 1)
    assert not any("99490" in e.ref or "99490" in e.label for e in rn.evidence)


def test_on_2014_06_30_ccm_is_final_policy_from_the_cy2014_rule(store):
    signals = [s for s in compute_signals(store, date(2014, 6, 30)) if _cites_ccm(s)]
    rn = [s for s in signals if s.role == "care_manager_rn"]
    assert len(rn) == 1 and rn[0].question == 1 and rn[0].direction == "growth"
    assert rn[0].evidence[0].ref == "2013-28696"
    assert rn[0].published == date(2013, 12, 10)


def test_the_cy2015_proposal_does_not_cite_99490(store):
    signals = compute_signals(store, date(2014, 8, 1))
    assert not [s for s in signals for e in s.evidence if e.ref == "99490" or "99490" in e.label]
    assert not [s for s in signals if s.question == 5 and s.subject == "ccm"]


def test_after_the_cy2015_rule_ccm_is_still_one_growth_signal(store):
    signals = compute_signals(store, date(2015, 6, 1))
    q1 = [
        s for s in signals if s.role == "care_manager_rn" and s.question == 1 and s.subject == "ccm"
    ]
    assert len(q1) == 1 and q1[0].direction == "growth"
    assert q1[0].evidence[0].ref == "2013-28696"
    assert not [s for s in signals if s.question == 5 and s.subject == "ccm"]
