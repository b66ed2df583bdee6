"""Payment quotes: one code's Medicare payment from the store's RVUs, GPCIs and CF."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from payforce.economics.payment import NATIONAL, Locality, Payment, compute_payment
from payforce.errors import InputError, LookupFailedError
from payforce.models import CodeValue
from payforce.sources.fee_schedule import PAID_STATUSES, STATUS_CODES
from payforce.store import fee_tables, queries
from payforce.store.db import Store

__all__ = [
    "NationalAmount",
    "NoPayment",
    "price_code",
    "quote_payment",
    "resolve_locality",
    "split_code",
]


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


@dataclass(frozen=True)
class NoPayment:
    """A code Medicare does not pay under the PFS in a year, and why (said instead of $0.00)."""

    code: str
    """Billing code."""
    modifier: str
    """Modifier (``26``, ``TC``, ``53``) or empty."""
    year: int
    """Fee-schedule year."""
    status: str
    """CMS status code of the row."""
    reason: str
    """Why there is no payment, in words (one sentence, no status prefix)."""
    source: str = ""
    """File and line of the row."""
    release: str = ""
    """CMS release of the row."""
    available_from: date | None = None
    """Date that release became public."""

    def to_dict(self) -> dict[str, object]:
        """JSON-ready form."""
        return {
            "code": self.code,
            "modifier": self.modifier,
            "year": self.year,
            "status": self.status,
            "status_meaning": STATUS_CODES.get(self.status, ""),
            "paid": False,
            "reason": self.reason,
            "source": self.source,
            "release": self.release,
            "available_from": self.available_from.isoformat() if self.available_from else None,
        }


@dataclass(frozen=True)
class NationalAmount:
    """A national payment known without its RVUs (a rule's amount quoted by other sources)."""

    value: CodeValue
    """The stored value (payment, source, release, date)."""

    @property
    def amount(self) -> Decimal:
        """The amount in USD."""
        return Decimal(repr(self.value.payment)).quantize(Decimal("0.01"))

    def to_dict(self) -> dict[str, object]:
        """JSON-ready form."""
        v = self.value
        return {
            "code": v.code,
            "year": v.year,
            "setting": v.setting,
            "locality": "national",
            "amount": str(self.amount),
            "approximate": v.approximate,
            "rvu": None,
            "source": v.source,
            "release": v.release,
            "available_from": v.available_from.isoformat() if v.available_from else None,
        }


_PLAIN_STATUS = {
    "B": "bundled into other services; Medicare never pays it on its own",
    "C": "priced by the Medicare contractor (MAC) case by case; no national amount",
    "E": "excluded from the fee schedule by regulation",
    "I": "not valid for Medicare claims (Medicare uses another code)",
    "N": "not covered by Medicare",
    "P": "bundled or excluded; no separate Medicare payment",
    "X": "excluded by law (statutory exclusion); Medicare does not pay it",
    "M": "a measurement code, reported for quality programs; no payment",
    "J": "an anesthesia service, paid by anesthesia base units, not RVUs",
}


def split_code(text: str, modifier: str | None = None) -> tuple[str, str]:
    """``70450-26`` or (``70450``, ``TC``) → (code, modifier); modifiers 26, TC, 53 only."""
    code, _, attached = text.strip().upper().partition("-")
    mod = (modifier or attached).strip().upper()
    if attached and modifier and attached.strip().upper() != mod:
        raise InputError(
            f"{text}: modifier given twice ({attached} and {modifier})",
            hint="Write 70450-26 or 70450 --modifier 26",
        )
    if mod not in _MODIFIERS:
        raise InputError(
            f"--modifier: the fee schedule prices 26, TC and 53 only ({mod!r})",
            hint="26 = professional component, TC = technical component, 53 = discontinued",
        )
    return code, mod


_MODIFIERS = {"", "26", "TC", "53"}


def price_code(
    store: Store,
    code: str,
    *,
    year: int,
    modifier: str = "",
    locality: Locality = NATIONAL,
    setting: str = "nonfacility",
    cf_kind: str = "non_qp",
    as_of: date | None = None,
) -> Payment | NoPayment | NationalAmount:
    """What Medicare pays for one code (and modifier) in a year: the PFS arithmetic, a plain
    "no payment" with its reason, or a national amount known without RVUs.

    Uses the newest release public by ``as_of``. Raises LookupFailedError if the code (or its
    modifier row) is not in the store.
    """
    code = code.strip().upper()
    if cf_kind not in {"qp", "non_qp"}:
        raise InputError(f"CF type must be qp or non_qp ({cf_kind!r})")
    rvu = fee_tables.get_rvu(store, code, year, modifier, as_of=as_of)
    if rvu is None:
        if not modifier:
            for v in queries.list_code_values(store, code, as_of):
                if v.year == year and v.setting == setting and v.payment is not None:
                    if locality is NATIONAL:
                        return NationalAmount(v)
        what = f"{code}-{modifier}" if modifier else code
        if as_of is not None:
            later = fee_tables.get_rvu(store, code, year, modifier)
            if later is not None and later.available_from and later.available_from > as_of:
                raise InputError(
                    f"{what} {year}: no value public by {as_of.isoformat()} (the store's "
                    f"first is {later.release}, public {later.available_from.isoformat()})",
                    hint="Use a later --as-of, or sync an earlier release of the year",
                )
        if modifier and year not in fee_tables.synced_years(store):
            raise InputError(
                f"{what} {year}: no {modifier} rows in the store (the bundled values are the "
                "global rows of the codes payforce tracks)",
                hint=f"Run payforce sync fee-schedule --year {year} for every code and modifier",
            )
        raise LookupFailedError(f"code for {year}", what, _close_codes(store, code, year))
    label = f"{code}-{modifier}" if modifier else code
    total = rvu.work_rvu + (rvu.pe_nonfacility or 0.0) + rvu.mp_rvu
    total_f = rvu.work_rvu + (rvu.pe_facility or 0.0) + rvu.mp_rvu

    def none(reason: str) -> NoPayment:
        return NoPayment(
            label.split("-")[0],
            modifier,
            year,
            rvu.status,
            reason,
            rvu.source,
            rvu.release,
            rvu.available_from,
        )

    if rvu.status not in PAID_STATUSES:
        return none(_PLAIN_STATUS.get(rvu.status, STATUS_CODES.get(rvu.status, "not paid")))
    if rvu.not_used_for_medicare:
        return none("the RVUs are printed for reference only, not used for Medicare payment")
    if total <= 0 and total_f <= 0:
        return none("the code has no RVUs, so there is no national Medicare amount")
    pe = rvu.pe_nonfacility if setting == "nonfacility" else rvu.pe_facility
    na = rvu.nonfacility_na if setting == "nonfacility" else rvu.facility_na
    if pe is None or na:
        other = "facility" if setting == "nonfacility" else "nonfacility"
        raise InputError(
            f"{label} {year}: not paid in the {setting} setting (NA indicator)",
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
        modifier=modifier,
    )


def quote_payment(
    store: Store,
    code: str,
    *,
    year: int,
    locality: Locality = NATIONAL,
    setting: str = "nonfacility",
    cf_kind: str = "non_qp",
    as_of: date | None = None,
    modifier: str = "",
) -> Payment:
    """One code's PFS payment (of the newest release public by ``as_of``).

    Raises LookupFailedError if there are no RVUs for it, InputError if Medicare does not pay it.
    """
    got = price_code(
        store,
        code,
        year=year,
        modifier=modifier,
        locality=locality,
        setting=setting,
        cf_kind=cf_kind,
        as_of=as_of,
    )
    if isinstance(got, NoPayment):
        raise InputError(
            f"{got.code} {year}: status {got.status}, no Medicare payment ({got.reason})",
            hint="Only status A, R and T codes with RVUs are paid by RVUs × GPCI × CF",
        )
    if isinstance(got, NationalAmount):
        raise LookupFailedError(f"code for {year}", code.strip().upper(), [])
    return got


def _close_codes(store: Store, code: str, year: int) -> list[str]:
    known = [c.code for c in queries.list_codes(store)]
    from rapidfuzz import process

    return [m for m, _s, _i in process.extract(code, known, limit=3)]
