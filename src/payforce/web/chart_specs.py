"""Chart specs (plain JSON, see :mod:`payforce.web.svg`) built from the store as of a date."""

from __future__ import annotations

from datetime import date
from typing import Any

from payforce.knowledge import Knowledge
from payforce.models import BillingCode
from payforce.store import queries
from payforce.store.db import Store

__all__ = [
    "CARE_MANAGEMENT",
    "chart_aco",
    "chart_care_management",
    "chart_new_codes",
    "family_group",
    "payment_series",
]

CARE_MANAGEMENT = "care management"


def _metric_series(store: Store, metric: str, as_of: date) -> list[list[float]]:
    """One value per year (the first source's, high confidence first) of a metric."""
    chosen: dict[int, tuple[int, float]] = {}
    rank = {"high": 0, "medium": 1, "low": 2}
    for m in queries.list_metrics(store, as_of):
        if m.metric != metric or m.value is None:
            continue
        r = rank.get(m.confidence, 3)
        if m.year not in chosen or r < chosen[m.year][0]:
            chosen[m.year] = (r, m.value)
    return [[year, value] for year, (_, value) in sorted(chosen.items())]


def family_group(knowledge: Knowledge, family: str) -> str:
    fam = knowledge.families.get(family)
    return fam.workflow if fam else family


def _base_code(codes: list[BillingCode]) -> BillingCode:
    return min(codes, key=lambda c: (c.first_paid_year or 9999, c.code))


def payment_series(
    store: Store,
    code: str,
    as_of_year: int | None,
    setting: str = "nonfacility",
    as_of: date | None = None,
) -> list[list[float]]:
    return [
        [v.year, v.payment]
        for v in queries.list_code_values(store, code, as_of)
        if v.setting == setting
        and v.payment is not None
        and (as_of_year is None or v.year <= as_of_year)
    ]


def chart_aco(store: Store, as_of: date) -> list[dict[str, Any]]:
    """Two chart specs: MSSP ACO count and assigned beneficiaries by year."""
    return [
        {
            "id": "aco-count",
            "kind": "bar",
            "x_label": "year",
            "unit": "ACOs",
            "title": "Medicare Shared Savings Program: ACOs by year",
            "series": [{"name": "ACOs", "points": _metric_series(store, "mssp_aco_count", as_of)}],
        },
        {
            "id": "aco-beneficiaries",
            "kind": "line",
            "x_label": "year",
            "unit": "million beneficiaries",
            "title": "Medicare Shared Savings Program: assigned beneficiaries (millions) by year",
            "series": [
                {
                    "name": "assigned beneficiaries (millions)",
                    "points": _metric_series(store, "mssp_assigned_beneficiaries", as_of),
                }
            ],
        },
    ]


def chart_new_codes(store: Store, knowledge: Knowledge, as_of: date) -> dict[str, Any]:
    """Chart spec: codes first paid each year, stacked by service-family group."""
    counts: dict[str, dict[int, int]] = {}
    for c in queries.list_codes(store):
        if c.first_paid_year is None or c.first_paid_year > as_of.year:
            continue
        group = family_group(knowledge, c.family)
        by_year = counts.setdefault(group, {})
        by_year[c.first_paid_year] = by_year.get(c.first_paid_year, 0) + 1
    return {
        "id": "new-codes",
        "kind": "bar",
        "x_label": "first paid year",
        "unit": "codes",
        "title": "New paid codes by service-family group and first paid year",
        "series": [
            {"name": name, "points": [[y, n] for y, n in sorted(years.items())]}
            for name, years in sorted(counts.items())
        ],
    }


def chart_care_management(store: Store, knowledge: Knowledge, as_of: date) -> dict[str, Any]:
    """Chart spec: national non-facility payment of each care-management family's base code."""
    by_family: dict[str, list[BillingCode]] = {}
    for c in queries.list_codes(store):
        if family_group(knowledge, c.family) == CARE_MANAGEMENT:
            by_family.setdefault(c.family, []).append(c)
    series = []
    for family, codes in sorted(by_family.items()):
        base = _base_code(codes)
        points = payment_series(store, base.code, as_of.year, as_of=as_of)
        if points:
            series.append(
                {"name": f"{family.replace('_', ' ').upper()} ({base.code})", "points": points}
            )
    return {
        "id": "care-management-payment",
        "kind": "line",
        "x_label": "year",
        "unit": "USD",
        "title": "Payment trend of the care-management families (base code, non-facility, USD)",
        "series": series,
    }
