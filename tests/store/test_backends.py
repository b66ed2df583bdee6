"""The same store code and engine on SQLite and on a real PostgreSQL server."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import select

from payforce.errors import StoreError
from payforce.signals.outlook import compute_outlooks
from payforce.store import queries, schema
from payforce.store.db import Store, upsert_rows

EXPECTED_2026 = {
    "nurse_practitioner": "growth",
    "prior_authorization_specialist": "pressure",
    "medical_coder": "pivot",
    "radiologist": "growth",
}


def test_outlooks_are_the_same_on_both_backends(any_store, store):
    here = {o.role: (o.direction, o.score) for o in compute_outlooks(any_store, date(2026, 6, 30))}
    ref = {o.role: (o.direction, o.score) for o in compute_outlooks(store, date(2026, 6, 30))}
    assert here == ref
    for role, direction in EXPECTED_2026.items():
        assert here[role][0] == direction


def test_upsert_updates_on_the_natural_key(any_empty_store):
    row = {"key": "schema_note", "value": "one"}
    with any_empty_store.begin() as conn:
        upsert_rows(conn, schema.meta, [row])
        upsert_rows(conn, schema.meta, [{**row, "value": "two"}])
    assert any_empty_store.get_meta("schema_note") == "two"


def test_schema_version_and_migrations_are_recorded(any_empty_store):
    assert any_empty_store.get_meta("schema_version") == str(schema.SCHEMA_VERSION)
    with any_empty_store.connect() as conn:
        names = list(conn.execute(select(schema.migrations.c.name)).scalars())
    assert "0001_initial" in names


def test_a_failed_transaction_leaves_nothing(any_store):
    before = len(queries.list_documents(any_store))
    with pytest.raises(RuntimeError), any_store.begin() as conn:
        conn.execute(schema.documents.delete())
        raise RuntimeError("boom")
    assert len(queries.list_documents(any_store)) == before


def test_as_of_filters_documents_by_publication(any_store):
    docs = queries.list_documents(any_store, date(2015, 1, 1))
    curated = [d.document_number for d in docs if d.origin == "snapshot"]
    assert curated == [
        "E9-31217",
        "2010-17207",
        "2012-26900",
        "2013-16547",
        "2013-28696",
        "2014-15948",
        "2014-26183",
    ]
    # with the rule history: every CMS/HHS rule posted 2010-2014, none later
    assert len(docs) > 400 and max(d.publication_date for d in docs) <= date(2015, 1, 1)
    assert [d.publication_date for d in docs] == sorted(d.publication_date for d in docs)


def test_unreachable_database_is_a_store_error(tmp_path):
    blocker = tmp_path / "file"
    blocker.write_text("x")
    with pytest.raises(
        StoreError,
        match=r"file/sub/payforce.db: cannot create the database folder \(Not a directory\)\. Set PAYFORCE_HOME",
    ):
        Store.open(f"sqlite:///{blocker}/sub/payforce.db")
