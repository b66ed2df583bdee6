"""The Store: one database (SQLite file or PostgreSQL server), its schema and transactions."""

from __future__ import annotations

import os
import weakref
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from sqlalchemy import Connection, Engine, String, Table, create_engine, event, select
from sqlalchemy.exc import OperationalError, ProgrammingError, SQLAlchemyError

import payforce.store.faults as faults
import payforce.store.schema as schema
from payforce.errors import InputError, StoreError

__all__ = [
    "Store",
    "check_rows",
    "commits",
    "dispose_opened_since",
    "opened_engines",
    "upsert_rows",
]

_OPENED: weakref.WeakSet[Engine] = weakref.WeakSet()
"""Every engine ``Store.open`` made in this process (so a command can close what it opened)."""


def opened_engines() -> set[int]:
    """Identities of the engines opened so far and still alive (no reference kept to them)."""
    return {id(engine) for engine in _OPENED}


def dispose_opened_since(before: set[int]) -> None:
    """Close the pooled server connections of every engine opened after ``before`` was taken.

    A command run in-process (tests, the CLI's error edge) returns its connections here instead
    of leaving them to the garbage collector, where psycopg warns about unclosed connections.
    Disposed engines stay usable: they reconnect on next use.
    """
    for engine in list(_OPENED):
        if id(engine) in before or engine.dialect.name == "sqlite":
            continue  # closing SQLite would checkpoint the WAL that cached answers key on
        try:
            engine.dispose()
        except SQLAlchemyError:  # a connection already lost: nothing left to close cleanly
            pass


_COMMITS = [0]
"""Transactions committed by this process on any store (a write invalidates memoized reads)."""


_ANALYZED = ("documents", "provisions", "billing_codes", "code_values")
"""The tables a sync grows (PostgreSQL analyzes these; SQLite all)."""


def commits() -> int:
    """How many transactions this process has committed, on any store (see ``_COMMITS``)."""
    return _COMMITS[0]


def _count_commit(_conn: Any) -> None:
    _COMMITS[0] += 1


def _sqlite_pragmas(dbapi_conn: Any, _record: Any) -> None:
    cur = dbapi_conn.cursor()
    try:
        cur.execute("PRAGMA journal_mode=WAL")
    except Exception as exc:  # a read-only store keeps its journal mode; other faults → one line
        if "readonly" not in str(exc) and "read-only" not in str(exc):
            raise
    cur.execute("PRAGMA synchronous=NORMAL")
    cur.execute("PRAGMA foreign_keys=ON")
    cur.execute("PRAGMA busy_timeout=10000")
    cur.close()


