"""CMS Physician Fee Schedule relative value files (``RVUyyA.zip`` and its quarterly updates).

One release zip holds the PPRRVU file (RVUs per code and modifier), the GPCI file (geographic
practice cost indices per Medicare locality), the locality/county crosswalk (``yyLOCCO``) and
other files we do not use. This module parses them (pure: bytes in, records out);
:mod:`payforce.sources.rvu_release` opens the zip and downloads it. Quirks handled, all seen in
the real files:

- PPRRVU opens with title and copyright lines, then a header stacked over several rows
  (``NON-FAC`` / ``PE RVU``). We find the row that starts with ``HCPCS,MOD`` and name each column
  by joining the non-empty cells stacked above it, stopping at the preamble. The 2026 file has
  one more column than 2025 (``PRIC IND``), so columns are found by name, never by position.
- Duplicate names on the last header row (``TOTAL`` ×2, ``SURG`` ×4) are told apart by the
  stacked cells above them; trailing spaces in header cells are stripped.
- ``NA`` indicators sit next to PE RVUs that still carry a number; GLOB DAYS is text (``XXX``).
- GPCI and locality files have title rows, blank rows, footnotes; the locality file drops the
  MAC's leading zero (``2102`` for ``02102``) and fills the state only on its first row.

Rows we cannot use are kept as :class:`Skip` records with a reason; a value that is wrong in a
row we would use raises :class:`ParseError` naming the file, line and field. Descriptions in the
PPRRVU file are AMA short descriptors: we never keep them.
"""

from __future__ import annotations

import csv
import io
import math
import re
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date
from pathlib import PurePosixPath

from payforce.errors import ParseError

__all__ = [
    "PAID_STATUSES",
    "STATUS_CODES",
    "GPCIFile",
    "GPCIRow",
    "LocalityCounty",
    "LocalityFile",
    "PPRRVUFile",
    "RVURow",
    "Skip",
    "iter_pprrvu_rows",
    "parse_gpci",
    "parse_locality_counties",
    "parse_pprrvu",
    "parse_pprrvu_file",
    "release_label",
]

RVU_PAGE = "https://www.cms.gov/medicare/payment/fee-schedules/physician/pfs-relative-value-files"
"""CMS page listing every RVU release (the zip names vary; see ``rvu_release.rvu_zip_urls``)."""

STATUS_CODES: dict[str, str] = {
    "A": "active, paid under the PFS",
    "B": "bundled, not paid separately",
    "C": "carrier priced",
    "D": "deleted",
    "E": "excluded by regulation",
    "F": "deleted, no grace period",
    "G": "not valid for Medicare (another code is used)",
    "H": "deleted modifier",
    "I": "not valid for Medicare (another code is used)",
    "J": "anesthesia service",
    "M": "measurement code, no payment",
    "N": "non-covered",
    "P": "bundled or excluded",
    "Q": "therapy functional information code",
    "R": "restricted coverage",
    "T": "paid only if no other service that day",
    "X": "statutory exclusion",
}
"""CMS PFS status codes (PPRRVU column STATUS CODE) and what each means for payment."""

PAID_STATUSES = frozenset({"A", "R", "T"})
"""Statuses for which the RVUs × GPCI × CF arithmetic gives the Medicare payment."""

_CODE_RE = re.compile(r"^(?:\d{4}[0-9A-Z]|[A-Z][0-9A-Z]{3}\d)$")
_MODIFIERS = {"", "26", "TC", "53"}


@dataclass(frozen=True)
class Skip:
    """A row we did not use, kept with the reason (counted in every summary)."""

    path: str
    """File name."""
    line: int
    """1-based line number."""
    reason: str
    """Why the row was not used."""


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
    """Non-facility practice-expense RVU (None only where the cell is empty)."""
    pe_rvu_facility: float | None
    """Facility practice-expense RVU (None only where the cell is empty)."""
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
    not_used_for_medicare: bool = False
    """True where the file marks the row ``+`` (RVUs shown but not used for Medicare payment)."""
    nonfacility_na: bool = False
    """True where the non-facility NA indicator is set (not paid in a non-facility setting)."""
    facility_na: bool = False
    """True where the facility NA indicator is set."""
    pctc_indicator: str = ""
    """Professional/technical component indicator (``0``–``9``)."""
    global_days: str = ""
    """Global surgery period as printed (``000``, ``010``, ``090``, ``XXX``, ``ZZZ`` …)."""
    multiple_procedure: str = ""
    """Multiple-procedure indicator."""
    bilateral: str = ""
    """Bilateral-surgery indicator."""
    assistant: str = ""
    """Assistant-at-surgery indicator."""
    co_surgeon: str = ""
    """Co-surgeon indicator."""
    team: str = ""
    """Team-surgery indicator."""
    pricing_indicator: str = ""
    """``PRIC IND`` column, new in the 2026 files (empty for earlier years)."""
    endo_base: str = ""
    """Endoscopic base code, where there is one."""
    calculation_flag: str = ""
    """Calculation flag as printed (``09``, ``01``: keeps its leading zero)."""
    diagnostic_imaging_family: str = ""
    """Diagnostic imaging family indicator (``99`` none)."""

    @property
    def is_paid(self) -> bool:
        """True when the status means the PFS arithmetic gives Medicare's payment."""
        return self.status in PAID_STATUSES and not self.not_used_for_medicare


