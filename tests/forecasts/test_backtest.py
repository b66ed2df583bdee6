"""Backtest: arithmetic checked by hand on two roles, the SOC crosswalk, the bundled history."""

from __future__ import annotations

import csv
import importlib.util
from datetime import date
from pathlib import Path

import pytest

from payforce.errors import InputError
from payforce.forecasts.backtest import (
    CROSSWALK,
    load_history,
    run_backtest,
    series_employment,
)
from payforce.models import Outlook, Role

ROOT = Path(__file__).parent.parent.parent
BLS = ROOT / "tests" / "fixtures" / "bls"
AS_OF = "2015-12-31"


def outlook(role: str, direction: str, score: float) -> Outlook:
    return Outlook(
        role=role,
        title=role,
        as_of=date(2015, 12, 31),
        direction=direction,
        score=score,
        growth=max(score, 0),
        pressure=max(-score, 0),
        pivot=0.0,
        confidence=0.5,
    )


ROLES = [
    Role(key="nurse_practitioner", title="Nurse practitioner", soc="29-1171"),
    Role(key="licensed_practical_nurse", title="LPN", soc="29-2061"),
    Role(key="medical_coder", title="Medical coder", soc="29-2072"),
    Role(key="data_scientist", title="Data scientist", soc="15-2051"),
]


def test_backtest_arithmetic_by_hand_on_two_roles():
    result = run_backtest(
        ROLES,
        [
            outlook("nurse_practitioner", "growth", 0.56),
            outlook("licensed_practical_nurse", "growth", 0.49),
            outlook("medical_coder", "pressure", -0.3),
        ],
        load_history(),
        AS_OF,
        2024,
    )
    # All occupations, OEWS May 2015 -> May 2024 (national_M2015_dl.xlsx, national_M2024_dl.xlsx)
    assert (result.base_year, result.total_base, result.total_end) == (
        2015,
        137_896_660,
        154_187_380,
    )
    # 154,187,380 / 137,896,660 - 1 = 0.118137 -> +11.81 %
    assert result.total_change_pct == pytest.approx(11.8137, abs=1e-3)
    rows = {r.role: r for r in result.rows}
    np_ = rows["nurse_practitioner"]
    # 29-1171: 136,060 -> 307,390; 307,390 / 136,060 - 1 = 1.259224 -> +125.92 %
    assert (np_.base_employment, np_.end_employment) == (136_060, 307_390)
    assert np_.change_pct == pytest.approx(125.9224, abs=1e-3)
    # 125.9224 - 11.8137 = 114.1087 pp: outpaced all occupations, so the growth call hits
    assert np_.relative_pp == pytest.approx(114.1087, abs=1e-3)
    assert (np_.realised, np_.hit) == ("outpaced", True)
    lpn = rows["licensed_practical_nurse"]
    # 29-2061: 697,250 -> 632,430; 632,430 / 697,250 - 1 = -0.092965 -> -9.30 %
    assert (lpn.base_employment, lpn.end_employment) == (697_250, 632_430)
    assert lpn.change_pct == pytest.approx(-9.2965, abs=1e-3)
    # -9.2965 - 11.8137 = -21.1102 pp: lagged, so the growth call misses
    assert lpn.relative_pp == pytest.approx(-21.1102, abs=1e-3)
    assert (lpn.realised, lpn.hit) == ("lagged", False)
    coder = rows["medical_coder"]
    # SOC 2010 29-2071 (189,930) vs SOC 2018 29-2072 + 29-9021 (187,910 + 37,620 = 225,530)
    assert (coder.base_employment, coder.end_employment) == (189_930, 225_530)
    assert coder.hit is False  # a pressure call on a group that grew 18.7 % (> 11.8 %)
    ds = rows["data_scientist"]
    assert ds.hit is None and ds.realised == "n/a" and "not comparable" in ds.note
    assert (result.hits, len(result.scored)) == (1, 3)
    assert result.hit_rate == pytest.approx(1 / 3)
    assert result.base_rate == pytest.approx(2 / 3)  # NPs and the coder group outpaced
    # growth calls: +114.1087 and -21.1102 -> mean +46.4993, median of two = the mean
    assert result.by_direction()["growth"] == {"n": 2, "mean_pp": 46.5, "median_pp": 46.5}
    assert result.by_direction()["pressure"]["n"] == 1
    assert "national_M2015_dl.xlsx" in result.sources and "national_M2024_dl.xlsx" in result.sources


def test_pivot_and_none_calls_are_listed_not_scored():
    result = run_backtest(
        ROLES[:2], [outlook("nurse_practitioner", "pivot", 0.1)], load_history(), AS_OF, 2024
    )
    assert [(r.role, r.direction, r.hit) for r in result.rows] == [
        ("nurse_practitioner", "pivot", None),
        ("licensed_practical_nurse", "none", None),
    ]
    assert result.hit_rate is None


def test_crosswalk_series_across_soc_versions():
    history = load_history()
    physicians = CROSSWALK["29-1210"]
    assert series_employment(history, physicians, 2015)[0] == 642_720  # 29-1060
    assert series_employment(history, physicians, 2024)[0] == 727_050 + 51_400  # 29-1210 + 29-1240
    rn = CROSSWALK["29-1141"]
    assert series_employment(history, rn, 2020) == (2_986_500, ("national_M2020_dl.xlsx",))
    # 2011 is a SOC 2000/2010 hybrid: RNs were 29-1111 and no series is claimed
    assert series_employment(history, rn, 2011) == (None, ())
    assert series_employment(history, CROSSWALK["29-2072"], 2013)[0] == 180_760


def test_until_must_follow_the_base_year():
    with pytest.raises(InputError) as exc:
        run_backtest(ROLES, [], load_history(), AS_OF, 2015)
    assert exc.value.message == (
        "--until: must be after the base year 2015 (2015). e.g. --as-of 2015-12-31 --until 2024"
    )


def test_as_of_before_the_history_message():
    with pytest.raises(InputError) as exc:
        run_backtest(ROLES, [], load_history(), "2009-06-30", 2024)
    assert exc.value.message == (
        "--as-of: no OEWS history on or before 2009. "
        "The bundled history covers May 2011-2015 and 2020-2024"
    )


def test_missing_until_year_message():
    with pytest.raises(InputError) as exc:
        run_backtest(ROLES, [], load_history(), AS_OF, 2018)
    assert exc.value.message == (
        "--until: no OEWS history for 2018 (2018). "
        "The bundled history covers May 2011-2015 and 2020-2024"
    )


def test_bundled_history_is_rebuilt_exactly_by_the_script(tmp_path):
    spec = importlib.util.spec_from_file_location(
        "build_oews_history", ROOT / "scripts" / "build_oews_history.py"
    )
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    out = tmp_path / "history.csv"
    assert module.main(["--samples", str(BLS), "--out", str(out)]) == 0
    rebuilt = list(csv.DictReader(out.read_text(encoding="utf-8").splitlines()))
    bundled_text = (ROOT / "src" / "payforce" / "data" / "oews_history.csv").read_text("utf-8")
    bundled = [
        r
        for r in csv.DictReader(bundled_text.splitlines())
        if r["year"] in {"2011", "2015", "2020"}
    ]
    assert rebuilt == bundled and len(rebuilt) == 15 + 22 + 19
    assert {r["source_file"] for r in rebuilt} == {
        "national_M2011_dl.xls",
        "national_M2015_dl.xlsx",
        "national_M2020_dl.xlsx",
    }
