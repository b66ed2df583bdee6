"""sync mssp: one transaction per year, nothing written on a bad file, both backends, the API."""

from __future__ import annotations

import csv
import io
import json
from datetime import date
from pathlib import Path

import httpx
import pytest
from sqlalchemy import func, select
from typer.testing import CliRunner

from payforce.cli import app
from payforce.errors import ParseError
from payforce.sources.mssp import API_ENDPOINTS
from payforce.store import schema
from payforce.store.db import Store
from payforce.store.mssp_sync import sync_mssp_api, sync_mssp_files
from payforce.store.mssp_tables import PUF_METRICS, list_results, mssp_results
from payforce.store.queries import list_metrics

FIXTURES = Path(__file__).parent.parent / "fixtures" / "mssp"
ALL = sorted(FIXTURES.glob("*.csv"))
runner = CliRunner()


def _counts(store: Store) -> tuple[int, int]:
    with store.connect() as conn:
        results = conn.execute(select(func.count()).select_from(mssp_results)).scalar()
        metrics = conn.execute(
            select(func.count())
            .select_from(schema.program_metrics)
            .where(schema.program_metrics.c.metric.in_(PUF_METRICS))
        ).scalar()
    return int(results or 0), int(metrics or 0)


def test_sync_all_layouts_on_each_backend(any_empty_store: Store) -> None:
    years = sync_mssp_files(any_empty_store, ALL)
    assert [y.performance_year for y in years] == [
        2014,
        2015,
        2016,
        2017,
        2018,
        2020,
        2021,
        2022,
        2023,
        2024,
    ]
    stored = list_results(any_empty_store)
    assert [r["performance_year"] for r in stored] == [y.performance_year for y in years]
    first = _counts(any_empty_store)
    sync_mssp_files(any_empty_store, ALL)  # a rerun replaces, never duplicates
    assert _counts(any_empty_store) == first
    assert first[1] == sum(len(y.metrics()) for y in years)


def test_as_of_sees_only_released_years(empty_store: Store) -> None:
    sync_mssp_files(empty_store, ALL)
    counts = {
        m.year for m in list_metrics(empty_store, date(2023, 9, 1)) if m.metric == "mssp_aco_count"
    }
    assert counts == {2014, 2015, 2016, 2017, 2018, 2020, 2021, 2022}
    assert [r["performance_year"] for r in list_results(empty_store, date(2016, 1, 1))] == [2014]


def test_bad_file_writes_nothing(any_empty_store: Store, tmp_path: Path) -> None:
    good = FIXTURES / "2014.csv"
    bad = tmp_path / "PY 2024 ACO Results PUF.csv"
    bad.write_bytes((FIXTURES / "PY 2024 ACO Results PUF.csv").read_bytes() + b"A9999,cut\r\n")
    with pytest.raises(ParseError, match=r"line 9, field row: expected 189 fields, found 2"):
        sync_mssp_files(any_empty_store, [good, bad])
    assert _counts(any_empty_store) == (0, 0)


def test_a_resync_of_a_year_replaces_its_metrics(empty_store: Store) -> None:
    with empty_store.begin() as conn:
        conn.execute(
            schema.program_metrics.insert(),
            [
                {
                    "metric": "mssp_aco_count",
                    "year": 2020,
                    "source_url": "https://example.org/typed-in",
                    "value": 517.0,
                    "value_text": "517",
                    "unit": "ACOs",
                    "available_from": date(2020, 1, 31),
                    "approximate": False,
                    "confidence": "medium",
                }
            ],
        )
    sync_mssp_files(
        empty_store, [FIXTURES / "Performance_Year_Financial_and_Quality_Results_2020.csv"]
    )
    rows = [m for m in list_metrics(empty_store) if m.metric == "mssp_aco_count"]
    assert [(m.year, m.value) for m in rows] == [(2020, 6.0)]


def _api_rows(path: Path) -> list[dict[str, str]]:
    text = path.read_bytes().decode("utf-8-sig")
    return list(csv.DictReader(io.StringIO(text, newline="")))


