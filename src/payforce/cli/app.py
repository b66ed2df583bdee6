"""The Typer app, its shared options (--db, --as-of, --json), the error edge and output helpers.

Command modules (``cli/<area>.py``) import ``app`` / ``sync_app`` from here and register commands.
Every command is: parse options → call one library function → print. What every command gets
for free from this module:

- ``--json`` errors: a :class:`PayforceError` (or a usage error) under ``--json`` is printed as
  the JSON error envelope ``{"ok": false, "error": ..., "status": ...}`` on stdout (exit 1, or 2
  for usage); without ``--json`` it is one line on stderr.
- Freshness: a command that opened the store (``open_cli_store``) ends its text output with the
  newest evidence date in the store and warns on stderr when that is more than 30 days before
  today (or ``--as-of``); ``emit_json`` adds the same as a ``freshness`` object.
- Output that fits: ``page()`` gives a :class:`payforce.terminal.layout.Page` sized to the
  terminal (tables that fit, whole words, hyperlinks or a numbered link list); ``show(page)``
  prints it. ``question_name`` and ``QUESTION_LEGEND`` name the five questions in words.
"""

from __future__ import annotations

import os
import sys
from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING, Annotated, Any

import typer
from typer.core import TyperGroup

from payforce import __version__
from payforce.errors import (
    InputError,
    LookupFailedError,
    PayforceError,
    StoreError,
)
from payforce.terminal.layout import Page, wrap
from payforce.terminal.words import QUESTION_LEGEND, question_name

if TYPE_CHECKING:
    from payforce.config import Settings
    from payforce.store.db import Store

__all__ = [
    "QUESTION_LEGEND",
    "AsOfOption",
    "check_option",
    "current_store",
    "store_freshness",
    "DbOption",
    "JsonOption",
    "app",
    "emit_json",
    "err",
    "get_settings",
    "open_cli_store",
    "out",
    "page",
    "parse_date",
    "question_name",
    "show",
    "skip_freshness",
    "sync_app",
]


@dataclass
class _Run:
    """What the running command did that the error edge and the freshness footer need."""

    json: bool = False
    command: str = ""
    as_of: date | None = None
    store: Store | None = None
    freshness_shown: bool = False


_RUN = _Run()


EXIT_ERROR = 1
"""A reported user or data error."""
EXIT_STORE = 3
"""The store cannot be used now: disk full, read-only, damaged or empty, connection lost."""


def exit_code(exc: PayforceError) -> int:
    """1 for a reported error; 3 when the store cannot be used (see README's exit codes)."""
    from payforce.errors import StoreUnavailableError

    return EXIT_STORE if isinstance(exc, StoreUnavailableError) else EXIT_ERROR


def error_status(exc: PayforceError) -> int:
    """HTTP-like status of an error in the JSON envelope (as the web API answers it)."""
    if isinstance(exc, LookupFailedError):
        return 404
    if isinstance(exc, StoreError):
        return 503
    return 400


def _json_requested(args: list[str]) -> bool:
    return "--json" in args or any(a == "--format=json" for a in args)


def _print_error(message: str, status: int, code: int) -> None:
    if _RUN.json:
        from payforce.serialize import dumps, error_envelope

        sys.stdout.write(dumps(error_envelope(message, status)) + "\n")
    else:
        typer.echo(f"Error: {message}", err=True)
    raise typer.Exit(code)


class _ErrorEdgeGroup(TyperGroup):
    """Turns a PayforceError anywhere below into one line on stderr (or the JSON error envelope
    under ``--json``) and exit code 1 (3 when the store cannot be used); ends text output with
    the store's freshness."""

    def invoke(self, ctx: Any) -> Any:  # a click Context (typer vendors click)
        global _RUN
        args = [*getattr(ctx, "_protected_args", []), *ctx.args]
        _RUN = _Run(json=_json_requested(args), command=args[0] if args else "")
        opened = _engines_before()
        try:
            return self._invoke(ctx, args)
        finally:
            _dispose_opened(opened)

    def _invoke(self, ctx: Any, args: list[str]) -> Any:
        try:
            result = super().invoke(ctx)
        except PayforceError as exc:
            _print_error(exc.message, error_status(exc), exit_code(exc))
        except OSError as exc:  # a path the user gave that cannot be read or written
            where = getattr(exc, "filename", None) or "file"
            _print_error(f"{where}: cannot use this file ({exc.strerror or exc})", 400, 1)
        except _usage_error() as exc:
            if not _RUN.json:
                raise
            _print_error(str(exc.format_message()), 400, 2)
        command = args[0] if args else ""
        if command in {"init", "sync", "restore"}:
            _forget_answers()
        try:
            _footer(command)
        except PayforceError as exc:  # the store failed while reading its freshness
            _print_error(exc.message, error_status(exc), exit_code(exc))
        return result


def _engines_before() -> set[int] | None:
    """The store engines already open (None when no store module was imported yet)."""
    db = sys.modules.get("payforce.store.db")
    return None if db is None else db.opened_engines()  # type: ignore[no-any-return]


