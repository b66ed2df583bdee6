"""Every import validated against the ranges its source allows, refused in one line naming the
file, line and field, with nothing written; option ranges and the --config schema likewise."""

from __future__ import annotations

import hashlib
import os
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from payforce.cli import app
from payforce.economics.program_spec import load_economics_with
from payforce.errors import KnowledgeError, ParseError
from payforce.sources.fr_records import SkippedRecord, parse_record_row
from payforce.sources.validate import FR_DOCUMENT_SIZES, decode_utf8

runner = CliRunner()
FIXTURES = Path(__file__).parent.parent / "fixtures"
PPRRVU = FIXTURES / "fee_schedule" / "PPRRVU2026_Jul_nonQPP_excerpt.csv"
BLS = FIXTURES / "bls" / "national_M2023_dl_healthcare_sample.csv"
ROW_99490 = "99490,,Chrnc care mgmt staff 1st 20,A,,1.00,"


def run(*args: str) -> Any:
    return runner.invoke(app, list(args), env={"COLUMNS": "200"})


def store_hash(home: Path) -> str:
    """The store's logical content (a checkpoint of the WAL by a closing connection changes
    the file's bytes, not its content)."""
    import sqlite3

    conn = sqlite3.connect(home / "payforce.db")
    try:
        return hashlib.sha256("\n".join(conn.iterdump()).encode()).hexdigest()
    finally:
        conn.close()


def one_line(r: Any, words: str, code: int = 1) -> None:
    assert r.exit_code == code, r.output
    last = r.stderr.strip().splitlines()[-1]
    assert last.startswith("Error: ") and words in last, r.stderr
    assert "Traceback" not in r.output


@pytest.mark.parametrize(
    ("work", "words"),
    [
        ("1e308", "line 118, field WORK RVU: must be 1000 or less ('1e308')"),
        ("-5.00", "line 118, field WORK RVU: must be 0 or more ('-5.00')"),
        ("nan", "line 118, field WORK RVU: not a finite number ('nan')"),
    ],
)
def test_fee_schedule_rvus_out_of_range_are_refused(cli_env, tmp_path, work, words):
    assert run("init").exit_code == 0
    text = PPRRVU.read_text(encoding="latin-1")
    assert ROW_99490 in text
    bad = tmp_path / "PPRRVU2026_bad.csv"
    bad.write_text(text.replace(ROW_99490, ROW_99490.replace(",1.00,", f",{work},")), "latin-1")
    before = store_hash(cli_env)
    one_line(run("sync", "fee-schedule", "--year", "2026", "--from-file", str(bad)), words)
    assert store_hash(cli_env) == before


def test_fee_schedule_zero_conversion_factor_is_refused(cli_env, tmp_path):
    assert run("init").exit_code == 0
    bad = tmp_path / "PPRRVU2026_cf0.csv"
    bad.write_text(PPRRVU.read_text("latin-1").replace(",33.4009,", ",0,"), "latin-1")
    before = store_hash(cli_env)
    r = run("sync", "fee-schedule", "--year", "2026", "--from-file", str(bad))
    one_line(r, "field CONV FACTOR: must be above 0 ('0')")
    assert store_hash(cli_env) == before


@pytest.mark.parametrize(
    ("value", "words"),
    [
        ("-5", "field TOT_EMP: must be 0 or more ('-5')"),
        ("nan", "field TOT_EMP: not a number ('nan')"),
        ("99999999999999999999999999", "field TOT_EMP: must be 1e+09 or less"),
    ],
)
def test_bls_negative_nan_and_huge_values_are_refused(cli_env, tmp_path, value, words):
    assert run("init").exit_code == 0
    lines = BLS.read_text(encoding="utf-8").splitlines(keepends=True)
    header = lines[0].split(",")
    i = header.index("TOT_EMP")
    row = lines[1].split(",")
    row[i] = value
    bad = tmp_path / "national_M2023_dl.csv"
    bad.write_text(lines[0] + ",".join(row) + "".join(lines[2:]), encoding="utf-8")
    before = store_hash(cli_env)
    one_line(run("sync", "bls", "--from-file", str(bad)), words)
    assert store_hash(cli_env) == before


