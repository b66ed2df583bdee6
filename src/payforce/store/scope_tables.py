"""Documents outside payforce's default scope, kept but left out of outlooks and calendars.

A file (or an API query with other agencies or types) can bring in documents of other agencies
(EPA, …) or types (presidential documents, notices). They are stored like any document, and
listed here with the reason, so every read leaves them out unless asked
(``queries.list_documents(..., include_out_of_scope=True)``; ``payforce docs --out-of-scope``).
``payforce sync federal-register --out-of-scope`` stores them as in scope instead.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from sqlalchemy import Column, Connection, String, Table, Text, delete, func, select

from payforce.store.clock import utcnow_text
from payforce.store.db import Store, upsert_rows
from payforce.store.schema import metadata

__all__ = [
    "DEFAULT_SCOPE_TYPES",
    "count_out_of_scope",
    "mark_scope",
    "out_of_scope_documents",
    "scope_reason",
]

DEFAULT_SCOPE_TYPES = frozenset({"Rule", "Proposed Rule"})
"""Document types inside the default scope (rules and proposed rules)."""

out_of_scope_documents = Table(
    "out_of_scope_documents",
    metadata,
    Column("document_number", String(40), primary_key=True),
    Column("reason", Text, nullable=False),
    Column("recorded_at", String(40), nullable=False),
)


def scope_reason(kind: str, agency_slugs: Sequence[str], agency_label: str) -> str | None:
    """Why an FR API record is outside the default scope, or None when it is inside."""
    from payforce.sources.federal_register import DEFAULT_AGENCIES

    if agency_slugs and not set(agency_slugs) & set(DEFAULT_AGENCIES):
        return f"agency outside the default scope ({agency_label or ', '.join(agency_slugs)})"
    if kind not in DEFAULT_SCOPE_TYPES:
        return f"type outside the default scope ({kind})"
    return None


def mark_scope(conn: Connection, decisions: Iterable[tuple[str, str | None]]) -> int:
    """Record ``(document_number, reason or None)`` decisions; returns how many are out."""
    now = utcnow_text()
    out = []
    back_in = []
    for number, reason in decisions:
        if reason is None:
            back_in.append(number)
        else:
            out.append({"document_number": number, "reason": reason, "recorded_at": now})
    t = out_of_scope_documents
    for i in range(0, len(back_in), 500):
        conn.execute(delete(t).where(t.c.document_number.in_(back_in[i : i + 500])))
    upsert_rows(conn, t, out)
    return len(out)


def count_out_of_scope(store: Store) -> int:
    """Stored documents outside the default scope."""
    with store.connect() as conn:
        t = out_of_scope_documents
        return int(conn.execute(select(func.count()).select_from(t)).scalar() or 0)
