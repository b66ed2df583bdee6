"""Docs are tested: every command is in the README with an example, and has help."""

from __future__ import annotations

import re
from pathlib import Path

import typer
from typer.testing import CliRunner

from payforce.cli import app

README = (Path(__file__).parent.parent / "README.md").read_text(encoding="utf-8")


def _commands(group: typer.Typer, prefix: str = "payforce") -> list[tuple[str, object]]:
    out = []
    for cmd in group.registered_commands:
        name = cmd.name or cmd.callback.__name__.replace("_", "-")
        out.append((f"{prefix} {name}", cmd.callback))
    for sub in group.registered_groups:
        out.extend(_commands(sub.typer_instance, f"{prefix} {sub.name}"))
    return out


def test_every_command_is_in_the_readme_with_an_example():
    missing = [name for name, _ in _commands(app) if f"`{name}" not in README]
    assert missing == []


def test_every_command_docstring_ends_with_an_example():
    bad = [
        name
        for name, fn in _commands(app)
        if not re.search(r"Example: payforce .+$", (fn.__doc__ or "").strip())
    ]
    assert bad == []


def test_every_command_has_help():
    runner = CliRunner()
    for name, _ in _commands(app):
        args = name.split()[1:] + ["--help"]
        r = runner.invoke(app, args)
        assert r.exit_code == 0, name
        assert "Example: payforce" in r.stdout, name


def test_readme_has_the_two_commands():
    assert "pip install . && payforce outlook" in README
    assert "make test" in README
    ci = (Path(__file__).parent.parent / ".ci" / "run").read_text()
    assert "make test" in ci
