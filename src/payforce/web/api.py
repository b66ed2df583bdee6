"""The JSON API under ``/api/``: the same gather functions as the pages, in the one envelope.

Success: ``{"ok": true, ...data}`` (:func:`payforce.serialize.envelope`); error:
``{"ok": false, "error": "...", "status": N}`` (set by the app's exception handlers).

Conventions every route follows (new routes too, e.g. ``/api/backtest``):

- parameters are declared with the constraints the server enforces (:mod:`payforce.web.params`),
  so ``/api/openapi.json`` says exactly what is accepted; anything else is a 400 envelope;
- a list is paged: ``limit`` and ``cursor`` in, ``limit``, ``next`` (URL or null) and a ``Link``
  header out (:mod:`payforce.web.paging`);
- the 200 schema names the top-level keys (:func:`ok_schema`); error responses (400, 404, 413,
  503) are added to every operation by :mod:`payforce.web.openapi`.

The schema is at ``/api/openapi.json`` and described for people at ``/api/docs``.
"""

from __future__ import annotations

from typing import Any

import orjson
from fastapi import APIRouter, Request
from fastapi.responses import Response

from payforce.errors import LookupFailedError
from payforce.serialize import envelope
from payforce.store import queries
from payforce.web import views
from payforce.web.paging import paged
from payforce.web.params import (
    ApiLimit,
    AsOf,
    CodePath,
    Cursor,
    DocumentPath,
    Eligible,
    Enrolment,
    FamilyPath,
    Locality,
    Program,
    RoleFilter,
    RolePath,
    SearchKind,
    SearchLimit,
    SearchQuery,
    Year,
    program_keys,
)

__all__ = ["ARRAY", "JSONEnvelope", "ok_schema", "router"]

router = APIRouter(prefix="/api", tags=["api"])

ARRAY: dict[str, Any] = {"type": "array", "items": {}}
OBJECT: dict[str, Any] = {"type": "object"}
DATE: dict[str, Any] = {"type": "string", "format": "date"}
NEXT: dict[str, Any] = {
    "type": ["string", "null"],
    "description": 'URL of the next page (also sent as a `Link: <…>; rel="next"` header); '
    "null on the last page.",
}
PAGE: dict[str, Any] = {"limit": {"type": "integer"}, "next": NEXT}


def ok_schema(
    properties: dict[str, Any], links: dict[str, Any] | None = None
) -> dict[int | str, Any]:
    """A 200 response whose body is the success envelope with these top-level keys."""
    schema = {
        "type": "object",
        "required": ["ok", *properties],
        "properties": {"ok": {"const": True}, **properties},
    }
    response: dict[str, Any] = {
        "description": 'Success: `{"ok": true, ...}`',
        "content": {"application/json": {"schema": schema}},
    }
    if links:
        response["links"] = links
    return {200: response}


def _link(operation: str, **parameters: str) -> dict[str, Any]:
    return {"operationId": operation, "parameters": parameters}


class JSONEnvelope(Response):
    """``application/json`` body from the success envelope, serialised with orjson."""

    media_type = "application/json"

    def render(self, content: Any) -> bytes:
        """Serialise the already-enveloped data."""
        return orjson.dumps(content)


def _ok(data: dict[str, Any], link: str | None = None) -> JSONEnvelope:
    response = JSONEnvelope(envelope(data))
    if link:
        response.headers["link"] = link
    return response


def _paged(request: Request, data: dict[str, Any], limit: int) -> JSONEnvelope:
    body, link = paged(request, data, limit)
    return _ok(body, link)


def _ctx(request: Request) -> views.ViewContext:
    ctx: views.ViewContext = request.app.state.ctx
    return ctx


def _as_of(request: Request, as_of: str | None) -> Any:
    ctx = _ctx(request)
    return views.parse_as_of(as_of, ctx.today())


@router.get(
    "/dashboard",
    summary="Dashboard data",
    operation_id="getDashboard",
    responses=ok_schema(
        {
            "as_of": DATE,
            "counts": OBJECT,
            "outlooks": ARRAY,
            "newest_signals": ARRAY,
            "upcoming": ARRAY,
            "recent": ARRAY,
            "charts": ARRAY,
        }
    ),
)
def dashboard(request: Request, as_of: AsOf = None) -> JSONEnvelope:
    """Every role's outlook, newest signals, upcoming dates and the dashboard's chart specs."""
    return _ok(views.gather_dashboard(_ctx(request), _as_of(request, as_of)))


