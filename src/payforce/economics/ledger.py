"""The code ledger: how each tracked code and family changed, year over year and proposed vs final.

Change kinds:

- ``new`` — a code first paid in the year (its payment, where known);
- ``deleted`` — a code deleted or made not payable (``status_note``, or a synced release where the
  code lost its paid status);
- ``revalued`` — national payment moved between two years (± %, with the RVU change beside it);
- ``threshold`` — a new code adds a tier to its family at another time or data-day threshold
  (RPM 2-15 days next to 16-30; 10-19 minutes next to 20);
- ``proposed_vs_final`` — the final value differs from the proposed one (conversion factors from
  the program metrics; RVUs where a proposed release was synced).

A change is public from the final rule's date (the ``available_from`` of that year's conversion
factor, else 1 November of the year before); ``as_of`` filtering uses that date, so the lead's
question-1 detector sees only what was known then. Pure over what the store returns.
"""

from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass, replace
from datetime import date
from typing import Any

from payforce.models import BillingCode, CodeValue, ProgramMetric
from payforce.store import fee_tables, queries
from payforce.store.db import Store

__all__ = ["CHANGE_KINDS", "FamilySummary", "LedgerChange", "family_summaries", "ledger_changes"]

CHANGE_KINDS = ("new", "deleted", "revalued", "threshold", "proposed_vs_final")
"""Every change kind the ledger emits."""

_DELETED_RE = re.compile(r"(deleted|not payable)\D*(\d{4})", re.IGNORECASE)


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


def _money(amount: float, year: int) -> str:
    """``$52.11 (2026, non-QP)``: a national amount with its year and CF type."""
    cf = "non-QP" if year >= 2026 else "single CF"
    return f"${amount:,.2f} ({year}, {cf})"


def _final_dates(metrics: list[ProgramMetric]) -> dict[int, date]:
    out: dict[int, date] = {}
    for m in metrics:
        if m.metric in {"pfs_conversion_factor", "pfs_conversion_factor_non_qp"}:
            out.setdefault(m.year, m.available_from)
    return out


def _published(year: int, finals: dict[int, date], *values: Any) -> date:
    """The final rule's date, or the release date of a value (``available_from``) if later."""
    day = finals.get(year, date(year - 1, 11, 1))
    for v in values:
        later = getattr(v, "available_from", None)
        if later is not None and later > day:
            day = later
    return day


def _payments(values: list[CodeValue]) -> dict[tuple[str, int], CodeValue]:
    """National payment per (code, year): non-facility where there is one, else facility."""
    out: dict[tuple[str, int], CodeValue] = {}
    for v in values:
        if v.payment is None:
            continue
        key = (v.code, v.year)
        if key not in out or (v.setting == "nonfacility" and out[key].setting != "nonfacility"):
            out[key] = v
    return out


def _threshold_changes(
    codes: list[BillingCode], finals: dict[int, date], payments: dict[tuple[str, int], CodeValue]
) -> list[LedgerChange]:
    by_family: dict[str, list[BillingCode]] = defaultdict(list)
    for c in codes:
        by_family[c.family].append(c)
    out = []
    for c in codes:
        year = c.first_paid_year
        if not year or not c.threshold or c.threshold.lower().startswith(("add-on", "each")):
            continue
        older = [
            o
            for o in by_family[c.family]
            if o.code != c.code
            and o.first_paid_year
            and o.first_paid_year < year
            and o.threshold
            and not o.threshold.lower().startswith(("each", "once", "add-on"))
            and o.threshold != c.threshold
            and not o.status_note
        ]
        if not older:
            continue
        words = set(re.findall(r"[a-z]{4,}", c.description.lower()))
        sibling = max(
            older,
            key=lambda o: (
                len(words & set(re.findall(r"[a-z]{4,}", o.description.lower()))),
                o.first_paid_year or 0,
                o.code,
            ),
        )
        pay = payments.get((c.code, year))
        out.append(
            LedgerChange(
                code=c.code,
                family=c.family,
                year=year,
                kind="threshold",
                pct=None,
                before=None,
                after=pay.payment if pay else None,
                detail=(
                    f"{c.code} pays for {c.threshold}, next to {sibling.code} ({sibling.threshold})"
                ),
                published=_published(year, finals, pay),
                source=c.source_url,
                approximate=bool(pay and pay.approximate),
                release=pay.release if pay else "",
            )
        )
    return out


