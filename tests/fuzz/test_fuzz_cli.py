"""Property: every `sync … --from-file`, `assess answer` and `economics --config/--claims`, run
end to end in-process on a real store (SQLite, then PostgreSQL), with real files carrying one
hostile change and hostile option values, exits 0, 1 (one `Error:` line) or 2 (usage), never
with a traceback; under `--json` an error is the envelope; and a rejected run writes nothing
(the store's write counter is unchanged)."""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from fuzz_store import BACKENDS, FuzzStore, fuzz_store, table_count
from fuzz_support import (
    BLS,
    COUNTS,
    EP,
    FR,
    FUZZ,
    GPCI,
    HCPCS,
    LOCCO,
    MSSP,
    ONET,
    OUTCOMES,
    PPRRVU,
    REGS,
    configs,
    fr_records,
    hostile_text,
    mutated,
    scaled,
)
from hypothesis import given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from payforce.cli import app

pytestmark = pytest.mark.filterwarnings("ignore:Generating overly large repr")
N = scaled(100)
"""Examples per command and backend (each runs the whole command against the store)."""
N_ECONOMICS = scaled(60)
"""Examples of `economics --config/--claims` (each runs the program model: ~0.15 s)."""
RUNNER = CliRunner()
ENV: dict[str, str | None] = {"COLUMNS": "200", "PAYFORCE_DATABASE_URL": None}
"""Completed per module with a PAYFORCE_HOME of its own (cached answers, downloads)."""
SYNCS = {"federal-register", "fee-schedule", "hcpcs", "mssp", "bls", "onet"}
"""Every `sync` subcommand (checked against the app: a new one needs a test here)."""


@dataclass
class Cli:
    fs: FuzzStore
    folder: Path
    respondents: list[str]
    sheets: dict[str, bytes]

    def run(self, name: str, args: list[str], files: dict[str, bytes], as_json: bool) -> Any:
        """Write ``files``, run the command on the store and check the properties."""
        for fname, data in files.items():
            path = self.folder / fname
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_bytes(data)
        before = self.fs.writes()
        argv = [*args, "--db", self.fs.url, *(["--json"] if as_json else [])]
        r = RUNNER.invoke(app, argv, env=ENV)
        COUNTS[f"{self.fs.backend} cli {name}"] += 1
        OUTCOMES[f"{self.fs.backend} exit {r.exit_code}"] += 1
        check(r, as_json)
        if r.exit_code != 0:
            assert self.fs.writes() == before, f"rejected (exit {r.exit_code}) but wrote rows"
        return r


def check(r: Any, as_json: bool) -> None:
    """Exit 0, 1 or 2; no traceback; one `Error:` line or the JSON envelope."""
    if r.exception is not None and not isinstance(r.exception, SystemExit):
        raise AssertionError(f"exception escaped: {r.exception!r}") from r.exception
    assert "Traceback" not in r.stdout and "Traceback" not in r.stderr
    assert r.exit_code in (0, 1, 2), (r.exit_code, r.output[-500:])
    if as_json and r.exit_code == 0:
        assert json.loads(r.stdout)["ok"] is True
    elif as_json:
        envelope = json.loads(r.stdout)
        assert envelope["ok"] is False and envelope["status"] in (400, 404), envelope
        assert envelope["error"].strip() and "\n" not in envelope["error"], envelope
    elif r.exit_code == 1:
        last = r.stderr.strip().splitlines()[-1]
        assert last.startswith("Error: ") and len(last) > len("Error: "), r.stderr[-500:]


@pytest.fixture(scope="module", params=BACKENDS)
def cli(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Cli]:
    folder = tmp_path_factory.mktemp("fuzz-cli")
    ENV["PAYFORCE_HOME"] = str(folder / "home")
    with fuzz_store(request.param, folder) as fs:
        fs.watch()
        assert table_count(fs.store) >= 35
        made = RUNNER.invoke(
            app,
            ["assess", "new", "Fuzz Clinic", "--respondent", "CEO", "--respondent", "CMO"]
            + ["--db", fs.url, "--json"],
            env=ENV,
        )
        assert made.exit_code == 0, made.output
        tokens = [p["token"] for p in json.loads(made.stdout)["respondents"]]
        sheets = {}
        for fmt in ("yaml", "csv"):
            r = RUNNER.invoke(
                app,
                ["assess", "template", "--format", fmt, "--token", tokens[0], "--db", fs.url],
                env=ENV,
            )
            assert r.exit_code == 0, r.output
            sheets[fmt] = r.stdout.encode()
        yield Cli(fs, folder, tokens, sheets)


