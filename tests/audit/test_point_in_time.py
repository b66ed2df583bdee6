"""The cases of the replay audit (shared/findings/2026-12_replay_and_evidence_audit.md), each
pinned to the value or absence a careful reader had on that date, and the audit itself."""

from __future__ import annotations

import json
from datetime import date

import pytest

from payforce.economics.ledger import ledger_changes
from payforce.signals import compute_signals
from payforce.signals.base import load_evidence
from payforce.signals.outlook import compute_outlooks
from payforce.store import queries
from payforce.views.audit import audit, audit_date, check_view, grid


def _texts(signals) -> str:
    return json.dumps([s.to_dict() for s in signals])


def test_2025_11_15_rpm_device_code_has_the_final_rule_value(store):
    ev = load_evidence(store, date(2025, 11, 15))
    (v,) = [v for v in ev.values["99454"] if v.year == 2026 and v.setting == "nonfacility"]
    assert (v.total_rvu, v.payment, v.release) == (1.42, 47.43, "2025-19787")
    (new,) = [v for v in ev.values["99445"] if v.year == 2026 and v.setting == "nonfacility"]
    assert new.payment == 47.43
    reval = [c for c in ledger_changes(store, date(2025, 11, 15)) if c.code == "99454"]
    assert [(c.kind, c.after) for c in reval if c.year == 2026] == [("revalued", 47.43)]
    assert "52.11" not in _texts(compute_signals(store, date(2025, 11, 15)))
    # July's RVU26C value only from its release
    later = load_evidence(store, date(2026, 7, 1))
    (v,) = [v for v in later.values["99454"] if v.year == 2026 and v.setting == "nonfacility"]
    assert (v.payment, v.release) == (52.11, "RVU26C")


def test_2025_11_15_g0680_is_absent(store):
    assert "G0680" not in _texts(compute_signals(store, date(2025, 11, 15)))
    assert "G0680" in _texts(compute_signals(store, date(2026, 4, 1)))  # OPPS, from 2026-04-01


def test_2023_07_15_the_cms_0057_proposal_says_only_what_it_said(store):
    text = _texts(compute_signals(store, date(2023, 7, 15)))
    for later in ("2024-00895", "2023-28857", "CMS-0057-F", "2027-01-01"):
        assert later not in text
    assert "CMS-0057-P" in text and "(by 2026-01-01)" in text  # the proposal's API date
    final = _texts(compute_signals(store, date(2024, 3, 1)))
    assert "2024-00895" in final and "(by 2027-01-01)" in final


def test_2014_08_01_the_cy2015_proposal_does_not_cite_99490(store):
    assert "99490" not in _texts(compute_signals(store, date(2014, 8, 1)))


def test_2014_06_30_ccm_is_visible_from_the_cy2014_rules(store):
    ccm = [s for s in compute_signals(store, date(2014, 6, 30)) if s.subject == "ccm"]
    assert ccm and {e.ref for s in ccm for e in s.evidence} >= {"2013-28696"}


def test_hitech_is_final_from_2010_07_28(store):
    before = [s for s in compute_signals(store, date(2010, 7, 27)) if "hitech" in s.subject]
    assert before and all(s.question == 5 for s in before)
    after = [s for s in compute_signals(store, date(2010, 7, 28)) if "hitech" in s.subject]
    assert after and {s.question for s in after} == {2}
    assert {s.evidence[0].ref for s in after} == {"2010-17207"}


def test_mssp_text_before_2024_12_09_has_no_app_plus(store):
    for day in (date(2016, 7, 1), date(2024, 12, 8)):
        assert "APP Plus" not in _texts(compute_signals(store, day))
    assert "APP Plus" in _texts(compute_signals(store, date(2025, 2, 1)))


def test_conversion_factors_by_the_act_or_rule_that_set_them(store):
    def cf(day: date, year: int) -> list[float]:
        rows = [m for m in queries.list_metrics(store, day) if m.metric == "pfs_conversion_factor"]
        rows = [m for m in rows if m.year == year]
        return [m.value for m in sorted(rows, key=lambda m: m.available_from)]

    assert cf(date(2020, 12, 27), 2021) == []
    assert cf(date(2020, 12, 30), 2021) == [32.4085]
    assert cf(date(2021, 1, 10), 2021) == [32.4085, 34.8931]
    assert cf(date(2021, 12, 1), 2022) == [33.5983]
    assert cf(date(2021, 12, 20), 2022) == [33.5983, 34.6062]


def test_ccm_uptake_study_is_not_seen_before_it_was_published(store):
    early = [m for m in queries.list_metrics(store, date(2018, 11, 30)) if "ccm_share" in m.metric]
    assert early == []
    outlooks = {o.role: o for o in compute_outlooks(store, date(2018, 7, 15))}
    assert not [s for s in outlooks["care_manager_rn"].signals if "ccm_uptake" in s.subject]


def test_every_evidence_item_is_dated_and_checked(store):
    for day in (date(2013, 8, 1), date(2023, 7, 15), date(2025, 11, 15), date(2026, 6, 30)):
        for s in compute_signals(store, day):
            for e in s.evidence:
                assert e.available_from is not None and e.available_from <= day, (day, e)
                assert e.url, e
        assert audit_date(store, day) == []


def test_check_view_flags_future_undated_and_bad_links():
    view = {
        "signals": [
            {
                "published": "2020-01-01",
                "evidence": [
                    {"label": "a", "available_from": "2021-05-01", "url": ""},
                    {"label": "b", "url": "https://agdesign.me?arsae=x"},
                    {
                        "label": "c",
                        "available_from": "2019-01-01",
                        "url": "https://www.asco.org/practice-policy/policy-issues-statements/"
                        "asco-in-action/medicare-physician-fee-schedule-conversion",
                    },
                ],
            }
        ]
    }
    kinds = sorted(v.kind for v in check_view("x", view, date(2020, 6, 30)))
    assert kinds == ["bad host", "future", "secondary before written", "undated"]


def test_grid_is_monthly_by_default():
    assert grid(date(2010, 1, 15), date(2010, 4, 1)) == [
        date(2010, 2, 1),
        date(2010, 3, 1),
        date(2010, 4, 1),
    ]
    assert grid(date(2010, 1, 1), date(2010, 1, 21), 10) == [
        date(2010, 1, 1),
        date(2010, 1, 11),
        date(2010, 1, 21),
    ]


@pytest.mark.slow
def test_monthly_replay_2010_to_today_has_no_violations(store):
    """CI's replay: the first of every month from 2010-01-01 to 2026-12-01 (the snapshot's
    newest evidence is from 2026), every view and evidence item checked."""
    checked, found = audit(store, grid(date(2010, 1, 1), date(2026, 12, 1)))
    assert checked > 10_000
    assert [v.to_dict() for v in found] == []