def test_sync_from_the_data_api_uses_the_same_parser(empty_store: Store) -> None:
    rows = _api_rows(FIXTURES / "PY 2023 ACO Results PUF.csv")
    seen: list[str] = []

    def handler(request: httpx.Request) -> httpx.Response:
        seen.append(str(request.url))
        assert API_ENDPOINTS[2023] in request.url.path
        assert request.url.params["offset"] == "0"
        return httpx.Response(200, content=json.dumps(rows).encode())

    client = httpx.Client(transport=httpx.MockTransport(handler))
    years = sync_mssp_api(empty_store, client, "https://data.cms.gov/data-api/v1", [2023])
    from_file = sync_mssp_files(empty_store, [FIXTURES / "PY 2023 ACO Results PUF.csv"])
    assert len(seen) == 1
    assert years[0].aco_count == from_file[0].aco_count == 7
    assert years[0].assigned_beneficiaries == from_file[0].assigned_beneficiaries
    assert years[0].mean_quality_score == pytest.approx(from_file[0].mean_quality_score)


def test_api_error_and_unknown_year_are_one_line(empty_store: Store) -> None:
    client = httpx.Client(transport=httpx.MockTransport(lambda r: httpx.Response(503)))
    from payforce.errors import FetchError, InputError

    with pytest.raises(FetchError, match="HTTP 503"):
        sync_mssp_api(empty_store, client, "https://data.cms.gov/data-api/v1", [2020])
    with pytest.raises(InputError, match="--year 2022: no known data.cms.gov dataset"):
        sync_mssp_api(empty_store, client, "https://data.cms.gov/data-api/v1", [2022])
    assert _counts(empty_store) == (0, 0)


def test_cli_sync_mssp_json_and_text(cli_env: Path) -> None:
    args = [a for p in ALL for a in ("--from-file", str(p))]
    r = runner.invoke(app, ["sync", "mssp", *args, "--json"])
    assert r.exit_code == 0, r.output
    data = json.loads(r.stdout)
    assert data["ok"] is True and len(data["years"]) == 10
    for y in data["years"]:
        assert y["available_from"] and all(m["available_from"] for m in y["metrics"])
    r = runner.invoke(app, ["sync", "mssp", "--from-file", str(ALL[0])])
    assert r.exit_code == 0
    assert all(len(line) <= 80 for line in r.stdout.splitlines())
    assert "stored 1 performance year(s)" in r.stdout


def test_cli_bad_file_is_one_line(cli_env: Path, tmp_path: Path) -> None:
    bad = tmp_path / "2014.csv"
    bad.write_text("ACO_Num,year\nA1,2014\n")
    r = runner.invoke(app, ["sync", "mssp", "--from-file", str(bad)])
    assert r.exit_code == 1
    assert r.stderr.count("\n") == 1, (
        r.stderr and "missing columns" in r.stderr and str(bad) in r.stderr
    )


@pytest.mark.parametrize("year", ["-1", "0", "99999"])
def test_cli_year_out_of_range_is_one_line_and_writes_nothing(cli_env: Path, year: str) -> None:
    """Found by the fuzz suite: --year -1 / 99999 escaped as a ValueError traceback and
    --year 0 stored a performance year 0."""
    r = runner.invoke(app, ["sync", "mssp", "--from-file", str(ALL[0]), "--year", year])
    assert r.exit_code == 1, r.output
    assert (
        r.stderr == f"Error: --year: must be a number from 1,900 to 2,100 ({year}). Use e.g. 2024\n"
    )
    r = runner.invoke(app, ["sync", "mssp", "--from-file", str(ALL[0]), "--year", year, "--json"])
    assert json.loads(r.stdout)["status"] == 400
    store = Store.open(f"sqlite:///{cli_env / 'payforce.db'}")
    try:
        assert _counts(store) == (0, 0)
    finally:
        store.dispose()


def test_data_api_pages_are_followed(empty_store: Store, monkeypatch: pytest.MonkeyPatch) -> None:
    import payforce.sources.mssp as mssp

    rows = _api_rows(FIXTURES / "Performance_Year_Financial_and_Quality_Results_2021.csv")
    monkeypatch.setattr(mssp, "API_PAGE_SIZE", 4)
    offsets: list[int] = []

    def handler(request: httpx.Request) -> httpx.Response:
        offset = int(request.url.params["offset"])
        offsets.append(offset)
        assert request.url.params["size"] == "4"
        return httpx.Response(200, content=json.dumps(rows[offset : offset + 4]).encode())

    client = httpx.Client(transport=httpx.MockTransport(handler))
    [year] = sync_mssp_api(empty_store, client, "https://data.cms.gov/data-api/v1", [2021])
    assert offsets == [0, 4] and year.aco_count == len(rows) == 6
