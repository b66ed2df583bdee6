"""payforce audit: replay dates and check that no view shows what was not public then."""

from __future__ import annotations

from datetime import date
from typing import Annotated

import typer

from payforce.cli.app import DbOption, JsonOption, app, emit_json, open_cli_store, out, parse_date
from payforce.errors import InputError

__all__ = ["audit"]

FIRST_DATE = date(2010, 1, 1)


@app.command()
def audit(
    start: Annotated[
        str | None, typer.Option("--from", help="First date (YYYY-MM-DD). Default 2010-01-01.")
    ] = None,
    end: Annotated[
        str | None, typer.Option("--to", help="Last date (YYYY-MM-DD). Default today.")
    ] = None,
    step: Annotated[
        int | None,
        typer.Option("--step", help="Days between dates. Default: the first of every month."),
    ] = None,
    db: DbOption = None,
    json: JsonOption = False,
) -> None:
    """Replay dates and check every piece of evidence against the date it became public.

    At each date the outlooks and signals, every role's labour figures and pivots, and the
    code ledger are gathered as their --json would print them. Anything dated after the replay
    date, any evidence with no date, any link through a redirector or unrelated site, and any
    secondary page cited before it was written is a violation. Exits 1 when there is one.

    Example: payforce audit --from 2014-01-01 --to 2016-12-31
    """
    from payforce.views.audit import audit as run_audit
    from payforce.views.audit import grid

    first = parse_date(start, "--from", default_today=False) or FIRST_DATE
    last = parse_date(end, "--to")
    assert last is not None
    if last < first:
        raise InputError("--to is before --from", hint="e.g. --from 2014-01-01 --to 2016-12-31")
    if step is not None and step < 1:
        raise InputError(f"--step: must be 1 or more days ({step})")
    dates = grid(first, last, step)
    store = open_cli_store(db)
    checked, found = run_audit(store, dates)
    if json:
        emit_json(
            {
                "from": first.isoformat(),
                "to": last.isoformat(),
                "dates": len(dates),
                "items_checked": checked,
                "violations": [v.to_dict() for v in found],
            }
        )
    else:
        out(
            f"Audited {len(dates)} dates from {first.isoformat()} to {last.isoformat()}: "
            f"{checked:,} evidence items, {len(found)} violation(s)."
        )
        for v in found[:200]:
            out(f"  {v.as_of.isoformat()}  {v.view}: {v.kind} at {v.path}")
            out(f"      {v.detail}")
        if len(found) > 200:
            out(f"  … and {len(found) - 200} more (use --json for all)")
    if found:
        raise typer.Exit(1)