def _dispose_opened(before: set[int] | None) -> None:
    """Close the connections of the stores this command opened (none on the quick path)."""
    db = sys.modules.get("payforce.store.db")
    if db is not None:
        db.dispose_opened_since(before or set())


def _usage_error() -> type[Any]:
    """Click's UsageError as Typer uses it (Typer vendors Click as ``typer._click``)."""
    from typer import core

    return core._click.exceptions.UsageError  # type: ignore[no-any-return]


def _forget_answers() -> None:
    """After a write to the store: drop cached answers (their keys would not match anyway)."""
    from payforce.terminal import quick

    try:
        database = quick._database_file(None, os.environ)
    except PayforceError:
        return
    if database is not None:
        quick.clear(database)


def _footer(command: str) -> None:
    """The newest evidence date and, when stale, a warning, on stderr after text output (the
    commands of ``payforce.terminal.answers`` state it on stdout as part of their answer)."""
    if _RUN.json or _RUN.freshness_shown or _RUN.store is None or command in _NO_FOOTER:
        return
    from payforce.terminal.words import freshness_lines

    width = Page.for_terminal(sys.stderr).width
    for line in freshness_lines(store_freshness(_RUN.store)):
        if line:
            err("\n".join(wrap(line, width)))


_NO_FOOTER = frozenset({"assess", "watch", "serve"})
"""Commands about user data or serving pages: no freshness footer."""


def store_freshness(store: Store) -> dict[str, Any]:
    """Freshness of the store compared with ``--as-of`` (when given) or today."""
    from payforce.store.freshness import freshness

    today = date.today()
    return freshness(store, _RUN.as_of or today, today=today)


def current_store() -> Store | None:
    """The store the running command opened (None before ``open_cli_store``)."""
    return _RUN.store


def skip_freshness() -> None:
    """For a command that states freshness itself (or whose output is a document)."""
    _RUN.freshness_shown = True


def page() -> Page:
    """A page laid out for stdout's terminal (width, hyperlinks)."""
    return Page.for_terminal()


def show(p: Page) -> None:
    """Print a page."""
    typer.echo(p.render())


def _version(value: bool) -> None:
    if value:
        typer.echo(f"payforce {__version__}")
        raise typer.Exit()


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


@app.callback()
def _main(
    version: Annotated[
        bool,
        typer.Option(
            "--version", help="Print the version and exit.", callback=_version, is_eager=True
        ),
    ] = False,
) -> None:
    """Follow the money: read U.S. healthcare payment policy, see which jobs it funds."""


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


def out(text: str = "", *, raw: bool = False) -> None:
    """Write a line of results to stdout, wrapped at spaces to the terminal's width (a long
    line continues under its own indent, two columns in). ``raw`` prints a document (JSON,
    HTML, Markdown) as it is."""
    if raw or not text:
        typer.echo(text)
        return
    width = _width()
    lines = []
    for line in text.split("\n"):
        if len(line) <= width:
            lines.append(line)
            continue
        indent = " " * (len(line) - len(line.lstrip(" ")) + 2)
        lines.extend(
            wrap(line.strip(" "), width, indent, line[: len(line) - len(line.lstrip(" "))])
        )
    typer.echo("\n".join(lines))


def _width() -> int:
    from payforce.terminal.layout import terminal_width

    return terminal_width()


def err(text: str) -> None:
    """Write progress, warnings or errors to stderr."""
    typer.echo(text, err=True)


def parse_date(text: str | None, option: str, *, default_today: bool = True) -> date | None:
    """Parse an ISO date option; None → today (the CLI is allowed to read the clock)."""
    if text is None or text == "":
        return date.today() if default_today else None
    try:
        day = date.fromisoformat(text)
    except ValueError:
        raise InputError(
            f"{option}: not a date ({text!r})", hint="Use YYYY-MM-DD, e.g. 2026-06-30"
        ) from None
    if option == "--as-of":
        _RUN.as_of = day
    return day


def check_option(
    value: float | None, option: str, low: float, high: float, *, example: str = ""
) -> None:
    """Refuse an option value outside [low, high] (or NaN / infinite) in one line."""
    import math

    if value is None:
        return
    if not math.isfinite(value) or not low <= value <= high:
        raise InputError(
            f"{option}: must be a number from {low:,.10g} to {high:,.10g} ({value!r})",
            hint=f"Use e.g. {example}" if example else None,
        )


YEARS = (1900, 2100)
"""Years a --year option may name."""


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

    store = open_store(settings.database_url, progress=progress)
    _RUN.store = store
    return store


def emit_json(data: dict[str, Any]) -> None:
    """Print the success envelope as JSON on stdout (same serialiser as the web API), with the
    store's ``freshness`` when the command opened the store."""
    from payforce.serialize import dumps, envelope

    if _RUN.store is not None and "freshness" not in data and _RUN.command not in _NO_FOOTER:
        data = {**data, "freshness": store_freshness(_RUN.store)}
    sys.stdout.write(dumps(envelope(data)) + "\n")
