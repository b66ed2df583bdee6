"""Named schema migrations, applied once each and recorded in the ``migrations`` table.

Register a migration with ``@migration("0002_add_x")``; it receives the open connection.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

from sqlalchemy import Connection, inspect, select, text

import payforce.store.schema as schema
from payforce.store.clock import utcnow_text

__all__ = ["MIGRATIONS", "apply_migrations", "migration"]

MIGRATIONS: dict[str, Callable[[Connection], None]] = {}


def migration(name: str) -> Callable[[Callable[[Connection], None]], Callable[[Connection], None]]:
    """Register ``fn`` as the migration called ``name`` (names sort in apply order)."""

    def wrap(fn: Callable[[Connection], None]) -> Callable[[Connection], None]:
        MIGRATIONS[name] = fn
        return fn

    return wrap


@migration("0001_initial")
def _initial(conn: Connection) -> None:
    """The initial schema is created by ``metadata.create_all``; nothing to alter."""


@migration("0002_code_values_release")
def _code_values_release(conn: Connection) -> None:
    """``code_values`` gets ``release`` and ``available_from`` (key: code, year, setting, release).

    Values a user synced keep their rows: the release label and date come from the recorded
    ``fee_releases`` row of their file (its ``RELEASED`` date, else the day it was loaded). The
    bundled snapshot's rows are dropped and the snapshot reloaded on the next open, with dates.
    """
    columns = {c["name"] for c in inspect(conn).get_columns("code_values")}
    if "release" in columns:
        return  # created by this code's metadata already
    old = [dict(r._mapping) for r in conn.execute(text("SELECT * FROM code_values"))]
    releases: dict[str, tuple[str, object]] = {}
    if inspect(conn).has_table("fee_releases"):
        for r in conn.execute(
            text("SELECT pprrvu_file, release, released, loaded_at, year FROM fee_releases")
        ):
            label = r.release or r.pprrvu_file
            if r.release and not r.release.upper().startswith("RVU"):
                label = f"RVU{r.year % 100:02d}{_QUARTER.get(r.release.lower(), '')}"
            day = r.released or str(r.loaded_at)[:10]
            releases[r.pprrvu_file] = (label, day)
    conn.execute(text("DROP TABLE code_values"))
    schema.code_values.create(conn)
    kept = []
    for row in old:
        file = str(row["source"]).rsplit(" line ", 1)[0]
        if file not in releases:
            continue  # a bundled row: the snapshot reload brings it back with its release
        label, day = releases[file]
        day = day if not isinstance(day, str) else date.fromisoformat(day)
        kept.append({**row, "release": label, "available_from": day})
    if kept:
        conn.execute(schema.code_values.insert(), kept)
    conn.execute(schema.meta.delete().where(schema.meta.c.key == "snapshot_digest"))


@migration("0003_document_date_indexes")
def _document_date_indexes(conn: Connection) -> None:
    """Index the documents' comment-closing and effective dates (the dashboard's dated events
    read them on every request; a scan of 100,000 documents otherwise)."""
    for column in ("effective_date", "comments_close_date"):
        conn.execute(
            text(f"CREATE INDEX IF NOT EXISTS ix_documents_{column} ON documents ({column})")
        )


_QUARTER = {"january": "A", "april": "B", "july": "C", "october": "D"}


def apply_migrations(conn: Connection) -> list[str]:
    """Apply the migrations not yet recorded; return their names."""

    done = set(conn.execute(select(schema.migrations.c.name)).scalars())
    applied = []
    for name in sorted(MIGRATIONS):
        if name in done:
            continue
        MIGRATIONS[name](conn)
        conn.execute(schema.migrations.insert(), {"name": name, "applied_at": utcnow_text()})
        applied.append(name)
    return applied
