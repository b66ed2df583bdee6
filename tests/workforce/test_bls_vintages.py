"""Every OEWS layout 2011-2024 and every Employment Projections format, on real excerpts.

Fixtures and their provenance: tests/fixtures/bls/PROVENANCE.md. Figures asserted here are the
ones printed in the BLS files (checked against the originals when the excerpts were cut).
"""

from __future__ import annotations

from pathlib import Path

import pytest

from payforce.errors import InputError, ParseError
from payforce.sources.bls import OEWSFile, ProjectionFile, parse_bls_file, parse_oews
from payforce.sources.bls_projections import parse_projections

FIXTURES = Path(__file__).parent.parent / "fixtures" / "bls"


def data(name: str) -> bytes:
    path = FIXTURES / name
    if not path.exists():
        pytest.fail(f"missing fixture file {path}")
    return path.read_bytes()


def oews(name: str, as_name: str | None = None, year: int | None = None) -> OEWSFile:
    parsed = parse_bls_file(data(name), as_name or name, year)
    assert isinstance(parsed, OEWSFile)
    return parsed


def projections(name: str) -> ProjectionFile:
    parsed = parse_bls_file(data(name), name)
    assert isinstance(parsed, ProjectionFile)
    return parsed


def by_soc(rows):
    return {r.soc: r for r in rows}


# --------------------------------------------------------------------------- OEWS


def test_oews_2016_excel_csv_with_bom_thousands_and_markers():
    f = oews("national_M2016_dl_excerpt.csv")
    rows = by_soc(f.rows)
    assert f.year == 2016 and len(f.rows) == 11 and f.skipped == ()
    assert rows["00-0000"].employment == 140_400_040
    rn = rows["29-1141"]
    assert (rn.employment, rn.median_wage, rn.mean_wage) == (2_857_180, 68450.0, 72180.0)
    assert rows["29-1062"].median_wage == 190490.0  # the median is printed; the 75th % is '#'
    actors = rows["27-2011"]  # hourly-only: annual wages print '*'
    assert actors.median_wage is None and actors.wage_note == "*"


def test_oews_2018_excel_csv_same_layout():
    f = oews("national_M2018_dl_excerpt.csv")
    rows = by_soc(f.rows)
    assert f.year == 2018
    assert (rows["29-1141"].employment, rows["29-1141"].median_wage) == (2_951_960, 71730.0)
    assert rows["29-1069"].employment == 389_180


def test_oews_2019_workbook_with_user_sheet_and_lower_case_headers():
    f = oews("national_M2019_dl_tiny.xlsx", "national_M2019_dl.xlsx")
    rows = by_soc(f.rows)
    assert f.year == 2019
    assert (rows["29-1141"].employment, rows["29-1141"].median_wage) == (2_982_280, 73300.0)
    # hybrid SOC 2010/2018 codes of May 2019
    assert "29-1228" in rows and "29-2098" in rows and "29-1069" not in rows
    assert [s.reason for s in f.skipped] == ["code repeated at another hierarchy level"]


def test_oews_2024_32_columns_and_the_year_in_the_sheet_name():
    # renamed file: the year comes from the sheet name national_M2024_dl
    f = oews("national_M2024_dl_tiny.xlsx", "download.xlsx")
    rows = by_soc(f.rows)
    assert f.year == 2024
    assert rows["00-0000"].employment == 154_187_380
    assert (rows["29-1141"].employment, rows["29-1141"].median_wage) == (3_282_010, 93600.0)
    assert rows["29-1224"].median_wage is None and rows["29-1224"].wage_note == "#"


def test_year_that_disagrees_with_the_file_is_refused():
    with pytest.raises(InputError) as exc:
        oews("national_M2024_dl_tiny.xlsx", "download.xlsx", year=2019)
    assert exc.value.message == (
        "download.xlsx: the file is OEWS May 2024, not --year 2019. "
        "Use --year 2024, or leave --year out"
    )
    with pytest.raises(InputError) as exc:
        parse_oews(data("national_M2016_dl_excerpt.csv"), "national_M2016_dl.csv", 2023)
    assert exc.value.message.startswith(
        "national_M2016_dl.csv: the file is OEWS May 2016, not --year 2023."
    )
    with pytest.raises(InputError):
        parse_bls_file(data("ep_export_2016-26_excerpt.csv"), "Employment Projections.csv", 2024)


