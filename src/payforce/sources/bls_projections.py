"""BLS Employment Projections occupation tables (``occupation.xlsx`` table 1.x or a CSV of one).

A title row, then a header with ``YYYY National Employment Matrix code``; employment is printed
in thousands and stored in persons.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from payforce.errors import ParseError
from payforce.sources.bls_sheets import (
    _SOC,
    SkippedRow,
    _number,
    _sheet_rows,
    _text,
    sniff_format,
)

__all__ = ["ProjectionFile", "ProjectionRow", "parse_projections"]

_EP_CODE = re.compile(r"^(\d{4}) National Employment Matrix code$", re.IGNORECASE)


@dataclass(frozen=True)
class ProjectionRow:
    """One occupation of the BLS Employment Projections table."""

    soc: str
    """National Employment Matrix code (SOC 2018)."""
    period: str
    """Projection period, e.g. ``2024-2034``."""
    title: str
    """Occupation title."""
    occupation_type: str
    """``Line item`` or ``Summary`` where the table says (empty otherwise)."""
    employment_base: int | None
    """Employment in the base year (persons; the table prints thousands)."""
    employment_target: int | None
    """Projected employment in the target year (persons)."""
    change_pct: float | None
    """Projected percent change."""
    annual_openings: int | None
    """Annual average openings (persons), where the table has them."""
    median_wage: float | None
    """Median annual wage, USD, where the table has it."""
    entry_education: str
    """Typical education needed for entry, where the table has it."""
    source: str
    """File name or URL."""


@dataclass(frozen=True)
class ProjectionFile:
    """A parsed Employment Projections table."""

    period: str
    """Projection period."""
    rows: tuple[ProjectionRow, ...]
    """Occupation rows."""
    skipped: tuple[SkippedRow, ...] = field(default_factory=tuple)
    """Rows kept out, with reasons."""


def _ep_header(rows: list[list[Any]]) -> tuple[int, int]:
    for i, row in enumerate(rows[:30]):
        for cell in row:
            m = _EP_CODE.match(_text(cell))
            if m:
                return i, int(m.group(1))
    return -1, 0


def parse_projections(data: bytes, name: str) -> ProjectionFile:
    """Parse a BLS Employment Projections occupation table (xlsx table 1.x, or its CSV export).

    Employment and openings are printed in thousands; rows hold persons. Notes and footnote rows
    under the table are skipped with a reason.
    """
    fmt = sniff_format(data, name)
    if fmt == "zip":
        raise ParseError(
            "a zip is not an Employment Projections table",
            path=name,
            hint="Pass occupation.xlsx or a CSV export of table 1.2",
        )
    rows = _sheet_rows(data, fmt, name, prefer=("table 1.2",))
    head, base = _ep_header(rows)
    if head < 0:
        raise ParseError(
            "not a BLS Employment Projections table (no 'National Employment Matrix code' header)",
            path=name,
            hint="Use table 1.2 of https://www.bls.gov/emp/ind-occ-matrix/occupation.xlsx",
        )
    header = [_text(h) for h in rows[head]]
    low = [h.lower() for h in header]

    def find(prefix: str) -> int | None:
        return next((i for i, h in enumerate(low) if h.startswith(prefix)), None)

    code_i = next(i for i, h in enumerate(header) if _EP_CODE.match(h))
    title_i = find(f"{base} national employment matrix title")
    emp_cols = [
        (i, int(m.group(1)))
        for i, h in enumerate(low)
        if (m := re.match(r"^employment, (\d{4})$", h))
    ]
    if len(emp_cols) < 2:
        raise ParseError(
            "missing the two 'Employment, YYYY' columns",
            path=name,
            line=head + 1,
            hint="Use table 1.2, 1.3 or 1.4 of the Employment Projections workbook",
        )
    (base_i, base_year), (target_i, target_year) = emp_cols[0], emp_cols[1]
    period = f"{base_year}-{target_year}"
    pct_i = find("employment change, percent")
    open_i = find("occupational openings")
    wage_i = find("median annual wage")
    edu_i = find("typical education needed for entry")
    type_i = find("occupation type")

    def num(row: list[Any], i: int | None, line: int) -> float | None:
        if i is None or i >= len(row):
            return None
        return _number(row[i], path=name, line=line, fld=header[i])[0]

    out: list[ProjectionRow] = []
    skipped: list[SkippedRow] = []
    for line, row in enumerate(rows[head + 1 :], start=head + 2):
        if not any(_text(v) for v in row):
            continue
        soc = _text(row[code_i]) if code_i < len(row) else ""
        if not _SOC.match(soc):
            skipped.append(SkippedRow(line, "not an occupation row", (soc or _text(row[0]))[:60]))
            continue
        base_k, target_k = num(row, base_i, line), num(row, target_i, line)
        openings_k = num(row, open_i, line)
        out.append(
            ProjectionRow(
                soc=soc,
                period=period,
                title=_text(row[title_i]) if title_i is not None else "",
                occupation_type=_text(row[type_i]) if type_i is not None else "",
                employment_base=round(base_k * 1000) if base_k is not None else None,
                employment_target=round(target_k * 1000) if target_k is not None else None,
                change_pct=num(row, pct_i, line),
                annual_openings=round(openings_k * 1000) if openings_k is not None else None,
                median_wage=num(row, wage_i, line),
                entry_education=_text(row[edu_i]) if edu_i is not None and edu_i < len(row) else "",
                source=name,
            )
        )
    return ProjectionFile(period=period, rows=tuple(out), skipped=tuple(skipped))
