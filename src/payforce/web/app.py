"""The web app factory: ``create_app(store, settings)`` builds pages, the JSON API and the edges.

Edges, outermost first:

- :class:`SecurityHeaders` adds the Content-Security-Policy (no scripts at all, styles and images
  from this origin only) and friends to every response;
- :class:`ResponseCache` keeps rendered GET responses per (URL, day, data version), so a page is
  computed once per data change (bounded LRU; a write elsewhere invalidates within a second);
- exception handlers turn every failure into the one error shape: the JSON envelope under
  ``/api/``, an error page elsewhere. A :class:`~payforce.errors.PayforceError` keeps its one-line
  message and a 4xx status; anything else is logged and answered with a generic 500, never a
  traceback.
"""

from __future__ import annotations

import logging
import threading
from collections import OrderedDict
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, Response
from fastapi.staticfiles import StaticFiles
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from payforce.config import Settings
from payforce.errors import LookupFailedError, PayforceError, StoreError
from payforce.serialize import error_envelope
from payforce.store.db import Store
from payforce.web.views import ViewContext

__all__ = ["CSP", "ResponseCache", "SecurityHeaders", "create_app", "status_for"]

log = logging.getLogger("payforce.web")

CSP = (
    "default-src 'none'; style-src 'self'; img-src 'self' data:; form-action 'self'; "
    "base-uri 'none'; frame-ancestors 'none'"
)
"""No script may run; styles and images only from this origin; forms post here only."""
SECURITY_HEADERS = [
    (b"content-security-policy", CSP.encode()),
    (b"x-content-type-options", b"nosniff"),
    (b"referrer-policy", b"no-referrer"),
    (b"x-frame-options", b"DENY"),
]
CACHE_SIZE = 512
_PRIVATE_REQUEST = {b"authorization", b"cookie"}
"""A request carrying credentials is never answered from, or stored in, the shared cache."""


def _private_response(headers: list[tuple[bytes, bytes]]) -> bool:
    """True when the response forbids shared caching (``no-store`` / ``private``)."""
    return any(
        name.lower() == b"cache-control" and (b"no-store" in value or b"private" in value)
        for name, value in headers
    )


STATIC = Path(__file__).parent / "static"


def status_for(exc: PayforceError) -> int:
    """HTTP status of a payforce error: 404 unknown thing, 503 database, 400 other user errors."""
    if isinstance(exc, LookupFailedError):
        return 404
    if isinstance(exc, StoreError):
        return 503
    return 400


