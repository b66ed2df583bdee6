"""docs/api.md's Python client, run as written against a live ``payforce serve``."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest
from tests.web.serving import ROOT, make_store, served

pytestmark = pytest.mark.slow


def _client_code() -> str:
    text = (ROOT / "docs" / "api.md").read_text(encoding="utf-8")
    blocks = re.findall(r"```python\n(.*?)```", text, flags=re.S)
    assert len(blocks) == 1, "docs/api.md should hold exactly one Python program"
    return blocks[0]


def test_the_documented_client_runs(tmp_path: Path) -> None:
    code = _client_code()
    assert 'BASE = "http://127.0.0.1:8000"' in code
    make_store(tmp_path)
    with served(tmp_path, "--no-access-log") as (base, _proc):
        program = code.replace('BASE = "http://127.0.0.1:8000"', f'BASE = "{base}"')
        result = subprocess.run(
            [sys.executable, "-c", program],
            capture_output=True,
            text=True,
            timeout=120,
            check=False,
        )
        import httpx

        total = httpx.get(f"{base}/api/documents?limit=1").json()["total"]
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    assert len(lines) == 6, result.stdout
    assert all(": " in line for line in lines[:3])
    assert lines[3].startswith(f"{total} documents; newest: ")
    assert lines[4].startswith("99490 (")
    assert lines[5].startswith("404 unknown code '99999'")
