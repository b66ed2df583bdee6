"""Saved Federal Register files: API pages, single documents, JSON arrays or JSON lines.

The records they hold go to the same parser as fetched ones (:mod:`payforce.sources.fr_records`).
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import orjson

from payforce.errors import InputError, ParseError
from payforce.sources.fr_records import _loads, json_line

__all__ = ["iter_file_records"]


def iter_file_records(path: Path) -> Iterator[tuple[dict[str, Any], str]]:
    """Records from a saved file: an API page, a document, a JSON array, or JSON lines.

    Yields ``(record, source)`` with ``source`` naming the file (and line for JSON lines).
    JSON lines are streamed; a file whose first line is not a whole JSON value is read whole.
    """
    name = str(path)
    try:
        fh = path.open("rb")
    except OSError as exc:
        raise InputError(f"{path}: cannot read ({exc.strerror})", hint="Check the path") from None
    with fh:
        first = fh.readline()
        try:
            item = orjson.loads(first)
        except orjson.JSONDecodeError:
            fh.seek(0)
            yield from ((r, name) for r in _records_of(_loads(fh.read(), name), name, None))
            return
        yield from ((r, f"{name} line 1") for r in _records_of(item, name, 1))
        for i, line in enumerate(fh, start=2):
            if not line.strip():
                continue
            item = json_line(line, name, i, "Each line must be one JSON record or API page")
            if type(item) is dict and "document_number" in item:  # the common case: a record
                yield item, f"{name} line {i}"
                continue
            src = f"{name} line {i}"
            yield from ((r, src) for r in _records_of(item, name, i))


def _records_of(data: Any, name: str, line: int | None) -> list[dict[str, Any]]:
    if isinstance(data, list):
        if not all(isinstance(r, dict) for r in data):
            raise ParseError("JSON array holds non-records", path=name, line=line)
        return data
    if isinstance(data, dict):
        if "count" in data and ("results" in data or data.get("count") == 0):
            results = data.get("results", [])
            if not isinstance(results, list):
                raise ParseError("'results' is not a list", path=name, line=line, field="results")
            return [r for r in results if isinstance(r, dict)]
        if "results" in data and isinstance(data["results"], list):
            return list(data["results"])
        return [data]
    raise ParseError("not a record, page or array", path=name, line=line, value=type(data).__name__)
