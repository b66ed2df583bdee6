"""The labour data API, point-in-time reads, synced vintages, occupation series and proxies."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import pytest
from typer.testing import CliRunner

from payforce.cli import app
from payforce.knowledge import load_knowledge
from payforce.store.queries import list_roles
from payforce.store.snapshot import load_snapshot
from payforce.store.workforce_tables import list_vintages
from payforce.workforce.labour import (
    oews_panel,
    oews_vintages,
    projection_vintages,
    series_catalog,
)
from payforce.workforce.pivots import pivot_paths
from payforce.workforce.releases import oews_release, projection_release
from payforce.workforce.series import CROSSWALK, series_value
from payforce.workforce.sync import sync_bls_bytes

FIXTURES = Path(__file__).parent.parent / "fixtures" / "bls"
runner = CliRunner()


def run(*args: str):
    return runner.invoke(app, list(args), env={"COLUMNS": "200"})


def fixture(name: str) -> bytes:
    path = FIXTURES / name
    if not path.exists():
        pytest.fail(f"missing fixture file {path}")
    return path.read_bytes()


# --------------------------------------------------------------------------- the API


def test_catalog_has_every_healthcare_occupation_and_the_curated_roles_inside(any_store):
    cat = series_catalog(any_store)
    assert cat["00-0000"].kind == "total" and not cat["00-0000"].healthcare
    assert set(cat["29-1141"].roles) == {
        "care_manager_rn",
        "registered_nurse",
        "rpm_nurse",
        "utilization_review_nurse",
    }
    assert cat["29-1069"].kind == "merged" and "29-1224" in cat["29-1069"].members["2018"]
    assert cat["29-1069"].members["2010"] == ("29-1069",)
    assert cat["31-1120"].members["2010"] == ("31-1011", "39-9021")
    assert cat["29-1051"].healthcare and cat["15-2051"].healthcare is False
    # every SOC 2018 detailed 29-/31- occupation of May 2024 sits in one series
    members = {c for s in cat.values() for c in s.members["2018"]}
    for code in ("29-1051", "29-1292", "29-2072", "29-9021", "31-1131", "29-1212", "29-2036"):
        assert code in members


def test_oews_panel_only_uses_vintages_public_on_the_date(any_store):
    panel = oews_panel(any_store, date(2016, 6, 1))
    assert max(panel["00-0000"]) == 2015  # May 2015 was released 2016-03-30
    assert panel["29-1171"] == {
        2012: 105_780,
        2013: 113_370,
        2014: 122_050,
        2015: 136_060,
    }
    assert oews_panel(any_store, date(2016, 3, 29))["00-0000"].keys() == {2011, 2012, 2013, 2014}
    full = oews_panel(any_store)
    assert full["00-0000"][2024] == 154_187_380 and len(full["00-0000"]) == 14


def test_series_bridge_the_soc_change_with_real_sums(store):
    panel = oews_panel(store)
    # 31-1120 = 31-1011 home health aides + 39-9021 personal care aides before 2019
    assert panel["31-1120"][2015] == 820_630 + 1_369_230
    # dental hygienists renumbered 29-2021 → 29-1292
    assert 2015 in panel["29-1292"] and 2024 in panel["29-1292"]
    # no comparable value: RNs in May 2011 (29-1111 held the APRNs), data scientists before 2021
    assert 2011 not in panel["29-1141"] and min(panel["15-2051"]) == 2021
    # medical records: the hybrid years merged them with residual codes
    assert 2019 not in panel["29-2071"] and 2020 not in panel["29-2071"]


def test_series_value_takes_the_first_code_set_printed_in_full():
    spec = CROSSWALK["29-1069"]
    assert series_value(spec, 2015, {"29-1069": 10}) == (10, ("29-1069",))
    assert series_value(spec, 2019, {"29-1228": 7, "29-1069": None}) == (7, ("29-1228",))
    assert series_value(spec, 2021, {"29-1224": 1}) == (None, ())  # a set printed in part


def test_projection_vintages_public_on_the_date_with_release_dates(any_store):
    vs = projection_vintages(any_store, date(2016, 6, 1))
    assert [v.label for v in vs] == ["2012-22", "2014-24"]
    v = vs[-1]
    assert v.available_from == date(2015, 12, 8) and v.base_year == 2014
    assert v.values["29-1141"] == (2_751_000, 3_190_300)
    assert v.values["00-0000"] == (150_539_900, 160_328_800)
    latest = projection_vintages(any_store)[-1]
    assert latest.label == "2024-34"
    # the export has no total row: it is the sum of its detailed rows
    assert latest.values["00-0000"][0] == 169_956_400


def test_release_dates_confirmed_or_ruled_and_said_so():
    assert oews_release(2015) == (
        date(2016, 3, 30),
        "released 2016-03-30 (USDL-16-0661, Occupational Employment and Wages, May 2015)",
    )
    day, basis = oews_release(2030)
    assert day == date(2031, 6, 30) and basis.startswith("release date not confirmed")
    assert projection_release(2016)[0] == date(2017, 10, 24)


# --------------------------------------------------------------------------- sync


def test_synced_vintage_replaces_the_bundled_one_and_survives_a_reload(store):
    summary = sync_bls_bytes(
        store, fixture("national_M2024_dl_tiny.xlsx"), "national_M2024_dl.xlsx"
    )
    assert summary.label == "2024" and summary.written == {"oews_employment": 16}
    held = {v["label"]: v for v in list_vintages(store, "oews")}
    assert held["2024"]["origin"] == "synced" and held["2023"]["origin"] == "bundled"
    roles = {r.key: r for r in list_roles(store)}
    assert roles["pharmacists"].employment == 328_870  # in the synced file
    assert roles["dental_hygienists"].employment is None  # not in it: nothing bundled is kept
    load_snapshot(store)  # a reload never overwrites what the user synced
    held = {v["label"]: v for v in list_vintages(store, "oews")}
    assert held["2024"]["origin"] == "synced" and held["2024"]["rows"] == 16


def test_synced_projection_export_gets_a_derived_total(empty_store):
    sync_bls_bytes(empty_store, fixture("ep_export_2016-26_excerpt.csv"), "EP.csv")
    (v,) = projection_vintages(empty_store)
    assert v.label == "2016-26" and v.available_from == date(2017, 10, 24)
    from payforce.sources.bls_projections import parse_projections

    rows = parse_projections(fixture("ep_export_2016-26_excerpt.csv"), "EP.csv").rows
    assert v.values["00-0000"] == (
        sum(r.employment_base or 0 for r in rows),
        sum(r.employment_target or 0 for r in rows),
    )


def test_cli_year_mismatch_refused_and_nothing_written(cli_env):
    assert run("init").exit_code == 0
    path = FIXTURES / "national_M2024_dl_tiny.xlsx"
    r = run("sync", "bls", "--year", "2019", "--from-file", str(path))
    assert r.exit_code == 1
    assert r.stderr.strip().splitlines()[-1] == (
        "Error: national_M2024_dl_tiny.xlsx: the file is OEWS May 2024, not --year 2019. "
        "Use --year 2024, or leave --year out"
    )
    data = json.loads(run("role", "registered nurse", "--json").stdout)
    assert data["role"]["employment"] == 3_282_010  # the bundled May 2024 figure, untouched


def test_cli_role_reads_what_the_user_synced(cli_env, tmp_path):
    assert run("init").exit_code == 0
    # a May 2024 file whose RN row says something else: what is synced is what is read
    lines = fixture("national_M2016_dl_excerpt.csv").splitlines(keepends=True)
    (tmp_path / "national_M2024_dl.csv").write_bytes(b"".join(lines))
    assert run("sync", "bls", "--from-file", str(tmp_path / "national_M2024_dl.csv")).exit_code == 0
    data = json.loads(run("role", "registered nurse", "--json").stdout)
    assert data["role"]["employment"] == 2_857_180
    assert data["labour"]["oews_vintage"] == "2024-05"


# --------------------------------------------------------------------------- views at a date


def test_role_at_a_past_date_uses_the_vintages_public_then(cli_env):
    data = json.loads(run("role", "nurse practitioner", "--as-of", "2016-06-01", "--json").stdout)
    role, labour = data["role"], data["labour"]
    assert (role["employment"], role["median_wage"]) == (136_060, 98190.0)  # May 2015
    assert labour["oews_vintage"] == "2015-05" and labour["oews_available_from"] == "2016-03-30"
    assert role["projection_period"] == "2014-2024" and role["projection_pct"] == 35.2
    assert labour["projection_available_from"] == "2015-12-08"
    assert labour["own_figures"] is True


def test_role_pharmacist_is_a_generated_role(cli_env):
    r = run("role", "pharmacist", "--as-of", "2026-06-30", "--json")
    assert r.exit_code == 0, r.output
    data = json.loads(r.stdout)
    assert data["role"]["key"] == "pharmacists" and data["role"]["soc"] == "29-1051"
    assert data["role"]["employment"] == 328_870 and data["labour"]["own_figures"] is True


def test_curated_aliases_still_win_free_text(store):
    from payforce.workforce.resolve import resolve_in_store

    knowledge = load_knowledge()
    assert resolve_in_store(store, "UR nurse", knowledge).key == "utilization_review_nurse"
    assert resolve_in_store(store, "registered nurse", knowledge).key == "registered_nurse"
    assert resolve_in_store(store, "coder", knowledge).key == "medical_coder"


# --------------------------------------------------------------------------- proxies


def test_proxies_are_said_in_outlook_and_role(cli_env):
    data = json.loads(run("outlook", "--as-of", "2026-06-30", "--json").stdout)
    labour = {o["role"]: o["labour"] for o in data["outlooks"]}
    assert labour["utilization_review_nurse"]["own_figures"] is False
    assert labour["utilization_review_nurse"]["measure"] == "part"
    assert labour["health_data_analyst"]["measure"] == "proxy"
    assert "data scientists" in labour["health_data_analyst"]["proxy_note"]
    assert labour["nurse_practitioner"]["own_figures"] is True
    text = run("role", "health data analyst", "--as-of", "2026-06-30").stdout
    assert "≈ Proxy: these are not the role's own statistics." in " ".join(text.split())


def test_radiologist_before_2021_is_measured_by_its_soc_2010_group(store):
    role = next(r for r in list_roles(store, date(2016, 6, 1)) if r.key == "radiologist")
    assert role.employment == 322_740 and role.series == "29-1069"
    assert role.measured_as == "Physicians and Surgeons, All Other (29-1069)"
    assert "does not print 29-1224" in role.proxy_note


def test_a_proxy_wage_gap_does_not_drive_the_pivot_ranking(store):
    knowledge = load_knowledge()
    paths = pivot_paths(store, "medical_coder", date(2015, 6, 1), knowledge)
    for p in paths:
        assert not p.wage_scored  # medical coders are measured with a merged group
        assert p.parts["wage"] == 0.0
    own = pivot_paths(store, "licensed_practical_nurse", date(2026, 6, 30), knowledge)
    scored = [p for p in own if p.wage_scored]
    unscored = [p for p in own if not p.wage_scored and p.wage_change_pct is not None]
    assert all(p.parts["wage"] != 0.0 for p in scored if p.wage_change_pct)
    assert all(p.parts["wage"] == 0.0 and p.wage_note for p in unscored)


def test_oews_vintages_carry_release_dates(store):
    vs = oews_vintages(store)
    assert [v.year for v in vs] == list(range(2011, 2025))
    assert {v.year: v.available_from for v in vs}[2012] == date(2013, 3, 29)
