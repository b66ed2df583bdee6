"""Fee-schedule tables (RVU rows by year, GPCIs, localities, CFs, HCPCS) and their stored records.

Reads are in :mod:`payforce.store.fee_reads`, writes in :mod:`payforce.store.fee_sync`;
:mod:`payforce.store.fee_tables` is the one import for callers.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy import Boolean, Column, Date, Float, Integer, String, Table, Text

from payforce.store import schema

__all__ = [
    "ConversionFactorRecord",
    "FeeYearSummary",
    "StoredHCPCS",
    "StoredRVU",
    "conversion_factors",
    "fee_releases",
    "gpcis",
    "hcpcs_codes",
    "locality_counties",
    "rvu_rows",
]

md = schema.metadata

fee_releases = Table(
    "fee_releases",
    md,
    Column("year", Integer, primary_key=True),
    Column("stage", String(10), primary_key=True),
    Column("source", Text, nullable=False),
    Column("pprrvu_file", Text, nullable=False, default=""),
    Column("release", String(20), nullable=False, default=""),
    Column("released", Date),
    Column("rows", Integer, nullable=False, default=0),
    Column("skips", Integer, nullable=False, default=0),
    Column("loaded_at", String(40), nullable=False),
)


rvu_rows = Table(
    "rvu_rows",
    md,
    Column("year", Integer, primary_key=True),
    Column("stage", String(10), primary_key=True),
    Column("code", String(10), primary_key=True),
    Column("modifier", String(4), primary_key=True),
    Column("status", String(2), nullable=False),
    Column("work_rvu", Float, nullable=False),
    Column("pe_nonfacility", Float),
    Column("pe_facility", Float),
    Column("mp_rvu", Float, nullable=False),
    Column("total_nonfacility", Float, nullable=False),
    Column("total_facility", Float, nullable=False),
    Column("conversion_factor", Float, nullable=False),
    Column("not_used_for_medicare", Boolean, nullable=False, default=False),
    Column("nonfacility_na", Boolean, nullable=False, default=False),
    Column("facility_na", Boolean, nullable=False, default=False),
    Column("pctc_indicator", String(2), nullable=False, default=""),
    Column("global_days", String(4), nullable=False, default=""),
    Column("pricing_indicator", String(2), nullable=False, default=""),
    Column("source", Text, nullable=False, default=""),
    Column("line", Integer, nullable=False),
)


gpcis = Table(
    "gpcis",
    md,
    Column("year", Integer, primary_key=True),
    Column("mac", String(5), primary_key=True),
    Column("locality", String(2), primary_key=True),
    Column("state", String(2), nullable=False),
    Column("name", Text, nullable=False),
    Column("work", Float, nullable=False),
    Column("pe", Float, nullable=False),
    Column("mp", Float, nullable=False),
    Column("source", Text, nullable=False, default=""),
)


locality_counties = Table(
    "locality_counties",
    md,
    Column("year", Integer, primary_key=True),
    Column("mac", String(5), primary_key=True),
    Column("locality", String(2), primary_key=True),
    Column("seq", Integer, primary_key=True),
    Column("state", Text, nullable=False),
    Column("area", Text, nullable=False),
    Column("counties", Text, nullable=False),
    Column("source", Text, nullable=False, default=""),
)


conversion_factors = Table(
    "conversion_factors",
    md,
    Column("year", Integer, primary_key=True),
    Column("kind", String(10), primary_key=True),
    Column("stage", String(10), primary_key=True),
    Column("value", Float, nullable=False),
    Column("source", Text, nullable=False, default=""),
)


hcpcs_codes = Table(
    "hcpcs_codes",
    md,
    Column("year", Integer, primary_key=True),
    Column("code", String(5), primary_key=True),
    Column("kind", String(10), primary_key=True),
    Column("long_description", Text, nullable=False),
    Column("short_description", Text, nullable=False),
    Column("action", String(1), nullable=False, default=""),
    Column("added", Date),
    Column("action_effective", Date),
    Column("terminated", Date),
    Column("source", Text, nullable=False, default=""),
)


@dataclass(frozen=True)
class StoredRVU:
    """One code's RVUs for a year, as stored (the payment arithmetic's input)."""

    code: str
    """Billing code."""
    modifier: str
    """Modifier or empty."""
    year: int
    """Fee-schedule year."""
    status: str
    """CMS status code."""
    work_rvu: float
    """Work RVU."""
    pe_nonfacility: float | None
    """Non-facility PE RVU."""
    pe_facility: float | None
    """Facility PE RVU."""
    mp_rvu: float
    """Malpractice RVU."""
    conversion_factor: float | None
    """The CF printed in the source file (non-QP from 2026)."""
    nonfacility_na: bool
    """Non-facility NA indicator set."""
    facility_na: bool
    """Facility NA indicator set."""
    source: str
    """Source file and line."""
    stage: str = "final"
    """``final`` or ``proposed``."""
    release: str = ""
    """Release label (``RVU26C``) or FR document number."""
    available_from: date | None = None
    """Date the release became public."""
    not_used_for_medicare: bool = False
    """The file marks the row ``+``: RVUs shown, not used for Medicare payment."""


@dataclass(frozen=True)
class ConversionFactorRecord:
    """A conversion factor with where it came from."""

    year: int
    """Fee-schedule year."""
    kind: str
    """``qp``, ``non_qp`` (2026 on) or ``single`` (one CF for all, before 2026)."""
    value: float
    """USD per RVU."""
    source: str
    """Source file or URL."""
    stage: str = "final"
    """``final`` or ``proposed``."""


@dataclass(frozen=True)
class FeeYearSummary:
    """What one sync of a year wrote."""

    year: int
    """Fee-schedule year."""
    stage: str
    """``final`` or ``proposed``."""
    source: str
    """URL or file it came from."""
    rvu_rows: int
    """PPRRVU rows stored."""
    skipped: int
    """Rows skipped (with reasons, in the parse result)."""
    gpcis: int
    """Localities stored."""
    localities: int
    """Crosswalk rows stored."""
    conversion_factors: dict[str, float]
    """CF kind → value stored."""
    tracked_values: int
    """``code_values`` rows upserted for the codes payforce tracks."""
    release: str = ""
    """Release label (``RVU26C``), from the file's title or the zip's name."""
    available_from: date | None = None
    """Date the release became public (the file's ``RELEASED`` line, or ``--released``)."""


@dataclass(frozen=True)
class StoredHCPCS:
    """One stored HCPCS Level II record of a synced annual file."""

    year: int
    """File year."""
    code: str
    """Code or modifier."""
    kind: str
    """``procedure`` or ``modifier``."""
    action: str
    """Action code."""
    added: date | None
    """Date added."""
    terminated: date | None
    """Termination date."""
    source: str
    """File and line."""