def ledger_changes(
    store: Store,
    as_of: date | None = None,
    *,
    family: str | None = None,
    year: int | None = None,
) -> list[LedgerChange]:
    """Every ledger change public by ``as_of`` (all when None), by year, family, code, kind."""
    codes = queries.list_codes(store)
    metrics = queries.list_metrics(store)
    finals = _final_dates(metrics)
    payments = _payments(queries.list_code_values(store, as_of=as_of))
    out: list[LedgerChange] = []
    for c in codes:
        if c.first_paid_year:
            pay = payments.get((c.code, c.first_paid_year))
            out.append(
                LedgerChange(
                    code=c.code,
                    family=c.family,
                    year=c.first_paid_year,
                    kind="new",
                    pct=None,
                    before=None,
                    after=pay.payment if pay else None,
                    detail=f"{c.code} first paid in {c.first_paid_year}"
                    + (
                        f" at {_money(pay.payment, c.first_paid_year)} national"
                        if pay and pay.payment
                        else ""
                    ),
                    published=_published(c.first_paid_year, finals, pay),
                    source=pay.source if pay else c.source_url,
                    approximate=bool(pay and pay.approximate),
                    release=pay.release if pay else "",
                )
            )
        m = _DELETED_RE.search(c.status_note)
        if m:
            y = int(m.group(2))
            out.append(
                LedgerChange(
                    code=c.code,
                    family=c.family,
                    year=y,
                    kind="deleted",
                    pct=None,
                    before=None,
                    after=None,
                    detail=f"{c.code} {m.group(1).lower()} from {y}",
                    published=_published(y, finals),
                    source=c.source_url,
                )
            )
    known = {c.code: c for c in codes}
    for (code, y), v in sorted(payments.items()):
        prev = payments.get((code, y - 1))
        if prev is None or not prev.payment or v.payment is None:
            continue
        pct = (v.payment - prev.payment) / prev.payment * 100
        rvu = "; a payment from a secondary source (no RVUs)"
        if prev.total_rvu and v.total_rvu:
            rvu = f"; total RVU {prev.total_rvu:.2f} → {v.total_rvu:.2f}"
        out.append(
            LedgerChange(
                code=code,
                family=known[code].family if code in known else "",
                year=y,
                kind="revalued",
                pct=pct,
                before=prev.payment,
                after=v.payment,
                detail=(
                    f"{code} national {_money(prev.payment, y - 1)} → {_money(v.payment, y)} "
                    f"({pct:+.1f}%){rvu}"
                ),
                published=_published(y, finals, v, prev),
                source=v.source,
                approximate=prev.approximate or v.approximate,
                release=v.release,
            )
        )
    out += _threshold_changes(codes, finals, payments)
    out += _cf_proposed_vs_final(metrics, finals)
    out += _synced_deletions(store, known, finals)
    out = _hcpcs_changes(store, known, finals, out)
    out += _rvu_proposed_vs_final(store, known, finals)
    if as_of is not None:
        out = [c for c in out if c.published <= as_of]
    if family is not None:
        out = [c for c in out if c.family == family or (not c.family and family == "")]
    if year is not None:
        out = [c for c in out if c.year == year]
    order = {k: i for i, k in enumerate(CHANGE_KINDS)}
    return sorted(out, key=lambda c: (c.year, c.family, c.code, order[c.kind]))


def _cf_proposed_vs_final(
    metrics: list[ProgramMetric], finals: dict[int, date]
) -> list[LedgerChange]:
    values = {(m.metric, m.year): m for m in metrics if m.value is not None}
    out = []
    for (metric, y), proposed in sorted(values.items()):
        if not metric.startswith("pfs_conversion_factor_proposed"):
            continue
        suffix = metric.removeprefix("pfs_conversion_factor_proposed")
        final = values.get((f"pfs_conversion_factor{suffix}", y))
        if final is None or proposed.value is None or final.value is None:
            continue
        label = {"_non_qp": "CF non-QP", "_qp": "CF QP"}.get(suffix, "CF")
        pct = (final.value - proposed.value) / proposed.value * 100
        out.append(
            LedgerChange(
                code=label,
                family="",
                year=y,
                kind="proposed_vs_final",
                pct=pct,
                before=proposed.value,
                after=final.value,
                detail=f"{label} {y}: proposed ${proposed.value:.4f}, final ${final.value:.4f} "
                f"({pct:+.2f}%)",
                published=final.available_from,
                source=final.source_url,
            )
        )
    return out