@pytest.mark.parametrize(
    "args",
    [
        ("sync", "bls", "--from-file", "RANDOM"),
        ("sync", "bls", "--from-file", "DIR"),
        ("sync", "onet", "--from-file", "RANDOMDIR"),
        ("assess", "answer", "RANDOM", "--token", "x"),
        ("economics", "ccm", "--config", "RANDOM"),
        ("economics", "ccm", "--claims", "RANDOM"),
        ("sync", "fee-schedule", "--year", "2026", "--from-file", "RANDOM"),
        ("sync", "hcpcs", "--year", "2026", "--from-file", "RANDOM"),
        ("sync", "federal-register", "--from-file", "RANDOM"),
        ("restore", "RANDOM"),
    ],
)
def test_binary_files_are_one_line_errors(cli_env, tmp_path, args):
    assert run("init").exit_code == 0
    rnd = tmp_path / "random.bin"
    rnd.write_bytes(os.urandom(4096))
    folder = tmp_path / "onet"
    folder.mkdir()
    (folder / "Occupation Data.txt").write_bytes(bytes(range(128, 256)) * 32)
    sub = {"RANDOM": str(rnd), "DIR": str(tmp_path), "RANDOMDIR": str(folder)}
    before = store_hash(cli_env)
    r = run(*[sub.get(a, a) for a in args])
    assert r.exit_code in (1, 3), r.output
    lines = r.stderr.strip().splitlines()
    assert lines and lines[-1].startswith("Error: "), r.stderr
    assert "Traceback" not in r.output
    assert store_hash(cli_env) == before


@pytest.mark.parametrize(
    ("args", "words"),
    [
        (("pay", "99490", "--year", "0"), "--year: not a fee-schedule year (0)"),
        (("pay", "99490", "--year", "99999999999999999999"), "--year: not a fee-schedule year"),
        (("economics", "ccm", "--year", "0"), "--year: must be a number from 1,900 to 2,100 (0)"),
        (("feed", "--out", "f.atom", "--limit", "-1"), "--limit: must be a number from 1"),
        (("economics", "ccm", "--eligible", "1e308"), "--eligible: must be a number"),
        (("economics", "ccm", "--eligible", "nan"), "--eligible: must be a number"),
        (("economics", "ccm", "--eligible", "inf"), "--eligible: must be a number"),
        (("calendar", "--days", "999999999"), "--days: must be a number from 0"),
        (("watch", "remove", "999999999999999999999"), "watch number: must be a number"),
    ],
)
def test_option_ranges_are_one_line_errors(cli_env, args, words):
    one_line(run(*args), words)


@pytest.mark.parametrize(
    ("yaml_text", "words"),
    [
        ("capcities: {}", "field capcities: unknown key (did you mean capacities?)"),
        ("defaults: {fte_incremnt: 1}", "unknown key (did you mean fte_increment?)"),
        ("programs: {cocn: {}}", "field cocn: unknown key (did you mean cocm?)"),
        ("capacities: {care_manager_rn: {value: -100}}", "must be above 0"),
        ("capacities: {care_manager_rn: {value: 0}}", "must be above 0"),
        ("capacities: [1, 2]", "expected a mapping, found list"),
        ("defaults: {fte_increment: {value: 0}}", "must be from 0.01"),
        ("defaults: {max_panel: {value: 1000000000}}", "must be from 1 up to 1e+06"),
        ("defaults: {year: next}", "not a year"),
        ("programs: {ccm: {staff_mix: nurse}}", "expected a mapping, found str"),
        ("programs: {ccm: {segments: [{label: a, share: 1, minutes: .nan}]}}", "not a finite"),
        ("programs: {ccm: {segments: [{label: a, share: -1, minutes: 3}]}}", "must be from 0"),
        ("programs: {ccm: {staff_mix: {astronaut: 1.0}}}", "no capacity for role 'astronaut'"),
        ("version: &a [1, 2]\ndefaults: *a", "expected a mapping, found list"),
    ],
)
def test_config_schema(yaml_text, words):
    with pytest.raises(KnowledgeError) as caught:
        load_economics_with(yaml_text, "mine.yaml")
    assert words in caught.value.message
    assert caught.value.message.startswith("mine.yaml")


