"""Fee-schedule tables (RVU rows by year, GPCIs, localities, CFs, HCPCS) and their SQL.

A year is loaded whole or not at all: :func:`load_fee_year` deletes that year's rows and inserts
the new ones inside one transaction, so a failure leaves the previous load in place. The codes
payforce tracks (``billing_codes``) also get their national values upserted into the core
``code_values`` table, so the signal engine sees synced years without reading these tables.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING, Any

from sqlalchemy import Boolean, Column, Date, Float, Integer, String, Table, Text, delete, select

from payforce.economics.payment import national_values
from payforce.errors import InputError, StoreError
from payforce.sources.fee_schedule import GPCIRow, LocalityCounty, RVURow, release_label
from payforce.sources.hcpcs import HCPCSFile, HCPCSRecord
from payforce.store import queries, schema
from payforce.store.clock import utcnow_text
from payforce.store.db import Store, upsert_rows

if TYPE_CHECKING:
    import httpx

    from payforce.sources.rvu_release import RVURelease

__all__ = [
    "ConversionFactorRecord",
    "FeeYearSummary",
    "StoredRVU",
    "conversion_factors",
    "fee_releases",
    "get_conversion_factor",
    "get_gpci",
    "get_rvu",
    "release_of",
    "gpcis",
    "hcpcs_codes",
    "StoredHCPCS",
    "list_gpcis",
    "list_hcpcs",
    "list_rvus",
    "load_fee_year",
    "load_hcpcs_year",
    "locality_counties",
    "locality_rows",
    "release_factors",
    "rvu_rows",
    "sync_fee_schedule",
    "sync_hcpcs",
    "sync_release",
    "synced_years",
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


def _rvu_dict(year: int, stage: str, r: RVURow, source: str) -> dict[str, Any]:
    return {
        "year": year,
        "stage": stage,
        "code": r.code,
        "modifier": r.modifier,
        "status": r.status,
        "work_rvu": r.work_rvu,
        "pe_nonfacility": r.pe_rvu_nonfacility,
        "pe_facility": r.pe_rvu_facility,
        "mp_rvu": r.mp_rvu,
        "total_nonfacility": r.total_nonfacility,
        "total_facility": r.total_facility,
        "conversion_factor": r.conversion_factor,
        "not_used_for_medicare": r.not_used_for_medicare,
        "nonfacility_na": r.nonfacility_na,
        "facility_na": r.facility_na,
        "pctc_indicator": r.pctc_indicator,
        "global_days": r.global_days,
        "pricing_indicator": r.pricing_indicator,
        "source": source,
        "line": r.line,
    }


def _tracked_values(
    conn: Any, year: int, rows: Sequence[RVURow], source: str, release: str, released: date
) -> list[dict[str, Any]]:
    tracked = set(conn.execute(select(schema.billing_codes.c.code)).scalars())
    return national_values(
        rows, tracked, year, source, release=release or source, available_from=released
    )


def load_fee_year(
    store: Store,
    year: int,
    *,
    source: str,
    pprrvu_file: str,
    rows: Sequence[RVURow],
    skipped: int = 0,
    release: str = "",
    released: date | None = None,
    gpci_rows: Sequence[GPCIRow] = (),
    gpci_source: str = "",
    locality_rows: Sequence[LocalityCounty] = (),
    locality_source: str = "",
    factors: Sequence[ConversionFactorRecord] = (),
    stage: str = "final",
) -> FeeYearSummary:
    """Replace one year's fee-schedule rows in one transaction (all or nothing).

    The tracked codes' national values are added to ``code_values`` under ``release``, public
    from ``released`` (today when the file gives no date): earlier releases' values are kept, so
    a replay as of an earlier date still sees them.
    """
    released = released or date.today()
    if stage not in {"final", "proposed"}:
        raise StoreError(f"fee year {year}: stage must be final or proposed ({stage!r})")
    rvu = [_rvu_dict(year, stage, r, pprrvu_file) for r in rows]
    gp = [
        {
            "year": year,
            "mac": g.mac,
            "locality": g.locality,
            "state": g.state,
            "name": g.name,
            "work": g.work,
            "pe": g.pe,
            "mp": g.mp,
            "source": f"{gpci_source} line {g.line}",
        }
        for g in gpci_rows
    ]
    seqs: dict[tuple[str, str], int] = {}
    lc = []
    for c in locality_rows:
        n = seqs.get((c.mac, c.locality), 0) + 1
        seqs[(c.mac, c.locality)] = n
        lc.append(
            {
                "year": year,
                "mac": c.mac,
                "locality": c.locality,
                "seq": n,
                "state": c.state,
                "area": c.area,
                "counties": c.counties,
                "source": f"{locality_source} line {c.line}",
            }
        )
    cfs = [
        {"year": f.year, "kind": f.kind, "stage": f.stage, "value": f.value, "source": f.source}
        for f in factors
    ]
    with store.begin() as conn:
        conn.execute(
            delete(rvu_rows).where((rvu_rows.c.year == year) & (rvu_rows.c.stage == stage))
        )
        _chunked_insert(conn, rvu_rows, rvu)
        if gp:
            conn.execute(delete(gpcis).where(gpcis.c.year == year))
            _chunked_insert(conn, gpcis, gp)
        if lc:
            conn.execute(delete(locality_counties).where(locality_counties.c.year == year))
            _chunked_insert(conn, locality_counties, lc)
        upsert_rows(conn, conversion_factors, cfs)
        tracked = (
            _tracked_values(conn, year, rows, pprrvu_file, release, released)
            if stage == "final"
            else []
        )
        upsert_rows(conn, schema.code_values, tracked)
        upsert_rows(
            conn,
            fee_releases,
            [
                {
                    "year": year,
                    "stage": stage,
                    "source": source,
                    "pprrvu_file": pprrvu_file,
                    "release": release,
                    "released": released,
                    "rows": len(rvu),
                    "skips": skipped,
                    "loaded_at": utcnow_text(),
                }
            ],
        )
    return FeeYearSummary(
        year=year,
        stage=stage,
        source=source,
        rvu_rows=len(rvu),
        skipped=skipped,
        gpcis=len(gp),
        localities=len(lc),
        conversion_factors={f.kind: f.value for f in factors},
        tracked_values=len(tracked),
        release=release,
        available_from=released,
    )


def _chunked_insert(conn: Any, table: Table, rows: list[dict[str, Any]], size: int = 2000) -> None:
    for i in range(0, len(rows), size):
        conn.execute(table.insert(), rows[i : i + size])


def load_hcpcs_year(store: Store, year: int, records: Sequence[HCPCSRecord], source: str) -> int:
    """Replace one year's HCPCS Level II records in one transaction; returns rows written."""
    rows = [
        {
            "year": year,
            "code": r.code,
            "kind": r.kind,
            "long_description": r.long_description,
            "short_description": r.short_description,
            "action": r.action,
            "added": r.added,
            "action_effective": r.action_effective,
            "terminated": r.terminated,
            "source": f"{source} line {r.line}",
        }
        for r in records
    ]
    with store.begin() as conn:
        conn.execute(delete(hcpcs_codes).where(hcpcs_codes.c.year == year))
        _chunked_insert(conn, hcpcs_codes, rows)
    return len(rows)


