"""The Federal Register sync pipeline: fetch → parse → upsert, one transaction per slice.

An interrupted run (network error, Ctrl-C, SIGKILL) leaves only whole slices in the store and a
watermark no later than the last whole slice, so a rerun completes the window and ends with the
same store as an uninterrupted run. Documents land in the core ``documents`` table
(``origin="federal_register"``), so the signal engine counts them like any other document.

A document already curated in the bundled snapshot keeps its curated values; the sync only fills
fields the snapshot left empty (docket, dates, CFR parts, link).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date
from itertools import groupby
from typing import Any, cast

import httpx
from sqlalchemy import Connection, Date, Table, delete, select

from payforce.errors import ConfigError
from payforce.models import Provision
from payforce.sources.federal_register import (
    DOCUMENT_FIELDS,
    FetchedSlice,
    RecordRow,
    SearchQuery,
    SkippedRecord,
    fetch_full_text,
    iter_slices,
    month_windows,
    needs_full_text,
    parse_record_row,
    record_from_row,
)
from payforce.store import fr_tables, schema
from payforce.store.clock import utcnow_text
from payforce.store.db import Store, upsert_rows
from payforce.store.fr_rows import document_row, provision_row
from payforce.store.scope_tables import mark_scope, scope_reason

__all__ = [
    "DEFAULT_SINCE",
    "Extractor",
    "SyncProgress",
    "SyncSummary",
    "document_row",
    "ingest_records",
    "load_extractor",
    "sync_federal_register",
]

DEFAULT_SINCE = date(2014, 1, 1)
"""First publication date of a first sync without ``--since`` (the CY2015 PFS cycle began in
2014: chronic care management, the first code this method follows)."""

SyncProgress = Callable[[int, int, str], None]
"""``progress(done, total, message)``: windows done of total, and what just happened."""
Extractor = Callable[..., list[Provision]]
"""``extract_provisions(text, document_number=..., fmt=...) -> list[Provision]``."""

_FILLABLE = (
    "docket",
    "effective_date",
    "comments_close_date",
    "cfr_parts",
    "html_url",
    "citation",
    "rin",
    "file_code",
)


@dataclass
class SyncSummary:
    """What a sync did: counts, skips with reasons, and where it stopped."""

    new: int = 0
    """Documents stored for the first time."""
    updated: int = 0
    """Documents whose stored values changed."""
    unchanged: int = 0
    """Documents fetched again with the same values."""
    skipped: list[SkippedRecord] = field(default_factory=list)
    """Records not stored, each with its reason."""
    slices: int = 0
    """Slices committed (each its own transaction)."""
    unchanged_slices: int = 0
    """Slices whose pages matched the last sync exactly (no database work)."""
    splits: int = 0
    """Slices halved because their count reached the API's cap."""
    provisions: int = 0
    """Provisions extracted from full text and stored."""
    outside_scope: int = 0
    """Documents stored outside the default scope (kept out of outlooks and calendars)."""
    scope_all: bool = False
    """True when the user asked to keep every document in scope (``--out-of-scope``)."""
    full_texts: int = 0
    """Full texts fetched."""
    since: date | None = None
    """First publication date covered."""
    until: date | None = None
    """Last publication date covered."""
    watermark: date | None = None
    """The scope's watermark after the run."""

    def skip_reasons(self) -> dict[str, int]:
        """Skip counts by reason, most common first."""
        counts: dict[str, int] = {}
        for s in self.skipped:
            counts[s.reason] = counts.get(s.reason, 0) + 1
        return dict(sorted(counts.items(), key=lambda kv: (-kv[1], kv[0])))

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready form."""
        return {
            "new": self.new,
            "updated": self.updated,
            "unchanged": self.unchanged,
            "skipped": len(self.skipped),
            "skips": [
                {"document_number": s.document_number, "reason": s.reason, "source": s.source}
                for s in self.skipped
            ],
            "slices": self.slices,
            "unchanged_slices": self.unchanged_slices,
            "splits": self.splits,
            "full_texts": self.full_texts,
            "provisions": self.provisions,
            "outside_scope": self.outside_scope,
            "since": self.since,
            "until": self.until,
            "watermark": self.watermark,
        }


def load_extractor() -> Extractor:
    """``payforce.extract.extract_provisions``, or a ConfigError saying it is not there."""
    try:
        from payforce.extract import extract_provisions
    except ImportError as exc:
        raise ConfigError(
            "--full-text: provision extraction is not available "
            f"(payforce.extract.extract_provisions: {exc})",
            hint="Sync without --full-text, or install a payforce with the extract module",
        ) from exc
    return extract_provisions


@dataclass
class _Prepared:
    rows: list[RecordRow]
    texts: dict[str, tuple[str, list[Provision]]] = field(default_factory=dict)


def _parse_all(raw: Iterable[tuple[dict[str, Any], str]], summary: SyncSummary) -> list[RecordRow]:
    by_number: dict[str, RecordRow] = {}
    skipped = summary.skipped
    for record, source in raw:
        parsed = parse_record_row(record, source)
        if type(parsed) is tuple:
            by_number[parsed[0][0]] = parsed
        else:
            skipped.append(cast(SkippedRecord, parsed))
    return list(by_number.values())


_FR_COLUMNS = (
    "document_number",
    "publication_date",
    "content_hash",
    "action",
    "correction_of",
    "corrections",
    "agency_slugs",
    "full_text_hash",
    "synced_at",
)


def _write(conn: Connection, prepared: _Prepared, summary: SyncSummary) -> None:
    rows = prepared.rows
    if not rows:
        return
    numbers = [r[0][0] for r in rows]
    days = [r[0][3] for r in rows]
    start, end = date.fromisoformat(min(days)), date.fromisoformat(max(days))
    known = fr_tables.load_hashes(conn, numbers, start, end)
    curated = _curated_rows(conn, start, end)
    doc_rows: list[tuple[Any, ...]] = []
    fr_rows: list[tuple[Any, ...]] = []
    now = utcnow_text()
    texts = prepared.texts
    new = updated = unchanged = 0
    for values, digest, details in rows:
        number = values[0]
        text_hash = texts[number][0] if texts and number in texts else ""
        old = known.get(number) if known else None
        if old is None:
            new += 1
        elif old[0] != digest:
            updated += 1
        elif not text_hash or text_hash == old[1]:
            unchanged += 1
            continue
        else:
            updated += 1
        doc_rows.append(_keep_curated(values, curated[number]) if number in curated else values)
        fr_rows.append(
            (
                number,
                values[3],
                digest,
                details[0],
                details[1],
                details[2],
                details[3],
                text_hash or (old[1] if old else ""),
                now,
            )
        )
    summary.new += new
    summary.updated += updated
    summary.unchanged += unchanged
    _upsert(conn, schema.documents, DOCUMENT_FIELDS, doc_rows)
    _upsert(conn, fr_tables.fr_documents, _FR_COLUMNS, fr_rows)
    decisions = [
        (v[0], None if summary.scope_all else scope_reason(v[1], d[5], v[4])) for v, _, d in rows
    ]
    summary.outside_scope += mark_scope(conn, decisions)
    for number, (_, provisions) in texts.items():
        conn.execute(
            delete(schema.provisions).where(
                (schema.provisions.c.document_number == number)
                & (schema.provisions.c.origin == "extracted")
            )
        )
        by_key: dict[tuple[str, str], dict[str, Any]] = {}
        for p in provisions:
            row = provision_row(p)
            by_key.setdefault((row["kind"], row["subject"]), row)
        upsert_rows(conn, schema.provisions, list(by_key.values()))
        summary.provisions += len(by_key)


def _keep_curated(values: tuple[Any, ...], kept: dict[str, Any]) -> tuple[Any, ...]:
    """A curated document keeps its values; the sync fills only the fields it left empty."""
    row = dict(zip(DOCUMENT_FIELDS, values, strict=True))
    merged = {**kept, **{k: row[k] for k in _FILLABLE if not kept.get(k) and row[k]}}
    return tuple(
        merged[name].isoformat() if isinstance(merged[name], date) else merged[name]
        for name in DOCUMENT_FIELDS
    )


def _curated_rows(conn: Connection, start: date, end: date) -> dict[str, dict[str, Any]]:
    """Documents of the window that did not come from this sync (the bundled snapshot)."""
    t = schema.documents
    q = select(t).where(
        t.c.publication_date.between(start, end)
        & (t.c.origin != "federal_register")
        & (t.c.origin != "regulations_gov")  # regulations.gov history: the API's values win
    )
    return {str(r._mapping["document_number"]): dict(r._mapping) for r in conn.execute(q)}


def _upsert(
    conn: Connection, table: Table, columns: tuple[str, ...], rows: list[tuple[Any, ...]]
) -> None:
    """Bulk upsert of value tuples (dates as ``YYYY-MM-DD`` text, in ``columns`` order).

    On SQLite the tuples go straight to the driver's ``executemany`` (no per-row work);
    elsewhere they become dicts with dates for the portable :func:`upsert_rows`.
    """
    if not rows:
        return
    if conn.dialect.name != "sqlite":
        dates = [i for i, c in enumerate(columns) if isinstance(table.c[c].type, Date)]
        dicts = []
        for r in rows:
            values = list(r)
            for i in dates:
                if values[i] is not None:
                    values[i] = date.fromisoformat(values[i])
            dicts.append(dict(zip(columns, values, strict=True)))
        upsert_rows(conn, table, dicts)
        return
    keys = [c.name for c in table.primary_key.columns]
    quoted = ", ".join(f'"{c}"' for c in columns)
    updates = ", ".join(f'"{c}" = excluded."{c}"' for c in columns if c not in keys)
    sql = (
        f'INSERT INTO "{table.name}" ({quoted}) VALUES ({", ".join("?" for _ in columns)}) '
        f"ON CONFLICT ({', '.join(keys)}) DO UPDATE SET {updates}"
    )
    conn.exec_driver_sql(sql, rows)


def _fetch_texts(
    client: httpx.Client,
    rows: list[RecordRow],
    extractor: Extractor,
    store: Store,
    summary: SyncSummary,
) -> dict[str, tuple[str, list[Provision]]]:
    import hashlib

    wanted = [r for r in map(record_from_row, rows) if needs_full_text(r)]
    if not wanted:
        return {}
    with store.connect() as conn:
        known = fr_tables.load_hashes(conn, [r.document.document_number for r in wanted])
    out: dict[str, tuple[str, list[Provision]]] = {}
    for rec in wanted:
        number = rec.document.document_number
        text, fmt, _url = fetch_full_text(client, rec)
        summary.full_texts += 1
        text_hash = hashlib.sha256(text.encode()).hexdigest()
        if known.get(number, ("", ""))[1] == text_hash:
            continue
        provisions = extractor(text, document_number=number, fmt=fmt)
        out[number] = (text_hash, list(provisions))
    return out


def sync_federal_register(
    store: Store,
    client: httpx.Client,
    base_url: str,
    query: SearchQuery,
    *,
    since: date | None,
    until: date,
    full_text: bool = False,
    progress: SyncProgress | None = None,
    scope_all: bool = False,
) -> SyncSummary:
    """Sync the scope's documents published ``since``..``until`` (since: watermark when None).

    One transaction per slice; the watermark advances with each committed slice.
    """
    extractor = load_extractor() if full_text else None
    scope = query.scope_key
    from_watermark = since is None
    if since is None:
        since = fr_tables.get_watermark(store, scope) or DEFAULT_SINCE
    summary = SyncSummary(since=since, until=until, scope_all=scope_all)
    if since > until and from_watermark:  # already synced past --until: nothing to do
        summary.watermark = fr_tables.get_watermark(store, scope)
        return summary
    windows = month_windows(since, until)

    def on_split(start: date, end: date, count: int) -> None:
        summary.splits += 1
        if progress:
            progress(
                _done(windows, start), len(windows), f"split {start}..{end} ({count}+ documents)"
            )

    for fetched in iter_slices(client, base_url, query, since, until, on_split=on_split):
        _commit_slice(store, client, fetched, query, summary, extractor)
        if progress:
            progress(
                _done(windows, fetched.end, inclusive=True),
                len(windows),
                f"{fetched.start}..{fetched.end}: {fetched.count} documents",
            )
    summary.watermark = fr_tables.get_watermark(store, scope)
    if summary.slices > summary.unchanged_slices:
        store.refresh_statistics()
    return summary


def _done(windows: list[tuple[date, date]], day: date, inclusive: bool = False) -> int:
    return sum(1 for _, end in windows if end < day or (inclusive and end == day))


def _commit_slice(
    store: Store,
    client: httpx.Client,
    fetched: FetchedSlice,
    query: SearchQuery,
    summary: SyncSummary,
    extractor: Extractor | None,
) -> None:
    scope = query.scope_key
    with store.connect() as conn:
        same = fr_tables.slice_hash(conn, scope, fetched.start, fetched.end) == fetched.content_hash
    if same and extractor is None:
        summary.unchanged += fetched.count
        summary.unchanged_slices += 1
        summary.slices += 1
        return
    prepared = _Prepared(
        _parse_all(((r, p.source) for p in fetched.pages for r in p.records), summary)
    )
    if extractor is not None:
        prepared.texts = _fetch_texts(client, prepared.rows, extractor, store, summary)
    with store.begin() as conn:
        _write(conn, prepared, summary)
        fr_tables.record_slice(
            conn, scope, fetched.start, fetched.end, fetched.count, fetched.content_hash
        )
        fr_tables.set_watermark(conn, scope, query.describe(), fetched.end)
    summary.slices += 1


def ingest_records(
    store: Store,
    raw: Iterable[tuple[dict[str, Any], str]],
    *,
    progress: SyncProgress | None = None,
    scope_all: bool = False,
) -> SyncSummary:
    """Store records from saved files (``--from-file``) through the same parser and writer.

    Records are grouped by publication month, one transaction per month. Files do not move
    any watermark: they say nothing about what the API would list.
    """
    summary = SyncSummary(scope_all=scope_all)
    rows = _parse_all(raw, summary)
    rows.sort(key=_date_and_number)
    if rows:
        summary.since = date.fromisoformat(rows[0][0][3])
        summary.until = date.fromisoformat(rows[-1][0][3])
    groups = [list(g) for _, g in groupby(rows, key=_month)]
    with store.connect() as conn, _deferred_checkpoints(conn):
        for i, group in enumerate(groups, start=1):
            with conn.begin():
                _write(conn, _Prepared(group), summary)
            summary.slices += 1
            if progress:
                progress(i, len(groups), f"{_month(group[0])}: {len(group)} documents")
    if groups:
        store.refresh_statistics()
    return summary


_BULK_WAL_PAGES = 1_000_000
"""WAL size (pages) before SQLite checkpoints during a bulk ingest (SQLite's default is 1000)."""


@contextmanager
def _deferred_checkpoints(conn: Connection) -> Iterator[None]:
    """On SQLite, copy the write-ahead log into the database once at the end of a bulk ingest
    instead of every ~4 MB. Each slice still commits on its own (a commit in the WAL is whole
    and survives a killed process); this only saves the repeated checkpoints."""
    if conn.dialect.name != "sqlite":
        yield
        return
    default = conn.exec_driver_sql("PRAGMA wal_autocheckpoint").scalar()
    conn.exec_driver_sql(f"PRAGMA wal_autocheckpoint={_BULK_WAL_PAGES}")
    conn.commit()
    try:
        yield
    finally:
        conn.rollback()
        conn.exec_driver_sql(f"PRAGMA wal_autocheckpoint={int(default or 1000)}")
        conn.exec_driver_sql("PRAGMA wal_checkpoint(PASSIVE)")
        conn.commit()


def _date_and_number(row: RecordRow) -> tuple[str, str]:
    return row[0][3], row[0][0]


def _month(row: RecordRow) -> str:
    return str(row[0][3][:7])
