"""Records of the CMS PFS relative value files (PPRRVU rows, GPCIs, localities) and CSV helpers.

The parsers live in :mod:`payforce.sources.pprrvu` and :mod:`payforce.sources.gpci`;
:mod:`payforce.sources.fee_schedule` is the one import for callers.
"""

from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass
from datetime import date
from pathlib import PurePosixPath

from payforce.errors import ParseError

__all__ = [
    "PAID_STATUSES",
    "RVU_PAGE",
    "STATUS_CODES",
    "GPCIFile",
    "GPCIRow",
    "LocalityCounty",
    "LocalityFile",
    "PPRRVUFile",
    "RVURow",
    "Skip",
    "decode_text",
    "parse_number",
    "read_csv_rows",
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
_PPRRVU_NAME_RE = re.compile(r"PPRRVU(\d{2}|\d{4})_?(Jan|Apr|Jul|Oct)", re.IGNORECASE)
_MONTH_WORD = {"jan": "january", "apr": "april", "jul": "july", "oct": "october"}


def release_label(year: int | None, word: str = "", name: str = "") -> str:
    """``RVU26C`` from a year and release word (``July``), else from a file name (``rvu26c.zip``,
    ``PPRRVU2025_Oct.txt``), else empty."""
    letter = _QUARTER_LETTER.get(word.strip().lower())
    if year is not None and letter:
        return f"RVU{year % 100:02d}{letter}"
    base = PurePosixPath(name).name if name else ""
    m = _LABEL_RE.search(base)
    if m:
        return f"RVU{m.group(1)}{m.group(2).upper()}"
    m = _PPRRVU_NAME_RE.search(base)
    if m:
        yy = int(m.group(1)) % 100
        return f"RVU{yy:02d}{_QUARTER_LETTER[_MONTH_WORD[m.group(2).lower()]]}"
    return ""


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


# ------------------------------------------------------------------------------- CSV helpers


def decode_text(data: bytes | str) -> str:
    if isinstance(data, str):
        return data
    if data.startswith(b"\xef\xbb\xbf"):
        return data[3:].decode("utf-8", errors="replace")
    return data.decode("latin-1")


def parse_number(
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


def read_csv_rows(text: str, path: str) -> list[list[str]]:
    try:
        return list(csv.reader(io.StringIO(text)))
    except csv.Error as exc:
        raise ParseError(f"not a readable CSV ({exc})", path=path) from None
