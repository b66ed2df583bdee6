"""The fee-schedule commands, in process: sync, pay, ledger, economics, demand."""

from __future__ import annotations

import json

import pytest
from fs_helpers import PPRRVU_2026, asset, rvu25_zip
from typer.testing import CliRunner

from payforce.cli import app

runner = CliRunner()


def run(*args: str):
    return runner.invoke(app, list(args), env={"COLUMNS": "200"})  # wide: lines pinned whole


@pytest.fixture
def home(cli_env, tmp_path):
    zip_path = tmp_path / "rvu25d.zip"
    zip_path.write_bytes(rvu25_zip())
    r = run("sync", "fee-schedule", "--year", "2025", "--from-file", str(zip_path))
    assert r.exit_code == 0, r.output
    return tmp_path


def test_cli_sync_fee_schedule_prints_what_it_stored(home):
    r = run(
        "sync",
        "fee-schedule",
        "--year",
        "2026",
        "--from-file",
        str(asset("fee_schedule", PPRRVU_2026)),
    )
    assert r.exit_code == 0, r.output
    assert r.stdout.splitlines() == [
        f"fee schedule 2026 (final) from {PPRRVU_2026}",
        "  release RVU26C, public from 2026-06-30",
        f"  PPRRVU rows: 134 ({PPRRVU_2026})",
        "  GPCI localities: 0; county rows: 0",
        "  conversion factor non_qp: $33.4009",
        "  tracked codes updated: 80",
    ]


def test_cli_sync_wrong_year_is_one_line_on_stderr(home):
    r = run("sync", "fee-schedule", "--year", "2024", "--from-file", str(home / "rvu25d.zip"))
    assert r.exit_code == 1
    assert r.stderr == (
        "Error: PPRRVU2025_Oct.csv: release year does not match --year 2024 (2025). "
        "Use --year 2025\n"
    )


def test_cli_sync_missing_file(cli_env, tmp_path):
    r = run("sync", "fee-schedule", "--year", "2025", "--from-file", str(tmp_path / "nope.zip"))
    assert r.exit_code == 1
    assert r.stderr.endswith(
        f"Error: --from-file {tmp_path / 'nope.zip'}: cannot read (No such file or directory). "
        "Check the path\n"
    )


def test_cli_pay_prints_every_part(home):
    r = run("pay", "99490", "--year", "2026")
    assert r.exit_code == 0, r.output
    assert r.stdout.splitlines() == [
        "99490 2026 nonfacility: $66.13 (2026, national (GPCI 1.0), non-QP)",
        "  work    1.00 RVU × GPCI 1.0    = 1.0000",
        "  PE      0.91 RVU × GPCI 1.0    = 0.9100",
        "  MP      0.07 RVU × GPCI 1.0    = 0.0700",
        "  total 1.9800 RVU × CF $33.4009 (non-QP) = $66.13",
        "  RVUs: CMS RVU26C PPRRVU2026_Jul_nonQPP.csv line 13093",
        "  release: RVU26C, public 2026-06-30",
        "  CF:   https://www.federalregister.gov/d/2025-19787",
    ]


def test_cli_pay_locality_json(home):
    r = run("pay", "99454", "--year", "2025", "--locality", "CA-54", "--json")
    assert r.exit_code == 0, r.output
    data = json.loads(r.stdout)
    assert data["ok"] is True
    p = data["payment"]
    assert (p["amount"], p["locality"], p["cf_kind"]) == ("46.88", "01112-54", "single")
    assert p["gpci"] == {"work": 1.017, "pe": 1.093, "mp": 0.662}
    assert p["gpci_source"] == "GPCI2025.csv line 8"


def test_cli_pay_bad_setting(home):
    r = run("pay", "99490", "--setting", "hospital")
    assert r.exit_code == 1
    assert r.stderr == (
        "Error: --setting: must be facility or nonfacility ('hospital'). "
        "Use --setting nonfacility (office) or --setting facility\n"
    )


def test_cli_ledger_family(home):
    r = run("ledger", "--family", "rpm", "--year", "2026", "--as-of", "2026-06-30")
    assert r.exit_code == 0, r.output
    lines = r.stdout.splitlines()
    # + two 'revised' rows: the final rule's $47.43 (1.42 RVU) for 99445 and 99454 became
    # $52.11 in RVU26C (2026-06-30)
    assert lines[0] == "Code ledger as of 2026-06-30 (6 changes)"
    assert any("new               99445" in ln for ln in lines)
    assert any("revised           99454" in ln for ln in lines)
    assert lines[-1] == (
        "  2026  rpm                  new 99445; deleted —; revalued 2 (mean +15.6%); "
        "thresholds 99445"
    )


def test_cli_ledger_unknown_family(home):
    r = run("ledger", "--family", "rpx")
    assert r.exit_code == 1
    assert r.stderr.startswith("Error: unknown family 'rpx'. Closest matches: rpm")


