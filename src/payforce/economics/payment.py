"""Payment arithmetic of the Medicare Physician Fee Schedule; pure, no I/O.

    payment = [(work RVU × work GPCI) + (PE RVU × PE GPCI) + (MP RVU × MP GPCI)] × CF

rounded to the cent, half up, as CMS's PFS look-up tool prints it. National amounts use GPCIs
of 1.0, so they equal total RVU × CF (99490, 2026, non-QP: 1.98 × 33.4009 = $66.13). Decimal
arithmetic keeps half-cent cases (52.105…) from drifting with binary floats.
"""

from __future__ import annotations

from collections.abc import Container, Iterable
from dataclasses import dataclass
from datetime import date
from decimal import ROUND_HALF_UP, Decimal
from typing import Any, Literal

from payforce.errors import InputError, LookupFailedError
from payforce.sources.fee_schedule import GPCIRow, RVURow

__all__ = [
    "NATIONAL",
    "CFKind",
    "Locality",
    "Payment",
    "Setting",
    "cf_label",
    "compute_payment",
    "national_payment",
    "national_values",
    "resolve_locality",
    "round_cents",
]

Setting = Literal["facility", "nonfacility"]
CFKind = Literal["qp", "non_qp", "single"]
_CENT = Decimal("0.01")


def round_cents(value: float | Decimal) -> Decimal:
    """Round a dollar amount to the cent, half up (CMS rounding)."""
    d = value if isinstance(value, Decimal) else Decimal(repr(float(value)))
    return d.quantize(_CENT, rounding=ROUND_HALF_UP)


def _dec(value: float) -> Decimal:
    return Decimal(repr(float(value)))


def national_payment(total_rvu: float, cf: float) -> float:
    """National payment: total RVU × conversion factor, rounded half up to the cent."""
    return float(round_cents(_dec(total_rvu) * _dec(cf)))


def national_values(
    rows: Iterable[RVURow],
    codes: Container[str],
    year: int,
    source: str,
    *,
    release: str = "",
    available_from: date | None = None,
) -> list[dict[str, Any]]:
    """``code_values`` rows (non-facility and facility) for the global rows of ``codes``.

    ``release`` (``RVU26C``) and ``available_from`` (its ``RELEASED`` date) date every value.

    Modifier rows and rows with no RVUs in either setting (carrier-priced, or not paid under the
    PFS, e.g. the OPPS code G0680) are left out; a setting whose PE RVU is NA is left out.
    """
    out = []
    for r in rows:
        if r.code not in codes or r.modifier:
            continue
        if r.total_nonfacility == 0 and r.total_facility == 0:
            continue
        for setting, pe, total in (
            ("nonfacility", r.pe_rvu_nonfacility, r.total_nonfacility),
            ("facility", r.pe_rvu_facility, r.total_facility),
        ):
            if pe is None:
                continue
            out.append(
                {
                    "code": r.code,
                    "year": year,
                    "setting": setting,
                    "work_rvu": r.work_rvu,
                    "pe_rvu": pe,
                    "mp_rvu": r.mp_rvu,
                    "total_rvu": total,
                    "conversion_factor": r.conversion_factor,
                    "payment": national_payment(total, r.conversion_factor),
                    "approximate": False,
                    "source": f"{source} line {r.line}",
                    "release": release,
                    "available_from": available_from,
                }
            )
    return out


@dataclass(frozen=True)
class Locality:
    """A payment locality and its GPCIs (or the national one, all 1.0)."""

    key: str
    """``MAC-LOCALITY`` (``01112-54``) or ``national``."""
    name: str
    """Readable name, e.g. ``BAKERSFIELD, CA``."""
    work: float
    """Work GPCI."""
    pe: float
    """Practice-expense GPCI."""
    mp: float
    """Malpractice GPCI."""
    source: str = ""
    """GPCI file and line, or empty for national."""

    @classmethod
    def from_gpci(cls, row: GPCIRow, source: str = "") -> Locality:
        """Build from a GPCI file row."""
        return cls(row.key, f"{row.name}, {row.state}", row.work, row.pe, row.mp, source)


NATIONAL = Locality("national", "national (GPCI 1.0)", 1.0, 1.0, 1.0)
"""The national locality: all GPCIs 1.0."""


def cf_label(kind: str) -> str:
    """Readable CF type: ``non-QP``, ``QP`` or ``single CF`` (years before 2026)."""
    return {"qp": "QP", "non_qp": "non-QP", "single": "single CF"}.get(kind, kind)


