"""Workforce benchmarks: OEWS parse time per layout, resolver throughput, pivots.

The backtest is timed by bench_forecast.py.

Rerun: python scripts/bench_workforce.py [--samples ../shared/samples/bls]
"""

from __future__ import annotations

import argparse
import tempfile
import time
from datetime import date
from pathlib import Path

from payforce.knowledge import load_knowledge
from payforce.sources.bls import parse_oews
from payforce.store.db import Store
from payforce.store.queries import list_roles
from payforce.store.snapshot import load_snapshot
from payforce.workforce.pivots import pivot_paths
from payforce.workforce.resolve import resolve_role

ROOT = Path(__file__).resolve().parent.parent
PHRASES = [
    "UR nurse",
    "prior auth specialist",
    "HIM coder",
    "CDI nurse",
    "population health analyst",
    "nurse informaticist",
    "RPM nurse",
    "care manager",
    "bedside RN",
    "denials specialist",
]


def main() -> int:
    parser = argparse.ArgumentParser(description="payforce workforce benchmarks")
    parser.add_argument("--samples", type=Path, default=ROOT.parent / "shared" / "samples" / "bls")
    args = parser.parse_args()
    for path in sorted(args.samples.glob("national_M*_dl.xls*")):
        t = time.perf_counter()
        parsed = parse_oews(path.read_bytes(), path.name)
        print(f"parse {path.name}: {len(parsed.rows)} rows in {time.perf_counter() - t:.2f} s")
    with tempfile.TemporaryDirectory() as tmp:
        store = Store.open(f"sqlite:///{tmp}/bench.db")
        load_snapshot(store)
        roles, knowledge = list_roles(store), load_knowledge()
        t = time.perf_counter()
        n = 0
        for _ in range(20):
            for phrase in PHRASES:
                resolve_role(phrase, roles, knowledge)
                n += 1
        dt = time.perf_counter() - t
        print(f"resolve: {n} phrases in {dt:.2f} s ({dt / n * 1000:.1f} ms each)")
        t = time.perf_counter()
        for key in ("utilization_review_nurse", "medical_coder", "registered_nurse"):
            pivot_paths(store, key, date(2026, 6, 30), knowledge)
        print(f"pivot_paths: 3 roles in {time.perf_counter() - t:.2f} s (outlooks computed each)")
        store.dispose()
    print("rerun: python scripts/bench_workforce.py")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