def test_cli_economics_compare_year_and_chart(home, tmp_path):
    r = run("economics", "rpm", "--compare-year", "2025", "--chart", str(tmp_path / "rpm.svg"))
    assert r.exit_code == 0, r.output
    out = r.stdout
    assert "Remote physiologic monitoring — 2026, national (GPCI 1.0), non-QP, nonfacility" in out
    assert (
        "Remote physiologic monitoring — 2025, national (GPCI 1.0), single CF, nonfacility" in out
    )
    assert "99445      17.5 units/month × not payable" in out
    assert "Change 2025 → 2026: revenue per patient-month $" in out
    assert "new codes: 99445, 99470" in out
    assert "Billing-rule conflicts: none" in out
    assert (tmp_path / "rpm-break-even.svg").read_bytes().startswith(b"<?xml")
    assert (tmp_path / "rpm-revenue-cost.svg").exists()


def test_cli_economics_json_and_claims(home, tmp_path):
    claims = tmp_path / "claims.csv"
    claims.write_text("patient,period,code,practitioner\np1,2026-03,99470,a\np1,2026-03,99457,a\n")
    r = run("economics", "rpm", "--claims", str(claims), "--json")
    assert r.exit_code == 0, r.output
    data = json.loads(r.stdout)
    assert data["result"]["label"] == "2026, national (GPCI 1.0), non-QP"
    assert data["result"]["break_even"] is not None
    assert [c["rule"] for c in data["claims_conflicts"]] == ["rpm_management_tiers"]
    assert {s["variable"] for s in data["result"]["sensitivity"]} >= {"wages", "CF type"}
    chart = data["charts"]["break_even"]
    assert (
        chart["subtitle"] == "Margin, USD per month; 2026, national (GPCI 1.0), non-QP; nonfacility"
    )
    assert chart["series"][0]["name"] == "margin 2026" and chart["zero_line"] is True


def test_cli_economics_bad_chart_name(home, tmp_path):
    r = run("economics", "cocm", "--chart", str(tmp_path / "c.gif"))
    assert r.exit_code == 1
    assert r.stderr == (
        f"Error: --chart {tmp_path / 'c.gif'}: unknown format ('.gif'). "
        "Use a .png or .svg file name\n"
    )


def test_cli_demand(cli_env):
    r = run("demand", "ccm")
    assert r.exit_code == 0, r.output
    lines = r.stdout.splitlines()
    assert lines[0] == "National demand for ccm (program ccm)"
    assert lines[1].startswith("  eligible: 23,960,000 FFS beneficiaries eligible for CCM (2016)")
    assert "  2019 uptake: 3.4% → 814,640 beneficiaries" in r.stdout


def test_cli_sync_hcpcs(cli_env):
    r = run(
        "sync",
        "hcpcs",
        "--year",
        "2019",
        "--from-file",
        str(asset("hcpcs", "HCPC2019_CONTR_ANWEB_sample.txt")),
    )
    assert r.exit_code == 0, r.output
    assert r.stdout.splitlines() == [
        "HCPCS 2019 from HCPC2019_CONTR_ANWEB_sample.txt: 129 codes and modifiers",
        "  skipped 8 lines (disclaimer block, blank lines)",
    ]


def test_cli_economics_config_overrides_defaults(home, tmp_path):
    config = tmp_path / "mine.yaml"
    config.write_text(
        "programs:\n  rpm:\n    eligible: {value: 2000, source: our registry}\n"
        "capacities:\n  rpm_nurse: {value: 4000, source: our time study}\n"
    )
    r = run("economics", "rpm", "--config", str(config), "--json")
    assert r.exit_code == 0, r.output
    data = json.loads(r.stdout)["result"]
    assert data["eligible"] == 2000 and data["panel"] == 140
    caps = {a["key"]: a for a in data["assumptions"]}
    assert caps["capacity: rpm_nurse"]["value"] == 4000
    assert caps["capacity: rpm_nurse"]["source"] == "our time study"


def test_cli_economics_bad_config(home, tmp_path):
    config = tmp_path / "mine.yaml"
    config.write_text("programs:\n  rpm:\n    segments:\n      - {label: a, share: 0.5}\n")
    r = run("economics", "rpm", "--config", str(config))
    assert r.exit_code == 1
    assert r.stderr == (
        "Error: knowledge/economics.yaml + mine.yaml entry 'rpm', field segments: "
        "segment 1 has no minutes\n"
    )


def test_cli_sync_proposed_stage_keeps_final_values(home):
    r = run(
        "sync",
        "fee-schedule",
        "--year",
        "2025",
        "--proposed",
        "--from-file",
        str(home / "rvu25d.zip"),
        "--json",
    )
    assert r.exit_code == 0, r.output
    synced = json.loads(r.stdout)["synced"]
    assert (synced["stage"], synced["rvu_rows"], synced["tracked_values"]) == ("proposed", 216, 0)
    pay = run("pay", "99454", "--year", "2025")
    assert pay.stdout.startswith(
        "99454 2025 nonfacility: $43.02 (2025, national (GPCI 1.0), single CF)"
    )
