"""The web app factory: ``create_app(store, settings)`` builds pages, the JSON API and the edges.

Edges (:mod:`payforce.web.edges`, outermost first): security headers, a guard that turns any
escaped exception into the error shape, ``HEAD`` / ``OPTIONS`` / ``Allow``, the request-body cap,
then the byte-bounded :class:`~payforce.web.cache.ResponseCache`.

Exception handlers turn every failure into the one error shape: the JSON envelope under
``/api/``, an error page elsewhere. A :class:`~payforce.errors.PayforceError` keeps its one-line
message and a 4xx status (503 for a store fault); anything else is logged and answered with a
generic 500, never a traceback.
"""

from __future__ import annotations

import logging
import sqlite3
from collections.abc import Callable, Mapping
from datetime import date
from pathlib import Path
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import Response
from fastapi.staticfiles import StaticFiles
from sqlalchemy.exc import SQLAlchemyError
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.routing import BaseRoute
from starlette.types import ASGIApp

from payforce.config import Settings
from payforce.errors import LookupFailedError, PayforceError, StoreError
from payforce.store.db import Store
from payforce.web.cache import ResponseCache
from payforce.web.edges import (
    CSP,
    STORE_FAULT,
    SecurityHeaders,
    error_response,
    flat_routes,
    wrap,
)
from payforce.web.views import ViewContext

__all__ = ["CSP", "ResponseCache", "SecurityHeaders", "create_app", "status_for"]

log = logging.getLogger("payforce.web")

STATIC = Path(__file__).parent / "static"


def status_for(exc: PayforceError) -> int:
    """HTTP status of a payforce error: 404 unknown thing, 503 database, 400 other user errors."""
    if isinstance(exc, LookupFailedError):
        return 404
    if isinstance(exc, StoreError):
        return 503
    return 400


_HINTS = {
    "as_of": ("not a date", "Use YYYY-MM-DD, e.g. 2026-06-30"),
    "cursor": ("not a cursor this list gave out", "Follow the next link of the previous page"),
}


_PARAM_HINTS = {
    "eligible": "Give a count of patients from 0 to 10,000,000, e.g. 1000",
    "enrolment": "Give a share between 0 and 1, e.g. 0.35",
    "year": "Give a fee-schedule year such as 2026",
    "limit": "Give a whole number of items per page, e.g. 50",
}


def validation_message(error: Mapping[str, Any]) -> str:
    """One line for a refused parameter: ``<name>: <what> (<value>). <what to do>``."""
    where = ".".join(str(p) for p in error.get("loc", ()) if p not in ("query", "path", "body"))
    where = where or "request"
    value = error.get("input")
    got = f" ({str(value)[:40]!r})" if isinstance(value, str | int | float) else ""
    kind = error.get("type", "")
    if where in _HINTS and kind == "string_pattern_mismatch":
        what, hint = _HINTS[where]
        return f"{where}: {what}{got}. {hint}"
    if kind == "literal_error":
        expected = str(error.get("ctx", {}).get("expected", "")).replace("'", "")
        return f"{where}: not one of {expected.replace(' or ', ', ')}{got}"
    msg = str(error.get("msg", "invalid value")).split(",")[0]
    hint = f". {_PARAM_HINTS[where]}" if where in _PARAM_HINTS else ""
    return f"{where}: {msg[0].lower() + msg[1:] if msg else 'invalid value'}{got}{hint}"


def _error_response(
    request: Request, message: str, status: int, headers: Mapping[str, str] | None = None
) -> Response:
    return error_response(request.url.path, message, status, headers)


def create_app(
    store: Store,
    settings: Settings | None = None,
    *,
    clock: Callable[[], date] = date.today,
    cache: bool = True,
    shared: Path | None = None,
) -> FastAPI:
    """Build the web app over ``store``: pages at ``/``, JSON under ``/api/``.

    ``clock`` gives "today" (tests pin it); ``cache=False`` turns the response cache off;
    ``shared`` is the directory where worker processes share whole-store results
    (:mod:`payforce.web.shared_memo`).
    """
    from payforce.web import api, forecast_pages, pages
    from payforce.web.shared_memo import SharedMemo

    ctx = ViewContext(store, clock=clock, shared=SharedMemo(shared) if shared else None)
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
        return _error_response(request, validation_message(first), 400)

    @app.exception_handler(StarletteHTTPException)
    async def http_error(request: Request, exc: StarletteHTTPException) -> Response:
        if exc.status_code == 404:
            message = f"{request.url.path}: no such page. Start from / or search"
        elif exc.status_code == 405:
            message = f"{request.url.path}: method {request.method} not allowed"
        else:
            message = str(exc.detail)
        return _error_response(request, message, exc.status_code, exc.headers)

    async def store_fault(request: Request, exc: Exception) -> Response:
        log.warning("store fault on %s: %s", request.url.path, exc)
        return _error_response(request, STORE_FAULT, 503)

    # Handlers for these classes run inside Starlette's exception middleware, which (unlike its
    # server-error middleware) does not re-raise: the connection stays open.
    app.add_exception_handler(SQLAlchemyError, store_fault)
    app.add_exception_handler(sqlite3.Error, store_fault)

    @app.exception_handler(Exception)
    async def unexpected(request: Request, exc: Exception) -> Response:
        log.exception("unexpected error on %s", request.url.path)
        return _error_response(
            request, "internal error: something broke on our side; it has been logged", 500
        )

    flat: list[BaseRoute] = []

    def routes() -> list[BaseRoute]:
        if not flat:
            flat.extend(flat_routes(app.router.routes))
        return flat

    app.front = lambda inner: wrap(
        inner, routes, (lambda app_: ResponseCache(app_, ctx, routes)) if cache else None
    )
    from payforce.web.openapi import install_openapi

    install_openapi(app)
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


WORKER_ENV = "PAYFORCE_SERVE_WORKER"
"""``payforce serve --workers N`` passes each worker its ``--db`` and cache choice in this
variable (JSON), read by :func:`worker_app`."""


def worker_app() -> FastAPI:
    """The app of one ``payforce serve --workers N`` process (uvicorn calls this factory)."""
    import json
    import os

    from payforce.cli.app import get_settings, open_cli_store

    options = json.loads(os.environ.get(WORKER_ENV, "{}"))
    db = options.get("db")
    settings = get_settings(db)
    return create_app(
        open_cli_store(db),
        settings,
        cache=bool(options.get("cache", True)),
        shared=settings.home / "cache" / "web",
    )
