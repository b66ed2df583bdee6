"""Full-text search over documents, billing codes and roles, and the store's data version.

SQLite uses an FTS5 virtual table (``search_fts``); PostgreSQL a plain table (``search_entries``)
with a generated ``tsvector`` column and a GIN index. Both are rebuilt from the core tables when
the store's :func:`data_version` changes (recorded in ``meta`` as ``search_version``), so a sync
in another process shows up in search without a restart.

The user's words never reach SQL as text: they are reduced to ``[a-z0-9]`` tokens, turned into a
prefix query (``"ccm"*`` for FTS5, ``ccm:*`` for ``to_tsquery``) and passed as a bound parameter.
"""

from __future__ import annotations

import hashlib
import re
import threading
import time
from dataclasses import dataclass
from typing import Any

import nh3
from sqlalchemy import Connection, func, select, text

from payforce.filestat import sqlite_fingerprint
from payforce.store import schema
from payforce.store.db import Store, commits

__all__ = [
    "MARK_END",
    "MARK_START",
    "SEARCH_KINDS",
    "SearchHit",
    "data_version",
    "ensure_search_index",
    "query_tokens",
    "rebuild_search_index",
    "search",
]

SEARCH_KINDS = ("document", "code", "role")
MARK_START = "\x02"
"""Marks the start of a matched word in :attr:`SearchHit.snippet` (never user-supplied)."""
MARK_END = "\x03"
"""Marks the end of a matched word."""
MAX_TOKENS = 8
"""More words than this are ignored: a search box, not a query language."""
RANKED = 2000
"""SQLite: at most this many matching entries (the newest) are ranked (see :func:`search`)."""
DERIVED_VERSIONS = ("search_version", "links_version")
"""``meta`` keys recording which data version a derived index was built from (not data)."""
_CORE_TABLES = (
    schema.documents,
    schema.provisions,
    schema.billing_codes,
    schema.code_values,
    schema.program_metrics,
    schema.roles,
)
_rebuild_lock = threading.Lock()


