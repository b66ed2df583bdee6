"""Gather functions: one per page, each returning the data that the page, its JSON and the reports
render. A page never shows anything its JSON does not also carry (datasette's one-view rule).

Every gather function takes a :class:`~payforce.web.context.ViewContext` (the store, the knowledge
base, a cache of computed outlooks) and plain arguments; it raises
:class:`~payforce.errors.LookupFailedError` for an unknown role, code, family or document and
:class:`~payforce.errors.InputError` for a bad argument. Values are models, dates and dicts;
:func:`payforce.serialize.to_jsonable` makes JSON. Codes, families and documents live in
:mod:`payforce.web.catalog`, re-exported here.
"""

from __future__ import annotations

import re
from datetime import date, timedelta
from typing import Any

from sqlalchemy import select

from payforce.errors import InputError, LookupFailedError
from payforce.models import Outlook, Signal
from payforce.store import queries, schema
from payforce.store.search import MARK_END, MARK_START, SEARCH_KINDS, search
from payforce.web.catalog import (
    doc_row,
    documents_by_number,
    gather_code,
    gather_codes,
    gather_document,
    gather_documents,
    gather_family,
    in_scope,
    sanitize_html,
)
from payforce.web.chart_specs import chart_aco, chart_care_management, chart_new_codes
from payforce.web.context import ViewContext, parse_as_of
from payforce.web.paging import decode_cursor, offset_page

__all__ = [
    "ViewContext",
    "gather_code",
    "gather_codes",
    "gather_dashboard",
    "gather_document",
    "gather_documents",
    "gather_economics",
    "gather_family",
    "gather_outlook",
    "gather_report",
    "gather_role",
    "gather_roles",
    "gather_search",
    "parse_as_of",
    "sanitize_html",
]

NEWEST_SIGNALS = 12
SEARCH_LIMIT = 30
"""Search results per page when ``limit`` is not given."""
SEARCH_DEPTH = 300
"""Deepest search result reachable by paging."""

DIRECTION_WORDS = {
    "growth": "growing",
    "pressure": "under pressure",
    "pivot": "shifting (pivot)",
    "none": "no signal yet",
}


def _outlook_row(o: Outlook) -> dict[str, Any]:
    return {
        "role": o.role,
        "title": o.title,
        "direction": o.direction,
        "direction_words": DIRECTION_WORDS.get(o.direction, o.direction),
        "score": round(o.score, 3),
        "growth": round(o.growth, 3),
        "pressure": round(o.pressure, 3),
        "pivot": round(o.pivot, 3),
        "confidence": round(o.confidence, 3),
        "signal_count": o.signal_count,
        "top_signal": o.signals[0].summary if o.signals else "",
    }


def _link_for(kind: str, ref: str) -> str:
    """Internal page for an evidence reference, or ``""``."""
    if kind == "document":
        return f"/documents/{ref}"
    if kind == "code":
        return f"/codes/{ref}"
    return ""


def _signal_row(s: Signal, titles: dict[str, str]) -> dict[str, Any]:
    row = s.to_dict()
    row["role_title"] = titles.get(s.role, s.role)
    row["evidence"] = [{**e.to_dict(), "link": _link_for(e.kind, e.ref)} for e in s.evidence]
    return row


UPCOMING, RECENT = 15, 8
"""The dashboard's upcoming (from ``as_of``) and recent (the year before) dated events."""


def _document_events(ctx: ViewContext, as_of: date) -> list[dict[str, Any]]:
    """Comment deadlines and effective dates of documents public by ``as_of``: per kind, the
    :data:`UPCOMING` next and the :data:`RECENT` latest of the past year (indexed range reads of
    a few rows, not every document with a date in the window)."""
    t = schema.documents
    out: list[dict[str, Any]] = []
    with ctx.store.connect() as conn:
        for column, what in (
            (t.c.comments_close_date, "comments close"),
            (t.c.effective_date, "takes effect"),
        ):
            public = (t.c.publication_date <= as_of, in_scope(t))
            ahead = (
                select(t)
                .where(column >= as_of, *public)
                .order_by(column, t.c.document_number)
                .limit(UPCOMING)
            )
            behind = (
                select(t)
                .where(column < as_of, column >= as_of - timedelta(days=365), *public)
                .order_by(column.desc(), t.c.document_number.desc())
                .limit(RECENT)
            )
            for q in (ahead, behind):
                for r in conn.execute(q):
                    d = queries._document(r)
                    out.append({"date": r._mapping[column.name], "what": what, **doc_row(d)})
    return out


