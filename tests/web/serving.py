"""Run a real ``payforce serve`` subprocess on a loopback port (for tests that need the server:
memory, keep-alive, the schema fuzzer, the docs' client)."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
FR_FIXTURES = ROOT / "tests" / "fixtures" / "federal_register"
SYNC_FIXTURES = (
    "search_newest_page1.json",
    "rin_0938-AV34_results_reserialized.json",
    "document_2024-29463.json",
)
"""Saved Federal Register API answers (see PROVENANCE.md there) synced into the "synced" store."""


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def payforce(home: Path, *args: str, check: bool = True) -> subprocess.CompletedProcess[str]:
    """Run the CLI with ``PAYFORCE_HOME=home`` (no network: only ``--from-file`` syncs)."""
    env = {**os.environ, "PAYFORCE_HOME": str(home), "COLUMNS": "100"}
    env.pop("PAYFORCE_DATABASE_URL", None)
    return subprocess.run(
        [sys.executable, "-m", "payforce", *args],
        env=env,
        check=check,
        capture_output=True,
        text=True,
        timeout=300,
    )


def make_store(home: Path, synced: bool = False) -> Path:
    """A store under ``home``: the bundled snapshot, plus the FR fixtures when ``synced``."""
    home.mkdir(parents=True, exist_ok=True)
    payforce(home, "init")
    if synced:
        for name in SYNC_FIXTURES:
            payforce(home, "sync", "federal-register", "--from-file", str(FR_FIXTURES / name))
    return home / "payforce.db"


def rss_kb(pid: int) -> int:
    """Resident set size of a process, in KB (Linux ``/proc``)."""
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1])
    raise RuntimeError(f"no VmRSS for {pid}")


@contextmanager
def served(home: Path, *extra: str) -> Iterator[tuple[str, subprocess.Popen[bytes]]]:
    """``payforce serve`` over ``home``'s store; yields (base URL, process); stops it after."""
    port = free_port()
    env = {**os.environ, "PAYFORCE_HOME": str(home)}
    env.pop("PAYFORCE_DATABASE_URL", None)
    log = open(home / "serve.log", "wb")  # noqa: SIM115 - closed below
    proc = subprocess.Popen(
        [sys.executable, "-m", "payforce", "serve", "--port", str(port), *extra],
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                with urllib.request.urlopen(f"{base}/api/meta", timeout=5) as r:  # noqa: S310
                    if r.status == 200:
                        break
            except OSError:
                if proc.poll() is not None or time.monotonic() > deadline:
                    raise RuntimeError((home / "serve.log").read_text()) from None
                time.sleep(0.2)
        yield base, proc
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()
        log.close()
