"""CMS files in every shape CMS ships: fixed-width PPRRVU .txt, GPCI / locality / QP files on
their own or together; pay prices modifier rows and says when Medicare does not pay."""

from __future__ import annotations

import dataclasses
from datetime import date
from decimal import Decimal

import pytest
from fs_helpers import PPRRVU_2025, PPRRVU_2026, fee_bytes
from sqlalchemy import func, select

from payforce.cli import app
from payforce.economics.quotes import NationalAmount, NoPayment, price_code, split_code
from payforce.errors import InputError, ParseError
from payforce.sources.fee_schedule import parse_pprrvu_file, release_label
from payforce.sources.pprrvu_fixed import is_fixed_width, parse_pprrvu_fixed
from payforce.sources.rvu_release import file_kind, is_qp_name, parse_rvu_files
from payforce.store import fee_tables
from payforce.store.db import Store
from payforce.store.snapshot import load_snapshot

TXT = "PPRRVU2025_Oct_sample.txt"


def _count(store: Store, table) -> int:
    with store.connect() as conn:
        return conn.execute(select(func.count()).select_from(table)).scalar_one()


def test_fixed_width_pprrvu_gives_the_same_rows_as_the_csv():
    txt = parse_pprrvu_fixed(fee_bytes(TXT), path=TXT)
    csv = parse_pprrvu_file(fee_bytes(PPRRVU_2025), path=PPRRVU_2025)
    assert len(txt.rows) == len(csv.rows) == 216
    assert [s.reason for s in txt.skips] == ["header (copyright notice)"] * 7
    for a, b in zip(txt.rows, csv.rows, strict=True):
        assert dataclasses.replace(a, line=0) == dataclasses.replace(b, line=0)
    by = {(r.code, r.modifier): r for r in txt.rows}
    assert by[("70450", "26")].work_rvu == 0.85 and by[("70450", "TC")].pe_rvu_nonfacility == 2.04
    assert by[("27447", "")].nonfacility_na and by[("22526", "")].not_used_for_medicare
    assert (txt.year, txt.released, release_label(None, name=TXT)) == (None, None, "RVU25D")


def test_fixed_width_is_sniffed_by_content():
    assert is_fixed_width(fee_bytes(TXT)) and not is_fixed_width(fee_bytes(PPRRVU_2025))
    assert file_kind(fee_bytes(TXT), "anything.dat") == "pprrvu"
    assert file_kind(fee_bytes("GPCI2025.csv"), "g.csv") == "gpci"
    assert file_kind(fee_bytes("25LOCCO.csv"), "l.csv") == "locality"
    assert is_qp_name("PPRRVU2026_Jan_QPP.csv") and not is_qp_name("PPRRVU2026_Jul_nonQPP.csv")


@pytest.mark.parametrize(
    ("edit", "message"),
    [
        (
            lambda line: line[:100],
            "line 8, field record: record is 100 characters, expected at least 140",
        ),
        (lambda line: line[:59] + " x.xx" + line[64:], "line 8, field WORK RVU: not a number"),
        (lambda line: line[:57] + "Z" + line[58:], "line 8, field STATUS CODE: unknown status"),
        (lambda line: line[:5] + "59" + line[7:], "line 8, field MOD: unknown modifier"),
    ],
)
def test_fixed_width_bad_record_names_line_and_field(edit, message):
    lines = fee_bytes(TXT).decode("latin-1").split("\r\n")
    lines[7] = edit(lines[7])
    with pytest.raises(ParseError) as exc:
        parse_pprrvu_fixed("\r\n".join(lines).encode("latin-1"), path=TXT)
    assert str(exc.value).startswith(f"{TXT} {message}")
    assert "\n" not in str(exc.value)


def test_release_labels_from_names():
    assert release_label(2026, "July") == "RVU26C"
    assert release_label(None, name="rvu26a-updated-01-10-2026.zip") == "RVU26A"
    assert release_label(None, name="PPRRVU2026_Apr_nonQPP.csv") == "RVU26B"
    assert release_label(None, name="PPRRVU25_JAN.txt") == "RVU25A"
    assert release_label(None, name="notes.csv") == ""


