"""Which documents share a rulemaking key: a derived index for per-document pages.

Each document's keys — those :func:`payforce.rulemaking.lifecycle.link_keys` links rulemakings
by (RIN, CMS file code, docket, annual-rule title) plus its readable key's stem
(``pfs_2026_proposed`` → ``key:pfs_2026``) — are kept in ``document_links`` with the document's
publication date, so a document page finds its rulemaking's documents by an index range read
instead of a scan of every document. Like the search index it is derived data: rebuilt when the
store's data version changes (recorded in ``meta`` as ``links_version``), never backed up.
"""

from __future__ import annotations

import re
import threading
from datetime import date

from sqlalchemy import Column, Connection, Date, MetaData, String, Table, select

from payforce.store import schema
from payforce.store.db import Store

__all__ = ["document_keys", "ensure_link_index", "related_numbers"]

_meta = MetaData()
document_links = Table(
    "document_links",
    _meta,
    Column("link_key", String(400), primary_key=True),
    Column("publication_date", Date, primary_key=True),
    Column("document_number", String(40), primary_key=True),
)
_STEM = re.compile(r"_(proposed|final|correction|withdrawal)$")
_lock = threading.Lock()


def document_keys(rin: str, file_code: str, docket: str, title: str, key: str) -> set[str]:
    """The keys a document is linked by (see the module docstring)."""
    from payforce.rulemaking.lifecycle import _link_keys

    keys = set(_link_keys(rin or "", file_code or "", docket or "", title or ""))
    if key and _STEM.search(key):
        keys.add(f"key:{_STEM.sub('', key)}")
    return keys


def ensure_link_index(store: Store, version: str) -> None:
    """Rebuild ``document_links`` when it was built from another data version."""
    if store.get_meta("links_version") == version:
        return
    d = schema.documents
    with _lock:
        if store.get_meta("links_version") == version:  # another thread rebuilt it meanwhile
            return
        with store.begin() as conn:
            if store.dialect == "postgresql":
                conn.exec_driver_sql("SELECT pg_advisory_xact_lock(7346020)")
            document_links.create(conn, checkfirst=True)
            conn.execute(document_links.delete())
            q = select(d.c.document_number, d.c.publication_date, d.c.rin, d.c.file_code)
            q = q.add_columns(d.c.docket, d.c.title, d.c.key)
            rows = [
                {
                    "link_key": k,
                    "publication_date": r.publication_date,
                    "document_number": r.document_number,
                }
                for r in conn.execute(q)
                for k in document_keys(r.rin, r.file_code, r.docket, r.title, r.key)
                if len(k) <= 400
            ]
            for i in range(0, len(rows), 5000):
                conn.execute(document_links.insert(), rows[i : i + 5000])
            store.set_meta(conn, "links_version", version)


def related_numbers(conn: Connection, keys: set[str], day: date, around: int) -> set[str]:
    """Numbers of the documents sharing any of ``keys``: per key, the ``around`` published on
    or before ``day`` and the ``around`` after it (nearest first)."""
    t = document_links
    out: set[str] = set()
    for k in sorted(keys):
        before = (
            select(t.c.document_number)
            .where(t.c.link_key == k, t.c.publication_date <= day)
            .order_by(t.c.publication_date.desc(), t.c.document_number.desc())
            .limit(around)
        )
        after = (
            select(t.c.document_number)
            .where(t.c.link_key == k, t.c.publication_date > day)
            .order_by(t.c.publication_date, t.c.document_number)
            .limit(around)
        )
        out.update(conn.execute(before).scalars())
        out.update(conn.execute(after).scalars())
    return out
