"""Gather functions for the evidence catalog: billing codes, service families, policy documents.

Like :mod:`payforce.web.views`, each returns the one dict a page, its JSON and reports render.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from typing import Any

import nh3
from markupsafe import Markup
from sqlalchemy import and_, or_, select

from payforce.errors import LookupFailedError
from payforce.models import BillingCode, PolicyDocument, Provision
from payforce.store import queries, schema
from payforce.store.queries import _document
from payforce.store.search import search
from payforce.web.chart_specs import payment_series
from payforce.web.context import ViewContext
from payforce.web.paging import UnknownCursor, decode_cursor, encode_cursor, offset_page

__all__ = [
    "ALLOWED_TAGS",
    "doc_row",
    "documents_by_number",
    "gather_code",
    "gather_codes",
    "gather_document",
    "gather_documents",
    "gather_family",
    "sanitize_html",
]

ALLOWED_TAGS = {"p", "br", "em", "strong", "i", "b", "sub", "sup", "ul", "ol", "li", "a"}


def sanitize_html(html: str) -> Markup:
    """Federal Register abstracts may carry HTML: keep a few inline tags, drop the rest."""
    cleaned = nh3.clean(
        html,
        tags=ALLOWED_TAGS,
        attributes={"a": {"href"}},
        url_schemes={"http", "https"},
        link_rel="noopener noreferrer nofollow",
    )
    return Markup(cleaned)  # noqa: S704 - nh3 output is safe markup by construction


def _document_label(d: PolicyDocument) -> str:
    kind = "proposed rule" if d.is_proposed else ("final rule" if d.is_final else d.type.lower())
    return f"{d.document_number} ({kind}, {d.publication_date.isoformat()})"


def doc_row(d: PolicyDocument) -> dict[str, Any]:
    return {
        "document_number": d.document_number,
        "key": d.key,
        "type": d.type,
        "title": d.title,
        "publication_date": d.publication_date,
        "effective_date": d.effective_date,
        "comments_close_date": d.comments_close_date,
        "citation": d.citation,
        "url": d.url,
        "label": _document_label(d),
    }


def _chain(ctx: ViewContext, family: str, titles: dict[str, str]) -> list[dict[str, Any]]:
    fam = ctx.knowledge.families.get(family)
    if fam is None:
        return []
    from payforce.knowledge.loader import CHAIN_STEPS

    return [
        {
            "step": step,
            "roles": [{"role": r, "title": titles.get(r, r)} for r in fam.chain.get(step, ())],
        }
        for step in CHAIN_STEPS
        if fam.chain.get(step)
    ]


def _family_info(ctx: ViewContext, family: str) -> dict[str, Any] | None:
    fam = ctx.knowledge.families.get(family)
    if fam is None:
        return None
    return {
        "key": fam.key,
        "name": fam.name,
        "workflow": fam.workflow,
        "minutes_per_unit": fam.minutes_per_unit,
        "supervision": fam.supervision,
        "source": fam.source,
    }


def _documents_for(ctx: ViewContext, codes: set[str], families: set[str]) -> list[dict[str, Any]]:
    """Documents with a provision about these codes / families, oldest first."""
    found: dict[str, list[Provision]] = {}
    for p in queries.list_provisions(ctx.store):
        if p.subject in codes or p.subject in families or (p.family in families and not codes):
            found.setdefault(p.document_number, []).append(p)
    docs = documents_by_number(ctx, found)
    out = []
    for number, provs in found.items():
        d = docs.get(number)
        if d is None:
            continue
        out.append(
            {
                **doc_row(d),
                "provisions": [
                    {"kind": p.kind, "subject": p.subject, "detail": p.detail} for p in provs
                ],
            }
        )
    out.sort(key=lambda r: (r["publication_date"], r["document_number"]))
    return out


def gather_code(ctx: ViewContext, code: str) -> dict[str, Any]:
    """Code page: the code, its family's chain, payment history and the documents behind it."""
    codes = {c.code: c for c in queries.list_codes(ctx.store)}
    wanted = code.strip().upper()
    if wanted not in codes:
        from rapidfuzz import process

        near = [m[0] for m in process.extract(wanted, list(codes), limit=3)]
        raise LookupFailedError("code", code, near)
    c = codes[wanted]
    titles = {r.key: r.title for r in queries.list_roles(ctx.store)}
    values = queries.list_code_values(ctx.store, c.code)
    mentions = [h.ref for h in search(ctx.store, c.code, kind="document", version=ctx.version())]
    documents = _documents_for(ctx, {c.code}, set())
    listed = {d["document_number"] for d in documents}
    docs = documents_by_number(ctx, mentions)
    mentioned = [
        {**doc_row(docs[n]), "provisions": []} for n in mentions if n in docs and n not in listed
    ]
    chart = {
        "id": "code-payment",
        "kind": "line",
        "x_label": "year",
        "unit": "USD",
        "title": f"{c.code}: national payment by fee-schedule year (USD)",
        "series": [
            {"name": setting, "points": payment_series(ctx.store, c.code, None, setting)}
            for setting in ("nonfacility", "facility")
        ],
    }
    return {
        "code": c,
        "family": _family_info(ctx, c.family),
        "chain": _chain(ctx, c.family, titles),
        "values": values,
        "documents": documents,
        "mentioned_in": sorted(mentioned, key=lambda r: r["publication_date"]),
        "siblings": sorted(k for k, v in codes.items() if v.family == c.family and k != c.code),
        "charts": [chart],
    }


