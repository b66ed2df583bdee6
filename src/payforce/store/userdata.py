"""User data versus reference data: what ``init --reset`` keeps, ``backup`` saves and
``restore`` brings back.

Reference data (the bundled snapshot and everything ``sync`` fetched) can always be rebuilt;
user data (watches, digests already sent, assessments, respondents and their answers) cannot.
Every table is one or the other: :data:`USER_TABLES` lists the user tables (parents before
children); every other table except the store's own bookkeeping (``meta``, ``migrations``) is
reference data. A new table that holds what people typed belongs in :data:`USER_TABLES`.

A backup is one JSON document::

    {"format": "payforce-user-data", "version": 1, "created_at": "...",
     "tables": {"watches": [{"id": 1, "kind": "code", ...}], ...}}

Restore validates the whole file (known tables and columns, types, lengths) before it writes,
then replaces the user data in one transaction: a bad file changes nothing.
"""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path
from typing import Any

from sqlalchemy import Connection, Date, Integer, String, Table, delete, func, select, text

from payforce.errors import ParseError
from payforce.store import schema
from payforce.store.clock import utcnow_text
from payforce.store.db import Store

__all__ = [
    "BACKUP_FORMAT",
    "USER_TABLES",
    "backup_user_data",
    "reference_tables",
    "restore_user_data",
    "user_data_counts",
    "user_tables",
]

BACKUP_FORMAT = "payforce-user-data"
BACKUP_VERSION = 1
USER_TABLES = (
    "watches",
    "digests",
    "watch_deliveries",
    "assess_organizations",
    "assess_assessments",
    "assess_respondents",
    "assess_answers",
)
"""Tables holding what people made (parents before children)."""
BOOKKEEPING = ("meta", "migrations")
MAX_BACKUP_BYTES = 200 * 1024 * 1024
"""Largest backup file restore reads (a store of forty colleagues is far smaller)."""


def user_tables() -> list[Table]:
    """The user tables, parents first."""
    schema.load_area_tables()
    return [schema.metadata.tables[name] for name in USER_TABLES]


def reference_tables() -> list[Table]:
    """Every table that ``init --reset`` may drop and rebuild."""
    schema.load_area_tables()
    keep = set(USER_TABLES) | set(BOOKKEEPING)
    return [t for t in schema.metadata.sorted_tables if t.name not in keep]


def user_data_counts(store: Store) -> dict[str, int]:
    """Rows per user table (a table the store lacks counts 0)."""
    out: dict[str, int] = {}
    with store.connect() as conn:
        for table in user_tables():
            try:
                out[table.name] = int(
                    conn.execute(select(func.count()).select_from(table)).scalar_one()
                )
            except Exception:  # noqa: BLE001 - an old store without the table holds no rows
                conn.rollback()
                out[table.name] = 0
    return out


def describe_counts(counts: dict[str, int]) -> str:
    """``3 watches, 1 organization, 2 assessments, 6 respondents, 40 answers`` (non-zero)."""
    words = [
        ("watches", "watch", "watches"),
        ("digests", "digest sent", "digests sent"),
        ("assess_organizations", "organization", "organizations"),
        ("assess_assessments", "assessment", "assessments"),
        ("assess_respondents", "respondent", "respondents"),
        ("assess_answers", "answer", "answers"),
    ]
    parts = [
        f"{counts[k]} {one if counts[k] == 1 else many}" for k, one, many in words if counts.get(k)
    ]
    return ", ".join(parts) if parts else "no watches or assessments"


def _jsonable(value: Any) -> Any:
    return value.isoformat() if isinstance(value, date) else value


def backup_user_data(store: Store) -> dict[str, Any]:
    """Every user row as one JSON-ready document (tokens stay hashed, as stored)."""
    tables: dict[str, list[dict[str, Any]]] = {}
    with store.connect() as conn:
        for table in user_tables():
            key = list(table.primary_key.columns)
            rows = conn.execute(select(table).order_by(*key)).mappings().all()
            tables[table.name] = [{k: _jsonable(v) for k, v in r.items()} for r in rows]
    return {
        "format": BACKUP_FORMAT,
        "version": BACKUP_VERSION,
        "created_at": utcnow_text(),
        "tables": tables,
    }


