"""Sync: fetch through an injected client, parse, store one year in one transaction."""

from __future__ import annotations

import httpx
import pytest
from fs_helpers import PPRRVU_2026, fee_bytes, rvu25_zip
from sqlalchemy import func, select

from payforce.errors import FetchError, InputError
from payforce.sources.hcpcs import fetch_hcpcs_zip
from payforce.sources.rvu_release import fetch_rvu_zip, rvu_release_page, rvu_zip_urls
from payforce.store import fee_tables, schema
from payforce.store.snapshot import load_snapshot


def _count(store, table, year):
    with store.connect() as conn:
        return conn.execute(
            select(func.count()).select_from(table).where(table.c.year == year)
        ).scalar()


def test_sync_fee_schedule_stores_a_whole_release(any_empty_store):
    store = any_empty_store
    load_snapshot(store)
    summary, release = fee_tables.sync_fee_schedule(
        store, 2025, data=rvu25_zip(), source="rvu25d.zip"
    )
    assert (summary.rvu_rows, summary.gpcis, summary.localities) == (216, 109, 110)
    assert summary.conversion_factors == {"single": 32.3465}
    assert _count(store, fee_tables.rvu_rows, 2025) == 216
    rvu = fee_tables.get_rvu(store, "99454", 2025)
    assert rvu is not None and (rvu.pe_nonfacility, rvu.mp_rvu) == (1.32, 0.01)
    assert rvu.source == "PPRRVU2025_Oct.csv line 154"
    gpci = fee_tables.get_gpci(store, 2025, "01112", "54")
    assert gpci is not None and (gpci[0].work, gpci[0].pe, gpci[0].mp) == (1.017, 1.093, 0.662)
    assert gpci[1] == "GPCI2025.csv line 8"
    # the tracked codes reach the core code_values table
    with store.connect() as conn:
        pay = conn.execute(
            select(schema.code_values.c.payment, schema.code_values.c.source).where(
                (schema.code_values.c.code == "99454")
                & (schema.code_values.c.year == 2025)
                & (schema.code_values.c.setting == "nonfacility")
                & (schema.code_values.c.release == "RVU25D")
            )
        ).one()  # beside the bundled final-rule (2024-25382) value of the same year
    assert (pay.payment, pay.source) == (43.02, "PPRRVU2025_Oct.csv line 154")


def test_sync_fee_schedule_twice_changes_nothing(any_empty_store):
    store = any_empty_store
    for _ in range(2):
        fee_tables.sync_fee_schedule(store, 2025, data=rvu25_zip(), source="rvu25d.zip")
    assert _count(store, fee_tables.rvu_rows, 2025) == 216
    assert _count(store, fee_tables.gpcis, 2025) == 109
    assert fee_tables.synced_years(store) == [2025]


def test_sync_fee_schedule_wrong_year_writes_nothing(empty_store):
    with pytest.raises(InputError) as exc:
        fee_tables.sync_fee_schedule(empty_store, 2026, data=rvu25_zip(), source="rvu25d.zip")
    assert exc.value.message == (
        "PPRRVU2025_Oct.csv: release year does not match --year 2026 (2025). Use --year 2025"
    )
    assert _count(empty_store, fee_tables.rvu_rows, 2026) == 0


def test_sync_failure_mid_load_keeps_the_previous_year(empty_store, monkeypatch):
    store = empty_store
    fee_tables.sync_fee_schedule(store, 2025, data=rvu25_zip(), source="rvu25d.zip")

    def boom(*_a, **_k):
        raise RuntimeError("disk full")

    # fails after the year's rows were deleted and re-inserted, inside the transaction
    from payforce.store import fee_sync

    monkeypatch.setattr(fee_sync, "_tracked_values", boom)
    short = fee_bytes("PPRRVU2025_Oct_sample.csv").split(b"\r\n")
    with pytest.raises(RuntimeError):
        fee_tables.sync_fee_schedule(
            store, 2025, data=b"\r\n".join(short[:20]) + b"\r\n", source="short.csv"
        )
    assert _count(store, fee_tables.rvu_rows, 2025) == 216
    assert _count(store, fee_tables.gpcis, 2025) == 109


def test_sync_2026_records_the_non_qp_factor(empty_store):
    summary, _ = fee_tables.sync_fee_schedule(
        empty_store, 2026, data=fee_bytes(PPRRVU_2026), source=PPRRVU_2026
    )
    assert summary.conversion_factors == {"non_qp": 33.4009}
    cf = fee_tables.get_conversion_factor(empty_store, 2026, "non_qp")
    assert cf is not None and (cf.kind, cf.value) == ("non_qp", 33.4009)
    assert fee_tables.get_conversion_factor(empty_store, 2026, "qp") is None