def gather_family(ctx: ViewContext, key: str) -> dict[str, Any]:
    """Family page: its workflow, operational chain, codes, payments and documents."""
    info = _family_info(ctx, key)
    if info is None:
        from rapidfuzz import process

        near = [m[0] for m in process.extract(key, list(ctx.knowledge.families), limit=3)]
        raise LookupFailedError("family", key, near)
    titles = {r.key: r.title for r in queries.list_roles(ctx.store)}
    codes = [c for c in queries.list_codes(ctx.store) if c.family == key]
    chart = {
        "id": "family-payment",
        "kind": "line",
        "x_label": "year",
        "unit": "USD",
        "title": f"{info['name']}: national non-facility payment by year (USD)",
        "series": [
            {"name": c.code, "points": payment_series(ctx.store, c.code, None)} for c in codes
        ],
    }
    return {
        "family": info,
        "chain": _chain(ctx, key, titles),
        "codes": codes,
        "documents": _documents_for(ctx, {c.code for c in codes}, {key}),
        "charts": [chart],
    }


def gather_codes(ctx: ViewContext, limit: int = 500, cursor: str | None = None) -> dict[str, Any]:
    """One page of codes (ordered by family, then code), grouped by family."""
    ordered = sorted(queries.list_codes(ctx.store), key=lambda c: (c.family, c.code))
    page, next_cursor = offset_page(ordered, limit, cursor)
    groups: dict[str, list[BillingCode]] = {}
    for c in page:
        groups.setdefault(c.family, []).append(c)
    return {
        "total": len(ordered),
        "families": [
            {"family": _family_info(ctx, f) or {"key": f, "name": f}, "codes": cs}
            for f, cs in groups.items()
        ],
        "next_cursor": next_cursor,
    }


def documents_by_number(ctx: ViewContext, numbers: Iterable[str]) -> dict[str, PolicyDocument]:
    """The documents with these numbers, by number (primary-key lookups)."""
    return {d.document_number: d for d in queries.documents_by_number(ctx.store, numbers)}


def _find_document(ctx: ViewContext, number: str) -> PolicyDocument:
    """One document by number (primary key) or readable key; 404 with close numbers."""
    t = schema.documents
    with ctx.store.connect() as conn:
        row = conn.execute(select(t).where(t.c.document_number == number)).first()
        if row is None and number and not number[0].isdigit():  # keys are words, numbers digits
            row = conn.execute(select(t).where(t.c.key == number)).first()
        if row is not None:
            return _document(row)
        prefix = number[:4].replace("%", "").replace("_", "")
        pool = [
            r[0]
            for r in conn.execute(
                select(t.c.document_number)
                .where(t.c.document_number.like(f"{prefix}%"))
                .order_by(t.c.document_number)
                .limit(5000)
            )
        ]
    from rapidfuzz import process

    near = [m[0] for m in process.extract(number, pool, limit=3)] if pool else []
    raise LookupFailedError("document", number, near)


RELATED_AROUND = 25
"""A document page lists, per key it shares, at most this many documents published before it
and this many after (real rulemakings hold a handful; a big store's annual-rule titles link
thousands)."""


