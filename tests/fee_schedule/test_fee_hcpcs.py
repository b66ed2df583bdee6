"""HCPCS Level II annual file: fixed width, continuation records joined, disclaimer kept as skips."""

from __future__ import annotations

import io
import zipfile
from collections import Counter
from datetime import date

import pytest
from fs_helpers import asset

from payforce.errors import ParseError
from payforce.sources.hcpcs import parse_hcpcs, parse_hcpcs_zip

NAME = "HCPC2019_CONTR_ANWEB_sample.txt"


@pytest.fixture(scope="module")
def parsed():
    return parse_hcpcs(asset("hcpcs", NAME).read_bytes(), path=NAME)


def test_parse_hcpcs_joins_continuation_records(parsed):
    by_code = {r.code: r for r in parsed.records}
    awv = by_code["G0438"]
    assert awv.long_description == (
        "Annual wellness visit; includes a personalized prevention plan of service "
        "(pps), initial visit"
    )
    assert awv.short_description == "Ppps, initial visit"
    assert (awv.kind, awv.betos, awv.added, awv.action) == (
        "procedure",
        "M5D",
        date(2011, 1, 1),
        "N",
    )
    mod = by_code["AD"]
    assert mod.kind == "modifier"
    assert mod.long_description.endswith("more than four concurrent anesthesia procedures")


def test_parse_hcpcs_counts_and_keeps_the_disclaimer_as_skips(parsed):
    assert parsed.year == 2019
    assert len(parsed.records) == 129
    assert parsed.skips[0].reason == "not a HCPCS record ('***Disclaimers')"
    assert Counter(r.action for r in parsed.records)["D"] == 6
    terminated = [r for r in parsed.records if r.terminated is not None]
    assert terminated and all(
        r.action in {"D", "N", "C", "P", "S", "F", "B", "A"} for r in terminated
    )


def test_parse_hcpcs_zip_reads_the_anweb_member():
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as z:
        z.writestr(NAME, asset("hcpcs", NAME).read_bytes())
        z.writestr("HCPC2019_README.txt", b"readme")
    parsed = parse_hcpcs_zip(buf.getvalue(), source="2019-Alpha-Numeric-HCPCS-File.zip")
    assert parsed.path == NAME and len(parsed.records) == 129


def _record(line: str) -> str:
    return line.ljust(320)


A0021 = next(
    ln
    for ln in asset("hcpcs", NAME).read_bytes().decode("latin-1").splitlines()
    if ln.startswith("A0021")
)


@pytest.mark.parametrize(
    ("lines", "message"),
    [
        (
            [A0021[:268] + "19851301" + A0021[276:]],
            "h.txt line 1, field added date: not a calendar date ('19851301')",
        ),
        (
            [A0021[:268] + "1985-1-1" + A0021[276:]],
            "h.txt line 1, field added date: not a YYYYMMDD date ('1985-1-1')",
        ),
        (
            ["A0022002004(continued text)".ljust(320)],
            "h.txt line 1, field record id: continuation record without its first record ('4'). "
            "Check that the file is complete and in its original order",
        ),
        (
            [A0021[:100]],
            "h.txt line 1, field record: record is 100 characters, expected 320. "
            "Fixed-width lines must not be trimmed",
        ),
        (
            [A0021[:292] + "Q" + A0021[293:]],
            "h.txt line 1, field action code: unknown action code ('Q')",
        ),
    ],
)
def test_parse_hcpcs_bad_record_names_line_and_field(lines, message):
    with pytest.raises(ParseError) as exc:
        parse_hcpcs("\r\n".join(lines) + "\r\n", path="h.txt")
    assert exc.value.message == message


def test_parse_hcpcs_without_records_is_an_error():
    with pytest.raises(ParseError) as exc:
        parse_hcpcs("***Disclaimers\r\n\r\n", path="h.txt")
    assert exc.value.message == (
        "h.txt: no HCPCS records. Is this the HCPCyyyy_CONTR_ANWEB.txt file from the annual zip?"
    )
