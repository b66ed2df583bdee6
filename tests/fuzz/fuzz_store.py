"""Stores for the end-to-end fuzz tests (one per backend per module) and the write counter that
shows "nothing written on rejection".

The counter is kept by the database itself: a trigger on every table adds one to
``fuzz_writes.n`` for each row inserted, updated or deleted (and, on PostgreSQL, for each
``TRUNCATE``). It rolls back with the transaction that wrote, so after a rejected input it is
unchanged exactly when no row of any table (reference data and user data alike: watches,
assessments, answers) was committed, however partially. One query per check, where hashing
every table would cost more than the input itself.
"""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import pytest
import sqlalchemy
from sqlalchemy import text

from payforce.store.db import Store
from payforce.store.snapshot import load_snapshot

BACKENDS = ["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)]
"""Parameters of the per-module store fixture: SQLite, then a real PostgreSQL server."""

COUNTER = "fuzz_writes"


@dataclass
class FuzzStore:
    """A store loaded with the bundled snapshot, the URL the CLI opens it by, and its backend."""

    store: Store
    url: str
    backend: str

    def watch(self) -> None:
        """Install the write counter on every table there is now."""
        (_install_sqlite if self.backend == "sqlite" else _install_postgres)(self.store)

    def writes(self) -> int:
        """Rows written (inserted, updated, deleted) in any table since the counter was made."""
        with self.store.connect() as conn:
            return int(conn.execute(text(f"SELECT n FROM {COUNTER}")).scalar_one())


@contextmanager
def fuzz_store(backend: str, folder: Path) -> Iterator[FuzzStore]:
    """A fresh store on ``backend`` with the snapshot loaded (call ``watch`` to count writes)."""
    if backend == "sqlite":
        url = f"sqlite:///{folder / 'payforce.db'}"
        store = Store.open(url)
        try:
            load_snapshot(store)
            yield FuzzStore(store, url, backend)
        finally:
            store.dispose()
        return
    base = os.environ.get("PAYFORCE_TEST_POSTGRES_URL")
    if not base:
        if os.environ.get("CI"):
            pytest.fail("PAYFORCE_TEST_POSTGRES_URL is not set: .ci/run must start PostgreSQL")
        pytest.skip("no PostgreSQL server (set PAYFORCE_TEST_POSTGRES_URL or run `make test`)")
    schema_name = "fz_" + uuid.uuid4().hex[:12]
    admin = sqlalchemy.create_engine(base.replace("postgresql://", "postgresql+psycopg://", 1))
    with admin.begin() as conn:
        conn.execute(text(f'CREATE SCHEMA "{schema_name}"'))
    sep = "&" if "?" in base else "?"
    url = f"{base}{sep}options=-csearch_path%3D{schema_name}"
    store = Store.open(url)
    try:
        load_snapshot(store)
        yield FuzzStore(store, url, backend)
    finally:
        store.dispose()
        with admin.begin() as conn:
            conn.execute(text(f'DROP SCHEMA "{schema_name}" CASCADE'))
        admin.dispose()


def _install_sqlite(store: Store) -> None:
    with store.begin() as conn:
        conn.execute(text(f"CREATE TABLE {COUNTER} (n INTEGER NOT NULL)"))
        conn.execute(text(f"INSERT INTO {COUNTER} VALUES (0)"))
        tables = conn.execute(
            text(
                "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'"
                " AND sql NOT LIKE 'CREATE VIRTUAL%' AND name != :counter"
            ),
            {"counter": COUNTER},
        ).scalars()
        for name in list(tables):
            for event in ("INSERT", "UPDATE", "DELETE"):
                conn.execute(
                    text(
                        f'CREATE TRIGGER "fz_{name}_{event.lower()}" AFTER {event} ON "{name}" '
                        f"BEGIN UPDATE {COUNTER} SET n = n + 1; END"
                    )
                )


def _install_postgres(store: Store) -> None:
    with store.begin() as conn:
        conn.execute(text(f"CREATE TABLE {COUNTER} (n BIGINT NOT NULL)"))
        conn.execute(text(f"INSERT INTO {COUNTER} VALUES (0)"))
        conn.execute(
            text(
                "CREATE FUNCTION fz_count() RETURNS trigger LANGUAGE plpgsql AS "
                f"$$ BEGIN UPDATE {COUNTER} SET n = n + 1; RETURN NULL; END $$"
            )
        )
        tables = conn.execute(
            text(
                "SELECT tablename FROM pg_tables WHERE schemaname = current_schema()"
                " AND tablename != :counter"
            ),
            {"counter": COUNTER},
        ).scalars()
        for name in list(tables):
            conn.execute(
                text(
                    f'CREATE TRIGGER fz_rows AFTER INSERT OR UPDATE OR DELETE ON "{name}" '
                    "FOR EACH ROW EXECUTE FUNCTION fz_count()"
                )
            )
            conn.execute(
                text(
                    f'CREATE TRIGGER fz_truncate AFTER TRUNCATE ON "{name}" '
                    "FOR EACH STATEMENT EXECUTE FUNCTION fz_count()"
                )
            )


def table_count(store: Store) -> int:
    """Tables carrying the counter's triggers (a check that the counter watches every one)."""
    with store.connect() as conn:
        if store.dialect == "sqlite":
            sql = "SELECT count(DISTINCT tbl_name) FROM sqlite_master WHERE type = 'trigger'"
        else:
            sql = (
                "SELECT count(DISTINCT event_object_table) FROM information_schema.triggers"
                " WHERE trigger_schema = current_schema()"
            )
        return int(conn.execute(text(sql)).scalar_one())