@router.get(
    "/outlook",
    summary="Outlook of every role",
    operation_id="getOutlook",
    responses=ok_schema({"as_of": DATE, "outlooks": ARRAY}),
)
def outlook(request: Request, as_of: AsOf = None) -> JSONEnvelope:
    """Every role's outlook as of a date, with its signals and their evidence."""
    return _ok(views.gather_outlook(_ctx(request), _as_of(request, as_of)))


@router.get(
    "/roles",
    summary="All roles (paged)",
    operation_id="listRoles",
    responses=ok_schema(
        {"as_of": DATE, "total": {"type": "integer"}, "roles": ARRAY, **PAGE},
        {"role": _link("getRole", key="$response.body#/roles/0/role")},
    ),
)
def roles(
    request: Request, as_of: AsOf = None, limit: ApiLimit = 100, cursor: Cursor = None
) -> JSONEnvelope:
    """Roles with their outlook direction and labour figures, alphabetically."""
    data = views.gather_roles(_ctx(request), _as_of(request, as_of), limit, cursor)
    return _paged(request, data, limit)


@router.get(
    "/roles/{key}",
    summary="One role",
    operation_id="getRole",
    responses=ok_schema(
        {
            "as_of": DATE,
            "role": OBJECT,
            "sentence": {"type": "string"},
            "outlook": {"type": ["object", "null"]},
            "signals": ARRAY,
            "pivots": ARRAY,
            "chain": ARRAY,
            "labour": ARRAY,
            "charts": ARRAY,
        }
    ),
)
def role(request: Request, key: RolePath, as_of: AsOf = None) -> JSONEnvelope:
    """A role's outlook in plain words, its signals with evidence, pivots and labour figures.

    ``key`` is a role key (from ``/api/roles``) or free text such as ``care manager``."""
    return _ok(views.gather_role(_ctx(request), key, _as_of(request, as_of)))


@router.get(
    "/codes",
    summary="Billing codes by family (paged)",
    operation_id="listCodes",
    responses=ok_schema(
        {"total": {"type": "integer"}, "families": ARRAY, **PAGE},
        {
            "code": _link("getCode", code="$response.body#/families/0/codes/0/code"),
            "family": _link("getFamily", key="$response.body#/families/0/family/key"),
        },
    ),
)
def codes(request: Request, limit: ApiLimit = 100, cursor: Cursor = None) -> JSONEnvelope:
    """Billing codes ordered by service family, then code, grouped by family."""
    return _paged(request, views.gather_codes(_ctx(request), limit, cursor), limit)


@router.get(
    "/codes/{code}",
    summary="One billing code",
    operation_id="getCode",
    responses=ok_schema(
        {
            "code": OBJECT,
            "family": {"type": ["object", "null"]},
            "chain": ARRAY,
            "values": ARRAY,
            "documents": ARRAY,
            "mentioned_in": ARRAY,
            "siblings": ARRAY,
            "charts": ARRAY,
        }
    ),
)
def code(request: Request, code: CodePath) -> JSONEnvelope:
    """A code: its family chain, payment history and the documents behind it."""
    return _ok(views.gather_code(_ctx(request), code))


@router.get(
    "/families/{key}",
    summary="One service family",
    operation_id="getFamily",
    responses=ok_schema(
        {"family": OBJECT, "chain": ARRAY, "codes": ARRAY, "documents": ARRAY, "charts": ARRAY}
    ),
)
def family(request: Request, key: FamilyPath) -> JSONEnvelope:
    """A service family: workflow, operational chain, codes, payments, documents."""
    return _ok(views.gather_family(_ctx(request), key))


@router.get(
    "/documents",
    summary="Policy documents, newest first (paged)",
    operation_id="listDocuments",
    responses=ok_schema(
        {"total": {"type": "integer"}, "documents": ARRAY, **PAGE},
        {"document": _link("getDocument", number="$response.body#/documents/0/document_number")},
    ),
)
def documents(request: Request, limit: ApiLimit = 100, cursor: Cursor = None) -> JSONEnvelope:
    """Policy documents, newest first (publication date, then document number)."""
    return _paged(request, views.gather_documents(_ctx(request), limit, cursor), limit)


