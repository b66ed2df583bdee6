"""BLS labour-market files: the OEWS national file and the Employment Projections table.

Formats read (the format is sniffed once, in :func:`sniff_format`):

- OEWS ``national_M{year}_dl``: legacy ``.xls`` (May 2011-2013, read with xlrd), ``.xlsx``
  (2014 on, openpyxl), an Excel CSV export (BOM, thousands separators), or the BLS zip
  ``oesm{yy}nat.zip`` that holds the workbook. Three header layouts occur: 2011 names the group
  column ``GROUP``, 2012-2015 ``OCC_GROUP`` (20 columns), 2019 on ``O_GROUP`` with AREA/NAICS
  columns (31 columns in 2020, 32 from 2021). Columns are found by header name.
- Footnote markers in numeric cells: ``*`` (wage not published), ``**`` (employment not
  published), ``#`` (wage at or above the top-code), ``~`` (less than 0.5 percent); the
  Employment Projections tables print ``—`` for not available. A marker is
  kept as text next to the missing number, never turned into zero.
- Employment Projections ``occupation.xlsx`` table 1.2 (and the other table-1.x layouts, or a CSV
  export of one): a title row, then a header with ``YYYY National Employment Matrix code``;
  employment is in thousands.

Network: only :func:`fetch_oews` and :func:`fetch_projections`, through the client given.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import httpx

from payforce.errors import FetchError, InputError, ParseError
from payforce.sources.bls_projections import (
    ProjectionFile,
    ProjectionRow,
    _export_columns,
    parse_projections,
)
from payforce.sources.bls_sheets import (
    _SOC,
    MARKERS,
    SkippedRow,
    _number,
    _sheet,
    _text,
    _unzip_member,
    _year_from_name,
    sniff_format,
)

__all__ = [
    "EP_URL",
    "MARKERS",
    "OEWSFile",
    "OEWSRow",
    "OEWS_URL",
    "ProjectionFile",
    "ProjectionRow",
    "SkippedRow",
    "fetch_oews",
    "fetch_projections",
    "oews_url",
    "parse_bls_file",
    "parse_oews",
    "parse_projections",
    "sniff_format",
]

OEWS_URL = "https://www.bls.gov/oes/special-requests/oesm{yy}nat.zip"
"""The OEWS national cross-industry download, per survey year (May reference period)."""
EP_URL = "https://www.bls.gov/emp/ind-occ-matrix/occupation.xlsx"
"""The Employment Projections occupation workbook (table 1.2 is the full occupation list)."""


MAX_EMPLOYMENT = 1_000_000_000
"""No OEWS cell is anywhere near this; a larger number is a damaged or edited file."""
MAX_WAGE = 10_000_000.0
"""Annual wages above this are not BLS figures (the top-code is about $239,200)."""


@dataclass(frozen=True)
class OEWSRow:
    """One occupation of the OEWS national file."""

    soc: str
    """SOC code as printed (SOC 2010 up to 2018, SOC 2018 from 2021; hybrids in 2011, 2019-20)."""
    year: int
    """Survey year (May reference period)."""
    title: str
    """Occupation title as printed."""
    occ_group: str
    """Hierarchy level: total / major / minor / broad / detailed (empty in 2011 detail rows)."""
    employment: int | None
    """National employment; None when the file prints a marker."""
    employment_text: str
    """The marker printed instead of employment (``**``), else empty."""
    median_wage: float | None
    """Median annual wage, USD (2 decimals); None when a marker stands in."""
    mean_wage: float | None
    """Mean annual wage, USD."""
    wage_note: str
    """The marker printed instead of the median wage (``#`` or ``*``), else empty."""
    source: str
    """File name or URL the row came from."""


@dataclass(frozen=True)
class OEWSFile:
    """A parsed OEWS national file."""

    year: int
    """Survey year."""
    rows: tuple[OEWSRow, ...]
    """Occupation rows, in file order."""
    skipped: tuple[SkippedRow, ...] = field(default_factory=tuple)
    """Rows kept out, with reasons."""


# --------------------------------------------------------------------------- OEWS


def parse_oews(data: bytes, name: str, year: int | None = None) -> OEWSFile:
    """Parse an OEWS national file (xls, xlsx, CSV export or the BLS zip) into rows.

    ``name`` is the file name or URL. The survey year is read from the file itself where it says
    (the sheet ``national_M2023_dl`` from May 2019 on, the workbook name inside the BLS zip),
    else from the name (``national_M<year>_dl``), else ``year``. A ``year`` that disagrees with
    what the file says is refused (:class:`~payforce.errors.InputError`), never used to relabel
    the file. Rows with a SOC code that is not ``NN-NNNN`` are skipped with a reason.
    """
    fmt = sniff_format(data, name)
    inner_year = None
    if fmt == "zip":
        data, inner = _unzip_member(data, name)
        inner_year = _year_from_name(inner)
        fmt = sniff_format(data, name)
    rows, sheet = _sheet(data, fmt, name, prefer=("national",))
    return _oews_from_rows(rows, name, oews_year(name, year, inner_year or _year_from_name(sheet)))


def oews_year(name: str, claimed: int | None, content_year: int | None = None) -> int:
    """The survey year of a file: what its content says, else its name, checked against --year."""
    found = content_year or _year_from_name(name)
    if claimed is not None and found is not None and claimed != found:
        raise InputError(
            f"{name}: the file is OEWS May {found}, not --year {claimed}",
            hint=f"Use --year {found}, or leave --year out",
        )
    year = found or claimed
    if year is None:
        raise ParseError(
            "cannot tell the survey year from the file",
            path=name,
            hint="Pass --year, or keep the BLS name national_M<year>_dl",
        )
    return year


def _oews_from_rows(rows: list[list[Any]], name: str, year: int) -> OEWSFile:
    if not rows:
        raise ParseError("empty file", path=name, hint="Check the download")
    header = [_text(h).upper() for h in rows[0]]
    col = {h: i for i, h in enumerate(header) if h}
    missing = [h for h in ("OCC_CODE", "OCC_TITLE", "TOT_EMP") if h not in col]
    if missing:
        raise ParseError(
            "not a BLS OEWS national file (missing column " + ", ".join(missing) + ")",
            path=name,
            line=1,
            value=", ".join(header[:6]),
            hint="Expected a header with OCC_CODE, OCC_TITLE and TOT_EMP",
        )
    group_col = next((col[g] for g in ("O_GROUP", "OCC_GROUP", "GROUP") if g in col), None)
    industry_col = col.get("I_GROUP")

    def cell(row: list[Any], key: str) -> Any:
        i = col.get(key)
        return row[i] if i is not None and i < len(row) else None

    out: list[OEWSRow] = []
    skipped: list[SkippedRow] = []
    seen: set[str] = set()
    for line, row in enumerate(rows[1:], start=2):
        if not any(_text(v) for v in row):
            continue
        soc = _text(cell(row, "OCC_CODE"))
        if not _SOC.match(soc):
            skipped.append(SkippedRow(line, "not a SOC code", soc or _text(row[0])))
            continue
        if industry_col is not None:
            industry = _text(row[industry_col]) if industry_col < len(row) else ""
            if industry and industry != "cross-industry":
                skipped.append(SkippedRow(line, f"industry-specific row ({industry})", soc))
                continue
        if soc in seen:
            # BLS prints some aggregate codes twice, as broad and as detailed, same numbers.
            skipped.append(SkippedRow(line, "code repeated at another hierarchy level", soc))
            continue
        seen.add(soc)
        emp, emp_mark = _number(cell(row, "TOT_EMP"), path=name, line=line, fld="TOT_EMP")
        median, med_mark = _number(cell(row, "A_MEDIAN"), path=name, line=line, fld="A_MEDIAN")
        mean, _ = _number(cell(row, "A_MEAN"), path=name, line=line, fld="A_MEAN")
        for value, fld, cap in (
            (emp, "TOT_EMP", MAX_EMPLOYMENT),
            (median, "A_MEDIAN", MAX_WAGE),
            (mean, "A_MEAN", MAX_WAGE),
        ):
            if value is not None and not 0 <= value <= cap:
                raise ParseError(
                    "negative" if value < 0 else f"implausibly large (over {cap:,})",
                    path=name,
                    line=line,
                    field=fld,
                    value=_text(cell(row, fld)),
                    hint="Check this is an unmodified BLS file",
                )
        group = _text(row[group_col]) if group_col is not None and group_col < len(row) else ""
        out.append(
            OEWSRow(
                soc=soc,
                year=year,
                title=_text(cell(row, "OCC_TITLE")),
                occ_group=group or ("detailed" if group_col is not None else ""),
                employment=int(round(emp)) if emp is not None else None,
                employment_text=emp_mark,
                median_wage=round(median, 2) if median is not None else None,
                mean_wage=round(mean, 2) if mean is not None else None,
                wage_note=med_mark,
                source=name,
            )
        )
    if not out:
        raise ParseError("no occupation rows", path=name, hint="Check this is the national file")
    return OEWSFile(year=year, rows=tuple(out), skipped=tuple(skipped))


# --------------------------------------------------------------------------- either file


def parse_bls_file(data: bytes, name: str, year: int | None = None) -> OEWSFile | ProjectionFile:
    """Parse either BLS file, telling them apart by their header (OCC_CODE vs Matrix code).

    ``year`` (``--year``) must agree with the file: the OEWS survey year, or the base year of
    an Employment Projections vintage.
    """
    fmt = sniff_format(data, name)
    if fmt in ("zip", "xls"):
        return parse_oews(data, name, year)
    rows, sheet = _sheet(data, fmt, name, prefer=("national", "table 1.2"))
    if (
        rows
        and "OCC_CODE" in [_text(h).upper() for h in rows[0]]
        and _export_columns([_text(h).lower() for h in rows[0]]) is None
    ):
        return _oews_from_rows(rows, name, oews_year(name, year, _year_from_name(sheet)))
    projections = parse_projections(data, name)
    base = int(projections.period.split("-")[0])
    if year is not None and year != base:
        raise InputError(
            f"{name}: the file is Employment Projections {projections.period}, not --year {year}",
            hint="Leave --year out for a projections file (its period is read from the file)",
        )
    return projections


# --------------------------------------------------------------------------- fetching


def oews_url(year: int) -> str:
    """The BLS download URL of the OEWS national file for ``year``."""
    return OEWS_URL.format(yy=f"{year % 100:02d}")


def _get(client: httpx.Client, url: str) -> bytes:
    try:
        response = client.get(url)
    except httpx.TimeoutException as exc:
        raise FetchError(
            "timed out", url=url, hint="Retry later or raise PAYFORCE_HTTP_TIMEOUT"
        ) from exc
    except httpx.HTTPError as exc:
        raise FetchError(
            f"request failed ({exc.__class__.__name__})",
            url=url,
            hint="Check the network, or pass --from-file",
        ) from exc
    if response.status_code != 200:
        hint = (
            "BLS refuses clients without a contact User-Agent; download the file in a browser "
            "and pass --from-file"
            if response.status_code == 403
            else "Check the year, or pass --from-file"
        )
        raise FetchError("unexpected response", url=url, status=response.status_code, hint=hint)
    return response.content


def fetch_oews(client: httpx.Client, year: int) -> tuple[bytes, str]:
    """Download the OEWS national zip for ``year``; returns (bytes, url)."""
    url = oews_url(year)
    return _get(client, url), url


def fetch_projections(client: httpx.Client, url: str = EP_URL) -> tuple[bytes, str]:
    """Download the Employment Projections occupation workbook; returns (bytes, url)."""
    return _get(client, url), url
