"""Reads kept while the store's data is unchanged (keyed by its data version).

A read that many pages and commands repeat with the same arguments (every role with its labour
figures as of a date: ~20 ms on each role, code and list page) is kept per ``(store, data
version, name, arguments)``. The data version (:func:`payforce.store.search.data_version`) is
cheap to re-check and changes with any write to the data, so a kept read is never stale. Results
must be immutable (frozen dataclasses, tuples); callers get a fresh list of them.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Callable, Hashable
from typing import Any, TypeVar, cast

from payforce.store.db import Store

__all__ = ["MEMO_SIZE", "kept", "memoized"]

T = TypeVar("T")
MEMO_SIZE = 128
"""Reads kept at most (least recently used dropped first)."""
_KEPT: OrderedDict[tuple[Hashable, ...], Any] = OrderedDict()
_LOCK = threading.Lock()


def memoized(store: Store, name: str, args: Hashable, compute: Callable[[], list[T]]) -> list[T]:
    """``compute()`` — or the list it gave for the same store, data version and ``args`` (a
    fresh list of the same immutable items)."""
    return list(kept(store, name, args, lambda: tuple(compute())))


def kept(store: Store, name: str, args: Hashable, compute: Callable[[], T]) -> T:
    """``compute()`` — or the very object it gave for the same store, data version and
    ``args``: for read-only use (callers never change it)."""
    from payforce.store.search import data_version

    key = (store.url, data_version(store), name, args)
    with _LOCK:
        if key in _KEPT:
            _KEPT.move_to_end(key)
            return cast(T, _KEPT[key])
    result = compute()
    with _LOCK:
        _KEPT[key] = result
        while len(_KEPT) > MEMO_SIZE:
            _KEPT.popitem(last=False)
    return result