def _stored(m: Any, release: str = "", available_from: date | None = None) -> StoredRVU:
    return StoredRVU(
        code=m["code"],
        modifier=m["modifier"],
        year=m["year"],
        status=m["status"],
        work_rvu=m["work_rvu"],
        pe_nonfacility=m["pe_nonfacility"],
        pe_facility=m["pe_facility"],
        mp_rvu=m["mp_rvu"],
        conversion_factor=m["conversion_factor"],
        nonfacility_na=bool(m["nonfacility_na"]),
        facility_na=bool(m["facility_na"]),
        source=f"{m['source']} line {m['line']}",
        stage=m["stage"],
        release=release,
        available_from=available_from,
    )


def release_of(conn: Any, year: int, stage: str = "final") -> tuple[str, date] | None:
    """The synced release of a year: its label and the date it became public, or None."""
    t = fee_releases
    row = conn.execute(select(t).where((t.c.year == year) & (t.c.stage == stage))).first()
    if row is None:
        return None
    day = row.released or date.fromisoformat(str(row.loaded_at)[:10])
    return row.release or row.pprrvu_file, day


def get_rvu(
    store: Store,
    code: str,
    year: int,
    modifier: str = "",
    stage: str = "final",
    as_of: date | None = None,
) -> StoredRVU | None:
    """One code's stored RVUs for a year from the newest release public by ``as_of``, or None.

    A synced release counts once its date has come; otherwise (or when the year has not been
    synced) the core ``code_values`` rows answer (the bundled snapshot's real PPRRVU values).
    """
    t = rvu_rows
    with store.connect() as conn:
        synced = release_of(conn, year, stage)
        if synced is not None and (as_of is None or synced[1] <= as_of):
            row = conn.execute(
                select(t).where(
                    (t.c.code == code)
                    & (t.c.year == year)
                    & (t.c.modifier == modifier)
                    & (t.c.stage == stage)
                )
            ).first()
            if row is not None:
                return _stored(row._mapping, *synced)
            if modifier:
                return None
        if modifier or stage != "final":
            return None
    vals = {
        v.setting: v
        for v in queries.list_code_values(store, code, as_of)
        if v.year == year and v.work_rvu is not None
    }
    if not vals:
        return None
    nf, fa = vals.get("nonfacility"), vals.get("facility")
    first = nf or fa
    assert first is not None
    return StoredRVU(
        code=code,
        modifier="",
        year=year,
        status="A",
        work_rvu=first.work_rvu or 0.0,
        pe_nonfacility=nf.pe_rvu if nf else None,
        pe_facility=fa.pe_rvu if fa else None,
        mp_rvu=first.mp_rvu or 0.0,
        conversion_factor=first.conversion_factor,
        nonfacility_na=nf is None,
        facility_na=fa is None,
        source=first.source,
        release=first.release,
        available_from=first.available_from,
    )