def test_year_given_for_a_file_that_does_not_say_is_used():
    f = oews("national_M2016_dl_excerpt.csv", "oews.csv", year=2016)
    assert f.year == 2016


def test_negative_employment_is_one_line_naming_file_line_and_field():
    with pytest.raises(ParseError) as exc:
        oews("broken_national_M2016_dl_negative.csv")
    assert str(exc.value).startswith(
        "broken_national_M2016_dl_negative.csv line 2, field TOT_EMP: must be 0 or more ('-5')"
    )
    assert "\n" not in str(exc.value)


def test_binary_junk_is_one_line_not_a_traceback():
    with pytest.raises(ParseError) as exc:
        parse_bls_file(b"\x00\x01\x02garbage" * 100, "junk.csv")
    assert str(exc.value).startswith("junk.csv: a binary file, not a BLS workbook or CSV")


# --------------------------------------------------------------------------- projections


def test_ep_official_workbook_2014_24_four_row_header():
    f = projections("ep_occupation_2014-24_tiny.xlsx")
    rows = by_soc(f.rows)
    assert f.period == "2014-2024"
    assert (rows["00-0000"].employment_base, rows["00-0000"].employment_target) == (
        150_539_900,
        160_328_800,
    )
    rn = rows["29-1141"]
    assert (rn.employment_base, rn.employment_target, rn.change_pct) == (
        2_751_000,
        3_190_300,
        16.0,
    )
    assert rn.occupation_type == "Line item"
    assert rn.annual_openings is None  # 2014-24 prints 10-year openings: not an annual figure
    assert f.skipped[-1].reason == "not an occupation row"  # the source footnote


def test_ep_official_workbook_2019_29_one_row_header_soc_2018():
    f = projections("ep_occupation_2019-29_tiny.xlsx")
    rows = by_soc(f.rows)
    assert f.period == "2019-2029"
    rn = rows["29-1141"]
    assert (rn.employment_base, rn.employment_target, rn.annual_openings) == (
        3_096_700,
        3_318_700,
        175_900,
    )
    assert "31-1120" in rows  # SOC 2018 code


def test_ep_export_2012_22_plain_year_headers_and_tabbed_titles():
    f = projections("ep_export_2012-22_excerpt.csv")
    rn = by_soc(f.rows)["29-1141"]
    assert f.period == "2012-2022"
    assert rn.title == "Registered nurses"  # OOH example titles cut off
    assert (rn.employment_base, rn.employment_target, rn.change_pct) == (2_711_500, 3_238_400, 19.4)
    assert rn.annual_openings is None  # the 2012-22 export prints 10-year openings


def test_ep_export_2016_26_excel_text_codes():
    f = projections("ep_export_2016-26_excerpt.csv")
    rows = by_soc(f.rows)
    assert f.period == "2016-2026" and "29-1141" in rows  # ="29-1141" unwrapped
    rn = rows["29-1141"]
    assert (rn.employment_base, rn.employment_target, rn.annual_openings) == (
        2_955_200,
        3_393_200,
        203_700,
    )


def test_ep_export_2024_34_excel_resave_with_decimals_and_na_wage():
    f = projections("ep_export_2024-34_excerpt.csv")
    rows = by_soc(f.rows)
    assert f.period == "2024-2034"
    rn = rows["29-1141"]
    assert (rn.employment_base, rn.employment_target, rn.change_pct) == (3_391_000, 3_557_100, 4.9)
    assert rows["27-2011"].median_wage is None  # actors: 'N/A'


def test_ep_bad_number_is_one_line_naming_file_line_and_field():
    with pytest.raises(ParseError) as exc:
        parse_projections(
            data("broken_ep_export_2016-26_bad_number.csv"), "Employment Projections.csv"
        )
    assert str(exc.value).startswith(
        "Employment Projections.csv line 2, field Employment 2016 (thousands): not a number "
        "('2,9x5.2')"
    )
