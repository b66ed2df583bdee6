"""Ranges every imported value must fall in, checked in one place.

The parsers (``sources/*``) call these helpers on each value they read, so a file with a
nonsense value is refused with one line naming the file, line and field, before anything is
written. The ranges are what the source itself allows, with room to spare:

| source | field | allowed |
|---|---|---|
| CMS PPRRVU | work, PE, MP RVUs and totals | finite, 0 to :data:`MAX_RVU` |
| CMS PPRRVU | conversion factor | finite, above 0, up to :data:`MAX_CONVERSION_FACTOR` |
| CMS GPCI | work, PE, MP GPCI | above 0, up to 5 (checked in ``gpci.py``) |
| BLS OEWS / EP | employment, openings, wages | finite, 0 to :data:`MAX_BLS_VALUE` |
| any | a year | :data:`FIRST_YEAR` to :data:`LAST_YEAR` |
| any | text stored in a sized column | at most the column's size, no NUL character |

Files must be text in their documented encoding: :func:`decode_utf8` names the first byte that
is not UTF-8 instead of letting a ``UnicodeDecodeError`` escape.
"""

from __future__ import annotations

import math
from typing import Any

from payforce.errors import ParseError

__all__ = [
    "FIRST_YEAR",
    "FR_DOCUMENT_SIZES",
    "LAST_YEAR",
    "MAX_BLS_VALUE",
    "MAX_CONVERSION_FACTOR",
    "MAX_RVU",
    "check_number",
    "check_text",
    "check_year",
    "decode_utf8",
    "oversized",
]

MAX_RVU = 1000.0
"""Largest RVU accepted (the largest in the 2026 file is under 200)."""
MAX_CONVERSION_FACTOR = 100.0
"""Largest conversion factor accepted (Medicare's has stayed between $15 and $40 since 1992)."""
MAX_BLS_VALUE = 1e9
"""Largest BLS employment, openings or annual wage accepted (U.S. employment is ~1.6e8)."""
FR_DOCUMENT_SIZES = {
    "document_number": 40,
    "type": 40,
    "citation": 60,
    "file_code": 200,
    "rin": 200,
    "docket": 200,
    "correction_of": 40,
}
"""Column sizes a Federal Register record's fields must fit (``documents``, ``fr_documents``;
a test keeps them equal to the schema), so SQLite and PostgreSQL refuse the same records."""
FIRST_YEAR = 1900
LAST_YEAR = 2100
"""Years a source may name."""


def check_number(
    value: float,
    *,
    path: str,
    line: int | None,
    field: str,
    low: float | None = None,
    high: float | None = None,
    above_low: bool = False,
    raw: Any = None,
) -> float:
    """``value`` when finite and within [low, high] (or (low, high] with ``above_low``)."""
    shown = value if raw is None else raw
    if not math.isfinite(value):
        raise ParseError("not a finite number", path=path, line=line, field=field, value=shown)
    if low is not None and (value < low or (above_low and value == low)):
        words = f"must be above {low:g}" if above_low else f"must be {low:g} or more"
        raise ParseError(words, path=path, line=line, field=field, value=shown)
    if high is not None and value > high:
        raise ParseError(
            f"must be {high:g} or less", path=path, line=line, field=field, value=shown
        )
    return value


def check_year(value: int, *, path: str, line: int | None, field: str) -> int:
    """``value`` when it is a year a source can name."""
    if not FIRST_YEAR <= value <= LAST_YEAR:
        raise ParseError(
            f"not a year between {FIRST_YEAR} and {LAST_YEAR}",
            path=path,
            line=line,
            field=field,
            value=value,
        )
    return value


def check_text(value: str, *, path: str, line: int | None, field: str, size: int | None) -> str:
    """``value`` when it fits a column of ``size`` characters and holds no NUL character."""
    if "\x00" in value:
        raise ParseError("NUL character in text", path=path, line=line, field=field)
    if size is not None and len(value) > size:
        raise ParseError(
            f"longer than {size} characters ({len(value)})",
            path=path,
            line=line,
            field=field,
            value=value[:40],
        )
    return value


def oversized(values: dict[str, str], sizes: dict[str, int]) -> str | None:
    """The reason a record is refused when a field is longer than its column, else None."""
    for name, size in sizes.items():
        text = values.get(name, "")
        if len(text) > size:
            return f"{name} longer than {size} characters ({len(text)})"
        if "\x00" in text:
            return f"NUL character in {name}"
    return None


def decode_utf8(data: bytes, *, path: str, what: str = "a UTF-8 text file") -> str:
    """The text of ``data`` (a UTF-8 BOM is dropped); names the line of the first bad byte."""
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        raise ParseError(
            f"not {what} (byte {exc.start} is not UTF-8)",
            path=path,
            line=line,
            hint="Check that this is the unmodified download",
        ) from None
