"""payforce benchmarks: prints figures and the command to rerun them.

    python scripts/bench.py            (or: make bench)

Core figures (issue 14 #4): `payforce outlook`, `role` and `signals` on a built store against
`python -c pass`, run side by side (interleaved, one round each in turn) so that all of them see
the same machine load; CPU time (user + system of the child) is the figure that counts, target
within 15× the baseline; wall time is printed too. The first run that builds the store is timed
once (target: under 5 s). Then every `scripts/bench_*.py` of the other areas runs in turn.
"""

from __future__ import annotations

import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
RUNS = 9
TARGET = 15.0
AS_OF = "2026-06-30"
COMMANDS = {
    "outlook": ["outlook", "--as-of", AS_OF],
    "role": ["role", "care manager", "--as-of", AS_OF],
    "signals": ["signals", "--as-of", AS_OF],
}


def _run(cmd: list[str], env: dict[str, str]) -> tuple[float, float]:
    """(wall seconds, CPU seconds of the child: user + system)."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    subprocess.run(cmd, env=env, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    wall = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return wall, cpu


def _wait_for_quiet(limit: float = 30.0) -> float:
    """Wait (up to ``limit`` s) until the 1-minute load is below the core count; return it."""
    cores = os.cpu_count() or 1
    deadline = time.monotonic() + limit
    load = os.getloadavg()[0]
    while load >= cores and time.monotonic() < deadline:
        time.sleep(2)
        load = os.getloadavg()[0]
    return load


def core() -> None:
    payforce = [sys.executable, "-m", "payforce"]
    baseline_cmd = [sys.executable, "-c", "pass"]
    with tempfile.TemporaryDirectory() as home:
        env = {**os.environ, "PAYFORCE_HOME": home, "COLUMNS": "80"}
        env.pop("PAYFORCE_DATABASE_URL", None)
        first, first_cpu = _run([*payforce, *COMMANDS["outlook"]], env)
        # the first answer of each is computed (evidence loaded), then cached; the first
        # outlook also built the store
        computed = {"outlook": (first, first_cpu)}
        for name, args in COMMANDS.items():
            if name not in computed:
                computed[name] = _run([*payforce, *args], env)
        load_before = _wait_for_quiet()
        samples: dict[str, list[tuple[float, float]]] = {"python -c pass": []}
        samples |= {name: [] for name in COMMANDS}
        for _ in range(RUNS):
            samples["python -c pass"].append(_run(baseline_cmd, env))
            for name, args in COMMANDS.items():
                samples[name].append(_run([*payforce, *args], env))
        load_after = os.getloadavg()[0]
    wall = {k: statistics.median(w for w, _ in v) for k, v in samples.items()}
    cpu = {k: statistics.median(c for _, c in v) for k, v in samples.items()}
    base_wall, base_cpu = wall["python -c pass"], cpu["python -c pass"]
    print("== core (issue 14 #4: an answer at once) ==")
    print(
        f"baseline python -c pass: CPU {base_cpu * 1000:.1f} ms, wall {base_wall * 1000:.1f} ms "
        f"(median of {RUNS}, interleaved with the commands; 1-min load {load_before:.2f} before, "
        f"{load_after:.2f} after, {os.cpu_count()} cores)"
    )
    worst = 0.0
    for name in COMMANDS:
        ratio = cpu[name] / base_cpu
        worst = max(worst, ratio)
        print(
            f"payforce {name:8} CPU {cpu[name] * 1000:7.1f} ms = {ratio:5.1f}x   "
            f"wall {wall[name] * 1000:7.1f} ms = {wall[name] / base_wall:5.1f}x"
        )
    for name, (w, c) in computed.items():
        print(
            f"  (first {name}, computed before caching"
            + (", building the store" if name == "outlook" else "")
            + f": CPU {c * 1000:.0f} ms, wall {w * 1000:.0f} ms)"
        )
    verdict = "met" if worst <= TARGET else "NOT met"
    print(f"target: CPU within {TARGET:.0f}x the baseline: {verdict} (worst {worst:.1f}x)")
    print(f"first run, building the store: {first:.2f} s (target < 5 s)")


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
