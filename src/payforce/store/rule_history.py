"""Write regulations.gov rule history into ``documents``: history never overrides.

Precedence for one FR document number: the curated snapshot, then the Federal Register API, then
regulations.gov history. A history record therefore

- adds a document the store does not have (``origin = regulations_gov``);
- updates a document it added before;
- leaves a curated or API document as it is, only filling its docket or CMS file code when that
  is empty (so the curated document links to its rulemaking's history).

A later Federal Register API sync overwrites history documents with the API's values
(``store.fr_sync``). Documents outside the default scope (agencies other than CMS and HHS) are
stored and listed in ``out_of_scope_documents``. One transaction per publication year.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date
from itertools import groupby
from typing import Any

from sqlalchemy import Connection, select

from payforce.models import PolicyDocument
from payforce.sources.fr_history import HISTORY_ORIGIN, HistoryDocument
from payforce.sources.fr_records import SkippedRecord
from payforce.store import schema
from payforce.store.db import Store, upsert_rows
from payforce.store.scope_tables import mark_scope

__all__ = ["HistorySummary", "history_rows", "ingest_history", "write_history"]

_COMPARED = (
    "type",
    "title",
    "publication_date",
    "docket",
    "file_code",
    "comments_close_date",
    "confidence",
    "source_url",
    "agency",
)


@dataclass
class HistorySummary:
    """What a history load did."""

    records: int = 0
    """regulations.gov records read."""
    documents: int = 0
    """Distinct FR document numbers among them."""
    new: int = 0
    """Documents added."""
    updated: int = 0
    """History documents whose values changed."""
    unchanged: int = 0
    """History documents already stored with the same values."""
    kept: int = 0
    """Documents already in the store from the curated snapshot or the FR API (they win)."""
    filled: int = 0
    """Of those, documents whose empty docket or file code the history filled."""
    outside_scope: int = 0
    """Documents of agencies outside the default scope (kept out of outlooks and calendars)."""
    skipped: list[SkippedRecord] = field(default_factory=list)
    """Records not used, each with its reason."""
    since: date | None = None
    """Earliest publication date loaded."""
    until: date | None = None
    """Latest publication date loaded."""

    def skip_reasons(self) -> dict[str, int]:
        """Skip counts by reason (record ids cut off), most common first."""
        counts: dict[str, int] = {}
        for s in self.skipped:
            reason = s.reason.split(" (")[0]
            counts[reason] = counts.get(reason, 0) + 1
        return dict(sorted(counts.items(), key=lambda kv: (-kv[1], kv[0])))

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready form."""
        return {
            "format": "regulations.gov v4 documents",
            "records": self.records,
            "documents": self.documents,
            "new": self.new,
            "updated": self.updated,
            "unchanged": self.unchanged,
            "kept_existing": self.kept,
            "filled_existing": self.filled,
            "outside_scope": self.outside_scope,
            "skipped": len(self.skipped),
            "skip_reasons": self.skip_reasons(),
            "skips": [
                {"document_number": s.document_number, "reason": s.reason, "source": s.source}
                for s in self.skipped
            ],
            "since": self.since,
            "until": self.until,
            "publication_date": "regulations.gov postedDate (the FR publication date is not in "
            "these records; confidence medium)",
        }


def document_row(doc: PolicyDocument) -> dict[str, Any]:
    """The ``documents`` row of a document (every column is a field of the model)."""
    return {c.name: getattr(doc, c.name) for c in schema.documents.columns}


def history_rows(docs: Iterable[HistoryDocument]) -> list[dict[str, Any]]:
    """``documents`` rows of history documents."""
    return [document_row(h.document) for h in docs]


def _existing(conn: Connection, numbers: Sequence[str]) -> dict[str, dict[str, Any]]:
    t = schema.documents
    out: dict[str, dict[str, Any]] = {}
    for i in range(0, len(numbers), 500):
        chunk = list(numbers[i : i + 500])
        for r in conn.execute(select(t).where(t.c.document_number.in_(chunk))):
            out[str(r.document_number)] = dict(r._mapping)
    return out


def write_history(
    conn: Connection, docs: Sequence[HistoryDocument], summary: HistorySummary, scope_all: bool
) -> None:
    """Write one group of history documents inside the caller's transaction."""
    existing = _existing(conn, [h.document.document_number for h in docs])
    rows = []
    decisions: list[tuple[str, str | None]] = []
    for h in docs:
        row = document_row(h.document)
        number = row["document_number"]
        old = existing.get(number)
        if old is not None and old["origin"] != HISTORY_ORIGIN:
            summary.kept += 1
            fill = {k: row[k] for k in ("docket", "file_code") if row[k] and not old[k]}
            if fill:
                summary.filled += 1
                rows.append({**old, **fill})
            continue
        if old is None:
            summary.new += 1
        elif any(old[k] != row[k] for k in _COMPARED):
            summary.updated += 1
        else:
            summary.unchanged += 1
            continue
        rows.append({**row, "key": old["key"] if old else ""})
        reason = None
        if not h.in_scope and not scope_all:
            reason = f"agency outside the default scope ({h.agency_id})"
        decisions.append((number, reason))
    upsert_rows(conn, schema.documents, rows)
    summary.outside_scope += mark_scope(conn, decisions)


def ingest_history(
    store: Store,
    docs: Sequence[HistoryDocument],
    skipped: Sequence[SkippedRecord],
    *,
    records: int,
    scope_all: bool = False,
    progress: Callable[[int, int, str], None] | None = None,
) -> HistorySummary:
    """Store parsed history documents, one transaction per publication year."""
    summary = HistorySummary(records=records, documents=len(docs), skipped=list(skipped))
    ordered = sorted(docs, key=lambda h: (h.document.publication_date, h.document.document_number))
    if ordered:
        summary.since = ordered[0].document.publication_date
        summary.until = ordered[-1].document.publication_date
    groups = [list(g) for _, g in groupby(ordered, key=lambda h: h.document.publication_date.year)]
    for i, group in enumerate(groups, start=1):
        with store.begin() as conn:
            write_history(conn, group, summary, scope_all)
        if progress:
            progress(i, len(groups), f"{group[0].document.publication_date.year}: {len(group)}")
    return summary
