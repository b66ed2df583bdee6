"""Sync pipelines for the workforce sources: bytes in, one transaction, a summary out.

The CLI fetches (or reads ``--from-file``) and hands bytes here; parsing happens in
``payforce.sources.bls`` / ``payforce.sources.onet`` and writing in
``payforce.store.workforce_tables``. A failure rolls the whole sync back.
"""

from __future__ import annotations

import hashlib
from collections import Counter
from dataclasses import asdict, dataclass, field

from payforce.sources.bls import OEWSFile, ProjectionFile, ProjectionRow, parse_bls_file
from payforce.sources.onet import ONetDatabase
from payforce.store.db import Store
from payforce.store.workforce_tables import replace_vintage, upsert_onet
from payforce.workforce.releases import oews_release, projection_release
from payforce.workforce.series import TOTAL

__all__ = ["SyncSummary", "sync_bls_bytes", "sync_onet_database", "with_total"]


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
    available_from: str = ""
    """When the vintage became public (BLS release date, or the documented rule)."""
    date_basis: str = ""
    """Where that date comes from."""

    def to_dict(self) -> dict[str, object]:
        """JSON-ready form."""
        return {
            "source": self.source,
            "kind": self.kind,
            "label": self.label,
            "written": self.written,
            "skipped": self.skipped,
            "markers": self.markers,
            "available_from": self.available_from,
            "date_basis": self.date_basis,
        }


def with_total(parsed: ProjectionFile) -> tuple[ProjectionRow, ...]:
    """The rows, plus a derived 00-0000 total when the file has none (data.bls.gov exports).

    In the National Employment Matrix the total equals the sum of its detailed occupations, so
    the sum of an export's rows is BLS's total (2012-22: 145.4 M → 161.0 M, +10.8 %, as the
    release says); the row is titled so it is never mistaken for a printed figure.
    """
    if any(r.soc == TOTAL for r in parsed.rows):
        return parsed.rows
    lines = [r for r in parsed.rows if r.employment_base is not None]
    base = sum(r.employment_base or 0 for r in lines)
    target = sum(r.employment_target or 0 for r in lines)
    total = ProjectionRow(
        soc=TOTAL,
        period=parsed.period,
        title=f"Total, all occupations (sum of the {len(lines)} detailed rows)",
        occupation_type="Derived",
        employment_base=base,
        employment_target=target,
        change_pct=round((target / base - 1) * 100, 1) if base else None,
        annual_openings=None,
        median_wage=None,
        entry_education="",
        source=lines[0].source if lines else "",
    )
    return (total, *parsed.rows)


def sync_bls_bytes(store: Store, data: bytes, name: str, year: int | None = None) -> SyncSummary:
    """Parse a BLS file (OEWS national or Employment Projections) and load it as one vintage.

    The vintage (an OEWS May-year, a projection period) is replaced whole, in one transaction,
    and recorded with its release date (``available_from``) and origin ``synced``; from then on
    every view reads it (at ``--as-of`` dates on or after that release), and the bundled
    snapshot never overwrites it.
    """
    parsed = parse_bls_file(data, name, year)
    skipped = dict(Counter(s.reason for s in parsed.skipped))
    sha = hashlib.sha256(data).hexdigest()
    if isinstance(parsed, OEWSFile):
        markers = Counter(r.employment_text for r in parsed.rows if r.employment_text)
        markers.update(r.wage_note for r in parsed.rows if r.wage_note)
        day, basis = oews_release(parsed.year)
        vintage = {
            "base_year": parsed.year,
            "target_year": None,
            "available_from": day,
            "date_basis": basis,
            "source": name,
            "sha256": sha,
            "origin": "synced",
        }
        with store.begin() as conn:
            n = replace_vintage(
                conn, "oews", str(parsed.year), [asdict(r) for r in parsed.rows], vintage
            )
        return SyncSummary(
            name,
            "oews",
            str(parsed.year),
            {"oews_employment": n},
            skipped,
            dict(sorted(markers.items())),
            available_from=day.isoformat(),
            date_basis=basis,
        )
    assert isinstance(parsed, ProjectionFile)
    base, target = (int(y) for y in parsed.period.split("-"))
    day, basis = projection_release(base)
    vintage = {
        "base_year": base,
        "target_year": target,
        "available_from": day,
        "date_basis": basis,
        "source": name,
        "sha256": sha,
        "origin": "synced",
    }
    rows = [asdict(r) for r in with_total(parsed)]
    with store.begin() as conn:
        n = replace_vintage(conn, "projections", parsed.period, rows, vintage)
    return SyncSummary(
        name,
        "projections",
        parsed.period,
        {"ep_projections": n},
        skipped,
        available_from=day.isoformat(),
        date_basis=basis,
    )


def sync_onet_database(store: Store, db: ONetDatabase, source: str) -> SyncSummary:
    """Replace the O*NET tables with ``db`` in one transaction."""
    with store.begin() as conn:
        counts = upsert_onet(conn, db)
        store.set_meta(conn, "onet_release", db.release)
    return SyncSummary(source, "onet", db.release, counts)
