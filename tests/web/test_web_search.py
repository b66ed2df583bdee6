"""Full-text search over documents, codes and roles (SQLite FTS5 and PostgreSQL)."""

from __future__ import annotations

from datetime import date

import pytest

from payforce.store import schema
from payforce.store.db import upsert_rows
from payforce.store.search import (
    MARK_END,
    MARK_START,
    data_version,
    ensure_search_index,
    query_tokens,
    search,
)

pytestmark = pytest.mark.usefixtures("any_store")


def test_search_finds_a_code_by_number(any_store):
    hits = search(any_store, "99490")
    assert ("code", "99490") in [(h.kind, h.ref) for h in hits]
    document = next(h for h in hits if h.kind == "document" and h.ref == "2014-26183")
    assert f"{MARK_START}99490{MARK_END}" in document.snippet


def test_search_finds_a_role_by_alias_and_prefix(any_store):
    hits = search(any_store, "coder", kind="role")
    assert hits[0].ref == "medical_coder"
    assert {h.kind for h in hits} == {"role"}
    prefix = search(any_store, "informatic", kind="role")
    assert {"clinical_informaticist", "nursing_informaticist"} <= {h.ref for h in prefix}


def test_search_needs_every_word(any_store):
    both = {h.ref for h in search(any_store, "remote monitoring")}
    one = {h.ref for h in search(any_store, "remote")}
    assert both and both <= one


def test_search_empty_or_symbol_only_query_returns_nothing(any_store):
    assert search(any_store, "") == []
    assert search(any_store, "*** ()") == []


def test_query_tokens_strip_query_syntax():
    assert query_tokens('NEAR("a" b) OR title:* 99490') == [
        "near",
        "a",
        "b",
        "or",
        "title",
        "99490",
    ]
    assert len(query_tokens("w " * 50)) == 8


def test_search_index_follows_new_data(any_store):
    before = data_version(any_store)
    ensure_search_index(any_store)
    assert search(any_store, "zebrafish") == []
    with any_store.begin() as conn:
        upsert_rows(
            conn,
            schema.documents,
            [
                {
                    "document_number": "2099-00002",
                    "key": "",
                    "type": "Notice",
                    "title": "Zebrafish payment demonstration",
                    "agency": "CMS",
                    "citation": "",
                    "file_code": "",
                    "rin": "",
                    "docket": "",
                    "publication_date": date(2026, 2, 1),
                    "effective_date": None,
                    "comments_close_date": None,
                    "cfr_parts": "",
                    "summary": "A notice.",
                    "html_url": "",
                    "source_url": "",
                    "confidence": "high",
                    "origin": "federal_register",
                }
            ],
        )
    assert data_version(any_store) != before
    hits = search(any_store, "zebrafish")
    assert [(h.kind, h.ref) for h in hits] == [("document", "2099-00002")]
    assert ensure_search_index(any_store) is False  # already current


def test_data_version_is_stable_without_writes(any_store):
    ensure_search_index(any_store)
    assert data_version(any_store) == data_version(any_store)
