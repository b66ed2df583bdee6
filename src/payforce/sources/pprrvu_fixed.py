"""Parse the fixed-width PPRRVU ``.txt`` of a CMS RVU release (pure: bytes in, records out).

The record layout is the one CMS documents in the release's ``RVUyyX`` document ("National
Physician Fee Schedule Relative Value File, Calendar Year 2025", RVU25D: data element, location,
COBOL picture). Quirks seen in the real ``PPRRVU2025_Oct.txt``:

- it opens with ``HDR`` lines (the AMA and ADA copyright notices), then one line per code and
  modifier; CRLF, Latin-1, no title, no year and no ``RELEASED`` date (those come from the
  zip's name or the command line);
- lines are 171 characters although the documented record length is 200 (trailing blanks are
  cut); the modifier sits right after the code (``7045026``, ``70450TC``);
- ``NA`` indicators follow the PE RVU they qualify (``2.35NA``), as in the CSV.
"""

from __future__ import annotations

from payforce.errors import ParseError
from payforce.sources.fee_records import PPRRVUFile, RVURow, Skip, decode_text, parse_number
from payforce.sources.pprrvu import CODE_RE, check_row

__all__ = ["PPRRVU_LAYOUT", "is_fixed_width", "parse_pprrvu_fixed"]

PPRRVU_LAYOUT: dict[str, tuple[int, int]] = {
    "HCPCS": (1, 5),
    "MOD": (6, 7),
    "STATUS CODE": (58, 58),
    "NOT USED FOR MEDICARE PAYMENT": (59, 59),
    "WORK RVU": (60, 65),
    "NON-FAC PE RVU": (67, 72),
    "NON-FAC NA INDICATOR": (73, 74),
    "FACILITY PE RVU": (76, 81),
    "FACILITY NA INDICATOR": (82, 83),
    "MP RVU": (85, 89),
    "NON-FACILITY TOTAL": (91, 96),
    "FACILITY TOTAL": (97, 102),
    "PCTC IND": (103, 103),
    "GLOB DAYS": (104, 106),
    "MULT PROC": (116, 116),
    "BILAT SURG": (117, 117),
    "ASST SURG": (118, 118),
    "CO- SURG": (119, 119),
    "TEAM SURG": (120, 120),
    "ENDO BASE": (128, 132),
    "CONV FACTOR": (133, 140),
    "CALCULATION FLAG": (144, 144),
    "DIAGNOSTIC IMAGING FAMILY INDICATOR": (146, 147),
}
"""Field → (first, last) character, 1-based and inclusive, as the RVU25D record layout gives
them, plus the ``+`` of "not used for Medicare payment" at 59, where the layout shows a gap
but the real file prints it (the same rows as the CSV's column). The description (8–57) is an
AMA descriptor and is never read."""

_MIN_LENGTH = PPRRVU_LAYOUT["CONV FACTOR"][1]


def is_fixed_width(data: bytes | str) -> bool:
    """True when the text opens like the fixed-width PPRRVU file (``HDR`` copyright lines)."""
    head = decode_text(data[:400]).lstrip("\ufeff")
    return head.startswith("HDR ")


def _cell(line: str, field: str) -> str:
    first, last = PPRRVU_LAYOUT[field]
    return line[first - 1 : last].strip()


