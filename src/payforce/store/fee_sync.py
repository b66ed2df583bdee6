"""Fee-schedule writes: one year of an RVU release or a HCPCS file, in one transaction.

A year is loaded whole or not at all: :func:`load_fee_year` deletes that year's rows and inserts
the new ones inside one transaction, so a failure leaves the previous load in place. The codes
payforce tracks (``billing_codes``) also get their national values upserted into the core
``code_values`` table, so the signal engine sees synced years without reading these tables.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from datetime import date
from typing import TYPE_CHECKING, Any

from sqlalchemy import Table, delete, select

from payforce.economics.payment import national_values
from payforce.errors import InputError, StoreError
from payforce.sources.fee_schedule import GPCIRow, LocalityCounty, RVURow, release_label
from payforce.sources.hcpcs import HCPCSFile, HCPCSRecord
from payforce.store import schema
from payforce.store.clock import utcnow_text
from payforce.store.db import Store, check_rows, upsert_rows
from payforce.store.fee_schema import (
    ConversionFactorRecord,
    FeeYearSummary,
    conversion_factors,
    fee_releases,
    gpcis,
    hcpcs_codes,
    locality_counties,
    rvu_rows,
)

if TYPE_CHECKING:
    import httpx

    from payforce.sources.rvu_release import RVURelease

__all__ = [
    "load_fee_year",
    "load_hcpcs_year",
    "release_factors",
    "sync_fee_schedule",
    "sync_hcpcs",
    "sync_release",
]


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
    with_rvus = bool(pprrvu_file)  # a GPCI, locality or QP file alone leaves the RVUs alone
    with store.begin() as conn:
        if with_rvus:
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
            if stage == "final" and with_rvus
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
            ]
            if with_rvus
            else [],
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
    check_rows(table, rows)  # lengths and NUL characters refused alike on both databases
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


def release_factors(
    year: int, release: RVURelease, stage: str = "final"
) -> list[ConversionFactorRecord]:
    """Conversion factors printed in a release's PPRRVU files (the most common CONV FACTOR).

    From 2026 the non-QP and QP files carry different CFs; before, one CF applies to all.
    """
    out = []
    pairs = []
    if release.pprrvu is not None:
        pairs.append((release.pprrvu, "non_qp" if year >= 2026 else "single"))
    if release.pprrvu_qp is not None:
        pairs.append((release.pprrvu_qp, "qp"))
    for f, kind in pairs:
        counts = Counter(r.conversion_factor for r in f.rows if r.conversion_factor > 0)
        if counts:
            value = counts.most_common(1)[0][0]
            out.append(ConversionFactorRecord(year, kind, value, f"{f.path} (CONV FACTOR)", stage))
    return out


def sync_release(
    store: Store,
    year: int,
    release: RVURelease,
    *,
    stage: str = "final",
    released: date | None = None,
) -> FeeYearSummary:
    """Store a parsed RVU release as ``year`` (checked against the file's year); all or nothing.

    ``released`` dates a release whose files carry no ``RELEASED`` line (the fixed-width
    ``.txt``); a date printed in the file wins.
    """
    files = [f for f in (release.pprrvu, release.pprrvu_qp, release.gpci, release.localities) if f]
    if not files:
        raise InputError(f"{release.source}: no fee-schedule file to load")
    for pp in (release.pprrvu, release.pprrvu_qp):
        if pp is not None and pp.year is not None and pp.year != year:
            raise InputError(
                f"{pp.path}: release year does not match --year {year} ({pp.year})",
                hint=f"Use --year {pp.year}",
            )
    for other in (release.gpci, release.localities):
        if other is not None and other.year not in (None, year):
            raise InputError(
                f"{other.path}: the file is for {other.year}, not {year}",
                hint="Give the files of the same release",
            )
    for pp in (release.pprrvu, release.pprrvu_qp):
        if pp is not None and not pp.rows:
            raise InputError(
                f"{pp.path}: no code rows, nothing stored",
                hint="Check that the file is a complete PPRRVU file",
            )
    f = release.pprrvu
    gp = release.gpci
    lc = release.localities
    label = ""
    if f is not None:
        label = (
            f.label or release_label(year, name=f.path) or release_label(year, name=release.source)
        )
    summary = load_fee_year(
        store,
        year,
        source=release.source,
        pprrvu_file=f.path if f else "",
        rows=f.rows if f else (),
        skipped=len(f.skips) if f else 0,
        release=label,
        released=(f.released if f else None) or released,
        gpci_rows=gp.rows if gp else (),
        gpci_source=gp.path if gp else "",
        locality_rows=lc.rows if lc else (),
        locality_source=lc.path if lc else "",
        factors=release_factors(year, release, stage),
        stage=stage,
    )
    store.refresh_statistics()  # the planner learns the release's size
    return summary


def sync_fee_schedule(
    store: Store,
    year: int,
    *,
    client: httpx.Client | None = None,
    data: bytes | None = None,
    source: str = "",
    urls: Sequence[str] | None = None,
    stage: str = "final",
    files: Sequence[tuple[str, bytes]] = (),
    released: date | None = None,
) -> tuple[FeeYearSummary, RVURelease]:
    """Fetch (when no ``data`` or ``files``) → parse → store one year: the whole sync pipeline.

    ``files`` are (name, bytes) of any files of one release (zip, PPRRVU CSV or ``.txt``, the QP
    variant, GPCI, locality/county), loaded together. Parsing finishes before the transaction
    opens, so a bad file writes nothing.
    """
    from payforce.sources.rvu_release import fetch_rvu_zip, parse_rvu_files, parse_rvu_release

    if files:
        release = parse_rvu_files(files, source=source)
        return sync_release(store, year, release, stage=stage, released=released), release
    if data is None:
        if client is None:
            raise InputError(f"fee schedule {year}: nothing to load (no file and no client)")
        data, source = fetch_rvu_zip(client, year, urls=urls)
    release = parse_rvu_release(data, source=source or f"RVU{year % 100:02d}")
    return sync_release(store, year, release, stage=stage, released=released), release


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
    loaded = load_hcpcs_year(store, year, parsed.records, parsed.path)
    store.refresh_statistics()
    return loaded, parsed