class Store:
    """A payforce database. Build with :meth:`open`; all SQL lives in ``payforce.store``."""

    def __init__(self, engine: Engine) -> None:
        self.engine = engine

    @property
    def url(self) -> str:
        """Database URL with any password hidden."""
        return self.engine.url.render_as_string(hide_password=True)

    @property
    def dialect(self) -> str:
        """``sqlite`` or ``postgresql``."""
        return self.engine.dialect.name

    @property
    def sqlite_path(self) -> Path | None:
        """The SQLite database file (None on PostgreSQL)."""
        found = _sqlite_file(self.engine)
        return Path(found) if found else None

    @classmethod
    def open(cls, url: str, *, allow_empty: bool = False) -> Store:
        """Open (and create if needed) the database at ``url``; creates the schema.

        A 0-byte SQLite file is reported (``StoreUnavailableError``, reason ``empty``), never
        silently rebuilt, unless ``allow_empty`` (``payforce init --reset``). A store file that
        may be read but not written opens read-only: reads work, writes fail in one line.
        """
        if url.startswith("postgresql://"):
            url = "postgresql+psycopg://" + url[len("postgresql://") :]
        if url.startswith("sqlite:///"):
            path = Path(url[len("sqlite:///") :])
            if str(path) not in ("", ":memory:") and not str(path).startswith("file:"):
                try:
                    path.parent.mkdir(parents=True, exist_ok=True)
                except OSError as exc:
                    raise StoreError(
                        f"{path}: cannot create the database folder ({exc.strerror})",
                        hint="Set PAYFORCE_HOME or --db to a folder you can write",
                    ) from exc
                url = _sqlite_url_for(path, url, allow_empty)
        try:
            engine = create_engine(url)
        except (SQLAlchemyError, ImportError, ValueError) as exc:
            raise StoreError(f"{url}: cannot open database ({exc})") from exc
        if engine.dialect.name == "sqlite":
            event.listen(engine, "connect", _sqlite_pragmas)
        event.listen(engine, "handle_error", faults.on_handle_error(_label(engine)))
        event.listen(engine, "commit", _count_commit)
        _OPENED.add(engine)
        store = cls(engine)
        if not store._schema_is_current():
            store.create_schema()
        return store

    def _schema_is_current(self) -> bool:
        """True when the recorded schema digest matches this code's table modules.

        Lets read commands skip importing every area's tables and checking each table.
        """
        try:
            with self.engine.connect() as conn:
                value = conn.execute(
                    select(schema.meta.c.value).where(schema.meta.c.key == "schema_digest")
                ).scalar()
        except (OperationalError, ProgrammingError):
            return False  # a new database: no meta table yet
        return value == schema.schema_digest()

    def create_schema(self) -> None:
        """Create missing tables and record the schema version and migrations."""
        schema.load_area_tables()
        try:
            with self.engine.begin() as conn:
                schema.metadata.create_all(conn)
                version = conn.execute(
                    select(schema.meta.c.value).where(schema.meta.c.key == "schema_version")
                ).scalar()
                if version is None:
                    conn.execute(
                        schema.meta.insert(),
                        {"key": "schema_version", "value": str(schema.SCHEMA_VERSION)},
                    )
                from payforce.store.migrations import apply_migrations

                apply_migrations(conn)
                upsert_rows(
                    conn, schema.meta, [{"key": "schema_digest", "value": schema.schema_digest()}]
                )
        except OperationalError as exc:
            raise StoreError(
                f"{self.url}: cannot create the schema ({exc.orig})",
                hint="Check the path or server and that you may write there",
            ) from exc

    @contextmanager
    def begin(self) -> Iterator[Connection]:
        """One transaction: commits on success, rolls back on any error."""
        with self.engine.begin() as conn:
            yield conn

    @contextmanager
    def connect(self) -> Iterator[Connection]:
        """A read connection."""
        with self.engine.connect() as conn:
            yield conn

    def get_meta(self, key: str) -> str | None:
        """Read a value from the ``meta`` table."""
        with self.connect() as conn:
            value = conn.execute(
                select(schema.meta.c.value).where(schema.meta.c.key == key)
            ).scalar()
        return None if value is None else str(value)

    def set_meta(self, conn: Connection, key: str, value: str) -> None:
        """Write a value to the ``meta`` table inside the caller's transaction."""
        upsert_rows(conn, schema.meta, [{"key": key, "value": value}])

    def refresh_statistics(self) -> None:
        """Tell the query planner the tables' new sizes after a bulk write (a sync): without
        it SQLite may walk 100,000 documents by date to join 76 provisions (76 ms, not 1 ms).
        SQLite samples (``analysis_limit``: ~0.2 s on 100,000 documents); PostgreSQL analyzes
        the large tables."""
        with self.engine.begin() as conn:
            if self.dialect == "sqlite":
                conn.exec_driver_sql("PRAGMA analysis_limit=1000")
                conn.exec_driver_sql("ANALYZE")
            else:
                conn.exec_driver_sql(f"ANALYZE {', '.join(_ANALYZED)}")

    def dispose(self) -> None:
        """Close pooled connections."""
        self.engine.dispose()


