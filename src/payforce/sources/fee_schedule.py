"""CMS Physician Fee Schedule relative value files (PPRRVU): parse only, no network here.

The PPRRVU CSV opens with title and copyright lines, then a header spread over several rows
(e.g. ``NON-FAC`` / ``PE RVU`` stacked in one column). We find the row that starts with
``HCPCS,MOD`` and name each column by joining the non-empty header cells stacked above it, so
the 2026 file's extra column (one more than 2025) is found by name, not by position.
Descriptions in the file are AMA short descriptors: we never store them.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator
from dataclasses import dataclass

from payforce.errors import ParseError

__all__ = ["RVURow", "iter_pprrvu_rows", "parse_pprrvu"]

_HEADER_DEPTH = 6


@dataclass(frozen=True)
class RVURow:
    """One PPRRVU row (a code and modifier) with the values payforce uses."""

    code: str
    """HCPCS/CPT code."""
    modifier: str
    """Modifier (``26``, ``TC``, ``53`` or empty for the global service)."""
    status: str
    """CMS status code (``A`` active, ``I`` not valid for Medicare, ``B`` bundled, …)."""
    work_rvu: float
    """Work RVU."""
    pe_rvu_nonfacility: float | None
    """Non-facility practice-expense RVU (None where the file says NA)."""
    pe_rvu_facility: float | None
    """Facility practice-expense RVU (None where NA)."""
    mp_rvu: float
    """Malpractice RVU."""
    total_nonfacility: float
    """Non-facility total RVU."""
    total_facility: float
    """Facility total RVU."""
    conversion_factor: float
    """Conversion factor printed on the row."""
    line: int
    """1-based line number in the file."""


def _column_names(header_rows: list[list[str]]) -> list[str]:
    width = max(len(r) for r in header_rows)
    names = []
    for i in range(width):
        parts = [r[i].strip() for r in header_rows if i < len(r) and r[i].strip()]
        names.append(" ".join(parts).upper())
    return names


def _find(names: list[str], *candidates: str) -> int:
    for cand in candidates:
        if cand in names:
            return names.index(cand)
    raise KeyError(candidates[0])


def _number(text: str, *, path: str, line: int, field: str, allow_na: bool = False) -> float | None:
    text = text.strip()
    if allow_na and text.upper() in {"NA", ""}:
        return None
    try:
        return float(text)
    except ValueError:
        raise ParseError(
            "not a number", path=path, line=line, field=field, value=text,
            hint="Check that this is a CMS PPRRVU file of the expected release",
        ) from None


def iter_pprrvu_rows(text: str, *, path: str = "PPRRVU.csv") -> Iterator[RVURow]:
    """Yield rows of a PPRRVU CSV given as text. Raises ParseError naming line and field."""
    rows = list(csv.reader(io.StringIO(text)))
    header_at = next(
        (i for i, r in enumerate(rows) if len(r) > 1 and r[0].strip().upper() == "HCPCS"), None
    )
    if header_at is None:
        raise ParseError(
            "no header row starting with HCPCS", path=path,
            hint="Is this the PPRRVU file from the CMS RVU zip?",
        )
    names = _column_names(rows[max(0, header_at - _HEADER_DEPTH + 1) : header_at + 1])
    try:
        cols = {
            "mod": _find(names, "MOD"),
            "status": _find(names, "STATUS CODE"),
            "work": _find(names, "WORK RVU"),
            "pe_nf": _find(names, "NON-FAC PE RVU"),
            "pe_f": _find(names, "FACILITY PE RVU"),
            "mp": _find(names, "MP RVU"),
            "tot_nf": _find(names, "NON-FACILITY TOTAL", "NON- FACILITY TOTAL"),
            "tot_f": _find(names, "FACILITY TOTAL"),
            "cf": _find(names, "CONV FACTOR"),
        }
    except KeyError as exc:
        raise ParseError(
            f"missing column {exc.args[0]!r} in the header", path=path, line=header_at + 1,
        ) from None
    width = len(names)
    for offset, row in enumerate(rows[header_at + 1 :]):
        line = header_at + 2 + offset
        if not row or not row[0].strip():
            continue
        if len(row) < cols["cf"] + 1:
            raise ParseError(
                f"expected {width} fields, found {len(row)}", path=path, line=line, field="row",
            )

        def num(key: str, field: str, allow_na: bool = False, _row: list[str] = row,
                _line: int = line) -> float | None:
            return _number(_row[cols[key]], path=path, line=_line, field=field, allow_na=allow_na)

        yield RVURow(
            code=row[0].strip(),
            modifier=row[cols["mod"]].strip(),
            status=row[cols["status"]].strip(),
            work_rvu=num("work", "WORK RVU") or 0.0,
            pe_rvu_nonfacility=num("pe_nf", "NON-FAC PE RVU", allow_na=True),
            pe_rvu_facility=num("pe_f", "FACILITY PE RVU", allow_na=True),
            mp_rvu=num("mp", "MP RVU") or 0.0,
            total_nonfacility=num("tot_nf", "NON-FACILITY TOTAL") or 0.0,
            total_facility=num("tot_f", "FACILITY TOTAL") or 0.0,
            conversion_factor=num("cf", "CONV FACTOR") or 0.0,
            line=line,
        )


def parse_pprrvu(data: bytes | str, *, path: str = "PPRRVU.csv") -> list[RVURow]:
    """Parse a whole PPRRVU CSV (bytes are decoded as Latin-1, as CMS ships them)."""
    text = data.decode("latin-1") if isinstance(data, bytes) else data
    return list(iter_pprrvu_rows(text, path=path))
