"""Workforce commands: sync bls, sync onet, pivot."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Any

import typer

from payforce.cli.app import (
    AsOfOption,
    DbOption,
    JsonOption,
    app,
    emit_json,
    err,
    get_settings,
    open_cli_store,
    out,
    parse_date,
    sync_app,
)
from payforce.errors import InputError

FromFileOption = Annotated[
    Path | None,
    typer.Option("--from-file", help="Read a downloaded file instead of fetching it."),
]


def _read(path: Path) -> bytes:
    if not path.exists():
        raise InputError(
            f"--from-file: no such file ({str(path)!r})",
            hint="Give the path of the downloaded file",
        )
    return path.read_bytes()


def _print_summary(summary: dict[str, Any]) -> None:
    written = ", ".join(f"{t}: {n} rows" for t, n in summary["written"].items())
    out(f"{summary['kind']} {summary['label']} from {summary['source']}: {written}")
    for reason, n in summary["skipped"].items():
        out(f"  skipped {n} ({reason})")
    for marker, n in summary.get("markers", {}).items():
        out(f"  marker {marker!r}: {n} cells")
    if summary.get("available_from"):
        basis = "BLS release" if summary["date_basis"].startswith("released") else "rule"
        out(f"  read from {summary['available_from']} on ({basis}; see --json)")


@sync_app.command("bls")
def sync_bls(
    year: Annotated[int | None, typer.Option("--year", help="OEWS survey year (May).")] = None,
    from_file: FromFileOption = None,
    projections: Annotated[
        bool,
        typer.Option(
            "--projections/--no-projections",
            help="Also fetch the Employment Projections table (live only).",
        ),
    ] = True,
    db: DbOption = None,
    json: JsonOption = False,
) -> None:
    """Load BLS OEWS national employment and wages (and Employment Projections) into the store.

    --from-file takes national_M<year>_dl.xlsx/.xls, its CSV export, the oesm<yy>nat.zip, the
    Employment Projections occupation.xlsx or the data.bls.gov "Employment Projections.csv"
    export; the kind is told from the header. A file replaces its whole vintage (that May-year
    or projection period); --year that disagrees with the file is refused. Without it,
    fetches https://www.bls.gov/oes/special-requests/oesm<yy>nat.zip (default year 2024) and
    https://www.bls.gov/emp/ind-occ-matrix/occupation.xlsx.

    Example: payforce sync bls --from-file national_M2024_dl.xlsx
    """
    from payforce.workforce.sync import sync_bls_bytes

    data = _read(from_file) if from_file is not None else None
    store = open_cli_store(db)
    summaries = []
    if from_file is not None and data is not None:
        summaries.append(sync_bls_bytes(store, data, from_file.name, year))
    else:
        from payforce.sources.base import http_client
        from payforce.sources.bls import fetch_oews, fetch_projections

        with http_client(get_settings(db)) as client:
            survey = year or 2024
            err(f"Fetching OEWS May {survey}…")
            data, url = fetch_oews(client, survey)
            summaries.append(sync_bls_bytes(store, data, url, survey))
            if projections:
                err("Fetching Employment Projections…")
                data, url = fetch_projections(client)
                summaries.append(sync_bls_bytes(store, data, url))
    if json:
        emit_json({"synced": [s.to_dict() for s in summaries]})
        return
    for s in summaries:
        _print_summary(s.to_dict())


@sync_app.command("onet")
def sync_onet(
    from_file: Annotated[
        Path | None,
        typer.Option(
            "--from-file", help="The O*NET db_<version>_text.zip or its extracted folder."
        ),
    ] = None,
    release: Annotated[str, typer.Option("--release", help="O*NET release to fetch.")] = "30_0",
    db: DbOption = None,
    json: JsonOption = False,
) -> None:
    """Load O*NET occupations, alternate titles, tasks, skills and related occupations.

    Without --from-file, fetches https://www.onetcenter.org/dl_files/database/db_30_0_text.zip.
    O*NET is CC BY 4.0 (USDOL/ETA); the attribution is printed after the sync.

    Example: payforce sync onet --from-file db_30_0_text.zip
    """
    from payforce.sources.onet import ATTRIBUTION, parse_onet_dir, parse_onet_zip
    from payforce.workforce.sync import sync_onet_database

    if from_file is not None:
        if from_file.is_dir():
            database, source = parse_onet_dir(from_file), str(from_file)
        else:
            database, source = parse_onet_zip(_read(from_file), from_file.name), from_file.name
    else:
        from payforce.sources.base import http_client
        from payforce.sources.onet import fetch_onet

        with http_client(get_settings(db)) as client:
            err(f"Fetching O*NET {release}…")
            data, source = fetch_onet(client, release)
        database = parse_onet_zip(data, source)
    summary = sync_onet_database(open_cli_store(db), database, source)
    if json:
        emit_json({"synced": [summary.to_dict()], "attribution": ATTRIBUTION})
        return
    _print_summary(summary.to_dict())
    out("")
    out(ATTRIBUTION)


def _money(value: float | None) -> str:
    return f"${value:,.0f}" if value else "n/a"


@app.command()
def pivot(
    text: Annotated[str, typer.Argument(help="A role in your words, e.g. 'UR nurse' or 'coder'.")],
    as_of: AsOfOption = None,
    db: DbOption = None,
    json: JsonOption = False,
) -> None:
    """Where a role can move: targets ranked by outlook gain, wage, overlap and credential.

    Each target lists the billable work that funds it: codes (with the chain step the target
    fills), rules and programs, with links to check them.

    Example: payforce pivot "UR nurse" --as-of 2026-06-30
    """
    from payforce.knowledge import load_knowledge
    from payforce.sources.onet import ATTRIBUTION
    from payforce.workforce.pivots import pivot_paths
    from payforce.workforce.resolve import resolve_in_store

    day = parse_date(as_of, "--as-of")
    assert day is not None
    store = open_cli_store(db)
    knowledge = load_knowledge()
    role = resolve_in_store(store, text, knowledge)
    paths = pivot_paths(store, role.key, day, knowledge)
    uses_onet = any(p.overlap_basis.startswith("O*NET") for p in paths)
    if json:
        emit_json(
            {
                "role": role.key,
                "title": role.title,
                "as_of": day.isoformat(),
                "pivots": [p.to_dict() for p in paths],
                "attribution": ATTRIBUTION if uses_onet else None,
            }
        )
        return
    out(f"{role.title} ({role.key}), resolved from {text!r}; pivot paths as of {day.isoformat()}")
    if not paths:
        out("No curated pivot paths from this role yet.")
        return
    for p in paths:
        wage = "n/a" if p.wage_change_pct is None else f"{p.wage_change_pct:+.1f}%"
        out("")
        out(f"{p.rank}. {p.target_title} ({p.target}), score {p.score:+.3f}")
        out(
            f"   outlook {p.source_direction} → {p.target_direction} "
            f"(gain {p.outlook_gain:+.2f}); median wage {_money(p.source_wage)} → "
            f"{_money(p.target_wage)} ({wage}); overlap {p.overlap:.2f} ({p.overlap_basis})"
        )
        if p.wage_note:
            out(f"   ≈ wage change {p.wage_note}")
        out(f"   credentials: {', '.join(p.credentials) or 'none'}")
        out(f"   skills to build: {', '.join(p.skills) or 'none listed'}")
        out(f"   funded by: {p.funded_by}")
        for e in p.funding[:8]:
            link = f" <{e.url}>" if e.url else ""
            value = f" = {e.value}" if e.value else ""
            out(f"     - {e.kind} {e.ref}: {e.label}{value}{link}")
        if len(p.funding) > 8:
            out(f"     … and {len(p.funding) - 8} more (see --json)")
    out("")
    out(
        "score = 0.45 tanh(gain/2) + 0.25 wage(±50%) + 0.20 overlap − 0.10 credential burden; "
        "see docs/workforce.md"
    )
    if uses_onet:
        out(ATTRIBUTION)
