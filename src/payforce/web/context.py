"""The context every gather function gets: store, knowledge, today, and an outlook cache."""

from __future__ import annotations

import pickle
import threading
from collections import OrderedDict
from collections.abc import Callable
from datetime import date
from typing import Any, TypeVar, cast

from payforce.errors import InputError
from payforce.knowledge import Knowledge, load_knowledge
from payforce.models import Outlook
from payforce.store.db import Store
from payforce.store.search import VERSION_TTL, data_version
from payforce.web.shared_memo import SharedMemo

__all__ = ["OUTLOOK_CACHE_BYTES", "OUTLOOK_CACHE_SIZE", "VERSION_TTL", "ViewContext", "parse_as_of"]

T = TypeVar("T")

OUTLOOK_CACHE_SIZE = 64
"""At most this many dates' outlooks are kept ..."""
OUTLOOK_CACHE_BYTES = 16 * 1024 * 1024
"""... and at most this many bytes of them (measured as their pickled size; ~100 KB a date on
the bundled store)."""


def parse_as_of(text: str | None, today: date) -> date:
    """The ``as_of`` parameter as a date; empty means ``today``."""
    if text is None or text.strip() == "":
        return today
    try:
        return date.fromisoformat(text.strip())
    except ValueError:
        raise InputError(
            f"as_of: not a date ({text[:40]!r})", hint="Use YYYY-MM-DD, e.g. 2026-06-30"
        ) from None


class ViewContext:
    """What every gather function needs: store, knowledge and an outlook cache.

    Computed outlooks are cached per ``(as_of, data version)``; the version is re-read when the
    store may have changed (on PostgreSQL after :data:`VERSION_TTL` seconds), so a sync by
    another process invalidates the cache.
    """

    def __init__(
        self,
        store: Store,
        knowledge: Knowledge | None = None,
        *,
        clock: Callable[[], date] = date.today,
        version_ttl: float = VERSION_TTL,
        shared: SharedMemo | None = None,
    ) -> None:
        self.store = store
        self.shared = shared
        """Where worker processes share whole-store results (``serve --workers``), or None."""
        self.knowledge = knowledge or load_knowledge()
        self.clock = clock
        self.version_ttl = version_ttl
        self._lock = threading.Lock()
        self._outlooks: OrderedDict[tuple[str, date, str], tuple[Any, int]] = OrderedDict()
        self.outlook_bytes = 0
        self._outlook_version = ""

    def today(self) -> date:
        """The web's notion of today (the edge may read the clock)."""
        return self.clock()

    def version(self) -> str:
        """The store's data version, a reading at most ``version_ttl`` seconds old on PostgreSQL
        (see :func:`payforce.store.search.data_version`: re-read when the store may have
        changed, one thread at a time)."""
        return data_version(self.store, max_age=self.version_ttl)

    def outlooks(self, as_of: date) -> list[Outlook]:
        """Every role's outlook as of ``as_of``, highest score first (cached)."""
        from payforce.signals.outlook import compute_outlooks

        return self.memo(
            "outlooks", as_of, lambda: compute_outlooks(self.store, as_of, self.knowledge)
        )

    def memo(self, kind: str, as_of: date, compute: Callable[[], T]) -> T:
        """``compute()``'s result, kept per ``(kind, as_of, data version)``: a computation over
        the whole store as of a date (outlooks, the forecasts replayed behind role pages), done
        once and shared by every page and request that shows it. Bounded like the outlooks:
        :data:`OUTLOOK_CACHE_SIZE` entries, :data:`OUTLOOK_CACHE_BYTES` bytes (pickled size)."""
        key = (kind, as_of, self.version())
        with self._lock:
            if key in self._outlooks:
                self._outlooks.move_to_end(key)
                return cast(T, self._outlooks[key][0])
        if self.shared is not None:  # several worker processes: compute once for all
            result = self.shared.get(kind, as_of, key[2], compute)
        else:
            result = compute()
        size = len(pickle.dumps(result, protocol=pickle.HIGHEST_PROTOCOL))
        with self._lock:
            if key[2] != self._outlook_version:  # new data: older results are stale
                self._outlooks.clear()
                self.outlook_bytes = 0
                self._outlook_version = key[2]
            old = self._outlooks.pop(key, None)
            self.outlook_bytes -= old[1] if old else 0
            if size <= OUTLOOK_CACHE_BYTES // 4:
                self._outlooks[key] = (result, size)
                self.outlook_bytes += size
            while self._outlooks and (
                len(self._outlooks) > OUTLOOK_CACHE_SIZE or self.outlook_bytes > OUTLOOK_CACHE_BYTES
            ):
                _, (_, dropped) = self._outlooks.popitem(last=False)
                self.outlook_bytes -= dropped
        return result
