"""``payforce assess``: new → template → answer → report, in process, plus its error messages."""

from __future__ import annotations

import json

import yaml
from typer.testing import CliRunner

from payforce.cli import app

runner = CliRunner()


def run(*args: str, input: str | None = None):
    return runner.invoke(app, list(args), env={"COLUMNS": "200"}, input=input)


def _new(*extra: str) -> dict:
    r = run(
        "assess",
        "new",
        "Riverbend Health",
        "--respondent",
        "CEO",
        "--respondent",
        "CMO:Dr. Lee",
        "--label",
        "2026 Q1",
        "--json",
        *extra,
    )
    assert r.exit_code == 0, r.output
    return json.loads(r.stdout)


def test_assess_new_prints_links_once(cli_env):
    r = run(
        "assess",
        "new",
        "Riverbend Health",
        "--respondent",
        "CEO",
        "--respondent",
        "CMO:Dr. Lee",
        "--base-url",
        "https://payforce.example.org/",
    )
    assert r.exit_code == 0, r.output
    lines = r.stdout.splitlines()
    assert lines[0].startswith("Organization: Riverbend Health (org_")
    assert lines[1].startswith("Assessment:   Assessment 1 (asm_")
    assert lines[2].startswith("Admin token (shown once; keep it safe): ")
    assert lines[3].startswith("Admin view: https://payforce.example.org/assess/admin/")
    assert lines[5].startswith("  CEO: https://payforce.example.org/assess/r/")
    assert lines[6].startswith("  CMO - Dr. Lee: https://payforce.example.org/assess/r/")


def test_assess_round_trip_yaml_and_csv(cli_env, tmp_path):
    made = _new()
    assert made["ok"] is True and made["assessment"]["label"] == "2026 Q1"
    ceo, cmo = (p["token"] for p in made["respondents"])
    sheet = tmp_path / "ceo.yaml"
    r = run("assess", "template", "--format", "yaml", "--out", str(sheet), "--token", ceo)
    assert r.exit_code == 0, r.output
    doc = yaml.safe_load(sheet.read_text())
    assert doc["respondent"] == "CEO" and len(doc["answers"]) == 37
    for item in doc["answers"]:
        item["answer"] = 4
    doc["answers"][0]["note"] = "Policy approved by the board in March."
    sheet.write_text(yaml.safe_dump(doc))
    r = run("assess", "answer", str(sheet), "--token", ceo)
    assert r.exit_code == 0, r.output
    assert r.stdout.strip() == "Saved 37 of 37 answers for CEO."
    again = run("assess", "template", "--format", "yaml", "--token", ceo)
    note = yaml.safe_load(again.stdout)["answers"][0]["note"]
    assert note == "Policy approved by the board in March."

    csv_sheet = tmp_path / "cmo.csv"
    assert run("assess", "template", "--out", str(csv_sheet)).exit_code == 0
    rows = csv_sheet.read_text().splitlines()
    assert rows[0] == "question_id,domain,title,question,levels,answer,note"
    filled = [rows[0]] + [
        row.replace(",,", ",1,", 1) if row.endswith(",,") else row for row in rows[1:]
    ]
    csv_sheet.write_text("\n".join(filled) + "\n")
    r = run("assess", "answer", str(csv_sheet), "--token", cmo, "--json")
    assert json.loads(r.stdout) == {
        "ok": True,
        "respondent": "CMO - Dr. Lee",
        "saved": 37,
        "questions": 37,
    }

    r = run("assess", "report", "--token", made["admin_token"], "--json")
    card = json.loads(r.stdout)["scorecard"]
    assert card["overall_raw"] == 2.5  # every question: CEO 4, CMO 1
    assert card["status"] == "blocked" and card["overall"] == 2.0
    q = card["questions"][0]
    assert (q["mean"], q["spread"], q["stdev"]) == (2.5, 3, 1.5)

    r = run("assess", "report", "--token", made["admin_token"], "--generated-at", "2026-07-01")
    assert r.exit_code == 0
    assert r.stdout.startswith("# AI-governance readiness: Riverbend Health")
    assert "Generated 2026-07-01." in r.stdout
    assert (
        "- D1.01 Board-approved AI policy - CEO: Policy approved by the board in March." in r.stdout
    )
    pdf = tmp_path / "r.pdf"
    r = run(
        "assess", "report", "--token", made["admin_token"], "--format", "pdf", "--out", str(pdf)
    )
    assert r.exit_code == 0 and pdf.read_bytes().startswith(b"%PDF-")
    html = tmp_path / "r.html"
    run("assess", "report", "--token", made["admin_token"], "--format", "html", "--out", str(html))
    assert "<svg" in html.read_text()


