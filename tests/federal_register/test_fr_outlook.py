"""A newly synced proposed rule changes `payforce outlook` with no hand edit (change the evidence)."""

from __future__ import annotations

from datetime import date

import httpx
from fr_fakeapi import FakeFederalRegister, synth_records

from payforce.config import Settings
from payforce.signals import compute_signals
from payforce.signals.outlook import compute_outlooks
from payforce.sources.base import http_client
from payforce.sources.federal_register import SearchQuery
from payforce.store.fr_sync import sync_federal_register

BASE = "https://fr.test/api/v1"
TEXT = (
    "Medicare Program; CY 2027 Payment Policies Under the Physician Fee Schedule. We propose to "
    "establish payment for CPT code 99491 and to increase the work RVU for chronic care "
    "management CPT code 99490 under the physician fee schedule."
)


def test_synced_proposed_rule_moves_the_outlook(store, tmp_path):
    as_of = date(2026, 6, 30)
    before = {o.role: o for o in compute_outlooks(store, as_of)}
    record = synth_records(1, date(2026, 5, 4))[0] | {
        "cfr_references": [{"title": 42, "part": "414"}]
    }
    number = record["document_number"]
    fake = FakeFederalRegister([record], full_texts={number: TEXT})
    settings = Settings(home=tmp_path, database_url="sqlite://", fr_api_url=BASE)
    client = http_client(settings, transport=httpx.MockTransport(fake), sleep=lambda s: None)
    summary = sync_federal_register(
        store,
        client,
        BASE,
        SearchQuery(),
        since=date(2026, 5, 1),
        until=date(2026, 5, 31),
        full_text=True,
    )
    assert (summary.new, summary.provisions) == (1, 2)
    after = {o.role: o for o in compute_outlooks(store, as_of)}
    assert after["care_manager_rn"].score > before["care_manager_rn"].score
    assert after["care_manager_rn"].signal_count == before["care_manager_rn"].signal_count + 1
    leading = [
        s
        for s in compute_signals(store, as_of)
        if s.question == 5 and any(e.ref == number for e in s.evidence)
    ]
    assert leading and all(s.leading and s.lead_time_days for s in leading)
    # as of a day before it was published, the document does not exist yet
    day_before = date(2026, 5, 3)
    assert not [
        s for s in compute_signals(store, day_before) if any(e.ref == number for e in s.evidence)
    ]