class SecurityHeaders:
    """Pure ASGI middleware adding :data:`SECURITY_HEADERS` to every HTTP response."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                names = {k for k, _ in message.get("headers", [])}
                extra = [(k, v) for k, v in SECURITY_HEADERS if k not in names]
                message["headers"] = [*message.get("headers", []), *extra]
            await send(message)

        await self.app(scope, receive, send_with_headers)


class ResponseCache:
    """Pure ASGI middleware caching successful GET responses per (URL, day, data version)."""

    def __init__(self, app: ASGIApp, ctx: ViewContext, size: int = CACHE_SIZE) -> None:
        self.app = app
        self.ctx = ctx
        self.size = size
        self._lock = threading.Lock()
        self._items: OrderedDict[tuple[str, str, str, str], tuple[int, list[Any], bytes]] = (
            OrderedDict()
        )

    def clear(self) -> None:
        """Drop every cached response."""
        with self._lock:
            self._items.clear()

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if (
            scope["type"] != "http"
            or scope["method"] != "GET"
            or any(name in _PRIVATE_REQUEST for name, _ in scope.get("headers", ()))
        ):
            await self.app(scope, receive, send)
            return
        key = (
            scope["path"],
            scope.get("query_string", b"").decode("latin-1"),
            self.ctx.today().isoformat(),
            self.ctx.version(),
        )
        with self._lock:
            hit = self._items.get(key)
            if hit is not None:
                self._items.move_to_end(key)
        if hit is not None:
            status, headers, body = hit
            await send({"type": "http.response.start", "status": status, "headers": headers})
            await send({"type": "http.response.body", "body": body})
            return
        start: dict[str, Any] = {}
        chunks: list[bytes] = []

        async def capture(message: Message) -> None:
            if message["type"] == "http.response.start":
                start.update(message)
            elif message["type"] == "http.response.body":
                chunks.append(message.get("body", b""))
                private = _private_response(start.get("headers", []))
                if not message.get("more_body") and start.get("status") == 200 and not private:
                    with self._lock:
                        self._items[key] = (200, list(start.get("headers", [])), b"".join(chunks))
                        while len(self._items) > self.size:
                            self._items.popitem(last=False)
            await send(message)

        await self.app(scope, receive, capture)


def _wants_json(request: Request) -> bool:
    return request.url.path.startswith("/api/") or request.url.path == "/api"


def _error_response(request: Request, message: str, status: int) -> Response:
    response: Response
    if _wants_json(request):
        response = JSONResponse(error_envelope(message, status), status_code=status)
    else:
        from payforce.web.pages import render_error

        response = render_error(request, message, status)
    return response


def create_app(
    store: Store,
    settings: Settings | None = None,
    *,
    clock: Callable[[], date] = date.today,
    cache: bool = True,
) -> FastAPI:
    """Build the web app over ``store``: pages at ``/``, JSON under ``/api/``.

    ``clock`` gives "today" (tests pin it); ``cache=False`` turns the response cache off.
    """
    from payforce.web import api, forecast_pages, pages

    ctx = ViewContext(store, clock=clock)
    app = _App(
        title="payforce",
        description=(
            "Follow the money: U.S. healthcare payment policy turned into evidence-backed "
            'workforce signals. Every success is `{"ok": true, ...}`; every error is '
            '`{"ok": false, "error": "...", "status": N}`.'
        ),
        version=_version(),
        docs_url=None,
        redoc_url=None,
        openapi_url="/api/openapi.json",
    )
    app.state.ctx = ctx
    app.state.settings = settings
    app.include_router(api.router)
    app.include_router(pages.router)
    app.include_router(forecast_pages.api_router)  # /api/backtest
    app.include_router(forecast_pages.router)  # /backtest
    try:
        from payforce.assessment.web import create_assessment_router
    except ImportError:  # pragma: no cover - a build without the assessment module
        pass
    else:
        app.include_router(create_assessment_router(store))
    app.mount("/static", StaticFiles(directory=STATIC), name="static")

    @app.exception_handler(PayforceError)
    async def payforce_error(request: Request, exc: PayforceError) -> Response:
        return _error_response(request, exc.message, status_for(exc))

    @app.exception_handler(RequestValidationError)
    async def validation_error(request: Request, exc: RequestValidationError) -> Response:
        first = exc.errors()[0] if exc.errors() else {}
        where = ".".join(str(p) for p in first.get("loc", ()) if p not in ("query", "path"))
        message = f"{where or 'request'}: {first.get('msg', 'invalid value')}"
        return _error_response(request, message, 400)

    @app.exception_handler(StarletteHTTPException)
    async def http_error(request: Request, exc: StarletteHTTPException) -> Response:
        if exc.status_code == 404:
            message = f"{request.url.path}: no such page. Start from / or search"
        elif exc.status_code == 405:
            message = f"{request.url.path}: method {request.method} not allowed"
        else:
            message = str(exc.detail)
        return _error_response(request, message, exc.status_code)

    @app.exception_handler(Exception)
    async def unexpected(request: Request, exc: Exception) -> Response:
        log.exception("unexpected error on %s", request.url.path)
        return _error_response(
            request, "internal error: something broke on our side; it has been logged", 500
        )

    app.front = (
        (lambda inner: ResponseCache(SecurityHeaders(inner), ctx)) if cache else SecurityHeaders
    )
    return app


class _App(FastAPI):
    """FastAPI whose whole stack (error handling included) sits inside ``front``.

    Starlette puts user middleware inside its ``ServerErrorMiddleware``; the response cache and
    the security headers belong outside it, so that a cache hit costs no routing at all and a
    500 page carries the same headers as any other.
    """

    front: Callable[[ASGIApp], ASGIApp] | None = None

    def build_middleware_stack(self) -> ASGIApp:
        """Starlette's stack, wrapped in ``front``."""
        stack = super().build_middleware_stack()
        return self.front(stack) if self.front is not None else stack


def _version() -> str:
    from payforce import __version__

    return str(__version__)
