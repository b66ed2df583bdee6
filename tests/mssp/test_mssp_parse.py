"""MSSP results PUFs: every layout read by header name, quirks kept, bad rows named."""

from __future__ import annotations

import csv
import io
from datetime import date
from pathlib import Path

import pytest

from payforce.errors import InputError, ParseError
from payforce.sources.mssp import LAYOUTS, NOT_SCORED, parse_file, parse_text, year_from_name

FIXTURES = Path(__file__).parent.parent / "fixtures" / "mssp"
FILES = {
    2014: "2014.csv",
    2015: "2015.csv",
    2016: "2016.csv",
    2017: "2017.csv",
    2018: "2018_Shared_Savings_Program__SSP__Accountable_Care_Organizations__ACO__PUF.csv",
    2020: "Performance_Year_Financial_and_Quality_Results_2020.csv",
    2021: "Performance_Year_Financial_and_Quality_Results_2021.csv",
    2022: "Performance_Year_Financial_and_Quality_Results_2022.csv",
    2023: "PY 2023 ACO Results PUF.csv",
    2024: "PY 2024 ACO Results PUF.csv",
}
LAYOUT_OF = {
    2014: "ssp_puf_2014",
    2015: "ssp_puf_2015",
    2016: "ssp_puf_2016_2017",
    2017: "ssp_puf_2016_2017",
    2018: "ssp_puf_2018",
    2020: "pyfqr_2020",
    2021: "pyfqr_2021",
    2022: "pyfqr_2022_2023",
    2023: "pyfqr_2022_2023",
    2024: "aco_results_2024",
}


def _independent_sums(path: Path) -> dict[str, float]:
    """The same sums, computed straight from the CSV with the csv module."""
    text = path.read_bytes().decode("utf-8-sig")
    rows = list(csv.DictReader(io.StringIO(text, newline="")))

    def num(text: str) -> float:  # the 2021 file prints "61,910,047"
        return float(text.replace(",", "").replace("$", ""))

    earn = [num(r["EarnSaveLoss"]) for r in rows]
    return {
        "n": len(rows),
        "nab": sum(int(num(r["N_AB"])) for r in rows),
        "gen": sum(num(r["GenSaveLoss"]) for r in rows),
        "earned": sum(e for e in earn if e > 0),
        "owed": -sum(e for e in earn if e < 0),
        "scored": sum(1 for r in rows if r["QualScore"].strip() not in NOT_SCORED),
    }


@pytest.mark.parametrize("year", sorted(FILES))
def test_parse_every_layout_matches_an_independent_sum(year: int) -> None:
    path = FIXTURES / FILES[year]
    got = parse_file(path)
    want = _independent_sums(path)
    assert got.performance_year == year
    assert got.layout == LAYOUT_OF[year]
    assert got.aco_count == want["n"]
    assert got.assigned_beneficiaries == want["nab"]
    assert got.generated_savings_losses == pytest.approx(want["gen"])
    assert got.earned_shared_savings == pytest.approx(want["earned"])
    assert got.owed_shared_losses == pytest.approx(want["owed"])
    assert got.quality_scored_acos == want["scored"]
    assert got.release.available_from.year == year + 1


def test_parse_2014_fraction_scores_become_percent_and_p4r_is_not_scored() -> None:
    got = parse_file(FIXTURES / FILES[2014])
    # two of the seven kept ACOs were first-year "P4R" (paid for reporting)
    assert got.quality_scored_acos == 5
    assert got.mean_quality_score == pytest.approx(89.6)


def test_parse_percent_text_scores_of_2022_and_2023() -> None:
    got = parse_file(FIXTURES / FILES[2023])
    assert got.mean_quality_score is not None and 50 < got.mean_quality_score <= 100


def test_parse_bom_and_crlf_files() -> None:
    assert (FIXTURES / FILES[2021]).read_bytes().startswith(b"\xef\xbb\xbf")
    assert b"\r\n" in (FIXTURES / FILES[2024]).read_bytes()
    assert parse_file(FIXTURES / FILES[2021]).layout == "pyfqr_2021"
    assert parse_file(FIXTURES / FILES[2024]).aco_count == 7


def test_parse_year_from_name_and_release_dates() -> None:
    assert year_from_name("PY 2023 ACO Results PUF.csv") == 2023
    assert year_from_name("Performance_Year_Financial_and_Quality_Results_2020.csv") == 2020
    assert year_from_name("results.csv") is None
    got = parse_file(FIXTURES / FILES[2023])
    assert got.release.available_from == date(2024, 10, 29)
    assert got.release.confidence == "high"
    assert parse_file(FIXTURES / FILES[2018]).release.confidence == "low"


