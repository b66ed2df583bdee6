"""What tells that a SQLite store was written: its files' sizes and modification times.

Dependency-free (standard library only) so the CLI's fast read path can use it without importing
the store; the store uses the same reading to know when to re-read its data version.
"""

from __future__ import annotations

from pathlib import Path

__all__ = ["sqlite_fingerprint"]


def _stat(path: Path) -> list[int]:
    try:
        st = path.stat()
    except OSError:
        return [0, 0]
    return [st.st_size, st.st_mtime_ns if st.st_size else 0]


def sqlite_fingerprint(database: Path) -> list[int]:
    """Size and mtime of the SQLite file and of its write-ahead log (a write changes one)."""
    return _stat(database) + _stat(database.with_name(database.name + "-wal"))
