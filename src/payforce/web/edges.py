"""The web app's edges: pure ASGI middleware that runs before (and around) any route.

Outermost first (see :func:`wrap`):

- :class:`SecurityHeaders` adds the Content-Security-Policy and friends to every response and
  drops any ``server`` header;
- :class:`Guard` turns an exception that escaped everything else (a store that cannot be read
  while the cache looks up the data version, a bug) into the one error shape, and never lets it
  reach uvicorn, so the keep-alive connection survives;
- :class:`Methods` answers ``OPTIONS`` with ``Allow``, serves ``HEAD`` wherever ``GET`` works
  (the GET response without its body) and makes every 405 carry ``Allow``;
- :class:`BodyLimit` refuses a request body over :data:`MAX_BODY` bytes with 413 before any of it
  is parsed (by ``Content-Length``, or while it streams in), and a JSON body nested deeper than
  :data:`MAX_JSON_DEPTH` with 400;
- :class:`~payforce.web.cache.ResponseCache` (optional) answers repeated GETs from memory.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable, Mapping
from typing import Any

from starlette.responses import JSONResponse, Response
from starlette.routing import BaseRoute, Match, Mount
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from payforce.errors import PayforceError, StoreError
from payforce.serialize import error_envelope

__all__ = [
    "CSP",
    "MAX_BODY",
    "MAX_JSON_DEPTH",
    "SECURITY_HEADERS",
    "BodyLimit",
    "Guard",
    "Methods",
    "SecurityHeaders",
    "allowed_methods",
    "error_response",
    "flat_routes",
    "is_store_fault",
    "json_depth",
]

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
MAX_BODY = 256 * 1024
"""Largest request body accepted (bytes). A full assessment sheet with every note is ~100 KB."""
MAX_JSON_DEPTH = 32
"""Deepest JSON nesting accepted in a request body (the answers API needs 2)."""
STORE_FAULT = "the database cannot be read or written right now; try again later"


def is_store_fault(exc: BaseException) -> bool:
    """True for a database fault: :class:`StoreError` or a DB-API / SQLAlchemy database error."""
    if isinstance(exc, StoreError):
        return True
    try:
        import sqlite3

        from sqlalchemy.exc import DBAPIError, OperationalError
    except ImportError:  # pragma: no cover
        return False
    return isinstance(exc, (DBAPIError, OperationalError, sqlite3.DatabaseError))


def _wants_json(path: str) -> bool:
    return path == "/api" or path.startswith("/api/")


def error_response(
    path: str, message: str, status: int, headers: Mapping[str, str] | None = None
) -> Response:
    """The one error shape: the JSON envelope under ``/api/``, the error page elsewhere."""
    response: Response
    if _wants_json(path):
        response = JSONResponse(error_envelope(message, status), status_code=status)
    else:
        from payforce.web.pages import render_error_page

        response = render_error_page(path, message, status)
    for name, value in (headers or {}).items():
        response.headers[name] = value
    return response


class SecurityHeaders:
    """Adds :data:`SECURITY_HEADERS` to every HTTP response; drops ``server``."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = [(k, v) for k, v in message.get("headers", []) if k.lower() != b"server"]
                names = {k.lower() for k, _ in headers}
                headers += [(k, v) for k, v in SECURITY_HEADERS if k not in names]
                message["headers"] = headers
            await send(message)

        await self.app(scope, receive, send_with_headers)


class Guard:
    """Catches whatever escaped the app: 503 for a store fault, 500 for a bug; never re-raises.

    Starlette's own error middleware answers 500 and then re-raises, which makes uvicorn log
    the exception again and close the connection; here the exception ends, logged once.
    """

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        started = False

        async def watch(message: Message) -> None:
            nonlocal started
            if message["type"] == "http.response.start":
                started = True
            await send(message)

        try:
            await self.app(scope, receive, watch)
        except Exception as exc:  # noqa: BLE001 - the edge: every failure becomes a response
            if started:  # Starlette already answered (a 500 from its error middleware)
                return
            if is_store_fault(exc):
                log.warning("store fault on %s: %s", scope.get("path"), exc)
                status, message = 503, STORE_FAULT
                if isinstance(exc, PayforceError):
                    message = exc.message
            else:
                log.exception("unexpected error on %s", scope.get("path"))
                status, message = 500, "internal error: something broke on our side; logged"
            await error_response(scope.get("path", "/"), message, status)(scope, receive, send)


def flat_routes(routes: Iterable[Any]) -> list[BaseRoute]:
    """Every route, with included routers opened (FastAPI keeps them as wrappers whose
    ``original_router`` holds the routes, their paths already prefixed)."""
    out: list[BaseRoute] = []
    for route in routes:
        inner = getattr(route, "original_router", None)
        if inner is not None and getattr(route, "include_context", None) is not None:
            if getattr(route.include_context, "prefix", ""):  # pragma: no cover - unused here
                out.append(route)
            else:
                out.extend(flat_routes(inner.routes))
        else:
            out.append(route)
    return out


