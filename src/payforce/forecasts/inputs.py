"""What a forecast made at an origin may see: OEWS and Employment Projections vintages public then,
and payforce's outlooks then, aggregated to occupation series.

An **origin** ``O`` is the date 31 December ``O``. What was public on that day: the OEWS May
surveys released by then (May ``O − 1`` is released in the spring of ``O``, so the base year is
``O − 1``), the newest Employment Projections vintage released by then (2014-24 was released on
2015-12-08, so origin 2015 uses it; origin 2014 uses 2012-22), and every policy fact public by
then (``signals``). All BLS numbers come through ``payforce.workforce.labour``.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import TYPE_CHECKING

from payforce.models import Outlook

if TYPE_CHECKING:
    from payforce.store.db import Store
    from payforce.workforce.labour import ProjectionVintage, Series

__all__ = [
    "OriginInputs",
    "OutlookCache",
    "load_inputs",
    "origin_date",
    "policy_by_series",
    "rankable_series",
]

TOTAL = "00-0000"


def origin_date(origin: int) -> date:
    """The as-of date of an origin year: 31 December."""
    return date(origin, 12, 31)


class OutlookCache:
    """Outlooks per as-of date, computed once (a replay of every role is the costly part)."""

    def __init__(
        self, store: Store, compute: Callable[[date], list[Outlook]] | None = None
    ) -> None:
        self.store = store
        self.compute = compute
        """Where outlooks come from (default: ``compute_outlooks``; the web passes its own
        cache, shared by every page)."""
        self._cache: dict[date, list[Outlook]] = {}

    def get(self, as_of: date) -> list[Outlook]:
        """Every role's outlook as of ``as_of``."""
        if as_of not in self._cache:
            if self.compute is not None:
                self._cache[as_of] = self.compute(as_of)
            else:
                from payforce.signals.outlook import compute_outlooks

                self._cache[as_of] = compute_outlooks(self.store, as_of)
        return self._cache[as_of]


@dataclass(frozen=True)
class OriginInputs:
    """Everything public at one as-of date that a forecast uses."""

    as_of: date
    """The as-of date."""
    base_year: int | None
    """Latest OEWS May year public (None: none)."""
    panel: Mapping[str, Mapping[int, int]]
    """Series → May-year → employment, vintages public by ``as_of`` only."""
    vintage: ProjectionVintage | None
    """Newest Employment Projections vintage public by ``as_of``."""
    policy: Mapping[str, float]
    """Series → policy index (mean labour-weighted outlook score of its roles)."""
    available_from: dict[str, str] = field(default_factory=dict)
    """Input → the date it became public (for ``payforce audit``)."""

    def bls_rates(self, series: str) -> tuple[float, float] | None:
        """(series, all occupations) annual growth factors from the projection vintage."""
        v = self.vintage
        if v is None or series not in v.values or TOTAL not in v.values:
            return None
        years = v.target_year - v.base_year
        (b, t), (tb, tt) = v.values[series], v.values[TOTAL]
        if b <= 0 or t <= 0 or tb <= 0 or tt <= 0 or years <= 0:
            return None
        return (t / b) ** (1 / years), (tt / tb) ** (1 / years)

    def momentum_rates(self, series: str) -> tuple[float, float] | None:
        """(series, all occupations) annual growth factors over the last OEWS years."""
        from payforce.forecasts.model import momentum_rate

        if self.base_year is None:
            return None
        s = momentum_rate(self.panel.get(series, {}), self.base_year)
        t = momentum_rate(self.panel.get(TOTAL, {}), self.base_year)
        return (s, t) if s is not None and t is not None else None


def policy_by_series(
    catalog: Mapping[str, Series], outlooks: Sequence[Outlook]
) -> dict[str, float]:
    """Series → the mean outlook score of the roles measured by it (0 when it has none).

    Roles inside one series (UR, RPM and care-manager nurses inside registered nurses) count as
    equal shares: their sizes inside the series are not measured.
    """
    score = {o.role: o.score for o in outlooks}
    out: dict[str, float] = {}
    for key, s in catalog.items():
        vals = [score[r] for r in s.roles if r in score]
        out[key] = sum(vals) / len(vals) if vals else 0.0
    return out


def rankable_series(catalog: Mapping[str, Series]) -> list[str]:
    """Series compared against each other: healthcare or role-bearing, not totals or aggregates."""
    return sorted(
        k
        for k, s in catalog.items()
        if s.kind not in ("total", "aggregate") and (s.healthcare or s.roles)
    )


def load_inputs(store: Store, as_of: date, outlooks: OutlookCache) -> OriginInputs:
    """The OEWS panel, projection vintage and policy index public at ``as_of``."""
    from payforce.workforce.labour import (
        oews_panel,
        oews_vintages,
        projection_vintages,
        series_catalog,
    )

    panel = oews_panel(store, as_of)
    years = sorted(panel.get(TOTAL, {}))
    vintages = projection_vintages(store, as_of)
    vintage = max(vintages, key=lambda v: (v.available_from, v.base_year)) if vintages else None
    policy = policy_by_series(series_catalog(store), outlooks.get(as_of))
    available: dict[str, str] = {}
    for v in oews_vintages(store, as_of):
        if years and v.year == years[-1]:
            available[f"OEWS May {v.year}"] = v.available_from.isoformat()
    if vintage is not None:
        available[f"Employment Projections {vintage.label}"] = vintage.available_from.isoformat()
    return OriginInputs(
        as_of=as_of,
        base_year=years[-1] if years else None,
        panel=panel,
        vintage=vintage,
        policy=policy,
        available_from=available,
    )