def test_every_sync_command_is_fuzzed() -> None:
    import typer

    group = typer.main.get_command(app)
    sync = group.commands["sync"]  # type: ignore[attr-defined]
    assert set(sync.commands) == SYNCS
    taking = {
        name
        for name, cmd in group.commands.items()  # type: ignore[attr-defined]
        for p in cmd.params
        if {"--config", "--claims"} & set(p.opts)
    }
    assert taking == {"economics"}, "a new command takes --config/--claims: fuzz it here"


years = st.sampled_from(["2026", "2026", "2026", "2025", "0", "-1", "99999", "2026.0", "x"])
flags = st.booleans()


@settings(FUZZ, max_examples=N)
@given(
    kind=st.sampled_from(["PPRRVU2026_Jul.csv", "GPCI2026.csv", "26LOCCO.csv"]),
    data=st.data(),
    year=years,
    proposed=flags,
    released=st.one_of(st.none(), st.just("2026-01-02"), hostile_text),
    as_json=flags,
)
def test_sync_fee_schedule(cli: Cli, kind, data, year, proposed, released, as_json) -> None:
    base = {"PPRRVU2026_Jul.csv": PPRRVU, "GPCI2026.csv": GPCI, "26LOCCO.csv": LOCCO}[kind]
    args = ["sync", "fee-schedule", "--year", year, "--from-file", str(cli.folder / kind)]
    args += ["--proposed"] if proposed else []
    args += ["--released", released] if released is not None else []
    cli.run("sync fee-schedule", args, {kind: data.draw(mutated(base))}, as_json)


@settings(FUZZ, max_examples=N)
@given(raw=mutated(HCPCS, b"\t"), year=years, as_json=flags)
def test_sync_hcpcs(cli: Cli, raw: bytes, year: str, as_json: bool) -> None:
    name = "HCPC2019_CONTR_ANWEB.txt"
    args = ["sync", "hcpcs", "--year", year, "--from-file", str(cli.folder / name)]
    cli.run("sync hcpcs", args, {name: raw}, as_json)


@settings(FUZZ, max_examples=N)
@given(
    pick=st.sampled_from([("national_M2023_dl.csv", BLS), ("ep_table_1_4.csv", EP)]),
    data=st.data(),
    year=st.one_of(st.none(), years),
    as_json=flags,
)
def test_sync_bls(cli: Cli, pick, data, year, as_json) -> None:
    name, base = pick
    args = ["sync", "bls", "--from-file", str(cli.folder / name), "--no-projections"]
    args += ["--year", year] if year is not None else []
    cli.run("sync bls", args, {name: data.draw(mutated(base))}, as_json)


@settings(FUZZ, max_examples=N)
@given(raw=mutated(ONET, b"\t"), release=st.one_of(st.none(), hostile_text), as_json=flags)
def test_sync_onet(cli: Cli, raw: bytes, release: str | None, as_json: bool) -> None:
    args = ["sync", "onet", "--from-file", str(cli.folder / "onet")]
    args += ["--release", release] if release is not None else []
    cli.run("sync onet", args, {"onet/Occupation Data.txt": raw}, as_json)


@settings(FUZZ, max_examples=N)
@given(raw=mutated(MSSP), year=st.one_of(st.none(), st.just("2024"), years), as_json=flags)
def test_sync_mssp(cli: Cli, raw: bytes, year: str | None, as_json: bool) -> None:
    name = "PY 2024 ACO Results PUF.csv"
    args = ["sync", "mssp", "--from-file", str(cli.folder / name)]
    args += ["--year", year] if year is not None else []
    cli.run("sync mssp", args, {name: raw}, as_json)


