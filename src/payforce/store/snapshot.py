"""Load the bundled snapshot (data/*.csv + curated provisions) into a store, idempotently.

One transaction for the whole load: a failure leaves the database as it was. Rows are upserted on
their natural keys, so loading twice changes nothing. Which issuance made each code payable is
curated (knowledge/provisions.yaml), never derived from the year a code was first paid; rows an
older payforce derived that way (origin ``derived``) are deleted on load.
"""

from __future__ import annotations

import csv
import hashlib
import re
from collections.abc import Callable, Iterator
from datetime import date
from importlib import resources
from typing import Any

from sqlalchemy import delete, select

from payforce.errors import ParseError
from payforce.knowledge import load_knowledge
from payforce.store import schema
from payforce.store.db import Store, upsert_rows
from payforce.store.labour_snapshot import LABOUR_FILES, load_labour_snapshot

__all__ = ["SNAPSHOT_FILES", "ensure_snapshot", "load_snapshot", "open_store", "snapshot_digest"]

SNAPSHOT_FILES = (
    "policy_documents.csv",
    "billing_codes.csv",
    "code_values.csv",
    "program_metrics.csv",
    "roles.csv",
    *LABOUR_FILES,
)
CONFIDENCE = {"high", "medium", "low"}
Progress = Callable[[str], None]


def _read(name: str) -> str:
    return resources.files("payforce.data").joinpath(name).read_text(encoding="utf-8")


def snapshot_digest() -> str:
    """A hash of the bundled data and knowledge, recorded after a load."""
    h = hashlib.sha256()
    from payforce.store.history_snapshot import HISTORY_FILES

    for name in (*SNAPSHOT_FILES, *HISTORY_FILES):
        h.update(_read(name).encode())
    h.update(resources.files("payforce.knowledge").joinpath("provisions.yaml").read_bytes())
    h.update(resources.files("payforce.knowledge").joinpath("ai_categories.yaml").read_bytes())
    return h.hexdigest()[:16]


class _Rows:
    """Typed field readers over a CSV that raise ParseError with file, line and field."""

    def __init__(self, name: str, text: str | None = None) -> None:
        self.name = name
        self.text = _read(name) if text is None else text

    def __iter__(self) -> Iterator[tuple[int, dict[str, str]]]:
        reader = csv.DictReader(self.text.splitlines())
        yield from enumerate(reader, start=2)

    def date(
        self, row: dict[str, str], line: int, field: str, required: bool = False
    ) -> date | None:
        text = (row.get(field) or "").strip()
        if not text:
            if required:
                raise ParseError("missing date", path=self.name, line=line, field=field)
            return None
        try:
            return date.fromisoformat(text)
        except ValueError:
            raise ParseError(
                "not an ISO date",
                path=self.name,
                line=line,
                field=field,
                value=text,
                hint="Use YYYY-MM-DD",
            ) from None

    def number(self, row: dict[str, str], line: int, field: str) -> float | None:
        text = (row.get(field) or "").strip()
        if not text:
            return None
        try:
            return float(text)
        except ValueError:
            raise ParseError(
                "not a number", path=self.name, line=line, field=field, value=text
            ) from None

    def conf(self, row: dict[str, str], line: int) -> str:
        value = (row.get("confidence") or "").strip()
        if value not in CONFIDENCE:
            raise ParseError(
                "confidence must be high, medium or low",
                path=self.name,
                line=line,
                field="confidence",
                value=value,
            )
        return value

    def flag(self, row: dict[str, str], line: int, field: str) -> bool:
        value = (row.get(field) or "").strip().lower()
        if value not in {"true", "false"}:
            raise ParseError(
                "expected true or false", path=self.name, line=line, field=field, value=value
            )
        return value == "true"


