"""Workforce tables (BLS OEWS, BLS Employment Projections, O*NET) and their reads and writes.

Every table has a natural key, so a second sync upserts and never duplicates:

| table                  | natural key              | from                                  |
|------------------------|--------------------------|---------------------------------------|
| oews_employment        | soc, year                | BLS OEWS national file                |
| ep_projections         | soc, period              | BLS Employment Projections table 1.2  |
| onet_occupations       | onet_soc                 | O*NET Occupation Data.txt             |
| onet_alternate_titles  | onet_soc, title          | O*NET Alternate Titles.txt            |
| onet_tasks             | onet_soc, task_id        | O*NET Task Statements.txt             |
| onet_skills            | onet_soc, element_id     | O*NET Skills.txt (importance and level)|
| onet_related           | onet_soc, related_soc    | O*NET Related Occupations.txt         |
| labour_vintages        | kind, label              | one row per OEWS year / EP period held |
| role_series            | role_key                 | which occupation series measures a role|

A labour-market vintage (an OEWS May-year, an Employment Projections period) is loaded whole: a
sync of one replaces every row of that vintage, so what a user syncs is exactly what is read,
and ``labour_vintages`` records when it became public (``available_from``) and where it came
from (``origin``: ``bundled`` or ``synced``; the bundled snapshot never overwrites a synced one).

SQL for these tables lives here only; the rest of payforce receives plain records.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import asdict
from typing import TYPE_CHECKING, Any

from sqlalchemy import (
    Column,
    Connection,
    Date,
    Float,
    Integer,
    String,
    Table,
    Text,
    delete,
    select,
)

from payforce.store.db import Store, upsert_rows
from payforce.store.schema import metadata

if TYPE_CHECKING:
    from payforce.sources.bls import OEWSRow, ProjectionRow
    from payforce.sources.onet import ONetDatabase

__all__ = [
    "ep_projections",
    "labour_vintages",
    "list_vintages",
    "oews_rows_for",
    "projection_rows_for",
    "replace_vintage",
    "role_series",
    "role_series_map",
    "list_oews",
    "list_projections",
    "load_onet_profiles",
    "onet_alternate_titles",
    "onet_counts",
    "onet_occupations",
    "onet_related",
    "onet_skills",
    "onet_tasks",
    "oews_employment",
    "upsert_oews",
    "upsert_onet",
    "upsert_projections",
]

oews_employment = Table(
    "oews_employment",
    metadata,
    Column("soc", String(10), primary_key=True),
    Column("year", Integer, primary_key=True),
    Column("title", Text, nullable=False, default=""),
    Column("occ_group", String(20), nullable=False, default=""),
    Column("employment", Integer),
    Column("employment_text", String(20), nullable=False, default=""),
    Column("median_wage", Float),
    Column("mean_wage", Float),
    Column("wage_note", String(40), nullable=False, default=""),
    Column("source", Text, nullable=False, default=""),
)

ep_projections = Table(
    "ep_projections",
    metadata,
    Column("soc", String(10), primary_key=True),
    Column("period", String(20), primary_key=True),
    Column("title", Text, nullable=False, default=""),
    Column("occupation_type", String(20), nullable=False, default=""),
    Column("employment_base", Integer),
    Column("employment_target", Integer),
    Column("change_pct", Float),
    Column("annual_openings", Integer),
    Column("median_wage", Float),
    Column("entry_education", Text, nullable=False, default=""),
    Column("source", Text, nullable=False, default=""),
)

onet_occupations = Table(
    "onet_occupations",
    metadata,
    Column("onet_soc", String(12), primary_key=True),
    Column("title", Text, nullable=False),
    Column("description", Text, nullable=False, default=""),
    Column("release", String(40), nullable=False, default=""),
)

onet_alternate_titles = Table(
    "onet_alternate_titles",
    metadata,
    Column("onet_soc", String(12), primary_key=True),
    Column("title", String(300), primary_key=True),
    Column("short_title", Text, nullable=False, default=""),
    Column("sources", String(40), nullable=False, default=""),
)

onet_tasks = Table(
    "onet_tasks",
    metadata,
    Column("onet_soc", String(12), primary_key=True),
    Column("task_id", Integer, primary_key=True),
    Column("task", Text, nullable=False),
    Column("task_type", String(20), nullable=False, default=""),
)

onet_skills = Table(
    "onet_skills",
    metadata,
    Column("onet_soc", String(12), primary_key=True),
    Column("element_id", String(20), primary_key=True),
    Column("name", Text, nullable=False),
    Column("importance", Float),
    Column("level", Float),
)

onet_related = Table(
    "onet_related",
    metadata,
    Column("onet_soc", String(12), primary_key=True),
    Column("related_soc", String(12), primary_key=True),
    Column("tier", String(40), nullable=False, default=""),
    Column("rank", Integer),
)

labour_vintages = Table(
    "labour_vintages",
    metadata,
    Column("kind", String(12), primary_key=True),
    Column("label", String(20), primary_key=True),
    Column("base_year", Integer, nullable=False),
    Column("target_year", Integer),
    Column("available_from", Date, nullable=False),
    Column("date_basis", Text, nullable=False, default=""),
    Column("source", Text, nullable=False, default=""),
    Column("sha256", String(64), nullable=False, default=""),
    Column("origin", String(10), nullable=False, default="bundled"),
    Column("rows", Integer, nullable=False, default=0),
)

role_series = Table(
    "role_series",
    metadata,
    Column("role_key", String(60), primary_key=True),
    Column("series", String(20), nullable=False),
    Column("measure", String(10), nullable=False, default="own"),
    Column("measure_note", Text, nullable=False, default=""),
    Column("origin", String(10), nullable=False, default="curated"),
)

_ONET_TABLES = (onet_occupations, onet_alternate_titles, onet_tasks, onet_skills, onet_related)
_CHUNK = 2000


def _chunks(conn: Connection, table: Table, rows: Sequence[dict[str, Any]]) -> int:
    for i in range(0, len(rows), _CHUNK):
        upsert_rows(conn, table, rows[i : i + _CHUNK])
    return len(rows)


def upsert_oews(conn: Connection, rows: Sequence[OEWSRow]) -> int:
    """Upsert parsed OEWS rows (natural key: SOC code and year) inside the caller's transaction."""
    return _chunks(conn, oews_employment, [asdict(r) for r in rows])


