"""Federal Register bookkeeping tables and their SQL: sync state, watches, digests.

Synced documents themselves land in the core ``documents`` (and ``provisions``) tables, so every
engine that reads documents sees them. These tables only remember what the sync and the
digests need:

- ``fr_documents``: per synced document, its content hash (new / updated / unchanged), the
  API's ``action`` and correction links, agency slugs, and the full-text hash last extracted;
- ``fr_sync_state``: the watermark (last publication date fully synced) per search scope;
- ``fr_slices``: each completed slice with the hash of its pages (an unchanged slice is
  skipped without touching the database);
- ``watches``, ``digests``, ``watch_deliveries``: watchlists and which documents each watch
  has already delivered, so digests never repeat and never miss.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy import (
    Column,
    Connection,
    Date,
    Integer,
    String,
    Table,
    Text,
    UniqueConstraint,
    delete,
    func,
    insert,
    select,
)

from payforce.store.clock import utcnow_text
from payforce.store.db import Store, upsert_rows
from payforce.store.schema import metadata

__all__ = [
    "Watch",
    "add_watch",
    "delivered_documents",
    "digests",
    "fr_documents",
    "fr_slices",
    "fr_sync_state",
    "get_watermark",
    "list_actions",
    "list_watches",
    "load_hashes",
    "record_digest",
    "remove_watch",
    "set_watermark",
    "slice_hash",
    "watch_deliveries",
    "watches",
]

fr_documents = Table(
    "fr_documents",
    metadata,
    Column("document_number", String(40), primary_key=True),
    Column("publication_date", Date, nullable=False, index=True),
    Column("content_hash", String(64), nullable=False),
    Column("action", Text, nullable=False, default=""),
    Column("correction_of", String(40), nullable=False, default=""),
    Column("corrections", Text, nullable=False, default=""),
    Column("agency_slugs", Text, nullable=False, default=""),
    Column("full_text_hash", String(64), nullable=False, default=""),
    Column("synced_at", String(40), nullable=False),
)

fr_sync_state = Table(
    "fr_sync_state",
    metadata,
    Column("scope", String(64), primary_key=True),
    Column("scope_text", Text, nullable=False),
    Column("watermark", Date, nullable=False),
    Column("updated_at", String(40), nullable=False),
)

fr_slices = Table(
    "fr_slices",
    metadata,
    Column("scope", String(64), primary_key=True),
    Column("start", Date, primary_key=True),
    Column("end", Date, primary_key=True),
    Column("count", Integer, nullable=False),
    Column("content_hash", String(64), nullable=False),
    Column("synced_at", String(40), nullable=False),
)

watches = Table(
    "watches",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("kind", String(10), nullable=False),
    Column("value", String(200), nullable=False),
    Column("created_at", String(40), nullable=False),
    UniqueConstraint("kind", "value", name="uq_watches_kind_value"),
)

digests = Table(
    "digests",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("created_at", String(40), nullable=False),
    Column("as_of", Date, nullable=False),
    Column("item_count", Integer, nullable=False),
)

watch_deliveries = Table(
    "watch_deliveries",
    metadata,
    Column("watch_id", Integer, primary_key=True),
    Column("document_number", String(40), primary_key=True),
    Column("digest_id", Integer, nullable=False),
)


@dataclass(frozen=True)
class Watch:
    """One watchlist entry."""

    id: int
    """Row id (``payforce watch remove ID``)."""
    kind: str
    """``role``, ``code``, ``cfr``, ``rin`` or ``term``."""
    value: str
    """What is watched, e.g. ``care_manager_rn``, ``99490``, ``42:414``."""
    created_at: str
    """When it was added (bookkeeping only)."""


# --------------------------------------------------------------------------- sync state


def get_watermark(store: Store, scope: str) -> date | None:
    """Last publication date fully synced for ``scope``, or None."""
    with store.connect() as conn:
        value = conn.execute(
            select(fr_sync_state.c.watermark).where(fr_sync_state.c.scope == scope)
        ).scalar()
    return value if isinstance(value, date) else None


def set_watermark(conn: Connection, scope: str, scope_text: str, watermark: date) -> None:
    """Advance the scope's watermark inside the caller's transaction (never moves back)."""
    current = conn.execute(
        select(fr_sync_state.c.watermark).where(fr_sync_state.c.scope == scope)
    ).scalar()
    if isinstance(current, date) and current >= watermark:
        return
    upsert_rows(
        conn,
        fr_sync_state,
        [
            {
                "scope": scope,
                "scope_text": scope_text,
                "watermark": watermark,
                "updated_at": utcnow_text(),
            }
        ],
    )


def slice_hash(conn: Connection, scope: str, start: date, end: date) -> str | None:
    """The content hash recorded when this exact slice last completed, or None."""
    value = conn.execute(
        select(fr_slices.c.content_hash).where(
            (fr_slices.c.scope == scope) & (fr_slices.c.start == start) & (fr_slices.c.end == end)
        )
    ).scalar()
    return None if value is None else str(value)


def record_slice(
    conn: Connection, scope: str, start: date, end: date, count: int, content_hash: str
) -> None:
    """Remember a completed slice (same transaction as its documents)."""
    upsert_rows(
        conn,
        fr_slices,
        [
            {
                "scope": scope,
                "start": start,
                "end": end,
                "count": count,
                "content_hash": content_hash,
                "synced_at": utcnow_text(),
            }
        ],
    )


def load_hashes(
    conn: Connection, numbers: Sequence[str], start: date | None = None, end: date | None = None
) -> dict[str, tuple[str, str]]:
    """``document_number → (content_hash, full_text_hash)`` for the numbers already synced.

    With ``start``/``end`` (a slice's dates) one index range scan replaces the ``IN`` lists; a
    document whose publication date moved out of the slice then counts as new (its row is
    still upserted in place).
    """
    out: dict[str, tuple[str, str]] = {}
    t = fr_documents
    cols = (t.c.document_number, t.c.content_hash, t.c.full_text_hash)
    if start is not None and end is not None:
        wanted = set(numbers)
        rows = conn.execute(select(*cols).where(t.c.publication_date.between(start, end)))
        return {str(n): (str(c), str(h)) for n, c, h in rows if n in wanted}
    for i in range(0, len(numbers), 500):
        chunk = list(numbers[i : i + 500])
        for number, content, text_hash in conn.execute(
            select(*cols).where(t.c.document_number.in_(chunk))
        ):
            out[str(number)] = (str(content), str(text_hash))
    return out


def list_actions(store: Store) -> dict[str, tuple[str, str]]:
    """``document_number → (action, correction_of)`` for every synced document."""
    t = fr_documents
    with store.connect() as conn:
        rows = conn.execute(select(t.c.document_number, t.c.action, t.c.correction_of))
        return {str(n): (str(a), str(c)) for n, a, c in rows}


def count_synced(store: Store) -> int:
    """Number of documents the Federal Register sync has stored."""
    with store.connect() as conn:
        return int(conn.execute(select(func.count()).select_from(fr_documents)).scalar() or 0)


# --------------------------------------------------------------------------- watches


def _watch(row: Any) -> Watch:
    m = row._mapping
    return Watch(
        id=int(m["id"]), kind=str(m["kind"]), value=str(m["value"]), created_at=str(m["created_at"])
    )


def add_watch(store: Store, kind: str, value: str) -> tuple[Watch, bool]:
    """Add a watch; returns it and whether it is new (adding twice keeps one)."""
    with store.begin() as conn:
        row = conn.execute(
            select(watches).where((watches.c.kind == kind) & (watches.c.value == value))
        ).first()
        if row is not None:
            return _watch(row), False
        conn.execute(insert(watches).values(kind=kind, value=value, created_at=utcnow_text()))
        row = conn.execute(
            select(watches).where((watches.c.kind == kind) & (watches.c.value == value))
        ).one()
        return _watch(row), True


def list_watches(store: Store) -> list[Watch]:
    """All watches, oldest first."""
    with store.connect() as conn:
        return [_watch(r) for r in conn.execute(select(watches).order_by(watches.c.id))]


def remove_watch(store: Store, watch_id: int) -> Watch | None:
    """Delete a watch and its delivery history; returns it, or None if there was none."""
    with store.begin() as conn:
        row = conn.execute(select(watches).where(watches.c.id == watch_id)).first()
        if row is None:
            return None
        conn.execute(delete(watch_deliveries).where(watch_deliveries.c.watch_id == watch_id))
        conn.execute(delete(watches).where(watches.c.id == watch_id))
        return _watch(row)


def delivered_documents(store: Store) -> set[tuple[int, str]]:
    """``(watch_id, document_number)`` pairs already sent in a digest."""
    t = watch_deliveries
    with store.connect() as conn:
        return {
            (int(w), str(d)) for w, d in conn.execute(select(t.c.watch_id, t.c.document_number))
        }


def record_digest(store: Store, as_of: date, pairs: Iterable[tuple[int, str]]) -> int:
    """Record a digest and the pairs it delivered, in one transaction; returns its id."""
    items = sorted(set(pairs))
    with store.begin() as conn:
        result = conn.execute(
            insert(digests).values(created_at=utcnow_text(), as_of=as_of, item_count=len(items))
        )
        pk = result.inserted_primary_key
        digest_id = int(pk[0]) if pk is not None else 0
        upsert_rows(
            conn,
            watch_deliveries,
            [{"watch_id": w, "document_number": d, "digest_id": digest_id} for w, d in items],
        )
        return digest_id
