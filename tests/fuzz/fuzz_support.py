"""Fuzz suite helpers: fixed-seed hypothesis settings, hostile values, file mutations, the count
of generated inputs (printed at the end of the run) and a store fingerprint for "nothing
written on rejection"."""

from __future__ import annotations

import time
from collections import Counter
from typing import Any

from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from sqlalchemy import func, select

from payforce.store import schema
from payforce.store.db import Store

COUNTS: Counter[str] = Counter()
"""Inputs generated per test (summed in the terminal summary)."""
STARTED = [time.monotonic()]

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


def fingerprint(store: Store) -> dict[str, int]:
    """Rows per table: equal before and after a rejected input means nothing was written."""
    schema.load_area_tables()
    out = {}
    with store.connect() as conn:
        for table in schema.metadata.sorted_tables:
            if table.name in ("meta", "migrations"):
                continue
            out[table.name] = int(
                conn.execute(select(func.count()).select_from(table)).scalar_one()
            )
    return out
