"""Web commands: ``serve`` (the web app) and ``report`` (a standalone workforce brief)."""

from __future__ import annotations

import enum
from datetime import UTC, datetime
from pathlib import Path
from typing import Annotated, Any, assert_never

import typer

from payforce.cli.app import AsOfOption, DbOption, app, err, open_cli_store, parse_date
from payforce.errors import InputError

__all__ = ["ReportFormat", "render_report"]


class ReportFormat(enum.Enum):
    """The report formats ``payforce report --format`` accepts."""

    HTML = "html"
    PDF = "pdf"
    MD = "md"


def render_report(fmt: ReportFormat, report: dict[str, Any]) -> bytes:
    """Render gathered report data in ``fmt`` (exhaustive: a new format must be handled here)."""
    if fmt is ReportFormat.HTML:
        from payforce.reports.html import render_html

        return render_html(report).encode("utf-8")
    if fmt is ReportFormat.PDF:
        from payforce.reports.pdf import render_pdf

        return render_pdf(report)
    if fmt is ReportFormat.MD:
        from payforce.reports.markdown import render_markdown

        return render_markdown(report).encode("utf-8")
    assert_never(fmt)


@app.command()
def serve(
    host: Annotated[str, typer.Option("--host", help="Interface to listen on.")] = "127.0.0.1",
    port: Annotated[int, typer.Option("--port", help="TCP port.", min=0, max=65535)] = 8000,
    access_log: Annotated[
        bool,
        typer.Option(
            "--access-log/--no-access-log",
            help="Log one line per request on standard output (on by default).",
        ),
    ] = True,
    response_cache: Annotated[
        bool,
        typer.Option("--response-cache/--no-response-cache", hidden=True),
    ] = True,
    workers: Annotated[
        int,
        typer.Option(
            "--workers",
            help="Worker processes (one per CPU serves a team best; they share computed "
            "outlooks through files under the payforce home).",
            min=1,
            max=64,
        ),
    ] = 1,
    db: DbOption = None,
) -> None:
    """Run the web app: dashboard, role / code / document pages, search and the JSON API.

    Listens on 127.0.0.1 unless --host says otherwise (use 0.0.0.0 to serve a team).
    Point PAYFORCE_DATABASE_URL at PostgreSQL to share one database between users.
    Each request is logged (client, method, path, status) unless --no-access-log is given.

    Example: payforce serve --host 127.0.0.1 --port 8000
    """
    import logging

    import uvicorn

    from payforce.cli.app import get_settings
    from payforce.web.app import create_app

    store = open_cli_store(db)  # builds the store once, before any worker starts
    err(
        f"payforce web on http://{host}:{port}/ (database {store.url}"
        + (f", {workers} workers" if workers > 1 else "")
        + "); Ctrl-C stops it"
    )
    if workers > 1:
        import json
        import os

        from payforce.web.app import WORKER_ENV

        store.dispose()  # each worker opens its own
        os.environ[WORKER_ENV] = json.dumps({"db": db, "cache": response_cache})
        uvicorn.run(
            "payforce.web.app:worker_app",
            factory=True,
            workers=workers,
            host=host,
            port=port,
            log_level="info" if access_log else "warning",  # workers configure their own logs
            access_log=access_log,
            server_header=False,
        )
        return
    application = create_app(store, get_settings(db), cache=response_cache)
    config = uvicorn.Config(
        application,
        host=host,
        port=port,
        log_level="warning",
        access_log=access_log,
        server_header=False,
    )
    if access_log:  # uvicorn's startup chatter stays at warning; the access lines are info
        logging.getLogger("uvicorn.access").setLevel(logging.INFO)
    try:
        uvicorn.Server(config).run()
    finally:
        store.dispose()


@app.command()
def report(
    out: Annotated[Path, typer.Option("--out", help="File to write.", dir_okay=False)],
    fmt: Annotated[
        ReportFormat, typer.Option("--format", help="html, pdf or md.", case_sensitive=False)
    ] = ReportFormat.HTML,
    role: Annotated[
        str | None, typer.Option("--role", help="Role key or free text for a personal brief.")
    ] = None,
    as_of: AsOfOption = None,
    db: DbOption = None,
) -> None:
    """Write a workforce brief (dashboard, plus one role when --role is given) as a file.

    The same views, charts and evidence links as the web pages, for a person or a leadership team.

    Example: payforce report --role "care manager" --as-of 2026-01-31 --format pdf --out brief.pdf
    """
    from payforce.web.views import ViewContext, gather_report

    day = parse_date(as_of, "--as-of")
    assert day is not None
    if out.parent and not out.parent.exists():
        raise InputError(
            f"--out: folder does not exist ({str(out.parent)!r})", hint="Create it first"
        )
    store = open_cli_store(db)
    try:
        generated = datetime.now(UTC).replace(microsecond=0).isoformat()
        data = gather_report(ViewContext(store), day, generated, role)
        out.write_bytes(render_report(fmt, data))
    finally:
        store.dispose()
    err(f"wrote {out} ({fmt.value}, as of {day.isoformat()})")