def _serve(routes):
    seen = []

    def handler(request: httpx.Request) -> httpx.Response:
        seen.append(str(request.url))
        status, body = routes.get(str(request.url), (None, b""))
        if status is None:
            pytest.fail(f"unexpected request {request.url}")
        if status == "timeout":
            raise httpx.ReadTimeout("slow", request=request)
        return httpx.Response(status, content=body)

    return httpx.Client(transport=httpx.MockTransport(handler)), seen


PAGE_HTML = (
    '<ul><li><a href="/files/zip/rvu25a-updated-01-10-2025.zip">RVU25A (ZIP)</a></li>'
    '<li><a href="/files/zip/rvu24d.zip">RVU24D</a></li></ul>'
)


def test_fetch_rvu_zip_follows_the_link_on_the_release_page(empty_store):
    page = rvu_release_page(2025)
    assert page == (
        "https://www.cms.gov/medicare/payment/fee-schedules/physician/pfs-relative-value-files/rvu25a"
    )
    linked = "https://www.cms.gov/files/zip/rvu25a-updated-01-10-2025.zip"
    client, seen = _serve({page: (200, PAGE_HTML.encode()), linked: (200, rvu25_zip())})
    summary, _ = fee_tables.sync_fee_schedule(empty_store, 2025, client=client)
    assert seen == [page, linked]
    assert summary.source == linked and summary.rvu_rows == 216


def test_fetch_rvu_zip_tries_the_next_name_after_a_404(empty_store):
    a, b, _c = rvu_zip_urls(2025)
    page = rvu_release_page(2025)
    client, seen = _serve({page: (404, b""), a: (404, b"no"), b: (200, rvu25_zip())})
    summary, _ = fee_tables.sync_fee_schedule(empty_store, 2025, client=client)
    assert seen == [page, a, b]
    assert summary.source == b and summary.rvu_rows == 216


def test_fetch_rvu_zip_all_missing_is_a_fetch_error():
    urls = rvu_zip_urls(2031)
    client, _ = _serve({rvu_release_page(2031): (404, b""), **dict.fromkeys(urls, (404, b""))})
    with pytest.raises(FetchError) as exc:
        fetch_rvu_zip(client, 2031)
    assert exc.value.message == (
        "https://www.cms.gov/files/zip/rvu31a-updated.zip (HTTP 404): not found. Find the zip on "
        "https://www.cms.gov/medicare/payment/fee-schedules/physician/pfs-relative-value-files "
        "and use --url or --from-file"
    )


def test_fetch_rvu_zip_server_error_and_timeout():
    url = "https://example.test/rvu.zip"
    client, _ = _serve({url: (503, b"busy")})
    with pytest.raises(FetchError) as exc:
        fetch_rvu_zip(client, 2025, urls=[url])
    assert exc.value.message == (
        "https://example.test/rvu.zip (HTTP 503): download failed. Retry later, or use --from-file"
    )
    client, _ = _serve({url: ("timeout", b"")})
    with pytest.raises(FetchError) as exc:
        fetch_rvu_zip(client, 2025, urls=[url])
    assert exc.value.message == (
        "https://example.test/rvu.zip: timed out. Retry, or download the zip and use --from-file"
    )


def test_sync_hcpcs_stores_a_year(any_empty_store):
    from fs_helpers import asset

    url = "https://www.cms.gov/files/zip/january-2019-alpha-numeric-hcpcs-file.zip"
    data = asset("hcpcs", "HCPC2019_CONTR_ANWEB_sample.txt").read_bytes()
    client, _ = _serve({url: (200, data)})
    assert fetch_hcpcs_zip(client, 2019)[1] == url
    written, parsed = fee_tables.sync_hcpcs(
        any_empty_store, 2019, data=data, source="HCPC2019_CONTR_ANWEB_sample.txt"
    )
    assert written == 129 == _count(any_empty_store, fee_tables.hcpcs_codes, 2019)
    with pytest.raises(InputError) as exc:
        fee_tables.sync_hcpcs(any_empty_store, 2020, data=data, source=parsed.path)
    assert exc.value.message == (
        "HCPC2019_CONTR_ANWEB_sample.txt: file year does not match --year 2020 (2019). "
        "Use --year 2019"
    )
