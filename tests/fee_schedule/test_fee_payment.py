"""Payment arithmetic reproduces CMS national amounts to the cent; localities use GPCIs."""

from __future__ import annotations

from decimal import Decimal

import pytest
from fs_helpers import PPRRVU_2026, fee_bytes

from payforce.economics.payment import (
    NATIONAL,
    Locality,
    compute_payment,
    resolve_locality,
    round_cents,
)
from payforce.economics.programs import quote_payment
from payforce.economics.programs import resolve_locality as store_locality
from payforce.errors import InputError, LookupFailedError
from payforce.sources.fee_schedule import parse_gpci

# CY2026 national non-facility amounts (non-QP CF 33.4009) as CMS's look-up tool prints them
# (the list; ../shared/reference: 99490 ~$66, 75577 $1,012 PFS, RPM codes $26-52).
CMS_2026 = [
    ("99490", "nonfacility", "66.13"),
    ("75577", "nonfacility", "1012.05"),
    ("99454", "nonfacility", "52.11"),
    ("99445", "nonfacility", "52.11"),
    ("99457", "nonfacility", "51.77"),
    ("99470", "nonfacility", "26.05"),
    ("99490", "facility", "43.76"),  # 1.31 × 33.4009 = 43.7552 → 43.76
]


@pytest.mark.parametrize(("code", "setting", "amount"), CMS_2026)
def test_pay_reproduces_cms_national_amounts_from_the_synced_file(synced, code, setting, amount):
    p = quote_payment(synced, code, year=2026, setting=setting, cf_kind="non_qp")
    assert p.amount == Decimal(amount)
    assert p.rvu_source.startswith(PPRRVU_2026)


@pytest.mark.parametrize(("code", "setting", "amount"), CMS_2026)
def test_pay_reproduces_cms_national_amounts_from_the_bundled_snapshot(
    snapshot_store, code, setting, amount
):
    p = quote_payment(snapshot_store, code, year=2026, setting=setting, cf_kind="non_qp")
    assert p.amount == Decimal(amount)


def test_pay_99490_parts_and_qp_factor(synced):
    p = quote_payment(synced, "99490", year=2026, cf_kind="non_qp")
    assert (p.work_part, p.pe_part, p.mp_part) == (
        Decimal("1.00"),
        Decimal("0.91"),
        Decimal("0.07"),
    )
    assert p.label == "2026, national (GPCI 1.0), non-QP"
    qp = quote_payment(synced, "99490", year=2026, cf_kind="qp")
    assert (qp.conversion_factor, qp.amount, qp.cf_kind) == (33.5675, Decimal("66.46"), "qp")
    assert qp.cf_source == "https://www.federalregister.gov/d/2025-19787"  # the rule, not a summary


def test_pay_in_a_locality_multiplies_each_part_by_its_gpci(synced):
    loc = store_locality(synced, 2025, "01112-54")
    p = quote_payment(synced, "99454", year=2025, locality=loc)
    # (0.00 × 1.017 + 1.32 × 1.093 + 0.01 × 0.662) × 32.3465 = 46.8822… → $46.88
    assert p.amount == Decimal("46.88")
    assert p.label == "2025, BAKERSFIELD, CA, single CF"
    assert p.locality.source == "GPCI2025.csv line 8"


def test_round_cents_is_half_up():
    assert round_cents(52.105) == Decimal("52.11")
    assert round_cents(Decimal("0.125")) == Decimal("0.13")
    assert round_cents(-1.005) == Decimal("-1.01")


def test_compute_payment_national_equals_total_rvu_times_cf():
    p = compute_payment(
        code="99457",
        year=2026,
        setting="nonfacility",
        work_rvu=0.61,
        pe_rvu=0.90,
        mp_rvu=0.04,
        locality=NATIONAL,
        conversion_factor=33.4009,
        cf_kind="non_qp",
    )
    assert p.adjusted_rvu == Decimal("1.55") and p.amount == Decimal("51.77")


def test_resolve_locality_by_key_state_and_name():
    rows = list(parse_gpci(fee_bytes("GPCI2025.csv"), path="GPCI2025.csv").rows)
    assert resolve_locality(rows, "01112-54").name == "BAKERSFIELD"
    assert resolve_locality(rows, "ca-54").name == "BAKERSFIELD"
    assert resolve_locality(rows, "bakersfield").key == "01112-54"
    assert resolve_locality(rows, "Alaska").key == "02102-01"
    with pytest.raises(LookupFailedError) as exc:
        resolve_locality(rows, "rest of")
    assert exc.value.message.startswith(
        "unknown locality 'rest of'. Closest matches: 01112-75 (REST OF CALIFORNIA, CA)"
    )


def test_pay_unknown_code_suggests_close_ones(snapshot_store):
    with pytest.raises(LookupFailedError) as exc:
        quote_payment(snapshot_store, "99999", year=2026)
    assert exc.value.message == (
        "unknown code for 2026 '99999'. Closest matches: 98979, 99091, 99439"
    )


def test_pay_facility_na_is_an_error(synced):
    with pytest.raises(InputError) as exc:
        quote_payment(synced, "75577", year=2026, setting="facility")
    assert exc.value.message == (
        "75577 2026: not paid in the facility setting (NA indicator). Try --setting nonfacility"
    )


def test_pay_unpaid_status_is_an_error(synced):
    with pytest.raises(InputError) as exc:
        quote_payment(synced, "0001F", year=2026)
    assert exc.value.message == (
        "0001F 2026: status I, no Medicare payment (not valid for Medicare claims (Medicare "
        "uses another code)). Only status A, R and T codes with RVUs are paid by RVUs × GPCI × CF"
    )


def test_pay_locality_without_gpci_file_is_an_error(snapshot_store):
    with pytest.raises(InputError) as exc:
        store_locality(snapshot_store, 2026, "01112-54")
    assert exc.value.message == (
        "--locality 01112-54: no GPCIs for 2026 in the store. "
        "Run payforce sync fee-schedule --year 2026 (the RVU zip has the GPCI file)"
    )


def test_locality_from_gpci_row():
    rows = parse_gpci(fee_bytes("GPCI2025.csv"), path="GPCI2025.csv").rows
    loc = Locality.from_gpci(rows[0], "GPCI2025.csv line 4")
    assert (loc.key, loc.name, loc.work) == ("10112-00", "ALABAMA, AL", 1.0)
