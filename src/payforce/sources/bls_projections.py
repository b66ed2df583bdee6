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

_EP_MATRIX = re.compile(
    r"^(\d{4}) National Employment Matrix (?:code|title and code)$", re.IGNORECASE
)


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
            m = _EP_MATRIX.match(_text(cell))
            if m:
                return i, int(m.group(1))
    return -1, 0


def _combined_header(rows: list[list[Any]], head: int, first_data: int) -> list[str]:
    """One lower-case name per column from a header of one or more rows (merged cells filled).

    The official workbook of 2014-24 and 2016-26 spreads its header over four rows
    (``Employment`` / ``Number`` / ``2014``); a merged cell is read as empty, so each header row
    is filled rightwards within the span of its parent cell above.
    """
    width = max(len(r) for r in rows[head:first_data])
    levels: list[list[str]] = []
    spans = [0] * width  # which merged parent span each column sits in
    for r in rows[head:first_data]:
        texts = [_text(r[i]) if i < len(r) else "" for i in range(width)]
        filled = list(texts)
        new_spans = list(spans)
        for i in range(1, width):
            if not texts[i] and spans[i] == spans[i - 1]:
                filled[i] = filled[i - 1]
                new_spans[i] = new_spans[i - 1]
            else:
                new_spans[i] = new_spans[i - 1] + 1
        spans = new_spans
        levels.append(filled)
    return [" | ".join(lv[i] for lv in levels if lv[i]).lower() for i in range(width)]


def _first_data_row(rows: list[list[Any]], head: int) -> int:
    for i in range(head + 1, min(len(rows), head + 8)):
        if any(_SOC.match(_text(c)) for c in rows[i][:3]):
            return i
    return head + 1


def parse_projections(data: bytes, name: str) -> ProjectionFile:
    """Parse a BLS Employment Projections occupation table (xlsx table 1.x, or its CSV export).

    Two families of layout are read:

    - the official ``occupation.xlsx`` table 1.2 (header ``YYYY National Employment Matrix
      code``, on one row from 2019-29, on four rows in the 2014-24 and 2016-26 workbooks);
    - the data.bls.gov "Occupational projections" export ``Employment Projections.csv``
      (see :func:`parse_projection_export`).

    Employment and openings are printed in thousands; rows hold persons. Notes and footnote rows
    under the table are skipped with a reason.
    """
    fmt = sniff_format(data, name)
    if fmt in ("zip", "xls"):
        raise ParseError(
            f"a {fmt} file is not an Employment Projections table",
            path=name,
            hint="Pass occupation.xlsx or the data.bls.gov 'Employment Projections.csv' export",
        )
    rows = _sheet_rows(data, fmt, name, prefer=("table 1.2",))
    head, base = _ep_header(rows)
    if head < 0:
        if rows and _export_columns([_text(h).lower() for h in rows[0]]) is not None:
            return _parse_export(rows, name)
        raise ParseError(
            "not a BLS Employment Projections table (no 'National Employment Matrix code' header)",
            path=name,
            hint="Use table 1.2 of https://www.bls.gov/emp/ind-occ-matrix/occupation.xlsx",
        )
    first = _first_data_row(rows, head)
    if first >= len(rows):  # a header and nothing under it (found by tests/fuzz)
        raise ParseError("no occupation rows", path=name, hint="Check this is table 1.2")
    low = _combined_header(rows, head, first)
    header = [h or f"column {i + 1}" for i, h in enumerate(low)]

    def find(*words: str, without: tuple[str, ...] = ()) -> int | None:
        return next(
            (
                i
                for i, h in enumerate(low)
                if all(w in h for w in words) and not any(w in h for w in without)
            ),
            None,
        )

    code_i = next(
        (i for i in range(min(3, len(rows[first]))) if _SOC.match(_text(rows[first][i]))), 1
    )
    title_i = 0 if code_i != 0 else None
    years = sorted(
        {
            int(y)
            for h in low
            if "employment" in h and not any(w in h for w in ("distribution", "change", "matrix"))
            for y in re.findall(r"\b(\d{4})\b", h)
        }
    )
    years = [y for y in years if y >= base]
    if len(years) < 2:
        raise ParseError(
            "missing the two 'Employment, YYYY' columns",
            path=name,
            line=head + 1,
            hint="Use table 1.2, 1.3 or 1.4 of the Employment Projections workbook",
        )
    base_year, target_year = years[0], years[-1]
    no_share: tuple[str, ...] = ("distribution", "change", "percent")
    no_share = (*no_share, "matrix")
    base_i = find("employment", str(base_year), without=no_share)
    target_i = find("employment", str(target_year), without=no_share)
    period = f"{base_year}-{target_year}"
    pct_i = find("change", "percent", without=("distribution",))
    open_i = find("openings", "annual")
    wage_i = find("median annual wage")
    edu_i = find("typical education needed for entry")
    type_i = find("occupation type")
    cols = _Columns(
        code=code_i,
        title=title_i,
        base=base_i,
        target=target_i,
        pct=pct_i,
        openings=open_i,
        wage=wage_i,
        education=edu_i,
        kind=type_i,
    )
    return _rows_to_file(rows[first:], first + 1, header, cols, period, name)


