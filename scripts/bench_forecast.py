"""Forecast benchmark (issue 12 #7): a full rolling backtest, all origins × horizons × series.

    python scripts/bench_forecast.py      (also run by: make bench)

Builds a store from the bundled snapshot in a temporary home, then times
``run_rolling_backtest`` (every replay, the fits and the bootstrap intervals) in CPU seconds of
this one process (one core). Target: under 60 s. A second call shows the cached replay.
"""

from __future__ import annotations

import tempfile
import time
from pathlib import Path

from payforce.forecasts.backtest import run_rolling_backtest
from payforce.store.snapshot import open_store

TARGET_SECONDS = 60.0


def main() -> None:
    with tempfile.TemporaryDirectory() as home:
        store = open_store(f"sqlite:///{Path(home) / 'payforce.db'}")
        wall, cpu = time.perf_counter(), time.process_time()
        result = run_rolling_backtest(store)
        cpu = time.process_time() - cpu
        wall = time.perf_counter() - wall
        again = time.perf_counter()
        run_rolling_backtest(store)
        again = time.perf_counter() - again
        store.dispose()
    series = len({r.soc for r in result.rows})
    print(
        f"rolling backtest: {len(result.cells)} origin×horizon cells, {series} series, "
        f"{len(result.rows)} rows"
    )
    verdict = "ok" if cpu < TARGET_SECONDS else "OVER TARGET"
    print(
        f"  full run:   {cpu:6.2f} s CPU ({wall:.2f} s wall), "
        f"target < {TARGET_SECONDS:.0f} s: {verdict}"
    )
    print(f"  cached run: {again:6.2f} s wall")


if __name__ == "__main__":
    main()
