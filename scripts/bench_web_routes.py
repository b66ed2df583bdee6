"""Every web route, uncached, on a big store (issue 13 #2), against the cached figure.

    python scripts/bench_web_routes.py                 (100,000 documents, 16 clients, 40 s × 2)
    python scripts/bench_web_routes.py --docs 20000 --duration 15 --workers 1

A store of N synced Federal Register documents (``bench_federal_register.make_lines``: real
records varied) is served twice:

- "uncached": ``payforce serve --no-response-cache``; every page and API route is asked with a
  random item, page cursor, role, query or calculator input, so every request is computed;
- "cached": the normal server, one fixed URL per route (what a team re-reading pages gets).

16 keep-alive clients, no think time, take the routes in turn, against ``payforce serve
--workers N`` (N = the CPUs, as docs/deploying advises). Outlooks and the forecasts behind role
pages are computations per (date, data version), shared by the routes and workers that show
them; their cost is reported as "cold" (each route's first request) and is not part of the
uncached figures.
Target: uncached p95 under 100 ms for every route, 0 errors. The assessment's token routes
(``/assess/r/…``, ``/api/assess/respondent/…``, the admin pages) are not driven: they are rate
limited per client address (a burst of 120, then one a second), which 16 clients from one
address would measure instead of the route; ``/api/assess/instrument`` is.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import random
import sqlite3
import subprocess
import sys
import tempfile
import time
import urllib.request
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from bench_federal_register import make_lines  # noqa: E402
from bench_web import _cpu_seconds, _free_port, _get, _pct, _run  # noqa: E402

AS_OF = "2026-06-30"
TARGET_P95_MS = 100.0
WORDS = ("medicare", "physician", "payment", "care", "management", "hospital", "quality", "rule")


def _payforce(home: Path, *args: str) -> None:
    env = {**os.environ, "PAYFORCE_HOME": str(home)}
    env.pop("PAYFORCE_DATABASE_URL", None)
    subprocess.run(
        [sys.executable, "-m", "payforce", *args],
        env=env,
        check=True,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )


def _tree_cpu(pid: int) -> float:
    """CPU seconds of ``pid`` and every process under it (the workers), from /proc."""
    children: dict[int, list[int]] = {}
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        children.setdefault(int(fields[1]), []).append(int(stat.parent.name))
    total, todo = 0.0, [pid]
    while todo:
        one = todo.pop()
        total += _cpu_seconds(one)
        todo.extend(children.get(one, []))
    return total


def _stop(proc: subprocess.Popen[bytes]) -> None:
    proc.terminate()
    try:
        proc.wait(30)
    except subprocess.TimeoutExpired:  # a worker busy with a long computation: no leftovers
        proc.kill()
        proc.wait(30)


def _serve(home: Path, *extra: str) -> tuple[subprocess.Popen[bytes], int]:
    port = _free_port()
    env = {**os.environ, "PAYFORCE_HOME": str(home)}
    env.pop("PAYFORCE_DATABASE_URL", None)
    cmd = [sys.executable, "-m", "payforce", "serve", "--port", str(port), "--no-access-log"]
    proc = subprocess.Popen([*cmd, *extra], env=env, stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/api/meta", timeout=60):
                return proc, port
        except OSError:
            time.sleep(0.3)
    proc.kill()
    raise SystemExit("server did not start")


def _routes(db: Path) -> dict[str, Callable[[random.Random], str]]:
    """Route label → a function giving a random URL of that route."""
    from payforce.web.paging import encode_cursor

    with sqlite3.connect(db) as conn:
        docs = conn.execute(
            "SELECT document_number, publication_date FROM documents ORDER BY random() LIMIT 2000"
        ).fetchall()
        codes = [r[0] for r in conn.execute("SELECT code FROM billing_codes")]
        families = [r[0] for r in conn.execute("SELECT DISTINCT family FROM billing_codes")]
        roles = [r[0] for r in conn.execute("SELECT role_key FROM roles")]
    from payforce.web.params import program_keys

    programs = program_keys()

    def cursor(r: random.Random) -> str:
        number, day = r.choice(docs)
        return encode_cursor(str(day)[:10], number)

    def econ(r: random.Random) -> str:
        return f"program={r.choice(programs)}&eligible={r.randint(50, 5000)}&enrolment=0.3"

    def q(r: random.Random) -> str:
        return f"q={r.choice(WORDS)}+{r.choice(WORDS)[:3]}"

    return {
        "/": lambda r: f"/?as_of={AS_OF}",
        "/api/dashboard": lambda r: f"/api/dashboard?as_of={AS_OF}",
        "/api/outlook": lambda r: f"/api/outlook?as_of={AS_OF}",
        "/roles": lambda r: f"/roles?as_of={AS_OF}&limit={r.randint(5, 100)}",
        "/api/roles": lambda r: f"/api/roles?as_of={AS_OF}&limit={r.randint(5, 100)}",
        "/roles/{key}": lambda r: f"/roles/{r.choice(roles)}?as_of={AS_OF}",
        "/api/roles/{key}": lambda r: f"/api/roles/{r.choice(roles)}?as_of={AS_OF}",
        "/api/signals": lambda r: f"/api/signals?as_of={AS_OF}&role={r.choice(roles)}",
        "/codes": lambda r: f"/codes?limit={r.randint(5, 100)}",
        "/api/codes": lambda r: f"/api/codes?limit={r.randint(5, 100)}",
        "/codes/{code}": lambda r: f"/codes/{r.choice(codes)}",
        "/api/codes/{code}": lambda r: f"/api/codes/{r.choice(codes)}",
        "/families/{key}": lambda r: f"/families/{r.choice(families)}",
        "/api/families/{key}": lambda r: f"/api/families/{r.choice(families)}",
        "/documents": lambda r: f"/documents?cursor={cursor(r)}",
        "/api/documents": lambda r: f"/api/documents?cursor={cursor(r)}",
        "/documents/{number}": lambda r: f"/documents/{r.choice(docs)[0]}",
        "/api/documents/{number}": lambda r: f"/api/documents/{r.choice(docs)[0]}",
        "/search": lambda r: f"/search?{q(r)}",
        "/api/search": lambda r: f"/api/search?{q(r)}",
        "/economics": lambda r: f"/economics?{econ(r)}",
        "/api/economics": lambda r: f"/api/economics?{econ(r)}",
        "/api/meta": lambda r: "/api/meta",
        "/api/docs": lambda r: "/api/docs",
        "/api/openapi.json": lambda r: "/api/openapi.json",
        "/backtest": lambda r: f"/backtest?horizon={r.choice(('3y', '5y', 'latest'))}",
        "/api/backtest": lambda r: "/api/backtest",
        "/api/assess/instrument": lambda r: "/api/assess/instrument",
    }


async def _client(
    port: int,
    stop_at: float,
    offset: int,
    routes: dict[str, Callable[[random.Random], str]],
    fixed: bool,
    results: dict[str, list[float]],
    errors: list[str],
) -> None:
    rng = random.Random(offset)
    labels = list(routes)
    reader, writer = await asyncio.open_connection("127.0.0.1", port)
    i = offset
    try:
        while time.perf_counter() < stop_at:
            label = labels[i % len(labels)]
            i += 1
            path = routes[label](random.Random(0) if fixed else rng)
            start = time.perf_counter()
            status = await _get(reader, writer, path)
            results[label].append((time.perf_counter() - start) * 1000)
            if status != 200:
                errors.append(f"{path}: HTTP {status}")
    except (OSError, asyncio.IncompleteReadError, ValueError) as exc:
        errors.append(f"connection: {exc!r}")
    finally:
        writer.close()


async def _load(
    port: int,
    clients: int,
    duration: float,
    routes: dict[str, Callable[[random.Random], str]],
    fixed: bool,
) -> tuple[dict[str, list[float]], list[str]]:
    results: dict[str, list[float]] = {label: [] for label in routes}
    errors: list[str] = []
    stop_at = time.perf_counter() + duration
    await asyncio.gather(
        *(_client(port, stop_at, n, routes, fixed, results, errors) for n in range(clients))
    )
    return results, errors


def _cold(port: int, routes: dict[str, Callable[[random.Random], str]]) -> dict[str, float]:
    """Each route's first request (computes the outlooks of AS_OF once)."""
    out = {}
    for label, url in routes.items():
        start = time.perf_counter()
        with urllib.request.urlopen(
            f"http://127.0.0.1:{port}{url(random.Random(0))}", timeout=900
        ) as r:
            r.read()
        out[label] = (time.perf_counter() - start) * 1000
    return out