@dataclass(frozen=True)
class PPRRVUFile:
    """A parsed PPRRVU file: its rows, the rows skipped, and what its preamble says."""

    path: str
    """File name."""
    year: int | None
    """Fee-schedule year from the title line (``2026 National Physician Fee Schedule …``)."""
    release: str
    """Release word from the title (``January``, ``April``, ``July``, ``October``) or empty."""
    released: date | None
    """Date on the ``RELEASED mm/dd/yyyy`` line."""
    columns: tuple[str, ...]
    """Column names as read from the stacked header."""
    rows: tuple[RVURow, ...]
    """Data rows, in file order."""
    skips: tuple[Skip, ...] = ()
    """Rows not used, with reasons."""

    @property
    def label(self) -> str:
        """CMS release label from the title (``RVU26C`` for a 2026 July file), or empty."""
        return release_label(self.year, self.release)


_QUARTER_LETTER = {"january": "A", "april": "B", "july": "C", "october": "D"}
_LABEL_RE = re.compile(r"RVU(\d{2})([A-D])", re.IGNORECASE)


def release_label(year: int | None, word: str = "", name: str = "") -> str:
    """``RVU26C`` from a year and release word (``July``), else from a file name, else empty."""
    letter = _QUARTER_LETTER.get(word.strip().lower())
    if year is not None and letter:
        return f"RVU{year % 100:02d}{letter}"
    m = _LABEL_RE.search(PurePosixPath(name).name) if name else None
    return f"RVU{m.group(1)}{m.group(2).upper()}" if m else ""


@dataclass(frozen=True)
class GPCIRow:
    """The three geographic practice cost indices of one Medicare locality."""

    mac: str
    """Medicare Administrative Contractor number, 5 digits with leading zeros (``01112``)."""
    state: str
    """Two-letter state."""
    locality: str
    """Locality number, 2 digits (``00``, ``54``)."""
    name: str
    """Locality name without the footnote asterisks."""
    work: float
    """Work GPCI (with any floor already applied, as CMS prints it)."""
    pe: float
    """Practice-expense GPCI."""
    mp: float
    """Malpractice GPCI."""
    line: int
    """1-based line number in the file."""

    @property
    def key(self) -> str:
        """``MAC-LOCALITY``, e.g. ``01112-54``: unique within a year."""
        return f"{self.mac}-{self.locality}"


@dataclass(frozen=True)
class GPCIFile:
    """A parsed GPCI file."""

    path: str
    """File name."""
    year: int | None
    """Year from the header (``2025 PW GPCI``)."""
    rows: tuple[GPCIRow, ...]
    """One row per locality."""
    skips: tuple[Skip, ...] = ()
    """Rows not used (blank lines, footnotes), with reasons."""


@dataclass(frozen=True)
class LocalityCounty:
    """One locality's entry in the county crosswalk."""

    mac: str
    """MAC number, 5 digits (the leading zero the file drops is restored)."""
    locality: str
    """Locality number, 2 digits."""
    state: str
    """State name as printed (carried down from the state's first row)."""
    area: str
    """Fee schedule area name."""
    counties: str
    """Counties included, as printed."""
    line: int
    """1-based line number."""

    @property
    def key(self) -> str:
        """``MAC-LOCALITY``, matching :attr:`GPCIRow.key`."""
        return f"{self.mac}-{self.locality}"


@dataclass(frozen=True)
class LocalityFile:
    """A parsed locality/county crosswalk."""

    path: str
    """File name."""
    year: int | None
    """Year from the file name (``25LOCCO.csv`` → 2025), when it says."""
    rows: tuple[LocalityCounty, ...]
    """Crosswalk rows."""
    skips: tuple[Skip, ...] = ()
    """Rows not used, with reasons."""


