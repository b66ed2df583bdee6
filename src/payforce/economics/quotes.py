"""Payment quotes: one code's Medicare payment from the store's RVUs, GPCIs and CF."""

from __future__ import annotations

from datetime import date

from payforce.economics.payment import NATIONAL, Locality, Payment, compute_payment
from payforce.errors import InputError, LookupFailedError
from payforce.store import fee_tables, queries
from payforce.store.db import Store

__all__ = ["quote_payment", "resolve_locality"]


def resolve_locality(store: Store, year: int, query: str | None) -> Locality:
    """National, or a locality of the year's synced GPCI file (``MAC-LOC``, ``ST-LOC`` or name)."""
    if query is None or query.strip().lower() in {"", "national", "00000-00"}:
        return NATIONAL
    from payforce.economics.payment import resolve_locality as pick

    rows = fee_tables.list_gpcis(store, year)
    if not rows:
        raise InputError(
            f"--locality {query}: no GPCIs for {year} in the store",
            hint=f"Run payforce sync fee-schedule --year {year} (the RVU zip has the GPCI file)",
        )
    row = pick(rows, query)
    found = fee_tables.get_gpci(store, year, row.mac, row.locality)
    return Locality.from_gpci(row, found[1] if found else "")


def quote_payment(
    store: Store,
    code: str,
    *,
    year: int,
    locality: Locality = NATIONAL,
    setting: str = "nonfacility",
    cf_kind: str = "non_qp",
    as_of: date | None = None,
) -> Payment:
    """One code's payment from the store's RVUs and CF (of the newest release public by
    ``as_of``). Raises LookupFailedError if unknown."""
    code = code.strip().upper()
    if cf_kind not in {"qp", "non_qp"}:
        raise InputError(f"CF type must be qp or non_qp ({cf_kind!r})")
    rvu = fee_tables.get_rvu(store, code, year, as_of=as_of)
    if rvu is None:
        raise LookupFailedError(
            f"code for {year}",
            code,
            _close_codes(store, code, year),
        )
    if rvu.status not in {"A", "R", "T"}:
        from payforce.sources.fee_schedule import STATUS_CODES

        raise InputError(
            f"{code} {year}: status {rvu.status} ({STATUS_CODES.get(rvu.status, '?')}), "
            "no PFS payment",
            hint="Only status A, R and T codes are paid by RVUs × GPCI × CF",
        )
    pe = rvu.pe_nonfacility if setting == "nonfacility" else rvu.pe_facility
    na = rvu.nonfacility_na if setting == "nonfacility" else rvu.facility_na
    if pe is None or na:
        other = "facility" if setting == "nonfacility" else "nonfacility"
        raise InputError(
            f"{code} {year}: not paid in the {setting} setting (NA indicator)",
            hint=f"Try --setting {other}",
        )
    cf = fee_tables.get_conversion_factor(store, year, cf_kind, as_of=as_of)
    if cf is None:
        if rvu.conversion_factor:
            cf = fee_tables.ConversionFactorRecord(
                year, "single" if year < 2026 else "non_qp", rvu.conversion_factor, rvu.source
            )
            if cf_kind == "qp" and year >= 2026:
                raise InputError(
                    f"{year}: no QP conversion factor in the store",
                    hint="Sync the release's QPP file or use --non-qp",
                )
        else:
            raise InputError(
                f"{year}: no conversion factor in the store",
                hint=f"Run payforce sync fee-schedule --year {year}",
            )
    return compute_payment(
        code=code,
        year=year,
        setting=setting,
        work_rvu=rvu.work_rvu,
        pe_rvu=pe,
        mp_rvu=rvu.mp_rvu,
        locality=locality,
        conversion_factor=cf.value,
        cf_kind=cf.kind,
        rvu_source=rvu.source,
        cf_source=cf.source,
        release=rvu.release,
        available_from=rvu.available_from,
    )


def _close_codes(store: Store, code: str, year: int) -> list[str]:
    known = [c.code for c in queries.list_codes(store)]
    from rapidfuzz import process

    return [m for m, _s, _i in process.extract(code, known, limit=3)]
