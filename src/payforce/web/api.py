"""The JSON API under ``/api/``: the same gather functions as the pages, in the one envelope.

Success: ``{"ok": true, ...data}`` (:func:`payforce.serialize.envelope`); error:
``{"ok": false, "error": "...", "status": N}`` (set by the app's exception handlers).
The schema is at ``/api/openapi.json`` and described for people at ``/api/docs``.
"""

from __future__ import annotations

from typing import Any

import orjson
from fastapi import APIRouter, Query, Request
from fastapi.responses import Response

from payforce.serialize import envelope
from payforce.store import queries
from payforce.web import views

__all__ = ["router"]

router = APIRouter(prefix="/api", tags=["api"])

AsOf = Query(None, description="Only evidence published by this date (YYYY-MM-DD); default today.")
_ENVELOPE: dict[int | str, dict[str, Any]] = {
    200: {"description": 'Success: `{"ok": true, ...}`'},
    400: {"description": 'A bad parameter: `{"ok": false, "error": "...", "status": 400}`'},
    404: {"description": 'Unknown role, code, family or document (`"ok": false`)'},
}


class JSONEnvelope(Response):
    """``application/json`` body from the success envelope, serialised with orjson."""

    media_type = "application/json"

    def render(self, content: Any) -> bytes:
        """Serialise the already-enveloped data."""
        return orjson.dumps(content)


def _ok(data: dict[str, Any]) -> JSONEnvelope:
    return JSONEnvelope(envelope(data))


def _ctx(request: Request) -> views.ViewContext:
    ctx: views.ViewContext = request.app.state.ctx
    return ctx


@router.get("/dashboard", summary="Dashboard data", responses=_ENVELOPE)
def dashboard(request: Request, as_of: str | None = AsOf) -> JSONEnvelope:
    """Every role's outlook, newest signals, upcoming dates and the dashboard's chart specs."""
    ctx = _ctx(request)
    return _ok(views.gather_dashboard(ctx, views.parse_as_of(as_of, ctx.today())))


@router.get("/outlook", summary="Outlook of every role", responses=_ENVELOPE)
def outlook(request: Request, as_of: str | None = AsOf) -> JSONEnvelope:
    """Every role's outlook as of a date, with its signals and their evidence."""
    ctx = _ctx(request)
    return _ok(views.gather_outlook(ctx, views.parse_as_of(as_of, ctx.today())))


@router.get("/roles", summary="All roles", responses=_ENVELOPE)
def roles(request: Request, as_of: str | None = AsOf) -> JSONEnvelope:
    """All roles with their outlook direction and labour figures."""
    ctx = _ctx(request)
    return _ok(views.gather_roles(ctx, views.parse_as_of(as_of, ctx.today())))


@router.get("/roles/{key}", summary="One role", responses=_ENVELOPE)
def role(request: Request, key: str, as_of: str | None = AsOf) -> JSONEnvelope:
    """A role's outlook in plain words, its signals with evidence, pivots and labour figures."""
    ctx = _ctx(request)
    return _ok(views.gather_role(ctx, key, views.parse_as_of(as_of, ctx.today())))


@router.get("/codes", summary="All billing codes by family", responses=_ENVELOPE)
def codes(request: Request) -> JSONEnvelope:
    """Every billing code, grouped by service family."""
    return _ok(views.gather_codes(_ctx(request)))


@router.get("/codes/{code}", summary="One billing code", responses=_ENVELOPE)
def code(request: Request, code: str) -> JSONEnvelope:
    """A code: its family chain, payment history and the documents behind it."""
    return _ok(views.gather_code(_ctx(request), code))


@router.get("/families/{key}", summary="One service family", responses=_ENVELOPE)
def family(request: Request, key: str) -> JSONEnvelope:
    """A service family: workflow, operational chain, codes, payments, documents."""
    return _ok(views.gather_family(_ctx(request), key))


@router.get("/documents", summary="All policy documents", responses=_ENVELOPE)
def documents(request: Request) -> JSONEnvelope:
    """Every policy document, newest first."""
    return _ok(views.gather_documents(_ctx(request)))


@router.get("/documents/{number}", summary="One policy document", responses=_ENVELOPE)
def document(request: Request, number: str) -> JSONEnvelope:
    """A document: timeline, provisions with evidence sentences, comment deadline."""
    return _ok(views.gather_document(_ctx(request), number))


@router.get("/search", summary="Search documents, codes and roles", responses=_ENVELOPE)
def search(
    request: Request,
    q: str = Query("", description="Words to find (prefix match, all words must match)."),
    kind: str | None = Query(None, description="Limit to document, code or role."),
) -> JSONEnvelope:
    """Full-text search (SQLite FTS5 or PostgreSQL full-text search)."""
    return _ok(views.gather_search(_ctx(request), q, kind or None))


@router.get("/signals", summary="Signals of one role or all", responses=_ENVELOPE)
def signals(
    request: Request,
    as_of: str | None = AsOf,
    role: str | None = Query(None, description="Role key; all roles when absent."),
) -> JSONEnvelope:
    """Signals public by a date, strongest first within each role."""
    ctx = _ctx(request)
    data = views.gather_outlook(ctx, views.parse_as_of(as_of, ctx.today()))
    rows = [s for o in data["outlooks"] if role in (None, o["role"]) for s in o["signals"]]
    if role is not None and not any(o["role"] == role for o in data["outlooks"]):
        views.gather_role(ctx, role, data["as_of"])  # raises the lookup error with suggestions
    return _ok({"as_of": data["as_of"], "role": role, "count": len(rows), "signals": rows})


@router.get("/economics", summary="Program economics calculator", responses=_ENVELOPE)
def economics(request: Request) -> JSONEnvelope:
    """The calculator's result for the form fields given as query parameters."""
    form = {k: v[:100] for k, v in request.query_params.items()}
    return _ok(views.gather_economics(_ctx(request), form))


@router.get("/meta", summary="Store and build facts", responses=_ENVELOPE)
def meta(request: Request) -> JSONEnvelope:
    """Database backend, data version and row counts (useful for a team server)."""
    ctx = _ctx(request)
    return _ok(
        {
            "backend": ctx.store.dialect,
            "data_version": ctx.version(),
            "documents": len(queries.list_documents(ctx.store)),
            "codes": len(queries.list_codes(ctx.store)),
            "roles": len(queries.list_roles(ctx.store)),
        }
    )
