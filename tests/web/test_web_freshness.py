"""Every page states the newest evidence date; a stale store gets a plain warning naming the sync."""

from __future__ import annotations

import re

import pytest


def _note(html: str) -> str:
    found = re.search(r'<p class="freshness[^"]*" role="status">(.*?)</p>', html, re.S)
    assert found, "no freshness note on the page"
    return re.sub(r"<[^>]+>", "", found.group(1))


@pytest.mark.parametrize("path", ["/", "/roles", "/roles/care_manager_rn"])
def test_page_states_the_newest_evidence_date(client, path):
    r = client.get(f"{path}?as_of=2026-06-30")
    assert r.status_code == 200
    assert _note(r.text) == "Newest evidence in the store: 2026-06-30 (program metric)."


def test_dashboard_warns_when_the_store_is_older_than_30_days(client):
    r = client.get("/")  # as_of defaults to the pinned today, 2026-11-27
    note = _note(r.text)
    assert note.startswith("The store may be out of date: its newest evidence is from 2026-06-30")
    assert "150 days before 2026-11-27" in note
    assert "Run payforce sync federal-register to bring it up to date." in note
    assert 'class="freshness stale"' in r.text


def test_a_replay_of_the_past_is_not_called_out_of_date(client):
    r = client.get("/?as_of=2016-01-01")
    assert _note(r.text) == "Newest evidence in the store: 2026-06-30 (program metric)."


@pytest.mark.parametrize(
    "path",
    [
        "/codes",
        "/codes/99490",
        "/families/ccm",
        "/documents",
        "/documents/2014-26183",
        "/search?q=chronic+care",
        "/economics",
    ],
)
def test_catalog_pages_state_freshness_against_today(client, path):
    r = client.get(path)
    assert r.status_code == 200
    note = _note(r.text)
    assert note.startswith("The store may be out of date: its newest evidence is from 2026-06-30")
    assert "days before 2026-11-27" in note
