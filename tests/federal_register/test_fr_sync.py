"""The sync pipeline: slices, watermark, idempotency, skips, cache, full text, curated rows."""

from __future__ import annotations

import sys
from datetime import date
from pathlib import Path
from types import ModuleType

import httpx
import pytest
from fr_fakeapi import FakeFederalRegister, fixture, synth_records
from sqlalchemy import select

from payforce.config import Settings
from payforce.errors import ConfigError, FetchError
from payforce.models import Provision
from payforce.sources.base import PoliteTransport, http_client
from payforce.sources.federal_register import SearchQuery, iter_file_records
from payforce.store import fr_tables, schema
from payforce.store.fr_sync import ingest_records, sync_federal_register
from payforce.store.queries import get_document, list_documents, list_provisions

BASE = "https://fr.test/api/v1"


def client_for(fake, tmp_path: Path, *, cache: bool = True) -> httpx.Client:
    settings = Settings(home=tmp_path / "home", database_url="sqlite://", fr_api_url=BASE)
    return http_client(
        settings, transport=httpx.MockTransport(fake), cache=cache, sleep=lambda s: None
    )


def fr_rows(store) -> list[tuple]:
    with store.connect() as conn:
        docs = conn.execute(
            select(schema.documents)
            .where(schema.documents.c.origin == "federal_register")
            .order_by(schema.documents.c.document_number)
        ).all()
    return [tuple(r) for r in docs]


def test_sync_stores_documents_in_core_table_and_advances_watermark(any_empty_store, tmp_path):
    records = synth_records(40, date(2024, 1, 20), per_day=2)  # 2024-01-20 .. 2024-02-08
    fake = FakeFederalRegister(records)
    query = SearchQuery()
    summary = sync_federal_register(
        any_empty_store,
        client_for(fake, tmp_path),
        BASE,
        query,
        since=date(2024, 1, 1),
        until=date(2024, 2, 29),
    )
    assert (summary.new, summary.updated, summary.unchanged, summary.slices) == (40, 0, 0, 2)
    assert summary.watermark == date(2024, 2, 29)
    assert fr_tables.get_watermark(any_empty_store, query.scope_key) == date(2024, 2, 29)
    docs = list_documents(any_empty_store)
    assert len(docs) == 40 and {d.origin for d in docs} == {"federal_register"}
    first = get_document(any_empty_store, "2024-90000")
    assert first is not None and first.file_code == "CMS-1000-P"
    assert first.comments_close_date == date(2024, 3, 20)


def test_rerun_is_idempotent_and_unchanged_slices_cost_no_transfer(empty_store, tmp_path):
    fake = FakeFederalRegister(synth_records(30, date(2024, 1, 10)), etags=True)
    client = client_for(fake, tmp_path)
    kw = {"since": date(2024, 1, 1), "until": date(2024, 2, 29)}
    sync_federal_register(empty_store, client, BASE, SearchQuery(), **kw)
    before = fr_rows(empty_store)
    transport = client._transport
    assert isinstance(transport, PoliteTransport)
    received = transport.bytes_received
    again = sync_federal_register(empty_store, client, BASE, SearchQuery(), **kw)
    assert (again.new, again.updated, again.unchanged) == (0, 0, 30)
    assert again.unchanged_slices == again.slices == 2
    assert transport.bytes_received == received  # every page answered 304 from the cache
    assert fr_rows(empty_store) == before


def test_changed_record_counts_as_updated(empty_store, tmp_path):
    records = synth_records(5, date(2024, 3, 4))
    fake = FakeFederalRegister(records)
    kw = {"since": date(2024, 3, 1), "until": date(2024, 3, 31)}
    sync_federal_register(empty_store, client_for(fake, tmp_path), BASE, SearchQuery(), **kw)
    records[2]["comments_close_on"] = "2024-06-30"
    summary = sync_federal_register(
        empty_store, client_for(fake, tmp_path, cache=False), BASE, SearchQuery(), **kw
    )
    assert (summary.new, summary.updated, summary.unchanged) == (0, 1, 4)
    doc = get_document(empty_store, "2024-90002")
    assert doc is not None and doc.comments_close_date == date(2024, 6, 30)