# ---------------------------------------------------------------------------------------- PPRRVU

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


def _decode(data: bytes | str) -> str:
    if isinstance(data, str):
        return data
    if data.startswith(b"\xef\xbb\xbf"):
        return data[3:].decode("utf-8", errors="replace")
    return data.decode("latin-1")


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


def _number(
    text: str, *, path: str, line: int, field: str, allow_empty: bool = False
) -> float | None:
    text = text.strip()
    if allow_empty and text == "":
        return None
    try:
        value = float(text)
    except ValueError:
        raise ParseError(
            "not a number",
            path=path,
            line=line,
            field=field,
            value=text,
            hint="Check that this is a CMS PPRRVU file of the expected release",
        ) from None
    if value != value or value in (float("inf"), float("-inf")):
        raise ParseError("not a finite number", path=path, line=line, field=field, value=text)
    return value


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


def _read_csv(text: str, path: str) -> list[list[str]]:
    try:
        return list(csv.reader(io.StringIO(text)))
    except csv.Error as exc:
        raise ParseError(f"not a readable CSV ({exc})", path=path) from None


def parse_pprrvu_file(data: bytes | str, *, path: str = "PPRRVU.csv") -> PPRRVUFile:
    """Parse a whole PPRRVU CSV into a :class:`PPRRVUFile` (rows, skips, year, release date).

    Bytes are decoded as Latin-1, as CMS ships them. Raises :class:`ParseError` naming the line
    and field of the first bad value; rows that are not code rows are kept as skips.
    """
    rows = _read_csv(_decode(data), path)
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
        if not _CODE_RE.match(first):
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


def _rvu_row(row: list[str], cols: dict[str, int], *, path: str, line: int) -> RVURow:
    get = {key: row[i].strip() for key, i in cols.items()}.get

    def cell(key: str) -> str:
        return get(key, "")

    def num(key: str, name: str, allow_empty: bool = False) -> float | None:
        text = get(key, "")
        try:
            value = float(text)
        except ValueError:
            return _number(text, path=path, line=line, field=name, allow_empty=allow_empty)
        if not math.isfinite(value):
            return _number(text, path=path, line=line, field=name)
        return value

    modifier = cell("mod").upper()
    if modifier not in _MODIFIERS:
        raise ParseError(
            "unknown modifier",
            path=path,
            line=line,
            field="MOD",
            value=modifier,
            hint="PPRRVU modifiers are empty, 26, TC or 53",
        )
    status = cell("status").upper()
    if status not in STATUS_CODES:
        raise ParseError(
            "unknown status code",
            path=path,
            line=line,
            field="STATUS CODE",
            value=status,
            hint="Known codes: " + " ".join(sorted(STATUS_CODES)),
        )
    flags = {}
    for key, name in (
        ("not_used", "NOT USED FOR MEDICARE PAYMENT"),
        ("pe_nf_na", "NON-FAC NA"),
        ("pe_f_na", "FACILITY NA"),
    ):
        value = cell(key).upper()
        if value not in {"", "+", "NA"}:
            raise ParseError(
                "unknown indicator",
                path=path,
                line=line,
                field=name,
                value=value,
                hint="Expected '+', 'NA' or empty",
            )
        flags[key] = value != ""
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


# ------------------------------------------------------------------------------------------ GPCI

_GPCI_YEAR_RE = re.compile(r"\b(\d{4})\s+PW\s+GPCI", re.IGNORECASE)


def _find_header(rows: list[list[str]], needle: str, path: str, what: str) -> int:
    for i, r in enumerate(rows):
        if any(needle in c.strip().lower() for c in r):
            return i
    raise ParseError(f"no header row with {needle!r}", path=path, hint=f"Is this the {what}?")


def _header_index(header: list[str], needle: str, path: str, line: int) -> int:
    for i, c in enumerate(header):
        if needle in c.strip().lower():
            return i
    raise ParseError(f"missing column {needle!r} in the header", path=path, line=line)


