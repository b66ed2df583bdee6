"""Code-ledger changes read from synced files: deletions between releases, HCPCS Level II
additions and terminations, proposed vs final RVUs."""

from __future__ import annotations

from dataclasses import replace
from datetime import date

from payforce.economics.ledger_records import LedgerChange, money_label, published_on
from payforce.models import BillingCode, CodeValue
from payforce.store import fee_tables
from payforce.store.db import Store

__all__ = ["release_revisions", "hcpcs_changes", "rvu_proposed_vs_final", "synced_deletions"]


def synced_deletions(
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
                    published=published_on(y, finals, a, b),
                    source=a.source if a else b.source,
                )
            )
    return out


def hcpcs_changes(
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
                        published=published_on(rec.year, finals),
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
                        published=published_on(year, finals),
                        source=rec.source,
                    )
                )
    return out


def rvu_proposed_vs_final(
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
                    published=published_on(y, finals, f),
                    source=f.source,
                )
            )
    return out


def release_revisions(values: list[CodeValue], known: dict[str, BillingCode]) -> list[LedgerChange]:
    """A later CMS release changed a year's national payment (the final rule's value, then a
    quarterly release's): one ``revised`` change, public from the later release's date.

    ``values`` are every release's values (``every_release``), oldest release first.
    """
    by: dict[tuple[str, int, str], list[CodeValue]] = {}
    for v in values:
        if v.payment is not None:
            by.setdefault((v.code, v.year, v.setting), []).append(v)
    out = []
    for (code, year, setting), seq in sorted(by.items()):
        if setting != "nonfacility" and (code, year, "nonfacility") in by:
            continue  # one change per code and year: the non-facility amount where there is one
        for old, new in zip(seq, seq[1:], strict=False):
            if old.payment is None or new.payment is None or not old.payment:
                continue
            if round(new.payment, 2) == round(old.payment, 2):
                continue
            pct = (new.payment - old.payment) / old.payment * 100
            rvu = ""
            if old.total_rvu and new.total_rvu:
                rvu = f"; total RVU {old.total_rvu:.2f} → {new.total_rvu:.2f}"
            public = new.available_from.isoformat() if new.available_from else "?"
            out.append(
                LedgerChange(
                    code=code,
                    family=known[code].family if code in known else "",
                    year=year,
                    kind="revised",
                    pct=pct,
                    before=old.payment,
                    after=new.payment,
                    detail=(
                        f"{code} {year} national revised {money_label(old.payment, year)} "
                        f"({old.release}) → {money_label(new.payment, year)} ({new.release}, "
                        f"public {public}) ({pct:+.1f}%){rvu}"
                    ),
                    published=new.available_from or published_on(year, {}),
                    source=new.source,
                    approximate=old.approximate or new.approximate,
                    release=new.release,
                )
            )
    return out