def _dated_events(
    ctx: ViewContext, as_of: date
) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """(upcoming, recent): comment deadlines, effective and compliance dates around ``as_of``.

    Compliance dates come from the mandates' requirements, once one of the mandate's documents
    is public; comment and effective dates from the documents table.
    """
    store = ctx.store
    events: list[dict[str, Any]] = []
    provisions = [
        p
        for p in queries.list_provisions(store, as_of)
        if p.kind == "deadline" and p.effective_date
    ]
    wanted = {p.document_number for p in provisions}
    for mandate in ctx.knowledge.mandates.values():
        wanted.update((*mandate.final, *mandate.proposed))
    by_number = {
        n: d for n, d in documents_by_number(ctx, wanted).items() if d.publication_date <= as_of
    }
    events.extend(_document_events(ctx, as_of))
    events.extend(
        {
            "date": p.effective_date,
            "what": f"compliance: {p.detail or p.subject}",
            **doc_row(by_number[p.document_number]),
        }
        for p in provisions
        if p.document_number in by_number
    )
    for mandate in ctx.knowledge.mandates.values():
        public = [by_number[n] for n in (*mandate.final, *mandate.proposed) if n in by_number]
        if not public:
            continue
        source = max(public, key=lambda d: (d.publication_date, d.document_number))
        events.extend(
            {"date": r.compliance_date, "what": f"compliance: {r.detail}", **doc_row(source)}
            for r in mandate.requirements
        )
    for e in events:
        e["days"] = (e["date"] - as_of).days

    def order(e: dict[str, Any]) -> tuple[date, str, str]:
        return (e["date"], e["what"], e["document_number"])

    upcoming = sorted((e for e in events if e["days"] >= 0), key=order)
    recent = sorted((e for e in events if -365 <= e["days"] < 0), key=order, reverse=True)
    return upcoming[:UPCOMING], recent[:RECENT]


def page_freshness(ctx: ViewContext, as_of: date) -> dict[str, Any]:
    """The newest evidence the store holds (published by today), and whether that is over 30
    days before ``as_of`` (then the page says which sync brings the store up to date)."""
    from payforce.store.freshness import freshness

    found = freshness(ctx.store, as_of, today=ctx.today())
    return {**found, "compared_with": as_of.isoformat()}


def gather_dashboard(ctx: ViewContext, as_of: date) -> dict[str, Any]:
    """Dashboard: every role's outlook, newest signals, dated events and four charts (computed
    once per date, data version and today: the same for every reader)."""
    kind = f"dashboard {ctx.today().isoformat()}"
    return dict(ctx.memo(kind, as_of, lambda: _gather_dashboard(ctx, as_of)))


def _gather_dashboard(ctx: ViewContext, as_of: date) -> dict[str, Any]:
    outlooks = ctx.outlooks(as_of)
    titles = {o.role: o.title for o in outlooks}
    counts = dict.fromkeys(("growth", "pressure", "pivot", "none"), 0)
    for o in outlooks:
        counts[o.direction] = counts.get(o.direction, 0) + 1
    seen: set[tuple[Any, ...]] = set()
    newest: list[Signal] = []
    for s in sorted(
        (s for o in outlooks for s in o.signals),
        key=lambda s: (s.published, s.strength, s.role),
        reverse=True,
    ):
        if s.key not in seen:
            seen.add(s.key)
            newest.append(s)
        if len(newest) >= NEWEST_SIGNALS:
            break
    upcoming, recent = _dated_events(ctx, as_of)
    return {
        "as_of": as_of,
        "freshness": page_freshness(ctx, as_of),
        "counts": counts,
        "outlooks": [_outlook_row(o) for o in outlooks],
        "newest_signals": [_signal_row(s, titles) for s in newest],
        "upcoming": upcoming,
        "recent": recent,
        "charts": [
            *chart_aco(ctx.store, as_of),
            chart_new_codes(ctx.store, ctx.knowledge, as_of),
            chart_care_management(ctx.store, ctx.knowledge, as_of),
        ],
    }


def gather_outlook(ctx: ViewContext, as_of: date) -> dict[str, Any]:
    """Every role's outlook with its signals and evidence (``/api/outlook``; once per date)."""
    return dict(ctx.memo("outlook rows", as_of, lambda: _gather_outlook(ctx, as_of)))


def _gather_outlook(ctx: ViewContext, as_of: date) -> dict[str, Any]:
    outlooks = ctx.outlooks(as_of)
    titles = {o.role: o.title for o in outlooks}
    return {
        "as_of": as_of,
        "outlooks": [
            {**_outlook_row(o), "signals": [_signal_row(s, titles) for s in o.signals]}
            for o in outlooks
        ],
    }