def _related(ctx: ViewContext, doc: PolicyDocument) -> list[PolicyDocument]:
    """The documents of ``doc``'s rulemaking: those sharing a RIN, CMS file code, docket,
    annual-rule title or key stem with it (an indexed read of ``document_links``), oldest first."""
    from payforce.store.link_index import document_keys, ensure_link_index, related_numbers

    ensure_link_index(ctx.store, ctx.version())
    keys = document_keys(doc.rin, doc.file_code, doc.docket, doc.title, doc.key)
    with ctx.store.connect() as conn:
        numbers = related_numbers(conn, keys, doc.publication_date, RELATED_AROUND)
    numbers.add(doc.document_number)
    group = queries.documents_by_number(ctx.store, numbers)
    return sorted(group, key=lambda d: (d.publication_date, d.document_number))


def gather_document(ctx: ViewContext, number: str) -> dict[str, Any]:
    """Document page: timeline proposed → final → effective, provisions with evidence."""
    doc = _find_document(ctx, number)
    from payforce.rulemaking.lifecycle import stage as lifecycle_stage

    group = _related(ctx, doc)
    today = ctx.today()
    timeline = []
    for d in group:
        stage = lifecycle_stage(d)  # as `payforce rulemaking` labels it
        if stage == "other":
            stage = d.type.lower()
        timeline.append(
            {
                "date": d.publication_date,
                "event": f"{stage} rule published"
                if stage in ("proposed", "final")
                else f"{stage} published",
                "stage": stage,
                **doc_row(d),
            }
        )
        if d.comments_close_date:
            timeline.append(
                {
                    "date": d.comments_close_date,
                    "event": "comments close",
                    "stage": "comments",
                    **doc_row(d),
                }
            )
        if d.effective_date:
            timeline.append(
                {
                    "date": d.effective_date,
                    "event": "takes effect",
                    "stage": "effective",
                    **doc_row(d),
                }
            )
    timeline.sort(key=lambda e: (e["date"], e["document_number"]))
    for e in timeline:
        e["past"] = e["date"] <= today
        e["current"] = e["document_number"] == doc.document_number
    provisions = [
        p for p in queries.list_provisions(ctx.store) if p.document_number == doc.document_number
    ]
    return {
        "document": doc,
        "label": _document_label(doc),
        "summary_html": sanitize_html(doc.summary),
        "comment_deadline": doc.comments_close_date,
        "comments_open": bool(doc.comments_close_date and doc.comments_close_date >= today),
        "timeline": timeline,
        "related": [doc_row(d) for d in group if d.document_number != doc.document_number],
        "provisions": provisions,
        "sources": [u.strip() for u in doc.source_url.split("|") if u.strip()],
    }


def in_scope(t: Any) -> Any:
    """SQL condition: the document is inside the default scope (as ``list_documents`` reads)."""
    from payforce.store.scope_tables import out_of_scope_documents as out

    return (
        ~select(out.c.document_number).where(out.c.document_number == t.c.document_number).exists()
    )


def gather_documents(
    ctx: ViewContext, limit: int = 100, cursor: str | None = None
) -> dict[str, Any]:
    """One page of documents, newest first (publication date, then number, both descending).

    Keyset paging: the cursor holds the last row's (date, number), so a page costs one index
    range scan however deep it is, and documents added meanwhile never shift a page.
    """
    t = schema.documents
    q = (
        select(t)
        .where(in_scope(t))
        .order_by(t.c.publication_date.desc(), t.c.document_number.desc())
    )
    if cursor:
        day_text, last = decode_cursor(cursor, 2)
        try:
            day = date.fromisoformat(day_text)
        except ValueError:
            raise UnknownCursor(cursor) from None
        q = q.where(
            or_(
                t.c.publication_date < day,
                and_(t.c.publication_date == day, t.c.document_number < last),
            )
        )
    with ctx.store.connect() as conn:
        rows = [_document(r) for r in conn.execute(q.limit(limit + 1))]
        total = queries.count_documents(conn)
    more = len(rows) > limit
    rows = rows[:limit]
    last_doc = rows[-1] if rows else None
    next_cursor = (
        encode_cursor(last_doc.publication_date.isoformat(), last_doc.document_number)
        if more and last_doc is not None
        else None
    )
    return {"total": total, "documents": [doc_row(d) for d in rows], "next_cursor": next_cursor}
