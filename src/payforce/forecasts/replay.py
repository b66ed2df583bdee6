"""Replays: the forecast every series would have had at each past origin, beside what happened.

For each origin (31 December of the year, ``forecasts.inputs``), each horizon (3 and 5 years
from the base year, and to the latest OEWS year) and each occupation series: the forecast made
with what was public then, and the realised change relative to all occupations (latest OEWS
data). Parameters at an origin are fitted only on earlier origins' outcomes that OEWS had
published by that origin (:func:`training_rows`). Replays are cached per store in process.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import TYPE_CHECKING, Any

from payforce.forecasts.inputs import (
    OriginInputs,
    OutlookCache,
    load_inputs,
    origin_date,
    rankable_series,
)
from payforce.forecasts.model import Params, TrainingRow, fit_params, forecast_series

if TYPE_CHECKING:
    from payforce.store.db import Store

__all__ = [
    "HORIZONS",
    "ORIGINS",
    "BacktestRow",
    "OriginFit",
    "Replay",
    "replay",
    "training_rows",
]

ORIGINS = (2012, 2013, 2014, 2015, 2016, 2017, 2018, 2019, 2020, 2021)
"""Origin years (as of 31 December)."""
HORIZONS: tuple[int | None, ...] = (3, 5, None)
"""Years from the base year; None = to the latest OEWS year."""
TOTAL = "00-0000"
HEALTHCARE_FLOOR = 0.1
"""pp a year: "every healthcare occupation outpaces" always calls faster, at least by this."""


@dataclass(frozen=True)
class BacktestRow:
    """One series' forecast at one origin and horizon, and what happened."""

    origin: int
    horizon: str
    base_year: int
    end_year: int
    soc: str
    title: str
    prediction: float
    p_outpace: float
    parts: dict[str, float]
    bls: float | None
    momentum: float | None
    policy_index: float
    healthcare_grows: float
    healthcare_p: float
    realised: float

    def value(self, predictor: str) -> float | None:
        """A predictor's pp forecast for this row."""
        return {
            "payforce": self.prediction,
            "payforce_no_policy": self.prediction - self.parts.get("policy", 0.0),
            "bls": self.bls,
            "momentum": self.momentum,
            "healthcare_grows": self.healthcare_grows,
        }[predictor]

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready form."""

        def r(v: float | None) -> float | None:
            return None if v is None else round(v, 3)

        return {
            "origin": self.origin,
            "horizon": self.horizon,
            "base_year": self.base_year,
            "end_year": self.end_year,
            "soc": self.soc,
            "title": self.title,
            "prediction": r(self.prediction),
            "p_outpace": r(self.p_outpace),
            "parts": {k: r(v) for k, v in self.parts.items()},
            "policy_index": r(self.policy_index),
            "realised": r(self.realised),
            "baselines": {
                "bls": r(self.bls),
                "momentum": r(self.momentum),
                "healthcare_grows": r(self.healthcare_grows),
                "payforce_no_policy": r(self.value("payforce_no_policy")),
            },
        }


@dataclass(frozen=True)
class OriginFit:
    """What one origin saw and the parameters fitted for it."""

    origin: int
    inputs: OriginInputs
    params: Params
    healthcare_rate: float
    """pp a year of the "every healthcare occupation outpaces" baseline."""
    healthcare_share: float
    """Its P(outpace)."""


@dataclass(frozen=True)
class Replay:
    """Every row of every origin and horizon, and each origin's fit."""

    latest_year: int
    rows: tuple[BacktestRow, ...]
    fits: dict[int, OriginFit] = field(default_factory=dict)
    titles: dict[str, str] = field(default_factory=dict)
    origins: tuple[int, ...] = ()
    """The origins asked for (some may have nothing public to forecast from)."""


def training_rows(rows: Sequence[BacktestRow], before: date, base_year: int) -> list[TrainingRow]:
    """Rows of origins before ``before`` whose outcome year OEWS had published (≤ base_year)."""
    return [
        TrainingRow(
            horizon=r.end_year - r.base_year,
            bls_pp=r.bls if r.bls is not None else r.momentum or 0.0,
            momentum_pp=r.momentum or 0.0,
            policy_index=r.policy_index,
            realised_pp=r.realised,
            label=f"{r.origin}→{r.end_year}",
        )
        for r in rows
        if origin_date(r.origin) < before and r.end_year <= base_year and r.momentum is not None
    ]