def _role_sentence(title: str, o: Outlook | None, as_of: date) -> str:
    when = as_of.isoformat()
    if o is None or o.direction == "none" or not o.signals:
        return f"As of {when}, no payment-policy signal touches the work of a {title} yet."
    n = o.signal_count
    plural = "signal" if n == 1 else "signals"
    if o.direction == "growth":
        return (
            f"As of {when}, payment policy is funding more of this work: {n} {plural} "
            f"point to growth for a {title}."
        )
    if o.direction == "pressure":
        return (
            f"As of {when}, rules and automation are squeezing parts of this work: "
            f"{n} {plural} point to pressure on a {title}."
        )
    return (
        f"As of {when}, the work of a {title} is shifting: {n} {plural} suggest building "
        f"new skills or moving to a neighbouring role."
    )


def _pivots(ctx: ViewContext, key: str, as_of: date) -> list[dict[str, Any]]:
    """Ranked pivot paths (``payforce.workforce.pivots``) with links to their evidence."""
    from payforce.workforce.pivots import pivot_paths

    paths = pivot_paths(ctx.store, key, as_of, ctx.knowledge, outlooks=ctx.outlooks(as_of))
    return [
        {
            "target": p.target,
            "title": p.target_title,
            "rank": p.rank,
            "score": round(p.score, 3),
            "target_direction": p.target_direction,
            "wage_change_pct": p.wage_change_pct,
            "wage_note": p.wage_note,
            "overlap": round(p.overlap, 3),
            "overlap_basis": p.overlap_basis,
            "skills": p.skills,
            "credentials": p.credentials,
            "funded_by": p.funded_by,
            "funding": [{**e.to_dict(), "link": _link_for(e.kind, e.ref)} for e in p.funding],
        }
        for p in paths
    ]


def gather_role(ctx: ViewContext, key: str, as_of: date) -> dict[str, Any]:
    """Role page: outlook in plain words, why (signals + evidence), pivots, labour figures.

    ``key`` may also be free text ("UR nurse", "coder"): it is resolved as the CLI resolves it,
    and ``role.key`` tells the caller which role that was (pages redirect to it).
    """
    roles = {r.key: r for r in queries.list_roles(ctx.store, as_of)}
    if key not in roles:
        from payforce.workforce.resolve import candidates, resolve_role

        try:
            key = resolve_role(key, list(roles.values()), ctx.knowledge).key
        except LookupFailedError:
            near = candidates(key, list(roles.values()), ctx.knowledge, limit=3)
            raise LookupFailedError("role", key, [k for k, _ in near]) from None
    role = roles[key]
    outlooks = ctx.outlooks(as_of)
    outlook = next((o for o in outlooks if o.role == key), None)
    titles = {r.key: r.title for r in roles.values()}
    pivots = _pivots(ctx, key, as_of)
    chain = [
        {"family": f.key, "name": f.name, "step": step}
        for f in ctx.knowledge.families.values()
        for step, r in f.roles()
        if r == key
    ]
    compare = [role, *(roles[p["target"]] for p in pivots if p["target"] in roles)]
    wage_chart = {
        "id": "role-wages",
        "kind": "bar",
        "x_label": "role",
        "unit": "USD per year",
        "title": f"Median annual wage: {role.title} and the roles it can pivot to",
        "series": [
            {
                "name": "median annual wage (USD)",
                "points": [[r.title, r.median_wage] for r in compare if r.median_wage is not None],
            }
        ],
    }
    labour = [
        {
            "role": r.key,
            "title": r.title,
            "median_wage": r.median_wage,
            "employment": r.employment,
            "projection_pct": r.projection_pct,
            "projection_period": r.projection_period,
            "annual_openings": r.annual_openings,
            "wage_year": r.wage_year,
            "measured_as": r.measured_as,
            "proxy_note": r.proxy_note,
            "oews_available_from": r.wage_available_from,
            "projection_available_from": r.projection_available_from,
        }
        for r in compare
    ]
    return {
        "as_of": as_of,
        "freshness": page_freshness(ctx, as_of),
        "role": role,
        "sentence": _role_sentence(role.title, outlook, as_of),
        "outlook": _outlook_row(outlook) if outlook else None,
        "signals": [_signal_row(s, titles) for s in (outlook.signals if outlook else ())],
        "pivots": pivots,
        "chain": sorted(chain, key=lambda c: (c["family"], c["step"])),
        "labour": labour,
        "charts": [wage_chart],
    }


