"""Web load benchmark: N concurrent clients on loopback against a real `payforce serve`.

    python scripts/bench_web.py                      (32 clients, 60 s, fresh SQLite store)
    python scripts/bench_web.py --clients 8 --duration 10
    python scripts/bench_web.py --db postgresql://payforce@127.0.0.1:54329/payforce_test

(Every route uncached on a store of 100,000 documents: scripts/bench_web_routes.py.)

On PostgreSQL the run uses a schema of its own (``bench_web_<pid>``), dropped at the end.

Each client keeps one HTTP/1.1 connection open and asks, in turn, for the dashboard, a role page
and /api/outlook, with no think time (a closed loop: the worst case for latency). Prints p50, p95
and p99 latency per URL and overall, requests per second and errors. Target (issue 6): p95 under
50 ms at 32 clients on SQLite, and 0 errors.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path
from typing import Any

URLS = ("/", "/roles/care_manager_rn", "/api/outlook")
TARGET_P95_MS = 50.0


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _admin(db: str) -> Any:
    import sqlalchemy

    return sqlalchemy.create_engine(db.replace("postgresql://", "postgresql+psycopg://", 1))


def _private_schema(db: str) -> str:
    """A fresh PostgreSQL schema for the run, so the benchmark leaves the database as it was."""
    import sqlalchemy

    name = f"bench_web_{os.getpid()}"
    engine = _admin(db)
    with engine.begin() as conn:
        conn.execute(sqlalchemy.text(f'CREATE SCHEMA "{name}"'))
    engine.dispose()
    return name


def _in_schema(db: str, schema: str) -> str:
    return f"{db}{'&' if '?' in db else '?'}options=-csearch_path%3D{schema}"


def _drop_schema(db: str, schema: str) -> None:
    import sqlalchemy

    engine = _admin(db)
    with engine.begin() as conn:
        conn.execute(sqlalchemy.text(f'DROP SCHEMA "{schema}" CASCADE'))
    engine.dispose()


def _start_server(db: str, port: int, home: Path) -> subprocess.Popen[bytes]:
    env = {**os.environ, "PAYFORCE_HOME": str(home), "PAYFORCE_DATABASE_URL": db}
    cmd = [sys.executable, "-m", "payforce", "serve", "--host", "127.0.0.1", "--port", str(port)]
    proc = subprocess.Popen(cmd, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise SystemExit(f"server exited: {proc.stderr.read().decode() if proc.stderr else ''}")
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/api/meta", timeout=2):
                return proc
        except OSError:
            time.sleep(0.2)
    proc.kill()
    raise SystemExit("server did not start within 60 s")


async def _get(reader: asyncio.StreamReader, writer: asyncio.StreamWriter, path: str) -> int:
    """One keep-alive ``GET path``, its body read whole; the HTTP status."""
    writer.write(f"GET {path} HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n".encode())
    head = await reader.readuntil(b"\r\n\r\n")
    status = int(head.split(b" ", 2)[1])
    length = 0
    for line in head.split(b"\r\n"):
        if line.lower().startswith(b"content-length:"):
            length = int(line.split(b":", 1)[1])
    await reader.readexactly(length)
    return status


async def _client(
    port: int, stop_at: float, offset: int, results: dict[str, list[float]], errors: list[str]
) -> None:
    reader, writer = await asyncio.open_connection("127.0.0.1", port)
    i = offset
    try:
        while time.perf_counter() < stop_at:
            path = URLS[i % len(URLS)]
            i += 1
            start = time.perf_counter()
            status = await _get(reader, writer, path)
            elapsed = (time.perf_counter() - start) * 1000
            if status != 200:
                errors.append(f"{path}: HTTP {status}")
            results[path].append(elapsed)
    except (OSError, asyncio.IncompleteReadError, ValueError) as exc:
        errors.append(f"connection: {exc!r}")
    finally:
        writer.close()


async def _load(
    port: int, clients: int, duration: float
) -> tuple[dict[str, list[float]], list[str]]:
    results: dict[str, list[float]] = {u: [] for u in URLS}
    errors: list[str] = []
    stop_at = time.perf_counter() + duration
    await asyncio.gather(*(_client(port, stop_at, n, results, errors) for n in range(clients)))
    return results, errors


def _cpu_seconds(pid: int) -> float:
    """User + system CPU time of a process (Linux /proc), or NaN elsewhere."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return float("nan")
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def _run(coro: Any) -> Any:
    """Run the load generator on uvloop when installed (it then costs the machine less)."""
    try:
        import uvloop
    except ImportError:
        return asyncio.run(coro)
    return uvloop.run(coro)