def list_rvus(store: Store, year: int, stage: str = "final") -> list[StoredRVU]:
    """All stored RVU rows of a year (global and modifier rows), by code."""
    t = rvu_rows
    with store.connect() as conn:
        synced = release_of(conn, year, stage) or ("", None)
        return [
            _stored(r._mapping, *synced)
            for r in conn.execute(
                select(t)
                .where((t.c.year == year) & (t.c.stage == stage))
                .order_by(t.c.code, t.c.modifier)
            )
        ]


def synced_years(store: Store, stage: str = "final") -> list[int]:
    """Years with a synced release, oldest first."""
    t = fee_releases
    with store.connect() as conn:
        return sorted(conn.execute(select(t.c.year).where(t.c.stage == stage)).scalars())


def list_gpcis(store: Store, year: int) -> list[GPCIRow]:
    """Every locality's GPCIs for a year."""
    t = gpcis
    with store.connect() as conn:
        return [
            GPCIRow(
                mac=m["mac"],
                state=m["state"],
                locality=m["locality"],
                name=m["name"],
                work=m["work"],
                pe=m["pe"],
                mp=m["mp"],
                line=0,
            )
            for m in (
                r._mapping
                for r in conn.execute(
                    select(t).where(t.c.year == year).order_by(t.c.state, t.c.mac, t.c.locality)
                )
            )
        ]


def get_gpci(store: Store, year: int, mac: str, locality: str) -> tuple[GPCIRow, str] | None:
    """One locality's GPCIs and their source, or None."""
    t = gpcis
    with store.connect() as conn:
        row = conn.execute(
            select(t).where((t.c.year == year) & (t.c.mac == mac) & (t.c.locality == locality))
        ).first()
    if row is None:
        return None
    m = row._mapping
    return (
        GPCIRow(
            mac=m["mac"],
            state=m["state"],
            locality=m["locality"],
            name=m["name"],
            work=m["work"],
            pe=m["pe"],
            mp=m["mp"],
            line=0,
        ),
        m["source"],
    )


_METRIC_FOR_KIND: dict[str, tuple[str, ...]] = {
    "qp": ("pfs_conversion_factor_qp", "pfs_conversion_factor"),
    "non_qp": ("pfs_conversion_factor_non_qp", "pfs_conversion_factor"),
}


def get_conversion_factor(
    store: Store, year: int, kind: str, stage: str = "final", as_of: date | None = None
) -> ConversionFactorRecord | None:
    """The CF of ``kind`` (``qp`` / ``non_qp``) for a year, from a synced release or the snapshot.

    Before 2026 there is one CF for everyone: asking for either kind returns it as ``single``.
    With ``as_of``, only a release or metric public by then counts.
    """
    t = conversion_factors
    with store.connect() as conn:
        synced = release_of(conn, year, stage)
        rows = {}
        if synced is None or as_of is None or synced[1] <= as_of:
            rows = {
                r.kind: r
                for r in conn.execute(select(t).where((t.c.year == year) & (t.c.stage == stage)))
            }
        for k in (kind, "single"):
            if k in rows:
                r = rows[k]
                return ConversionFactorRecord(year, r.kind, r.value, r.source, r.stage)
        pm = schema.program_metrics
        prefix = "pfs_conversion_factor_proposed" if stage == "proposed" else None
        names = _METRIC_FOR_KIND.get(kind, ())
        if prefix:
            names = tuple(n.replace("pfs_conversion_factor", prefix) for n in names)
        for name in names:
            q = select(pm.c.value, pm.c.source_url).where(
                (pm.c.metric == name) & (pm.c.year == year) & pm.c.value.is_not(None)
            )
            if as_of is not None:
                q = q.where(pm.c.available_from <= as_of)
            row = conn.execute(q.order_by(pm.c.available_from.desc())).first()
            if row is not None:
                got = kind if name.endswith(kind) else "single"
                return ConversionFactorRecord(year, got, float(row.value), row.source_url, stage)
    return None


def locality_rows(store: Store, year: int) -> list[LocalityCounty]:
    """The county crosswalk of a year."""
    t = locality_counties
    with store.connect() as conn:
        return [
            LocalityCounty(
                mac=m["mac"],
                locality=m["locality"],
                state=m["state"],
                area=m["area"],
                counties=m["counties"],
                line=0,
            )
            for m in (
                r._mapping
                for r in conn.execute(
                    select(t).where(t.c.year == year).order_by(t.c.mac, t.c.locality, t.c.seq)
                )
            )
        ]