def parse_gpci(data: bytes | str, *, path: str = "GPCI.csv") -> GPCIFile:
    """Parse a CMS GPCI CSV: one row per locality; title, blank and footnote rows are skips."""
    rows = _read_csv(_decode(data), path)
    at = _find_header(rows, "locality number", path, "GPCI file from the CMS RVU zip")
    header = rows[at]
    line0 = at + 1
    i_mac = _header_index(header, "contractor", path, line0)
    i_state = _header_index(header, "state", path, line0)
    i_loc = _header_index(header, "locality number", path, line0)
    i_name = _header_index(header, "locality name", path, line0)
    i_work = _header_index(header, "pw gpci", path, line0)
    i_pe = _header_index(header, "pe gpci", path, line0)
    i_mp = _header_index(header, "mp gpci", path, line0)
    m = _GPCI_YEAR_RE.search(header[i_work])
    year = int(m.group(1)) if m else None
    out: list[GPCIRow] = []
    skips: list[Skip] = []
    for offset, row in enumerate(rows[at + 1 :]):
        line = at + 2 + offset
        cells = [c.strip() for c in row]
        if not any(cells):
            skips.append(Skip(path, line, "blank line"))
            continue
        mac = cells[i_mac] if i_mac < len(cells) else ""
        if not mac.isdigit():
            skips.append(Skip(path, line, f"footnote or note ({cells[0][:40]!r})"))
            continue
        if len(cells) <= max(i_work, i_pe, i_mp, i_name, i_loc):
            raise ParseError(
                f"expected {len(header)} fields, found {len(cells)}",
                path=path,
                line=line,
                field="row",
            )
        loc = cells[i_loc]
        if not loc.isdigit():
            raise ParseError(
                "locality number is not digits",
                path=path,
                line=line,
                field="Locality Number",
                value=loc,
            )
        values = []
        for i in (i_work, i_pe, i_mp):
            value = _number(cells[i], path=path, line=line, field=header[i].strip())
            assert value is not None
            if value <= 0 or value > 5:
                raise ParseError(
                    "GPCI out of range (0, 5]",
                    path=path,
                    line=line,
                    field=header[i].strip(),
                    value=cells[i],
                )
            values.append(value)
        out.append(
            GPCIRow(
                mac=mac.zfill(5),
                state=cells[i_state].upper(),
                locality=loc.zfill(2),
                name=cells[i_name].rstrip("*").strip(),
                work=values[0],
                pe=values[1],
                mp=values[2],
                line=line,
            )
        )
    if not out:
        raise ParseError("no locality rows", path=path, hint="Is this the GPCI file?")
    return GPCIFile(path=path, year=year, rows=tuple(out), skips=tuple(skips))


# ------------------------------------------------------------------------------------- localities

_LOCCO_NAME_RE = re.compile(r"(\d{2})LOCCO", re.IGNORECASE)


def parse_locality_counties(data: bytes | str, *, path: str = "LOCCO.csv") -> LocalityFile:
    """Parse the locality/county crosswalk (``yyLOCCO.csv``); MACs get their leading zero back."""
    rows = _read_csv(_decode(data), path)
    at = _find_header(rows, "locality number", path, "locality/county file from the RVU zip")
    header = rows[at]
    line0 = at + 1
    i_mac = _header_index(header, "contractor", path, line0)
    i_loc = _header_index(header, "locality number", path, line0)
    i_state = _header_index(header, "state", path, line0)
    i_area = _header_index(header, "area", path, line0)
    i_counties = _header_index(header, "count", path, line0)
    m = _LOCCO_NAME_RE.search(PurePosixPath(path).name)
    year = 2000 + int(m.group(1)) if m else None
    state = ""
    out: list[LocalityCounty] = []
    skips: list[Skip] = []
    for offset, row in enumerate(rows[at + 1 :]):
        line = at + 2 + offset
        cells = [c.strip() for c in row]
        if not any(cells):
            skips.append(Skip(path, line, "blank line"))
            continue
        mac = cells[i_mac] if i_mac < len(cells) else ""
        if not mac.isdigit():
            skips.append(Skip(path, line, f"footnote or note ({cells[0][:40]!r})"))
            continue
        if len(cells) <= max(i_loc, i_state, i_area, i_counties):
            raise ParseError(
                f"expected {len(header)} fields, found {len(cells)}",
                path=path,
                line=line,
                field="row",
            )
        loc = cells[i_loc]
        if not loc.isdigit():
            raise ParseError(
                "locality number is not digits",
                path=path,
                line=line,
                field="Locality Number",
                value=loc,
            )
        state = cells[i_state] or state
        out.append(
            LocalityCounty(
                mac=mac.zfill(5),
                locality=loc.zfill(2),
                state=state,
                area=cells[i_area],
                counties=cells[i_counties],
                line=line,
            )
        )
    if not out:
        raise ParseError("no locality rows", path=path, hint="Is this the locality/county file?")
    return LocalityFile(path=path, year=year, rows=tuple(out), skips=tuple(skips))
