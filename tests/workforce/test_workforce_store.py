"""Workforce syncs write once, upsert on natural keys, and read back — SQLite and PostgreSQL."""

from __future__ import annotations

from pathlib import Path

import pytest

from payforce.sources.onet import ATTRIBUTION, parse_onet_dir
from payforce.store.workforce_tables import (
    list_oews,
    list_projections,
    load_onet_profiles,
    onet_counts,
)
from payforce.workforce import onet_attribution
from payforce.workforce.sync import sync_bls_bytes, sync_onet_database

FIXTURES = Path(__file__).parent.parent / "fixtures"


def asset(*parts: str) -> Path:
    path = FIXTURES.joinpath(*parts)
    if not path.exists():
        pytest.fail(f"missing fixture file {path}")
    return path


def test_sync_oews_twice_upserts_on_soc_and_year(any_empty_store):
    name = "national_M2023_dl_healthcare_sample.csv"
    data = asset("bls", name).read_bytes()
    first = sync_bls_bytes(any_empty_store, data, name)
    second = sync_bls_bytes(any_empty_store, data, name)
    assert first.to_dict() == second.to_dict()
    assert first.written == {"oews_employment": 144}
    assert first.skipped == {"code repeated at another hierarchy level": 2}
    assert first.markers == {"#": 17}
    rows = list_oews(any_empty_store)
    assert len(rows) == 144
    rn = list_oews(any_empty_store, "29-1141")
    assert [(r["year"], r["employment"], r["median_wage"]) for r in rn] == [
        (2023, 3175390, 86070.0)
    ]


def test_sync_projections(any_empty_store):
    name = "ep_table_1_4_most_new_jobs_2024_34.csv"
    summary = sync_bls_bytes(any_empty_store, asset("bls", name).read_bytes(), name)
    assert (summary.kind, summary.label, summary.written) == (
        "projections",
        "2024-2034",
        {"ep_projections": 31},
    )
    np_row = next(r for r in list_projections(any_empty_store) if r["soc"] == "29-1171")
    assert (np_row["employment_base"], np_row["change_pct"]) == (320400, 40.1)


def test_sync_onet_replaces_the_release_and_profiles_read_back(any_empty_store):
    db = parse_onet_dir(asset("onet", "Read Me.txt").parent)
    summary = sync_onet_database(any_empty_store, db, "samples")
    sync_onet_database(any_empty_store, db, "samples")
    assert summary.written["onet_occupations"] == 117
    assert onet_counts(any_empty_store) == {
        "onet_occupations": 117,
        "onet_alternate_titles": 270,
        "onet_tasks": 272,
        "onet_skills": 0,
        "onet_related": 0,
    }
    assert any_empty_store.get_meta("onet_release") == "O*NET 27.0 Database"
    profiles = load_onet_profiles(any_empty_store)
    coder = profiles["29-2072.00"]
    assert coder["title"] == "Medical Records Specialists"
    assert "Certified Professional Coder (CPC)" in coder["alternate_titles"]
    assert len(profiles["29-1141.00"]["tasks"]) == 22


def test_profiles_are_empty_before_any_onet_sync(empty_store):
    assert load_onet_profiles(empty_store) == {}
    assert onet_attribution(empty_store) is None
    sync_onet_database(empty_store, parse_onet_dir(asset("onet", "Read Me.txt").parent), "x")
    assert onet_attribution(empty_store) == ATTRIBUTION