@dataclass(frozen=True)
class SearchHit:
    """One search result."""

    kind: str
    """``document``, ``code`` or ``role``."""
    ref: str
    """Document number, code or role key: what the page URL is built from."""
    title: str
    """Readable title."""
    snippet: str
    """Matched text with :data:`MARK_START` / :data:`MARK_END` around matched words."""
    rank: float
    """Higher is better (backend-specific scale)."""

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready form (markers removed from the snippet)."""
        return {
            "kind": self.kind,
            "ref": self.ref,
            "title": self.title,
            "snippet": self.snippet.replace(MARK_START, "").replace(MARK_END, ""),
            "rank": round(self.rank, 4),
        }


VERSION_TTL = 1.0
"""PostgreSQL: how long a data version read is trusted when this process wrote nothing since
(another process's sync shows within this many seconds)."""
_VERSIONS: dict[str, tuple[Any, str, float]] = {}
"""Store URL → (what the reading depended on, the version read, when it was read)."""
_READING: dict[str, threading.Lock] = {}
"""Store URL → held while one thread re-reads its version."""


def _version_key(store: Store) -> Any:
    """What tells whether the data may have changed since a reading: this process's commits,
    and for SQLite the database and write-ahead-log files' sizes and modification times (any
    write by any process changes them)."""
    path = store.sqlite_path
    return (commits(), tuple(sqlite_fingerprint(path)) if path is not None else None)


def data_version(store: Store, max_age: float = VERSION_TTL) -> str:
    """A short fingerprint of the core data: changes when rows are added, removed or changed.

    Per core table: the row count and sums over its values (text lengths, numbers), plus the
    ``meta`` rows (snapshot digest, sync bookkeeping). One portable query, a scan of the core
    tables (~0.3 s on 100,000 documents), so a reading is kept while nothing can have changed
    (:func:`_version_key`; on PostgreSQL for at most ``max_age`` seconds): forecasts, outlooks
    and the web read it many times a request. Single flight: while one thread re-reads it, the
    others go on with the last reading.
    """
    key = _version_key(store)
    kept = _VERSIONS.get(store.url)
    fresh = store.dialect == "sqlite" or (kept is not None and time.monotonic() - kept[2] < max_age)
    if kept is not None and kept[0] == key and fresh:
        return kept[1]
    reading = _READING.setdefault(store.url, threading.Lock())
    if kept is not None and not reading.acquire(blocking=False):
        return kept[1]  # another thread is re-reading it
    if kept is None:
        reading.acquire()
    try:
        value = _data_version(store)
        if len(_VERSIONS) > 64:
            _VERSIONS.clear()
        _VERSIONS[store.url] = (key, value, time.monotonic())
        return value
    finally:
        reading.release()


def _data_version(store: Store) -> str:
    d, p, c = schema.documents, schema.provisions, schema.billing_codes
    v, m, r = schema.code_values, schema.program_metrics, schema.roles
    probes = [
        *(select(func.count()).select_from(t).scalar_subquery() for t in _CORE_TABLES),
        select(
            func.sum(
                func.length(d.c.title)
                + func.length(d.c.summary)
                + func.length(d.c.rin)
                + func.length(d.c.file_code)
                + func.length(d.c.docket)
            )
        ).scalar_subquery(),
        select(func.max(d.c.publication_date)).scalar_subquery(),
        select(
            func.sum(func.length(p.c.detail) + func.length(p.c.evidence_text))
        ).scalar_subquery(),
        select(func.sum(func.length(c.c.description) + func.length(c.c.family))).scalar_subquery(),
        select(func.sum(v.c.payment)).scalar_subquery(),
        select(func.sum(v.c.total_rvu)).scalar_subquery(),
        select(func.sum(m.c.value)).scalar_subquery(),
        select(func.max(m.c.available_from)).scalar_subquery(),
        select(func.sum(r.c.employment)).scalar_subquery(),
        select(func.sum(r.c.median_wage + func.length(r.c.title))).scalar_subquery(),
        *_labour_probes(),
    ]
    parts: list[str] = []
    with store.connect() as conn:
        row = conn.execute(select(*probes)).one()
        parts.extend(str(round(x, 2) if isinstance(x, float) else x) for x in row)
        for key, value in conn.execute(
            select(schema.meta.c.key, schema.meta.c.value)
            .where(schema.meta.c.key.notin_(DERIVED_VERSIONS))
            .order_by(schema.meta.c.key)
        ):
            parts.append(f"{key}={value}")
    return hashlib.sha256("|".join(parts).encode()).hexdigest()[:16]


def _labour_probes() -> list[Any]:
    """Probes over the BLS vintages (a sync of OEWS or projections changes the version)."""
    from payforce.store.workforce_tables import ep_projections, labour_vintages, oews_employment

    o, e, lv = oews_employment, ep_projections, labour_vintages
    return [
        select(func.count()).select_from(o).scalar_subquery(),
        select(func.sum(o.c.employment)).scalar_subquery(),
        select(func.sum(o.c.median_wage)).scalar_subquery(),
        select(func.sum(e.c.employment_target)).scalar_subquery(),
        select(func.count()).select_from(lv).scalar_subquery(),
        select(func.max(lv.c.available_from)).scalar_subquery(),
    ]


def _plain(html_or_text: str) -> str:
    """Text without any markup (abstracts from the Federal Register may carry HTML)."""
    cleaned = nh3.clean(html_or_text, tags=set())
    return re.sub(
        r"\s+",
        " ",
        cleaned.replace("&amp;", "&")
        .replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&quot;", '"')
        .replace("&#39;", "'"),
    ).strip()


def _entries(conn: Connection) -> list[dict[str, str]]:
    """The rows to index: one per document, code and role."""
    from payforce.knowledge import load_knowledge

    aliases = load_knowledge().aliases
    d, c, r = schema.documents, schema.billing_codes, schema.roles
    out: list[dict[str, str]] = []
    for m in (
        row._mapping
        for row in conn.execute(select(d).order_by(d.c.publication_date, d.c.document_number))
    ):
        body = " ".join(
            str(m[f]) for f in ("document_number", "type", "citation", "file_code", "rin", "key")
        )
        out.append(
            {
                "kind": "document",
                "ref": m["document_number"],
                "title": _plain(m["title"]),
                "body": f"{_plain(m['summary'])} {body}",
            }
        )
    code_fields = ("system", "family", "performer", "threshold", "ai_category", "status_note")
    out.extend(
        {
            "kind": "code",
            "ref": m["code"],
            "title": f"{m['code']} {_plain(m['description'])}",
            "body": " ".join(_plain(str(m[f])) for f in code_fields),
        }
        for m in (row._mapping for row in conn.execute(select(c).order_by(c.c.code)))
    )
    for m in (row._mapping for row in conn.execute(select(r).order_by(r.c.role_key))):
        key = m["role_key"]
        out.append(
            {
                "kind": "role",
                "ref": key,
                "title": _plain(m["title"]),
                "body": " ".join(
                    [
                        key.replace("_", " "),
                        m["soc"],
                        _plain(m["onet_title"]),
                        *aliases.get(key, ()),
                        _plain(m["certifications"]),
                    ]
                ),
            }
        )
    return out


def rebuild_search_index(store: Store) -> int:
    """Drop and refill the search index from the core tables; return the number of entries."""
    version = data_version(store)
    with _rebuild_lock, store.begin() as conn:
        if store.dialect == "postgresql":
            conn.execute(text("SELECT pg_advisory_xact_lock(7346019)"))
        _create_index_table(conn)
        entries = _entries(conn)
        if store.dialect == "sqlite":
            conn.execute(text("DELETE FROM search_fts"))
            if entries:
                conn.execute(
                    text(
                        "INSERT INTO search_fts (kind, ref, title, body) "
                        "VALUES (:kind, :ref, :title, :body)"
                    ),
                    entries,
                )
            # one b-tree per index, not the dozens of segments a bulk insert leaves
            conn.execute(text("INSERT INTO search_fts (search_fts) VALUES ('optimize')"))
        else:
            conn.execute(text("DELETE FROM search_entries"))
            if entries:
                conn.execute(
                    text(
                        "INSERT INTO search_entries (kind, ref, title, body) "
                        "VALUES (:kind, :ref, :title, :body)"
                    ),
                    entries,
                )
        store.set_meta(conn, "search_version", version)
    return len(entries)


def _create_index_table(conn: Connection) -> None:
    if conn.dialect.name == "sqlite":
        made = conn.execute(
            text("SELECT sql FROM sqlite_master WHERE name = 'search_fts'")
        ).scalar_one_or_none()
        if made is not None and "prefix" not in made:  # an index made before prefix indexes
            conn.execute(text("DROP TABLE search_fts"))
        conn.execute(  # prefix indexes: "phy*" reads one list, not every word starting so
            text(
                "CREATE VIRTUAL TABLE IF NOT EXISTS search_fts USING fts5("
                "kind UNINDEXED, ref UNINDEXED, title, body, tokenize='porter unicode61', "
                "prefix='2 3')"
            )
        )
        return
    conn.execute(
        text(
            "CREATE TABLE IF NOT EXISTS search_entries ("
            "kind VARCHAR(20) NOT NULL, ref VARCHAR(100) NOT NULL, title TEXT NOT NULL, "
            "body TEXT NOT NULL, "
            "tsv tsvector GENERATED ALWAYS AS ("
            "setweight(to_tsvector('english', title), 'A') || "
            "setweight(to_tsvector('english', body), 'B')) STORED, "
            "PRIMARY KEY (kind, ref))"
        )
    )
    conn.execute(
        text("CREATE INDEX IF NOT EXISTS search_entries_tsv ON search_entries USING GIN (tsv)")
    )


def ensure_search_index(store: Store, version: str | None = None) -> bool:
    """Rebuild the index when the data changed since it was built; True when it rebuilt."""
    current = version or data_version(store)
    if store.get_meta("search_version") == current:
        return False
    rebuild_search_index(store)
    return True


def query_tokens(query: str) -> list[str]:
    """The search words: lower-case ``[a-z0-9]`` runs, at most :data:`MAX_TOKENS`."""
    return re.findall(r"[a-z0-9]+", query.lower())[:MAX_TOKENS]


def search(
    store: Store,
    query: str,
    *,
    kind: str | None = None,
    limit: int = 30,
    version: str | None = None,
) -> list[SearchHit]:
    """Entries matching every word of ``query`` (prefix match), best first.

    SQLite ranks the :data:`RANKED` newest matching entries (documents are indexed in
    publication order, then codes and roles, so those are always ranked): ranking every match
    of a common word on 100,000 documents takes ~0.1–0.2 s, the newest 2,000 ~15 ms.

    ``kind`` limits results to one of :data:`SEARCH_KINDS`. An empty query returns nothing.
    ``version`` is the store's :func:`data_version` when the caller already knows it (the web
    reads it once a second; computing it scans the core tables).
    """
    tokens = query_tokens(query)
    if not tokens:
        return []
    ensure_search_index(store, version)
    params: dict[str, Any] = {"limit": limit, "kind": kind}
    if store.dialect == "sqlite":
        params["q"] = " ".join(f'"{t}"*' for t in tokens)
        sql = text(
            "SELECT kind, ref, title, "
            "snippet(search_fts, 3, :ms, :me, '…', 16) AS snip, -bm25(search_fts, 0, 0, 5.0, 1.0) "
            "AS rank FROM search_fts WHERE search_fts MATCH :q AND rowid >= :floor "
            "AND (:kind IS NULL OR kind = :kind) ORDER BY rank DESC, kind, ref LIMIT :limit"
        )
        floor = text(  # a separate statement: FTS5 narrows by a rowid bound, not a subquery
            "SELECT coalesce(min(rowid), 0) FROM (SELECT rowid FROM search_fts"
            " WHERE search_fts MATCH :q ORDER BY rowid DESC LIMIT :pool)"
        )
        params.update(ms=MARK_START, me=MARK_END, pool=RANKED)
    else:
        params["q"] = " & ".join(f"{t}:*" for t in tokens)
        params["opts"] = (
            f"StartSel={MARK_START}, StopSel={MARK_END}, MaxWords=24, MinWords=8, "
            "HighlightAll=false"
        )
        sql = text(
            "SELECT kind, ref, title, ts_headline('english', body, q, :opts) AS snip, "
            "ts_rank(tsv, q) AS rank FROM search_entries, to_tsquery('english', :q) AS q "
            "WHERE tsv @@ q AND (CAST(:kind AS VARCHAR) IS NULL OR kind = :kind) "
            "ORDER BY rank DESC, kind, ref LIMIT :limit"
        )
    with store.connect() as conn:
        if store.dialect == "sqlite":
            params["floor"] = conn.execute(floor, params).scalar_one()
        rows = conn.execute(sql, params).all()
    return [
        SearchHit(kind=r.kind, ref=r.ref, title=r.title, snippet=r.snip or "", rank=float(r.rank))
        for r in rows
    ]
