"""Fuzz suite: prints how many inputs were generated, per backend and per test, at the end."""

from __future__ import annotations

import time
from typing import Any

from fuzz_support import BACKENDS_SHOWN, COUNTS, OUTCOMES, STARTED


def summary_line() -> str:
    """``fuzz: N inputs on SQLite, M on PostgreSQL, K parser inputs`` (end-to-end inputs are
    counted under keys that start with the backend)."""
    per = dict.fromkeys(BACKENDS_SHOWN, 0)
    parsers = 0
    for name, n in COUNTS.items():
        backend = name.split(" ", 1)[0]
        if backend in per:
            per[backend] += n
        else:
            parsers += n
    first, *rest = (f"{per[key]:,}" for key in BACKENDS_SHOWN)
    shown = list(BACKENDS_SHOWN.values())
    others = ", ".join(f"{n} on {label}" for n, label in zip(rest, shown[1:], strict=True))
    return f"fuzz: {first} inputs on {shown[0]}, {others}, {parsers:,} parser inputs"


def pytest_terminal_summary(terminalreporter: Any) -> None:
    if not COUNTS:
        return
    elapsed = time.monotonic() - STARTED[0]
    terminalreporter.write_line(
        f"{summary_line()} ({len(COUNTS)} kinds; about {elapsed:.0f} s since the suite started)"
    )
    for name, n in sorted(COUNTS.items()):
        terminalreporter.write_line(f"  {n:>6,}  {name}")
    if OUTCOMES:
        shown = ", ".join(f"{name} {n:,}" for name, n in sorted(OUTCOMES.items()))
        terminalreporter.write_line(f"  outcomes: {shown}")
