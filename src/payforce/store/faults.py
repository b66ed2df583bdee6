"""Database faults → :class:`~payforce.errors.StoreUnavailableError`, in one place.

SQLAlchemy's ``handle_error`` engine event sees every DBAPI error (on connect and on execute).
The faults an operator can meet — disk full, read-only store, corrupt or empty file, a lost or
refused PostgreSQL connection — become one ``StoreUnavailableError`` naming the store, the cause
and what to do. Every other error (a missing table, a constraint) is left alone for the caller.
The transaction in progress is rolled back by SQLAlchemy before the new error is raised, so a
failed command writes nothing.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from payforce.errors import InputError, StoreUnavailableError

__all__ = [
    "RECOVERY",
    "classify",
    "empty_store_error",
    "on_handle_error",
    "translate",
    "truncated_store_error",
]

RECOVERY = (
    "Move the file aside, run payforce init, then payforce restore BACKUP.json "
    "(your last payforce backup) to bring back watches and assessments"
)
"""What to do with a store that cannot be read (docs/reliability.md explains)."""

# (reason, words found in the driver's message, what happened, what to do)
_RULES: tuple[tuple[str, tuple[str, ...], str, str], ...] = (
    (
        "disk_full",
        ("database or disk is full", "no space left", "could not extend file", "disk full"),
        "the disk is full; nothing was written",
        "Free some space (or move the store with --db) and run the command again",
    ),
    (
        "read_only",
        ("attempt to write a readonly database", "read-only transaction", "readonly database"),
        "the store is read-only; nothing was written",
        "Reading still works; to write, make the file and its folder writable",
    ),
    (
        "corrupt",
        ("file is not a database", "database disk image is malformed", "malformed"),
        "the store file is damaged (not a readable SQLite database)",
        RECOVERY,
    ),
    (
        "connection_lost",
        (
            "server closed the connection",
            "connection refused",
            "terminating connection",
            "connection is closed",
            "the connection is lost",
            "consuming input failed",
            "could not connect",
            "connection to server",
            "connection timeout",
            "ssl connection has been closed",
        ),
        "the database server cannot be reached or dropped the connection; nothing was written",
        "Check that PostgreSQL is running and reachable, then run the command again",
    ),
    (
        "busy",
        ("database is locked", "lock timeout", "deadlock detected"),
        "another program holds the store's write lock; nothing was written",
        "Wait for the other payforce command (a sync?) to finish, then run this one again",
    ),
    (
        "cannot_open",
        ("unable to open database file", "disk i/o error"),
        "cannot open the store file (missing folder, no permission, or a read-only folder)",
        "Check the path and that you may read the file and write its folder",
    ),
)


def classify(message: str, *, disconnect: bool = False) -> tuple[str, str, str] | None:
    """(reason, what happened, what to do) for a driver error message, or None if not a fault."""
    low = message.lower()
    for reason, words, what, hint in _RULES:
        if any(w in low for w in words):
            return reason, what, hint
    if disconnect:
        for reason, _words, what, hint in _RULES:
            if reason == "connection_lost":
                return reason, what, hint
    return None


def translate(url: str, exc: BaseException, *, disconnect: bool = False) -> None:
    """Raise :class:`StoreUnavailableError` when ``exc`` is a store fault; else return."""
    orig = getattr(exc, "orig", None) or exc
    text = str(orig).strip()
    found = classify(text, disconnect=disconnect)
    if found is None:
        return
    reason, what, hint = found
    raise StoreUnavailableError(f"{url}: {what}", reason=reason, hint=hint) from exc


def empty_store_error(path: Path) -> StoreUnavailableError:
    """A 0-byte store file: reported, never silently rebuilt (its data is already gone)."""
    return StoreUnavailableError(
        f"{path}: the store file is empty (0 bytes); its synced data, watches and "
        "assessments are gone",
        reason="empty",
        hint="Run payforce init to build it again, then payforce restore BACKUP.json (your "
        "last payforce backup) to bring back watches and assessments",
    )


def truncated_store_error(path: Path) -> StoreUnavailableError:
    """A store file shorter than its own header says: damaged, reported, never rebuilt."""
    return StoreUnavailableError(
        f"{path}: the store file is damaged (cut short: smaller than its header says)",
        reason="corrupt",
        hint=RECOVERY,
    )


def on_handle_error(url: str) -> Any:
    """The ``handle_error`` listener for an engine whose (password-free) URL is ``url``."""

    def handler(context: Any) -> None:
        refuse_nul(context.original_exception, context.statement)
        translate(url, context.original_exception, disconnect=bool(context.is_disconnect))

    return handler


_NUL = "cannot contain NUL (0x00) bytes"
_WRITTEN_TABLE = re.compile(r'^\s*(?:INSERT INTO|UPDATE|DELETE FROM)\s+"?(\w+)', re.IGNORECASE)


def refuse_nul(exc: BaseException, statement: str | None) -> None:
    """PostgreSQL refuses a NUL character in text: one line naming the table (raised from the
    statement, so the transaction rolls back and nothing is written), never a driver
    traceback. SQLite stores it; :func:`payforce.store.db.upsert_rows` refuses it on both."""
    if _NUL not in str(exc):
        return
    found = _WRITTEN_TABLE.match(statement or "")
    where = found.group(1) if found else "store"
    raise InputError(
        f"{where}: a text value holds a NUL character (\\x00); nothing was written",
        hint="Remove the NUL bytes from the source file",
    ) from exc
