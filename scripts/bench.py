"""payforce benchmarks: prints figures and the command to rerun them.

    python scripts/bench.py            (or: make bench)

Core figures (issue 2): `payforce outlook` on a built store against `python -c pass` (target:
within 20×), and the first run that builds the store (target: under 5 s). Then every
`scripts/bench_*.py` of the other areas runs in turn.
"""

from __future__ import annotations

import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
RUNS = 7


def _time(cmd: list[str], env: dict[str, str]) -> float:
    start = time.perf_counter()
    subprocess.run(cmd, env=env, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    return time.perf_counter() - start


def core() -> None:
    payforce = [sys.executable, "-m", "payforce"]
    with tempfile.TemporaryDirectory() as home:
        env = {**os.environ, "PAYFORCE_HOME": home, "COLUMNS": "160"}
        env.pop("PAYFORCE_DATABASE_URL", None)
        first = _time([*payforce, "outlook", "--as-of", "2026-06-30"], env)
        baseline = statistics.median(
            _time([sys.executable, "-c", "pass"], env) for _ in range(RUNS)
        )
        warm = statistics.median(
            _time([*payforce, "outlook", "--as-of", "2026-06-30"], env) for _ in range(RUNS)
        )
        as_json = statistics.median(
            _time([*payforce, "outlook", "--json", "--as-of", "2026-06-30"], env)
            for _ in range(RUNS)
        )
    print("== core (issue 2) ==")
    print(f"python -c pass:                 {baseline * 1000:8.1f} ms (median of {RUNS})")
    ratio, json_ratio = warm / baseline, as_json / baseline
    print(f"payforce outlook (built store):  {warm * 1000:8.1f} ms  = {ratio:5.1f}× (target ≤ 20×)")
    print(f"payforce outlook --json:         {as_json * 1000:8.1f} ms  = {json_ratio:5.1f}×")
    print(f"first run, building the store:   {first:8.2f} s  (target < 5 s)")


def main() -> None:
    only = sys.argv[1:]
    if not only or "core" in only:
        core()
    for script in sorted((ROOT / "scripts").glob("bench_*.py")):
        name = script.stem.removeprefix("bench_")
        if only and name not in only:
            continue
        print(f"\n== {name} ==", flush=True)
        subprocess.run([sys.executable, str(script)], check=False)
    print("\nrerun: make bench   (one area: python scripts/bench.py core|<area>)")


if __name__ == "__main__":
    main()
