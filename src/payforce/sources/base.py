"""The one configured HTTP client every source uses, and the polite transport under it.

``http_client(settings)`` builds an ``httpx.Client`` whose transport is a
:class:`PoliteTransport` wrapped around the real network transport (or, in tests, around an
``httpx.MockTransport``). The polite transport adds, in this order:

1. a rate limit: at most ``MAX_REQUESTS_PER_SECOND`` request starts per second;
2. an on-disk cache under ``settings.cache_dir``: a cached GET is revalidated with
   ``If-None-Match`` / ``If-Modified-Since``; a ``304`` is answered from disk, so an unchanged
   page costs no transfer. Every response carries ``X-Payforce-Cache`` (``miss``,
   ``revalidated``) and ``X-Payforce-Content-SHA256`` so callers can tell unchanged content
   even from servers that send no validators;
3. retries with exponential backoff and jitter on 429, 5xx and timeouts, honouring
   ``Retry-After`` (seconds or an HTTP date), up to ``MAX_ATTEMPTS`` attempts.

Clock and sleep are injected, so tests run the retry and rate-limit logic without waiting.
"""

from __future__ import annotations

import hashlib
import json
import random
import time
from collections.abc import Callable
from dataclasses import dataclass
from email.utils import parsedate_to_datetime
from pathlib import Path
from typing import TYPE_CHECKING

import httpx

from payforce import __version__

if TYPE_CHECKING:
    from payforce.config import Settings

__all__ = [
    "CACHE_HEADER",
    "CONTENT_HASH_HEADER",
    "DEFAULT_TIMEOUT",
    "MAX_ATTEMPTS",
    "MAX_REQUESTS_PER_SECOND",
    "USER_AGENT",
    "HttpCache",
    "PoliteTransport",
    "RateLimiter",
    "RetryPolicy",
    "http_client",
    "parse_retry_after",
]

USER_AGENT = f"payforce/{__version__} (+https://github.com/payforce/payforce; policy-to-workforce)"
"""Names payforce and where to read about it, as the Federal Register asks of API users."""
DEFAULT_TIMEOUT = 30.0
"""Seconds for one request when settings do not say otherwise."""
MAX_REQUESTS_PER_SECOND = 5.0
"""Federal Register courtesy limit."""
MAX_ATTEMPTS = 5
"""Attempts per request (1 + 4 retries) on 429, 5xx and timeouts."""
MAX_BACKOFF_SECONDS = 60.0
"""Longest single wait between attempts, Retry-After included."""
RETRY_STATUSES = frozenset({429, 500, 502, 503, 504})
"""Statuses worth another try."""
CACHE_HEADER = "X-Payforce-Cache"
"""Response header naming how the cache answered: ``miss`` or ``revalidated``."""
CONTENT_HASH_HEADER = "X-Payforce-Content-SHA256"
"""Response header carrying the sha256 of the body."""

Sleep = Callable[[float], None]
Clock = Callable[[], float]


def parse_retry_after(value: str | None, now: float) -> float | None:
    """Seconds to wait from a ``Retry-After`` header (delta seconds or HTTP date), or None."""
    if not value:
        return None
    value = value.strip()
    if value.isdigit():
        return float(value)
    try:
        when = parsedate_to_datetime(value)
    except (TypeError, ValueError, IndexError):
        return None
    return max(0.0, when.timestamp() - now)


class RateLimiter:
    """Spaces request starts at least ``1 / per_second`` seconds apart."""

    def __init__(self, per_second: float, *, clock: Clock, sleep: Sleep) -> None:
        self.interval = 1.0 / per_second
        self.clock = clock
        self.sleep = sleep
        self._next = 0.0

    def wait(self) -> None:
        """Block until the next request may start."""
        now = self.clock()
        if now < self._next:
            self.sleep(self._next - now)
            now = self._next
        self._next = now + self.interval


@dataclass(frozen=True)
class RetryPolicy:
    """When and how long to wait before trying a request again."""

    attempts: int = MAX_ATTEMPTS
    """Total attempts, first included."""
    base: float = 0.5
    """First backoff in seconds; doubles each retry."""
    cap: float = MAX_BACKOFF_SECONDS
    """Longest single wait."""

    def backoff(self, attempt: int, rng: random.Random) -> float:
        """Exponential backoff with full jitter for retry number ``attempt`` (1-based)."""
        ceiling = min(self.cap, self.base * 2.0 ** (attempt - 1))
        return ceiling / 2 + rng.uniform(0, ceiling / 2)


