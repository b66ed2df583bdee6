"""Bundled history built from real files: MSSP results per performance year, CMS/HHS rules.

``scripts/build_history_snapshot.py`` writes ``data/mssp_results.csv`` from the results PUFs and
``data/rule_history.csv`` from the regulations.gov records; :func:`load_history` loads both
inside the snapshot's transaction (``store/snapshot.py``), exactly as ``payforce sync mssp`` and
``payforce sync federal-register --from-file`` would store the same files: a year's MSSP row goes
to ``mssp_results`` and its metrics to ``program_metrics``; a rule goes to ``documents`` unless
the curated snapshot (loaded just before) or the Federal Register API already has it.
"""

from __future__ import annotations

import csv
import io
from datetime import date
from importlib import resources
from typing import TYPE_CHECKING

from sqlalchemy import Connection

from payforce.errors import ParseError
from payforce.store.mssp_tables import result_row, write_year

if TYPE_CHECKING:
    from payforce.sources.fr_history import HistoryDocument
    from payforce.sources.mssp import MsspYear

__all__ = [
    "HISTORY_FILES",
    "MSSP_COLUMNS",
    "RULE_COLUMNS",
    "history_documents",
    "load_history",
    "mssp_csv_row",
    "mssp_years",
    "rule_csv_row",
]

RULE_COLUMNS: tuple[str, ...] = (
    "document_number",
    "type",
    "publication_date",
    "agency_id",
    "docket",
    "file_code",
    "comments_close_date",
    "regulations_gov_id",
    "postings",
    "confidence",
    "title",
)

HISTORY_FILES = ("mssp_results.csv", "rule_history.csv")
"""Bundled files this module loads (part of the snapshot digest)."""

MSSP_COLUMNS: tuple[str, ...] = (
    "performance_year",
    "layout",
    "source_file",
    "origin",
    "sha256",
    "aco_count",
    "assigned_beneficiaries",
    "generated_savings_losses",
    "benchmark_minus_expenditures",
    "earned_shared_savings",
    "owed_shared_losses",
    "acos_earning_shared_savings",
    "mean_quality_score",
    "quality_scored_acos",
    "available_from",
    "confidence",
    "release_note",
    "release_source",
)


def mssp_csv_row(y: MsspYear, source_file: str, origin: str) -> dict[str, str]:
    """A ``mssp_results.csv`` row (money to the cent, quality to 4 decimals)."""
    return {
        "performance_year": str(y.performance_year),
        "layout": y.layout,
        "source_file": source_file,
        "origin": origin,
        "sha256": y.sha256,
        "aco_count": str(y.aco_count),
        "assigned_beneficiaries": str(y.assigned_beneficiaries),
        "generated_savings_losses": f"{y.generated_savings_losses:.2f}",
        "benchmark_minus_expenditures": f"{y.benchmark_minus_expenditures:.2f}",
        "earned_shared_savings": f"{y.earned_shared_savings:.2f}",
        "owed_shared_losses": f"{y.owed_shared_losses:.2f}",
        "acos_earning_shared_savings": str(y.acos_earning_shared_savings),
        "mean_quality_score": (
            f"{y.mean_quality_score:.4f}" if y.mean_quality_score is not None else ""
        ),
        "quality_scored_acos": str(y.quality_scored_acos),
        "available_from": y.release.available_from.isoformat(),
        "confidence": y.release.confidence,
        "release_note": y.release.note,
        "release_source": y.release.source,
    }


def _read(name: str) -> str:
    return resources.files("payforce.data").joinpath(name).read_text(encoding="utf-8")