def _healthcare_base(inputs: OriginInputs, series: Sequence[str]) -> tuple[float, float]:
    """ "Every healthcare occupation outpaces": (pp a year, P(outpace)) from public OEWS only.

    The pp is the median series' relative momentum (at least :data:`HEALTHCARE_FLOOR`, so the
    call is always "faster"); P is the share of series that outpaced over the momentum window.
    """
    rel = []
    for s in series:
        m = inputs.momentum_rates(s)
        if m is not None:
            rel.append(100.0 * (m[0] - m[1]))
    if not rel:
        return HEALTHCARE_FLOOR, 0.5
    rel.sort()
    share = sum(1 for v in rel if v > 0) / len(rel)
    return max(rel[len(rel) // 2], HEALTHCARE_FLOOR), share


_REPLAYS: dict[tuple[str, str, tuple[int, ...]], Replay] = {}


def _fingerprint(store: Store) -> str:
    """Changes when the store's evidence or its labour vintages change (a sync)."""
    from payforce.store.search import data_version
    from payforce.workforce.labour import oews_vintages, projection_vintages

    oews = [(v.year, v.available_from.isoformat(), v.source) for v in oews_vintages(store)]
    proj = [(v.label, v.available_from.isoformat(), v.source) for v in projection_vintages(store)]
    return f"{data_version(store)}|{oews}|{proj}"


def replay(
    store: Store,
    origins: Sequence[int] = ORIGINS,
    horizons: Sequence[int | None] = HORIZONS,
    outlooks: OutlookCache | None = None,
) -> Replay:
    """Forecast every series at every origin and horizon (cached while the store is unchanged)."""
    key = (store.url, _fingerprint(store), tuple(sorted(origins)))
    cacheable = tuple(horizons) == HORIZONS
    if cacheable and key in _REPLAYS:
        return _REPLAYS[key]
    result = _replay(store, origins, horizons, outlooks or OutlookCache(store))
    if cacheable:
        if len(_REPLAYS) >= 4:
            _REPLAYS.pop(next(iter(_REPLAYS)))
        _REPLAYS[key] = result
    return result


def _replay(
    store: Store,
    origins: Sequence[int],
    horizons: Sequence[int | None],
    cache: OutlookCache,
) -> Replay:
    from payforce.workforce.labour import oews_panel, series_catalog

    catalog = series_catalog(store)
    names = rankable_series(catalog)
    panel = oews_panel(store, None)
    total = panel.get(TOTAL, {})
    latest = max(total) if total else 0
    rows: list[BacktestRow] = []
    fits: dict[int, OriginFit] = {}
    for origin in sorted(origins):
        inputs = load_inputs(store, origin_date(origin), cache)
        base = inputs.base_year
        if base is None:
            continue
        params = fit_params(training_rows(rows, origin_date(origin), base))
        hc_rate, hc_share = _healthcare_base(inputs, names)
        fits[origin] = OriginFit(origin, inputs, params, hc_rate, hc_share)
        seen_ends: set[int] = set()
        for h in horizons:
            end = latest if h is None else base + h
            if end > latest or end <= base or end in seen_ends:
                continue
            if base not in total or end not in total:
                continue
            seen_ends.add(end)
            label = "latest" if h is None else f"{h}y"
            total_change = total[end] / total[base] - 1
            for s in names:
                e = panel.get(s, {})
                if base not in e or end not in e or e[base] <= 0:
                    continue
                f = forecast_series(
                    s,
                    end - base,
                    base,
                    inputs.bls_rates(s),
                    inputs.momentum_rates(s),
                    inputs.policy.get(s, 0.0),
                    params,
                )
                if f is None:
                    continue
                rows.append(
                    BacktestRow(
                        origin=origin,
                        horizon=label,
                        base_year=base,
                        end_year=end,
                        soc=s,
                        title=catalog[s].title,
                        prediction=f.prediction,
                        p_outpace=f.p_outpace,
                        parts=f.parts,
                        bls=f.bls_pp,
                        momentum=f.momentum_pp,
                        policy_index=f.policy_index,
                        healthcare_grows=hc_rate * (end - base),
                        healthcare_p=hc_share,
                        realised=100.0 * (e[end] / e[base] - 1 - total_change),
                    )
                )
    titles = {k: s.title for k, s in catalog.items()}
    return Replay(
        latest_year=latest, rows=tuple(rows), fits=fits, titles=titles, origins=tuple(origins)
    )
