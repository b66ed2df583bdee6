"""Read-only stores shared by a module's tests (built once; tests must not write to them)."""

from __future__ import annotations

import pytest
from fs_helpers import synced_store

from payforce.store.db import Store
from payforce.store.snapshot import load_snapshot


@pytest.fixture(scope="module")
def synced(tmp_path_factory):
    """Snapshot + 2026 PPRRVU excerpt + 2025 release (read-only)."""
    store = synced_store(tmp_path_factory.mktemp("synced"))
    yield store
    store.dispose()


@pytest.fixture(scope="module")
def snapshot_store(tmp_path_factory):
    """The bundled snapshot only (read-only)."""
    store = Store.open(f"sqlite:///{tmp_path_factory.mktemp('snap') / 'payforce.db'}")
    load_snapshot(store)
    yield store
    store.dispose()