def test_config_staff_mix_replaces_the_bundled_mix():
    econ = load_economics_with("programs: {ccm: {staff_mix: {rpm_nurse: 1.0}}}", "mine.yaml")
    assert econ.programs["ccm"].staff_mix == {"rpm_nurse": 1.0}


def test_federal_register_lengths_are_refused_alike_on_both_databases():
    record = {
        "document_number": "2024-00001",
        "publication_date": "2024-01-02",
        "type": "Rule",
        "title": "A rule",
        "citation": "C" * 106,
    }
    row = parse_record_row(record, "records.jsonl line 1")
    assert isinstance(row, SkippedRecord)
    assert row.reason == "citation longer than 60 characters (106)"


def test_fr_sizes_match_the_schema():
    from payforce.store import schema

    schema.load_area_tables()
    tables = schema.metadata.tables
    for name, size in FR_DOCUMENT_SIZES.items():
        table = "fr_documents" if name == "correction_of" else "documents"
        assert tables[table].c[name].type.length == size  # type: ignore[attr-defined]


def test_column_sizes_refused_alike_on_both_databases(any_store):
    from payforce.errors import InputError
    from payforce.store import schema
    from payforce.store.db import upsert_rows

    with pytest.raises(InputError, match=r"roles.role_key: longer than 60 characters"):
        with any_store.begin() as conn:
            upsert_rows(conn, schema.roles, [{"role_key": "r" * 61, "title": "t"}])


def test_decode_utf8_names_the_line():
    with pytest.raises(ParseError, match=r"f.csv line 2: not a UTF-8 text file \(byte 4"):
        decode_utf8(b"ok\nx\xff", path="f.csv")


def test_nul_in_a_text_field_is_one_line_on_both_databases(any_store, tmp_path):
    """Found by the fuzz suite: a NUL in a GPCI locality name escaped as psycopg's DataError
    (a traceback) on PostgreSQL and was stored on SQLite; now refused alike, nothing written."""
    from sqlalchemy import func, select

    from payforce.store import schema

    schema.load_area_tables()
    gpcis = schema.metadata.tables["gpcis"]
    bad = tmp_path / "GPCI2025.csv"
    text = (FIXTURES / "fee_schedule" / "GPCI2025.csv").read_bytes()
    assert b",ALABAMA," in text
    bad.write_bytes(text.replace(b",ALABAMA,", b",\x00ALABAMA,", 1))
    args = ["sync", "fee-schedule", "--year", "2025", "--from-file", str(bad)]
    r = runner.invoke(app, [*args, "--db", any_store.url], env={"COLUMNS": "200"})
    one_line(r, "gpcis.name: holds a NUL character ('\\x00ALABAMA')")
    with any_store.connect() as conn:
        assert conn.execute(select(func.count()).select_from(gpcis)).scalar_one() == 0


@pytest.mark.postgres
def test_postgres_nul_refusal_is_one_line_wherever_it_is_written(any_store):
    """The safety net under every write: PostgreSQL's NUL refusal becomes one InputError line
    naming the table, and the transaction rolls back."""
    from sqlalchemy import func, select

    from payforce.errors import InputError
    from payforce.store import schema

    if any_store.dialect != "postgresql":
        pytest.skip("PostgreSQL only: SQLite stores a NUL")
    with any_store.connect() as conn:
        before = conn.execute(select(func.count()).select_from(schema.roles)).scalar_one()
    row = {"role_key": "nul_role", "title": "Nurse\x00", "summary": ""}
    with pytest.raises(InputError, match=r"^roles: a text value holds a NUL character"):
        with any_store.begin() as conn:
            conn.execute(schema.meta.insert(), {"key": "fz", "value": "x"})
            conn.execute(schema.roles.insert(), row)
    with any_store.connect() as conn:
        assert conn.execute(select(func.count()).select_from(schema.roles)).scalar_one() == before
        assert conn.execute(select(schema.meta).where(schema.meta.c.key == "fz")).first() is None
