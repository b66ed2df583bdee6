"""Fuzz suite: prints how many inputs were generated, per test, at the end of the run."""

from __future__ import annotations

import time
from typing import Any

from fuzz_support import COUNTS, STARTED


def pytest_terminal_summary(terminalreporter: Any) -> None:
    if not COUNTS:
        return
    total = sum(COUNTS.values())
    elapsed = time.monotonic() - STARTED[0]
    terminalreporter.write_line(
        f"fuzz: {total:,} generated inputs in {len(COUNTS)} tests "
        f"(about {elapsed:.0f} s since the suite started)"
    )
    for name, n in sorted(COUNTS.items()):
        terminalreporter.write_line(f"  {n:>6,}  {name}")
