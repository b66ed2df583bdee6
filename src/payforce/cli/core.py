"""Core commands: init, outlook, role, trace, signals, docs, codes."""

from __future__ import annotations

from typing import Annotated

import typer

from payforce.cli.app import DbOption, JsonOption, app, emit_json, err, get_settings, out


@app.command()
def init(
    reset: Annotated[bool, typer.Option("--reset", help="Delete and rebuild the database.")] = False,
    db: DbOption = None,
    json: JsonOption = False,
) -> None:
    """Create the store and load the bundled snapshot (loading twice changes nothing).

    Example: payforce init --reset
    """
    from payforce.store.db import Store
    from payforce.store.snapshot import load_snapshot, reset_store

    settings = get_settings(db)
    store = reset_store(settings.database_url) if reset else Store.open(settings.database_url)
    counts = load_snapshot(store, progress=lambda step: err(f"  loading {step}"))
    if json:
        emit_json({"database": store.url, "rows": counts})
        return
    out(f"payforce store ready at {store.url}")
    for table, n in counts.items():
        out(f"  {table}: {n} rows")
