"""Parse the GPCI file and the locality/county crosswalk of a CMS RVU release (pure).

See :mod:`payforce.sources.fee_schedule` for the quirks of the real files.
"""

from __future__ import annotations

import re
from pathlib import PurePosixPath

from payforce.errors import ParseError
from payforce.sources.fee_records import (
    GPCIFile,
    GPCIRow,
    LocalityCounty,
    LocalityFile,
    Skip,
    decode_text,
    parse_number,
    read_csv_rows,
)

__all__ = ["parse_gpci", "parse_locality_counties"]

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
    rows = read_csv_rows(decode_text(data), path)
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
        loc = _locality(cells, len(header), (i_work, i_pe, i_mp, i_name, i_loc), i_loc, path, line)
        values = []
        for i in (i_work, i_pe, i_mp):
            value = parse_number(cells[i], path=path, line=line, field=header[i].strip())
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
    rows = read_csv_rows(decode_text(data), path)
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
        loc = _locality(cells, len(header), (i_loc, i_state, i_area, i_counties), i_loc, path, line)
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


def _locality(
    cells: list[str], width: int, needed: tuple[int, ...], i_loc: int, path: str, line: int
) -> str:
    """The row's locality number, after checking the row holds every column read."""
    if len(cells) <= max(needed):
        raise ParseError(
            f"expected {width} fields, found {len(cells)}", path=path, line=line, field="row"
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
    return loc