def document_rows(text: str | None = None) -> list[dict[str, Any]]:
    """Rows for ``documents`` from policy_documents.csv."""
    rows = _Rows("policy_documents.csv", text)
    out = []
    for line, r in rows:
        number = r["document_number"].strip()
        if not number:
            raise ParseError(
                "missing document number", path=rows.name, line=line, field="document_number"
            )
        out.append(
            {
                "document_number": number,
                "key": r["key"],
                "type": r["type"],
                "title": r["title"],
                "agency": r["agency"],
                "citation": r["citation"],
                "file_code": r["file_code"],
                "rin": r["rin"],
                "docket": "",
                "publication_date": rows.date(r, line, "publication_date", required=True),
                "effective_date": rows.date(r, line, "effective_date"),
                "comments_close_date": rows.date(r, line, "comments_close_date"),
                "cfr_parts": r["cfr_parts"],
                "summary": r["summary"],
                "html_url": (r.get("html_url") or "").strip()
                or f"https://www.federalregister.gov/d/{number}",
                "source_url": r["source_url"],
                "confidence": rows.conf(r, line),
                "origin": "snapshot",
            }
        )
    return out


def code_rows(ai_codes: dict[str, str], text: str | None = None) -> list[dict[str, Any]]:
    """Rows for ``billing_codes`` (AI category joined from the knowledge base)."""
    rows = _Rows("billing_codes.csv", text)
    out = []
    for line, r in rows:
        code = r["code"].strip()
        if not re.fullmatch(r"\d{5}|\d{4}[TF]|[A-V]\d{4}", code):
            raise ParseError(
                "not a CPT or HCPCS code", path=rows.name, line=line, field="code", value=code
            )
        year = rows.number(r, line, "first_paid_year")
        out.append(
            {
                "code": code,
                "system": r["system"],
                "family": r["family"],
                "description": r["description"],
                "first_paid_year": int(year) if year is not None else None,
                "first_paid_date": rows.date(r, line, "first_paid_date"),
                "threshold": r["threshold"],
                "performer": r["performer"],
                "ai_category": ai_codes.get(code, ""),
                "status_note": r["status_note"],
                "source_url": r["source_url"],
                "confidence": rows.conf(r, line),
            }
        )
    return out


def value_rows(text: str | None = None) -> list[dict[str, Any]]:
    """Rows for ``code_values``."""
    rows = _Rows("code_values.csv", text)
    out = []
    for line, r in rows:
        year = rows.number(r, line, "year")
        if year is None:
            raise ParseError("missing year", path=rows.name, line=line, field="year")
        if r["setting"] not in {"facility", "nonfacility"}:
            raise ParseError(
                "setting must be facility or nonfacility",
                path=rows.name,
                line=line,
                field="setting",
                value=r["setting"],
            )
        out.append(
            {
                "code": r["code"],
                "year": int(year),
                "setting": r["setting"],
                **{
                    f: rows.number(r, line, f)
                    for f in (
                        "work_rvu",
                        "pe_rvu",
                        "mp_rvu",
                        "total_rvu",
                        "conversion_factor",
                        "payment",
                    )
                },
                "approximate": rows.flag(r, line, "approximate"),
                "source": r["source"],
                "release": _release(rows, r, line),
                "available_from": rows.date(r, line, "available_from", required=True),
            }
        )
    return out


def _release(rows: _Rows, r: dict[str, str], line: int) -> str:
    """The CMS release (``RVU26C``) or FR document number that printed a value (required)."""
    value = (r.get("release") or "").strip()
    if not value:
        raise ParseError(
            "missing release",
            path=rows.name,
            line=line,
            field="release",
            hint="Name the CMS release (RVU26A…) or the FR document that printed the value",
        )
    return value


def metric_rows(text: str | None = None) -> list[dict[str, Any]]:
    """Rows for ``program_metrics``."""
    rows = _Rows("program_metrics.csv", text)
    out = []
    for line, r in rows:
        year = rows.number(r, line, "year")
        if year is None:
            raise ParseError("missing year", path=rows.name, line=line, field="year")
        out.append(
            {
                "metric": r["metric"],
                "year": int(year),
                "source_url": r["source_url"],
                "value": rows.number(r, line, "value"),
                "value_text": r["value_text"],
                "unit": r["unit"],
                "available_from": rows.date(r, line, "available_from", required=True),
                "approximate": rows.flag(r, line, "approximate"),
                "confidence": rows.conf(r, line),
            }
        )
    return out