def gather_roles(
    ctx: ViewContext, as_of: date, limit: int = 500, cursor: str | None = None
) -> dict[str, Any]:
    """One page of roles with their outlook direction, alphabetically (then by key)."""
    by_role = {o.role: o for o in ctx.outlooks(as_of)}
    rows = []
    for r in queries.list_roles(ctx.store, as_of):
        o = by_role.get(r.key)
        rows.append(
            {
                "role": r.key,
                "title": r.title,
                "soc": r.soc,
                "direction": o.direction if o else "none",
                "score": round(o.score, 3) if o else 0.0,
                "median_wage": r.median_wage,
                "employment": r.employment,
                "proxy": not r.own_figures,
                "measured_as": r.measured_as,
            }
        )
    rows.sort(key=lambda row: (str(row["title"]).lower(), str(row["role"])))
    page, next_cursor = offset_page(rows, limit, cursor)
    return {
        "as_of": as_of,
        "freshness": page_freshness(ctx, as_of),
        "total": len(rows),
        "roles": page,
        "next_cursor": next_cursor,
    }


def _segments(snippet: str) -> list[dict[str, Any]]:
    """Split a marked snippet into ``{"text", "match"}`` parts (templates escape each part)."""
    parts: list[dict[str, Any]] = []
    for i, chunk in enumerate(re.split(f"[{MARK_START}{MARK_END}]", snippet)):
        if chunk:
            parts.append({"text": chunk, "match": i % 2 == 1})
    return parts


def gather_search(
    ctx: ViewContext,
    query: str,
    kind: str | None = None,
    limit: int = SEARCH_LIMIT,
    cursor: str | None = None,
) -> dict[str, Any]:
    """Search documents, codes and roles (best first); ``kind`` narrows to one of them.

    Paged by offset up to :data:`SEARCH_DEPTH` results (the order is stable: rank, kind, ref);
    only the rows up to the end of the page (plus one, to know whether more follow) are fetched,
    so a snippet is built for at most that many. ``count`` is the number on this page, ``first``
    the position of its first result (1-based).
    """
    if kind is not None and kind not in SEARCH_KINDS:
        raise InputError(
            f"kind: not a search kind ({kind[:40]!r})",
            hint="Use one of " + ", ".join(SEARCH_KINDS),
        )
    query = query[:200]
    offset = decode_cursor(cursor, 1)[0] if cursor else "0"
    start = int(offset) if offset.isdigit() else 0  # offset_page refuses a bad one
    depth = min(SEARCH_DEPTH, start + limit + 1)
    hits = search(ctx.store, query, kind=kind, limit=depth, version=ctx.version())
    page, next_cursor = offset_page(hits[:SEARCH_DEPTH], limit, cursor)
    links = {"document": "/documents/", "code": "/codes/", "role": "/roles/"}
    return {
        "query": query,
        "kind": kind,
        "count": len(page),
        "first": start + 1,
        "results": [
            {**h.to_dict(), "link": links[h.kind] + h.ref, "segments": _segments(h.snippet)}
            for h in page
        ],
        "next_cursor": next_cursor,
    }


def gather_economics(ctx: ViewContext, form: dict[str, str]) -> dict[str, Any]:
    """The economics calculator, when ``payforce.economics.programs`` is part of this build."""
    try:
        from payforce.web.economics import FIELDS, calculate
    except ImportError:  # pragma: no cover - only before the economics module lands
        return {
            "available": False,
            "message": "The program economics calculator is not part of this build yet.",
            "form": form,
        }
    return calculate(ctx, {k: v for k, v in form.items() if k in FIELDS})


def gather_report(
    ctx: ViewContext, as_of: date, generated_at: str, role: str | None = None
) -> dict[str, Any]:
    """A workforce brief: one role's page (when ``role`` is given) and the dashboard.

    ``role`` may be a key or free text ("care manager"); ``generated_at`` is printed as given so
    the output is stable for a fixed input.
    """
    role_data = None
    if role is not None:
        roles = queries.list_roles(ctx.store, as_of)
        if role not in {r.key for r in roles}:
            from payforce.workforce.resolve import resolve_role

            role = resolve_role(role, roles, ctx.knowledge).key
        role_data = gather_role(ctx, role, as_of)
    title = (
        f"Workforce brief: {role_data['role'].title}"
        if role_data
        else "Workforce brief: payment policy and the healthcare jobs it funds"
    )
    return {
        "title": title,
        "as_of": as_of,
        "freshness": page_freshness(ctx, as_of),
        "generated_at": generated_at,
        "role": role_data,
        "dashboard": gather_dashboard(ctx, as_of),
    }
