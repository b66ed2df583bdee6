"""The fast read path: a cached answer only for the same request, store contents and code."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from datetime import date
from pathlib import Path

import pytest
from typer.testing import CliRunner

from payforce.cli import app
from payforce.terminal import quick


@pytest.mark.parametrize(
    ("argv", "request_"),
    [
        (["outlook"], {"command": "outlook", "json": False}),
        (
            ["outlook", "--as-of=2016-01-01", "--json"],
            {"command": "outlook", "json": True, "as_of": "2016-01-01"},
        ),
        (
            ["role", "care manager", "--as-of", "2026-06-30"],
            {"command": "role", "json": False, "text": "care manager", "as_of": "2026-06-30"},
        ),
        (
            ["signals", "--question", "5", "--since", "2014-01-01"],
            {"command": "signals", "json": False, "question": 5, "since": "2014-01-01"},
        ),
    ],
)
def test_parse_request_normalises_cacheable_commands(argv, request_):
    assert quick.parse_request(argv) == request_


@pytest.mark.parametrize(
    "argv",
    [
        ["outlook", "--help"],
        ["outlook", "--as-of", "not-a-date"],
        ["signals", "--question", "6"],
        ["role"],
        ["role", "a", "b"],
        ["pay", "99490"],
        ["outlook", "--as-of"],
    ],
)
def test_anything_unusual_goes_to_the_full_cli(argv):
    assert quick.parse_request(argv) is None


def test_cache_key_changes_with_the_store_the_code_and_the_day(tmp_path, monkeypatch):
    db = tmp_path / "payforce.db"
    db.write_bytes(b"x" * 100)
    request = {"command": "outlook", "json": False}
    today = date(2026, 12, 6)
    key = quick.cache_key(request, db, today)
    assert quick.cache_key({**request, "json": True}, db, today) == key  # same answer
    assert quick.cache_key(request, db, date(2026, 12, 7)) != key
    assert quick.cache_key({**request, "as_of": "2016-01-01"}, db, today) != key
    db.write_bytes(b"y" * 101)  # any write: init, a sync, a restore
    assert quick.cache_key(request, db, today) != key
    key = quick.cache_key(request, db, today)
    monkeypatch.setattr(quick, "code_fingerprint", lambda: "another version of payforce")
    assert quick.cache_key(request, db, today) != key


def test_saved_answer_is_found_until_the_store_changes(tmp_path):
    db = tmp_path / "payforce.db"
    db.write_bytes(b"store")
    request = {"command": "outlook", "json": False}
    today = date(2026, 12, 6)
    quick.save(request, db, {"ok": True, "as_of": "2026-12-06"}, today)
    assert quick.lookup(request, db, today) == {"ok": True, "as_of": "2026-12-06"}
    os.utime(db, ns=(1, 1))
    assert quick.lookup(request, db, today) is None
    quick.save(request, db, {"ok": True}, today)
    quick.clear(db)
    assert quick.lookup(request, db, today) is None


def test_cached_answer_prints_exactly_what_the_full_cli_printed(tmp_path):
    home = tmp_path / "home"
    env = {**os.environ, "PAYFORCE_HOME": str(home), "COLUMNS": "80"}
    env.pop("PAYFORCE_DATABASE_URL", None)
    args = ["outlook", "--as-of", "2026-06-30", "--json"]
    full = CliRunner().invoke(app, args, env={"PAYFORCE_HOME": str(home), "COLUMNS": "80"})
    assert full.exit_code == 0
    cmd = [
        sys.executable,
        "-c",
        "import sys, payforce.terminal.quick as q; sys.exit(0 if q.run(sys.argv[1:]) else 5)",
        *args,
    ]
    fast = subprocess.run(cmd, env=env, capture_output=True, text=True, check=False)
    assert fast.returncode == 0, fast.stderr
    assert fast.stdout == full.stdout
    assert json.loads(fast.stdout)["freshness"]["newest_evidence"]
    answers = list((Path(home) / quick.CACHE_DIR_NAME).glob("*.json"))
    assert len(answers) == 1
    text_mode = [
        sys.executable,
        "-c",
        "import sys, payforce.terminal.quick as q; assert q.run(sys.argv[1:]); "
        "heavy = {'sqlalchemy', 'pydantic', 'typer', 'rich', 'matplotlib', 'click'}; "
        "print(sorted(heavy & {m.split('.')[0] for m in sys.modules}), file=sys.stderr)",
        *args[:-1],
    ]
    shown = subprocess.run(text_mode, env=env, capture_output=True, text=True, check=False)
    assert shown.returncode == 0, shown.stderr
    assert "Workforce outlook as of 2026-06-30" in shown.stdout
    assert shown.stderr.strip().splitlines()[-1] == "[]"  # no heavy import on the read path
    sync = CliRunner().invoke(app, ["init"], env={"PAYFORCE_HOME": str(home)})
    assert sync.exit_code == 0
    assert list((Path(home) / quick.CACHE_DIR_NAME).glob("*.json")) == []
    again = subprocess.run(cmd, env=env, capture_output=True, text=True, check=False)
    assert again.returncode == 5  # nothing cached: the full CLI would run
