"""The Federal Register commands, in process, against a loopback fake API and real fixtures."""

from __future__ import annotations

import json
import xml.etree.ElementTree as ET
from datetime import date

import pytest
from fr_fakeapi import FakeFederalRegister, LoopbackServer, fixture, synth_records
from typer.testing import CliRunner

from payforce.cli import app

runner = CliRunner()


def run(*args: str, **env: str):
    return runner.invoke(app, list(args), env={"COLUMNS": "200", **env})


@pytest.fixture
def api(cli_env):
    fake = FakeFederalRegister(synth_records(12, date(2024, 1, 25), per_day=1))
    with LoopbackServer(fake) as server:
        yield server.base_url, fake


def test_sync_prints_summary_and_is_incremental(api):
    base, fake = api
    r = run(
        "sync",
        "federal-register",
        "--since",
        "2024-01-01",
        "--until",
        "2024-02-29",
        PAYFORCE_FR_API_URL=base,
    )
    assert r.exit_code == 0, r.output
    lines = r.stdout.splitlines()
    assert lines[0] == "new 12, updated 0, unchanged 0, skipped 0"
    assert lines[1] == "slices 2 (0 unchanged, 0 split)"
    assert lines[2].startswith("requests 2, bytes received ")
    assert lines[3] == "watermark 2024-02-29"
    assert "sync" in r.stderr  # the progress bar
    again = run(
        "sync", "federal-register", "--until", "2024-02-29", "--json", PAYFORCE_FR_API_URL=base
    )
    data = json.loads(again.stdout)
    assert data["ok"] is True
    assert (data["new"], data["unchanged"], data["since"]) == (0, 0, "2024-02-29")
    assert data["scope"].startswith("agencies=centers-for-medicare-medicaid-services,")


def test_sync_from_file_real_records(cli_env):
    path = str(fixture("rin_0938-AV34_results_reserialized.json"))
    r = run("sync", "federal-register", "--from-file", path)
    assert r.exit_code == 0, r.output
    assert r.stdout.splitlines()[:2] == [
        "new 5, updated 0, unchanged 0, skipped 0",
        "slices 4 (0 unchanged, 0 split)",
    ]
    r = run("rulemaking", "2024-17021", "--as-of", "2025-01-01")
    assert r.stdout.splitlines() == [
        "rulemaking CMS-1808",
        "  2024-05-02  proposed    2024-07567  CMS-1808-P",
        "  2024-06-04  correction  2024-12164  CMS-1808-CN",
        "  2024-08-28  final       2024-17021  CMS-1808-F",
        "  2024-10-02  correction  2024-22501  CMS-1808-CN2",
        "  2024-10-03  final       2024-22765  CMS-1808-IFC",
        "  2024-12164 corrects 2024-07567",
        "  2024-22501 corrects 2024-17021",
        "  proposed → final: 118 days",
    ]


def test_sync_from_file_malformed_is_one_line_error(cli_env, tmp_path):
    bad = tmp_path / "bad.json"
    bad.write_text("{not json")
    r = run("sync", "federal-register", "--from-file", str(bad))
    assert r.exit_code == 1
    assert r.stderr.splitlines()[-1] == (
        f"Error: {bad}: not JSON (line 1, column 2) ('{{not json'). The server sent something "
        "else; retry later or check PAYFORCE_FR_API_URL"
    )


def test_sync_server_error_is_one_line_and_keeps_whole_slices(api):
    base, fake = api
    import httpx

    fake.faults.append(
        lambda req: httpx.Response(404, text="nope") if "2024-02-01" in str(req.url) else None
    )
    r = run(
        "sync",
        "federal-register",
        "--since",
        "2024-01-01",
        "--until",
        "2024-02-29",
        PAYFORCE_FR_API_URL=base,
    )
    assert r.exit_code == 1
    assert r.stderr.splitlines()[-1].startswith(f"Error: {base}/documents.json?per_page=1000")
    assert r.stderr.splitlines()[-1].endswith(
        " (HTTP 404): unexpected response ('nope'). Check the agency slugs, types and dates"
    )
    r = run("calendar", "--as-of", "2024-01-31", "--days", "60", "--json")
    synced = [e for e in json.loads(r.stdout)["events"] if e["document_number"] > "2024-9"]
    assert len(synced) == 7  # January's whole slice was kept, February's was not written


def test_sync_bad_type_and_date_messages(cli_env):
    r = run("sync", "federal-register", "--type", "FINAL")
    assert r.exit_code == 1
    assert r.stderr.splitlines()[-1] == (
        "Error: --type: unknown document type ('FINAL'). Use one of RULE, PRORULE, NOTICE, PRESDOCU"
    )
    r = run("sync", "federal-register", "--since", "June")
    assert r.stderr.splitlines()[-1] == (
        "Error: --since: not a date ('June'). Use YYYY-MM-DD, e.g. 2026-06-30"
    )


