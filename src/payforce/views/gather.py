"""Gather functions: the data behind each CLI command (and web page), as plain dicts.

A command or page calls one of these, then renders the result as a table, JSON or HTML.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from payforce.errors import LookupFailedError
from payforce.knowledge import Knowledge, load_knowledge
from payforce.models import CodeValue, Outlook, Role, Signal
from payforce.store import queries
from payforce.store.db import Store

__all__ = [
    "gather_codes",
    "gather_documents",
    "gather_outlook",
    "gather_role",
    "gather_signals",
    "gather_trace",
    "labour_dict",
    "outlook_dict",
]


def outlook_dict(o: Outlook, *, with_signals: bool = True) -> dict[str, Any]:
    """JSON-ready outlook, each signal with the weight it contributed."""
    d: dict[str, Any] = {
        "role": o.role,
        "title": o.title,
        "as_of": o.as_of.isoformat(),
        "direction": o.direction,
        "score": o.score,
        "growth": o.growth,
        "pressure": o.pressure,
        "pivot": o.pivot,
        "confidence": o.confidence,
        "signal_count": o.signal_count,
        "strongest": o.signals[0].to_dict() if o.signals else None,
    }
    if with_signals:
        d["signals"] = [
            {**s.to_dict(), "weight": w} for s, w in zip(o.signals, o.weights, strict=True)
        ]
    return d


def gather_outlook(store: Store, as_of: date, role: str | None = None) -> dict[str, Any]:
    """Outlook of every role (or one, resolved from free text) as of a date, and the
    forecast of every occupation series (docs/backtest.md)."""
    from payforce.forecasts.current import outlook_forecasts
    from payforce.signals.outlook import compute_outlooks

    key = resolve(store, role).key if role else None
    outlooks = compute_outlooks(store, as_of, role=key)
    roles = {r.key: r for r in queries.list_roles(store, as_of)}
    return {
        "as_of": as_of.isoformat(),
        "outlooks": [
            {**outlook_dict(o), "labour": labour_dict(roles[o.role])}
            if o.role in roles
            else outlook_dict(o)
            for o in outlooks
        ],
        "forecast": outlook_forecasts(store, as_of),
    }


def labour_dict(role: Role) -> dict[str, Any]:
    """A role's labour figures, the vintages they come from, and whether they are a proxy."""
    return {
        "series": role.series,
        "measure": role.measure,
        "measured_as": role.measured_as,
        "own_figures": role.own_figures,
        "proxy_note": role.proxy_note,
        "employment": role.employment,
        "median_wage": role.median_wage,
        "oews_vintage": role.wage_year,
        "oews_available_from": (
            role.wage_available_from.isoformat() if role.wage_available_from else None
        ),
        "projection_pct": role.projection_pct,
        "projection_period": role.projection_period,
        "projection_available_from": (
            role.projection_available_from.isoformat() if role.projection_available_from else None
        ),
    }


def resolve(store: Store, text: str, knowledge: Knowledge | None = None) -> Any:
    """Resolve free text to a Role (LookupFailedError with close matches)."""
    from payforce.workforce.resolve import resolve_in_store

    return resolve_in_store(store, text, knowledge or load_knowledge())


def _pivots(
    store: Store, role_key: str, as_of: date, knowledge: Knowledge, outlooks: list[Outlook]
) -> list[dict[str, Any]]:
    from payforce.serialize import to_jsonable
    from payforce.workforce import pivots

    paths = pivots.pivot_paths(store, role_key, as_of, knowledge, outlooks=outlooks)
    return [to_jsonable(p) for p in paths]


