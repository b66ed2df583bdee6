"""Property tests: any malformed row is a clear error (file, line, field) or a kept skip.

Never a traceback, never a half-loaded year.
"""

from __future__ import annotations

import csv
import io
import tempfile
from pathlib import Path

from fs_helpers import PPRRVU_2025, asset, fee_bytes, rvu25_zip
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from payforce.errors import ParseError, PayforceError
from payforce.sources.fee_schedule import parse_gpci, parse_pprrvu_file
from payforce.sources.hcpcs import parse_hcpcs
from payforce.store import fee_tables
from payforce.store.db import Store

PPRRVU_LINES = fee_bytes(PPRRVU_2025).decode("latin-1").split("\r\n")[:-1]
FIRST_DATA = 11  # 1-based line of the first code row
GPCI_LINES = fee_bytes("GPCI2025.csv").decode("latin-1").split("\r\n")
HCPCS_LINES = (
    asset("hcpcs", "HCPC2019_CONTR_ANWEB_sample.txt").read_bytes().decode("latin-1").split("\r\n")
)

CELL = st.one_of(
    st.sampled_from(["", "NA", "+", "N/A", "1e400", "nan", "-0.5", "0.00", "XX", "26", "ZZZ"]),
    st.text(alphabet=st.characters(blacklist_characters="\r\n", codec="latin-1"), max_size=12),
)
SETTINGS = settings(
    max_examples=60,
    deadline=None,
    database=None,
    derandomize=True,
    suppress_health_check=[HealthCheck.too_slow],
)


def _replace_cell(lines: list[str], index: int, column: int, value: str) -> str:
    row = next(csv.reader([lines[index]]))
    row[column % len(row)] = value
    buf = io.StringIO()
    csv.writer(buf, lineterminator="").writerow(row)
    out = list(lines)
    out[index] = buf.getvalue()
    return "\r\n".join(out) + "\r\n"


@SETTINGS
@example(index=88, column=1, value="26")  # global 70450 becomes a second 70450-26
@given(
    index=st.integers(FIRST_DATA - 1, len(PPRRVU_LINES) - 1),
    column=st.integers(0, 30),
    value=CELL,
)
def test_pprrvu_bad_cell_is_an_error_naming_line_and_field_or_a_skip(index, column, value):
    text = _replace_cell(PPRRVU_LINES, index, column, value)
    line = index + 1
    try:
        parsed = parse_pprrvu_file(text, path="PPRRVU2025.csv")
    except ParseError as exc:
        assert exc.path == "PPRRVU2025.csv"
        assert exc.field
        # a duplicate is reported on its second occurrence, which may follow the mutated row
        assert exc.line == line or f"(first on line {line})" in exc.message
        assert exc.message.startswith(f"PPRRVU2025.csv line {exc.line}, field {exc.field}: ")
        return
    codes = {r.line for r in parsed.rows}
    skipped = {s.line: s.reason for s in parsed.skips}
    assert (line in codes) != (line in skipped)
    assert len(parsed.rows) + len(parsed.skips) == len(PPRRVU_LINES) - 10


@SETTINGS
@given(
    index=st.integers(FIRST_DATA - 1, len(PPRRVU_LINES)),
    junk=st.text(
        alphabet=st.characters(blacklist_characters='\r\n"', codec="latin-1"), max_size=60
    ),
)
def test_pprrvu_inserted_line_is_a_skip_or_an_error(index, junk):
    lines = [*PPRRVU_LINES[:index], junk, *PPRRVU_LINES[index:]]
    try:
        parsed = parse_pprrvu_file("\r\n".join(lines) + "\r\n", path="p.csv")
    except ParseError as exc:
        assert exc.line == index + 1 and exc.field
        return
    assert index + 1 in {s.line for s in parsed.skips} | {r.line for r in parsed.rows}


