"""Fee-schedule reads: stored RVUs, GPCIs, localities, conversion factors and HCPCS records."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from typing import Any

from sqlalchemy import select

from payforce.sources.fee_schedule import GPCIRow, LocalityCounty
from payforce.store import queries, schema
from payforce.store.db import Store
from payforce.store.fee_schema import (
    ConversionFactorRecord,
    StoredHCPCS,
    StoredRVU,
    conversion_factors,
    fee_releases,
    gpcis,
    hcpcs_codes,
    locality_counties,
    rvu_rows,
)

__all__ = [
    "get_conversion_factor",
    "get_gpci",
    "get_rvu",
    "list_gpcis",
    "list_hcpcs",
    "list_rvus",
    "locality_rows",
    "release_of",
    "synced_years",
]


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
        not_used_for_medicare=bool(m["not_used_for_medicare"]),
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
