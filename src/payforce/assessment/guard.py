"""Guards for the assessment's token routes: same-origin POSTs and rate limiting.

**Forged posts (CSRF).** payforce sets no cookies, so a forged post needs the secret token in
the URL; still, a page on another site must not be able to make a respondent's browser post.
Every form carries a per-form token (``form_token``: an HMAC of the URL token under a secret
held by this server process), and a POST is accepted only when

- its ``Origin`` (or, without one, its ``Referer``) is this server, or
- it carries a valid form token and no foreign ``Origin``.

(Our pages send ``Referrer-Policy: no-referrer``, so browsers send ``Origin: null`` on their own
form posts; the form token is what lets those through.) The JSON API also refuses any body that
is not ``application/json``: a cross-site page can only send "simple" content types without a
CORS preflight, and payforce answers no preflight.

**Rate limiting.** A token bucket per client address, in memory and bounded (the least recently
seen clients are forgotten past :data:`MAX_CLIENTS`): every token request costs 1, a request
with an unknown token costs :attr:`RateLimit.miss_cost` more, so guessing is slow while forty
colleagues behind one address can still fill in their forms. Over the limit: 429 with
``Retry-After``.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
import threading
import time
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass
from urllib.parse import urlsplit

from starlette.requests import Request

__all__ = ["MAX_CLIENTS", "FormGuard", "RateLimit", "RateLimiter", "same_origin"]

MAX_CLIENTS = 4096
"""Client addresses remembered by the rate limiter (memory stays bounded)."""


def _origin_of(url: str) -> str:
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}".lower() if parts.scheme and parts.netloc else ""


def same_origin(request: Request) -> bool | None:
    """True when Origin (or Referer) names this server, False when it names another, None when
    the request says nothing (no header, or ``Origin: null``)."""
    host = request.headers.get("host", "").lower()
    own = {f"http://{host}", f"https://{host}"} if host else set()
    origin = request.headers.get("origin")
    if origin and origin.strip().lower() != "null":
        return _origin_of(origin.strip()) in own
    referer = request.headers.get("referer")
    if referer:
        return _origin_of(referer.strip()) in own
    return None


class FormGuard:
    """Makes and checks per-form tokens; the secret lives only in this process."""

    FIELD = "form_token"
    """Name of the hidden form field."""

    def __init__(self, secret: bytes | None = None) -> None:
        self._secret = secret or secrets.token_bytes(32)

    def form_token(self, url_token: str) -> str:
        """The hidden field's value for a form posted to the page of ``url_token``."""
        mac = hmac.new(self._secret, b"form:" + url_token.encode("utf-8"), hashlib.sha256)
        return mac.hexdigest()[:32]

    def allows(self, request: Request, url_token: str, form_value: object) -> bool:
        """Whether a POST may proceed (see the module docstring)."""
        origin = same_origin(request)
        if origin is False:
            return False
        if origin is True:
            return True
        # bytes: compare_digest refuses str with non-ASCII characters (TypeError → 500)
        return isinstance(form_value, str) and hmac.compare_digest(
            form_value.encode("utf-8"), self.form_token(url_token).encode("ascii")
        )


@dataclass(frozen=True)
class RateLimit:
    """Bucket size and refill of the token-route limiter."""

    burst: float = 120.0
    """Requests a client may make at once."""
    per_second: float = 1.0
    """Refill rate."""
    miss_cost: float = 4.0
    """Extra cost of a request whose token is unknown."""


class RateLimiter:
    """Token buckets per client, bounded in memory, safe across threads."""

    def __init__(
        self, limit: RateLimit | None = None, clock: Callable[[], float] = time.monotonic
    ) -> None:
        self.limit = limit or RateLimit()
        self._clock = clock
        self._lock = threading.Lock()
        self._buckets: OrderedDict[str, tuple[float, float]] = OrderedDict()

    def _level(self, key: str, now: float) -> float:
        level, seen = self._buckets.get(key, (self.limit.burst, now))
        return min(self.limit.burst, level + (now - seen) * self.limit.per_second)

    def take(self, key: str, cost: float = 1.0) -> float:
        """Charge ``cost``; returns 0 when allowed, else seconds until it would be."""
        with self._lock:
            now = self._clock()
            level = self._level(key, now)
            if level < 1.0:
                self._store(key, level, now)
                return (1.0 - level) / self.limit.per_second
            self._store(key, level - cost, now)
            return 0.0

    def _store(self, key: str, level: float, now: float) -> None:
        self._buckets[key] = (max(level, -self.limit.burst), now)
        self._buckets.move_to_end(key)
        while len(self._buckets) > MAX_CLIENTS:
            self._buckets.popitem(last=False)

    def __len__(self) -> int:
        return len(self._buckets)
