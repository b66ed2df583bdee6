"""Whole-store computations shared by the web server's worker processes, through files.

``payforce serve --workers N`` runs N processes; each keeps its own in-memory results
(:meth:`payforce.web.context.ViewContext.memo`), but a computation over the whole store as of a
date (every role's outlook, the forecasts replayed behind the role pages: seconds on a large
store) is done once for all of them: the first worker to need it takes a file lock, computes it
and writes it under ``<home>/cache/web/<data version>/``; the others wait on the lock and read it.
Only the current data version's directory is kept, holding at most :data:`MAX_FILES` results
(oldest dropped first). The files are the server's own (pickle, in the user's own payforce home,
like the database itself); a damaged one is recomputed.
"""

from __future__ import annotations

import hashlib
import os
import pickle
import shutil
from collections.abc import Callable
from contextlib import suppress
from datetime import date
from pathlib import Path
from typing import Any, TypeVar

try:
    import fcntl
except ImportError:  # pragma: no cover - not POSIX: compute without the lock
    fcntl = None  # type: ignore[assignment]

__all__ = ["MAX_FILES", "SharedMemo"]

T = TypeVar("T")
MAX_FILES = 256
"""Results kept per data version (each ~0.1–5 MB)."""


class SharedMemo:
    """File-backed, lock-guarded results per ``(kind, as_of, data version)``."""

    def __init__(self, root: Path) -> None:
        self.root = root

    def _path(self, kind: str, as_of: date, version: str) -> Path:
        name = hashlib.sha256(f"{kind}|{as_of.isoformat()}".encode()).hexdigest()[:32]
        return self.root / version / f"{name}.pickle"

    def get(self, kind: str, as_of: date, version: str, compute: Callable[[], T]) -> T:
        """The result stored for this key, else ``compute()``'s (stored for the others)."""
        path = self._path(kind, as_of, version)
        found = _read(path)
        if found is not None:
            return found[0]  # type: ignore[no-any-return]
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            self._prune(version)
            lock = open(path.with_suffix(".lock"), "a+b")  # noqa: SIM115 - held across compute
        except OSError:  # no writable cache: compute here
            return compute()
        with lock:
            if fcntl is not None:
                fcntl.flock(lock, fcntl.LOCK_EX)  # released when the file closes
            found = _read(path)
            if found is not None:
                return found[0]  # type: ignore[no-any-return]
            result = compute()
            tmp = path.with_suffix(f".{os.getpid()}.tmp")
            with suppress(OSError):
                tmp.write_bytes(pickle.dumps(result, protocol=pickle.HIGHEST_PROTOCOL))
                os.replace(tmp, path)
            return result

    def _prune(self, version: str) -> None:
        """Drop other versions' directories and the oldest results beyond :data:`MAX_FILES`."""
        for other in self.root.iterdir():
            if other.name != version and other.is_dir():
                shutil.rmtree(other, ignore_errors=True)
        results = sorted((self.root / version).glob("*.pickle"), key=lambda p: p.stat().st_mtime_ns)
        for old in results[: max(0, len(results) - MAX_FILES + 1)]:
            with suppress(OSError):
                old.unlink()
                old.with_suffix(".lock").unlink()


def _read(path: Path) -> tuple[Any] | None:
    """``(result,)`` from ``path``, or None when it is missing or damaged."""
    try:
        data = path.read_bytes()
    except OSError:
        return None
    try:
        return (pickle.loads(data),)  # noqa: S301 - the server's own file (module docstring)
    except Exception:  # a damaged or half-written file: recompute it
        return None
