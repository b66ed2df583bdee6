"""Shared fixtures: no outside network, fresh stores (SQLite and PostgreSQL), fixture files."""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
from pytest_socket import socket_allow_hosts

from payforce.store.db import Store
from payforce.store.snapshot import load_snapshot

FIXTURES = Path(__file__).parent / "fixtures"
GOLDEN = Path(__file__).parent / "golden"
LOOPBACK = ["127.0.0.1", "localhost", "::1"]


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption("--update-golden", action="store_true", help="rewrite tests/golden/*")


@pytest.fixture(autouse=True)
def _no_outside_network() -> None:
    """Any connection to a host other than loopback fails the test."""
    socket_allow_hosts(LOOPBACK, allow_unix_socket=True)


def asset(*parts: str) -> Path:
    """Path of a recorded fixture file; fails the test if it is missing."""
    path = FIXTURES.joinpath(*parts)
    if not path.exists():
        pytest.fail(f"missing fixture file {path}")
    return path


@pytest.fixture
def golden(request: pytest.FixtureRequest):
    """Compare text with tests/golden/<name>; ``--update-golden`` rewrites it."""

    def check(name: str, text: str) -> None:
        path = GOLDEN / name
        if request.config.getoption("--update-golden"):
            path.write_text(text, encoding="utf-8")
        if not path.exists():
            pytest.fail(f"missing golden file {path}; run pytest --update-golden and review it")
        assert text == path.read_text(encoding="utf-8")

    return check


def postgres_url() -> str | None:
    """The test server's URL; in CI a missing server is a failure, locally a skip."""
    url = os.environ.get("PAYFORCE_TEST_POSTGRES_URL")
    if not url:
        if os.environ.get("CI"):
            pytest.fail("PAYFORCE_TEST_POSTGRES_URL is not set: .ci/run must start PostgreSQL")
        pytest.skip("no PostgreSQL server (set PAYFORCE_TEST_POSTGRES_URL or run `make test`)")
    return url


def _fresh_postgres_store() -> Iterator[Store]:
    url = postgres_url()
    assert url is not None
    schema = "t_" + uuid.uuid4().hex[:12]
    import sqlalchemy

    admin = sqlalchemy.create_engine(url.replace("postgresql://", "postgresql+psycopg://", 1))
    with admin.begin() as conn:
        conn.execute(sqlalchemy.text(f'CREATE SCHEMA "{schema}"'))
    sep = "&" if "?" in url else "?"
    store = Store.open(f"{url}{sep}options=-csearch_path%3D{schema}")
    try:
        yield store
    finally:
        store.dispose()
        with admin.begin() as conn:
            conn.execute(sqlalchemy.text(f'DROP SCHEMA "{schema}" CASCADE'))
        admin.dispose()


@pytest.fixture
def empty_store(tmp_path: Path) -> Iterator[Store]:
    """A fresh SQLite store with the schema and no data."""
    store = Store.open(f"sqlite:///{tmp_path / 'payforce.db'}")
    yield store
    store.dispose()


@pytest.fixture
def store(empty_store: Store) -> Store:
    """A fresh SQLite store loaded with the bundled snapshot."""
    load_snapshot(empty_store)
    return empty_store


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def any_empty_store(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Store]:
    """A fresh empty store on each backend: SQLite, then a real PostgreSQL server."""
    if request.param == "sqlite":
        s = Store.open(f"sqlite:///{tmp_path / 'payforce.db'}")
        yield s
        s.dispose()
    else:
        yield from _fresh_postgres_store()


@pytest.fixture
def any_store(any_empty_store: Store) -> Store:
    """A fresh store on each backend, loaded with the bundled snapshot."""
    load_snapshot(any_empty_store)
    return any_empty_store


@pytest.fixture
def cli_env(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Point PAYFORCE_HOME at a temporary folder for in-process CLI tests."""
    monkeypatch.setenv("PAYFORCE_HOME", str(tmp_path / "home"))
    monkeypatch.delenv("PAYFORCE_DATABASE_URL", raising=False)
    return tmp_path / "home"
