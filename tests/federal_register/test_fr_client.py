"""The Federal Register client: parsing real responses, politeness, pagination and its traps."""

from __future__ import annotations

import random
from datetime import date
from pathlib import Path

import httpx
import pytest
from fr_fakeapi import FakeFederalRegister, fixture, synth_records

from payforce.config import Settings
from payforce.errors import FetchError, InputError, ParseError
from payforce.sources.base import (
    CACHE_HEADER,
    USER_AGENT,
    HttpCache,
    PoliteTransport,
    RateLimiter,
    RetryPolicy,
    http_client,
    parse_retry_after,
)
from payforce.sources.federal_register import (
    DEFAULT_AGENCIES,
    FRRecord,
    SearchQuery,
    SkippedRecord,
    build_search_params,
    fetch_document,
    fetch_documents,
    fetch_search_page,
    iter_file_records,
    iter_slices,
    month_windows,
    parse_document_response,
    parse_record,
    parse_search_page,
)

BASE = "https://fr.test/api/v1"


class Sleeps(list[float]):
    """A sleep function that records instead of waiting, and the clock it advances."""

    now = 1000.0

    def __call__(self, seconds: float) -> None:
        self.append(seconds)
        self.now += seconds

    def clock(self) -> float:
        return self.now


def make_client(handler, tmp_path: Path, *, cache: bool = False) -> tuple[httpx.Client, Sleeps]:
    sleeps = Sleeps()
    settings = Settings(home=tmp_path, database_url="sqlite://", fr_api_url=BASE)
    client = http_client(
        settings,
        transport=httpx.MockTransport(handler),
        cache=cache,
        sleep=sleeps,
        clock=sleeps.clock,
    )
    return client, sleeps


# --------------------------------------------------------------------------- parsing real files


def test_parse_search_page_real_response_keeps_capped_count_and_next_link():
    body = fixture("search_newest_page1.json").read_bytes()
    page = parse_search_page(body, "search_newest_page1.json")
    assert page.count == 10000
    assert [r["document_number"] for r in page.records] == ["2024-31440", "2024-31439"]
    assert page.next_page_url is not None
    assert "search_after_cursor=WzE3MzU2MDMyMDAwMDAsIjIwMjQtMzE0MzkiXQ" in page.next_page_url
    assert page.next_page_url.startswith("https://www.federalregister.gov/api/v1/documents?")


def test_parse_search_page_zero_hits_has_no_results_key():
    page = parse_search_page(fixture("search_zero_results.json").read_bytes(), "zero.json")
    assert (page.count, page.records, page.next_page_url) == (0, (), None)


def test_parse_record_real_cms_proposed_rule():
    record = parse_document_response(
        fixture("document_2023-14624_reserialized.json").read_bytes(), "x"
    )[0]
    parsed = parse_record(record, "x")
    assert isinstance(parsed, FRRecord)
    doc = parsed.document
    assert (doc.document_number, doc.type, doc.agency) == (
        "2023-14624",
        "Proposed Rule",
        "CMS (HHS)",
    )
    assert (doc.file_code, doc.rin, doc.docket) == ("CMS-1784-P", "0938-AV07", "CMS-2023-0121")
    assert doc.comments_close_date == date(2023, 9, 11)
    assert doc.effective_date is None
    assert doc.cfr_parts.startswith("42 CFR 405; 410; 411; 414")
    assert doc.origin == "federal_register"
    assert parsed.action == "Proposed rule."
    assert parsed.raw_text_url.endswith("/2023-14624.txt")


def test_parse_record_real_epa_rule_keeps_frl_number_as_docket():
    record = parse_document_response(fixture("document_2024-29463.json").read_bytes(), "x")[0]
    parsed = parse_record(record, "x")
    assert isinstance(parsed, FRRecord)
    assert parsed.document.docket == "EPA-HQ-OAR-2014-0128; FRL-5788-05-OAR"
    assert parsed.document.file_code == ""
    assert parsed.document.effective_date == date(2025, 1, 27)
    assert parsed.cfr_refs == ((40, "50"),)


