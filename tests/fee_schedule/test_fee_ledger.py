"""The code ledger: new, deleted, revalued, threshold and proposed-vs-final changes, as of a date."""

from __future__ import annotations

from datetime import date

import pytest

from payforce.economics.ledger import CHANGE_KINDS, family_summaries, ledger_changes
from payforce.sources.fee_schedule import RVURow
from payforce.store import fee_tables


def _by(changes, code, kind):
    return [c for c in changes if c.code == code and c.kind == kind]


def test_ledger_2026_rpm_new_codes_thresholds_and_revaluations(snapshot_store):
    changes = ledger_changes(snapshot_store, date(2026, 6, 30), year=2026)
    (new,) = _by(changes, "99445", "new")
    # the bundled 2026 value comes from the July release (RVU26C), public from 2026-06-30
    assert (new.family, new.after, new.published) == ("rpm", 52.11, date(2026, 6, 30))
    assert new.release == "RVU26C"
    (tier,) = _by(changes, "99445", "threshold")
    assert tier.detail == (
        "99445 pays for 2-15 days of data per 30 days, next to 99454 (16-30 days of data per 30 days)"
    )
    (minutes,) = _by(changes, "99470", "threshold")
    assert "next to 99457 (first 20 min per calendar month)" in minutes.detail
    (reval,) = _by(changes, "99454", "revalued")
    assert (reval.before, reval.after) == (43.02, 52.11)
    assert reval.pct == pytest.approx(21.13, abs=0.01)
    assert reval.detail == (
        "99454 national $43.02 (2025, single CF) → $52.11 (2026, non-QP) (+21.1%); "
        "total RVU 1.33 → 1.56"
    )


def test_ledger_conversion_factor_proposed_vs_final(snapshot_store):
    changes = ledger_changes(snapshot_store, date(2026, 1, 1), year=2026)
    (cf,) = _by(changes, "CF non-QP", "proposed_vs_final")
    assert (cf.before, cf.after) == (33.4209, 33.4009)
    assert cf.pct == pytest.approx(-0.0598, abs=0.001)


def test_ledger_deleted_codes(snapshot_store):
    changes = ledger_changes(snapshot_store, date(2026, 6, 30), family="ai_coronary_plaque")
    assert sorted(c.code for c in changes if c.kind == "deleted") == [
        "0623T",
        "0624T",
        "0625T",
        "0626T",
    ]
    assert [c.code for c in changes if c.kind == "new"] == ["75577"]


def test_ledger_as_of_hides_changes_not_yet_public(snapshot_store):
    before = ledger_changes(snapshot_store, date(2025, 10, 31))
    assert not [c for c in before if c.year == 2026]
    assert _by(before, "99457", "new")[0].year == 2019
    history = ledger_changes(snapshot_store, date(2015, 1, 1))
    assert [c.code for c in history if c.kind == "new"] == ["99495", "99496", "99490"]


def test_ledger_family_summaries(snapshot_store):
    summaries = {
        (s.family, s.year): s
        for s in family_summaries(ledger_changes(snapshot_store, date(2026, 6, 30), year=2026))
    }
    rpm = summaries[("rpm", 2026)]
    assert (rpm.new, rpm.thresholds, rpm.revalued) == (("99445",), ("99445",), 2)
    assert rpm.mean_pct == pytest.approx(15.58, abs=0.01)


def test_ledger_every_kind_is_known(snapshot_store):
    assert {c.kind for c in ledger_changes(snapshot_store)} <= set(CHANGE_KINDS)


def _row(code, status, work, line):
    return RVURow(
        code=code,
        modifier="",
        status=status,
        work_rvu=work,
        pe_rvu_nonfacility=0.5,
        pe_rvu_facility=0.2,
        mp_rvu=0.05,
        total_nonfacility=work + 0.55,
        total_facility=work + 0.25,
        conversion_factor=33.4009,
        line=line,
    )


def test_ledger_synced_releases_show_deletions_and_proposed_vs_final(store):
    fee_tables.load_fee_year(
        store,
        2025,
        source="a",
        pprrvu_file="p25.csv",
        released=date(2024, 11, 1),
        rows=[_row("99490", "A", 1.0, 11), _row("0623T", "C", 0.5, 12)],
    )
    fee_tables.load_fee_year(
        store,
        2026,
        source="b",
        pprrvu_file="p26.csv",
        released=date(2025, 11, 1),
        rows=[_row("99490", "A", 1.0, 11), _row("0623T", "D", 0.5, 12)],
    )
    fee_tables.load_fee_year(
        store,
        2026,
        source="c",
        pprrvu_file="p26p.csv",
        released=date(2025, 7, 15),
        stage="proposed",
        rows=[_row("99490", "A", 1.1, 11)],
    )
    changes = ledger_changes(store, date(2026, 6, 30), year=2026)
    (prop,) = _by(changes, "99490", "proposed_vs_final")
    assert (prop.before, prop.after) == (1.65, 1.55)
    assert prop.detail == "99490 2026: proposed 1.65 RVU, final 1.55 RVU (-6.1%)"
    # 0623T was carrier-priced (C), not paid by RVUs: no synced deletion, only the curated one
    assert [c.detail for c in _by(changes, "0623T", "deleted")] == ["0623T deleted from 2026"]
    fee_tables.load_fee_year(
        store,
        2026,
        source="b",
        pprrvu_file="p26.csv",
        released=date(2025, 11, 1),
        rows=[_row("0623T", "D", 0.5, 12)],
    )
    fee_tables.load_fee_year(
        store,
        2025,
        source="a",
        pprrvu_file="p25.csv",
        released=date(2024, 11, 1),
        rows=[_row("99490", "A", 1.0, 11)],
    )
    gone = _by(ledger_changes(store, date(2026, 6, 30), year=2026), "99490", "deleted")
    assert [c.detail for c in gone] == ["99490 paid in 2025, absent in 2026"]
    # before the 2026 release was public, nobody could see the deletion
    assert not _by(ledger_changes(store, date(2025, 10, 31), year=2026), "99490", "deleted")


def test_ledger_confirms_new_level_ii_codes_from_the_hcpcs_file(store):
    from fs_helpers import asset

    data = asset("hcpcs", "HCPC2019_CONTR_ANWEB_sample.txt").read_bytes()
    fee_tables.sync_hcpcs(store, 2019, data=data, source="HCPC2019_CONTR_ANWEB_sample.txt")
    (new,) = _by(ledger_changes(store, date(2019, 6, 30), year=2019), "G2012", "new")
    assert new.detail == (
        "G2012 first paid in 2019; HCPCS 2019 file: added 2019-01-01 "
        "(HCPC2019_CONTR_ANWEB_sample.txt line 159)"
    )
    assert new.source.endswith("| HCPC2019_CONTR_ANWEB_sample.txt line 159")
