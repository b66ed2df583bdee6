"""BLS OEWS and Employment Projections parsers and fetchers, on real files and excerpts."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

import httpx
import pytest

from payforce.config import Settings
from payforce.errors import FetchError, ParseError
from payforce.sources.base import http_client
from payforce.sources.bls import (
    OEWSFile,
    ProjectionFile,
    fetch_oews,
    fetch_projections,
    oews_url,
    parse_bls_file,
    parse_oews,
    parse_projections,
    sniff_format,
)

FIXTURES = Path(__file__).parent.parent / "fixtures" / "bls"


def asset(name: str) -> Path:
    path = FIXTURES / name
    if not path.exists():
        pytest.fail(f"missing fixture file {path}")
    return path


def rows_by_soc(parsed: OEWSFile) -> dict:
    return {r.soc: r for r in parsed.rows}


def test_parse_oews_2011_legacy_xls_with_group_column_named_group():
    parsed = parse_oews(asset("national_M2011_dl.xls").read_bytes(), "national_M2011_dl.xls")
    rows = rows_by_soc(parsed)
    assert parsed.year == 2011 and len(parsed.rows) == 819
    assert rows["00-0000"].employment == 128_278_550 and rows["00-0000"].occ_group == "total"
    # 2011 is a SOC 2000/2010 hybrid: registered nurses are still 29-1111
    assert "29-1141" not in rows and rows["29-1111"].employment == 2_724_570
    assert rows["29-2071"].employment == 180_280
    assert rows["29-2071"].occ_group == "detailed"  # the file leaves GROUP empty on detail rows


def test_parse_oews_2015_xlsx_keeps_markers_as_text_not_zero():
    parsed = parse_oews(asset("national_M2015_dl.xlsx").read_bytes(), "national_M2015_dl.xlsx")
    rows = rows_by_soc(parsed)
    assert parsed.year == 2015 and len(parsed.rows) == 1394 and parsed.skipped == ()
    assert rows["00-0000"].employment == 137_896_660
    rn = rows["29-1141"]
    assert (rn.employment, rn.median_wage, rn.mean_wage) == (2_745_910, 67490.0, 71000.0)
    assert rows["29-2071"].employment == 189_930
    actors = rows["27-2011"]  # hourly-only occupation: annual wages print '*'
    assert actors.median_wage is None and actors.wage_note == "*"
    top = [r for r in parsed.rows if r.wage_note == "#"]
    assert top and all(r.median_wage is None for r in top)
    assert all(r.soc.startswith("29-1") for r in top)  # top-coded wages are physicians


def test_parse_oews_2020_hybrid_with_employment_not_published():
    parsed = parse_oews(asset("national_M2020_dl.xlsx").read_bytes(), "national_M2020_dl.xlsx")
    rows = rows_by_soc(parsed)
    assert parsed.year == 2020 and len(parsed.rows) == 1316
    assert rows["00-0000"].employment == 139_099_570 and rows["29-1141"].employment == 2_986_500
    farm = rows["13-1074"]  # the file prints '**': employment not published
    assert (farm.employment, farm.employment_text, farm.median_wage) == (None, "**", 47780.0)
    assert [r for r in parsed.rows if r.employment_text] == [farm]
    assert len(parsed.skipped) == 13
    assert {s.reason for s in parsed.skipped} == {"code repeated at another hierarchy level"}


def test_parse_oews_csv_export_with_bom_thousands_and_repeated_codes():
    data = asset("national_M2023_dl_healthcare_sample.csv").read_bytes()
    assert data.startswith(b"\xef\xbb\xbf")
    parsed = parse_oews(data, "national_M2023_dl_healthcare_sample.csv")
    rows = rows_by_soc(parsed)
    assert parsed.year == 2023 and len(parsed.rows) == 144
    assert rows["00-0000"].employment == 151_853_870 and rows["00-0000"].median_wage == 48060.0
    assert rows["29-1141"].employment == 3_175_390
    assert rows["29-1022"].wage_note == "#" and rows["29-1022"].median_wage is None
    assert rows["29-1022"].mean_wage == 334310.0
    assert [(s.line, s.reason, s.value) for s in parsed.skipped] == [
        (80, "code repeated at another hierarchy level", "29-2010"),
        (119, "code repeated at another hierarchy level", "31-1120"),
    ]


def test_parse_oews_reads_the_bls_zip_and_takes_the_year_from_the_member():
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as zf:
        zf.writestr(
            "oesm15nat/national_M2015_dl.xlsx", asset("national_M2015_dl.xlsx").read_bytes()
        )
    assert sniff_format(buf.getvalue()) == "zip"
    parsed = parse_oews(buf.getvalue(), "https://example.test/download")
    assert parsed.year == 2015 and rows_by_soc(parsed)["29-1141"].employment == 2_745_910


def test_sniff_format_tells_the_three_containers_apart():
    assert sniff_format(asset("national_M2011_dl.xls").read_bytes()) == "xls"
    assert sniff_format(asset("national_M2015_dl.xlsx").read_bytes()) == "xlsx"
    assert sniff_format(asset("national_M2023_dl_healthcare_sample.csv").read_bytes()) == "csv"


def test_parse_projections_table_in_thousands():
    data = asset("ep_table_1_4_most_new_jobs_2024_34.csv").read_bytes()
    parsed = parse_projections(data, "ep_table_1_4_most_new_jobs_2024_34.csv")
    assert isinstance(parsed, ProjectionFile) and parsed.period == "2024-2034"
    rows = {r.soc: r for r in parsed.rows}
    assert len(parsed.rows) == 31
    rn = rows["29-1141"]
    assert (rn.title, rn.employment_base, rn.employment_target) == (
        "Registered nurses",
        3_391_000,
        3_557_100,
    )
    assert (rn.change_pct, rn.median_wage) == (4.9, 93600.0)
    assert rows["29-1171"].change_pct == 40.1
    assert rows["00-0000"].employment_base == 169_956_100


def test_parse_bls_file_tells_oews_from_projections_by_header():
    oews = parse_bls_file(asset("national_M2015_dl.xlsx").read_bytes(), "national_M2015_dl.xlsx")
    ep = parse_bls_file(asset("ep_table_1_4_most_new_jobs_2024_34.csv").read_bytes(), "ep.csv")
    assert isinstance(oews, OEWSFile) and isinstance(ep, ProjectionFile)


def test_parse_oews_bad_number_message():
    name = "broken_national_M2023_dl_bad_number.csv"
    with pytest.raises(ParseError) as exc:
        parse_oews(asset(name).read_bytes(), name)
    assert exc.value.message == (
        "broken_national_M2023_dl_bad_number.csv line 2, field TOT_EMP: not a number ('n.a.'). "
        "Known markers are *, **, # and ~; check this is an unmodified BLS file"
    )


def test_parse_not_a_bls_file_message():
    name = "broken_not_a_bls_file.csv"
    with pytest.raises(ParseError) as exc:
        parse_bls_file(asset(name).read_bytes(), name)
    assert exc.value.message == (
        "broken_not_a_bls_file.csv: not a BLS Employment Projections table (no 'National "
        "Employment Matrix code' header). Use table 1.2 of "
        "https://www.bls.gov/emp/ind-occ-matrix/occupation.xlsx"
    )


def test_parse_oews_needs_a_year_message():
    with pytest.raises(ParseError) as exc:
        parse_oews(asset("national_M2015_dl.xlsx").read_bytes(), "download.xlsx")
    assert exc.value.message == (
        "download.xlsx: cannot tell the survey year from the file. "
        "Pass --year, or keep the BLS name national_M<year>_dl"
    )


# --------------------------------------------------------------------------- fetching


def _client(handler, tmp_path: Path) -> httpx.Client:
    settings = Settings(home=tmp_path, database_url="sqlite://")
    return http_client(
        settings,
        transport=httpx.MockTransport(handler),
        cache=False,
        sleep=lambda _s: None,
        per_second=1000,
    )


def _zip_2015() -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as zf:
        zf.writestr("national_M2015_dl.xlsx", asset("national_M2015_dl.xlsx").read_bytes())
    return buf.getvalue()


def test_fetch_oews_retries_a_503_then_parses(tmp_path):
    body = _zip_2015()
    calls = []

    def handler(request: httpx.Request) -> httpx.Response:
        calls.append(str(request.url))
        if str(request.url) != "https://www.bls.gov/oes/special-requests/oesm15nat.zip":
            pytest.fail(f"unexpected request {request.url}")
        return httpx.Response(503 if len(calls) == 1 else 200, content=body)

    with _client(handler, tmp_path) as client:
        data, url = fetch_oews(client, 2015)
    assert len(calls) == 2 and url == oews_url(2015)
    assert rows_by_soc(parse_oews(data, url, 2015))["00-0000"].employment == 137_896_660


def test_fetch_oews_403_says_how_to_get_the_file(tmp_path):
    with (
        _client(lambda r: httpx.Response(403), tmp_path) as client,
        pytest.raises(FetchError) as exc,
    ):
        fetch_oews(client, 2024)
    assert exc.value.message == (
        "https://www.bls.gov/oes/special-requests/oesm24nat.zip (HTTP 403): unexpected response. "
        "BLS refuses clients without a contact User-Agent; download the file in a browser and "
        "pass --from-file"
    )


def test_fetch_projections_timeout_message(tmp_path):
    def handler(request: httpx.Request) -> httpx.Response:
        raise httpx.ReadTimeout("slow", request=request)

    with _client(handler, tmp_path) as client, pytest.raises(FetchError) as exc:
        fetch_projections(client)
    assert exc.value.message == (
        "https://www.bls.gov/emp/ind-occ-matrix/occupation.xlsx: timed out. "
        "Retry later or raise PAYFORCE_HTTP_TIMEOUT"
    )


def test_malformed_zip_body_is_a_parse_error():
    with pytest.raises(ParseError) as exc:
        parse_oews(b"PK\x03\x04 not really a zip", "oesm24nat.zip")
    assert exc.value.message == (
        "oesm24nat.zip: a zip or xlsx that cannot be opened ('21 bytes'). "
        "The download may be truncated; fetch it again"
    )