def test_every_metric_carries_available_from() -> None:
    got = parse_file(FIXTURES / FILES[2020]).to_dict()
    assert got["metrics"] and all(m["available_from"] == "2021-08-24" for m in got["metrics"])
    names = {m["metric"] for m in got["metrics"]}
    assert {"mssp_aco_count", "mssp_assigned_beneficiaries", "mssp_mean_quality_score"} <= names


def test_unknown_layout_names_file_and_missing_columns(tmp_path: Path) -> None:
    text = (FIXTURES / FILES[2020]).read_text(encoding="utf-8")
    header, rest = text.split("\n", 1)
    bad = tmp_path / "Performance_Year_Financial_and_Quality_Results_2020.csv"
    bad.write_text(
        header.replace("QualScore", "Quality_Score").replace("RecvdMean", "Recvd") + "\n" + rest
    )
    with pytest.raises(ParseError) as exc:
        parse_file(bad)
    msg = exc.value.message
    assert str(bad) in msg and "line 1" in msg
    assert "missing columns" in msg and "QualScore" in msg and "RecvdMean" in msg
    assert "(closest known layout: pyfqr_2020)" in msg
    assert "\n" not in msg
    tiny = tmp_path / "PY 2023 ACO Results PUF.csv"
    tiny.write_text("ACO_ID,N_AB\r\nA1001,5000\r\n")
    with pytest.raises(ParseError, match=r"closest known layout: pyfqr_2022_2023"):
        parse_file(tiny)  # ties broken by the year in the file name


def _replace_cell(src: Path, dst: Path, line: int, column: str, value: str) -> None:
    raw = src.read_bytes()
    bom = raw.startswith(b"\xef\xbb\xbf")
    lines = raw.decode("utf-8-sig").splitlines(keepends=True)
    header = next(csv.reader([lines[0]]))
    cells = next(csv.reader([lines[line - 1]]))
    cells[header.index(column)] = value
    buf = io.StringIO()
    csv.writer(buf, lineterminator=lines[line - 1][len(lines[line - 1].rstrip("\r\n")) :]).writerow(
        cells
    )
    lines[line - 1] = buf.getvalue()
    dst.write_bytes((b"\xef\xbb\xbf" if bom else b"") + "".join(lines).encode("utf-8"))


@pytest.mark.parametrize(
    ("column", "value", "words"),
    [
        ("N_AB", "12a", "not a number"),
        ("N_AB", "-3", "not a whole number"),
        ("EarnSaveLoss", "lots", "not a number"),
        ("QualScore", "great", "not a number"),
        ("GenSaveLoss", "nan", "not a finite number"),
    ],
)
def test_bad_cell_names_file_line_and_field(
    tmp_path: Path, column: str, value: str, words: str
) -> None:
    dst = tmp_path / FILES[2024]
    _replace_cell(FIXTURES / FILES[2024], dst, 4, column, value)
    with pytest.raises(ParseError) as exc:
        parse_file(dst)
    msg = exc.value.message
    assert msg.startswith(f"{dst} line 4, field {column}: {words}")


def test_short_row_and_duplicate_aco_are_refused(tmp_path: Path) -> None:
    src = (FIXTURES / FILES[2018]).read_bytes().split(b"\n")
    cut = tmp_path / FILES[2018]
    cut.write_bytes(b"\n".join([*src[:3], src[3][:200], *src[4:]]))
    with pytest.raises(ParseError, match=r"line 4, field row: expected 172 fields"):
        parse_file(cut)
    dup = tmp_path / "dup" / FILES[2018]
    dup.parent.mkdir()
    dup.write_bytes(b"\n".join([*src[:3], src[2], *src[3:]]))
    with pytest.raises(ParseError, match=r"line 4, field ACO_ID: ACO listed twice"):
        parse_file(dup)


def test_year_column_must_agree_with_year_option(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="holds performance year 2015, not 2016"):
        parse_file(FIXTURES / FILES[2015], year=2016)
    nameless = tmp_path / "results.csv"
    nameless.write_bytes((FIXTURES / FILES[2020]).read_bytes())
    with pytest.raises(InputError, match="cannot tell the performance year"):
        parse_file(nameless)
    assert parse_file(nameless, year=2020).performance_year == 2020


def test_not_a_csv_is_one_line(tmp_path: Path) -> None:
    junk = tmp_path / "2020.csv"
    junk.write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00garbage")
    with pytest.raises(ParseError) as exc:
        parse_text(junk.read_bytes(), str(junk))
    assert str(junk) in exc.value.message and "\n" not in exc.value.message


def test_layouts_are_told_apart() -> None:
    names = [lay.name for lay in LAYOUTS]
    assert len(names) == len(set(names))
    for year, name in FILES.items():
        header = (FIXTURES / name).read_bytes().decode("utf-8-sig").splitlines()[0].split(",")
        matching = [lay.name for lay in LAYOUTS if all(c in set(header) for c in lay.required)]
        assert matching[0] == LAYOUT_OF[year]
