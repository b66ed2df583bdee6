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

import csv
import io
import re
import zipfile
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any, Literal

import httpx

from payforce.errors import FetchError, ParseError

__all__ = [
    "EP_URL",
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

MARKERS = {
    "*": "not published",
    "**": "employment not published",
    "#": "at or above the top-code",
    "~": "less than 0.5 percent",
    "—": "not available (Employment Projections tables)",
}
"""OEWS footnote markers found in numeric cells, and what they mean."""

_SOC = re.compile(r"^\d{2}-\d{4}$")
_YEAR_IN_NAME = re.compile(r"(?:national_M|oesm)(\d{2,4})", re.IGNORECASE)
_EP_CODE = re.compile(r"^(\d{4}) National Employment Matrix code$", re.IGNORECASE)

Format = Literal["xls", "xlsx", "zip", "csv"]


@dataclass(frozen=True)
class SkippedRow:
    """A row that could not be used, kept with its reason (counted in the sync summary)."""

    line: int
    """1-based row number in the sheet or file."""
    reason: str
    """Why it was skipped."""
    value: str = ""
    """The code or text that made us skip it."""


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


# --------------------------------------------------------------------------- reading sheets


def sniff_format(data: bytes, name: str = "<bytes>") -> Format:
    """Which container ``data`` is: legacy xls (OLE2), xlsx, a zip holding one, or CSV text."""
    if data[:8] == b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1":
        return "xls"
    if data[:2] == b"PK":
        try:
            with zipfile.ZipFile(io.BytesIO(data)) as zf:
                names = zf.namelist()
        except zipfile.BadZipFile:
            raise ParseError(
                "a zip or xlsx that cannot be opened",
                path=name,
                value=f"{len(data)} bytes",
                hint="The download may be truncated; fetch it again",
            ) from None
        return "xlsx" if "[Content_Types].xml" in names else "zip"
    return "csv"


def _unzip_member(data: bytes, name: str) -> tuple[bytes, str]:
    """The OEWS workbook inside a BLS download zip (``oesm23nat/national_M2023_dl.xlsx``)."""
    with zipfile.ZipFile(io.BytesIO(data)) as zf:
        members = [
            n
            for n in zf.namelist()
            if re.search(r"national_M\d{4}_dl\.(xlsx|xls|csv)$", n, re.IGNORECASE)
        ] or [n for n in zf.namelist() if n.lower().endswith((".xlsx", ".xls"))]
        if not members:
            raise ParseError(
                "no OEWS workbook in the zip",
                path=name,
                value=", ".join(zf.namelist()[:5]),
                hint="Expected national_M<year>_dl.xlsx inside oesm<yy>nat.zip",
            )
        return zf.read(members[0]), members[0].rsplit("/", 1)[-1]


def _sheet_rows(data: bytes, fmt: Format, name: str, prefer: Sequence[str]) -> list[list[Any]]:
    """All rows of the preferred sheet (first whose name starts with one of ``prefer``)."""
    if fmt == "xls":
        import xlrd

        try:
            book = xlrd.open_workbook(file_contents=data)
        except xlrd.XLRDError as exc:
            raise ParseError(f"not a readable .xls workbook ({exc})", path=name) from exc
        names = book.sheet_names()
        pick = next((n for p in prefer for n in names if n.lower().startswith(p)), names[0])
        sheet = book.sheet_by_name(pick)
        return [sheet.row_values(i) for i in range(sheet.nrows)]
    if fmt == "xlsx":
        import openpyxl

        try:
            wb = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
        except (zipfile.BadZipFile, KeyError, OSError) as exc:
            raise ParseError(f"not a readable .xlsx workbook ({exc})", path=name) from exc
        try:
            names = wb.sheetnames
            pick = next((n for p in prefer for n in names if n.lower().startswith(p)), names[0])
            return [list(r) for r in wb[pick].iter_rows(values_only=True)]
        finally:
            wb.close()
    text = data.decode("utf-8-sig", errors="replace")
    return [list(r) for r in csv.reader(io.StringIO(text))]


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


def _number(value: Any, *, path: str, line: int, fld: str) -> tuple[float | None, str]:
    """A numeric cell → (number, marker). Markers and blanks give (None, marker)."""
    if value is None:
        return None, ""
    if isinstance(value, bool):
        return None, str(value).upper()
    if isinstance(value, int | float):
        return float(value), ""
    text = str(value).strip()
    if text in MARKERS or text == "":
        return None, text
    cleaned = text.replace(",", "").replace("$", "").lstrip("≥>= ")
    try:
        return float(cleaned), ""
    except ValueError:
        raise ParseError(
            "not a number",
            path=path,
            line=line,
            field=fld,
            value=text,
            hint="Known markers are *, **, # and ~; check this is an unmodified BLS file",
        ) from None


def _year_from_name(name: str) -> int | None:
    m = _YEAR_IN_NAME.search(name)
    if not m:
        return None
    y = int(m.group(1))
    return y + 2000 if y < 100 else y


# --------------------------------------------------------------------------- OEWS


def parse_oews(data: bytes, name: str, year: int | None = None) -> OEWSFile:
    """Parse an OEWS national file (xls, xlsx, CSV export or the BLS zip) into rows.

    ``name`` is the file name or URL (used for the year and in messages); ``year`` overrides the
    year read from the name. Rows with a SOC code that is not ``NN-NNNN`` are skipped with a reason.
    """
    fmt = sniff_format(data, name)
    if fmt == "zip":
        data, inner = _unzip_member(data, name)
        year = year or _year_from_name(inner)
        fmt = sniff_format(data, name)
    year = year or _year_from_name(name)
    if year is None:
        raise ParseError(
            "cannot tell the survey year from the file name",
            path=name,
            hint="Pass --year, or keep the BLS name national_M<year>_dl",
        )
    rows = _sheet_rows(data, fmt, name, prefer=("national",))
    return _oews_from_rows(rows, name, year)


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


# --------------------------------------------------------------------------- Projections


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


def parse_bls_file(data: bytes, name: str, year: int | None = None) -> OEWSFile | ProjectionFile:
    """Parse either BLS file, telling them apart by their header (OCC_CODE vs Matrix code)."""
    fmt = sniff_format(data, name)
    if fmt in ("zip", "xls"):
        return parse_oews(data, name, year)
    rows = _sheet_rows(data, fmt, name, prefer=("national", "table 1.2"))
    if rows and "OCC_CODE" in [_text(h).upper() for h in rows[0]]:
        y = year or _year_from_name(name)
        if y is None:
            raise ParseError(
                "cannot tell the survey year from the file name",
                path=name,
                hint="Pass --year, or keep the BLS name national_M<year>_dl",
            )
        return _oews_from_rows(rows, name, y)
    return parse_projections(data, name)


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