def _sqlite_file(engine: Engine) -> str | None:
    """The SQLite database file's path (None: PostgreSQL, or an in-memory database)."""
    if engine.dialect.name == "sqlite" and engine.url.database:
        return engine.url.database.removeprefix("file:")
    return None


def _label(engine: Engine) -> str:
    """How messages name the store: the SQLite file path, or the URL without its password."""
    return _sqlite_file(engine) or engine.url.render_as_string(hide_password=True)


def _sqlite_url_for(path: Path, url: str, allow_empty: bool) -> str:
    """Refuse an empty file; open a store we may not write read-only (``mode=ro`` or, when
    its folder is read-only too, ``immutable``, since SQLite cannot make its WAL files there)."""
    if not path.exists():
        return url
    if path.is_file() and path.stat().st_size == 0 and not allow_empty:
        raise faults.empty_store_error(path)
    if path.is_file() and _truncated(path):
        raise faults.truncated_store_error(path)
    if os.access(path, os.W_OK) and os.access(path.parent, os.W_OK):
        return url
    mode = "immutable=1" if not os.access(path.parent, os.W_OK) else "mode=ro"
    return f"sqlite:///file:{path.resolve()}?{mode}&uri=true"


def _truncated(path: Path) -> bool:
    """True when the SQLite header promises more pages than the file holds (a cut-off copy).

    SQLite reads only the pages a query needs, so a truncated file can answer some commands
    and fail others; the header's page count (valid when its version-valid-for number equals
    the change counter) lets us refuse it up front.
    """
    with path.open("rb") as fh:
        head = fh.read(100)
    if len(head) < 100 or not head.startswith(b"SQLite format 3\x00"):
        return False
    page_size = int.from_bytes(head[16:18], "big")
    page_size = 65536 if page_size == 1 else page_size
    if head[92:96] != head[24:28]:
        return False  # the in-header page count is not maintained by the writer
    pages = int.from_bytes(head[28:32], "big")
    return path.stat().st_size < page_size * pages


def check_rows(table: Table, rows: Sequence[dict[str, Any]]) -> None:
    """Refuse text longer than its column, or holding a NUL character, on SQLite too
    (PostgreSQL would), in one line."""
    sized = [
        (c.name, c.type.length)
        for c in table.columns
        if isinstance(c.type, String) and c.type.length is not None
    ]
    texts = [c.name for c in table.columns if isinstance(c.type, String)]
    for row in rows:
        for name, size in sized:
            value = row.get(name)
            if isinstance(value, str) and len(value) > size:
                raise InputError(
                    f"{table.name}.{name}: longer than {size} characters ({value[:40]!r}…)",
                    hint="Nothing was written; shorten the value in the source file",
                )
        for name in texts:
            value = row.get(name)
            if isinstance(value, str) and "\x00" in value:
                raise InputError(
                    f"{table.name}.{name}: holds a NUL character ({value[:40]!r})",
                    hint="Nothing was written; remove the NUL bytes from the source file",
                )


def upsert_rows(conn: Connection, table: Table, rows: Sequence[dict[str, Any]]) -> int:
    """Insert rows, updating existing ones on the primary key. Works on SQLite and PostgreSQL."""
    if not rows:
        return 0
    name = conn.dialect.name
    if name == "sqlite":
        from sqlalchemy.dialects.sqlite import insert
    elif name == "postgresql":
        from sqlalchemy.dialects.postgresql import insert  # type: ignore[assignment]
    else:  # pragma: no cover - only the two supported backends
        raise StoreError(f"unsupported database dialect {name!r}")
    check_rows(table, rows)
    keys = [c.name for c in table.primary_key.columns]
    stmt = insert(table)
    update_cols = {c.name: stmt.excluded[c.name] for c in table.columns if c.name not in keys}
    if update_cols:
        stmt = stmt.on_conflict_do_update(index_elements=keys, set_=update_cols)
    else:
        stmt = stmt.on_conflict_do_nothing(index_elements=keys)
    conn.execute(stmt, list(rows))
    return len(rows)