def parse_pprrvu_fixed(data: bytes | str, *, path: str = "PPRRVU.txt") -> PPRRVUFile:
    """Parse a fixed-width PPRRVU file into a :class:`PPRRVUFile` (no year or date: the file
    has none). Raises :class:`ParseError` naming the line and field of the first bad value."""
    text = decode_text(data)
    out: list[RVURow] = []
    skips: list[Skip] = []
    seen: dict[tuple[str, str], int] = {}
    records = 0
    lines = text.split("\n")  # not splitlines(): it also breaks at \x85, \x0c… inside a record
    if lines and lines[-1] == "":
        lines.pop()
    for n, raw in enumerate(lines, start=1):
        line = raw.rstrip("\r\n")
        if line.startswith("HDR"):
            skips.append(Skip(path, n, "header (copyright notice)"))
            continue
        if not line.strip():
            skips.append(Skip(path, n, "blank line"))
            continue
        records += 1
        if len(line) < _MIN_LENGTH:
            raise ParseError(
                f"record is {len(line)} characters, expected at least {_MIN_LENGTH}",
                path=path,
                line=n,
                field="record",
                hint="The line is cut short; check the file is the complete PPRRVU .txt",
            )
        row = _row(line, path=path, n=n)
        pair = (row.code, row.modifier)
        if pair in seen:
            raise ParseError(
                f"duplicate code and modifier (first on line {seen[pair]})",
                path=path,
                line=n,
                field="HCPCS",
                value=f"{row.code} {row.modifier}".strip(),
                hint="A release lists each code and modifier once",
            )
        seen[pair] = n
        out.append(row)
    if not records:
        raise ParseError(
            "no code records after the HDR lines",
            path=path,
            hint="Is this the PPRRVU .txt from the CMS RVU zip?",
        )
    return PPRRVUFile(
        path=path,
        year=None,
        release="",
        released=None,
        columns=tuple(PPRRVU_LAYOUT),
        rows=tuple(out),
        skips=tuple(skips),
    )


def _row(line: str, *, path: str, n: int) -> RVURow:
    def num(field: str, allow_empty: bool = False) -> float | None:
        return parse_number(
            _cell(line, field), path=path, line=n, field=field, allow_empty=allow_empty
        )

    cells = {
        "code": _cell(line, "HCPCS"),
        "mod": _cell(line, "MOD").upper(),
        "status": _cell(line, "STATUS CODE").upper(),
        "not_used": _cell(line, "NOT USED FOR MEDICARE PAYMENT"),
        "pe_nf_na": _cell(line, "NON-FAC NA INDICATOR").upper(),
        "pe_f_na": _cell(line, "FACILITY NA INDICATOR").upper(),
    }
    if not CODE_RE.match(cells["code"]):
        raise ParseError(
            "not a HCPCS code",
            path=path,
            line=n,
            field="HCPCS",
            value=cells["code"],
            hint="Is this the PPRRVU .txt from the CMS RVU zip?",
        )
    check_row(cells, path=path, line=n)
    return RVURow(
        code=cells["code"],
        modifier=cells["mod"],
        status=cells["status"],
        work_rvu=num("WORK RVU") or 0.0,
        pe_rvu_nonfacility=num("NON-FAC PE RVU", allow_empty=True),
        pe_rvu_facility=num("FACILITY PE RVU", allow_empty=True),
        mp_rvu=num("MP RVU") or 0.0,
        total_nonfacility=num("NON-FACILITY TOTAL") or 0.0,
        total_facility=num("FACILITY TOTAL") or 0.0,
        conversion_factor=num("CONV FACTOR") or 0.0,
        line=n,
        not_used_for_medicare=cells["not_used"] == "+",
        nonfacility_na=cells["pe_nf_na"] == "NA",
        facility_na=cells["pe_f_na"] == "NA",
        pctc_indicator=_cell(line, "PCTC IND"),
        global_days=_cell(line, "GLOB DAYS"),
        multiple_procedure=_cell(line, "MULT PROC"),
        bilateral=_cell(line, "BILAT SURG"),
        assistant=_cell(line, "ASST SURG"),
        co_surgeon=_cell(line, "CO- SURG"),
        team=_cell(line, "TEAM SURG"),
        endo_base=_cell(line, "ENDO BASE"),
        calculation_flag=_cell(line, "CALCULATION FLAG"),
        diagnostic_imaging_family=_cell(line, "DIAGNOSTIC IMAGING FAMILY INDICATOR"),
    )
