"""Fee-schedule benchmarks (issue 4): a full PPRRVU file parsed and stored; one economics run.

    python scripts/bench_fee_schedule.py [--rows 19000 | --file PPRRVU.csv]      (or: make bench)

1. Parse: a full-size PPRRVU file. By default the whole July 2026 release
   (../shared/samples/fee_schedule/PPRRVU2026_Jul_nonQPP.csv, 19,356 rows) when it is there;
   ``--file`` names another; ``--rows N`` (or no real file) builds one of about N rows by
   repeating the real code rows of tests/fixtures/fee_schedule/PPRRVU2026_Jul_nonQPP_excerpt.csv
   under its real header, each repeat given its own code so the file has no duplicates.
2. Store: ``sync_fee_schedule`` of that file into a fresh SQLite store (one transaction).
3. Economics: one ``payforce economics rpm`` computation (with its sensitivity table) and the
   same with ``--compare-year 2025``.
Figures are seconds, and seconds per 10,000 rows for parse and store.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))
FIXTURES = ROOT / "tests" / "fixtures" / "fee_schedule"
EXCERPT = FIXTURES / "PPRRVU2026_Jul_nonQPP_excerpt.csv"
DEFAULT_FULL = ROOT.parent / "shared" / "samples" / "fee_schedule" / "PPRRVU2026_Jul_nonQPP.csv"


def build_file(rows: int) -> bytes:
    """About ``rows`` code rows made from the excerpt's real rows, codes renumbered per repeat."""
    lines = EXCERPT.read_bytes().split(b"\r\n")[:-1]
    header, data = lines[:10], [ln for ln in lines[10:] if ln[:1].strip(b",")]
    out = list(header)
    n = 0
    while n < rows:
        for ln in data:
            if n >= rows:
                break
            code, rest = ln.split(b",", 1)
            prefix = b"%c" % (65 + (n // len(data)) % 26)  # A…Z, then wrap with a digit
            new = prefix + b"%04d" % ((n // len(data) // 26 * 997 + n) % 10000)
            out.append(new + b"," + rest if code else ln)
            n += 1
    # the renumbering can repeat a (code, modifier) pair: keep the first
    seen: set[bytes] = set()
    unique = list(header)
    for ln in out[10:]:
        key = b",".join(ln.split(b",", 2)[:2])
        if key not in seen:
            seen.add(key)
            unique.append(ln)
    return b"\r\n".join(unique) + b"\r\n"


def best(fn, runs: int = 3) -> float:  # type: ignore[no-untyped-def]
    """Best wall time of ``runs`` calls."""
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return min(times)


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--rows", type=int, default=None, help="Build a file of about N rows")
    ap.add_argument("--file", type=Path, default=None, help="A real full PPRRVU CSV to use")
    args = ap.parse_args()

    from payforce.economics.programs import run_program
    from payforce.sources.fee_schedule import parse_pprrvu_file
    from payforce.store import fee_tables
    from payforce.store.db import Store
    from payforce.store.snapshot import load_snapshot

    path = args.file
    if path is None and args.rows is None and DEFAULT_FULL.exists():
        path = DEFAULT_FULL
    if path is not None:
        data, label = path.read_bytes(), f"{path.name} (real file)"
    else:
        rows = args.rows or 19000
        data, label = build_file(rows), f"built from real rows repeated to ~{rows:,}"
    parsed = parse_pprrvu_file(data, path="bench.csv")
    year = parsed.year or 2026
    n = len(parsed.rows)
    t_parse = best(lambda: parse_pprrvu_file(data, path="bench.csv"))
    with tempfile.TemporaryDirectory() as tmp:
        store = Store.open(f"sqlite:///{Path(tmp) / 'bench.db'}")
        load_snapshot(store)
        t_store = best(
            lambda: fee_tables.sync_fee_schedule(store, year, data=data, source="bench.csv")
        )
        t_econ = best(lambda: run_program(store, "rpm"))
        compare = statistics.median(
            [
                best(
                    lambda: (
                        run_program(store, "rpm"),
                        run_program(store, "rpm", year=2025, sensitivity=False),
                    ),
                    1,
                )
                for _ in range(3)
            ]
        )
        store.dispose()
    print(f"fee schedule: PPRRVU {label}: {n:,} rows")
    print(f"  parse           {t_parse:6.3f} s   ({t_parse / n * 10_000:5.3f} s per 10k rows)")
    print(
        f"  parse + store   {t_store:6.3f} s   ({t_store / n * 10_000:5.3f} s per 10k rows, "
        "one transaction, SQLite)"
    )
    print(f"  economics rpm   {t_econ:6.3f} s   (with the sensitivity table)")
    print(f"  economics rpm --compare-year 2025   {compare:6.3f} s")
    print("  rerun: python scripts/bench_fee_schedule.py [--rows N | --file PPRRVU.csv]")


if __name__ == "__main__":
    main()