def upsert_projections(conn: Connection, rows: Sequence[ProjectionRow]) -> int:
    """Upsert parsed Employment Projections rows (natural key: SOC code and period)."""
    return _chunks(conn, ep_projections, [asdict(r) for r in rows])


def upsert_onet(conn: Connection, db: ONetDatabase) -> dict[str, int]:
    """Replace the O*NET tables with ``db`` (one release at a time); returns rows per table."""
    for table in _ONET_TABLES:
        conn.execute(delete(table))
    release = db.release
    counts = {
        "onet_occupations": _chunks(
            conn,
            onet_occupations,
            [
                {
                    "onet_soc": o.onet_soc,
                    "title": o.title,
                    "description": o.description,
                    "release": release,
                }
                for o in db.occupations
            ],
        ),
        "onet_alternate_titles": _chunks(
            conn,
            onet_alternate_titles,
            [
                {
                    "onet_soc": a.onet_soc,
                    "title": a.title,
                    "short_title": a.short_title,
                    "sources": a.sources,
                }
                for a in db.alternate_titles
            ],
        ),
        "onet_tasks": _chunks(
            conn,
            onet_tasks,
            [
                {
                    "onet_soc": t.onet_soc,
                    "task_id": t.task_id,
                    "task": t.task,
                    "task_type": t.task_type,
                }
                for t in db.tasks
            ],
        ),
        "onet_skills": _chunks(
            conn,
            onet_skills,
            [
                {
                    "onet_soc": s.onet_soc,
                    "element_id": s.element_id,
                    "name": s.name,
                    "importance": s.importance,
                    "level": s.level,
                }
                for s in db.skills
            ],
        ),
        "onet_related": _chunks(
            conn,
            onet_related,
            [
                {
                    "onet_soc": r.onet_soc,
                    "related_soc": r.related_soc,
                    "tier": r.tier,
                    "rank": r.rank,
                }
                for r in db.related
            ],
        ),
    }
    return counts


def list_oews(store: Store, soc: str | None = None) -> list[dict[str, Any]]:
    """OEWS rows (one SOC code, or all), by SOC code and year."""
    t = oews_employment
    q = select(t).order_by(t.c.soc, t.c.year)
    if soc is not None:
        q = q.where(t.c.soc == soc)
    with store.connect() as conn:
        return [dict(r._mapping) for r in conn.execute(q)]


def list_projections(store: Store) -> list[dict[str, Any]]:
    """Employment Projections rows, by SOC code and period."""
    t = ep_projections
    with store.connect() as conn:
        return [dict(r._mapping) for r in conn.execute(select(t).order_by(t.c.soc, t.c.period))]


