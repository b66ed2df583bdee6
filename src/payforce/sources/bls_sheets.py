"""Reading BLS workbooks and CSV exports: container sniffing, sheet rows, numeric cells.

Shared by the OEWS parser (:mod:`payforce.sources.bls`) and the Employment Projections parser
(:mod:`payforce.sources.bls_projections`). Footnote markers in numeric cells are kept as text
next to the missing number, never turned into zero (see :data:`MARKERS`).
"""

from __future__ import annotations

import csv
import io
import math
import re
import zipfile
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, Literal

from payforce.errors import ParseError

__all__ = ["MARKERS", "Format", "SkippedRow", "sniff_format"]

MARKERS = {
    "*": "not published",
    "**": "employment not published",
    "#": "at or above the top-code",
    "~": "less than 0.5 percent",
    "—": "not available (Employment Projections tables)",
    "N/A": "not available (Employment Projections exports)",
}
"""OEWS footnote markers found in numeric cells, and what they mean."""

_SOC = re.compile(r"^\d{2}-\d{4}$")
_YEAR_IN_NAME = re.compile(r"(?:national_M|oesm)(\d{2,4})", re.IGNORECASE)

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
    return _sheet(data, fmt, name, prefer)[0]


def _sheet(
    data: bytes, fmt: Format, name: str, prefer: Sequence[str]
) -> tuple[list[list[Any]], str]:
    """(rows, sheet name) of the preferred sheet; the name is empty for CSV text."""
    if fmt == "xls":
        import xlrd

        try:
            book = xlrd.open_workbook(file_contents=data)
            names = book.sheet_names()
            pick = next((n for p in prefer for n in names if n.lower().startswith(p)), names[0])
            sheet = book.sheet_by_name(pick)
            return [sheet.row_values(i) for i in range(sheet.nrows)], pick
        except Exception as exc:  # noqa: BLE001 - xlrd fails in many ways on a damaged file (fuzz)
            raise ParseError(
                f"not a readable .xls workbook ({exc.__class__.__name__})",
                path=name,
                hint="The file may be cut short or not an Excel workbook; download it again",
            ) from exc
    if fmt == "xlsx":
        import openpyxl

        try:
            wb = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
        except (zipfile.BadZipFile, KeyError, OSError, ValueError) as exc:
            raise ParseError(f"not a readable .xlsx workbook ({exc})", path=name) from exc
        try:
            names = wb.sheetnames
            pick = next((n for p in prefer for n in names if n.lower().startswith(p)), names[0])
            return [list(r) for r in wb[pick].iter_rows(values_only=True)], pick
        finally:
            wb.close()
    if b"\x00" in data[:4096]:
        raise ParseError(
            "a binary file, not a BLS workbook or CSV",
            path=name,
            hint="Pass national_M<year>_dl.xlsx/.xls, its CSV export, or an Employment "
            "Projections file",
        )
    text = data.decode("utf-8-sig", errors="replace")
    try:
        return [list(r) for r in csv.reader(io.StringIO(text))], ""
    except csv.Error as exc:
        raise ParseError(f"not a readable CSV file ({exc})", path=name) from None


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


def _number(
    value: Any, *, path: str, line: int, fld: str, low: float = 0.0
) -> tuple[float | None, str]:
    """A numeric cell → (number, marker). Markers and blanks give (None, marker)."""
    if value is None:
        return None, ""
    if isinstance(value, bool):
        return None, str(value).upper()
    if isinstance(value, int | float):
        if not math.isfinite(value):
            raise ParseError("not a number", path=path, line=line, field=fld, value=str(value))
        return _bls_range(float(value), path, line, fld, value, low), ""
    text = str(value).strip()
    if text in MARKERS or text == "":
        return None, text
    cleaned = text.replace(",", "").replace("$", "").lstrip("≥>= ")
    try:
        number = float(cleaned)
        if not math.isfinite(number):
            raise ValueError(cleaned)
        return _bls_range(number, path, line, fld, text, low), ""
    except ValueError:
        raise ParseError(
            "not a number",
            path=path,
            line=line,
            field=fld,
            value=text,
            hint="Known markers are *, **, # and ~; check this is an unmodified BLS file",
        ) from None


def _bls_range(value: float, path: str, line: int, fld: str, raw: Any, low: float) -> float:
    """Employment, openings and wages: finite, 0 to ``MAX_BLS_VALUE`` (``sources/validate.py``)."""
    from payforce.sources.validate import MAX_BLS_VALUE, check_number

    return check_number(
        value, path=path, line=line, field=fld, low=low, high=MAX_BLS_VALUE, raw=raw
    )


def _year_from_name(name: str) -> int | None:
    m = _YEAR_IN_NAME.search(name)
    if not m:
        return None
    y = int(m.group(1))
    return y + 2000 if y < 100 else y