def release_factors(
    year: int, release: RVURelease, stage: str = "final"
) -> list[ConversionFactorRecord]:
    """Conversion factors printed in a release's PPRRVU files (the most common CONV FACTOR).

    From 2026 the non-QP and QP files carry different CFs; before, one CF applies to all.
    """
    out = []
    pairs = [(release.pprrvu, "non_qp" if year >= 2026 else "single")]
    if release.pprrvu_qp is not None:
        pairs.append((release.pprrvu_qp, "qp"))
    for f, kind in pairs:
        counts = Counter(r.conversion_factor for r in f.rows if r.conversion_factor > 0)
        if counts:
            value = counts.most_common(1)[0][0]
            out.append(ConversionFactorRecord(year, kind, value, f"{f.path} (CONV FACTOR)", stage))
    return out


def sync_release(
    store: Store, year: int, release: RVURelease, *, stage: str = "final"
) -> FeeYearSummary:
    """Store a parsed RVU release as ``year`` (checked against the file's year); all or nothing."""
    f = release.pprrvu
    if f.year is not None and f.year != year:
        raise InputError(
            f"{f.path}: release year does not match --year {year} ({f.year})",
            hint=f"Use --year {f.year}",
        )
    if release.gpci is not None and release.gpci.year not in (None, year):
        raise InputError(
            f"{release.gpci.path}: GPCIs are for {release.gpci.year}, not {year}",
            hint="Give the GPCI file of the same release",
        )
    if not f.rows:
        raise InputError(
            f"{f.path}: no code rows, nothing stored",
            hint="Check that the file is a complete PPRRVU file",
        )
    gp = release.gpci
    lc = release.localities
    return load_fee_year(
        store,
        year,
        source=release.source,
        pprrvu_file=f.path,
        rows=f.rows,
        skipped=len(f.skips),
        release=f.label or release_label(year, name=release.source),
        released=f.released,
        gpci_rows=gp.rows if gp else (),
        gpci_source=gp.path if gp else "",
        locality_rows=lc.rows if lc else (),
        locality_source=lc.path if lc else "",
        factors=release_factors(year, release, stage),
        stage=stage,
    )


def sync_fee_schedule(
    store: Store,
    year: int,
    *,
    client: httpx.Client | None = None,
    data: bytes | None = None,
    source: str = "",
    urls: Sequence[str] | None = None,
    stage: str = "final",
) -> tuple[FeeYearSummary, RVURelease]:
    """Fetch (when no ``data``) → parse → store one year: the whole sync pipeline.

    Parsing finishes before the transaction opens, so a bad file writes nothing.
    """
    from payforce.sources.rvu_release import fetch_rvu_zip, parse_rvu_release

    if data is None:
        if client is None:
            raise InputError(f"fee schedule {year}: nothing to load (no file and no client)")
        data, source = fetch_rvu_zip(client, year, urls=urls)
    release = parse_rvu_release(data, source=source or f"RVU{year % 100:02d}")
    return sync_release(store, year, release, stage=stage), release


def sync_hcpcs(
    store: Store,
    year: int,
    *,
    client: httpx.Client | None = None,
    data: bytes | None = None,
    source: str = "",
) -> tuple[int, HCPCSFile]:
    """Fetch (when no ``data``) → parse → store one year of the HCPCS Level II file."""
    from payforce.sources.hcpcs import fetch_hcpcs_zip, parse_hcpcs_zip

    if data is None:
        if client is None:
            raise InputError(f"HCPCS {year}: nothing to load (no file and no client)")
        data, source = fetch_hcpcs_zip(client, year)
    parsed = parse_hcpcs_zip(data, source=source or f"HCPC{year}")
    if parsed.year is not None and parsed.year != year:
        raise InputError(
            f"{parsed.path}: file year does not match --year {year} ({parsed.year})",
            hint=f"Use --year {parsed.year}",
        )
    return load_hcpcs_year(store, year, parsed.records, parsed.path), parsed


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


def list_hcpcs(store: Store, codes: Sequence[str] | None = None) -> list[StoredHCPCS]:
    """Stored HCPCS records (of the given codes, or all), by year and code."""
    t = hcpcs_codes
    q = select(t).order_by(t.c.year, t.c.code)
    if codes is not None:
        q = q.where(t.c.code.in_(list(codes)))
    with store.connect() as conn:
        return [
            StoredHCPCS(
                m["year"],
                m["code"],
                m["kind"],
                m["action"],
                m["added"],
                m["terminated"],
                m["source"],
            )
            for m in (r._mapping for r in conn.execute(q))
        ]
