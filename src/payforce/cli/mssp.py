"""MSSP command: sync mssp (performance-year results PUFs)."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Annotated

import typer

from payforce.cli.app import (
    YEARS,
    DbOption,
    JsonOption,
    check_option,
    emit_json,
    get_settings,
    open_cli_store,
    out,
    sync_app,
)


@sync_app.command("mssp")
def sync_mssp(
    from_file: Annotated[
        list[Path] | None,
        typer.Option("--from-file", help="A results PUF (CSV); repeat for several years."),
    ] = None,
    year: Annotated[
        list[int] | None,
        typer.Option("--year", help="Performance year; repeatable (default: every known year)."),
    ] = None,
    db: DbOption = None,
    json: JsonOption = False,
) -> None:
    """Load MSSP ACO results, one transaction per performance year.

    Example: payforce sync mssp --from-file "PY 2024 ACO Results PUF.csv"
    """
    from payforce.errors import InputError
    from payforce.sources.mssp import DEFAULT_API_URL
    from payforce.store.mssp_sync import parse_files, sync_mssp_api
    from payforce.store.mssp_tables import write_years

    for one in year or []:
        check_option(one, "--year", *YEARS, example="2024")
    if from_file:
        if year and len(year) > 1:
            raise InputError("--year: give it once, with a single --from-file")
        years = parse_files(from_file, year[0] if year else None)  # before touching the store
        write_years(open_cli_store(db), years)
    else:
        from payforce.sources.base import http_client

        store = open_cli_store(db)
        base = os.environ.get("PAYFORCE_MSSP_API_URL", DEFAULT_API_URL)
        with http_client(get_settings(db)) as client:
            years = sync_mssp_api(store, client, base, year)
    if json:
        emit_json({"years": [y.to_dict() for y in years]})
        return
    out("year  ACOs  beneficiaries  savings $M  earned $M  quality %  public from")
    for y in years:
        q = f"{y.mean_quality_score:9.1f}" if y.mean_quality_score is not None else "        -"
        out(
            f"{y.performance_year}  {y.aco_count:4d}  {y.assigned_beneficiaries:13,d}"
            f"  {y.generated_savings_losses / 1e6:10,.1f}  {y.earned_shared_savings / 1e6:9,.1f}"
            f"  {q}  {y.release.available_from} ({y.release.confidence})"
        )
    out(f"stored {len(years)} performance year(s)")
