"""The response cache: rendered GET responses kept in memory, bounded in bytes.

A response is kept per (path, the query parameters its route declares, today, data version):
a parameter the route does not read (``?junk=1``) does not make a new entry, so junk queries
cannot pin memory. The cache holds at most ``max_bytes`` of bodies and headers (least recently
used dropped first); a body over ``max_bytes // 8`` is never kept; entries of an older data
version are dropped as soon as the version changes.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Callable, Iterable
from typing import Any
from urllib.parse import parse_qsl

from starlette.routing import BaseRoute, Match
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from payforce.web.context import ViewContext

__all__ = ["CACHE_BYTES", "ResponseCache", "route_params"]

CACHE_BYTES = 32 * 1024 * 1024
"""Default byte budget of the response cache (bodies plus headers)."""
_PRIVATE_REQUEST = {b"authorization", b"cookie"}
"""A request carrying credentials is never answered from, or stored in, the shared cache."""

Key = tuple[str, tuple[tuple[str, str], ...], str, str]


def _private_response(headers: list[tuple[bytes, bytes]]) -> bool:
    """True when the response forbids shared caching (``no-store`` / ``private``)."""
    return any(
        name.lower() == b"cache-control" and (b"no-store" in value or b"private" in value)
        for name, value in headers
    )


def route_params(routes: Iterable[BaseRoute], scope: Scope) -> frozenset[str] | None:
    """Query parameter names the route serving ``scope`` declares; ``None`` when no API or page
    route serves it (static files, unknown paths: not cached)."""
    for route in routes:
        match, _ = route.matches(scope)
        if match == Match.FULL:
            dependant = getattr(route, "dependant", None)
            if dependant is None:
                return None
            return frozenset(p.alias for p in dependant.query_params)
    return None


class ResponseCache:
    """Pure ASGI middleware caching successful GET responses (see the module docstring)."""

    def __init__(
        self,
        app: ASGIApp,
        ctx: ViewContext,
        routes: Callable[[], Iterable[BaseRoute]],
        max_bytes: int = CACHE_BYTES,
    ) -> None:
        self.app = app
        self.ctx = ctx
        self.routes = routes
        self.max_bytes = max_bytes
        self.size = 0
        self._version = ""
        self._lock = threading.Lock()
        self._items: OrderedDict[Key, tuple[list[Any], bytes, int]] = OrderedDict()
        self._params: dict[str, frozenset[str] | None] = {}

    def clear(self) -> None:
        """Drop every cached response."""
        with self._lock:
            self._items.clear()
            self.size = 0

    def _key(self, scope: Scope, version: str) -> Key | None:
        path = scope["path"]
        if path not in self._params:
            if len(self._params) > 4096:  # path-parameter junk must not grow this either
                self._params.clear()
            self._params[path] = route_params(self.routes(), scope)
        names = self._params[path]
        if names is None:
            return None
        query = scope.get("query_string", b"").decode("latin-1")
        used = tuple((k, v) for k, v in parse_qsl(query, keep_blank_values=True) if k in names)
        return (path, tuple(sorted(used)), self.ctx.today().isoformat(), version)

    def _store(self, key: Key, headers: list[Any], body: bytes) -> None:
        cost = len(body) + sum(len(k) + len(v) for k, v in headers) + 200
        if cost > self.max_bytes // 8:
            return
        with self._lock:
            if key[3] != self._version:
                return
            old = self._items.pop(key, None)
            if old is not None:
                self.size -= old[2]
            self._items[key] = (headers, body, cost)
            self.size += cost
            while self.size > self.max_bytes and self._items:
                _, (_, _, dropped) = self._items.popitem(last=False)
                self.size -= dropped

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if (
            scope["type"] != "http"
            or scope["method"] != "GET"
            or any(name in _PRIVATE_REQUEST for name, _ in scope.get("headers", ()))
        ):
            await self.app(scope, receive, send)
            return
        version = self.ctx.version()
        with self._lock:
            if version != self._version:  # new data: every old entry is stale
                self._items.clear()
                self.size = 0
                self._version = version
        key = self._key(scope, version)
        if key is None:
            await self.app(scope, receive, send)
            return
        with self._lock:
            hit = self._items.get(key)
            if hit is not None:
                self._items.move_to_end(key)
        if hit is not None:
            headers, body, _ = hit
            await send({"type": "http.response.start", "status": 200, "headers": headers})
            await send({"type": "http.response.body", "body": body})
            return
        start: dict[str, Any] = {}
        chunks: list[bytes] = []
        held = 0

        async def capture(message: Message) -> None:
            nonlocal held
            if message["type"] == "http.response.start":
                start.update(message)
            elif message["type"] == "http.response.body" and held >= 0:
                chunks.append(message.get("body", b""))
                held += len(chunks[-1])
                if held > self.max_bytes // 8:  # too big to keep: stop holding a copy
                    chunks.clear()
                    held = -1
                elif not message.get("more_body") and start.get("status") == 200:
                    if not _private_response(start.get("headers", [])):
                        self._store(key, list(start.get("headers", [])), b"".join(chunks))
            await send(message)

        await self.app(scope, receive, capture)