def _synced_deletions(
    store: Store, known: dict[str, BillingCode], finals: dict[int, date]
) -> list[LedgerChange]:
    years = fee_tables.synced_years(store)
    out = []
    for y in years:
        if y - 1 not in years:
            continue
        before = {r.code: r for r in fee_tables.list_rvus(store, y - 1) if not r.modifier}
        after = {r.code: r for r in fee_tables.list_rvus(store, y) if not r.modifier}
        for code, b in before.items():
            if code not in known or b.status not in {"A", "R", "T"}:
                continue
            a = after.get(code)
            if a is not None and a.status in {"A", "R", "T"}:
                continue
            status = f"status {a.status}" if a else "absent"
            out.append(
                LedgerChange(
                    code=code,
                    family=known[code].family,
                    year=y,
                    kind="deleted",
                    pct=None,
                    before=None,
                    after=None,
                    detail=f"{code} paid in {y - 1}, {status} in {y}",
                    published=_published(y, finals, a, b),
                    source=a.source if a else b.source,
                )
            )
    return out


def _hcpcs_changes(
    store: Store,
    known: dict[str, BillingCode],
    finals: dict[int, date],
    changes: list[LedgerChange],
) -> list[LedgerChange]:
    """Confirm or add new / deleted Level II codes from synced HCPCS annual files."""
    out = list(changes)
    index = {(c.code, c.year, c.kind): i for i, c in enumerate(out)}
    for rec in fee_tables.list_hcpcs(store, sorted(known)):
        if rec.kind != "procedure":
            continue
        fam = known[rec.code].family
        if rec.action == "A" and rec.added is not None and rec.added.year == rec.year:
            key = (rec.code, rec.year, "new")
            note = f"HCPCS {rec.year} file: added {rec.added.isoformat()} ({rec.source})"
            if key in index:
                c = out[index[key]]
                out[index[key]] = replace(
                    c, detail=f"{c.detail}; {note}", source=f"{c.source} | {rec.source}"
                )
            else:
                index[key] = len(out)
                out.append(
                    LedgerChange(
                        code=rec.code,
                        family=fam,
                        year=rec.year,
                        kind="new",
                        pct=None,
                        before=None,
                        after=None,
                        detail=f"{rec.code} new; {note}",
                        published=_published(rec.year, finals),
                        source=rec.source,
                    )
                )
        if rec.terminated is not None:
            year = rec.terminated.year + 1
            key = (rec.code, year, "deleted")
            if key not in index:
                index[key] = len(out)
                out.append(
                    LedgerChange(
                        code=rec.code,
                        family=fam,
                        year=year,
                        kind="deleted",
                        pct=None,
                        before=None,
                        after=None,
                        detail=f"{rec.code} terminated {rec.terminated.isoformat()} "
                        f"(HCPCS {rec.year} file, action {rec.action or '—'})",
                        published=_published(year, finals),
                        source=rec.source,
                    )
                )
    return out


def _rvu_proposed_vs_final(
    store: Store, known: dict[str, BillingCode], finals: dict[int, date]
) -> list[LedgerChange]:
    out = []
    for y in fee_tables.synced_years(store, stage="proposed"):
        proposed = {r.code: r for r in fee_tables.list_rvus(store, y, "proposed") if not r.modifier}
        final = {r.code: r for r in fee_tables.list_rvus(store, y) if not r.modifier}
        for code, p in proposed.items():
            f = final.get(code)
            if code not in known or f is None:
                continue
            tp = p.work_rvu + (p.pe_nonfacility or 0) + p.mp_rvu
            tf = f.work_rvu + (f.pe_nonfacility or 0) + f.mp_rvu
            if tp <= 0 or abs(tf - tp) < 0.005:
                continue
            pct = (tf - tp) / tp * 100
            out.append(
                LedgerChange(
                    code=code,
                    family=known[code].family,
                    year=y,
                    kind="proposed_vs_final",
                    pct=pct,
                    before=round(tp, 2),
                    after=round(tf, 2),
                    detail=f"{code} {y}: proposed {tp:.2f} RVU, final {tf:.2f} RVU ({pct:+.1f}%)",
                    published=_published(y, finals, f),
                    source=f.source,
                )
            )
    return out


def family_summaries(changes: list[LedgerChange]) -> list[FamilySummary]:
    """Roll changes up per family and year."""
    groups: dict[tuple[str, int], list[LedgerChange]] = defaultdict(list)
    for c in changes:
        if c.family:
            groups[(c.family, c.year)].append(c)
    out = []
    for (fam, y), items in sorted(groups.items(), key=lambda kv: (kv[0][1], kv[0][0])):
        reval = [c.pct for c in items if c.kind == "revalued" and c.pct is not None]
        out.append(
            FamilySummary(
                family=fam,
                year=y,
                new=tuple(sorted({c.code for c in items if c.kind == "new"})),
                deleted=tuple(sorted({c.code for c in items if c.kind == "deleted"})),
                revalued=len(reval),
                mean_pct=sum(reval) / len(reval) if reval else None,
                thresholds=tuple(sorted({c.code for c in items if c.kind == "threshold"})),
            )
        )
    return out