def allowed_methods(routes: Iterable[BaseRoute], scope: Scope) -> set[str]:
    """Methods the routes accept at ``scope``'s path (``HEAD`` where ``GET``; ``OPTIONS``)."""
    methods: set[str] = set()
    probe = {**scope, "method": "GET"}
    for route in routes:
        match, _ = route.matches(probe)
        if match == Match.NONE:
            continue
        if isinstance(route, Mount):
            methods |= {"GET"}
        else:
            methods |= set(getattr(route, "methods", None) or ())
    if "GET" in methods:
        methods.add("HEAD")
    if methods:
        methods.add("OPTIONS")
    return methods


def _allow(methods: Iterable[str]) -> bytes:
    return ", ".join(sorted(methods)).encode()


class Methods:
    """``OPTIONS`` → 204 with ``Allow``; ``HEAD`` → the ``GET`` answer without a body; every 405
    gets the ``Allow`` header listing what the resource does accept."""

    def __init__(self, app: ASGIApp, routes: Callable[[], Iterable[BaseRoute]]) -> None:
        self.app = app
        self.routes = routes

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        method = scope["method"]
        if method == "OPTIONS":
            methods = allowed_methods(self.routes(), scope)
            if methods:
                headers = [(b"allow", _allow(methods)), (b"content-length", b"0")]
                await send({"type": "http.response.start", "status": 204, "headers": headers})
                await send({"type": "http.response.body", "body": b""})
                return
        inner = {**scope, "method": "GET"} if method == "HEAD" else scope

        async def reply(message: Message) -> None:
            if message["type"] == "http.response.start" and message["status"] == 405:
                methods = allowed_methods(self.routes(), scope)
                rest = [(k, v) for k, v in message.get("headers", []) if k.lower() != b"allow"]
                message["headers"] = [*rest, (b"allow", _allow(methods))]
            elif message["type"] == "http.response.body" and method == "HEAD":
                message = {**message, "body": b""}
            await send(message)

        await self.app(inner, receive, reply)


def json_depth(body: bytes, limit: int) -> int:
    """Nesting depth of a JSON text, stopping early once past ``limit`` (strings skipped)."""
    depth = deepest = 0
    in_string = escaped = False
    for byte in body:
        if in_string:
            if escaped:
                escaped = False
            elif byte == 0x5C:  # backslash
                escaped = True
            elif byte == 0x22:  # quote
                in_string = False
        elif byte == 0x22:
            in_string = True
        elif byte in (0x5B, 0x7B):  # [ {
            depth += 1
            if depth > deepest:
                deepest = depth
                if deepest > limit:
                    return deepest
        elif byte in (0x5D, 0x7D):
            depth -= 1
    return deepest


class _TooLarge(Exception):
    pass


class BodyLimit:
    """413 for a body over ``max_body`` bytes, 400 for JSON nested over ``max_depth``; the body
    is checked (and held, at most ``max_body`` bytes) before the route sees any of it."""

    def __init__(
        self, app: ASGIApp, max_body: int = MAX_BODY, max_depth: int = MAX_JSON_DEPTH
    ) -> None:
        self.app = app
        self.max_body = max_body
        self.max_depth = max_depth

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["method"] in ("GET", "HEAD", "OPTIONS"):
            await self.app(scope, receive, send)
            return
        headers = dict(scope.get("headers", ()))
        path = scope.get("path", "/")
        too_large = f"request body: larger than {self.max_body:,} bytes"
        declared = headers.get(b"content-length", b"").strip()
        if declared.isdigit() and int(declared) > self.max_body:
            await self._refuse(scope, receive, send, too_large, 413)
            return
        chunks: list[bytes] = []
        size = 0
        more = True
        while more:
            message = await receive()
            if message["type"] == "http.disconnect":
                return
            chunk = message.get("body", b"")
            size += len(chunk)
            if size > self.max_body:
                await self._refuse(scope, receive, send, too_large, 413)
                return
            chunks.append(chunk)
            more = bool(message.get("more_body"))
        body = b"".join(chunks)
        stripped = body.lstrip()
        kind = headers.get(b"content-type", b"").lower()
        if (b"json" in kind or stripped[:1] in (b"[", b"{")) and json_depth(
            stripped, self.max_depth
        ) > self.max_depth:
            message_text = f"request body: JSON nested deeper than {self.max_depth} levels"
            await error_response(path, message_text, 400)(scope, receive, send)
            return
        sent = False

        async def replay() -> Message:
            nonlocal sent
            if not sent:
                sent = True
                return {"type": "http.request", "body": body, "more_body": False}
            return await receive()

        await self.app(scope, replay, send)

    async def _refuse(
        self, scope: Scope, receive: Receive, send: Send, message: str, status: int
    ) -> None:
        """Answer without reading the rest of the body; the connection closes after it."""
        response = error_response(scope.get("path", "/"), message, status, {"connection": "close"})
        await response(scope, receive, send)


def wrap(
    app: ASGIApp,
    routes: Callable[[], Iterable[BaseRoute]],
    cache: Callable[[ASGIApp], ASGIApp] | None = None,
) -> ASGIApp:
    """The whole edge around ``app`` (Starlette's stack), outermost first as in the docstring."""
    inner: Any = cache(app) if cache is not None else app
    return SecurityHeaders(Guard(Methods(BodyLimit(inner), routes)))