def test_gpci_and_locality_files_load_on_their_own(any_empty_store: Store):
    store = any_empty_store
    load_snapshot(store)
    fee_tables.sync_fee_schedule(
        store, 2025, files=[(TXT, fee_bytes(TXT))], released=date(2025, 9, 11)
    )
    rvus = _count(store, fee_tables.rvu_rows)
    summary, release = fee_tables.sync_fee_schedule(
        store, 2025, files=[("GPCI2025.csv", fee_bytes("GPCI2025.csv"))]
    )
    assert release.pprrvu is None and summary.gpcis == 109 and summary.rvu_rows == 0
    assert _count(store, fee_tables.rvu_rows) == rvus  # RVUs left as they were
    summary, _ = fee_tables.sync_fee_schedule(
        store, 2025, files=[("25LOCCO.csv", fee_bytes("25LOCCO.csv"))]
    )
    assert summary.localities > 100
    (row,) = [g for g in fee_tables.list_gpcis(store, 2025) if g.key == "01112-54"]
    assert row.name == "BAKERSFIELD"
    [release_row] = fee_tables.synced_years(store)
    assert release_row == 2025


def test_txt_release_is_dated_by_released_option(store: Store):
    summary, _ = fee_tables.sync_fee_schedule(
        store, 2025, files=[(TXT, fee_bytes(TXT))], released=date(2025, 9, 11)
    )
    assert (summary.release, summary.available_from, summary.rvu_rows) == (
        "RVU25D",
        date(2025, 9, 11),
        216,
    )
    with pytest.raises(InputError) as exc:
        price_code(store, "70450", year=2025, modifier="26", as_of=date(2025, 9, 10))
    assert "no value public by 2025-09-10 (the store's first is RVU25D" in exc.value.message


def test_qp_and_non_qp_files_give_two_conversion_factors(any_store: Store):
    """The QP file here is the real non-QP excerpt with its CONV FACTOR set to the CY2026 QP
    factor (33.5675, program_metrics.csv): a constructed file, since no QP file was found."""
    store = any_store
    non_qp = fee_bytes(PPRRVU_2026)
    qp = non_qp.replace(b",33.4009,", b",33.5675,")
    assert qp.count(b",33.5675,") == 134
    summary, release = fee_tables.sync_fee_schedule(
        store,
        2026,
        files=[("PPRRVU2026_Jul_nonQPP.csv", non_qp), ("PPRRVU2026_Jul_QPP.csv", qp)],
    )
    assert summary.conversion_factors == {"non_qp": 33.4009, "qp": 33.5675}
    assert release.pprrvu_qp is not None
    non = price_code(store, "99490", year=2026)
    yes = price_code(store, "99490", year=2026, cf_kind="qp")
    assert (str(non.amount), str(yes.amount)) == ("66.13", "66.46")  # type: ignore[union-attr]
    # a QP file alone updates the QP factor and nothing else
    rows = _count(store, fee_tables.rvu_rows)
    summary, _ = fee_tables.sync_fee_schedule(
        store, 2026, files=[("PPRRVU2026_Jul_QPP.csv", qp.replace(b",33.5675,", b",33.6000,"))]
    )
    assert summary.conversion_factors == {"qp": 33.6} and summary.rvu_rows == 0
    assert _count(store, fee_tables.rvu_rows) == rows


def test_two_files_of_one_kind_are_refused():
    with pytest.raises(ParseError) as exc:
        parse_rvu_files(
            [("GPCI2025.csv", fee_bytes("GPCI2025.csv")), ("GPCI.csv", fee_bytes("GPCI2025.csv"))]
        )
    assert str(exc.value).startswith("GPCI.csv: two files of one kind (gpci; the other is")


