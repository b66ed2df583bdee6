"""Code-ledger records (a change, a family's year) and the date a change became public."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

__all__ = [
    "CHANGE_KINDS",
    "FamilySummary",
    "LedgerChange",
    "money_label",
    "published_on",
]

CHANGE_KINDS = ("new", "deleted", "revalued", "revised", "threshold", "proposed_vs_final")
"""Every change kind the ledger emits."""


@dataclass(frozen=True)
class LedgerChange:
    """One change to one code (or to a conversion factor) in one fee-schedule year."""

    code: str
    """Billing code, or ``CF non-QP`` / ``CF QP`` / ``CF`` for conversion factors."""
    family: str
    """Service family key (empty for conversion factors)."""
    year: int
    """Fee-schedule year the change applies to."""
    kind: str
    """One of :data:`CHANGE_KINDS`."""
    pct: float | None
    """Percent change (revalued, proposed_vs_final), else None."""
    before: float | None
    """Value before (previous year, or proposed), USD."""
    after: float | None
    """Value after, USD."""
    detail: str
    """One readable sentence."""
    published: date
    """When the change became public (final rule, or the proposed rule for proposals)."""
    source: str = ""
    """Where the values come from."""
    approximate: bool = False
    """True when a value is a rounded secondary-source figure."""
    release: str = ""
    """CMS release (``RVU26C``) or FR document that printed the value, where one did."""

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready form."""
        return {
            "code": self.code,
            "family": self.family,
            "year": self.year,
            "kind": self.kind,
            "pct": None if self.pct is None else round(self.pct, 2),
            "before": self.before,
            "after": self.after,
            "detail": self.detail,
            "published": self.published.isoformat(),
            "source": self.source,
            "approximate": self.approximate,
            "release": self.release,
        }


@dataclass(frozen=True)
class FamilySummary:
    """A family's changes in one year."""

    family: str
    """Service family key."""
    year: int
    """Fee-schedule year."""
    new: tuple[str, ...]
    """New codes."""
    deleted: tuple[str, ...]
    """Deleted codes."""
    revalued: int
    """Codes revalued."""
    mean_pct: float | None
    """Mean payment change of the revalued codes, %."""
    thresholds: tuple[str, ...]
    """Codes that added a threshold tier."""


def money_label(amount: float, year: int) -> str:
    """``$52.11 (2026, non-QP)``: a national amount with its year and CF type."""
    cf = "non-QP" if year >= 2026 else "single CF"
    return f"${amount:,.2f} ({year}, {cf})"


def published_on(year: int, finals: dict[int, date], *values: Any) -> date:
    """The final rule's date, or the release date of a value (``available_from``) if later."""
    day = finals.get(year, date(year - 1, 11, 1))
    for v in values:
        later = getattr(v, "available_from", None)
        if later is not None and later > day:
            day = later
    return day
