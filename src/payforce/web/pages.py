"""HTML pages: each route calls one gather function of :mod:`payforce.web.views` and renders it.

Templates live in ``web/templates`` and autoescape everything; the only markup that reaches a
page unescaped is the SVG we draw (:func:`payforce.web.svg.render_svg`, labels escaped) and
Federal Register abstracts after :func:`payforce.web.views.sanitize_html`.
"""

from __future__ import annotations

import re
from datetime import date
from functools import lru_cache
from pathlib import Path
from typing import Annotated, Any

from fastapi import APIRouter, Query, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from jinja2 import Environment, FileSystemLoader, StrictUndefined
from markupsafe import Markup, escape

from payforce.web import views
from payforce.web.paging import CURSOR_PATTERN, MAX_LIMIT, PAGE_LIMIT, next_url
from payforce.web.svg import chart_rows, render_svg

__all__ = [
    "STATIC_CSS",
    "environment",
    "http_url",
    "render_error",
    "render_error_page",
    "render_page",
    "router",
]

TEMPLATES = Path(__file__).parent / "templates"
STATIC_CSS = Path(__file__).parent / "static" / "style.css"
NAV = (
    ("/", "Dashboard"),
    ("/roles", "Roles"),
    ("/codes", "Codes"),
    ("/documents", "Documents"),
    ("/search", "Search"),
    ("/economics", "Economics"),
    ("/api/docs", "API"),
)

router = APIRouter(include_in_schema=False)


def _money(value: float | str | None) -> str:
    """USD: cents below $1,000, whole dollars above (Decimal strings from the economics)."""
    if value is None or value == "":
        return "—"
    amount = float(value)
    sign = "-" if amount < 0 else ""
    amount = abs(amount)
    return f"{sign}${amount:,.2f}" if amount < 1000 else f"{sign}${amount:,.0f}"


def _number(value: float | None) -> str:
    return "—" if value is None else f"{value:,.0f}"


def _pct(value: float | None) -> str:
    return "—" if value is None else f"{value:+.1f}%"


def http_url(value: object) -> str:
    """The first ``http(s)://`` URL in ``value`` (sources may list several, ``|``-separated),
    or ``""``: stored data must never turn into a ``javascript:`` link."""
    for part in str(value or "").split("|"):
        url = part.strip()
        if url.lower().startswith(("https://", "http://")) and not any(c in url for c in '"<>\\ '):
            return url
    return ""


def _day(value: date | None) -> str:
    return "—" if value is None else value.isoformat()