fr_files = st.one_of(
    st.tuples(st.just("page.json"), mutated(FR)),
    st.tuples(
        st.just("records.jsonl"),
        st.lists(fr_records(), min_size=1, max_size=3).map(
            lambda rs: "\n".join(json.dumps(r, allow_nan=True) for r in rs).encode()
        ),
    ),
    st.tuples(st.just("regulations_gov.jsonl"), mutated(REGS, b'", "')),
)


@settings(FUZZ, max_examples=N)
@given(
    file=fr_files,
    extra=st.sampled_from([[], [], ["--out-of-scope"], ["--type", "RULE"]]),
    as_json=flags,
)
def test_sync_federal_register(cli: Cli, file: tuple[str, bytes], extra, as_json) -> None:
    name, raw = file
    args = ["sync", "federal-register", "--from-file", str(cli.folder / name), *extra]
    cli.run("sync federal-register", args, {name: raw}, as_json)


@settings(FUZZ, max_examples=N)
@given(
    fmt=st.sampled_from(["yaml", "csv"]),
    data=st.data(),
    token=st.one_of(st.just(0), st.just(1), hostile_text),
    as_json=flags,
)
def test_assess_answer(cli: Cli, fmt: str, data: Any, token: Any, as_json: bool) -> None:
    sheet = cli.sheets[fmt]
    raw = data.draw(mutated(sheet, b"," if fmt == "csv" else b": "))
    name = f"answers.{fmt}"
    token = cli.respondents[token] if isinstance(token, int) else token
    args = ["assess", "answer", str(cli.folder / name), "--token", token]
    cli.run("assess answer", args, {name: raw}, as_json)


CLAIMS = b"patient,period,code,practitioner\np1,2026-03,99470,a\np1,2026-03,99457,a\n"
CONFIG = (
    b"programs:\n  rpm:\n    eligible: {value: 2000, source: our registry}\n"
    b"capacities:\n  rpm_nurse: {value: 4000, source: our time study}\n"
)
programs = st.sampled_from(["ccm", "rpm", "rpm", "pcm", "bhi", "tcm", "xx"])


@settings(FUZZ, max_examples=N_ECONOMICS)
@given(
    program=programs,
    config=st.one_of(mutated(CONFIG, b": "), configs().map(str.encode)),
    as_json=flags,
)
def test_economics_config(cli: Cli, program: str, config: bytes, as_json: bool) -> None:
    args = ["economics", program, "--config", str(cli.folder / "mine.yaml")]
    cli.run("economics --config", args, {"mine.yaml": config}, as_json)


@settings(FUZZ, max_examples=N_ECONOMICS)
@given(
    program=programs,
    claims=st.one_of(
        mutated(CLAIMS),
        st.lists(st.tuples(hostile_text, hostile_text, hostile_text, hostile_text), max_size=4).map(
            lambda rows: CLAIMS + "\n".join(",".join(r) for r in rows).encode("utf-8", "replace")
        ),
    ),
    as_json=flags,
)
def test_economics_claims(cli: Cli, program: str, claims: bytes, as_json: bool) -> None:
    args = ["economics", program, "--claims", str(cli.folder / "claims.csv")]
    cli.run("economics --claims", args, {"claims.csv": claims}, as_json)


def test_the_write_counter_sees_a_partial_write(cli: Cli) -> None:
    """The detector behind "nothing written": a committed row in any table (user data too)
    moves it, a rolled-back one does not."""
    from sqlalchemy import text

    store = cli.fs.store
    before = cli.fs.writes()
    with pytest.raises(RuntimeError), store.begin() as conn:
        conn.execute(text("UPDATE assess_respondents SET name = 'x'"))
        raise RuntimeError("fails after a partial write: rolled back")
    assert cli.fs.writes() == before
    with store.begin() as conn:
        conn.execute(text("UPDATE assess_respondents SET name = name WHERE seq = 1"))
        conn.execute(text("DELETE FROM watches WHERE 1 = 0"))
    assert cli.fs.writes() == before + 1