def gather_role(store: Store, text: str, as_of: date) -> dict[str, Any]:
    """A role resolved from free text: outlook, signals with evidence, labour market, pivots."""
    from payforce.forecasts.current import role_forecast
    from payforce.signals.outlook import compute_outlooks
    from payforce.workforce import onet_attribution

    knowledge = load_knowledge()
    resolved = resolve(store, text, knowledge)
    role = next(r for r in queries.list_roles(store, as_of) if r.key == resolved.key)
    outlooks = compute_outlooks(store, as_of, knowledge)  # once, for the role and its pivots
    outlook = next(o for o in outlooks if o.role == role.key)
    return {
        "query": text,
        "role": {
            "key": role.key,
            "title": role.title,
            "soc": role.soc,
            "onet_soc": role.onet_soc,
            "onet_title": role.onet_title,
            "employment": role.employment,
            "median_wage": role.median_wage,
            "wage_year": role.wage_year,
            "projection_pct": role.projection_pct,
            "projection_period": role.projection_period,
            "annual_openings": role.annual_openings,
            "entry_education": role.entry_education,
            "certifications": role.certifications,
            "source_url": role.source_url,
            "confidence": role.confidence,
        },
        "labour": labour_dict(role),
        "outlook": outlook_dict(outlook),
        "pivots": _pivots(store, role.key, as_of, knowledge, outlooks),
        "forecast": role_forecast(store, role.key, as_of, role.series),  # docs/backtest.md
        "attribution": onet_attribution(store),
    }


def _closest(query: str, choices: list[str], limit: int = 3) -> list[str]:
    """The ``limit`` choices closest to ``query`` (for "did you mean" hints)."""
    from rapidfuzz import process

    return [m[0] for m in process.extract(query, choices, limit=limit)]


def _family_of(store: Store, text: str, knowledge: Knowledge) -> tuple[str, list[str]]:
    codes = queries.list_codes(store)
    by_code = {c.code: c for c in codes}
    key = text.strip()
    if key.upper() in by_code:
        fam = by_code[key.upper()].family
        return fam, [key.upper()]
    low = key.lower()
    if low in knowledge.families:
        return low, [c.code for c in codes if c.family == low]
    raise LookupFailedError("code or family", text, _closest(key, [*by_code, *knowledge.families]))


def gather_trace(store: Store, text: str, as_of: date) -> dict[str, Any]:
    """A code or family: chain, payment by year, documents, roles and signals."""
    from payforce.signals import compute_signals

    knowledge = load_knowledge()
    family, codes = _family_of(store, text, knowledge)
    fam = knowledge.families.get(family)
    all_codes = {c.code: c for c in queries.list_codes(store)}
    family_codes = sorted(c for c, bc in all_codes.items() if bc.family == family)
    payments = [v for c in family_codes for v in queries.list_code_values(store, c, as_of)]
    provisions = [
        p
        for p in queries.list_provisions(store, as_of)
        if p.subject in family_codes or p.family == family
    ]
    doc_numbers = sorted({p.document_number for p in provisions})
    docs = [d for d in (queries.get_document(store, n) for n in doc_numbers) if d is not None]
    signals = [s for s in compute_signals(store, as_of, knowledge) if s.subject == family]
    return {
        "query": text,
        "as_of": as_of.isoformat(),
        "family": {
            "key": family,
            "name": fam.name if fam else family,
            "workflow": fam.workflow if fam else "",
            "minutes_per_unit": fam.minutes_per_unit if fam else None,
            "supervision": fam.supervision if fam else "",
            "chain": {k: list(v) for k, v in fam.chain.items()} if fam else {},
            "source": fam.source if fam else "",
        },
        "codes": [all_codes[c] for c in (codes if len(codes) == 1 else family_codes)],
        "payments": payments,
        "provisions": provisions,
        "documents": docs,
        "signals": [s.to_dict() for s in signals],
    }


def gather_signals(
    store: Store,
    as_of: date,
    question: int | None = None,
    since: date | None = None,
    role: str | None = None,
) -> dict[str, Any]:
    """Signals as of a date, filtered by question, publication date and role."""
    from payforce.signals import compute_signals

    key = resolve(store, role).key if role else None
    signals: list[Signal] = [
        s
        for s in compute_signals(store, as_of)
        if (question is None or s.question == question)
        and (since is None or s.published >= since)
        and (key is None or s.role == key)
    ]
    return {
        "as_of": as_of.isoformat(),
        "count": len(signals),
        "signals": [s.to_dict() for s in signals],
    }