def run_routes(docs: int, clients: int, duration: float, workers: int) -> int:
    with tempfile.TemporaryDirectory() as tmp:
        home = Path(tmp)
        lines = home / "fr.jsonl"
        start = time.perf_counter()
        make_lines(lines, docs)
        _payforce(home, "init")
        _payforce(home, "sync", "federal-register", "--from-file", str(lines))
        built = time.perf_counter() - start
        routes = _routes(home / "payforce.db")
        figures = {}
        for name, extra, fixed in (
            ("uncached", ("--no-response-cache",), False),
            ("cached", (), True),
        ):
            proc, port = _serve(home, "--workers", str(workers), *extra)
            try:
                cold = _cold(port, routes)
                cpu = _tree_cpu(proc.pid)
                results, errors = _run(_load(port, clients, duration, routes, fixed))
                cpu = _tree_cpu(proc.pid) - cpu
            finally:
                _stop(proc)
            figures[name] = (cold, results, errors, cpu)
    un_cold, uncached, un_errors, un_cpu = figures["uncached"]
    _, cached, ca_errors, _ = figures["cached"]
    total = sum(len(v) for v in uncached.values())
    print(
        f"every route on {docs:,} synced documents (store built in {built:.0f} s): {clients} "
        f"clients, {workers} worker(s), {duration:g} s each way, SQLite, loopback, load average "
        f"{os.getloadavg()[0]:.1f} on {os.cpu_count()} CPUs"
    )
    print(
        f"  {'route':26} {'n':>5} {'p50':>7} {'p95':>7} {'p99':>7} {'cached p95':>11} {'cold':>8}"
    )
    worst = 0.0
    for label, values in uncached.items():
        p95 = _pct(values, 0.95)
        worst = max(worst, p95)
        print(
            f"  {label:26} {len(values):5d} {_pct(values, 0.5):7.1f} {p95:7.1f} "
            f"{_pct(values, 0.99):7.1f} {_pct(cached[label], 0.95):11.1f} {un_cold[label]:8.0f}"
        )
    print(
        f"  uncached: {total:,} requests, {total / duration:,.0f}/s, server CPU "
        f"{un_cpu * 1000 / max(total, 1):.1f} ms per request; errors {len(un_errors)}"
        + (f" (first: {un_errors[0]})" if un_errors else "")
        + f"; cached errors {len(ca_errors)}"
    )
    ok = worst < TARGET_P95_MS and not un_errors and not ca_errors
    print(
        f"  target: every route's uncached p95 < {TARGET_P95_MS:g} ms, 0 errors: "
        f"{'meets' if ok else 'misses'} (worst p95 {worst:.1f} ms; ms throughout)"
    )
    print(
        f"  rerun: python scripts/bench_web_routes.py --docs {docs} --clients {clients} "
        f"--workers {workers}"
    )
    return 0 if ok else 1


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--docs", type=int, default=100_000, help="synced documents (100,000)")
    parser.add_argument("--clients", type=int, default=16, help="concurrent clients (16)")
    parser.add_argument("--duration", type=float, default=40.0, help="seconds per server (40)")
    parser.add_argument(
        "--workers", type=int, default=os.cpu_count() or 1, help="server processes (the CPUs)"
    )
    args = parser.parse_args()
    return run_routes(args.docs, args.clients, args.duration, args.workers)


if __name__ == "__main__":
    raise SystemExit(main())