def _pct(values: list[float], q: float) -> float:
    if not values:
        return float("nan")
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(q * (len(ordered) - 1))))]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--clients", type=int, default=32, help="concurrent clients (32)")
    parser.add_argument("--duration", type=float, default=60.0, help="seconds of load (60)")
    parser.add_argument("--db", default="", help="database URL (default: a fresh SQLite file)")
    args = parser.parse_args()

    with tempfile.TemporaryDirectory() as tmp:
        home = Path(tmp)
        db = args.db or f"sqlite:///{home / 'bench.db'}"
        schema = _private_schema(db) if db.startswith("postgresql") else None
        port = _free_port()
        server = _start_server(_in_schema(db, schema) if schema else db, port, home)
        try:
            cold: dict[str, float] = {}
            for path in URLS:  # first requests: computed, rendered, then cached
                start = time.perf_counter()
                with urllib.request.urlopen(f"http://127.0.0.1:{port}{path}", timeout=60) as r:
                    r.read()
                cold[path] = (time.perf_counter() - start) * 1000
            cpu_before, client_before = _cpu_seconds(server.pid), time.process_time()
            results, errors = _run(_load(port, args.clients, args.duration))
            cpu = _cpu_seconds(server.pid) - cpu_before
            client_cpu = time.process_time() - client_before
        finally:
            server.terminate()
            server.wait(10)
            if schema:
                _drop_schema(db, schema)

    backend = "PostgreSQL" if db.startswith("postgresql") else "SQLite"
    total = [v for vs in results.values() for v in vs]
    print(f"web load: {args.clients} clients, {args.duration:g} s, {backend}, loopback")
    print(f"  {'url':28} {'requests':>9} {'p50 ms':>8} {'p95 ms':>8} {'p99 ms':>8}")
    for path, values in [*results.items(), ("all", total)]:
        print(
            f"  {path:28} {len(values):9d} {_pct(values, 0.5):8.1f} {_pct(values, 0.95):8.1f}"
            f" {_pct(values, 0.99):8.1f}"
        )
    print("  first (uncached) request: " + ", ".join(f"{p} {ms:.0f} ms" for p, ms in cold.items()))
    rate = len(total) / args.duration
    print(f"  throughput {rate:,.0f} requests/s; mean {statistics.fmean(total or [0]):.1f} ms")
    print(
        f"  CPU per request: server {cpu * 1000 / max(len(total), 1):.2f} ms, "
        f"load generator {client_cpu * 1000 / max(len(total), 1):.2f} ms "
        f"(load average now {os.getloadavg()[0]:.1f} on {os.cpu_count()} CPUs)"
    )
    print(f"  errors: {len(errors)}" + (f" (first: {errors[0]})" if errors else ""))
    p95 = _pct(total, 0.95)
    verdict = "meets" if p95 < TARGET_P95_MS and not errors else "misses"
    print(f"  target p95 < {TARGET_P95_MS:g} ms with 0 errors: {verdict} (p95 {p95:.1f} ms)")
    print(
        f"  rerun: python scripts/bench_web.py --clients {args.clients} "
        f"--duration {args.duration:g}" + (f" --db {args.db}" if args.db else "")
    )
    return 0 if verdict == "meets" else 1


if __name__ == "__main__":
    raise SystemExit(main())