def test_parse_record_real_correction_file_codes():
    rows = list(iter_file_records(fixture("rin_0938-AV34_results_reserialized.json")))
    parsed = [parse_record(r, s) for r, s in rows]
    codes = {
        p.document.document_number: p.document.file_code for p in parsed if isinstance(p, FRRecord)
    }
    assert codes == {
        "2024-22765": "CMS-1808-IFC",
        "2024-22501": "CMS-1808-CN2",
        "2024-17021": "CMS-1808-F",
        "2024-12164": "CMS-1808-CN",
        "2024-07567": "CMS-1808-P",
    }


@pytest.mark.parametrize(
    ("record", "reason"),
    [
        ({"publication_date": "2024-01-02", "type": "Rule", "title": "t"}, "no document_number"),
        (
            {"document_number": "2024-1", "publication_date": "soon", "type": "Rule", "title": "t"},
            "publication_date not a date ('soon')",
        ),
        ({"document_number": "2024-1", "publication_date": "2024-01-02", "title": "t"}, "no type"),
        (
            {
                "document_number": "2024-1",
                "publication_date": "2024-01-02",
                "type": "Rule",
                "title": None,
            },
            "no title",
        ),
    ],
)
def test_parse_record_skips_with_reason(record, reason):
    parsed = parse_record(record, "page.json")
    assert isinstance(parsed, SkippedRecord)
    assert parsed.reason == reason


def test_parse_search_page_malformed_body_message():
    with pytest.raises(ParseError) as info:
        parse_search_page(b"<html>Service Unavailable</html>", "https://fr.test/documents.json")
    assert info.value.message == (
        "https://fr.test/documents.json: not JSON (line 1, column 1) ('<html>Service "
        "Unavailable</html>'). The server sent something else; retry later or check "
        "PAYFORCE_FR_API_URL"
    )


def test_parse_search_page_wrong_shape_message():
    with pytest.raises(ParseError) as info:
        parse_search_page(b'{"errors": {"conditions": "bad"}}', "u")
    assert info.value.message == (
        "u: not a Federal Register search page: no integer 'count' (['errors']). "
        "Check PAYFORCE_FR_API_URL points at the API (…/api/v1)"
    )


def test_iter_file_records_json_lines_and_bad_line(tmp_path):
    good = tmp_path / "docs.jsonl"
    good.write_text(
        '{"document_number": "a"}\n\n{"count": 0}\n{"count": 1, "results": '
        '[{"document_number": "b"}]}\n'
    )
    assert [(r["document_number"], s) for r, s in iter_file_records(good)] == [
        ("a", f"{good} line 1"),
        ("b", f"{good} line 4"),
    ]
    bad = tmp_path / "bad.jsonl"
    bad.write_text('{"document_number": "a"}\n{oops\n')
    with pytest.raises(ParseError) as info:
        list(iter_file_records(bad))
    assert info.value.message == (
        f"{bad} line 2: not JSON (column 2) ('{{oops'). Each line must be one JSON record or API page"
    )


def test_search_params_are_explicit():
    q = SearchQuery(cfr="42:414", rin="0938-AV34", term="remote monitoring", docket_id="CMS-1")
    params = build_search_params(q, date(2024, 1, 1), date(2024, 1, 31))
    assert ("per_page", "1000") in params
    assert ("fields[]", "regulation_id_numbers") in params
    assert [v for k, v in params if k == "conditions[agencies][]"] == list(DEFAULT_AGENCIES)
    assert [v for k, v in params if k == "conditions[type][]"] == ["RULE", "PRORULE"]
    assert ("conditions[cfr][title]", "42") in params and ("conditions[cfr][part]", "414") in params
    assert ("conditions[regulation_id_number]", "0938-AV34") in params
    assert ("conditions[term]", "remote monitoring") in params
    assert ("conditions[docket_id]", "CMS-1") in params
    assert ("conditions[publication_date][gte]", "2024-01-01") in params


def test_search_query_rejects_unknown_type():
    with pytest.raises(InputError) as info:
        SearchQuery(types=("FINAL",))
    assert info.value.message == (
        "--type: unknown document type ('FINAL'). Use one of RULE, PRORULE, NOTICE, PRESDOCU"
    )