def mssp_years(text: str | None = None, name: str = "mssp_results.csv") -> list[MsspYear]:
    """The bundled performance years (ParseError with file, line and field on a bad row)."""
    from payforce.sources.mssp import MsspYear, Release

    reader = csv.DictReader(io.StringIO(_read(name) if text is None else text))
    missing = [c for c in MSSP_COLUMNS if c not in (reader.fieldnames or [])]
    if missing:
        raise ParseError(f"missing columns {', '.join(missing)}", path=name, line=1)
    out = []
    for line, r in enumerate(reader, start=2):
        field = ""
        try:
            field = "performance_year"
            year = int(r[field])
            ints = {}
            for field in (
                "aco_count",
                "assigned_beneficiaries",
                "acos_earning_shared_savings",
                "quality_scored_acos",
            ):
                ints[field] = int(r[field])
            floats = {}
            for field in (
                "generated_savings_losses",
                "benchmark_minus_expenditures",
                "earned_shared_savings",
                "owed_shared_losses",
            ):
                floats[field] = float(r[field])
            field = "mean_quality_score"
            quality = float(r[field]) if r[field] else None
            field = "available_from"
            available = date.fromisoformat(r[field])
            field = "confidence"
            if r[field] not in {"high", "medium", "low"}:
                raise ValueError(r[field])
        except (ValueError, TypeError):
            raise ParseError(
                "bad value", path=name, line=line, field=field, value=r.get(field)
            ) from None
        out.append(
            MsspYear(
                performance_year=year,
                layout=r["layout"],
                source=r["source_file"],
                sha256=r["sha256"],
                aco_count=ints["aco_count"],
                assigned_beneficiaries=ints["assigned_beneficiaries"],
                generated_savings_losses=floats["generated_savings_losses"],
                benchmark_minus_expenditures=floats["benchmark_minus_expenditures"],
                earned_shared_savings=floats["earned_shared_savings"],
                owed_shared_losses=floats["owed_shared_losses"],
                acos_earning_shared_savings=ints["acos_earning_shared_savings"],
                mean_quality_score=quality,
                quality_scored_acos=ints["quality_scored_acos"],
                release=Release(available, r["confidence"], r["release_note"], r["release_source"]),
            )
        )
    return out


def rule_csv_row(h: HistoryDocument) -> dict[str, str]:
    """A ``rule_history.csv`` row."""
    d = h.document
    return {
        "document_number": d.document_number,
        "type": d.type,
        "publication_date": d.publication_date.isoformat(),
        "agency_id": h.agency_id,
        "docket": d.docket,
        "file_code": d.file_code,
        "comments_close_date": d.comments_close_date.isoformat() if d.comments_close_date else "",
        "regulations_gov_id": d.source_url.rsplit("/", 1)[-1],
        "postings": str(h.postings),
        "confidence": d.confidence,
        "title": d.title,
    }


def history_documents(
    text: str | None = None, name: str = "rule_history.csv"
) -> list[HistoryDocument]:
    """The bundled rule history (ParseError with file, line and field on a bad row)."""
    from payforce.models import PolicyDocument
    from payforce.sources.fr_history import HISTORY_ORIGIN, HistoryDocument

    reader = csv.DictReader(io.StringIO(_read(name) if text is None else text))
    missing = [c for c in RULE_COLUMNS if c not in (reader.fieldnames or [])]
    if missing:
        raise ParseError(f"missing columns {', '.join(missing)}", path=name, line=1)
    out = []
    for line, r in enumerate(reader, start=2):
        field = "publication_date"
        try:
            published = date.fromisoformat(r[field])
            field = "comments_close_date"
            closes = date.fromisoformat(r[field]) if r[field] else None
            field = "postings"
            postings = int(r[field])
            field = "type"
            if r[field] not in {"Rule", "Proposed Rule"}:
                raise ValueError(r[field])
            field = "confidence"
            if r[field] not in {"high", "medium", "low"}:
                raise ValueError(r[field])
        except ValueError:
            raise ParseError(
                "bad value", path=name, line=line, field=field, value=r.get(field)
            ) from None
        number = r["document_number"]
        agency = r["agency_id"]
        doc = PolicyDocument(
            document_number=number,
            type=r["type"],
            title=r["title"],
            publication_date=published,
            agency={"CMS": "CMS (HHS)", "HHS": "HHS"}.get(agency, agency),
            file_code=r["file_code"],
            docket=r["docket"],
            comments_close_date=closes,
            html_url=f"https://www.federalregister.gov/d/{number}",
            source_url=f"https://www.regulations.gov/document/{r['regulations_gov_id']}",
            confidence=r["confidence"],
            origin=HISTORY_ORIGIN,
        )
        out.append(HistoryDocument(doc, agency, "", postings))
    return out


def load_history(conn: Connection, synced_at: str = "bundled snapshot") -> dict[str, int]:
    """Load the bundled history inside the caller's transaction; row counts per table."""
    from payforce.store.rule_history import HistorySummary, write_history

    years = mssp_years()
    metrics = 0
    for y in years:
        rows = y.metrics()
        write_year(conn, result_row(y, synced_at), rows)
        metrics += len(rows)
    rules = history_documents()
    summary = HistorySummary(documents=len(rules))
    write_history(conn, rules, summary, scope_all=False)
    return {
        "mssp_results": len(years),
        "mssp_metrics": metrics,
        "rule_history": summary.new + summary.updated + summary.unchanged,
        "rule_history_kept_existing": summary.kept,
    }