def write_backup(store: Store, out: Path) -> dict[str, int]:
    """Write the backup to ``out`` (through a temporary file, so a failure leaves no half file)."""
    doc = backup_user_data(store)
    tmp = out.with_name(out.name + ".partial")
    try:
        out.parent.mkdir(parents=True, exist_ok=True)
        tmp.write_text(json.dumps(doc, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
        tmp.replace(out)
    except OSError as exc:
        tmp.unlink(missing_ok=True)
        raise ParseError(f"cannot write the backup ({exc.strerror})", path=str(out)) from exc
    return {name: len(rows) for name, rows in doc["tables"].items()}


def read_backup(path: Path) -> dict[str, list[dict[str, Any]]]:
    """Read and fully validate a backup file; returns its rows per table, ready to insert."""
    where = str(path)
    try:
        if path.stat().st_size > MAX_BACKUP_BYTES:
            raise ParseError("file too large for a payforce backup", path=where)
        raw = path.read_bytes()
    except OSError as exc:
        raise ParseError(f"cannot read ({exc.strerror})", path=where) from exc
    try:
        doc = json.loads(raw.decode("utf-8"))
    except (UnicodeDecodeError, ValueError, RecursionError) as exc:
        raise ParseError(
            "not a payforce backup (not UTF-8 JSON)",
            path=where,
            hint="Make one with payforce backup --out FILE",
        ) from exc
    if not isinstance(doc, dict) or doc.get("format") != BACKUP_FORMAT:
        raise ParseError(
            "not a payforce backup (no format: payforce-user-data)",
            path=where,
            hint="Make one with payforce backup --out FILE",
        )
    if doc.get("version") != BACKUP_VERSION:
        raise ParseError(
            "backup version not supported", path=where, field="version", value=doc.get("version")
        )
    tables = doc.get("tables")
    if not isinstance(tables, dict):
        raise ParseError("expected an object of tables", path=where, field="tables")
    known = {t.name: t for t in user_tables()}
    out: dict[str, list[dict[str, Any]]] = {}
    for name, rows in tables.items():
        if name not in known:
            raise ParseError("not a user-data table", path=where, field="tables", value=name)
        if not isinstance(rows, list):
            raise ParseError("expected a list of rows", path=where, field=name)
        out[name] = [_clean_row(known[name], row, where, i) for i, row in enumerate(rows, 1)]
    return out


def _clean_row(table: Table, row: object, where: str, n: int) -> dict[str, Any]:
    if not isinstance(row, dict):
        raise ParseError("expected an object", path=where, field=f"{table.name}[{n}]")
    unknown = set(row) - set(table.columns.keys())
    if unknown:
        raise ParseError(
            "unknown column", path=where, field=f"{table.name}[{n}]", value=sorted(unknown)[0]
        )
    clean: dict[str, Any] = {}
    for col in table.columns:
        field = f"{table.name}[{n}].{col.name}"
        value = row.get(col.name)
        if value is None:
            if col.nullable or col.autoincrement is True:
                clean[col.name] = None
            elif col.default is None:
                raise ParseError("missing value", path=where, field=field)
            continue
        if isinstance(col.type, Integer):
            if isinstance(value, bool) or not isinstance(value, int) or abs(value) >= 2**31:
                raise ParseError("expected a whole number", path=where, field=field, value=value)
        elif isinstance(col.type, Date):
            try:
                value = date.fromisoformat(str(value))
            except ValueError:
                raise ParseError("not an ISO date", path=where, field=field, value=value) from None
        else:
            if not isinstance(value, str):
                raise ParseError("expected text", path=where, field=field, value=value)
            size = getattr(col.type, "length", None)
            if isinstance(col.type, String) and size is not None and len(value) > size:
                raise ParseError(
                    f"longer than {size} characters", path=where, field=field, value=value[:40]
                )
            if "\x00" in value:
                raise ParseError("NUL character in text", path=where, field=field)
        clean[col.name] = value
    return clean


def restore_user_data(store: Store, path: Path) -> dict[str, int]:
    """Replace the store's user data with the backup's, in one transaction; returns row counts."""
    rows = read_backup(path)
    tables = user_tables()
    with store.begin() as conn:
        for table in reversed(tables):
            conn.execute(delete(table))
        for table in tables:
            if rows.get(table.name):
                conn.execute(table.insert(), rows[table.name])
        _advance_sequences(conn, tables)
    return {t.name: len(rows.get(t.name, [])) for t in tables}


def _advance_sequences(conn: Connection, tables: list[Table]) -> None:
    """PostgreSQL: move each serial id past the restored ids (SQLite needs nothing)."""
    if conn.dialect.name != "postgresql":
        return
    for table in tables:
        for col in table.primary_key.columns:
            if col.autoincrement is True or (
                isinstance(col.type, Integer) and len(table.primary_key.columns) == 1
            ):
                conn.execute(
                    text(
                        f"SELECT setval(pg_get_serial_sequence('{table.name}', '{col.name}'), "
                        f"COALESCE((SELECT MAX({col.name}) FROM {table.name}), 0) + 1, false)"
                    )
                )
