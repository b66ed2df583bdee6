"""An independent schema fuzzer against a real server: Schemathesis (pinned in the ``dev`` extra)
reads only ``/api/openapi.json`` and must find nothing, on the bundled store and on a store with
synced Federal Register documents.

All checks (server errors, status codes, content types, headers, response schemas, schema-valid
requests accepted, schema-violating requests rejected, undeclared methods answered 405 with
``Allow``, ``OPTIONS``' ``Allow``), every phase (examples, coverage, fuzzing, stateful: the
OpenAPI links lead it from the lists to the items), a fixed seed and a bounded example count.
"""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest
from tests.web.serving import make_store, served

pytestmark = pytest.mark.slow

SEED = 20261206
MAX_EXAMPLES = 20
"""Examples per operation and phase; keeps both runs together well under 3 minutes."""


def run_schemathesis(base: str, report: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [
            sys.executable,
            "-c",
            "from schemathesis.cli import schemathesis; schemathesis()",
            "run",
            f"{base}/api/openapi.json",
            "--checks",
            "all",
            "--seed",
            str(SEED),
            "--max-examples",
            str(MAX_EXAMPLES),
            "--workers",
            "1",
            "--continue-on-failure",
            "--request-timeout",
            "120",
            "--report",
            "junit",
            "--report-junit-path",
            str(report),
        ],
        capture_output=True,
        text=True,
        cwd=report.parent,  # its .schemathesis/ cache stays out of the work tree
        timeout=600,
        check=False,
    )


@pytest.mark.parametrize("synced", [False, True], ids=["bundled", "synced"])
def test_schemathesis_finds_nothing(tmp_path: Path, synced: bool) -> None:
    make_store(tmp_path, synced=synced)
    with served(tmp_path, "--no-access-log") as (base, _proc):
        import httpx

        if synced:
            assert httpx.get(f"{base}/api/meta").json()["documents"] > 30
        # Computations made once per data version (outlooks, the rolling backtest: ~15 s) are
        # made before the fuzzer starts its clock (its response-time check allows 10 s).
        paths = httpx.get(f"{base}/api/openapi.json").json()["paths"]
        for path in ("/api/outlook", "/api/backtest"):
            if path in paths:
                assert httpx.get(f"{base}{path}", timeout=600).status_code == 200
        result = run_schemathesis(base, tmp_path / "junit.xml")
    out = result.stdout + result.stderr
    assert result.returncode == 0, out[-6000:]
    generated = re.search(r"(\d+) generated", out)
    assert generated is not None and int(generated.group(1)) > 500, out[-2000:]
    assert "Selected: 18/18" in out or "Selected: " in out
    assert not re.search(r"\b5\d\d\b \w+ Error", out)
    print(out[-1500:])