def test_assess_answer_interactive(cli_env):
    made = _new()
    token = made["respondents"][0]["token"]
    typed = "9\n3\n" + "2\n" + "\n" * 35  # a bad value is asked again; blanks are skipped
    r = run("assess", "answer", "--interactive", "--token", token, input=typed)
    assert r.exit_code == 0, r.output
    assert "Error: answer D1.01: level must be a whole number from 0 to 5 ('9')" in r.stderr
    assert r.stdout.rstrip().endswith("Saved 2 of 37 answers for CEO.")
    r = run("assess", "template", "--token", token, "--json")
    assert json.loads(r.stdout)["prefilled"] == 2


def test_assess_errors_are_one_line(cli_env, fixture_path):
    made = _new()
    token = made["respondents"][0]["token"]
    cases = [
        (
            ("assess", "answer", str(fixture_path("broken_sheet.csv")), "--token", token),
            "Error: broken_sheet.csv line 3, question D1.02: level must be a whole number from 0 to 5 "
            "('7'). Use 0 (not in place or unknown) up to 5 (optimizing), or leave it blank",
        ),
        (
            ("assess", "answer", str(fixture_path("broken_sheet.yaml")), "--token", token),
            "Error: broken_sheet.yaml answer #2, question D9.99: unknown question id ('D9.99'). "
            "Start from a fresh sheet: payforce assess template",
        ),
        (
            ("assess", "answer", str(fixture_path("broken_sheet.csv")), "--token", "wrong"),
            "Error: assessment: not found (unknown or revoked token). Check the link or token you were given",
        ),
        (
            ("assess", "answer", "--token", token),
            "Error: answer: no answers given (no sheet, no --interactive). "
            "Pass a filled sheet from `payforce assess template`, or --interactive",
        ),
        (
            ("assess", "report"),
            "Error: --token: missing (admin token). Pass the admin token you were given",
        ),
        (
            ("assess", "report", "--token", made["admin_token"], "--format", "pdf"),
            "Error: --out: needed for a PDF report (none given). Add --out report.pdf",
        ),
        (
            ("assess", "report", "--token", made["admin_token"], "--format", "docx"),
            "Error: --format: unknown report format ('docx'). Use md, html or pdf",
        ),
        (
            ("assess", "template", "--format", "xlsx"),
            "Error: --format: unknown sheet format ('xlsx'). Use csv or yaml",
        ),
        (
            ("assess", "new", "Riverbend Health"),
            "Error: organization 'Riverbend Health': already exists. "
            "Pass its admin token with --token to start a new assessment",
        ),
        (
            ("assess", "new", "Other", "--kind", "hospital"),
            "Error: --kind: unknown organization kind ('hospital'). Use one of provider, payer, both",
        ),
    ]
    for args, message in cases:
        r = run(*args)
        assert r.exit_code == 1, (args, r.output)
        assert r.stderr.strip().splitlines()[-1] == message


def test_assess_new_second_round_with_admin_token(cli_env):
    made = _new()
    again = _new("--token", made["admin_token"])
    assert again["assessment"]["seq"] == 2 and again["admin_token"] is None


def test_assess_token_from_the_environment(cli_env):
    made = _new()
    r = runner.invoke(
        app, ["assess", "report", "--json"], env={"PAYFORCE_ASSESS_TOKEN": made["admin_token"]}
    )
    assert r.exit_code == 0, r.output
    assert json.loads(r.stdout)["organization"]["name"] == "Riverbend Health"