@lru_cache(maxsize=1)
def environment() -> Environment:
    """The Jinja environment shared by pages and reports (autoescape on for every template)."""
    env = Environment(
        loader=FileSystemLoader(TEMPLATES),
        autoescape=True,
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.globals.update(chart_svg=render_svg, chart_rows=chart_rows, nav=NAV)
    env.filters.update(
        money=_money, number=_number, pct=_pct, day=_day, http_url=http_url, md=inline_markdown
    )
    return env


def render_page(
    name: str, data: dict[str, Any], *, path: str = "/", status: int = 200, title: str = ""
) -> HTMLResponse:
    """Render ``templates/<name>`` with ``data`` (as ``d``) inside the site layout."""
    html = environment().get_template(name).render(d=data, path=path, title=title)
    return HTMLResponse(html, status_code=status)


def render_error(request: Request, message: str, status: int) -> HTMLResponse:
    """The error page: the one-line message and a way back; never a traceback."""
    return render_error_page(request.url.path, message, status)


def render_error_page(path: str, message: str, status: int) -> HTMLResponse:
    """The error page for ``path`` (usable before routing, e.g. by the edge middleware)."""
    return render_page(
        "error.html",
        {"message": message, "status": status},
        path=path,
        status=status,
        title=f"Error {status}",
    )


def _with_next(request: Request, data: dict[str, Any]) -> dict[str, Any]:
    """``data`` with ``next``: the next page's URL (or None), for the pager partial."""
    return {**data, "next": next_url(request, data.pop("next_cursor", None))}


def _fresh(request: Request, data: dict[str, Any]) -> dict[str, Any]:
    """The page's data with the store's freshness (compared with today) when it has none."""
    if "freshness" in data:
        return data
    ctx = _ctx(request)
    return {**data, "freshness": views.page_freshness(ctx, ctx.today())}


def _ctx(request: Request) -> views.ViewContext:
    ctx: views.ViewContext = request.app.state.ctx
    return ctx


AsOf = Query(None, description="Only evidence published by this date (YYYY-MM-DD).")
Limit = Annotated[int, Query(ge=1, le=MAX_LIMIT)]
Cursor = Annotated[str | None, Query(pattern=CURSOR_PATTERN)]


@router.get("/", response_class=HTMLResponse)
def dashboard(request: Request, as_of: str | None = AsOf) -> HTMLResponse:
    """Dashboard page."""
    ctx = _ctx(request)
    data = views.gather_dashboard(ctx, views.parse_as_of(as_of, ctx.today()))
    return render_page("dashboard.html", data, path="/", title="Workforce outlook")


@router.get("/roles", response_class=HTMLResponse)
def roles(
    request: Request, as_of: str | None = AsOf, limit: Limit = PAGE_LIMIT, cursor: Cursor = None
) -> HTMLResponse:
    """All roles (paged)."""
    ctx = _ctx(request)
    data = views.gather_roles(ctx, views.parse_as_of(as_of, ctx.today()), limit, cursor)
    return render_page("roles.html", _with_next(request, data), path="/roles", title="Roles")


@router.get("/roles/{key}", response_class=HTMLResponse)
def role(request: Request, key: str, as_of: str | None = AsOf) -> Response:
    """One role in plain language."""
    from payforce.web.forecast_pages import gather_role_forecast

    ctx = _ctx(request)
    data = views.gather_role(ctx, key, views.parse_as_of(as_of, ctx.today()))
    if data["role"].key != key:  # free text resolved to a role: send the reader to its page
        query = f"?as_of={data['as_of'].isoformat()}" if as_of else ""
        return RedirectResponse(f"/roles/{data['role'].key}{query}", status_code=303)
    data["forecast"] = gather_role_forecast(ctx, key, data["as_of"])  # web/forecast_pages.py
    return render_page("role.html", data, path="/roles", title=data["role"].title)


@router.get("/codes", response_class=HTMLResponse)
def codes(request: Request, limit: Limit = PAGE_LIMIT, cursor: Cursor = None) -> HTMLResponse:
    """Billing codes by family (paged)."""
    data = _with_next(request, views.gather_codes(_ctx(request), limit, cursor))
    return render_page("codes.html", _fresh(request, data), path="/codes", title="Billing codes")


@router.get("/codes/{code}", response_class=HTMLResponse)
def code(request: Request, code: str) -> HTMLResponse:
    """One billing code."""
    data = views.gather_code(_ctx(request), code)
    return render_page(
        "code.html", _fresh(request, data), path="/codes", title=f"Code {data['code'].code}"
    )


@router.get("/families/{key}", response_class=HTMLResponse)
def family(request: Request, key: str) -> HTMLResponse:
    """One service family."""
    data = views.gather_family(_ctx(request), key)
    return render_page(
        "family.html", _fresh(request, data), path="/codes", title=data["family"]["name"]
    )


@router.get("/documents", response_class=HTMLResponse)
def documents(request: Request, limit: Limit = PAGE_LIMIT, cursor: Cursor = None) -> HTMLResponse:
    """Policy documents, newest first (paged)."""
    data = _with_next(request, views.gather_documents(_ctx(request), limit, cursor))
    return render_page(
        "documents.html", _fresh(request, data), path="/documents", title="Policy documents"
    )


@router.get("/documents/{number}", response_class=HTMLResponse)
def document(request: Request, number: str) -> HTMLResponse:
    """One policy document."""
    data = views.gather_document(_ctx(request), number)
    return render_page(
        "document.html", _fresh(request, data), path="/documents", title=data["label"]
    )


@router.get("/search", response_class=HTMLResponse)
def search(
    request: Request,
    q: str = "",
    kind: str | None = None,
    limit: Annotated[int, Query(ge=1, le=100)] = 30,
    cursor: Cursor = None,
) -> HTMLResponse:
    """Search page (paged)."""
    data = views.gather_search(_ctx(request), q, kind or None, limit, cursor)
    return render_page(
        "search.html", _fresh(request, _with_next(request, data)), path="/search", title="Search"
    )


@router.get("/economics", response_class=HTMLResponse)
def economics(
    request: Request,
    program: str | None = None,
    eligible: str | None = None,
    enrolment: str | None = None,
    year: str | None = None,
    locality: str | None = None,
) -> HTMLResponse:
    """Economics calculator (form fields come as query parameters)."""
    given = {
        "program": program,
        "eligible": eligible,
        "enrolment": enrolment,
        "year": year,
        "locality": locality,
    }
    form = {k: v[:100] for k, v in given.items() if v is not None}
    data = views.gather_economics(_ctx(request), form)
    return render_page(
        "economics.html", _fresh(request, data), path="/economics", title="Program economics"
    )


@router.get("/api/docs", response_class=HTMLResponse)
def api_docs(request: Request) -> HTMLResponse:
    """The JSON API described from its OpenAPI schema (no scripts, no CDN)."""
    schema = request.app.openapi()
    endpoints = []
    for route_path, methods in schema.get("paths", {}).items():
        for method, op in methods.items():
            endpoints.append(
                {
                    "method": method.upper(),
                    "path": route_path,
                    "summary": op.get("summary", ""),
                    "description": op.get("description", ""),
                    "parameters": [
                        {
                            "name": p["name"],
                            "in": p["in"],
                            "required": p.get("required", False),
                            "description": p.get("description", ""),
                            "accepts": _accepts(p.get("schema", {})),
                        }
                        for p in op.get("parameters", [])
                    ],
                    "responses": [
                        {"status": code, "description": r.get("description", "")}
                        for code, r in sorted(op.get("responses", {}).items())
                    ],
                }
            )
    data = {
        "title": schema["info"]["title"],
        "description": schema["info"].get("description", ""),
        "version": schema["info"]["version"],
        "endpoints": endpoints,
    }
    return render_page("api_docs.html", data, path="/api/docs", title="JSON API")


def _accepts(schema: dict[str, Any]) -> str:
    """What a parameter accepts, in words, from its JSON schema."""
    if "enum" in schema:
        return "one of " + ", ".join(str(v) for v in schema["enum"])
    kind = schema.get("format") or schema.get("type", "string")
    words = {"date": "a date YYYY-MM-DD", "integer": "a whole number", "number": "a number"}
    text = words.get(kind, "text")
    low, high = schema.get("minimum"), schema.get("maximum")
    if low is not None and high is not None:
        text += f" from {low:,} to {high:,}"
    if schema.get("maxLength") and kind == "string":
        text += f", at most {schema['maxLength']:,} characters"
    return text


_CODE = re.compile(r"``([^`]+)``|`([^`]+)`")


def inline_markdown(text: str) -> Markup:
    """Escape ``text``, then turn Markdown backtick spans into ``<code>`` (nothing else)."""
    html = _CODE.sub(lambda m: f"<code>{m.group(1) or m.group(2)}</code>", str(escape(text)))
    return Markup(html)  # noqa: S704 - escaped first
