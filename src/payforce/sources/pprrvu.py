"""Parse the PPRRVU file of a CMS RVU release (pure: bytes in, records out).

See :mod:`payforce.sources.fee_schedule` for the quirks of the real files.
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterator
from datetime import date

from payforce.errors import ParseError
from payforce.sources.fee_records import (
    STATUS_CODES,
    PPRRVUFile,
    RVURow,
    Skip,
    decode_text,
    parse_number,
    read_csv_rows,
)
from payforce.sources.validate import MAX_CONVERSION_FACTOR, MAX_RVU, check_number

__all__ = ["CODE_RE", "check_row", "iter_pprrvu_rows", "parse_pprrvu", "parse_pprrvu_file"]

CODE_RE = re.compile(r"^(?:\d{4}[0-9A-Z]|[A-Z][0-9A-Z]{3}\d)$")
_MODIFIERS = {"", "26", "TC", "53"}


_TITLE_RE = re.compile(r"\b(\d{4}) National Physician Fee Schedule Relative Value File\s*(\w*)")
_RELEASED_RE = re.compile(r"RELEASED\s+(\d{1,2})/(\d{1,2})/(\d{4})")
_HEADER_MAX = 8

# key → (candidate column names, required)
_PPRRVU_COLUMNS: dict[str, tuple[tuple[str, ...], bool]] = {
    "mod": (("MOD",), True),
    "status": (("STATUS CODE",), True),
    "not_used": (("NOT USED FOR MEDICARE PAYMENT",), False),
    "work": (("WORK RVU",), True),
    "pe_nf": (("NON-FAC PE RVU",), True),
    "pe_nf_na": (("NON-FAC NA INDICATOR",), False),
    "pe_f": (("FACILITY PE RVU",), True),
    "pe_f_na": (("FACILITY NA INDICATOR",), False),
    "mp": (("MP RVU",), True),
    "tot_nf": (("NON-FACILITY TOTAL", "NON- FACILITY TOTAL"), True),
    "tot_f": (("FACILITY TOTAL",), True),
    "pctc": (("PCTC IND",), False),
    "glob": (("GLOB DAYS",), False),
    "mult": (("MULT PROC",), False),
    "bilat": (("BILAT SURG",), False),
    "asst": (("ASST SURG",), False),
    "co": (("CO- SURG",), False),
    "team": (("TEAM SURG",), False),
    "pric": (("PRIC IND",), False),
    "endo": (("ENDO BASE",), False),
    "cf": (("CONV FACTOR",), True),
    "calc": (("CALCULATION FLAG",), False),
    "family": (("DIAGNOSTIC IMAGING FAMILY INDICATOR",), False),
}


def _column_names(header_rows: list[list[str]]) -> list[str]:
    width = max(len(r) for r in header_rows)
    names = []
    for i in range(width):
        parts = [r[i].strip() for r in header_rows if i < len(r) and r[i].strip()]
        names.append(" ".join(parts).upper())
    return names


def _header_block(rows: list[list[str]], header_at: int) -> list[list[str]]:
    """The stacked header: rows above ``HCPCS,MOD`` that have text past column 3."""
    start = header_at
    while start > 0 and header_at - start < _HEADER_MAX:
        above = rows[start - 1]
        if not any(cell.strip() for cell in above[3:]):
            break
        start -= 1
    return rows[start : header_at + 1]


def _preamble(rows: list[list[str]], header_at: int) -> tuple[int | None, str, date | None]:
    year: int | None = None
    release = ""
    released: date | None = None
    for row in rows[:header_at]:
        text = " ".join(c.strip() for c in row if c.strip())
        m = _TITLE_RE.search(text)
        if m and year is None:
            year, release = int(m.group(1)), m.group(2).capitalize()
            if release.lower() == "release":
                release = ""
        m = _RELEASED_RE.search(text)
        if m and released is None:
            try:
                released = date(int(m.group(3)), int(m.group(1)), int(m.group(2)))
            except ValueError:
                released = None
    return year, release, released


def parse_pprrvu_file(data: bytes | str, *, path: str = "PPRRVU.csv") -> PPRRVUFile:
    """Parse a whole PPRRVU CSV into a :class:`PPRRVUFile` (rows, skips, year, release date).

    Bytes are decoded as Latin-1, as CMS ships them. Raises :class:`ParseError` naming the line
    and field of the first bad value; rows that are not code rows are kept as skips.
    """
    rows = read_csv_rows(decode_text(data), path)
    header_at = next(
        (i for i, r in enumerate(rows) if len(r) > 1 and r[0].strip().upper() == "HCPCS"), None
    )
    if header_at is None:
        raise ParseError(
            "no header row starting with HCPCS",
            path=path,
            hint="Is this the PPRRVU file from the CMS RVU zip?",
        )
    names = _column_names(_header_block(rows, header_at))
    cols: dict[str, int] = {}
    for key, (candidates, required) in _PPRRVU_COLUMNS.items():
        found = next((names.index(c) for c in candidates if c in names), None)
        if found is None:
            if required:
                raise ParseError(
                    f"missing column {candidates[0]!r} in the header",
                    path=path,
                    line=header_at + 1,
                    hint="Is this the PPRRVU file from the CMS RVU zip?",
                )
            continue
        cols[key] = found
    need = max(cols.values()) + 1
    year, release, released = _preamble(rows, header_at)
    out: list[RVURow] = []
    skips: list[Skip] = []
    seen: dict[tuple[str, str], int] = {}
    for offset, row in enumerate(rows[header_at + 1 :]):
        line = header_at + 2 + offset
        first = row[0].strip() if row else ""
        if not first:
            if any(c.strip() for c in row):
                skips.append(Skip(path, line, "no code in the HCPCS column"))
            else:
                skips.append(Skip(path, line, "blank line"))
            continue
        if not CODE_RE.match(first):
            skips.append(Skip(path, line, f"not a HCPCS code ({first[:20]!r})"))
            continue
        if len(row) < need:
            raise ParseError(
                f"expected {len(names)} fields, found {len(row)}",
                path=path,
                line=line,
                field="row",
                hint="The row is cut short; check the file is complete",
            )
        parsed = _rvu_row(row, cols, path=path, line=line)
        pair = (parsed.code, parsed.modifier)
        if pair in seen:
            raise ParseError(
                f"duplicate code and modifier (first on line {seen[pair]})",
                path=path,
                line=line,
                field="HCPCS",
                value=f"{parsed.code} {parsed.modifier}".strip(),
                hint="A release lists each code and modifier once",
            )
        seen[pair] = line
        out.append(parsed)
    return PPRRVUFile(
        path=path,
        year=year,
        release=release,
        released=released,
        columns=tuple(names),
        rows=tuple(out),
        skips=tuple(skips),
    )


def check_row(cells: dict[str, str], *, path: str, line: int) -> None:
    """Check a row's modifier, status code and indicators (keys ``mod``, ``status``,
    ``not_used``, ``pe_nf_na``, ``pe_f_na``, upper-cased); ParseError names the field."""
    if cells["mod"] not in _MODIFIERS:
        raise ParseError(
            "unknown modifier",
            path=path,
            line=line,
            field="MOD",
            value=cells["mod"],
            hint="PPRRVU modifiers are empty, 26, TC or 53",
        )
    if cells["status"] not in STATUS_CODES:
        raise ParseError(
            "unknown status code",
            path=path,
            line=line,
            field="STATUS CODE",
            value=cells["status"],
            hint="Known codes: " + " ".join(sorted(STATUS_CODES)),
        )
    for key, name in (
        ("not_used", "NOT USED FOR MEDICARE PAYMENT"),
        ("pe_nf_na", "NON-FAC NA"),
        ("pe_f_na", "FACILITY NA"),
    ):
        if cells[key] not in {"", "+", "NA"}:
            raise ParseError(
                "unknown indicator",
                path=path,
                line=line,
                field=name,
                value=cells[key],
                hint="Expected '+', 'NA' or empty",
            )


def _rvu_row(row: list[str], cols: dict[str, int], *, path: str, line: int) -> RVURow:
    get = {key: row[i].strip() for key, i in cols.items()}.get

    def cell(key: str) -> str:
        return get(key, "")

    def num(key: str, name: str, allow_empty: bool = False) -> float | None:
        text = get(key, "")
        try:
            value = float(text)
        except ValueError:
            return parse_number(text, path=path, line=line, field=name, allow_empty=allow_empty)
        if not math.isfinite(value):
            return parse_number(text, path=path, line=line, field=name)
        return _in_range(value, key, name, text)

    def _in_range(value: float, key: str, name: str, text: str) -> float:  # validate.py ranges
        if key == "cf":
            return check_number(
                value, path=path, line=line, field=name, low=0, high=MAX_CONVERSION_FACTOR,
                above_low=True, raw=text,
            )  # fmt: skip
        return check_number(value, path=path, line=line, field=name, low=0, high=MAX_RVU, raw=text)

    cells = {key: cell(key).upper() for key in ("mod", "status", "not_used", "pe_nf_na", "pe_f_na")}
    check_row(cells, path=path, line=line)
    modifier, status = cells["mod"], cells["status"]
    flags = {key: cells[key] != "" for key in ("not_used", "pe_nf_na", "pe_f_na")}
    return RVURow(
        code=row[0].strip(),
        modifier=modifier,
        status=status,
        work_rvu=num("work", "WORK RVU") or 0.0,
        pe_rvu_nonfacility=num("pe_nf", "NON-FAC PE RVU", allow_empty=True),
        pe_rvu_facility=num("pe_f", "FACILITY PE RVU", allow_empty=True),
        mp_rvu=num("mp", "MP RVU") or 0.0,
        total_nonfacility=num("tot_nf", "NON-FACILITY TOTAL") or 0.0,
        total_facility=num("tot_f", "FACILITY TOTAL") or 0.0,
        conversion_factor=num("cf", "CONV FACTOR") or 0.0,
        line=line,
        not_used_for_medicare=flags["not_used"],
        nonfacility_na=flags["pe_nf_na"],
        facility_na=flags["pe_f_na"],
        pctc_indicator=cell("pctc"),
        global_days=cell("glob"),
        multiple_procedure=cell("mult"),
        bilateral=cell("bilat"),
        assistant=cell("asst"),
        co_surgeon=cell("co"),
        team=cell("team"),
        pricing_indicator=cell("pric"),
        endo_base=cell("endo"),
        calculation_flag=cell("calc"),
        diagnostic_imaging_family=cell("family"),
    )


def iter_pprrvu_rows(text: str, *, path: str = "PPRRVU.csv") -> Iterator[RVURow]:
    """Yield the code rows of a PPRRVU CSV given as text (ParseError names line and field)."""
    yield from parse_pprrvu_file(text, path=path).rows


def parse_pprrvu(data: bytes | str, *, path: str = "PPRRVU.csv") -> list[RVURow]:
    """Parse a whole PPRRVU CSV into its code rows (bytes decoded as Latin-1, as CMS ships)."""
    return list(parse_pprrvu_file(data, path=path).rows)
