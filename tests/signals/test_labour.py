"""Whose labour a code's payment funds: work RVU to billers, staff PE to staff, devices to nobody."""

from __future__ import annotations

from datetime import date

import pytest

from payforce.signals.base import load_evidence
from payforce.signals.labour import funded_shares, labour_split, uptake


def test_device_supply_codes_fund_no_ones_labour(store):
    ev = load_evidence(store, date(2026, 6, 30))
    split = labour_split(ev, "99454")  # RVU 2026: work 0, PE 1.55, MP 0.01
    assert split.work == 0 and split.staff == 0
    assert split.nobody == pytest.approx(1.0)
    assert funded_shares(ev, "rpm", "99454") == {}
    assert funded_shares(ev, "rpm", "99445") == {}


def test_ai_analysis_pays_the_interpreter_only_its_work_rvu(store):
    ev = load_evidence(store, date(2026, 6, 30))
    split = labour_split(ev, "75577")  # 0.85 work of 30.30 total; PE pays the software
    assert split.work == pytest.approx(0.85 / 30.30)
    assert split.staff == 0 and split.nobody == pytest.approx(1 - 0.85 / 30.30)


def test_staff_time_code_splits_work_and_staff_shares_among_alternatives(store):
    ev = load_evidence(store, date(2026, 6, 30))
    shares = funded_shares(ev, "ccm", "99490")  # 2026: work 1.00, PE 0.91, MP 0.07 of 1.98
    # four billers share the work RVU; RN, LPN and MA share the staff PE (20 of 20 minutes)
    assert shares["nurse_practitioner"] == (pytest.approx(1.00 / 1.98 / 4), "bills")
    assert shares["care_manager_rn"] == (pytest.approx(0.91 / 1.98 / 3), "performs")
    assert shares["medical_assistant"][0] == pytest.approx(0.91 / 1.98 / 3)
    total = sum(s for s, _ in shares.values())
    assert total == pytest.approx((1.00 + 0.91) / 1.98)  # malpractice funds no one


def test_uptake_is_the_share_public_by_the_date(store):
    factor, metric = uptake(load_evidence(store, date(2015, 6, 1)), "ccm")
    assert metric is None and factor == pytest.approx(0.3)  # default 3 % of eligible / 10 %
    factor, metric = uptake(load_evidence(store, date(2026, 6, 30)), "ccm")
    assert metric is not None and factor == pytest.approx(metric.value / 100 / 0.10)