class HttpCache:
    """Bodies and validators of GET responses on disk, keyed by the full URL."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder

    def _paths(self, url: str) -> tuple[Path, Path]:
        key = hashlib.sha256(url.encode()).hexdigest()
        base = self.folder / key[:2] / key
        return base.with_suffix(".json"), base.with_suffix(".body")

    def get(self, url: str) -> tuple[dict[str, str], bytes] | None:
        """The stored validators and body for ``url``, or None."""
        meta_path, body_path = self._paths(url)
        try:
            meta = json.loads(meta_path.read_text(encoding="utf-8"))
            body = body_path.read_bytes()
        except (OSError, ValueError):
            return None
        if hashlib.sha256(body).hexdigest() != meta.get("sha256"):
            return None
        return meta, body

    def put(self, url: str, response: httpx.Response, body: bytes) -> None:
        """Store a 200 response's body and validators (written atomically)."""
        meta_path, body_path = self._paths(url)
        meta_path.parent.mkdir(parents=True, exist_ok=True)
        meta = {
            "url": url,
            "etag": response.headers.get("etag", ""),
            "last_modified": response.headers.get("last-modified", ""),
            "content_type": response.headers.get("content-type", ""),
            "sha256": hashlib.sha256(body).hexdigest(),
        }
        tmp_body = body_path.with_suffix(".body.tmp")
        tmp_body.write_bytes(body)
        tmp_body.replace(body_path)
        tmp_meta = meta_path.with_suffix(".json.tmp")
        tmp_meta.write_text(json.dumps(meta), encoding="utf-8")
        tmp_meta.replace(meta_path)


class PoliteTransport(httpx.BaseTransport):
    """Rate limit, cache and retry around another transport (network or mock)."""

    def __init__(
        self,
        inner: httpx.BaseTransport,
        *,
        cache: HttpCache | None = None,
        per_second: float = MAX_REQUESTS_PER_SECOND,
        retry: RetryPolicy | None = None,
        clock: Clock = time.monotonic,
        wall_clock: Clock = time.time,
        sleep: Sleep = time.sleep,
        rng: random.Random | None = None,
    ) -> None:
        self.inner = inner
        self.cache = cache
        self.retry = retry or RetryPolicy()
        self.limiter = RateLimiter(per_second, clock=clock, sleep=sleep)
        self.wall_clock = wall_clock
        self.sleep = sleep
        self.rng = rng or random.Random()
        self.requests_sent = 0
        """Requests that went to the inner transport (retries included)."""
        self.bytes_received = 0
        """Body bytes received from the inner transport (304s and cache hits add nothing)."""

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        """Send ``request`` politely; answer a 304 from the cache."""
        url = str(request.url)
        cached = self.cache.get(url) if self.cache and request.method == "GET" else None
        if cached is not None:
            meta, _ = cached
            if meta.get("etag"):
                request.headers["If-None-Match"] = meta["etag"]
            if meta.get("last_modified"):
                request.headers["If-Modified-Since"] = meta["last_modified"]
        response = self._send_with_retries(request)
        if response.status_code == 304 and cached is not None:
            meta, body = cached
            response.close()
            headers = {
                "content-type": meta.get("content_type") or "application/json",
                CACHE_HEADER: "revalidated",
                CONTENT_HASH_HEADER: meta["sha256"],
            }
            return httpx.Response(200, headers=headers, content=body, request=request)
        body = response.read()
        self.bytes_received += len(body)
        fresh = httpx.Headers(response.headers)
        fresh.pop("content-encoding", None)
        fresh.pop("content-length", None)
        fresh[CACHE_HEADER] = "miss"
        fresh[CONTENT_HASH_HEADER] = hashlib.sha256(body).hexdigest()
        if self.cache is not None and request.method == "GET" and response.status_code == 200:
            self.cache.put(url, response, body)
        return httpx.Response(response.status_code, headers=fresh, content=body, request=request)

    def _send_with_retries(self, request: httpx.Request) -> httpx.Response:
        attempt = 0
        while True:
            attempt += 1
            self.limiter.wait()
            self.requests_sent += 1
            try:
                response = self.inner.handle_request(request)
            except httpx.TimeoutException:
                if attempt >= self.retry.attempts:
                    raise
                self.sleep(self.retry.backoff(attempt, self.rng))
                continue
            if response.status_code not in RETRY_STATUSES or attempt >= self.retry.attempts:
                return response
            wait = parse_retry_after(response.headers.get("retry-after"), self.wall_clock())
            response.read()
            response.close()
            delay = self.retry.backoff(attempt, self.rng) if wait is None else wait
            self.sleep(min(delay, self.retry.cap))

    def close(self) -> None:
        """Close the inner transport."""
        self.inner.close()


def http_client(
    settings: Settings,
    *,
    transport: httpx.BaseTransport | None = None,
    cache: bool = True,
    sleep: Sleep = time.sleep,
    clock: Clock = time.monotonic,
    per_second: float = MAX_REQUESTS_PER_SECOND,
) -> httpx.Client:
    """The one configured client: timeouts, User-Agent, rate limit, cache, retries.

    ``transport`` replaces the network (tests pass an ``httpx.MockTransport``); everything
    polite still runs on top of it.
    """
    polite = PoliteTransport(
        transport or httpx.HTTPTransport(),
        cache=HttpCache(settings.cache_dir) if cache else None,
        per_second=per_second,
        sleep=sleep,
        clock=clock,
    )
    return httpx.Client(
        transport=polite,
        timeout=httpx.Timeout(settings.http_timeout or DEFAULT_TIMEOUT),
        headers={"User-Agent": USER_AGENT, "Accept": "application/json"},
        follow_redirects=True,
    )