def test_a_bad_file_among_several_writes_nothing(any_empty_store: Store):
    store = any_empty_store
    bad = fee_bytes("GPCI2025.csv").replace(b"1.017", b"9.999", 1)
    with pytest.raises(ParseError) as exc:
        fee_tables.sync_fee_schedule(
            store, 2025, files=[(TXT, fee_bytes(TXT)), ("GPCI2025.csv", bad)]
        )
    assert "GPCI2025.csv line" in str(exc.value) and "out of range" in str(exc.value)
    assert _count(store, fee_tables.rvu_rows) == 0 and _count(store, fee_tables.gpcis) == 0


def test_pay_prices_modifier_rows_and_says_when_medicare_does_not_pay(store: Store):
    fee_tables.sync_fee_schedule(
        store, 2025, files=[(TXT, fee_bytes(TXT))], released=date(2025, 9, 11)
    )
    amounts = {
        m: price_code(store, "70450", year=2025, modifier=m).amount  # type: ignore[union-attr]
        for m in ("", "26", "TC")
    }
    # global = professional + technical component: 3.25 = 1.20 + 2.05 RVU
    assert amounts == {"": Decimal("105.13"), "26": Decimal("38.82"), "TC": Decimal("66.31")}
    stopped = price_code(store, "45378", year=2025, modifier="53")
    assert stopped.amount == Decimal("164.00")  # type: ignore[union-attr]
    dental = price_code(store, "D7140", year=2025)
    assert isinstance(dental, NoPayment) and dental.status == "R"
    assert dental.reason == "the code has no RVUs, so there is no national Medicare amount"
    carrier = price_code(store, "0591T", year=2025)
    assert isinstance(carrier, NoPayment) and carrier.status == "C"
    assert carrier.to_dict()["paid"] is False
    plus = price_code(store, "22526", year=2025)
    assert isinstance(plus, NoPayment) and plus.status == "N"
    assert split_code("70450-26") == ("70450", "26")
    assert split_code("70450", "tc") == ("70450", "TC")
    with pytest.raises(InputError):
        split_code("70450-59")


def test_pay_a_national_amount_without_rvus(snapshot_store: Store):
    got = price_code(snapshot_store, "99458", year=2025)
    assert isinstance(got, NationalAmount)
    assert (str(got.amount), got.value.release) == ("38.49", "2024-25382")
    assert got.to_dict()["available_from"] == "2024-12-09"


def test_cli_pay_modifier_and_no_payment(cli_env):
    from typer.testing import CliRunner

    runner = CliRunner()
    path = str(cli_env.parent / TXT)
    (cli_env.parent / TXT).write_bytes(fee_bytes(TXT))
    r = runner.invoke(
        app,
        ["sync", "fee-schedule", "--year", "2025", "--from-file", path, "--released", "2025-09-11"],
    )
    assert r.exit_code == 0, r.output
    assert "  release RVU25D, public from 2025-09-11" in r.stdout.splitlines()
    r = runner.invoke(app, ["pay", "D7140", "--year", "2025"])
    assert r.exit_code == 0, r.output
    assert r.stdout.splitlines()[:2] == [
        "D7140 2025: no Medicare payment (status R)",
        "  The code has no RVUs, so there is no national Medicare amount.",
    ]
    assert "$0.00" not in r.stdout
    r = runner.invoke(app, ["pay", "70450", "--modifier", "TC", "--year", "2025"])
    assert r.stdout.splitlines()[0] == (
        "70450-TC 2025 nonfacility: $66.31 (2025, national (GPCI 1.0), single CF)"
    )
    r = runner.invoke(app, ["pay", "99458", "--year", "2025"])
    assert r.exit_code == 0, r.output
    assert r.stdout.splitlines()[0] == "99458 2025 nonfacility: $38.49 (national, no RVUs stored)"
    r = runner.invoke(app, ["pay", "99490", "--year", "0"])
    assert r.exit_code == 1 and "--year: not a fee-schedule year (0)" in r.stderr
