"""The main commands at 80 and 120 columns: no line runs past the width.

The only line allowed to be longer is a single URL (or a bracketed URL) that is itself longer
than the width: links are printed whole, never cut.
"""

from __future__ import annotations

import pytest
from typer.testing import CliRunner

from payforce.cli import app

COMMANDS = [
    ["outlook", "--as-of", "2026-06-30"],
    ["role", "care manager", "--as-of", "2026-06-30"],
    ["signals", "--as-of", "2026-06-30"],
    ["trace", "99490", "--as-of", "2026-06-30"],
    ["docs", "--as-of", "2026-06-30"],
    ["codes"],
    ["pay", "99490", "--year", "2026"],
    ["ledger", "--as-of", "2026-06-30"],
    ["economics", "rpm"],
    ["calendar", "--as-of", "2026-05-01", "--days", "90"],
    ["pivot", "UR nurse", "--as-of", "2026-06-30"],
    ["backtest"],
]


@pytest.fixture(scope="module")
def home(tmp_path_factory: pytest.TempPathFactory) -> str:
    path = tmp_path_factory.mktemp("fits") / "home"
    r = CliRunner().invoke(app, ["init"], env={"PAYFORCE_HOME": str(path)})
    assert r.exit_code == 0, r.output
    return str(path)


def _unbreakable(line: str) -> bool:
    token = line.strip()
    return " " not in token and "://" in token


@pytest.mark.parametrize("width", [80, 120])
@pytest.mark.parametrize("args", COMMANDS, ids=lambda a: a[0])
def test_command_fits_the_terminal(home: str, args: list[str], width: int) -> None:
    env = {"PAYFORCE_HOME": home, "COLUMNS": str(width), "PAYFORCE_DATABASE_URL": ""}
    r = CliRunner().invoke(app, args, env=env)
    assert r.exit_code == 0, r.output
    lines = r.stdout.splitlines()
    assert lines
    too_long = [ln for ln in lines if len(ln) > width and not _unbreakable(ln)]
    assert too_long == []
    assert not any("\x1b]8" in ln for ln in lines)  # no hyperlink escapes into a pipe
    assert "Newest evidence in the store:" in r.stdout + r.stderr


@pytest.mark.parametrize("args", COMMANDS[:3], ids=lambda a: a[0])
def test_answers_name_the_questions_and_explain_the_numbers(home: str, args: list[str]) -> None:
    env = {"PAYFORCE_HOME": home, "COLUMNS": "80", "PAYFORCE_DATABASE_URL": ""}
    text = CliRunner().invoke(app, args, env=env).stdout
    assert "Questions: new code = " in text
    assert " Q1" not in text and "Q5 " not in text
    assert "…" not in text  # evidence is whole, never cut
    if args[0] != "signals":
        assert "Score = growth minus pressure, in evidence points" in text
        assert "Confidence, 0 to 1:" in text