def test_incremental_sync_starts_at_watermark(empty_store, tmp_path):
    fake = FakeFederalRegister(synth_records(10, date(2024, 1, 5)))
    sync_federal_register(
        empty_store,
        client_for(fake, tmp_path),
        BASE,
        SearchQuery(),
        since=date(2024, 1, 1),
        until=date(2024, 1, 31),
    )
    fake.records += [
        {**r, "document_number": f"2024-8000{i}"}
        for i, r in enumerate(synth_records(3, date(2024, 2, 2)))
    ]
    fake.requests.clear()
    summary = sync_federal_register(
        empty_store,
        client_for(fake, tmp_path),
        BASE,
        SearchQuery(),
        since=None,
        until=date(2024, 2, 29),
    )
    assert summary.since == date(2024, 1, 31)
    assert "conditions%5Bpublication_date%5D%5Bgte%5D=2024-01-31" in fake.requests[0]
    assert (summary.new, summary.unchanged) == (3, 0)


def test_skipped_records_are_kept_with_reasons(empty_store, tmp_path):
    records = synth_records(3, date(2024, 4, 2))
    records[1]["title"] = None
    fake = FakeFederalRegister(records)
    summary = sync_federal_register(
        empty_store,
        client_for(fake, tmp_path),
        BASE,
        SearchQuery(),
        since=date(2024, 4, 1),
        until=date(2024, 4, 30),
    )
    assert summary.new == 2
    assert [(s.document_number, s.reason) for s in summary.skipped] == [("2024-90001", "no title")]
    assert summary.skip_reasons() == {"no title": 1}


def test_failed_slice_writes_nothing_and_rerun_completes(empty_store, tmp_path):
    records = synth_records(20, date(2024, 1, 25), per_day=1)  # Jan 25 .. Feb 13
    fake = FakeFederalRegister(records)
    fake.faults.append(lambda r: httpx.Response(503) if "2024-02-01" in str(r.url) else None)
    with pytest.raises(FetchError):
        sync_federal_register(
            empty_store,
            client_for(fake, tmp_path),
            BASE,
            SearchQuery(),
            since=date(2024, 1, 1),
            until=date(2024, 2, 29),
        )
    assert len(list_documents(empty_store)) == 7  # only January's whole slice
    assert fr_tables.get_watermark(empty_store, SearchQuery().scope_key) == date(2024, 1, 31)
    fake.faults.clear()
    summary = sync_federal_register(
        empty_store,
        client_for(fake, tmp_path),
        BASE,
        SearchQuery(),
        since=None,
        until=date(2024, 2, 29),
    )
    assert len(list_documents(empty_store)) == 20
    assert summary.new == 13


def test_from_file_uses_the_same_parser_and_keeps_curated_rows(store):
    summary = ingest_records(
        store, iter_file_records(fixture("rin_0938-AV34_results_reserialized.json"))
    )
    assert (summary.new, summary.slices) == (5, 4)
    again = ingest_records(
        store, iter_file_records(fixture("rin_0938-AV34_results_reserialized.json"))
    )
    assert (again.new, again.updated, again.unchanged) == (0, 0, 5)
    doc = get_document(store, "2024-17021")
    assert doc is not None and doc.file_code == "CMS-1808-F" and doc.origin == "federal_register"


def test_sync_keeps_curated_snapshot_values_and_fills_empty_fields(store, tmp_path):
    # the bundled rule history fills the curated docket; empty it to see the sync fill it
    with store.begin() as conn:
        conn.execute(
            schema.documents.update()
            .where(schema.documents.c.document_number == "2014-26183")
            .values(docket="")
        )
    curated = get_document(store, "2014-26183")
    assert curated is not None and curated.docket == ""
    record = synth_records(1, date(2014, 11, 13), kind="Rule", file_code="CMS-1612-FC")[0]
    record |= {
        "document_number": "2014-26183",
        "title": "Something else",
        "regulations_dot_gov_info": {"docket_id": "CMS-2014-0094"},
    }
    fake = FakeFederalRegister([record])
    sync_federal_register(
        store,
        client_for(fake, tmp_path),
        BASE,
        SearchQuery(),
        since=date(2014, 11, 1),
        until=date(2014, 11, 30),
    )
    after = get_document(store, "2014-26183")
    assert after is not None
    assert (after.title, after.key, after.summary) == (curated.title, curated.key, curated.summary)
    assert after.docket == "CMS-2014-0094"
    assert after.origin == "snapshot"


