"""The forecast as of any date, for every series (``payforce outlook``) or one role's series
(``payforce role``), and a role's forecast replayed year by year beside realised OEWS employment.

Parameters at a date are fitted on the replays of earlier origins whose outcomes OEWS had
published by that date (``forecasts.replay.training_rows``): never on anything later.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING, Any

from payforce.forecasts.inputs import OriginInputs, OutlookCache, load_inputs, origin_date
from payforce.forecasts.model import Forecast, Params, fit_params, forecast_series
from payforce.forecasts.replay import ORIGINS, replay, training_rows

if TYPE_CHECKING:
    from collections.abc import Callable

    from payforce.models import Outlook
    from payforce.store.db import Store

__all__ = [
    "DEFAULT_HORIZON",
    "HISTORY_FROM",
    "ForecastSet",
    "forecast_as_of",
    "forecast_sentence",
    "outlook_forecasts",
    "role_forecast",
    "forecast_history",
    "role_forecast_history",
]

DEFAULT_HORIZON = 5
"""Years from the base OEWS year shown in ``outlook`` and ``role``."""
HISTORY_FROM = 2012
"""First year of a role's replayed history."""


@dataclass(frozen=True)
class ForecastSet:
    """Every series' forecast as of one date."""

    as_of: date
    horizon: int
    inputs: OriginInputs
    params: Params
    forecasts: dict[str, Forecast]
    titles: dict[str, str]
    roles: dict[str, tuple[str, ...]]
    """Series → role keys measured by it."""

    def for_role(self, role: str) -> Forecast | None:
        """The forecast of the series that measures ``role``."""
        for key, roles in self.roles.items():
            if role in roles and key in self.forecasts:
                return self.forecasts[key]
        return None

    def series_dict(self, key: str) -> dict[str, Any]:
        """One series' forecast, JSON-ready, with its title and roles."""
        f = self.forecasts[key]
        return {
            "title": self.titles.get(key, key),
            "roles": list(self.roles.get(key, ())),
            **f.to_dict(),
        }

    def to_dict(self, only: list[str] | None = None) -> dict[str, Any]:
        """JSON-ready form (all series, or ``only`` these)."""
        keys = sorted(self.forecasts) if only is None else [k for k in only if k in self.forecasts]
        return {
            "as_of": self.as_of.isoformat(),
            "horizon_years": self.horizon,
            "base_year": self.inputs.base_year,
            "projection_vintage": self.inputs.vintage.label if self.inputs.vintage else None,
            "available_from": self.inputs.available_from,
            "params": self.params.to_dict(),
            "method": "prediction = BLS projection + momentum weight × (momentum − BLS) + "
            "intercept + policy coefficient × policy index, in pp relative to all occupations; "
            "weights fitted on earlier origins only (docs/backtest.md)",
            "series": [self.series_dict(k) for k in keys],
        }


def forecast_as_of(
    store: Store,
    as_of: date,
    horizon: int = DEFAULT_HORIZON,
    outlooks: OutlookCache | None = None,
) -> ForecastSet:
    """Every series' forecast ``horizon`` years from the base OEWS year public at ``as_of``."""
    from payforce.workforce.labour import series_catalog

    cache = outlooks or OutlookCache(store)
    inputs = load_inputs(store, as_of, cache)
    params = Params()
    if inputs.base_year is not None and any(origin_date(o) < as_of for o in ORIGINS):
        # One cached replay of every origin; training_rows keeps only earlier origins whose
        # outcomes were published by as_of, so later rows never reach the fit.
        rep = replay(store, ORIGINS, outlooks=cache)
        params = fit_params(training_rows(rep.rows, as_of, inputs.base_year))
    catalog = series_catalog(store)
    out: dict[str, Forecast] = {}
    if inputs.base_year is not None:
        for key, s in catalog.items():
            if s.kind == "total":
                continue
            f = forecast_series(
                key,
                horizon,
                inputs.base_year,
                inputs.bls_rates(key),
                inputs.momentum_rates(key),
                inputs.policy.get(key, 0.0),
                params,
            )
            if f is not None:
                out[key] = f
    return ForecastSet(
        as_of=as_of,
        horizon=horizon,
        inputs=inputs,
        params=params,
        forecasts=out,
        titles={k: s.title for k, s in catalog.items()},
        roles={k: s.roles for k, s in catalog.items() if s.roles},
    )


