"""The core commands, in process, asserting what they print."""

from __future__ import annotations

import json

from typer.testing import CliRunner

from payforce.cli import app

runner = CliRunner()


def run(*args: str):
    return runner.invoke(app, list(args), env={"COLUMNS": "200"})


def test_outlook_table_names_roles_directions_and_evidence(cli_env):
    r = run("outlook", "--as-of", "2026-06-30")
    assert r.exit_code == 0, r.output
    assert "Workforce outlook as of 2026-06-30" in r.stdout
    assert "Nurse practitioner" in r.stdout and "▲ growth" in r.stdout
    assert "▼ pressure" in r.stdout and "↔ pivot" in r.stdout
    assert "2025-19787 (final rule, 2025-11-05)" in r.stdout


def test_first_run_builds_the_store_and_says_so_on_stderr(cli_env):
    r = run("outlook", "--json")
    assert "Building the payforce store from the bundled snapshot" in r.stderr
    assert (cli_env / "payforce.db").exists()
    again = run("outlook", "--json")
    assert "Building" not in again.stderr


def test_outlook_json_golden(cli_env, golden):
    r = run("outlook", "--json", "--as-of", "2026-06-30")
    assert r.exit_code == 0
    data = json.loads(r.stdout)
    assert data["ok"] is True and data["as_of"] == "2026-06-30"
    assert len(data["outlooks"]) == 32 + 74  # every healthcare occupation is a role
    golden("outlook_2026-06-30.json", r.stdout)


def test_score_can_be_recomputed_from_json(cli_env):
    data = json.loads(run("outlook", "--json", "--as-of", "2026-06-30", "--role", "coder").stdout)
    o = data["outlooks"][0]
    growth = sum(s["weight"] for s in o["signals"] if s["direction"] == "growth")
    pressure = sum(s["weight"] for s in o["signals"] if s["direction"] == "pressure")
    assert round(growth - pressure, 3) == round(o["score"], 3)


def test_role_resolves_free_text_and_shows_evidence(cli_env):
    r = run("role", "UR nurse", "--as-of", "2026-06-30")
    assert r.exit_code == 0, r.output
    assert "Utilization review / utilization management nurse" in r.stdout
    assert "pressure" in r.stdout
    assert "2024-00895" in r.stdout  # CMS-0057-F
    pa = run("role", "prior auth", "--as-of", "2026-06-30").stdout
    assert "Pivot paths (roles with a better outlook)" in pa
    assert "rules: 2024-00895" in pa  # CMS-0057-F funds the pivot targets' work
    data = json.loads(run("role", "prior auth", "--json", "--as-of", "2026-06-30").stdout)
    assert data["role"]["key"] == "prior_authorization_specialist"
    assert data["outlook"]["direction"] == "pressure"
    assert data["role"]["median_wage"] == 44640


def test_unknown_role_is_one_line_with_closest_matches(cli_env):
    run("init")
    r = run("role", "astronaut")
    assert r.exit_code == 1
    lines = r.stderr.strip().splitlines()
    assert len(lines) == 1
    assert lines[0].startswith("Error: unknown role 'astronaut'. Closest matches: ")
    assert "Traceback" not in r.output


def test_bad_date_is_one_line(cli_env):
    run("init")
    r = run("outlook", "--as-of", "2026-02-30")
    assert r.exit_code == 1
    assert (
        r.stderr.strip()
        == "Error: --as-of: not a date ('2026-02-30'). Use YYYY-MM-DD, e.g. 2026-06-30"
    )


def test_unknown_code_suggests_close_codes(cli_env):
    run("init")
    r = run("trace", "99491x")
    assert r.exit_code == 1
    assert r.stderr.startswith("Error: unknown code or family '99491x'. Closest matches: 99491")


