"""The workforce commands in process: sync bls/onet, pivot, backtest."""

from __future__ import annotations

import json
from pathlib import Path

from typer.testing import CliRunner

from payforce.cli import app
from payforce.sources.onet import ATTRIBUTION

runner = CliRunner()
FIXTURES = Path(__file__).parent.parent / "fixtures"


def run(*args: str):
    return runner.invoke(app, list(args), env={"COLUMNS": "200"})


def test_sync_bls_from_file_prints_rows_skips_and_markers(cli_env):
    path = FIXTURES / "bls" / "national_M2023_dl_healthcare_sample.csv"
    r = run("sync", "bls", "--from-file", str(path))
    assert r.exit_code == 0, r.output
    assert r.stdout.splitlines() == [
        "oews 2023 from national_M2023_dl_healthcare_sample.csv: oews_employment: 144 rows",
        "  skipped 2 (code repeated at another hierarchy level)",
        "  marker '#': 17 cells",
        "  read from 2024-06-30 on (rule; see --json)",
    ]


def test_sync_bls_json_projections(cli_env):
    path = FIXTURES / "bls" / "ep_table_1_4_most_new_jobs_2024_34.csv"
    r = run("sync", "bls", "--from-file", str(path), "--json")
    data = json.loads(r.stdout)
    assert data["ok"] is True
    assert data["synced"][0]["kind"] == "projections"
    assert data["synced"][0]["written"] == {"ep_projections": 31}


def test_sync_bls_missing_file_message(cli_env):
    r = run("sync", "bls", "--from-file", "nope.xlsx")
    assert r.exit_code == 1
    assert r.stderr.strip() == (
        "Error: --from-file: no such file ('nope.xlsx'). Give the path of the downloaded file"
    )


def test_sync_bls_bad_file_message_and_nothing_written(cli_env):
    path = FIXTURES / "bls" / "broken_national_M2023_dl_bad_number.csv"
    r = run("sync", "bls", "--from-file", str(path))
    assert r.exit_code == 1
    assert r.stderr.strip().endswith(
        "Error: broken_national_M2023_dl_bad_number.csv line 2, field TOT_EMP: not a number "
        "('n.a.'). Known markers are *, **, # and ~; check this is an unmodified BLS file"
    )


def test_sync_onet_from_dir_prints_the_attribution(cli_env):
    r = run("sync", "onet", "--from-file", str(FIXTURES / "onet"))
    assert r.exit_code == 0, r.output
    assert r.stdout.splitlines()[0] == (
        f"onet O*NET 27.0 Database from {FIXTURES / 'onet'}: onet_occupations: 117 rows, "
        "onet_alternate_titles: 270 rows, onet_tasks: 272 rows, onet_skills: 0 rows, "
        "onet_related: 0 rows"
    )
    assert " ".join(r.stdout.split()).endswith(ATTRIBUTION)  # wrapped to the terminal


def test_pivot_prints_ranked_targets_with_evidence(cli_env):
    r = run("pivot", "UR nurse", "--as-of", "2026-06-30")
    assert r.exit_code == 0, r.output
    lines = r.stdout.splitlines()
    assert lines[0] == (
        "Utilization review / utilization management nurse (utilization_review_nurse), "
        "resolved from 'UR nurse'; pivot paths as of 2026-06-30"
    )
    assert any(line.startswith("1. ") for line in lines)
    assert "   credentials: ACHIP (AMIA), ANCC informatics nursing board certification" in lines
    joined = " ".join(r.stdout.split())  # a long line wraps to the terminal, its link whole
    assert any(
        "document 2024-00895" in item and "<https://" in item for item in joined.split(" - ")
    )
    assert ATTRIBUTION not in r.stdout  # O*NET not synced: no O*NET data shown


def test_pivot_with_onet_synced_shows_the_attribution_footer(cli_env):
    run("sync", "onet", "--from-file", str(FIXTURES / "onet"))
    r = run("pivot", "registered nurse", "--as-of", "2026-06-30")
    assert r.exit_code == 0, r.output
    assert "(O*NET tasks)" in r.stdout
    assert " ".join(r.stdout.split()).endswith(ATTRIBUTION)  # wrapped to the terminal


