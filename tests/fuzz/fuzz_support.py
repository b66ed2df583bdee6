"""Fuzz suite helpers: fixed-seed hypothesis settings, hostile values, file mutations, real
excerpts to mutate, and the count of generated inputs (printed at the end of the run, per
backend: keys ``sqlite …`` and ``postgres …`` are end-to-end inputs, the others parser inputs).

"Nothing written on rejection" is checked by the write counter of :mod:`fuzz_store`."""

from __future__ import annotations

import json
import os
import time
from collections import Counter
from pathlib import Path
from typing import Any

from hypothesis import HealthCheck, settings
from hypothesis import strategies as st

COUNTS: Counter[str] = Counter()
"""Inputs generated per test (summed in the terminal summary)."""
OUTCOMES: Counter[str] = Counter()
"""End-to-end outcomes per backend: ``sqlite exit 1``, ``postgres HTTP 404`` … (summary)."""
BACKENDS_SHOWN = {"sqlite": "SQLite", "postgres": "PostgreSQL"}
"""Key prefixes of end-to-end inputs and how the summary names them."""
STARTED = [time.monotonic()]


def scaled(n: int) -> int:
    """``n`` examples, times ``PAYFORCE_FUZZ_SCALE`` (default 1; e.g. 0.05 while developing)."""
    return max(1, round(n * float(os.environ.get("PAYFORCE_FUZZ_SCALE", "1"))))


FUZZ = settings(
    derandomize=True,  # the same inputs on every run: a failure is reproducible
    deadline=None,
    database=None,
    suppress_health_check=list(HealthCheck),
    print_blob=True,
)

HOSTILE = [
    "",
    "-1",
    "-5.00",
    "0",
    "0.0",
    "1e308",
    "1e309",
    "-1e308",
    "nan",
    "NaN",
    "inf",
    "-inf",
    "9" * 40,
    "\x00",
    "<script>alert(1)</script>",
    "é" * 300,
    "x" * 5000,
    "'; DROP TABLE documents;--",
    "٣",
    "１０",
    "1_000",
    "0x10",
    "null",
    "[]",
    "{}",
    '"',
    ",",
    "\n",
    "\t",
    "../../etc/passwd",
    "%s%n",
    "\u202e",
    "2024-13-45",
    "0000-00-00",
    "9999-12-31",
]
hostile_text = st.one_of(st.sampled_from(HOSTILE), st.text(max_size=40))

FIX = Path(__file__).parent.parent / "fixtures"


def head(path: Path, lines: int) -> bytes:
    """The first ``lines`` lines of a fixture file (small inputs keep examples cheap)."""
    return b"\n".join(path.read_bytes().split(b"\n")[:lines])


PPRRVU = head(FIX / "fee_schedule" / "PPRRVU2026_Jul_nonQPP_excerpt.csv", 40)
GPCI = head(FIX / "fee_schedule" / "GPCI2025.csv", 30)
LOCCO = head(FIX / "fee_schedule" / "25LOCCO.csv", 30)
HCPCS = head(FIX / "hcpcs" / "HCPC2019_CONTR_ANWEB_sample.txt", 40)
BLS = head(FIX / "bls" / "national_M2023_dl_healthcare_sample.csv", 40)
EP = head(FIX / "bls" / "ep_table_1_4_most_new_jobs_2024_34.csv", 30)
ONET = head(FIX / "onet" / "Occupation Data_healthcare.txt", 30)
MSSP = head(FIX / "mssp" / "PY 2024 ACO Results PUF.csv", 6)
FR = (FIX / "federal_register" / "search_newest_page1.json").read_bytes()
REGS = head(FIX / "federal_register" / "regulations_gov_cms_hhs_excerpt.jsonl", 4)


@st.composite
def mutated(draw: Any, base: bytes, sep: bytes = b",") -> bytes:
    """A real file with one hostile change: a field replaced, cut short, bytes inserted or
    flipped, a line repeated, or nothing but random bytes."""
    kind = draw(st.sampled_from(["field", "field", "field", "cut", "insert", "flip", "dup", "raw"]))
    if kind == "raw":
        return bytes(draw(st.binary(max_size=2048)))
    if kind == "cut":
        return base[: draw(st.integers(0, len(base)))]
    if kind == "insert":
        at = draw(st.integers(0, len(base)))
        return base[:at] + bytes(draw(st.binary(min_size=1, max_size=64))) + base[at:]
    if kind == "flip":
        data = bytearray(base)
        for _ in range(draw(st.integers(1, 8))):
            data[draw(st.integers(0, len(data) - 1))] = draw(st.integers(0, 255))
        return bytes(data)
    lines = base.split(b"\n")
    i = draw(st.integers(0, len(lines) - 1))
    if kind == "dup":
        lines.insert(i, lines[i])
        return b"\n".join(lines)
    cells = lines[i].split(sep)
    j = draw(st.integers(0, len(cells) - 1))
    cells[j] = draw(hostile_text).encode("utf-8", "replace")
    lines[i] = sep.join(cells)
    return b"\n".join(lines)


json_value = st.recursive(
    st.one_of(
        st.none(),
        st.booleans(),
        st.integers(min_value=-(2**70), max_value=2**70),
        st.floats(allow_nan=True, allow_infinity=True),
        hostile_text,
    ),
    lambda inner: st.one_of(
        st.lists(inner, max_size=3), st.dictionaries(st.text(max_size=8), inner, max_size=3)
    ),
    max_leaves=6,
)
FR_RECORD = json.loads(FR)["results"][0]


@st.composite
def fr_records(draw: Any) -> dict[str, Any]:
    record = dict(FR_RECORD)
    for _ in range(draw(st.integers(1, 4))):
        key = draw(st.sampled_from([*record, "citation", "correction_of", "corrections"]))
        record[key] = draw(json_value)
    return record


CONFIG_KEYS = st.sampled_from(
    ["defaults", "capacities", "programs", "capcities", "billing_rules", "demand", "wages"]
)


@st.composite
def configs(draw: Any) -> str:
    doc: dict[str, Any] = {}
    for _ in range(draw(st.integers(1, 3))):
        top = draw(CONFIG_KEYS)
        inner = draw(st.sampled_from(["care_manager_rn", "fte_increment", "max_panel", "ccm",
                                      "year", "loading_factor", "rpm_nurse"]))  # fmt: skip
        doc[top] = {inner: draw(json_value)}
    return json.dumps(doc, allow_nan=True)