def test_month_windows_clip_and_reject_reversed():
    assert month_windows(date(2024, 1, 20), date(2024, 3, 5)) == [
        (date(2024, 1, 20), date(2024, 1, 31)),
        (date(2024, 2, 1), date(2024, 2, 29)),
        (date(2024, 3, 1), date(2024, 3, 5)),
    ]
    with pytest.raises(InputError) as info:
        month_windows(date(2024, 2, 1), date(2024, 1, 1))
    assert info.value.message == (
        "--until: before --since (2024-01-01 < 2024-02-01). Give an --until on or after --since"
    )


# --------------------------------------------------------------------------- politeness


def test_user_agent_names_payforce(tmp_path):
    seen = []

    def handler(request):
        seen.append(request.headers["user-agent"])
        return httpx.Response(200, content=fixture("search_zero_results.json").read_bytes())

    client, _ = make_client(handler, tmp_path)
    fetch_search_page(client, f"{BASE}/documents.json")
    assert seen == [USER_AGENT] and seen[0].startswith("payforce/")


def test_retry_429_honours_retry_after_then_succeeds(tmp_path):
    answers = [
        httpx.Response(429, headers={"Retry-After": "7"}, text="slow down"),
        httpx.Response(200, content=fixture("search_zero_results.json").read_bytes()),
    ]
    client, sleeps = make_client(lambda r: answers.pop(0), tmp_path)
    page = fetch_search_page(client, f"{BASE}/documents.json")
    assert page.count == 0
    assert [s for s in sleeps if s > 0.3] == [7.0]


def test_retry_503_backs_off_with_jitter_then_succeeds(tmp_path):
    answers = [
        httpx.Response(503),
        httpx.Response(503),
        httpx.Response(200, content=fixture("search_zero_results.json").read_bytes()),
    ]
    client, sleeps = make_client(lambda r: answers.pop(0), tmp_path)
    assert fetch_search_page(client, f"{BASE}/documents.json").count == 0
    backoffs = [s for s in sleeps if s >= 0.25]
    assert len(backoffs) == 2
    assert 0.25 <= backoffs[0] <= 0.5 and 0.5 <= backoffs[1] <= 1.0


def test_timeout_then_success(tmp_path):
    calls = []

    def handler(request):
        calls.append(1)
        if len(calls) == 1:
            raise httpx.ReadTimeout("timed out", request=request)
        return httpx.Response(200, content=fixture("search_zero_results.json").read_bytes())

    client, _ = make_client(handler, tmp_path)
    assert fetch_search_page(client, f"{BASE}/documents.json").count == 0
    assert len(calls) == 2


def test_timeouts_exhausted_message(tmp_path):
    def handler(request):
        raise httpx.ConnectTimeout("timed out", request=request)

    client, sleeps = make_client(handler, tmp_path)
    with pytest.raises(FetchError) as info:
        fetch_search_page(client, f"{BASE}/documents.json")
    assert info.value.message == (
        "https://fr.test/api/v1/documents.json: timed out after retries (ConnectTimeout). The "
        "Federal Register is slow or unreachable; rerun later (whole slices are kept)"
    )
    assert len([s for s in sleeps if s >= 0.25]) == 4


def test_503_exhausted_message(tmp_path):
    client, _ = make_client(lambda r: httpx.Response(503, text="Service Unavailable"), tmp_path)
    with pytest.raises(FetchError) as info:
        fetch_search_page(client, f"{BASE}/documents.json")
    assert info.value.status == 503
    assert info.value.message == (
        "https://fr.test/api/v1/documents.json (HTTP 503): unexpected response "
        "('Service Unavailable'). Retries are exhausted; rerun later (finished slices are kept)"
    )


def test_retry_after_http_date():
    assert parse_retry_after("Wed, 21 Oct 2015 07:28:30 GMT", 1445412500.0) == 10.0
    assert parse_retry_after("soon", 0.0) is None