def onet_counts(store: Store) -> dict[str, int]:
    """Rows per O*NET table (all zero when O*NET was never synced)."""
    from sqlalchemy import func

    with store.connect() as conn:
        return {
            t.name: int(conn.execute(select(func.count()).select_from(t)).scalar() or 0)
            for t in _ONET_TABLES
        }


def load_onet_profiles(store: Store) -> dict[str, dict[str, Any]]:
    """Per O*NET-SOC code: title, alternate titles, tasks, skill importances, related codes.

    Returns an empty dict when O*NET was never synced, so callers can fall back to curated data.
    """
    profiles: dict[str, dict[str, Any]] = defaultdict(
        lambda: {"title": "", "alternate_titles": [], "tasks": [], "skills": {}, "related": []}
    )
    with store.connect() as conn:
        for r in conn.execute(select(onet_occupations)):
            profiles[r.onet_soc]["title"] = r.title
        if not profiles:
            return {}
        q_alt = select(onet_alternate_titles).order_by(
            onet_alternate_titles.c.onet_soc, onet_alternate_titles.c.title
        )
        for r in conn.execute(q_alt):
            profiles[r.onet_soc]["alternate_titles"].append(r.title)
        q_task = select(onet_tasks).order_by(onet_tasks.c.onet_soc, onet_tasks.c.task_id)
        for r in conn.execute(q_task):
            profiles[r.onet_soc]["tasks"].append(r.task)
        for r in conn.execute(select(onet_skills)):
            if r.importance is not None:
                profiles[r.onet_soc]["skills"][r.name] = float(r.importance)
        q_rel = select(onet_related).order_by(onet_related.c.onet_soc, onet_related.c.rank)
        for r in conn.execute(q_rel):
            profiles[r.onet_soc]["related"].append(r.related_soc)
    return dict(profiles)


def replace_vintage(
    conn: Connection,
    kind: str,
    label: str,
    rows: Sequence[dict[str, Any]],
    vintage: dict[str, Any],
) -> int:
    """Replace every row of one vintage (``oews`` year or ``projections`` period) and record it.

    ``label`` is the year (``"2015"``) or the period (``"2014-2024"``); ``vintage`` holds the
    ``labour_vintages`` columns other than kind and label.
    """
    if kind == "oews":
        conn.execute(delete(oews_employment).where(oews_employment.c.year == int(label)))
        n = _chunks(conn, oews_employment, list(rows))
    elif kind == "projections":
        conn.execute(delete(ep_projections).where(ep_projections.c.period == label))
        n = _chunks(conn, ep_projections, list(rows))
    else:
        raise ValueError(f"unknown vintage kind {kind!r}")
    upsert_rows(conn, labour_vintages, [{**vintage, "kind": kind, "label": label, "rows": n}])
    return n


def list_vintages(store: Store, kind: str | None = None) -> list[dict[str, Any]]:
    """Labour vintages held, oldest first (filter by ``as_of`` on ``available_from``)."""
    t = labour_vintages
    q = select(t).order_by(t.c.kind, t.c.base_year, t.c.label)
    if kind is not None:
        q = q.where(t.c.kind == kind)
    with store.connect() as conn:
        return [dict(r._mapping) for r in conn.execute(q)]


def oews_rows_for(store: Store, years: Sequence[int]) -> dict[int, dict[str, dict[str, Any]]]:
    """OEWS rows of the given May-years: year → SOC code → row."""
    out: dict[int, dict[str, dict[str, Any]]] = {y: {} for y in years}
    if not years:
        return out
    t = oews_employment
    with store.connect() as conn:
        for r in conn.execute(select(t).where(t.c.year.in_(list(years)))):
            m = dict(r._mapping)
            out[m["year"]][m["soc"]] = m
    return out


def projection_rows_for(
    store: Store, periods: Sequence[str]
) -> dict[str, dict[str, dict[str, Any]]]:
    """Employment Projections rows of the given periods: period → SOC code → row."""
    out: dict[str, dict[str, dict[str, Any]]] = {p: {} for p in periods}
    if not periods:
        return out
    t = ep_projections
    with store.connect() as conn:
        for r in conn.execute(select(t).where(t.c.period.in_(list(periods)))):
            m = dict(r._mapping)
            out[m["period"]][m["soc"]] = m
    return out


def role_series_map(store: Store) -> dict[str, dict[str, Any]]:
    """Role key → its series, how it is measured (own / part / proxy) and why."""
    with store.connect() as conn:
        return {r.role_key: dict(r._mapping) for r in conn.execute(select(role_series))}
