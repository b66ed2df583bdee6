"""Your data, kept apart from reference data: backup and restore (watches, digests,
assessments, respondents and answers)."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from payforce.cli.app import DbOption, JsonOption, app, emit_json, get_settings, out
from payforce.errors import InputError

if TYPE_CHECKING:
    from payforce.config import Settings

__all__ = ["backup", "confirm_user_data_loss", "restore"]


def confirm_user_data_loss(
    settings: Settings, counts: dict[str, int], yes: bool, action: str
) -> Path | None:
    """Ask before deleting user data; write a backup first. Returns the backup path (None when
    there was nothing to lose). Without a terminal to ask on and without ``--yes``: refuse."""
    from payforce.store.clock import utcnow_text
    from payforce.store.db import Store
    from payforce.store.userdata import describe_counts, write_backup

    if not any(counts.values()):
        return None
    what = describe_counts(counts)
    if not yes:
        if not sys.stdin.isatty():
            raise InputError(
                f"{action}: would delete your data ({what}); nobody to ask",
                hint="Run payforce backup --out FILE, then add --yes",
            )
        if not typer.confirm(f"This deletes your data ({what}). A backup is written first. Go on?"):
            raise InputError(f"{action}: stopped; nothing was changed")
    stamp = utcnow_text().replace(":", "").replace("-", "")
    path = settings.home / "backups" / f"user-data-{stamp}.json"
    write_backup(Store.open(settings.database_url, allow_empty=True), path)
    return path


@app.command()
def backup(
    out_file: Annotated[
        Path, typer.Option("--out", help="JSON file to write (replaced if it exists).")
    ],
    db: DbOption = None,
    json: JsonOption = False,
) -> None:
    """Save your data (watches, digests, assessments and answers) to a JSON file.

    Reference data is not included: payforce init and payforce sync rebuild it.

    Example: payforce backup --out payforce-backup.json
    """
    from payforce.store.db import Store
    from payforce.store.userdata import describe_counts, write_backup

    store = Store.open(get_settings(db).database_url)
    counts = write_backup(store, out_file)
    if json:
        emit_json({"backup": str(out_file), "rows": counts})
        return
    out(f"Saved {describe_counts(counts)} to {out_file}")


@app.command()
def restore(
    file: Annotated[Path, typer.Argument(help="A file written by payforce backup.")],
    yes: Annotated[
        bool, typer.Option("--yes", help="Replace existing data without asking.")
    ] = False,
    db: DbOption = None,
    json: JsonOption = False,
) -> None:
    """Bring back your data from a backup, replacing the store's watches and assessments.

    The whole file is checked first; a bad file changes nothing.

    Example: payforce restore payforce-backup.json
    """
    from payforce.store.db import Store
    from payforce.store.snapshot import ensure_snapshot
    from payforce.store.userdata import (
        describe_counts,
        read_backup,
        restore_user_data,
        user_data_counts,
    )

    settings = get_settings(db)
    read_backup(file)  # refuse a bad file before asking anything
    store = Store.open(settings.database_url)
    ensure_snapshot(store)
    current = user_data_counts(store)
    if any(current.values()):
        confirm_user_data_loss(settings, current, yes, "restore")
    counts = restore_user_data(store, file)
    if json:
        emit_json({"restored": str(file), "rows": counts})
        return
    out(f"Restored {describe_counts(counts)} from {file}")