def forecast_history(
    store: Store, as_of: date, outlooks: Callable[[date], list[Outlook]] | None = None
) -> list[dict[str, Any]]:
    """Every role's score and every series' forecast replayed on 31 December of each year from
    2012 (up to ``as_of``): the same for every role, so the web computes it once per date
    (``outlooks`` may supply outlooks already computed)."""
    cache = OutlookCache(store, compute=outlooks)
    history = []
    for year in range(HISTORY_FROM, as_of.year + 1):
        day = min(origin_date(year), as_of)
        fs = forecast_as_of(store, day, outlooks=cache)
        history.append(
            {
                "as_of": day,
                "base_year": fs.inputs.base_year,
                "scores": {o.role: o.score for o in cache.get(day)},
                "forecasts": {
                    k: (f.prediction, f.bls_pp, f.policy_pp) for k, f in fs.forecasts.items()
                },
            }
        )
    return history


def role_forecast_history(
    store: Store, role: str, as_of: date, history: list[dict[str, Any]] | None = None
) -> dict[str, Any]:
    """A role's score and forecast replayed on 31 December of each year from 2012 (up to
    ``as_of``; from ``history`` when given, see :func:`forecast_history`), and its series' OEWS
    employment as public at ``as_of``."""
    from payforce.workforce.labour import oews_panel, series_catalog

    series = next((k for k, s in series_catalog(store).items() if role in s.roles), None)
    points = []
    for h in history if history is not None else forecast_history(store, as_of):
        f = h["forecasts"].get(series) if series else None
        points.append(
            {
                "as_of": h["as_of"].isoformat(),
                "score": h["scores"].get(role, 0.0),
                "base_year": h["base_year"],
                "prediction_pp": None if f is None else round(f[0], 3),
                "bls_pp": None if f is None or f[1] is None else round(f[1], 3),
                "policy_pp": None if f is None else round(f[2], 3),
            }
        )
    from payforce.store.memo import kept

    panel = kept(store, "oews panel", as_of, lambda: oews_panel(store, as_of))  # read only
    employment = sorted((panel.get(series, {}) if series else {}).items())
    return {
        "role": role,
        "series": series,
        "horizon_years": DEFAULT_HORIZON,
        "points": points,
        "employment": [{"year": y, "employment": e} for y, e in employment],
        "total": sorted(panel.get("00-0000", {}).items()),
    }


def outlook_forecasts(store: Store, as_of: date) -> dict[str, Any]:
    """The ``forecast`` block of ``payforce outlook --json``: every series, 5 years ahead."""
    return forecast_as_of(store, as_of).to_dict()


def role_forecast(
    store: Store, role: str, as_of: date, series: str | None = None
) -> dict[str, Any] | None:
    """The ``forecast`` block of ``payforce role``: the role's series (``series`` when given),
    with the fit and the dates its inputs became public (None when no series measures it)."""
    fs = forecast_as_of(store, as_of)
    f = fs.forecasts.get(series) if series else None
    f = f or fs.for_role(role)
    if f is None:
        return None
    d = fs.to_dict(only=[f.series])
    one: dict[str, Any] = d.pop("series")[0]
    return {**d, **one}


def forecast_sentence(f: dict[str, Any]) -> str:
    """One plain sentence for the terminal from a :func:`role_forecast` block."""
    parts = f["parts_pp"]
    bls = f["bls_alone_pp"]
    base = "the BLS projection" if bls is not None else "OEWS momentum (no BLS projection)"
    if f["params"]["n_train"] < 10:
        policy = "payment policy not yet weighed: no earlier forecast had been scored by then"
    else:
        policy = (
            f"correction for past bias {parts['intercept']:+.1f}, "
            f"payment policy {parts['policy']:+.1f}"
        )
    return (
        f"Forecast for {f['title']} (series {f['series']}), May {f['base_year']} → "
        f"{f['target_year']}: {f['prediction_pp']:+.1f} points against all occupations "
        f"({base} {parts['bls'] + parts['momentum']:+.1f}; {policy}); "
        f"chance it grows faster than all occupations {f['p_outpace']:.0%}. "
        "Weights are fitted on earlier years only (docs/backtest.md)."
    )