def role_rows(text: str | None = None) -> list[dict[str, Any]]:
    """Rows for ``roles`` (labour figures come from the BLS vintages, not from this file)."""
    rows = _Rows("roles.csv", text)
    out = []
    for line, r in rows:
        out.append(  # noqa: PERF401
            {
                "role_key": r["role_key"],
                "title": r["title"],
                "soc": r["soc"],
                "onet_soc": r["onet_soc"],
                "onet_title": r["onet_title"],
                "employment": None,
                "median_wage": None,
                "wage_year": "",
                "projection_pct": None,
                "projection_period": "",
                "annual_openings": None,
                "entry_education": r["entry_education"],
                "certifications": r["certifications"],
                "source_url": r["source_url"],
                "confidence": rows.conf(r, line),
            }
        )
    return out


def load_snapshot(store: Store, progress: Progress | None = None) -> dict[str, int]:
    """Load (or reload) the bundled snapshot in one transaction; return row counts per table."""
    knowledge = load_knowledge()
    say = progress or (lambda _msg: None)
    counts: dict[str, int] = {}
    docs = document_rows()
    codes = code_rows(knowledge.ai_codes)
    values = value_rows()
    metrics = metric_rows()
    roles = role_rows()
    with store.begin() as conn:
        say("documents")
        counts["documents"] = upsert_rows(conn, schema.documents, docs)
        say("billing codes")
        counts["billing_codes"] = upsert_rows(conn, schema.billing_codes, codes)
        say("code values")
        counts["code_values"] = upsert_rows(conn, schema.code_values, values)
        say("program metrics")
        counts["program_metrics"] = upsert_rows(conn, schema.program_metrics, metrics)
        say("history (MSSP results, CMS/HHS rules 2010-2023)")
        from payforce.store.history_snapshot import load_history

        counts |= load_history(conn)
        say("roles")
        counts["roles"] = upsert_rows(conn, schema.roles, roles)
        say("labour-market vintages")
        for table, n in load_labour_snapshot(conn).items():
            counts[table] = counts.get(table, 0) + n
        say("provisions")
        known = {d["document_number"] for d in docs} | set(
            conn.execute(select(schema.documents.c.document_number)).scalars()
        )
        curated = [
            {**p, "evidence_text": "", "start": None, "end": None, "origin": "curated"}
            for p in knowledge.provisions
            if p["document_number"] in known
        ]
        conn.execute(delete(schema.provisions).where(schema.provisions.c.origin == "derived"))
        counts["provisions"] = upsert_rows(conn, schema.provisions, curated)
        store.set_meta(conn, "snapshot_digest", snapshot_digest())
    return counts


def ensure_snapshot(store: Store, progress: Progress | None = None) -> bool:
    """Load the snapshot if this store has not got the current one; True when it loaded."""
    if store.get_meta("snapshot_digest") == snapshot_digest():
        return False
    load_snapshot(store, progress)
    return True


def open_store(url: str, progress: Progress | None = None) -> Store:
    """Open the database and make sure the bundled snapshot is in it."""
    store = Store.open(url)
    ensure_snapshot(store, progress)
    return store


def reset_store(url: str, *, include_user_data: bool = False) -> Store:
    """Drop the reference tables (snapshot and synced data) and create the schema again
    (``payforce init --reset``). User data (watches, digests, assessments and answers) is kept
    unless ``include_user_data``; the caller asks the user first. An empty store file is
    accepted (there is nothing left in it to lose)."""
    from payforce.store.userdata import reference_tables, user_tables

    store = Store.open(url, allow_empty=True)
    drop = reference_tables() + (user_tables() if include_user_data else [])
    with store.begin() as conn:
        schema.metadata.drop_all(conn, tables=drop)
        conn.execute(delete(schema.meta).where(schema.meta.c.key != "schema_version"))
        if include_user_data:
            conn.execute(delete(schema.migrations))
    store.create_schema()
    return store
