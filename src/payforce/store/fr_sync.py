"""The Federal Register sync pipeline: fetch → parse → upsert, one transaction per slice.

An interrupted run (network error, Ctrl-C, SIGKILL) leaves only whole slices in the store and a
watermark no later than the last whole slice, so a rerun completes the window and ends with the
same store as an uninterrupted run. Documents land in the core ``documents`` table
(``origin="federal_register"``), so the signal engine counts them like any other document.

A document already curated in the bundled snapshot keeps its curated values; the sync only fills
fields the snapshot left empty (docket, dates, CFR parts, link).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import date
from itertools import groupby
from operator import itemgetter
from typing import Any

import httpx
from sqlalchemy import Connection, Date, Table, delete, select

from payforce.errors import ConfigError
from payforce.models import PolicyDocument, Provision
from payforce.sources.federal_register import (
    FetchedSlice,
    FRRecord,
    SearchQuery,
    SkippedRecord,
    fetch_full_text,
    iter_slices,
    month_windows,
    needs_full_text,
    parse_record,
)
from payforce.store import fr_tables, schema
from payforce.store.db import Store, upsert_rows, utcnow_text

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


def document_row(doc: PolicyDocument) -> dict[str, Any]:
    """The ``documents`` row of a document."""
    return {
        "document_number": doc.document_number,
        "key": doc.key,
        "type": doc.type,
        "title": doc.title,
        "agency": doc.agency,
        "citation": doc.citation,
        "file_code": doc.file_code,
        "rin": doc.rin,
        "docket": doc.docket,
        "publication_date": doc.publication_date,
        "effective_date": doc.effective_date,
        "comments_close_date": doc.comments_close_date,
        "cfr_parts": doc.cfr_parts,
        "summary": doc.summary,
        "html_url": doc.html_url,
        "source_url": doc.source_url,
        "confidence": doc.confidence,
        "origin": doc.origin,
    }


def _provision_row(p: Provision) -> dict[str, Any]:
    return {
        "document_number": p.document_number,
        "kind": p.kind,
        "subject": p.subject[:100],
        "family": p.family,
        "effective_date": p.effective_date,
        "detail": p.detail,
        "evidence_text": p.evidence_text,
        "start": p.start,
        "end": p.end,
        "origin": "extracted",
        "roles": ";".join(p.roles),
    }


@dataclass
class _Prepared:
    records: list[FRRecord]
    texts: dict[str, tuple[str, list[Provision]]] = field(default_factory=dict)


def _parse_all(raw: Iterable[tuple[dict[str, Any], str]], summary: SyncSummary) -> list[FRRecord]:
    by_number: dict[str, FRRecord] = {}
    for record, source in raw:
        parsed = parse_record(record, source)
        if isinstance(parsed, SkippedRecord):
            summary.skipped.append(parsed)
        else:
            by_number[parsed.document.document_number] = parsed
    return list(by_number.values())


def _write(conn: Connection, prepared: _Prepared, summary: SyncSummary) -> None:
    records = prepared.records
    if not records:
        return
    numbers = [r.document.document_number for r in records]
    days = [r.document.publication_date for r in records]
    start, end = min(days), max(days)
    known = fr_tables.load_hashes(conn, numbers, start, end)
    curated = _curated_rows(conn, start, end)
    doc_rows: list[dict[str, Any]] = []
    fr_rows: list[dict[str, Any]] = []
    now = utcnow_text()
    texts = prepared.texts
    for rec in records:
        number = rec.document.document_number
        digest = rec.content_hash
        text_hash = texts[number][0] if number in texts else ""
        old = known.get(number)
        if old is None:
            summary.new += 1
        elif old[0] != digest:
            summary.updated += 1
        elif not text_hash or text_hash == old[1]:
            summary.unchanged += 1
            continue
        else:
            summary.updated += 1
        row = document_row(rec.document)
        if number in curated:
            kept = curated[number]
            row = {**kept, **{k: row[k] for k in _FILLABLE if not kept.get(k) and row[k]}}
        doc_rows.append(row)
        fr_rows.append(
            {
                "document_number": number,
                "publication_date": rec.document.publication_date,
                "content_hash": digest,
                "action": rec.action,
                "correction_of": rec.correction_of,
                "corrections": ";".join(rec.corrections),
                "agency_slugs": ";".join(rec.agency_slugs),
                "full_text_hash": text_hash or (old[1] if old else ""),
                "synced_at": now,
            }
        )
    _upsert(conn, schema.documents, doc_rows)
    _upsert(conn, fr_tables.fr_documents, fr_rows)
    for number, (_, provisions) in texts.items():
        conn.execute(
            delete(schema.provisions).where(
                (schema.provisions.c.document_number == number)
                & (schema.provisions.c.origin == "extracted")
            )
        )
        rows: dict[tuple[str, str], dict[str, Any]] = {}
        for p in provisions:
            row = _provision_row(p)
            rows.setdefault((row["kind"], row["subject"]), row)
        upsert_rows(conn, schema.provisions, list(rows.values()))
        summary.provisions += len(rows)


def _curated_rows(conn: Connection, start: date, end: date) -> dict[str, dict[str, Any]]:
    """Documents of the window that did not come from this sync (the bundled snapshot)."""
    t = schema.documents
    q = select(t).where(
        t.c.publication_date.between(start, end) & (t.c.origin != "federal_register")
    )
    return {str(r._mapping["document_number"]): dict(r._mapping) for r in conn.execute(q)}


def _upsert(conn: Connection, table: Table, rows: list[dict[str, Any]]) -> None:
    """Bulk upsert; on SQLite straight through the driver's ``executemany`` (no per-row
    compilation), elsewhere through the portable :func:`upsert_rows`."""
    if not rows:
        return
    if conn.dialect.name != "sqlite":
        upsert_rows(conn, table, rows)
        return
    cols = [c.name for c in table.columns]
    keys = [c.name for c in table.primary_key.columns]
    quoted = ", ".join(f'"{c}"' for c in cols)
    updates = ", ".join(f'"{c}" = excluded."{c}"' for c in cols if c not in keys)
    sql = (
        f'INSERT INTO "{table.name}" ({quoted}) VALUES ({", ".join("?" for _ in cols)}) '
        f"ON CONFLICT ({', '.join(keys)}) DO UPDATE SET {updates}"
    )
    date_cols = [i for i, c in enumerate(table.columns) if isinstance(c.type, Date)]
    row_of = itemgetter(*cols)  # every row carries every column (built by this module)
    values = []
    for r in rows:
        t = list(row_of(r))
        for i in date_cols:
            if t[i] is not None:
                t[i] = t[i].isoformat()
        values.append(tuple(t))
    conn.exec_driver_sql(sql, values)


def _fetch_texts(
    client: httpx.Client,
    records: list[FRRecord],
    extractor: Extractor,
    store: Store,
    summary: SyncSummary,
) -> dict[str, tuple[str, list[Provision]]]:
    import hashlib

    wanted = [r for r in records if needs_full_text(r)]
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
) -> SyncSummary:
    """Sync the scope's documents published ``since``..``until`` (since: watermark when None).

    One transaction per slice; the watermark advances with each committed slice.
    """
    extractor = load_extractor() if full_text else None
    scope = query.scope_key
    from_watermark = since is None
    if since is None:
        since = fr_tables.get_watermark(store, scope) or DEFAULT_SINCE
    summary = SyncSummary(since=since, until=until)
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
        prepared.texts = _fetch_texts(client, prepared.records, extractor, store, summary)
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
) -> SyncSummary:
    """Store records from saved files (``--from-file``) through the same parser and writer.

    Records are grouped by publication month, one transaction per month. Files do not move
    any watermark: they say nothing about what the API would list.
    """
    summary = SyncSummary()
    records = _parse_all(raw, summary)
    records.sort(key=lambda r: (r.document.publication_date, r.document.document_number))
    if records:
        summary.since = records[0].document.publication_date
        summary.until = records[-1].document.publication_date
    groups = [
        list(g)
        for _, g in groupby(records, key=lambda r: r.document.publication_date.replace(day=1))
    ]
    for i, group in enumerate(groups, start=1):
        with store.begin() as conn:
            _write(conn, _Prepared(group), summary)
        summary.slices += 1
        if progress:
            progress(
                i,
                len(groups),
                f"{group[0].document.publication_date:%Y-%m}: {len(group)} documents",
            )
    return summary
