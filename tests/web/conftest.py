"""Web fixtures: an in-process client over each backend, with "today" pinned."""

from __future__ import annotations

import warnings
from collections.abc import Iterator
from datetime import date

import pytest
from starlette.exceptions import StarletteDeprecationWarning

from payforce.store.db import Store
from payforce.store.snapshot import load_snapshot
from payforce.web.app import create_app

with warnings.catch_warnings():
    # Starlette asks for the httpx2 package; plain httpx works the same for in-process tests.
    warnings.simplefilter("ignore", StarletteDeprecationWarning)
    from starlette.testclient import TestClient

TODAY = date(2026, 11, 27)
"""The web's "today" in tests (pages default ``as_of`` to it)."""


@pytest.fixture(scope="module")
def client(tmp_path_factory: pytest.TempPathFactory) -> Iterator[TestClient]:
    """A client over one SQLite store with the bundled snapshot, shared by a module's tests.

    Read-only: a test that changes data builds its own client with ``client_for``.
    """
    store = Store.open(f"sqlite:///{tmp_path_factory.mktemp('web') / 'payforce.db'}")
    load_snapshot(store)
    with TestClient(create_app(store, clock=lambda: TODAY)) as c:
        yield c
    store.dispose()


@pytest.fixture
def any_client(any_store: Store) -> Iterator[TestClient]:
    """The same client over SQLite and over a real PostgreSQL server."""
    with TestClient(create_app(any_store, clock=lambda: TODAY)) as c:
        yield c


@pytest.fixture
def client_for():
    """Build a client over a given store (for tests that change the data first)."""

    def build(store: Store, raise_server_exceptions: bool = True, **kwargs) -> TestClient:
        app = create_app(store, clock=lambda: TODAY, **kwargs)
        return TestClient(app, raise_server_exceptions=raise_server_exceptions)

    return build
