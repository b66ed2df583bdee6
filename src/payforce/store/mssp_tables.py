"""Medicare Shared Savings Program results: one row per performance year, and its writer.

``mssp_results`` keeps what each performance year's PUF gave (counts, sums, release date, the
file and its sha256). The same values go to ``program_metrics`` (``mssp_aco_count``,
``mssp_assigned_beneficiaries``, …) where question 3 reads them. Each year is written in its own
transaction, replacing that year's PUF metrics, so a failure leaves whole years only.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from typing import TYPE_CHECKING, Any

from sqlalchemy import Column, Connection, Date, Float, Integer, String, Table, Text, delete, select

from payforce.store import schema
from payforce.store.clock import utcnow_text
from payforce.store.db import Store, upsert_rows
from payforce.store.schema import metadata

if TYPE_CHECKING:
    from payforce.sources.mssp import MsspYear

__all__ = ["PUF_METRICS", "list_results", "mssp_results", "result_row", "write_year", "write_years"]

PUF_METRICS: tuple[str, ...] = (
    "mssp_aco_count",
    "mssp_assigned_beneficiaries",
    "mssp_generated_savings_losses",
    "mssp_benchmark_minus_expenditures",
    "mssp_earned_shared_savings",
    "mssp_owed_shared_losses",
    "mssp_mean_quality_score",
)
"""The ``program_metrics`` a performance year's PUF sets (and replaces on a re-sync)."""

mssp_results = Table(
    "mssp_results",
    metadata,
    Column("performance_year", Integer, primary_key=True),
    Column("layout", String(40), nullable=False),
    Column("source", Text, nullable=False),
    Column("sha256", String(64), nullable=False),
    Column("aco_count", Integer, nullable=False),
    Column("assigned_beneficiaries", Integer, nullable=False),
    Column("generated_savings_losses", Float, nullable=False),
    Column("benchmark_minus_expenditures", Float, nullable=False),
    Column("earned_shared_savings", Float, nullable=False),
    Column("owed_shared_losses", Float, nullable=False),
    Column("acos_earning_shared_savings", Integer, nullable=False),
    Column("mean_quality_score", Float),
    Column("quality_scored_acos", Integer, nullable=False),
    Column("available_from", Date, nullable=False),
    Column("confidence", String(10), nullable=False),
    Column("release_note", Text, nullable=False, default=""),
    Column("release_source", Text, nullable=False, default=""),
    Column("synced_at", String(40), nullable=False),
)


def result_row(y: MsspYear, synced_at: str) -> dict[str, Any]:
    """The ``mssp_results`` row of a parsed year."""
    return {
        "performance_year": y.performance_year,
        "layout": y.layout,
        "source": y.source,
        "sha256": y.sha256,
        "aco_count": y.aco_count,
        "assigned_beneficiaries": y.assigned_beneficiaries,
        "generated_savings_losses": y.generated_savings_losses,
        "benchmark_minus_expenditures": y.benchmark_minus_expenditures,
        "earned_shared_savings": y.earned_shared_savings,
        "owed_shared_losses": y.owed_shared_losses,
        "acos_earning_shared_savings": y.acos_earning_shared_savings,
        "mean_quality_score": y.mean_quality_score,
        "quality_scored_acos": y.quality_scored_acos,
        "available_from": y.release.available_from,
        "confidence": y.release.confidence,
        "release_note": y.release.note,
        "release_source": y.release.source,
        "synced_at": synced_at,
    }


def write_year(conn: Connection, result: dict[str, Any], metrics: Iterable[dict[str, Any]]) -> None:
    """Store one year inside the caller's transaction: its result row and its PUF metrics
    (the year's earlier PUF metrics are replaced, whatever file they came from)."""
    pm = schema.program_metrics
    conn.execute(
        delete(pm).where(pm.c.metric.in_(PUF_METRICS) & (pm.c.year == result["performance_year"]))
    )
    upsert_rows(conn, mssp_results, [result])
    upsert_rows(conn, pm, list(metrics))


def write_years(store: Store, years: Iterable[MsspYear]) -> list[int]:
    """Store parsed years, one transaction per year, oldest first; returns the years written."""
    done = []
    now = utcnow_text()
    for y in sorted(years, key=lambda y: y.performance_year):
        with store.begin() as conn:
            write_year(conn, result_row(y, now), y.metrics())
        done.append(y.performance_year)
    return done


def list_results(store: Store, as_of: date | None = None) -> list[dict[str, Any]]:
    """Stored years (public by ``as_of`` when given), oldest first."""
    t = mssp_results
    q = select(t).order_by(t.c.performance_year)
    if as_of is not None:
        q = q.where(t.c.available_from <= as_of)
    with store.connect() as conn:
        return [dict(r._mapping) for r in conn.execute(q)]