def test_trace_shows_chain_payment_documents_and_signals(cli_env):
    data = json.loads(run("trace", "99490", "--json", "--as-of", "2026-06-30").stdout)
    assert data["family"]["key"] == "ccm"
    assert "care_manager_rn" in data["family"]["chain"]["performs"]
    pay = [
        p
        for p in data["payments"]
        if p["code"] == "99490" and p["year"] == 2026 and p["setting"] == "nonfacility"
    ][0]
    assert pay["payment"] == 66.13 and pay["total_rvu"] == 1.98
    assert "2013-28696" in [d["document_number"] for d in data["documents"]]
    assert any(s["role"] == "care_manager_rn" and s["question"] == 1 for s in data["signals"])
    table = run("trace", "ccm", "--as-of", "2026-06-30").stdout
    assert "performs   → care_manager_rn" in table and "$66.13" in table


def test_signals_filters(cli_env):
    data = json.loads(run("signals", "--json", "--as-of", "2013-08-01", "--question", "5").stdout)
    assert data["count"] > 0
    assert all(s["question"] == 5 and s["published"] <= "2013-08-01" for s in data["signals"])
    assert {e["ref"] for s in data["signals"] for e in s["evidence"]} >= {"2013-16547"}
    only = json.loads(
        run(
            "signals", "--json", "--as-of", "2026-06-30", "--role", "coder", "--since", "2025-01-01"
        ).stdout
    )
    assert only["count"] > 0
    assert all(
        s["role"] == "medical_coder" and s["published"] >= "2025-01-01" for s in only["signals"]
    )
    assert run("signals", "--question", "6").exit_code == 2


def test_docs_links_proposed_and_final_with_lead_time(cli_env):
    data = json.loads(run("docs", "--json", "--type", "proposed").stdout)
    ccm = [d for d in data["documents"] if d["document_number"] == "2014-15948"][0]
    assert ccm["final"] == "2014-26183" and ccm["lead_time_days"] == 125
    finals = json.loads(run("docs", "--json", "--type", "final", "--since", "2025-01-01").stdout)
    numbers = {d["document_number"] for d in finals["documents"]}
    assert "2025-19787" in numbers and "2014-26183" not in numbers
    r = run("docs", "--type", "draft")
    assert r.exit_code == 1 and "expected proposed or final" in r.stderr


def test_codes_by_family_and_year(cli_env):
    data = json.loads(run("codes", "--json", "--family", "rpm", "--new-in", "2026").stdout)
    assert [c["code"] for c in data["codes"]] == ["99445"]
    assert data["codes"][0]["payment"] == 52.11 and data["codes"][0]["payment_year"] == 2026
    r = run("codes", "--family", "rmp")
    assert r.exit_code == 1 and "unknown family 'rmp'" in r.stderr


def test_init_reset_rebuilds(cli_env):
    r = run("init", "--reset", "--json")
    data = json.loads(r.stdout)
    # 32 curated roles + 74 generated, one per healthcare occupation no curated role covers
    assert data["rows"]["documents"] == 37 and data["rows"]["roles"] == 32 + 74


def test_python_dash_m_runs_the_cli():
    import subprocess
    import sys

    r = subprocess.run([sys.executable, "-m", "payforce", "--help"], capture_output=True, text=True)
    assert r.returncode == 0 and "outlook" in r.stdout


def test_role_shows_the_onet_attribution_once_onet_is_synced(cli_env):
    from pathlib import Path

    run("init")
    without = json.loads(run("role", "coder", "--json").stdout)
    assert without["attribution"] is None
    onet = Path(__file__).parent / "fixtures" / "onet"
    assert run("sync", "onet", "--from-file", str(onet)).exit_code == 0
    r = run("role", "coder")
    assert "O*NET Database" in r.stdout and "CC BY 4.0" in r.stdout


def test_docs_open_for_comment(cli_env):
    data = json.loads(run("docs", "--json", "--open-for-comment", "--as-of", "2026-05-01").stdout)
    numbers = [d["document_number"] for d in data["documents"]]
    assert numbers == ["2026-07205"]  # CMS-0062-P, comments close 2026-06-15
    assert data["documents"][0]["comment_days_left"] == 45
    later = json.loads(run("docs", "--json", "--open-for-comment", "--as-of", "2026-07-01").stdout)
    assert later["documents"] == []