@router.get(
    "/documents/{number}",
    summary="One policy document",
    operation_id="getDocument",
    responses=ok_schema(
        {
            "document": OBJECT,
            "label": {"type": "string"},
            "summary_html": {"type": "string"},
            "comment_deadline": {"type": ["string", "null"], "format": "date"},
            "comments_open": {"type": "boolean"},
            "timeline": ARRAY,
            "related": ARRAY,
            "provisions": ARRAY,
            "sources": ARRAY,
        }
    ),
)
def document(request: Request, number: DocumentPath) -> JSONEnvelope:
    """A document: timeline, provisions with evidence sentences, comment deadline."""
    return _ok(views.gather_document(_ctx(request), number))


@router.get(
    "/search",
    summary="Search documents, codes and roles (paged)",
    operation_id="search",
    responses=ok_schema(
        {
            "query": {"type": "string"},
            "kind": {"type": ["string", "null"]},
            "count": {"type": "integer", "description": "Results on this page."},
            "first": {"type": "integer", "description": "Position of the first (from 1)."},
            "results": ARRAY,
            **PAGE,
        }
    ),
)
def search(
    request: Request,
    q: SearchQuery = "",
    kind: SearchKind = None,
    limit: SearchLimit = 30,
    cursor: Cursor = None,
) -> JSONEnvelope:
    """Full-text search (SQLite FTS5 or PostgreSQL full-text search), best match first."""
    data = views.gather_search(_ctx(request), q, kind or None, limit, cursor)
    return _paged(request, data, limit)


@router.get(
    "/signals",
    summary="Signals of one role or all (paged)",
    operation_id="listSignals",
    responses=ok_schema(
        {
            "as_of": DATE,
            "role": {"type": ["string", "null"]},
            "count": {"type": "integer"},
            "signals": ARRAY,
            **PAGE,
        }
    ),
)
def signals(
    request: Request,
    as_of: AsOf = None,
    role: RoleFilter = None,
    limit: ApiLimit = 100,
    cursor: Cursor = None,
) -> JSONEnvelope:
    """Signals public by a date, strongest first within each role (roles by outlook)."""
    from payforce.web.paging import offset_page

    ctx = _ctx(request)
    data = views.gather_outlook(ctx, _as_of(request, as_of))
    rows = [s for o in data["outlooks"] if role in (None, o["role"]) for s in o["signals"]]
    if role is not None and not any(o["role"] == role for o in data["outlooks"]):
        views.gather_role(ctx, role, data["as_of"])  # raises the lookup error with suggestions
    page, next_cursor = offset_page(rows, limit, cursor)
    body = {
        "as_of": data["as_of"],
        "role": role,
        "count": len(rows),
        "signals": page,
        "next_cursor": next_cursor,
    }
    return _paged(request, body, limit)


@router.get(
    "/economics",
    summary="Program economics calculator",
    operation_id="getEconomics",
    responses=ok_schema({"available": {"type": "boolean"}}),
)
def economics(
    request: Request,
    program: Program = None,
    eligible: Eligible = None,
    enrolment: Enrolment = None,
    year: Year = None,
    locality: Locality = None,
) -> JSONEnvelope:
    """The calculator's result: revenue, FTEs by role, margin, break-even and charts."""
    if program is not None and program not in (keys := program_keys()):
        raise LookupFailedError("program", program, keys)
    given = {
        "program": program,
        "eligible": eligible,
        "enrolment": enrolment,
        "year": year,
        "locality": locality,
    }
    form = {k: str(v) for k, v in given.items() if v is not None}
    return _ok(views.gather_economics(_ctx(request), form))


@router.get(
    "/meta",
    summary="Store and build facts",
    operation_id="getMeta",
    responses=ok_schema(
        {
            "backend": {"type": "string"},
            "data_version": {"type": "string"},
            "documents": {"type": "integer"},
            "codes": {"type": "integer"},
            "roles": {"type": "integer"},
        }
    ),
)
def meta(request: Request) -> JSONEnvelope:
    """Database backend, data version and row counts (useful for a team server)."""
    ctx = _ctx(request)
    from payforce.store import schema

    with ctx.store.connect() as conn:
        documents = queries.count_documents(conn)
        codes = queries.count_table(conn, schema.billing_codes)
        roles = queries.count_table(conn, schema.roles)
    return _ok(
        {
            "backend": ctx.store.dialect,
            "data_version": ctx.version(),
            "documents": documents,
            "codes": codes,
            "roles": roles,
        }
    )
