"""Property: every parser behind `sync … --from-file`, `assess answer`, `--config` and `--claims`
either returns or raises a one-line PayforceError, for real files with hostile changes."""

from __future__ import annotations

from typing import Any

import pytest
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
    PPRRVU,
    configs,
    fr_records,
    hostile_text,
    mutated,
)
from hypothesis import given, settings
from hypothesis import strategies as st

from payforce.errors import PayforceError

N = 1200
"""Examples per parser (bounded: the suite runs in `make test`)."""
N_SLOW = 300
"""Examples for the parsers that re-read bundled YAML on every input."""


def survives(fn: Any, *args: Any, **kw: Any) -> None:
    """The call returns, or raises a PayforceError with a one-line message."""
    try:
        fn(*args, **kw)
    except PayforceError as exc:
        assert "\n" not in exc.message, exc.message
        assert exc.message.strip()


@pytest.mark.slow
@settings(FUZZ, max_examples=N)
@given(data=mutated(PPRRVU))
def test_pprrvu(data: bytes) -> None:
    from payforce.sources.pprrvu import parse_pprrvu_file

    COUNT("pprrvu")
    survives(parse_pprrvu_file, data, path="PPRRVU2026.csv")


@pytest.mark.slow
@settings(FUZZ, max_examples=N)
@given(data=st.one_of(mutated(GPCI), mutated(LOCCO)))
def test_gpci_and_locality(data: bytes) -> None:
    from payforce.sources.gpci import parse_gpci, parse_locality_counties

    COUNT("gpci")
    survives(parse_gpci, data, path="GPCI.csv")
    survives(parse_locality_counties, data, path="LOCCO.csv")


@pytest.mark.slow
@settings(FUZZ, max_examples=N)
@given(data=mutated(HCPCS, b"\t"))
def test_hcpcs(data: bytes) -> None:
    from payforce.sources.hcpcs import parse_hcpcs

    COUNT("hcpcs")
    survives(parse_hcpcs, data, path="HCPC2019_CONTR_ANWEB.txt")


@pytest.mark.slow
@settings(FUZZ, max_examples=N)
@given(data=st.one_of(mutated(BLS), mutated(EP)))
def test_bls(data: bytes) -> None:
    from payforce.sources.bls import parse_bls_file

    COUNT("bls")
    survives(parse_bls_file, data, "national_M2023_dl.csv")
    survives(parse_bls_file, data, "ep_table_1_4.csv")


@pytest.mark.slow
@settings(FUZZ, max_examples=N)
@given(data=mutated(ONET, b"\t"))
def test_onet(data: bytes) -> None:
    from payforce.sources.onet import _decode, parse_onet_files

    COUNT("onet")
    try:
        text = _decode(data, "Occupation Data.txt")
    except PayforceError:
        return
    survives(parse_onet_files, {"Occupation Data.txt": text}, "onet")


@pytest.mark.slow
@settings(FUZZ, max_examples=N)
@given(data=mutated(MSSP))
def test_mssp(data: bytes) -> None:
    from payforce.sources.mssp import parse_text

    COUNT("mssp")
    survives(parse_text, data, "PY 2024 ACO Results PUF.csv", 2024)


@pytest.mark.slow
@settings(FUZZ, max_examples=N)
@given(record=fr_records(), raw=mutated(FR))
def test_federal_register(record: dict[str, Any], raw: bytes) -> None:
    from payforce.sources.fr_records import parse_record, parse_search_page

    COUNT("federal_register")
    survives(parse_record, record, "records.jsonl line 1")
    survives(parse_search_page, raw, "page.json")


@pytest.mark.slow
@settings(FUZZ, max_examples=N_SLOW)
@given(text=st.one_of(
    st.builds(lambda qid, level, note: f"question,level,note\n{qid},{level},{note}\n",
              st.sampled_from(["D1.01", "D9.99", "", "x"]), hostile_text, hostile_text),
    st.builds(lambda qid, level: f"answers:\n  {qid}: {level}\n",
              st.sampled_from(["D1.01", "D3.02", "?"]), hostile_text),
    st.text(max_size=300),
))  # fmt: skip
def test_answer_sheets(text: str) -> None:
    from payforce.assessment.instrument import load_instrument
    from payforce.assessment.sheet import SheetFormat, parse_sheet

    COUNT("answer_sheets")
    inst = load_instrument()
    for fmt in SheetFormat:
        survives(parse_sheet, text, fmt, inst, f"answers.{fmt.value}")


@pytest.mark.slow
@settings(FUZZ, max_examples=N_SLOW)
@given(text=st.one_of(configs(), st.text(max_size=200)))
def test_config(text: str) -> None:
    from payforce.economics.program_spec import load_economics_with

    COUNT("config")
    survives(load_economics_with, text, "mine.yaml")


@pytest.mark.slow
@settings(FUZZ, max_examples=N)
@given(rows=st.lists(st.tuples(hostile_text, hostile_text, st.sampled_from(["99490", "99439", "G0506", "x"]), hostile_text), max_size=5))  # fmt: skip
def test_claims(rows: list[tuple[str, str, str, str]]) -> None:
    from payforce.economics.program_spec import check_claims, load_economics, parse_claims

    COUNT("claims")
    text = "patient,period,code,practitioner\n" + "\n".join(",".join(r) for r in rows)
    try:
        check_claims(parse_claims(text, path="claims.csv"), load_economics().rules)
    except PayforceError as exc:
        assert "\n" not in exc.message


def COUNT(name: str) -> None:  # noqa: N802 - reads as a marker inside each example
    COUNTS[name] += 1
