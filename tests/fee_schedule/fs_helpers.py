"""Shared helpers for the fee-schedule tests: fixture paths and a release zip built from them."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

import pytest

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures"
PPRRVU_2026 = "PPRRVU2026_Jul_nonQPP_excerpt.csv"
PPRRVU_2025 = "PPRRVU2025_Oct_sample.csv"


def asset(*parts: str) -> Path:
    """Path of a recorded fixture file; fails the test if it is missing."""
    path = FIXTURES.joinpath(*parts)
    if not path.exists():
        pytest.fail(f"missing fixture file {path}")
    return path


def fee_bytes(name: str) -> bytes:
    """Bytes of a fee-schedule fixture."""
    return asset("fee_schedule", name).read_bytes()


def rvu25_zip() -> bytes:
    """An RVU release zip packed from the real 2025 files, as CMS ships them (CSV members)."""
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("PPRRVU2025_Oct.csv", fee_bytes(PPRRVU_2025))
        z.writestr("GPCI2025.csv", fee_bytes("GPCI2025.csv"))
        z.writestr("25LOCCO.csv", fee_bytes("25LOCCO.csv"))
        z.writestr("RVU25D.pdf", b"%PDF-1.4 not read")
    return buf.getvalue()


def synced_store(path: Path):
    """A SQLite store with the snapshot plus the 2026 excerpt and the 2025 release synced."""
    from payforce.store import fee_tables
    from payforce.store.db import Store
    from payforce.store.snapshot import load_snapshot

    store = Store.open(f"sqlite:///{path / 'payforce.db'}")
    load_snapshot(store)
    fee_tables.sync_fee_schedule(store, 2026, data=fee_bytes(PPRRVU_2026), source=PPRRVU_2026)
    fee_tables.sync_fee_schedule(store, 2025, data=rvu25_zip(), source="rvu25d.zip")
    return store
