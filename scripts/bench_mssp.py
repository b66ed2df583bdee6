"""MSSP and rule-history benchmarks (issue 11): prints figures and the command to rerun them.

    python scripts/bench_mssp.py        (or: python scripts/bench.py mssp)

- `payforce sync mssp` of the ten bundled-sample PUFs (PY2014-2018, 2020-2024; target < 5 s),
  median of 3 runs on a built store, as a user runs it (a new process each time);
- `payforce sync federal-register --from-file` of the 1,891 regulations.gov records;
- the first `payforce outlook` on an empty PAYFORCE_HOME, which builds the store with the MSSP
  results and the rule history (target < 3 s).
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
SAMPLES = next(
    (p / "samples" for p in (ROOT.parent / "shared", ROOT.parent.parent / "shared") if p.is_dir()),
    ROOT.parent / "shared" / "samples",
)
RUNS = 3


def _time(cmd: list[str], env: dict[str, str]) -> float:
    start = time.perf_counter()
    subprocess.run(cmd, env=env, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    return time.perf_counter() - start


def main() -> None:
    mssp = sorted((SAMPLES / "mssp").glob("*.csv")) + sorted((SAMPLES / "mssp").glob("*/*.csv"))
    rules = SAMPLES / "federal_register" / "regulations_gov_CMS_HHS_rules_2010-2023.jsonl"
    if len(mssp) != 10 or not rules.exists():
        print(f"samples not found under {SAMPLES} (need the shared samples folder)")
        return
    payforce = [sys.executable, "-m", "payforce"]
    with tempfile.TemporaryDirectory() as home:
        env = {**os.environ, "PAYFORCE_HOME": home, "COLUMNS": "120"}
        env.pop("PAYFORCE_DATABASE_URL", None)
        first = _time([*payforce, "outlook"], env)
        args = [a for p in mssp for a in ("--from-file", str(p))]
        sync = statistics.median(
            _time([*payforce, "sync", "mssp", *args], env) for _ in range(RUNS)
        )
        history = statistics.median(
            _time([*payforce, "sync", "federal-register", "--from-file", str(rules)], env)
            for _ in range(RUNS)
        )
    size = sum(p.stat().st_size for p in mssp) / 1e6
    print(
        f"sync mssp, 10 PUFs ({size:.1f} MB):       {sync:6.2f} s  (median of {RUNS}; target < 5 s)"
    )
    print(f"sync federal-register, 1,891 records:  {history:6.2f} s  (median of {RUNS})")
    print(f"first outlook, building the store:     {first:6.2f} s  (target < 3 s)")
    print("rerun: python scripts/bench.py mssp")


if __name__ == "__main__":
    main()
