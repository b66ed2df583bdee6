"""Load the bundled labour-market vintages and occupation roles into a store.

Files (``data/``, built by ``scripts/build_labour_data.py`` from the real BLS files):
``labour_vintages.csv`` (one row per OEWS year / projection period, with ``available_from``),
``oews_national.csv``, ``ep_projections.csv``, ``role_series.csv`` (curated: the series and
measure of each curated role) and ``occupation_roles.csv`` (one generated role per healthcare
occupation no curated role covers).

A vintage the user has synced (``origin = synced``) is never overwritten by the bundled one.
Runs inside the snapshot's transaction.
"""

from __future__ import annotations

import csv
import io
from datetime import date
from importlib import resources
from typing import Any

from sqlalchemy import Connection, select

from payforce.errors import ParseError
from payforce.store import schema
from payforce.store.db import upsert_rows
from payforce.store.workforce_tables import labour_vintages, replace_vintage, role_series

__all__ = ["LABOUR_FILES", "load_labour_snapshot"]

LABOUR_FILES = (
    "labour_vintages.csv",
    "oews_national.csv",
    "ep_projections.csv",
    "role_series.csv",
    "occupation_roles.csv",
)
MEASURES = {"own", "part", "proxy"}


def _rows(name: str) -> list[tuple[int, dict[str, str]]]:
    text = resources.files("payforce.data").joinpath(name).read_text(encoding="utf-8")
    return list(enumerate(csv.DictReader(io.StringIO(text)), start=2))


def _int(name: str, line: int, row: dict[str, str], fld: str) -> int | None:
    text = (row.get(fld) or "").strip()
    if not text:
        return None
    try:
        return int(float(text))
    except ValueError:
        raise ParseError("not a number", path=name, line=line, field=fld, value=text) from None


def _float(name: str, line: int, row: dict[str, str], fld: str) -> float | None:
    text = (row.get(fld) or "").strip()
    if not text:
        return None
    try:
        return float(text)
    except ValueError:
        raise ParseError("not a number", path=name, line=line, field=fld, value=text) from None


def _date(name: str, line: int, row: dict[str, str], fld: str) -> date:
    text = (row.get(fld) or "").strip()
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise ParseError("not an ISO date", path=name, line=line, field=fld, value=text) from None


def _oews(name: str = "oews_national.csv") -> dict[str, list[dict[str, Any]]]:
    out: dict[str, list[dict[str, Any]]] = {}
    for line, r in _rows(name):
        year = _int(name, line, r, "year")
        out.setdefault(str(year), []).append(
            {
                "soc": r["soc"],
                "year": year,
                "title": r["title"],
                "occ_group": r["occ_group"],
                "employment": _int(name, line, r, "employment"),
                "employment_text": r["employment_text"],
                "median_wage": _float(name, line, r, "median_wage"),
                "mean_wage": _float(name, line, r, "mean_wage"),
                "wage_note": r["wage_note"],
                "source": "",
            }
        )
    return out


def _projections(name: str = "ep_projections.csv") -> dict[str, list[dict[str, Any]]]:
    out: dict[str, list[dict[str, Any]]] = {}
    for line, r in _rows(name):
        out.setdefault(r["period"], []).append(
            {
                "soc": r["soc"],
                "period": r["period"],
                "title": r["title"],
                "occupation_type": r["occupation_type"],
                "employment_base": _int(name, line, r, "employment_base"),
                "employment_target": _int(name, line, r, "employment_target"),
                "change_pct": _float(name, line, r, "change_pct"),
                "annual_openings": _int(name, line, r, "annual_openings"),
                "median_wage": None,
                "entry_education": r["entry_education"],
                "source": "",
            }
        )
    return out


def _role_series(name: str, origin: str) -> list[dict[str, Any]]:
    out = []
    for line, r in _rows(name):
        if r["measure"] not in MEASURES:
            raise ParseError(
                "measure must be own, part or proxy",
                path=name,
                line=line,
                field="measure",
                value=r["measure"],
            )
        out.append(
            {
                "role_key": r["role_key"],
                "series": r["series"],
                "measure": r["measure"],
                "measure_note": r["measure_note"],
                "origin": origin,
            }
        )
    return out


def _generated_roles() -> list[dict[str, Any]]:
    return [
        {
            "role_key": r["role_key"],
            "title": r["title"],
            "soc": r["soc"],
            "onet_soc": f"{r['soc']}.00",
            "onet_title": r["title"],
            "employment": None,
            "median_wage": None,
            "wage_year": "",
            "projection_pct": None,
            "projection_period": "",
            "annual_openings": None,
            "entry_education": "",
            "certifications": "",
            "source_url": "https://www.bls.gov/oes/",
            "confidence": "high",
        }
        for _line, r in _rows("occupation_roles.csv")
    ]


def load_labour_snapshot(conn: Connection) -> dict[str, int]:
    """Load bundled vintages (skipping any the user synced), roles and their series."""
    synced = {
        (r.kind, r.label)
        for r in conn.execute(
            select(labour_vintages.c.kind, labour_vintages.c.label).where(
                labour_vintages.c.origin == "synced"
            )
        )
    }
    oews = _oews()
    projections = _projections()
    counts = {"oews_employment": 0, "ep_projections": 0, "labour_vintages": 0}
    name = "labour_vintages.csv"
    for line, r in _rows(name):
        kind, label = r["kind"], r["label"]
        if (kind, label) in synced:
            continue
        rows = oews.get(label, []) if kind == "oews" else projections.get(label, [])
        for row in rows:
            row["source"] = r["source"]
        vintage = {
            "base_year": _int(name, line, r, "base_year"),
            "target_year": _int(name, line, r, "target_year"),
            "available_from": _date(name, line, r, "available_from"),
            "date_basis": r["date_basis"],
            "source": r["source"],
            "sha256": r["sha256"],
            "origin": "bundled",
        }
        table = "oews_employment" if kind == "oews" else "ep_projections"
        counts[table] += replace_vintage(conn, kind, label, rows, vintage)
        counts["labour_vintages"] += 1
    generated = _generated_roles()
    counts["roles"] = upsert_rows(conn, schema.roles, generated)
    series = _role_series("role_series.csv", "curated")
    series += [{**r, "origin": "generated"} for r in _role_series_generated()]
    counts["role_series"] = upsert_rows(conn, role_series, series)
    return counts


def _role_series_generated() -> list[dict[str, Any]]:
    return [
        {
            "role_key": r["role_key"],
            "series": r["series"],
            "measure": r["measure"],
            "measure_note": r["measure_note"],
        }
        for _line, r in _rows("occupation_roles.csv")
    ]
