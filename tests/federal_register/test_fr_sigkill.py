"""Kill a sync with SIGKILL mid-run, rerun it, and find the same store as an uninterrupted run."""

from __future__ import annotations

import os
import signal
import sqlite3
import subprocess
import sys
import time
from datetime import date
from pathlib import Path

import pytest
from fr_fakeapi import FakeFederalRegister, LoopbackServer, synth_records

WINDOW = ["--since", "2023-01-01", "--until", "2023-12-31"]


def _sync(db: Path, base: str, home: Path) -> subprocess.Popen[bytes]:
    env = {**os.environ, "PAYFORCE_HOME": str(home), "PAYFORCE_FR_API_URL": base}
    env.pop("PAYFORCE_DATABASE_URL", None)
    return subprocess.Popen(
        [
            sys.executable,
            "-m",
            "payforce",
            "sync",
            "federal-register",
            *WINDOW,
            "--db",
            f"sqlite:///{db}",
        ],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )


def _slices(db: Path) -> int:
    try:
        # read-only: polling must not create an empty file (payforce refuses 0-byte stores)
        with sqlite3.connect(f"file:{db}?mode=ro", uri=True, timeout=5) as conn:
            return int(conn.execute("select count(*) from fr_slices").fetchone()[0])
    except sqlite3.OperationalError:
        return 0


def _state(db: Path) -> dict[str, list[tuple]]:
    with sqlite3.connect(db) as conn:
        return {
            "documents": conn.execute(
                "select * from documents where origin = 'federal_register' order by document_number"
            ).fetchall(),
            "fr_documents": conn.execute(
                "select document_number, publication_date, content_hash, action, correction_of, "
                "corrections, agency_slugs, full_text_hash from fr_documents "
                "order by document_number"
            ).fetchall(),
            "fr_slices": conn.execute(
                'select scope, start, "end", count, content_hash from fr_slices order by start'
            ).fetchall(),
            "fr_sync_state": conn.execute(
                "select scope, scope_text, watermark from fr_sync_state"
            ).fetchall(),
        }


@pytest.mark.slow
def test_sigkill_mid_sync_then_rerun_equals_uninterrupted_run(tmp_path):
    records = synth_records(60, date(2023, 1, 3), per_day=1)
    records += synth_records(40, date(2023, 6, 1), per_day=1, kind="Rule")
    for i, r in enumerate(records[60:]):
        r["document_number"] = f"2023-{80000 + i}"
    fake = FakeFederalRegister(records, delay=0.05)
    with LoopbackServer(fake) as server:
        clean = tmp_path / "clean.db"
        done = _sync(clean, server.base_url, tmp_path / "home-clean")
        out, err = done.communicate(timeout=120)
        assert done.returncode == 0, err.decode()
        assert b"new 100, updated 0, unchanged 0, skipped 0" in out

        killed = tmp_path / "killed.db"
        proc = _sync(killed, server.base_url, tmp_path / "home-killed")
        deadline = time.monotonic() + 60
        while _slices(killed) < 4 and proc.poll() is None and time.monotonic() < deadline:
            time.sleep(0.02)
        assert proc.poll() is None, "the sync finished before it could be killed"
        os.kill(proc.pid, signal.SIGKILL)
        proc.communicate(timeout=30)
        assert proc.returncode == -signal.SIGKILL
        partial = _state(killed)
        assert 0 < len(partial["fr_slices"]) < 12
        kept = {d[0] for d in partial["documents"]}
        # only whole slices: every kept month is complete
        months = {r["publication_date"][:7] for r in records if r["document_number"] in kept}
        assert kept == {
            r["document_number"] for r in records if r["publication_date"][:7] in months
        }

        rerun = _sync(killed, server.base_url, tmp_path / "home-killed")
        out, err = rerun.communicate(timeout=120)
        assert rerun.returncode == 0, err.decode()
    assert _state(killed) == _state(clean)