def gather_documents(
    store: Store,
    as_of: date,
    doc_type: str | None = None,
    since: date | None = None,
    open_for_comment: bool = False,
    include_out_of_scope: bool = False,
) -> dict[str, Any]:
    """Documents with proposed ↔ final ↔ correction links and lead times (or only those open
    for comment). Linked by ``rulemaking.lifecycle`` exactly as ``payforce rulemaking`` links."""
    from payforce.rulemaking.lifecycle import RulemakingIndex
    from payforce.store import fr_tables

    docs = queries.list_documents(store, as_of, include_out_of_scope=include_out_of_scope)
    index = RulemakingIndex.build(docs, fr_tables.list_actions(store))
    rows = [(d, index.final_for(d)) for d in docs]
    open_now: set[str] | None = None
    if open_for_comment:
        from payforce.rulemaking.lifecycle import open_for_comment as windows

        open_now = {w.document.document_number for w in windows(store, as_of)}
    out = []
    for d, linked in rows:
        if open_now is not None and d.document_number not in open_now:
            continue
        if doc_type == "proposed" and not d.is_proposed:
            continue
        if doc_type == "final" and not d.is_final:
            continue
        if since is not None and d.publication_date < since:
            continue
        item = {
            "document_number": d.document_number,
            "type": d.type,
            "title": d.title,
            "publication_date": d.publication_date,
            "effective_date": d.effective_date,
            "comments_close_date": d.comments_close_date,
            "file_code": d.file_code,
            "rin": d.rin,
            "url": d.url,
            "confidence": d.confidence,
            "stage": index.stage_of(d),
            "final": None,
            "proposed": None,
            "corrects": index.corrected_by(d),
            "lead_time_days": None,
        }
        if linked is not None:
            item["final"] = linked.document_number
            item["lead_time_days"] = (linked.publication_date - d.publication_date).days
        if (proposed := index.proposed_for(d)) is not None:
            item["proposed"] = proposed.document_number
        if d.comments_close_date is not None and d.comments_close_date >= as_of:
            item["comment_days_left"] = (d.comments_close_date - as_of).days
        out.append(item)
    return {"as_of": as_of.isoformat(), "count": len(out), "documents": out}


def gather_codes(
    store: Store, family: str | None = None, new_in: int | None = None, as_of: date | None = None
) -> dict[str, Any]:
    """Billing codes with their latest national non-facility payment public by ``as_of``."""
    knowledge = load_knowledge()
    if family is not None and family.lower() not in knowledge.families:
        raise LookupFailedError("family", family, _closest(family, list(knowledge.families)))
    values = queries.list_code_values(store, as_of=as_of)
    latest: dict[str, CodeValue] = {}
    for v in values:
        if v.setting == "nonfacility" and v.payment is not None:
            cur = latest.get(v.code)
            if cur is None or v.year > cur.year or (cur.approximate and not v.approximate):
                latest[v.code] = v
    rows = []
    for c in queries.list_codes(store):
        if family is not None and c.family != family.lower():
            continue
        if new_in is not None and c.first_paid_year != new_in:
            continue
        cv = latest.get(c.code)
        rows.append(
            {
                "code": c.code,
                "system": c.system,
                "family": c.family,
                "description": c.description,
                "first_paid_year": c.first_paid_year,
                "ai_category": c.ai_category,
                "threshold": c.threshold,
                "status_note": c.status_note,
                "payment": cv.payment if cv else None,
                "payment_year": cv.year if cv else None,
                "payment_approximate": cv.approximate if cv else None,
                "payment_source": cv.source if cv else None,
                "payment_release": cv.release if cv else None,
                "payment_available_from": cv.available_from if cv else None,
                "confidence": c.confidence,
            }
        )
    return {"count": len(rows), "codes": rows}
