"""Sync pipelines for the workforce sources: bytes in, one transaction, a summary out.

The CLI fetches (or reads ``--from-file``) and hands bytes here; parsing happens in
``payforce.sources.bls`` / ``payforce.sources.onet`` and writing in
``payforce.store.workforce_tables``. A failure rolls the whole sync back.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

from payforce.sources.bls import OEWSFile, ProjectionFile, parse_bls_file
from payforce.sources.onet import ONetDatabase
from payforce.store.db import Store
from payforce.store.workforce_tables import upsert_oews, upsert_onet, upsert_projections

__all__ = ["SyncSummary", "sync_bls_bytes", "sync_onet_database"]


@dataclass(frozen=True)
class SyncSummary:
    """What a sync wrote and what it kept out."""

    source: str
    """File name or URL."""
    kind: str
    """``oews``, ``projections`` or ``onet``."""
    label: str
    """Survey year, projection period or O*NET release."""
    written: dict[str, int]
    """Rows upserted per table."""
    skipped: dict[str, int] = field(default_factory=dict)
    """Skipped rows per reason."""
    markers: dict[str, int] = field(default_factory=dict)
    """Footnote markers seen (``**`` employment, ``#``/``*`` wages) and how often."""

    def to_dict(self) -> dict[str, object]:
        """JSON-ready form."""
        return {
            "source": self.source,
            "kind": self.kind,
            "label": self.label,
            "written": self.written,
            "skipped": self.skipped,
            "markers": self.markers,
        }


def sync_bls_bytes(store: Store, data: bytes, name: str, year: int | None = None) -> SyncSummary:
    """Parse a BLS file (OEWS national or Employment Projections) and upsert it."""
    parsed = parse_bls_file(data, name, year)
    skipped = dict(Counter(s.reason for s in parsed.skipped))
    if isinstance(parsed, OEWSFile):
        markers = Counter(r.employment_text for r in parsed.rows if r.employment_text)
        markers.update(r.wage_note for r in parsed.rows if r.wage_note)
        with store.begin() as conn:
            n = upsert_oews(conn, parsed.rows)
        return SyncSummary(
            name,
            "oews",
            str(parsed.year),
            {"oews_employment": n},
            skipped,
            dict(sorted(markers.items())),
        )
    assert isinstance(parsed, ProjectionFile)
    with store.begin() as conn:
        n = upsert_projections(conn, parsed.rows)
    return SyncSummary(name, "projections", parsed.period, {"ep_projections": n}, skipped)


def sync_onet_database(store: Store, db: ONetDatabase, source: str) -> SyncSummary:
    """Replace the O*NET tables with ``db`` in one transaction."""
    with store.begin() as conn:
        counts = upsert_onet(conn, db)
        store.set_meta(conn, "onet_release", db.release)
    return SyncSummary(source, "onet", db.release, counts)