def test_backoff_grows_and_is_capped():
    policy = RetryPolicy(base=0.5, cap=4.0)
    rng = random.Random(1)
    waits = [policy.backoff(n, rng) for n in range(1, 7)]
    ceilings = [0.5, 1.0, 2.0, 4.0, 4.0, 4.0]
    assert all(c / 2 <= w <= c for c, w in zip(ceilings, waits, strict=True))
    assert max(waits) <= 4.0


def test_rate_limiter_spaces_requests_five_per_second():
    sleeps = Sleeps()
    limiter = RateLimiter(5, clock=sleeps.clock, sleep=sleeps)
    for _ in range(4):
        limiter.wait()
    assert sleeps == pytest.approx([0.2, 0.2, 0.2])


def test_http_cache_revalidates_and_costs_no_transfer(tmp_path):
    fake = FakeFederalRegister(synth_records(3, date(2024, 1, 2)), etags=True)
    sleeps = Sleeps()
    polite = PoliteTransport(
        httpx.MockTransport(fake), cache=HttpCache(tmp_path / "c"), sleep=sleeps, clock=sleeps.clock
    )
    client = httpx.Client(transport=polite)
    url = f"{BASE}/documents.json?conditions[publication_date][gte]=2024-01-01"
    first = client.get(url)
    received = polite.bytes_received
    second = client.get(url)
    assert first.headers[CACHE_HEADER] == "miss"
    assert second.headers[CACHE_HEADER] == "revalidated"
    assert second.content == first.content
    assert polite.bytes_received == received > 0


# --------------------------------------------------------------------------- pagination & traps


def test_pagination_follows_next_page_url_rebased_to_the_configured_host(tmp_path):
    fake = FakeFederalRegister(synth_records(25, date(2024, 3, 1)))
    client, _ = make_client(fake, tmp_path)
    slices = list(
        iter_slices(client, BASE, SearchQuery(), date(2024, 3, 1), date(2024, 3, 31), per_page=10)
    )
    assert len(slices) == 1 and len(slices[0].pages) == 3
    assert len({r["document_number"] for r in slices[0].records}) == 25
    assert all(u.startswith(BASE) for u in fake.requests)
    assert "page=3" in fake.requests[-1] and "search_after_cursor=" in fake.requests[-1]


def test_slice_at_cap_is_split_until_under_cap(tmp_path):
    records = synth_records(10_400, date(2024, 5, 1), per_day=400)  # 26 days, 10,400 > cap
    fake = FakeFederalRegister(records)
    client, _ = make_client(fake, tmp_path)
    splits = []
    slices = list(
        iter_slices(
            client,
            BASE,
            SearchQuery(),
            date(2024, 5, 1),
            date(2024, 5, 31),
            on_split=lambda a, b, n: splits.append((a, b, n)),
        )
    )
    assert splits == [(date(2024, 5, 1), date(2024, 5, 31), 10_000)]
    assert [(s.start, s.end, s.count) for s in slices] == [
        (date(2024, 5, 1), date(2024, 5, 16), 6400),
        (date(2024, 5, 17), date(2024, 5, 31), 4000),
    ]
    assert sum(len(s.records) for s in slices) == 10_400


def test_one_day_slice_at_cap_fails_loudly(tmp_path):
    def handler(request):
        return httpx.Response(200, json={"count": 10000, "results": [], "total_pages": 50})

    client, _ = make_client(handler, tmp_path)
    with pytest.raises(FetchError) as info:
        list(iter_slices(client, BASE, SearchQuery(), date(2024, 5, 7), date(2024, 5, 7)))
    assert info.value.message.endswith(
        ": 2024-05-07 alone has 10000+ documents, the API's cap. Narrow the scope with --agency "
        "or --type; the day cannot be listed completely"
    )