def test_calendar_lists_comment_deadlines(cli_env):
    run(
        "sync",
        "federal-register",
        "--from-file",
        str(fixture("document_2023-14624_reserialized.json")),
    )
    r = run("calendar", "--as-of", "2023-08-10", "--days", "60")
    text = " ".join(line.strip() for line in r.stdout.splitlines())
    assert (
        "2023-09-11  comments close  2023-14624  Proposed Rule: Medicare and Medicaid Programs; "
        "CY 2024 Payment Policies Under the Physician Fee Schedule and Other Changes to Part B "
        "Payment and Coverage Policies; Medicare Shared Savings Program Requirements; Medicare "
        "Advantage; Medicare and Medicaid Provider and Supplier Enrollment Policies; and Basic "
        "Health Program"
    ) in text  # the whole title, wrapped to the terminal (#14)
    # the other deadlines are CMS/HHS proposals of the bundled regulations.gov rule history
    days = [line[:10] for line in r.stdout.splitlines() if line[:2] == "20"]
    assert days == sorted(days) and all("2023-08-10" <= d <= "2023-10-09" for d in days)
    r = run("calendar", "--as-of", "2023-10-01", "--days", "10")
    assert "comments close  2023-14624" not in r.stdout
    r = run("calendar", "--days", "-1")
    assert (
        r.stderr.splitlines()[-1]
        == "Error: --days: must be a number from 0 to 36,500 (-1). Use e.g. --days 90"
    )


def test_watch_add_list_remove_and_errors(cli_env):
    assert run("watch", "add", "--code", "99490").stdout.strip() == "added #1 code 99490"
    assert run("watch", "add", "--code", "99490").stdout.strip() == "already watching #1 code 99490"
    assert run("watch", "add", "--role", "care manager").stdout.strip() == (
        "added #2 role care_manager_rn"
    )
    assert run("watch", "add", "--cfr", "42:414").stdout.strip() == "added #3 cfr 42:414"
    assert run("watch", "list").stdout.splitlines() == [
        "#1  code   99490",
        "#2  role   care_manager_rn",
        "#3  cfr    42:414",
    ]
    assert run("watch", "remove", "3").stdout.strip() == "removed #3 cfr 42:414"
    r = run("watch", "remove", "3")
    assert r.exit_code == 1
    assert r.stderr.splitlines()[-1] == (
        "Error: unknown watch '#3'. Closest matches: #1 code 99490, #2 role care_manager_rn"
    )
    r = run("watch", "add", "--code", "99490", "--rin", "0938-AV34")
    assert r.stderr.splitlines()[-1] == (
        "Error: watch add: give exactly one of --role, --code, --cfr, --rin, --term (2). "
        "e.g. payforce watch add --code 99490"
    )


def test_digest_then_nothing_repeated_and_feed(cli_env, tmp_path):
    run(
        "sync",
        "federal-register",
        "--from-file",
        str(fixture("rin_0938-AV34_results_reserialized.json")),
    )
    run("watch", "add", "--rin", "0938-AV34")
    r = run("digest", "--as-of", "2025-01-01")
    assert r.exit_code == 0, r.output
    assert r.stdout.splitlines()[:3] == [
        "# payforce digest, as of 2025-01-01",
        "",
        "## rin 0938-AV34 (#1): 5 new",
    ]
    assert "5 items delivered" in r.stderr
    r = run("digest", "--as-of", "2025-01-01", "--format", "json")
    assert json.loads(r.stdout)["item_count"] == 0
    r = run("digest", "--format", "pdf")
    assert r.stderr.splitlines()[-1] == "Error: --format: expected md, html or json ('pdf')"
    out = tmp_path / "feed.atom"
    r = run("feed", "--out", str(out), "--as-of", "2025-01-01")
    assert r.stdout.strip() == f"wrote 5 entries to {out}"
    root = ET.fromstring(out.read_text())
    assert len(root.findall("{http://www.w3.org/2005/Atom}entry")) == 5


def test_from_file_rejects_api_filters(cli_env):
    path = str(fixture("rin_0938-AV34_results_reserialized.json"))
    r = run("sync", "federal-register", "--from-file", path, "--type", "RULE")
    assert r.exit_code == 1
    assert r.stderr.splitlines()[-1] == (
        "Error: --from-file: cannot be combined with --type (--type). A file is stored as it "
        "is; filter it before, or sync from the API"
    )


def test_since_after_until_is_an_error(cli_env):
    r = run("sync", "federal-register", "--since", "2024-03-01", "--until", "2024-02-01")
    assert r.exit_code == 1
    assert r.stderr.splitlines()[-1] == (
        "Error: --until: before --since (2024-02-01 < 2024-03-01). Give an --until on or after "
        "--since"
    )
