"""GPCI and locality/county files, and the release zip that holds them."""

from __future__ import annotations

import io
import zipfile

import pytest
from fs_helpers import fee_bytes, rvu25_zip

from payforce.errors import ParseError
from payforce.sources.fee_schedule import (
    parse_gpci,
    parse_locality_counties,
)
from payforce.sources.rvu_release import parse_rvu_release, parse_rvu_zip


def test_parse_gpci_reads_every_locality_and_keeps_footnotes_as_skips():
    g = parse_gpci(fee_bytes("GPCI2025.csv"), path="GPCI2025.csv")
    assert g.year == 2025
    assert len(g.rows) == 109
    alaska = next(r for r in g.rows if r.state == "AK")
    assert (alaska.mac, alaska.locality, alaska.name) == ("02102", "01", "ALASKA")
    assert (alaska.work, alaska.pe, alaska.mp) == (1.5, 1.081, 0.592)
    bakersfield = next(r for r in g.rows if r.name == "BAKERSFIELD")
    assert bakersfield.key == "01112-54"
    assert [(s.line, s.reason) for s in g.skips] == [
        (113, "footnote or note ('MAC Assignments as of November 22, 2023')"),
        (114, "blank line"),
        (115, "footnote or note ('*Work GPCI reflects a 1.5 floor in Alask')"),
        (116, "footnote or note ('**PE GPCI reflects a 1.0 floor for front')"),
    ]


def test_parse_locality_counties_restores_leading_zeros_and_carries_the_state():
    loc = parse_locality_counties(fee_bytes("25LOCCO.csv"), path="25LOCCO.csv")
    assert loc.year == 2025
    assert (loc.rows[1].mac, loc.rows[1].locality, loc.rows[1].state) == ("02102", "01", "ALASKA")
    ca = [r for r in loc.rows if r.state == "CALIFORNIA"]
    assert len(ca) > 10 and all(r.state == "CALIFORNIA" for r in ca)
    gpci = parse_gpci(fee_bytes("GPCI2025.csv"), path="GPCI2025.csv")
    assert {r.key for r in loc.rows} == {r.key for r in gpci.rows}
    assert loc.skips[-1].reason.startswith("footnote or note ('*  Payment locality")
    assert sum(s.reason == "blank line" for s in loc.skips) > 50


def test_parse_gpci_out_of_range_value_is_an_error():
    text = fee_bytes("GPCI2025.csv").decode("latin-1").replace("ALABAMA,1,0.869", "ALABAMA,1,9.5")
    with pytest.raises(ParseError) as exc:
        parse_gpci(text, path="GPCI2025.csv")
    assert exc.value.message == (
        "GPCI2025.csv line 4, field 2025 PE GPCI: GPCI out of range (0, 5] ('9.5')"
    )


def test_parse_gpci_bad_locality_is_an_error():
    text = fee_bytes("GPCI2025.csv").decode("latin-1").replace("10112,AL,00,", "10112,AL,0A,")
    with pytest.raises(ParseError) as exc:
        parse_gpci(text, path="GPCI2025.csv")
    assert exc.value.message == (
        "GPCI2025.csv line 4, field Locality Number: locality number is not digits ('0A')"
    )


def test_parse_rvu_zip_finds_the_csv_members():
    release = parse_rvu_zip(rvu25_zip(), source="rvu25d.zip")
    assert release.pprrvu.path == "PPRRVU2025_Oct.csv" and release.pprrvu.year == 2025
    assert release.gpci is not None and len(release.gpci.rows) == 109
    assert release.localities is not None and len(release.localities.rows) == 110
    assert release.pprrvu_qp is None
    assert "RVU25D.pdf" in release.members


def test_parse_rvu_zip_prefers_the_non_qp_file_and_keeps_the_qp_one():
    data = fee_bytes("PPRRVU2026_Jul_nonQPP_excerpt.csv")
    qp = data.replace(b"33.4009", b"33.5675")
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as z:
        z.writestr("PPRRVU2026_Jul_QPP.csv", qp)
        z.writestr("PPRRVU2026_Jul_nonQPP.csv", data)
    release = parse_rvu_release(buf.getvalue(), source="rvu26c.zip")
    assert release.pprrvu.path == "PPRRVU2026_Jul_nonQPP.csv"
    assert release.pprrvu_qp is not None and release.pprrvu_qp.path == "PPRRVU2026_Jul_QPP.csv"
    assert release.pprrvu_qp.rows[0].conversion_factor == 33.5675


def test_parse_rvu_zip_without_pprrvu_is_an_error():
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as z:
        z.writestr("GPCI2025.csv", fee_bytes("GPCI2025.csv"))
    with pytest.raises(ParseError) as exc:
        parse_rvu_zip(buf.getvalue(), source="rvu25d.zip")
    assert exc.value.message == (
        "rvu25d.zip: no PPRRVU file in the zip ('GPCI2025.csv'). Is this a CMS RVU release zip?"
    )


def test_parse_rvu_zip_not_a_zip_is_an_error():
    with pytest.raises(ParseError) as exc:
        parse_rvu_zip(b"PK\x03\x04garbage", source="rvu25d.zip")
    assert exc.value.message == (
        "rvu25d.zip: not a zip file. Give the RVUyyA.zip from the CMS RVU page, or a PPRRVU CSV"
    )
