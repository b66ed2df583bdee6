"""How fresh the store is: the newest evidence date it holds, and whether that is stale.

Every command and page states this date, and warns when the store is more than
``STALE_AFTER_DAYS`` older than the day asked about (today, or ``--as-of``).
"""

from __future__ import annotations

from datetime import date
from typing import Any

from sqlalchemy import func, select

from payforce.store import schema
from payforce.store.db import Store

__all__ = ["STALE_AFTER_DAYS", "UPDATE_COMMAND", "freshness", "newest_evidence"]

STALE_AFTER_DAYS = 30
"""Days after which the store's newest evidence counts as stale."""

UPDATE_COMMAND = "payforce sync federal-register"
"""The sync that brings new rules into the store (incremental from its watermark)."""

_SOURCES = (
    (schema.documents.c.publication_date, "Federal Register document"),
    (schema.program_metrics.c.available_from, "program metric"),
)


def _as_date(value: Any) -> date | None:
    if value is None:
        return None
    if isinstance(value, date):
        return value
    return date.fromisoformat(str(value)[:10])


def newest_evidence(store: Store, until: date) -> tuple[date, str] | None:
    """The newest publication date (on or before ``until``, normally today: a date still in
    the future is not published yet) of any evidence in the store, and what kind it is."""
    best: tuple[date, str] | None = None
    with store.connect() as conn:
        for column, label in _SOURCES:
            query = select(func.max(column)).where(column <= until)
            day = _as_date(conn.execute(query).scalar())
            if day is not None and (best is None or day > best[0]):
                best = (day, label)
    return best


def freshness(store: Store, compared_with: date, *, today: date | None = None) -> dict[str, Any]:
    """JSON-ready freshness: newest evidence date, its age on ``compared_with``, stale or not."""
    found = newest_evidence(store, today or compared_with)
    if found is None:
        return {"newest_evidence": None, "stale": False, "update_with": UPDATE_COMMAND}
    newest, source = found
    age = (compared_with - newest).days
    iso = compared_with.isoformat()
    label = f"today, {iso}" if today is not None and compared_with == today else f"--as-of {iso}"
    return {
        "newest_evidence": newest.isoformat(),
        "source": source,
        "compared_with": label,
        "age_days": age,
        "stale": age > STALE_AFTER_DAYS,
        "update_with": UPDATE_COMMAND,
    }
