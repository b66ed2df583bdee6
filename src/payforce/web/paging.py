"""Paging for every list the web serves: ``limit`` + an opaque ``cursor``, a stable order, and
the next page as a ``Link: <…>; rel="next"`` header, a ``next`` URL in JSON and a link on pages.

A cursor is the URL-safe base64 of the position after the last item sent: the sort key of that
item for the documents list (keyset paging: fast on any size of store, stable while documents
are added), an offset for the short lists (codes, roles, signals, search results).
"""

from __future__ import annotations

import base64
import binascii
from collections.abc import Sequence
from typing import Any, TypeVar
from urllib.parse import urlencode

from starlette.requests import Request

from payforce.errors import LookupFailedError

__all__ = [
    "API_LIMIT",
    "CURSOR_PATTERN",
    "MAX_LIMIT",
    "PAGE_LIMIT",
    "UnknownCursor",
    "decode_cursor",
    "encode_cursor",
    "next_url",
    "offset_page",
    "paged",
]

API_LIMIT = 100
"""Items per API page when ``limit`` is not given."""
PAGE_LIMIT = 100
"""Items per HTML page when ``limit`` is not given."""
MAX_LIMIT = 500
"""Largest ``limit`` accepted."""
CURSOR_PATTERN = r"^[A-Za-z0-9_-]{1,200}$"
"""What a cursor looks like (URL-safe base64, no padding)."""
_SEP = "\x1f"

T = TypeVar("T")


def encode_cursor(*parts: str) -> str:
    """An opaque cursor for the position after an item with sort key ``parts``."""
    raw = _SEP.join(parts).encode("utf-8")
    return base64.urlsafe_b64encode(raw).decode("ascii").rstrip("=")


class UnknownCursor(LookupFailedError):
    """A well-formed cursor that names no page of this list (404, like any unknown name)."""

    def __init__(self, cursor: str) -> None:
        super().__init__("page cursor", cursor[:40])
        self.hint = "Follow the next link of the previous page, or leave cursor out to start over"


def decode_cursor(cursor: str, fields: int) -> list[str]:
    """The sort key inside ``cursor`` (``fields`` parts), or :class:`UnknownCursor` (404)."""
    bad = UnknownCursor(cursor)
    try:
        raw = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)).decode("utf-8")
    except (binascii.Error, ValueError):
        raise bad from None
    parts = raw.split(_SEP)
    if len(parts) != fields:
        raise bad
    return parts


def offset_page(items: Sequence[T], limit: int, cursor: str | None) -> tuple[list[T], str | None]:
    """One page of an already ordered list: (items, cursor of the next page or None)."""
    start = 0
    if cursor:
        (text,) = decode_cursor(cursor, 1)
        if not text.isdigit() or int(text) > len(items):
            raise UnknownCursor(cursor)
        start = int(text)
    end = start + limit
    return list(items[start:end]), (encode_cursor(str(end)) if end < len(items) else None)


def next_url(request: Request, cursor: str | None) -> str | None:
    """This request's URL with ``cursor`` replaced by the next page's (``None`` at the end)."""
    if cursor is None:
        return None
    params = [(k, v) for k, v in request.query_params.multi_items() if k != "cursor"]
    params.append(("cursor", cursor))
    return f"{request.url.path}?{urlencode(params)}"


def paged(request: Request, data: dict[str, Any], limit: int) -> tuple[dict[str, Any], str | None]:
    """``data`` with ``limit`` and ``next`` (URL or null) added, and the ``Link`` header value."""
    link = next_url(request, data.pop("next_cursor", None))
    out = {**data, "limit": limit, "next": link}
    return out, (f'<{link}>; rel="next"' if link else None)
