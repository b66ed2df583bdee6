"""The Typer app, its shared options (--db, --as-of, --json) and the error edge.

Command modules (``cli/<area>.py``) import ``app`` / ``sync_app`` from here and register commands.
Every command is: parse options → call one library function → print.
"""

from __future__ import annotations

import sys
from datetime import date
from typing import TYPE_CHECKING, Annotated, Any

import typer
from typer.core import TyperGroup

from payforce.errors import InputError, PayforceError

if TYPE_CHECKING:
    from payforce.config import Settings
    from payforce.store.db import Store

__all__ = [
    "AsOfOption",
    "DbOption",
    "JsonOption",
    "app",
    "emit_json",
    "err",
    "get_settings",
    "open_cli_store",
    "out",
    "parse_date",
    "sync_app",
]


class _ErrorEdgeGroup(TyperGroup):
    """Turns a PayforceError anywhere below into one line on stderr and exit code 1."""

    def invoke(self, ctx: Any) -> Any:  # a click Context (typer vendors click)
        try:
            return super().invoke(ctx)
        except PayforceError as exc:
            typer.echo(f"Error: {exc.message}", err=True)
            raise typer.Exit(1) from None


app = typer.Typer(
    cls=_ErrorEdgeGroup,
    name="payforce",
    help="Follow the money: read U.S. healthcare payment policy, see which jobs it funds.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
    rich_markup_mode=None,
)
sync_app = typer.Typer(
    help="Fetch outside sources (Federal Register, CMS, BLS, O*NET) into the store.",
    no_args_is_help=True,
    rich_markup_mode=None,
)
app.add_typer(sync_app, name="sync")

DbOption = Annotated[
    str | None,
    typer.Option("--db", help="Database URL or SQLite file (default: PAYFORCE_DATABASE_URL)."),
]
AsOfOption = Annotated[
    str | None,
    typer.Option(
        "--as-of", help="Only evidence published by this date, YYYY-MM-DD (default: today)."
    ),
]
JsonOption = Annotated[bool, typer.Option("--json", help="Print JSON instead of a table.")]


def out(text: str = "") -> None:
    """Write a line of results to stdout."""
    typer.echo(text)


def err(text: str) -> None:
    """Write progress, warnings or errors to stderr."""
    typer.echo(text, err=True)


def parse_date(text: str | None, option: str, *, default_today: bool = True) -> date | None:
    """Parse an ISO date option; None → today (the CLI is allowed to read the clock)."""
    if text is None or text == "":
        return date.today() if default_today else None
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise InputError(
            f"{option}: not a date ({text!r})", hint="Use YYYY-MM-DD, e.g. 2026-06-30"
        ) from None


def get_settings(db: str | None = None) -> Settings:
    """Settings from the environment, with ``--db`` applied."""
    from payforce.config import Settings

    settings = Settings.from_env()
    return settings.with_database(db) if db else settings


def open_cli_store(db: str | None = None) -> Store:
    """Open the configured store, loading the bundled snapshot on first use (progress on stderr)."""
    from payforce.store.snapshot import open_store

    settings = get_settings(db)
    announced = False

    def progress(step: str) -> None:
        nonlocal announced
        if not announced:
            err("Building the payforce store from the bundled snapshot…")
            announced = True
        err(f"  loading {step}")

    return open_store(settings.database_url, progress=progress)


def emit_json(data: dict[str, Any]) -> None:
    """Print the success envelope as JSON on stdout (same serialiser as the web API)."""
    from payforce.serialize import dumps, envelope

    sys.stdout.write(dumps(envelope(data)) + "\n")
