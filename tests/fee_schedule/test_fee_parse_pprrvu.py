"""PPRRVU parsing on real excerpts of the 2025 and 2026 CMS files, quirks included."""

from __future__ import annotations

from collections import Counter
from datetime import date

import pytest
from fs_helpers import PPRRVU_2025, PPRRVU_2026, fee_bytes

from payforce.errors import ParseError
from payforce.sources.fee_schedule import (
    STATUS_CODES,
    parse_pprrvu,
    parse_pprrvu_file,
)
from payforce.sources.rvu_release import parse_rvu_release


@pytest.fixture(scope="module")
def f2026():
    return parse_pprrvu_file(fee_bytes(PPRRVU_2026), path=PPRRVU_2026)


@pytest.fixture(scope="module")
def f2025():
    return parse_pprrvu_file(fee_bytes(PPRRVU_2025), path=PPRRVU_2025)


def test_parse_pprrvu_reads_the_preamble(f2026, f2025):
    assert (f2026.year, f2026.release, f2026.released) == (2026, "July", date(2026, 6, 30))
    assert (f2025.year, f2025.release, f2025.released) == (2025, "October", date(2025, 9, 11))


def test_parse_pprrvu_2026_has_one_column_more_than_2025(f2026, f2025):
    assert len(f2026.columns) == 32
    assert len(f2025.columns) == 31
    assert set(f2026.columns) - set(f2025.columns) == {"PRIC IND"}
    assert f2026.columns[:6] == (
        "HCPCS",
        "MOD",
        "DESCRIPTION",
        "STATUS CODE",
        "NOT USED FOR MEDICARE PAYMENT",
        "WORK RVU",
    )


def test_parse_pprrvu_finds_values_by_name_not_position(f2026, f2025):
    r26 = {(r.code, r.modifier): r for r in f2026.rows}
    r25 = {(r.code, r.modifier): r for r in f2025.rows}
    ccm = r26[("99490", "")]
    assert (ccm.work_rvu, ccm.pe_rvu_nonfacility, ccm.pe_rvu_facility, ccm.mp_rvu) == (
        1.0,
        0.91,
        0.24,
        0.07,
    )
    assert (ccm.total_nonfacility, ccm.total_facility, ccm.conversion_factor) == (
        1.98,
        1.31,
        33.4009,
    )
    assert ccm.global_days == "XXX" and ccm.pricing_indicator == "9"
    assert r25[("99454", "")].conversion_factor == 32.3465
    assert r25[("99454", "")].pricing_indicator == ""


def test_parse_pprrvu_keeps_na_indicators_next_to_numbers(f2026):
    rows = {(r.code, r.modifier): r for r in f2026.rows}
    plaque = rows[("75577", "")]
    assert plaque.facility_na and not plaque.nonfacility_na
    assert plaque.pe_rvu_facility == 29.40  # the number is still printed next to NA
    assert rows[("75577", "26")].work_rvu == 0.85
    assert rows[("75577", "TC")].work_rvu == 0.0


def test_parse_pprrvu_reads_status_codes_and_flags(f2026):
    statuses = Counter(r.status for r in f2026.rows)
    assert set(statuses) <= set(STATUS_CODES)
    assert {"A", "I", "C", "X", "B", "R", "T", "E", "N"} <= set(statuses)
    flagged = [r for r in f2026.rows if r.not_used_for_medicare]
    assert flagged and all(not r.is_paid for r in flagged)
    assert any(r.modifier == "53" for r in f2026.rows)


def test_parse_pprrvu_rows_keep_their_file_line(f2026):
    first = f2026.rows[0]
    assert (first.code, first.line) == ("0001F", 11)
    assert f2026.rows[-1].code == "V5364"
    assert len(f2026.rows) == 134 and f2026.skips == ()
    assert "GXXX1" in {r.code for r in f2026.rows}  # CMS's placeholder code is a code row


def test_parse_pprrvu_list_form_is_compatible():
    rows = parse_pprrvu(fee_bytes(PPRRVU_2026).decode("latin-1"))
    assert rows[0].code == "0001F"


def test_parse_rvu_release_sniffs_a_csv():
    release = parse_rvu_release(fee_bytes(PPRRVU_2025), source="PPRRVU2025_Oct.csv")
    assert release.pprrvu.year == 2025 and release.gpci is None


HEADER_2026 = fee_bytes(PPRRVU_2026).split(b"\r\n")[:10]


def _file(*data_rows: str) -> bytes:
    return b"\r\n".join([*HEADER_2026, *(r.encode() for r in data_rows)]) + b"\r\n"


GOOD = "99490,,Chrnc care mgmt staff 1st 20,A,,1.00,0.91,,0.24,,0.07,1.98,1.31,0,XXX,0.00,0.00,0.00,0,0,0,0,0,9,,33.4009,09,0,99,0.00,0.00,0.00"


@pytest.mark.parametrize(
    ("row", "message"),
    [
        (
            GOOD.replace(",1.00,0.91,", ",N/A,0.91,"),
            "x.csv line 11, field WORK RVU: not a number ('N/A'). "
            "Check that this is a CMS PPRRVU file of the expected release",
        ),
        (
            GOOD.replace("99490,,", "99490,XX,"),
            "x.csv line 11, field MOD: unknown modifier ('XX'). "
            "PPRRVU modifiers are empty, 26, TC or 53",
        ),
        (
            GOOD.replace(",A,,", ",Z,,"),
            "x.csv line 11, field STATUS CODE: unknown status code ('Z'). "
            "Known codes: A B C D E F G H I J M N P Q R T X",
        ),
        (
            GOOD.replace(",0.24,,", ",0.24,YES,"),
            "x.csv line 11, field FACILITY NA: unknown indicator ('YES'). "
            "Expected '+', 'NA' or empty",
        ),
        (
            GOOD[:40],
            "x.csv line 11, field row: expected 32 fields, found 6. "
            "The row is cut short; check the file is complete",
        ),
    ],
)
def test_parse_pprrvu_bad_value_names_file_line_and_field(row, message):
    with pytest.raises(ParseError) as exc:
        parse_pprrvu_file(_file(row), path="x.csv")
    assert exc.value.message == message


def test_parse_pprrvu_duplicate_code_is_an_error():
    with pytest.raises(ParseError) as exc:
        parse_pprrvu_file(_file(GOOD, GOOD), path="x.csv")
    assert exc.value.message == (
        "x.csv line 12, field HCPCS: duplicate code and modifier (first on line 11) ('99490'). "
        "A release lists each code and modifier once"
    )


def test_parse_pprrvu_without_header_is_an_error():
    with pytest.raises(ParseError) as exc:
        parse_pprrvu_file(b"a,b,c\r\n1,2,3\r\n", path="GPCI2025.csv")
    assert exc.value.message == (
        "GPCI2025.csv: no header row starting with HCPCS. Is this the PPRRVU file from the CMS RVU zip?"
    )


def test_parse_pprrvu_keeps_blank_and_note_rows_as_skips():
    data = _file(GOOD, "", ",,Note: values are preliminary,,", "TOTAL,,,,")
    parsed = parse_pprrvu_file(data, path="x.csv")
    assert [r.code for r in parsed.rows] == ["99490"]
    assert [(s.line, s.reason) for s in parsed.skips] == [
        (12, "blank line"),
        (13, "no code in the HCPCS column"),
        (14, "not a HCPCS code ('TOTAL')"),
    ]
