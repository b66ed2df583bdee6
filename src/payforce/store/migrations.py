"""Named schema migrations, applied once each and recorded in the ``migrations`` table.

Register a migration with ``@migration("0002_add_x")``; it receives the open connection.
"""

from __future__ import annotations

from collections.abc import Callable

from sqlalchemy import Connection, select

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