def test_next_page_past_window_is_never_requested(tmp_path):
    served = []

    def handler(request):
        served.append(str(request.url))
        nxt = f"{BASE}/documents?page=51&per_page=1000"
        return httpx.Response(
            200, json={"count": 9999, "next_page_url": nxt, "results": [{"document_number": "x"}]}
        )

    client, _ = make_client(handler, tmp_path)
    with pytest.raises(FetchError) as info:
        list(iter_slices(client, BASE, SearchQuery(), date(2024, 1, 1), date(2024, 1, 31)))
    assert info.value.message == (
        "https://fr.test/api/v1/documents?page=51&per_page=1000: next page 51 is past the API's "
        "window (page ≤ 50, 10000 results). The API would silently return page 1; this slice "
        "should have been split"
    )
    assert len(served) == 1


def test_repeated_page_is_detected(tmp_path):
    fake = FakeFederalRegister(synth_records(30, date(2024, 3, 1)))

    def page_one_again(request):
        if "page=2" in str(request.url):
            url = str(request.url).replace("page=2", "page=1")
            return fake._search(httpx.Request("GET", url))
        return None

    fake.faults.append(page_one_again)
    client, _ = make_client(fake, tmp_path)
    with pytest.raises(FetchError) as info:
        list(
            iter_slices(
                client, BASE, SearchQuery(), date(2024, 3, 1), date(2024, 3, 31), per_page=10
            )
        )
    assert "page 2 repeats documents already received (2024-90000…)" in info.value.message
    assert info.value.message.endswith(
        "The API returned an earlier page again; nothing from this slice was written"
    )


def test_fetch_single_and_multiple_documents(tmp_path):
    fake = FakeFederalRegister(synth_records(3, date(2024, 3, 1)))
    client, _ = make_client(fake, tmp_path)
    one = fetch_document(client, BASE, "2024-90001")
    many = fetch_documents(client, BASE, ["2024-90000", "2024-90002"])
    assert one["document_number"] == "2024-90001"
    assert sorted(r["document_number"] for r in many) == ["2024-90000", "2024-90002"]
    assert fake.requests[-1] == f"{BASE}/documents/2024-90000,2024-90002.json"


def test_unknown_document_is_a_fetch_error(tmp_path):
    fake = FakeFederalRegister([])
    client, _ = make_client(fake, tmp_path)
    with pytest.raises(FetchError) as info:
        fetch_document(client, BASE, "1999-1")
    assert info.value.status == 404
    assert info.value.message.endswith("Check the agency slugs, types and dates")


def test_corrupted_cache_entry_is_a_miss(tmp_path):
    fake = FakeFederalRegister(synth_records(2, date(2024, 1, 2)), etags=True)
    sleeps = Sleeps()
    cache = HttpCache(tmp_path / "c")
    polite = PoliteTransport(
        httpx.MockTransport(fake), cache=cache, sleep=sleeps, clock=sleeps.clock
    )
    client = httpx.Client(transport=polite)
    url = f"{BASE}/documents.json?conditions[publication_date][gte]=2024-01-01"
    client.get(url)
    [body] = (tmp_path / "c").rglob("*.body")
    body.write_bytes(b"garbage")
    again = client.get(url)
    assert again.headers[CACHE_HEADER] == "miss"
    assert b"2024-90001" in again.content
    assert "if-none-match" not in {k.lower() for k in fake.last_headers}


def test_fetch_full_text_prefers_text_and_reports_missing_links(tmp_path):
    from payforce.sources.federal_register import fetch_full_text

    record = synth_records(1, date(2024, 1, 2))[0]
    fake = FakeFederalRegister([record], full_texts={"2024-90000": "CPT 99490"})
    client, _ = make_client(fake, tmp_path)
    parsed = parse_record(record, "x")
    assert isinstance(parsed, FRRecord)
    text, fmt, url = fetch_full_text(client, parsed)
    assert (text, fmt) == ("CPT 99490", "text") and url.endswith("/2024-90000.txt")
    bare = parse_record(
        record | {"raw_text_url": None, "body_html_url": None, "full_text_xml_url": None}, "x"
    )
    assert isinstance(bare, FRRecord)
    with pytest.raises(FetchError) as info:
        fetch_full_text(client, bare)
    assert info.value.message == (
        "https://www.federalregister.gov/d/2024-90000: no full-text link in the record. Sync "
        "without --full-text, or fetch the document again"
    )
