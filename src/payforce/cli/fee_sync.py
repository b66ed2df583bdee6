"""Fee-schedule sync commands: sync fee-schedule (RVU release files) and sync hcpcs."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from payforce.cli.app import (
    DbOption,
    JsonOption,
    emit_json,
    err,
    get_settings,
    open_cli_store,
    out,
    parse_date,
    sync_app,
)
from payforce.errors import InputError

__all__ = ["read_input", "sync_fee_schedule", "sync_hcpcs"]


def read_input(path: Path) -> bytes:
    try:
        return path.read_bytes()
    except OSError as exc:
        raise InputError(
            f"--from-file {path}: cannot read ({exc.strerror})", hint="Check the path"
        ) from None


@sync_app.command("fee-schedule")
def sync_fee_schedule(
    year: Annotated[int, typer.Option("--year", help="Fee-schedule year, e.g. 2026.")],
    from_file: Annotated[
        list[Path] | None,
        typer.Option(
            "--from-file",
            help="A release zip, or its files: PPRRVU .csv or fixed-width .txt, the QP "
            "variant, GPCI, locality/county (repeat the option to load several).",
        ),
    ] = None,
    url: Annotated[
        str | None, typer.Option("--url", help="Download this zip instead of the default.")
    ] = None,
    proposed: Annotated[
        bool, typer.Option("--proposed", help="Store as the proposed-rule values of the year.")
    ] = False,
    released: Annotated[
        str | None,
        typer.Option(
            "--released",
            help="Date the release came out, YYYY-MM-DD, for files that do not print it "
            "(the fixed-width .txt); default: today.",
        ),
    ] = None,
    db: DbOption = None,
    json: JsonOption = False,
) -> None:
    """Load one year of the CMS Physician Fee Schedule RVU release (PPRRVU, GPCI, localities).

    Without --from-file, downloads the January release: the zip linked from the CMS page
    https://www.cms.gov/medicare/payment/fee-schedules/physician/pfs-relative-value-files/rvu<yy>a,
    else https://www.cms.gov/files/zip/rvu<yy>a.zip. One transaction per year: a bad file writes
    nothing. Each release's values count from its release date, so replays with --as-of see
    the release that was public then.

    Example: payforce sync fee-schedule --year 2026 --from-file RVU26A.zip
    """
    from payforce.store.fee_tables import sync_fee_schedule as run

    day = parse_date(released, "--released", default_today=False) if released else None
    store = open_cli_store(db)
    stage = "proposed" if proposed else "final"
    if from_file:
        files = [(p.name, read_input(p)) for p in from_file]
        summary, release = run(store, year, files=files, stage=stage, released=day)
    else:
        from payforce.sources.base import http_client

        with http_client(get_settings(db)) as client:
            err(f"Fetching the CMS RVU release for {year}…")
            summary, release = run(
                store, year, client=client, urls=[url] if url else None, stage=stage, released=day
            )
    skips = {
        f.path: len(f.skips)
        for f in (release.pprrvu, release.pprrvu_qp, release.gpci, release.localities)
        if f is not None
    }
    if json:
        emit_json({"synced": summary, "skipped": skips})
        return
    out(f"fee schedule {year} ({stage}) from {summary.source}")
    if release.pprrvu is not None:
        public = summary.available_from.isoformat() if summary.available_from else "?"
        out(f"  release {summary.release or '(unnamed)'}, public from {public}")
        out(f"  PPRRVU rows: {summary.rvu_rows} ({release.pprrvu.path})")
    else:
        out("  no PPRRVU file: RVUs left as they were")
    out(f"  GPCI localities: {summary.gpcis}; county rows: {summary.localities}")
    for kind, value in summary.conversion_factors.items():
        out(f"  conversion factor {kind}: ${value:.4f}")
    out(f"  tracked codes updated: {summary.tracked_values}")
    for path, n in skips.items():
        if n:
            out(f"  skipped {n} rows in {path} (blank, notes, footnotes)")


@sync_app.command("hcpcs")
def sync_hcpcs(
    year: Annotated[int, typer.Option("--year", help="HCPCS file year, e.g. 2026.")],
    from_file: Annotated[
        Path | None,
        typer.Option("--from-file", help="The annual alpha-numeric zip or its ANWEB .txt file."),
    ] = None,
    db: DbOption = None,
    json: JsonOption = False,
) -> None:
    """Load the CMS HCPCS Level II annual file (codes, modifiers, actions) for one year.

    Example: payforce sync hcpcs --year 2019 --from-file HCPC2019_CONTR_ANWEB.txt
    """
    from payforce.store.fee_tables import sync_hcpcs as run

    store = open_cli_store(db)
    if from_file is not None:
        written, parsed = run(store, year, data=read_input(from_file), source=from_file.name)
    else:
        from payforce.sources.base import http_client

        with http_client(get_settings(db)) as client:
            err(f"Fetching the HCPCS file for {year}…")
            written, parsed = run(store, year, client=client)
    if json:
        emit_json(
            {"year": year, "file": parsed.path, "records": written, "skipped": len(parsed.skips)}
        )
        return
    out(f"HCPCS {year} from {parsed.path}: {written} codes and modifiers")
    out(f"  skipped {len(parsed.skips)} lines (disclaimer block, blank lines)")
