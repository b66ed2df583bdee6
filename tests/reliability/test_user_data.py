"""User data is never collateral: init --reset keeps it, asks before deleting it, and
backup / restore bring it back (SQLite and PostgreSQL)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from payforce.assessment.instrument import load_instrument
from payforce.assessment.service import admin_view, start_assessment, submit_answers
from payforce.cli import app
from payforce.errors import ParseError
from payforce.store.db import Store
from payforce.store.fr_tables import add_watch, list_watches
from payforce.store.userdata import (
    USER_TABLES,
    backup_user_data,
    reference_tables,
    restore_user_data,
    user_data_counts,
    write_backup,
)

runner = CliRunner()


def run(*args: str) -> Any:
    return runner.invoke(app, list(args), env={"COLUMNS": "200"})


def seed(store: Store) -> str:
    """One watch and one answered assessment; returns the admin token."""
    inst = load_instrument()
    add_watch(store, "code", "99490")
    made = start_assessment(
        store, inst, "Mercy", created_at="2026-07-01T00:00:00Z", respondents=[("CMO", "Lee")]
    )
    rec, token = made.respondents[0]
    submit_answers(store, inst, token, {"D1.01": 3}, updated_at="2026-07-02T00:00:00Z")
    assert made.admin_token
    return made.admin_token


def test_every_table_is_user_or_reference_data() -> None:
    from payforce.store import schema

    names = {t.name for t in reference_tables()} | set(USER_TABLES) | {"meta", "migrations"}
    assert names == set(schema.metadata.tables)
    assert not {t.name for t in reference_tables()} & set(USER_TABLES)


def test_reset_rebuilds_reference_data_and_keeps_user_data(cli_env: Path) -> None:
    assert run("init").exit_code == 0
    store = Store.open(f"sqlite:///{cli_env / 'payforce.db'}")
    admin = seed(store)
    store.dispose()
    r = run("init", "--reset")
    assert r.exit_code == 0, r.output
    assert "kept your data: 1 watch, 1 organization, 1 assessment, 1 respondent, 1 answer" in (
        r.stdout
    )
    store = Store.open(f"sqlite:///{cli_env / 'payforce.db'}")
    assert [w.value for w in list_watches(store)] == ["99490"]
    data = admin_view(store, load_instrument(), admin)  # the admin token still works
    assert data.organization.name == "Mercy"


def test_reset_with_user_data_refuses_without_a_terminal(cli_env: Path) -> None:
    assert run("init").exit_code == 0
    seed(Store.open(f"sqlite:///{cli_env / 'payforce.db'}"))
    r = run("init", "--reset", "--include-user-data")
    assert r.exit_code == 1
    assert r.stderr.strip().splitlines() == [
        "Error: init --reset: would delete your data (1 watch, 1 organization, 1 assessment, "
        "1 respondent, 1 answer); nobody to ask. Run payforce backup --out FILE, then add --yes"
    ]
    assert user_data_counts(Store.open(f"sqlite:///{cli_env / 'payforce.db'}"))["watches"] == 1


def test_reset_with_user_data_and_yes_writes_a_backup_first(cli_env: Path) -> None:
    assert run("init").exit_code == 0
    seed(Store.open(f"sqlite:///{cli_env / 'payforce.db'}"))
    r = run("init", "--reset", "--include-user-data", "--yes")
    assert r.exit_code == 0, r.output
    assert not any(user_data_counts(Store.open(f"sqlite:///{cli_env / 'payforce.db'}")).values())
    backups = list((cli_env / "backups").glob("user-data-*.json"))
    assert len(backups) == 1
    assert run("restore", str(backups[0])).exit_code == 0
    assert "99490" in run("watch", "list").stdout


def test_include_user_data_needs_reset(cli_env: Path) -> None:
    r = run("init", "--include-user-data")
    assert r.exit_code == 1 and "only with --reset" in r.stderr


def test_backup_and_restore_round_trip(any_store: Store, tmp_path: Path) -> None:
    admin = seed(any_store)
    before = backup_user_data(any_store)["tables"]
    path = tmp_path / "b.json"
    write_backup(any_store, path)
    # lose everything (as init --reset --include-user-data would), then restore
    from payforce.store.snapshot import reset_store

    url = any_store.engine.url.render_as_string(hide_password=False)
    fresh = reset_store(url, include_user_data=True)
    assert not any(user_data_counts(fresh).values())
    counts = restore_user_data(fresh, path)
    assert counts["assess_answers"] == 1 and counts["watches"] == 1
    assert backup_user_data(fresh)["tables"] == before
    assert admin_view(fresh, load_instrument(), admin).organization.name == "Mercy"
    # ids continue after the restored ones (PostgreSQL sequences moved past them)
    add_watch(fresh, "code", "99491")
    assert [w.value for w in list_watches(fresh)] == ["99490", "99491"]
    fresh.dispose()


@pytest.mark.parametrize(
    ("doc", "words"),
    [
        (b"\xff\xfe garbage", "not a payforce backup"),
        (b"[]", "not a payforce backup"),
        (json.dumps({"format": "payforce-user-data", "version": 9}).encode(), "version"),
        (
            json.dumps(
                {"format": "payforce-user-data", "version": 1, "tables": {"roles": []}}
            ).encode(),
            "not a user-data table",
        ),
        (
            json.dumps(
                {
                    "format": "payforce-user-data",
                    "version": 1,
                    "tables": {
                        "watches": [
                            {"id": 1, "kind": "code", "value": "x" * 300, "created_at": "now"}
                        ]
                    },
                }
            ).encode(),
            "field watches[1].value: longer than 200 characters",
        ),
    ],
)
def test_bad_backup_is_refused_and_changes_nothing(
    any_store: Store, tmp_path: Path, doc: bytes, words: str
) -> None:
    seed(any_store)
    before = backup_user_data(any_store)["tables"]
    path = tmp_path / "bad.json"
    path.write_bytes(doc)
    with pytest.raises(ParseError) as caught:
        restore_user_data(any_store, path)
    assert words in caught.value.message
    assert backup_user_data(any_store)["tables"] == before


def test_backup_and_restore_commands(cli_env: Path, tmp_path: Path) -> None:
    assert run("watch", "add", "--code", "99490").exit_code == 0
    r = run("backup", "--out", str(tmp_path / "b.json"))
    assert r.exit_code == 0 and "Saved 1 watch to" in r.stdout
    assert run("watch", "remove", "1").exit_code == 0
    r = run("restore", str(tmp_path / "b.json"))
    assert r.exit_code == 0, r.output
    assert "Restored 1 watch" in r.stdout
    assert "99490" in run("watch", "list").stdout
    bad = tmp_path / "bad.json"
    bad.write_bytes(b"\x00\x01")
    r = run("restore", str(bad))
    assert r.exit_code == 1 and "not a payforce backup" in r.stderr