@SETTINGS
@given(index=st.integers(3, 111), column=st.integers(0, 6), value=CELL)
def test_gpci_bad_cell_is_an_error_or_a_skip(index, column, value):
    text = _replace_cell(GPCI_LINES[:-1], index, column, value)
    try:
        parsed = parse_gpci(text, path="GPCI2025.csv")
    except ParseError as exc:
        assert exc.path == "GPCI2025.csv" and exc.line == index + 1 and exc.field
        return
    assert index + 1 in {r.line for r in parsed.rows} | {s.line for s in parsed.skips}


@SETTINGS
@given(
    index=st.integers(8, len(HCPCS_LINES) - 2),
    position=st.integers(0, 319),
    char=st.characters(blacklist_characters="\r\n", codec="latin-1"),
)
def test_hcpcs_corrupt_character_is_an_error_or_a_skip(index, position, char):
    lines = list(HCPCS_LINES)
    line = lines[index].ljust(320)
    lines[index] = line[:position] + char + line[position + 1 :]
    try:
        parsed = parse_hcpcs("\r\n".join(lines), path="h.txt")
    except ParseError as exc:
        assert exc.path == "h.txt" and exc.line is not None and exc.field
        return
    seen = {r.line for r in parsed.records} | {s.line for s in parsed.skips}
    assert index + 1 in seen or any(r.line < index + 1 for r in parsed.records)


_STORE_DIR = tempfile.TemporaryDirectory()
_STORE: list[Store] = []


def _store() -> Store:
    if not _STORE:
        store = Store.open(f"sqlite:///{Path(_STORE_DIR.name) / 'p.db'}")
        fee_tables.sync_fee_schedule(store, 2025, data=rvu25_zip(), source="rvu25d.zip")
        _STORE.append(store)
    return _STORE[0]


@settings(
    max_examples=25, deadline=None, database=None, suppress_health_check=[HealthCheck.too_slow]
)
@given(
    index=st.integers(FIRST_DATA - 1, len(PPRRVU_LINES) - 1),
    column=st.integers(0, 30),
    value=CELL,
)
def test_a_bad_file_never_half_loads_a_year(index, column, value):
    store = _store()
    before = fee_tables.list_rvus(store, 2025)
    text = _replace_cell(PPRRVU_LINES, index, column, value)
    try:
        summary, _ = fee_tables.sync_fee_schedule(
            store, 2025, data=text.encode("latin-1"), source="PPRRVU2025.csv"
        )
    except PayforceError:
        assert fee_tables.list_rvus(store, 2025) == before
        return
    after = fee_tables.list_rvus(store, 2025)
    assert len(after) == summary.rvu_rows
    # put the good year back for the next example
    fee_tables.sync_fee_schedule(store, 2025, data=rvu25_zip(), source="rvu25d.zip")


TXT_LINES = fee_bytes("PPRRVU2025_Oct_sample.txt").decode("latin-1").split("\r\n")[:-1]


@SETTINGS
@example(index=7, start=58, value="x.xx")  # WORK RVU
@example(index=7, start=0, value="~~~~~")  # HCPCS
@given(
    index=st.integers(7, len(TXT_LINES) - 1),
    start=st.integers(0, 170),
    value=st.text(alphabet=st.characters(blacklist_characters="\r\n", codec="latin-1"), max_size=8),
)
def test_pprrvu_fixed_bad_characters_are_an_error_naming_line_and_field(index, start, value):
    from payforce.sources.pprrvu_fixed import parse_pprrvu_fixed

    lines = list(TXT_LINES)
    old = lines[index]
    lines[index] = old[:start] + value + old[start + len(value) :]
    line = index + 1
    try:
        parsed = parse_pprrvu_fixed("\r\n".join(lines) + "\r\n", path="PPRRVU2025.txt")
    except ParseError as exc:
        assert exc.path == "PPRRVU2025.txt" and exc.field
        assert exc.line == line or f"(first on line {line})" in exc.message
        assert exc.message.startswith(f"PPRRVU2025.txt line {exc.line}, field {exc.field}: ")
        assert "\n" not in exc.message
        return
    assert len(parsed.rows) + len(parsed.skips) == len(TXT_LINES)
