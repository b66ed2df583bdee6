"""The rulemaking calendar: comment deadlines and effective dates of published documents."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from payforce.models import PolicyDocument
from payforce.store.db import Store

__all__ = ["CalendarEvent", "build_calendar", "calendar"]


@dataclass(frozen=True)
class CalendarEvent:
    """A dated event of a published document: comments close, or the rule takes effect."""

    day: date
    """When it happens."""
    kind: str
    """``comments close`` or ``effective``."""
    document: PolicyDocument
    """The document."""

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready form."""
        d = self.document
        return {
            "date": self.day.isoformat(),
            "event": self.kind,
            "document_number": d.document_number,
            "type": d.type,
            "title": d.title,
            "agency": d.agency,
            "url": d.url,
        }


def build_calendar(
    documents: Iterable[PolicyDocument], as_of: date, days: int
) -> list[CalendarEvent]:
    """Comment deadlines and effective dates from ``as_of`` through ``as_of + days``."""
    horizon = as_of + timedelta(days=days)
    events = []
    for d in documents:
        if d.publication_date > as_of:
            continue
        if d.comments_close_date and as_of <= d.comments_close_date <= horizon:
            events.append(CalendarEvent(d.comments_close_date, "comments close", d))
        if d.effective_date and as_of <= d.effective_date <= horizon:
            events.append(CalendarEvent(d.effective_date, "effective", d))
    events.sort(key=lambda e: (e.day, e.kind, e.document.document_number))
    return events


def calendar(
    store: Store, as_of: date, days: int = 90, *, include_out_of_scope: bool = False
) -> list[CalendarEvent]:
    """Upcoming comment deadlines and effective dates in the store, as of ``as_of``."""
    from payforce.store.queries import list_documents

    docs = list_documents(store, as_of, include_out_of_scope=include_out_of_scope)
    return build_calendar(docs, as_of, days)