@dataclass(frozen=True)
class Payment:
    """One code's Medicare payment with every part that made it."""

    code: str
    """Billing code."""
    year: int
    """Fee-schedule year."""
    setting: str
    """``nonfacility`` or ``facility``."""
    locality: Locality
    """Locality and GPCIs used."""
    cf_kind: str
    """``qp``, ``non_qp`` or ``single``."""
    conversion_factor: float
    """USD per RVU."""
    work_rvu: float
    """Work RVU."""
    pe_rvu: float
    """PE RVU for the setting."""
    mp_rvu: float
    """Malpractice RVU."""
    work_part: Decimal
    """Work RVU × work GPCI."""
    pe_part: Decimal
    """PE RVU × PE GPCI."""
    mp_part: Decimal
    """MP RVU × MP GPCI."""
    amount: Decimal
    """Payment in USD, rounded to the cent."""
    rvu_source: str = ""
    """Where the RVUs came from (file and line)."""
    cf_source: str = ""
    """Where the CF came from."""
    release: str = ""
    """CMS release (``RVU26C``) or FR document number of the RVUs."""
    available_from: date | None = None
    """Date that release became public."""
    modifier: str = ""
    """Modifier row priced (``26``, ``TC``, ``53``) or empty for the global service."""

    @property
    def adjusted_rvu(self) -> Decimal:
        """Geographically adjusted total RVU."""
        return self.work_part + self.pe_part + self.mp_part

    @property
    def label(self) -> str:
        """``<year>, <locality>, <CF type>``: printed next to every dollar figure."""
        return f"{self.year}, {self.locality.name}, {cf_label(self.cf_kind)}"

    def to_dict(self) -> dict[str, object]:
        """JSON-ready form."""
        return {
            "code": self.code,
            "modifier": self.modifier,
            "paid": True,
            "year": self.year,
            "setting": self.setting,
            "locality": self.locality.key,
            "locality_name": self.locality.name,
            "gpci": {"work": self.locality.work, "pe": self.locality.pe, "mp": self.locality.mp},
            "cf_kind": self.cf_kind,
            "conversion_factor": self.conversion_factor,
            "rvu": {"work": self.work_rvu, "pe": self.pe_rvu, "mp": self.mp_rvu},
            "parts": {
                "work": str(self.work_part),
                "pe": str(self.pe_part),
                "mp": str(self.mp_part),
            },
            "adjusted_rvu": str(self.adjusted_rvu),
            "amount": str(self.amount),
            "rvu_source": self.rvu_source,
            "cf_source": self.cf_source,
            "gpci_source": self.locality.source,
            "release": self.release,
            "available_from": self.available_from.isoformat() if self.available_from else None,
        }


def compute_payment(
    *,
    code: str,
    year: int,
    setting: str,
    work_rvu: float,
    pe_rvu: float,
    mp_rvu: float,
    locality: Locality,
    conversion_factor: float,
    cf_kind: str,
    rvu_source: str = "",
    cf_source: str = "",
    release: str = "",
    available_from: date | None = None,
    modifier: str = "",
) -> Payment:
    """Apply the PFS formula to one code's RVUs in one locality with one CF."""
    if setting not in ("facility", "nonfacility"):
        raise InputError(f"--setting: must be facility or nonfacility ({setting!r})")
    if conversion_factor <= 0:
        raise InputError(f"conversion factor {year}: must be positive ({conversion_factor!r})")
    work = _dec(work_rvu) * _dec(locality.work)
    pe = _dec(pe_rvu) * _dec(locality.pe)
    mp = _dec(mp_rvu) * _dec(locality.mp)
    amount = round_cents((work + pe + mp) * _dec(conversion_factor))
    return Payment(
        code=code,
        year=year,
        setting=setting,
        locality=locality,
        cf_kind=cf_kind,
        conversion_factor=conversion_factor,
        work_rvu=work_rvu,
        pe_rvu=pe_rvu,
        mp_rvu=mp_rvu,
        work_part=work,
        pe_part=pe,
        mp_part=mp,
        amount=amount,
        rvu_source=rvu_source,
        cf_source=cf_source,
        release=release,
        available_from=available_from,
        modifier=modifier,
    )


def resolve_locality(rows: list[GPCIRow], query: str) -> GPCIRow:
    """Find a locality by ``MAC-LOC`` key (``01112-54``), by ``STATE-LOC`` or by name.

    Raises :class:`LookupFailedError` with close matches when nothing (or more than one) fits.
    """
    q = query.strip().upper()
    by_key = {r.key: r for r in rows}
    if q in by_key:
        return by_key[q]
    if "-" in q:
        left, _, right = q.partition("-")
        hits = [r for r in rows if r.state == left and r.locality == right.zfill(2)]
        if len(hits) == 1:
            return hits[0]
    exact = [r for r in rows if r.name.upper() == q]
    if len(exact) == 1:
        return exact[0]
    partial = [r for r in rows if q in r.name.upper() or q in f"{r.name}, {r.state}".upper()]
    if len(partial) == 1:
        return partial[0]
    pool = partial or rows
    suggestions = [f"{r.key} ({r.name}, {r.state})" for r in pool[:5]]
    if not partial:
        from rapidfuzz import process

        names = {f"{r.key} ({r.name}, {r.state})": r.name for r in rows}
        best = process.extract(q, names, limit=5)
        suggestions = [key for _name, _score, key in best]
    raise LookupFailedError("locality", query, suggestions)