@pytest.fixture
def fake_extract(monkeypatch):
    """A stand-in ``payforce.extract.extract_provisions`` (the real one is another area's)."""
    calls = []

    def extract_provisions(text, *, document_number, fmt):
        calls.append((document_number, fmt))
        start = text.find("99490")
        return [
            Provision(
                document_number=document_number,
                kind="code_proposed",
                subject="99490",
                evidence_text=text,
                start=start,
                end=start + 5,
                origin="extracted",
            )
        ]

    module = ModuleType("payforce.extract")
    module.extract_provisions = extract_provisions  # type: ignore[attr-defined]
    monkeypatch.setitem(sys.modules, "payforce.extract", module)
    return calls


def test_full_text_feeds_extracted_provisions(empty_store, tmp_path, fake_extract):
    records = synth_records(2, date(2024, 7, 10))
    records[1]["cfr_references"] = [{"title": 40, "part": "50"}]  # not a payment part
    fake = FakeFederalRegister(records, full_texts={"2024-90000": "Pay CPT 99490 monthly."})
    summary = sync_federal_register(
        empty_store,
        client_for(fake, tmp_path),
        BASE,
        SearchQuery(),
        since=date(2024, 7, 1),
        until=date(2024, 7, 31),
        full_text=True,
    )
    assert fake_extract == [("2024-90000", "text")]
    assert (summary.full_texts, summary.provisions) == (1, 1)
    provisions = list_provisions(empty_store)
    assert [(p.document_number, p.subject, p.origin, p.start) for p in provisions] == [
        ("2024-90000", "99490", "extracted", 8)
    ]


def test_full_text_without_extract_module_is_a_clear_error(empty_store, tmp_path, monkeypatch):
    module = ModuleType("payforce.extract")
    monkeypatch.setitem(sys.modules, "payforce.extract", module)
    with pytest.raises(ConfigError) as info:
        sync_federal_register(
            empty_store,
            client_for(FakeFederalRegister([]), tmp_path),
            BASE,
            SearchQuery(),
            since=date(2024, 7, 1),
            until=date(2024, 7, 31),
            full_text=True,
        )
    assert info.value.message.startswith(
        "--full-text: provision extraction is not available (payforce.extract.extract_provisions:"
    )
    assert info.value.message.endswith(
        "Sync without --full-text, or install a payforce with the extract module"
    )


def test_sync_never_exceeds_five_requests_per_second(empty_store, tmp_path):
    now = [0.0]
    starts: list[float] = []
    fake = FakeFederalRegister(synth_records(60, date(2024, 1, 1), per_day=1))

    def handler(request):
        starts.append(now[0])
        return fake(request)

    def sleep(seconds):
        now[0] += seconds

    settings = Settings(home=tmp_path, database_url="sqlite://", fr_api_url=BASE)
    client = http_client(
        settings,
        transport=httpx.MockTransport(handler),
        cache=False,
        sleep=sleep,
        clock=lambda: now[0],
    )
    sync_federal_register(
        empty_store, client, BASE, SearchQuery(), since=date(2024, 1, 1), until=date(2024, 12, 31)
    )
    assert len(starts) == 12
    gaps = [b - a for a, b in zip(starts, starts[1:], strict=False)]
    assert min(gaps) >= 0.2 - 1e-9


def test_full_text_with_the_real_extractor_on_a_real_gpo_excerpt(empty_store, tmp_path):
    """End to end: sync reads the XML full text and stores what payforce.extract finds."""
    gpo = Path(__file__).parent.parent / "fixtures" / "extract"
    text = (gpo / "FR_2024-25382_CY2025_PFS_final_rule_excerpt_II-E.xml").read_text()
    record = synth_records(1, date(2024, 12, 9), kind="Rule")[0]
    record |= {
        "raw_text_url": None,
        "body_html_url": None,
        "full_text_xml_url": "https://www.federalregister.gov/documents/full_text/xml/"
        "2024-90000.xml",
    }
    fake = FakeFederalRegister([record], full_texts={"2024-90000": text})
    kw = {"since": date(2024, 12, 1), "until": date(2024, 12, 31), "full_text": True}
    summary = sync_federal_register(
        empty_store, client_for(fake, tmp_path), BASE, SearchQuery(), **kw
    )
    stored = list_provisions(empty_store)
    assert summary.provisions == len(stored) == 51
    assert {p.origin for p in stored} == {"extracted"}
    payable = {p.subject for p in stored if p.kind == "code_payable"}
    assert {"0537T", "25310"} <= payable
    again = sync_federal_register(
        empty_store, client_for(fake, tmp_path), BASE, SearchQuery(), **kw
    )
    assert (again.unchanged, again.provisions) == (1, 0)  # same text: not extracted again
    assert len(list_provisions(empty_store)) == 51
