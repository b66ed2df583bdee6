"""Named reads: rows → domain models. Every read that takes ``as_of`` filters on publication."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import fields
from datetime import date
from typing import Any

from sqlalchemy import Connection, Row, Select, Table, func, select

from payforce.models import BillingCode, CodeValue, PolicyDocument, ProgramMetric, Provision, Role
from payforce.store import schema
from payforce.store.db import Store

__all__ = [
    "documents_by_number",
    "get_document",
    "list_code_values",
    "list_codes",
    "list_documents",
    "list_metrics",
    "list_provisions",
    "list_roles",
]


def _document(row: Row[Any]) -> PolicyDocument:
    m = row._mapping
    return PolicyDocument(
        document_number=m["document_number"],
        type=m["type"],
        title=m["title"],
        publication_date=m["publication_date"],
        agency=m["agency"],
        citation=m["citation"],
        file_code=m["file_code"],
        rin=m["rin"],
        docket=m["docket"],
        effective_date=m["effective_date"],
        comments_close_date=m["comments_close_date"],
        cfr_parts=m["cfr_parts"],
        summary=m["summary"],
        html_url=m["html_url"],
        source_url=m["source_url"],
        confidence=m["confidence"],
        key=m["key"],
        origin=m["origin"],
    )


def list_documents(
    store: Store, as_of: date | None = None, *, include_out_of_scope: bool = False
) -> list[PolicyDocument]:
    """Documents published on or before ``as_of`` (all when None), oldest first; documents
    outside the default scope (``store.scope_tables``) only when asked."""
    t = schema.documents
    columns = [t.c[name] for name in _DOCUMENT_FIELDS]  # the model's field order
    q = select(*columns).order_by(t.c.publication_date, t.c.document_number)
    q = _visible(q, as_of, include_out_of_scope)
    with store.connect() as conn:
        return [PolicyDocument(*r) for r in conn.execute(q)]


def _visible(q: Select[Any], as_of: date | None, include_out_of_scope: bool) -> Select[Any]:
    """``q`` over ``documents`` narrowed to those published by ``as_of`` (all when None) and,
    unless asked, inside the default scope."""
    from payforce.store.scope_tables import out_of_scope_documents as out

    t = schema.documents
    if as_of is not None:
        q = q.where(t.c.publication_date <= as_of)
    if not include_out_of_scope:
        q = q.where(
            ~select(out.c.document_number)
            .where(out.c.document_number == t.c.document_number)
            .exists()
        )
    return q


_DOCUMENT_FIELDS = tuple(f.name for f in fields(PolicyDocument))
"""``documents`` columns in the order of :class:`PolicyDocument`'s fields (one positional
call per row instead of eighteen mapping lookups: thousands of documents per outlook)."""


def count_documents(conn: Connection) -> int:
    """Documents in the default scope (as :func:`list_documents` lists them): all documents
    less the out-of-scope ones (two index counts, not a probe per document)."""
    from payforce.store.scope_tables import out_of_scope_documents as out

    t = schema.documents
    every = select(func.count()).select_from(t).scalar_subquery()
    outside = (
        select(func.count())
        .select_from(out)
        .where(
            select(t.c.document_number).where(t.c.document_number == out.c.document_number).exists()
        )
        .scalar_subquery()
    )
    return int(conn.execute(select(every - outside)).scalar_one())


def count_table(conn: Connection, table: Table) -> int:
    """Rows in ``table``."""
    return int(conn.execute(select(func.count()).select_from(table)).scalar_one())


def documents_by_number(
    store: Store,
    numbers: Iterable[str],
    as_of: date | None = None,
    *,
    include_out_of_scope: bool = True,
) -> list[PolicyDocument]:
    """The documents with these numbers, by primary key (500 at a time), in number order; with
    ``as_of`` only those published by then, and without ``include_out_of_scope`` only those
    :func:`list_documents` lists."""
    wanted = sorted(set(numbers))
    t = schema.documents
    out_docs: list[PolicyDocument] = []
    with store.connect() as conn:
        for i in range(0, len(wanted), 500):
            q = select(t).where(t.c.document_number.in_(wanted[i : i + 500]))
            q = _visible(q, as_of, include_out_of_scope)
            out_docs.extend(_document(r) for r in conn.execute(q.order_by(t.c.document_number)))
    return out_docs


def get_document(store: Store, document_number: str) -> PolicyDocument | None:
    """One document by number (or by its readable key), or None."""
    t = schema.documents
    with store.connect() as conn:
        row = conn.execute(
            select(t).where((t.c.document_number == document_number) | (t.c.key == document_number))
        ).first()
    return _document(row) if row is not None else None


def list_provisions(store: Store, as_of: date | None = None) -> list[Provision]:
    """Provisions of documents published on or before ``as_of``."""
    p, d = schema.provisions, schema.documents
    q = (
        select(p)
        .join(d, d.c.document_number == p.c.document_number)
        .order_by(d.c.publication_date, p.c.document_number, p.c.kind, p.c.subject)
    )
    if as_of is not None:
        q = q.where(d.c.publication_date <= as_of)
    with store.connect() as conn:
        out = []
        for r in conn.execute(q):
            m = r._mapping
            out.append(
                Provision(
                    document_number=m["document_number"],
                    kind=m["kind"],
                    subject=m["subject"],
                    family=m["family"],
                    effective_date=m["effective_date"],
                    detail=m["detail"],
                    evidence_text=m["evidence_text"],
                    start=m["start"],
                    end=m["end"],
                    origin=m["origin"],
                    roles=tuple(x for x in m["roles"].split(";") if x),
                )
            )
        return out


def list_codes(store: Store) -> list[BillingCode]:
    """All billing codes, by code."""
    t = schema.billing_codes
    with store.connect() as conn:
        return [
            BillingCode(
                code=m["code"],
                system=m["system"],
                family=m["family"],
                description=m["description"],
                first_paid_year=m["first_paid_year"],
                first_paid_date=m["first_paid_date"],
                threshold=m["threshold"],
                performer=m["performer"],
                ai_category=m["ai_category"],
                status_note=m["status_note"],
                source_url=m["source_url"],
                confidence=m["confidence"],
            )
            for m in (r._mapping for r in conn.execute(select(t).order_by(t.c.code)))
        ]


def list_code_values(
    store: Store, code: str | None = None, as_of: date | None = None, *, every_release: bool = False
) -> list[CodeValue]:
    """Per-year values (one code, or all), by code, year, setting.

    Each (code, year, setting) gives the value of the newest release public by ``as_of`` (the
    newest of all when None); a value whose release came out later is not seen. With
    ``every_release`` each public release's value is returned, oldest release first.
    """
    t = schema.code_values
    q = select(t).order_by(t.c.code, t.c.year, t.c.setting, t.c.available_from, t.c.release)
    if code is not None:
        q = q.where(t.c.code == code)
    if as_of is not None:
        q = q.where(t.c.available_from <= as_of)
    with store.connect() as conn:
        values = [
            CodeValue(
                code=m["code"],
                year=m["year"],
                setting=m["setting"],
                work_rvu=m["work_rvu"],
                pe_rvu=m["pe_rvu"],
                mp_rvu=m["mp_rvu"],
                total_rvu=m["total_rvu"],
                conversion_factor=m["conversion_factor"],
                payment=m["payment"],
                approximate=bool(m["approximate"]),
                source=m["source"],
                release=m["release"],
                available_from=m["available_from"],
            )
            for m in (r._mapping for r in conn.execute(q))
        ]
    if every_release:
        return values
    newest: dict[tuple[str, int, str], CodeValue] = {}
    for v in values:  # ordered oldest release first: the last one seen wins
        newest[(v.code, v.year, v.setting)] = v
    return list(newest.values())


def list_metrics(store: Store, as_of: date | None = None) -> list[ProgramMetric]:
    """Program metric values public on or before ``as_of``, by metric and year."""
    t = schema.program_metrics
    q = select(t).order_by(t.c.metric, t.c.year, t.c.source_url)
    if as_of is not None:
        q = q.where(t.c.available_from <= as_of)
    with store.connect() as conn:
        return [
            ProgramMetric(
                metric=m["metric"],
                year=m["year"],
                value=m["value"],
                value_text=m["value_text"],
                unit=m["unit"],
                available_from=m["available_from"],
                source_url=m["source_url"],
                confidence=m["confidence"],
                approximate=bool(m["approximate"]),
            )
            for m in (r._mapping for r in conn.execute(q))
        ]


def list_roles(store: Store, as_of: date | None = None) -> list[Role]:
    """All roles, by key, with labour figures from the BLS vintages public on ``as_of``.

    ``as_of`` None reads the newest vintages held (bundled or synced).
    """
    from payforce.store.memo import memoized
    from payforce.workforce.labour import roles_with_figures

    return memoized(
        store, "roles", as_of, lambda: roles_with_figures(store, _role_rows(store), as_of)
    )


def _role_rows(store: Store) -> list[Role]:
    t = schema.roles
    with store.connect() as conn:
        return [
            Role(
                key=m["role_key"],
                title=m["title"],
                soc=m["soc"],
                onet_soc=m["onet_soc"],
                onet_title=m["onet_title"],
                employment=m["employment"],
                median_wage=m["median_wage"],
                wage_year=m["wage_year"],
                projection_pct=m["projection_pct"],
                projection_period=m["projection_period"],
                annual_openings=m["annual_openings"],
                entry_education=m["entry_education"],
                certifications=m["certifications"],
                source_url=m["source_url"],
                confidence=m["confidence"],
            )
            for m in (r._mapping for r in conn.execute(select(t).order_by(t.c.role_key)))
        ]