@dataclass(frozen=True)
class _Columns:
    code: int
    title: int | None
    base: int | None
    target: int | None
    pct: int | None
    openings: int | None
    wage: int | None
    education: int | None
    kind: int | None


def _clean_code(value: Any) -> str:
    """``="29-1141"`` (the export's Excel-text trick) and ``29-1141`` both give ``29-1141``."""
    return _text(value).lstrip("=").strip('"').strip()


def _clean_title(value: Any) -> str:
    """The export appends OOH example job titles after runs of spaces or tabs; keep the title."""
    text = _text(value)
    return re.split(r"\s{3,}|\t|\s+\*\s|Show/hide", text, maxsplit=1)[0].strip()


def _rows_to_file(
    rows: list[list[Any]],
    first_line: int,
    header: list[str],
    cols: _Columns,
    period: str,
    name: str,
) -> ProjectionFile:
    def num(row: list[Any], i: int | None, line: int, low: float = 0.0) -> float | None:
        if i is None or i >= len(row):
            return None
        return _number(row[i], path=name, line=line, fld=header[i], low=low)[0]

    def text(row: list[Any], i: int | None) -> str:
        return _text(row[i]) if i is not None and i < len(row) else ""

    out: list[ProjectionRow] = []
    skipped: list[SkippedRow] = []
    for line, row in enumerate(rows, start=first_line):
        if not any(_text(v) for v in row):
            continue
        soc = _clean_code(row[cols.code]) if cols.code < len(row) else ""
        if not _SOC.match(soc):
            skipped.append(SkippedRow(line, "not an occupation row", (soc or _text(row[0]))[:60]))
            continue
        base_k, target_k = num(row, cols.base, line), num(row, cols.target, line)
        openings_k = num(row, cols.openings, line)
        for value, i in ((base_k, cols.base), (target_k, cols.target)):
            if value is not None and value < 0 and i is not None:
                raise ParseError(
                    "negative employment",
                    path=name,
                    line=line,
                    field=header[i],
                    value=_text(row[i]),
                )
        out.append(
            ProjectionRow(
                soc=soc,
                period=period,
                title=_clean_title(row[cols.title]) if cols.title is not None else "",
                occupation_type=text(row, cols.kind),
                employment_base=round(base_k * 1000) if base_k is not None else None,
                employment_target=round(target_k * 1000) if target_k is not None else None,
                change_pct=num(row, cols.pct, line, low=-100.0),
                annual_openings=round(openings_k * 1000) if openings_k is not None else None,
                median_wage=num(row, cols.wage, line),
                entry_education=text(row, cols.education),
                source=name,
            )
        )
    if not out:
        raise ParseError("no occupation rows", path=name, hint="Check this is table 1.2")
    return ProjectionFile(period=period, rows=tuple(out), skipped=tuple(skipped))


_EXPORT_YEAR = re.compile(r"^(?:employment )?(\d{4})(?: \(thousands\)| empl)?$")


def _export_columns(low: list[str]) -> tuple[int, int, int, int] | None:
    """(code column, base column, base year, target year) of an export header, else None."""
    code_i = next(
        (i for i, h in enumerate(low) if h in ("soc code", "occupation code", "occ_code")), None
    )
    years = [(i, int(m.group(1))) for i, h in enumerate(low) if (m := _EXPORT_YEAR.match(h))]
    if code_i is None or len(years) < 2:
        return None
    return code_i, years[0][0], years[0][1], years[1][1]


def _parse_export(rows: list[list[Any]], name: str) -> ProjectionFile:
    """The data.bls.gov export (and re-saves of it): one header row, detailed occupations only.

    Quirks kept: codes written ``="29-1141"``; numbers with thousands separators (``"1,275.4"``,
    ``"3,391.00"`` in an Excel re-save); OOH example titles appended to the title after tabs or
    spaces; ``N/A`` wages. The 2012-22 export names its employment columns ``2012``/``2022`` and
    prints openings as a 10-year total (kept out: only annual averages are stored).
    """
    low = [_text(h).lower() for h in rows[0]]
    found = _export_columns(low)
    assert found is not None
    code_i, _base_col, base_year, target_year = found
    header = [_text(h) or f"column {i + 1}" for i, h in enumerate(rows[0])]

    def find(*words: str) -> int | None:
        return next((i for i, h in enumerate(low) if all(w in h for w in words)), None)

    year_cols = {int(m.group(1)): i for i, h in enumerate(low) if (m := _EXPORT_YEAR.match(h))}
    pct_i = find("percent") if find("percent") is not None else find("% incr")
    cols = _Columns(
        code=code_i,
        title=0 if code_i != 0 else None,
        base=year_cols[base_year],
        target=year_cols[target_year],
        pct=pct_i,
        openings=find("openings", "annual"),
        wage=find("median") if find("median") is not None else None,
        education=find("education") if find("education code") != find("education") else None,
        kind=find("occ_type"),
    )
    return _rows_to_file(rows[1:], 2, header, cols, f"{base_year}-{target_year}", name)