def test_pivot_json(cli_env):
    r = run("pivot", "HIM coder", "--as-of", "2026-06-30", "--json")
    data = json.loads(r.stdout)
    assert data["ok"] is True and data["role"] == "medical_coder"
    targets = {p["target"] for p in data["pivots"]}
    assert targets == {
        "cdi_specialist",
        "ai_governance_compliance",
        "health_information_technologist",
        "health_data_analyst",
    }
    assert data["attribution"] is None


def test_pivot_unknown_role_message(cli_env):
    r = run("pivot", "astronaut")
    assert r.exit_code == 1
    assert r.stderr.strip().endswith(
        "Error: unknown role 'astronaut'. Closest matches: "
        "care_coordinator_non_rn (Care coordinator / patient navigator (non-RN)), "
        "health_data_analyst (Health data / population health analyst), "
        "massage_therapists (Massage Therapists)"
    )


def _served(monkeypatch, routes: dict[str, bytes]) -> list[str]:
    """Route the CLI's one configured client through a MockTransport serving ``routes``."""
    import httpx

    from payforce.sources import base

    seen: list[str] = []
    real = base.http_client

    def handler(request: httpx.Request) -> httpx.Response:
        url = str(request.url)
        seen.append(url)
        if url not in routes:
            raise AssertionError(f"unexpected request {url}")
        return httpx.Response(200, content=routes[url])

    def fake(settings, **kwargs):
        return real(
            settings,
            transport=httpx.MockTransport(handler),
            cache=False,
            sleep=lambda _s: None,
            per_second=1000,
        )

    monkeypatch.setattr(base, "http_client", fake)
    return seen


def test_sync_bls_live_fetches_oews_and_projections(cli_env, monkeypatch):
    import io
    import zipfile

    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as zf:
        zf.writestr(
            "national_M2015_dl.xlsx", (FIXTURES / "bls" / "national_M2015_dl.xlsx").read_bytes()
        )
    ep = (FIXTURES / "bls" / "ep_table_1_4_most_new_jobs_2024_34.csv").read_bytes()
    seen = _served(
        monkeypatch,
        {
            "https://www.bls.gov/oes/special-requests/oesm15nat.zip": buf.getvalue(),
            "https://www.bls.gov/emp/ind-occ-matrix/occupation.xlsx": ep,
        },
    )
    r = run("sync", "bls", "--year", "2015")
    assert r.exit_code == 0, r.output
    assert seen == [
        "https://www.bls.gov/oes/special-requests/oesm15nat.zip",
        "https://www.bls.gov/emp/ind-occ-matrix/occupation.xlsx",
    ]
    assert r.stdout.splitlines() == [
        "oews 2015 from https://www.bls.gov/oes/special-requests/oesm15nat.zip: "
        "oews_employment: 1394 rows",
        "  marker '#': 9 cells",
        "  marker '*': 6 cells",
        "  read from 2016-03-30 on (BLS release; see --json)",
        "projections 2024-2034 from https://www.bls.gov/emp/ind-occ-matrix/occupation.xlsx: "
        "ep_projections: 31 rows",
        "  read from 2025-08-28 on (BLS release; see --json)",
    ]


def test_sync_onet_live_fetches_the_release_zip(cli_env, monkeypatch):
    import io
    import zipfile

    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as zf:
        for inner, name in (
            ("Occupation Data.txt", "Occupation Data_healthcare.txt"),
            ("Read Me.txt", "Read Me.txt"),
        ):
            zf.writestr(f"db_30_0_text/{inner}", (FIXTURES / "onet" / name).read_bytes())
    url = "https://www.onetcenter.org/dl_files/database/db_30_0_text.zip"
    _served(monkeypatch, {url: buf.getvalue()})
    r = run("sync", "onet", "--json")
    assert r.exit_code == 0, r.output
    data = json.loads(r.stdout)
    assert data["synced"][0]["written"]["onet_occupations"] == 117
    assert data["attribution"] == ATTRIBUTION
