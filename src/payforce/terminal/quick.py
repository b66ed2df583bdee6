"""The fast read path: ``outlook``, ``role`` and ``signals`` answered from a cached computation.

A full run imports SQLAlchemy, pydantic, Typer and loads every piece of evidence; the answer it
computes is a plain JSON document. That document is saved under a key made of

- the request (command, its arguments, the resolved ``--as-of`` date) and today's date;
- the data fingerprint: the SQLite file's size and modification time (and its WAL file's), which
  every write (``init``, any ``sync``, a restore) changes;
- the code fingerprint: size and modification time of every file in the installed package, so
  any change to the code, the curated knowledge or the bundled data is a different key.

A later identical request, with nothing changed, reads the document and prints it with the same
renderer (:mod:`payforce.terminal.answers`), importing nothing but the standard library.
Anything unusual (another command, ``--help``, a bad date, PostgreSQL, no store yet, no cached
answer) returns ``False`` and the full CLI runs. ``init`` and ``sync`` also empty the cache.
"""

from __future__ import annotations

import hashlib
import json
import os
import sys
from collections.abc import Mapping, Sequence
from datetime import date
from pathlib import Path
from typing import Any

from payforce.errors import PayforceError
from payforce.filestat import sqlite_fingerprint

__all__ = ["CACHE_DIR_NAME", "cache_key", "clear", "parse_request", "run", "save"]

CACHE_DIR_NAME = "answer-cache"
"""Folder under PAYFORCE_HOME holding cached answers."""

_PACKAGE = Path(__file__).resolve().parent.parent
_KEEP = 64  # answers kept per cache folder (oldest removed first)

_OPTIONS: dict[str, dict[str, str]] = {
    "outlook": {"--as-of": "as_of", "--role": "role", "--db": "db"},
    "role": {"--as-of": "as_of", "--db": "db"},
    "signals": {
        "--as-of": "as_of",
        "--role": "role",
        "--db": "db",
        "--question": "question",
        "--since": "since",
    },
}
_POSITIONAL = {"role": "text"}


def parse_request(argv: Sequence[str]) -> dict[str, Any] | None:
    """The normalised request for a cacheable command line, or None (let the full CLI run)."""
    if not argv or argv[0] not in _OPTIONS:
        return None
    command, options = argv[0], _OPTIONS[argv[0]]
    request: dict[str, Any] = {"command": command, "json": False}
    args = list(argv[1:])
    while args:
        token = args.pop(0)
        if token == "--json":
            request["json"] = True
            continue
        name, eq, value = token.partition("=")
        if name in options:
            if not eq:
                if not args:
                    return None
                value = args.pop(0)
            if options[name] in request:
                return None
            request[options[name]] = value
            continue
        if token.startswith("-") or command not in _POSITIONAL or _POSITIONAL[command] in request:
            return None
        request[_POSITIONAL[command]] = token
    if command in _POSITIONAL and _POSITIONAL[command] not in request:
        return None
    try:
        for key in ("as_of", "since"):
            if key in request:
                request[key] = date.fromisoformat(request[key]).isoformat()
        if "question" in request:
            q = int(request["question"])
            if not 1 <= q <= 5:
                return None
            request["question"] = q
    except ValueError:
        return None
    return request


def _database_file(db: str | None, env: Mapping[str, str]) -> Path | None:
    from payforce.config import Settings

    settings = Settings.from_env(env)
    url = settings.with_database(db).database_url if db else settings.database_url
    if not url.startswith("sqlite:///"):
        return None
    return Path(url.removeprefix("sqlite:///"))


data_fingerprint = sqlite_fingerprint
"""Size and mtime of the SQLite file and of its write-ahead log (a write changes one)."""


def code_fingerprint(package: Path = _PACKAGE) -> str:
    """A digest of every file's name, size and mtime in the payforce package."""
    h = hashlib.sha256()
    for root, dirs, files in os.walk(package):
        dirs[:] = sorted(d for d in dirs if d != "__pycache__")
        for name in sorted(files):
            if name.endswith((".pyc", ".pyo")):
                continue
            st = os.stat(os.path.join(root, name))
            h.update(f"{root}/{name}:{st.st_size}:{st.st_mtime_ns}\n".encode())
    return h.hexdigest()


def cache_key(request: Mapping[str, Any], database: Path, today: date) -> str:
    """The cache key of a request: request, today, data fingerprint and code fingerprint."""
    material = {
        "request": {k: v for k, v in sorted(request.items()) if k != "json"},
        "database": str(database.resolve()),
        "data": data_fingerprint(database),
        "code": code_fingerprint(),
        "today": today.isoformat(),
    }
    return hashlib.sha256(json.dumps(material, sort_keys=True).encode()).hexdigest()


def _cache_dir(database: Path) -> Path:
    return database.parent / CACHE_DIR_NAME


def save(request: Mapping[str, Any], database: Path, data: Any, today: date) -> None:
    """Store a computed answer (JSON-ready) for the request; never fails the command."""
    folder = _cache_dir(database)
    try:
        folder.mkdir(parents=True, exist_ok=True)
        path = folder / f"{cache_key(request, database, today)}.json"
        tmp = path.with_suffix(f".{os.getpid()}.tmp")
        tmp.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
        os.replace(tmp, path)
        answers = sorted(folder.glob("*.json"), key=lambda p: p.stat().st_mtime_ns)
        for old in answers[:-_KEEP]:
            old.unlink(missing_ok=True)
    except OSError:
        return


def clear(database: Path) -> None:
    """Forget every cached answer of this database (after init, sync or restore)."""
    folder = _cache_dir(database)
    for path in folder.glob("*.json") if folder.is_dir() else ():
        path.unlink(missing_ok=True)


def lookup(request: Mapping[str, Any], database: Path, today: date) -> Any | None:
    """The cached answer for the request, or None."""
    if not database.is_file():
        return None
    path = _cache_dir(database) / f"{cache_key(request, database, today)}.json"
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None


def run(argv: Sequence[str], env: Mapping[str, str] | None = None) -> bool:
    """Answer the command line from the cache; True when it printed the answer."""
    env = os.environ if env is None else env
    request = parse_request(argv)
    if request is None:
        return False
    try:
        database = _database_file(request.get("db"), env)
    except PayforceError:  # a settings error: the full CLI reports it properly
        return False
    if database is None:
        return False
    data = lookup(request, database, date.today())
    if data is None:
        return False
    if request["json"]:
        sys.stdout.write(json.dumps(data, indent=2, ensure_ascii=False) + "\n")
        return True
    from payforce.terminal.answers import print_answer

    print_answer(request["command"], data)
    return True
