"""The code ledger: how each tracked code and family changed, year over year and proposed vs final.

Change kinds:

- ``new`` — a code first paid in the year (its payment, where known);
- ``deleted`` — a code deleted or made not payable (``status_note``, or a synced release where the
  code lost its paid status);
- ``revalued`` — national payment moved between two years (± %, with the RVU change beside it);
- ``revised`` — a later CMS release changed a year's payment (the final rule's value, then a
  quarterly release's), public from that release's date;
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
from datetime import date

from payforce.economics.ledger_records import (
    CHANGE_KINDS,
    FamilySummary,
    LedgerChange,
    money_label,
    published_on,
)
from payforce.economics.ledger_synced import (
    hcpcs_changes,
    release_revisions,
    rvu_proposed_vs_final,
    synced_deletions,
)
from payforce.models import BillingCode, CodeValue, ProgramMetric
from payforce.store import queries
from payforce.store.db import Store

__all__ = ["CHANGE_KINDS", "FamilySummary", "LedgerChange", "family_summaries", "ledger_changes"]

_DELETED_RE = re.compile(r"(deleted|not payable)\D*(\d{4})", re.IGNORECASE)


def _final_dates(metrics: list[ProgramMetric]) -> dict[int, date]:
    out: dict[int, date] = {}
    for m in metrics:
        if m.metric in {"pfs_conversion_factor", "pfs_conversion_factor_non_qp"}:
            out.setdefault(m.year, m.available_from)
    return out


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
                published=published_on(year, finals, pay),
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
                        f" at {money_label(pay.payment, c.first_paid_year)} national"
                        if pay and pay.payment
                        else ""
                    ),
                    published=published_on(c.first_paid_year, finals, pay),
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
                    published=published_on(y, finals),
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
                    f"{code} national {money_label(prev.payment, y - 1)} → "
                    f"{money_label(v.payment, y)} ({pct:+.1f}%){rvu}"
                ),
                published=published_on(y, finals, v, prev),
                source=v.source,
                approximate=prev.approximate or v.approximate,
                release=v.release,
            )
        )
    out += _threshold_changes(codes, finals, payments)
    out += _cf_proposed_vs_final(metrics, finals)
    out += synced_deletions(store, known, finals)
    out = hcpcs_changes(store, known, finals, out)
    out += rvu_proposed_vs_final(store, known, finals)
    out += release_revisions(
        queries.list_code_values(store, as_of=as_of, every_release=True), known
    )
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
