"""The forecast of one occupation series: BLS projection + OEWS momentum + what policy adds.

Everything is *relative to all occupations*, in percentage points over ``h`` years from the
base year ``B`` (the latest OEWS May survey public at the origin): the series' change minus the
change of all occupations (00-0000), the quantity the backtest measures.

    bls_pp      = 100 × (a_s^h − a_all^h),  a = (projected / base) ** (1 / projection years)
                  from the Employment Projections vintage public at the origin
    momentum_pp = 100 × (m_s^h − m_all^h),  m = (E_B / E_{B−k}) ** (1 / k), k ≤ 3 OEWS years
    prediction  = bls_pp + w × (momentum_pp − bls_pp) + h × c + h × β × policy_index

``w`` (momentum weight, clipped to 0..1), ``c`` (intercept, pp a year) and ``β`` (pp a year per
unit of policy score) are fitted by least squares on **earlier origins only**, on outcomes OEWS had
published by the origin (:func:`fit_params`); with nothing to fit on they are 0, so the forecast is
the BLS projection. P(outpace) = Φ(prediction / (σ × h)), σ the per-year residual spread on the
same training rows (:data:`DEFAULT_SIGMA` without any).
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from payforce.forecasts.metrics import normal_cdf

__all__ = [
    "DEFAULT_SIGMA",
    "MOMENTUM_YEARS",
    "RIDGE",
    "Forecast",
    "Params",
    "TrainingRow",
    "annual_rate",
    "fit_params",
    "forecast_series",
    "momentum_rate",
    "relative_pp",
]

MOMENTUM_YEARS = 3
"""OEWS years of momentum (fewer when the series starts later)."""
DEFAULT_SIGMA = 2.0
"""Per-year spread (pp) of relative growth around a forecast, before any origin can be scored."""
RIDGE = 4.0
"""Shrinkage of the momentum weight and policy coefficient toward 0 (in training-row units)."""


@dataclass(frozen=True)
class Params:
    """Combination weights, fitted on earlier origins only."""

    momentum_weight: float = 0.0
    """Weight of momentum against the BLS projection (0..1)."""
    intercept: float = 0.0
    """pp a year added to every series."""
    policy_beta: float = 0.0
    """pp a year per unit of policy score."""
    sigma: float = DEFAULT_SIGMA
    """Per-year residual spread, pp."""
    bls_sigma: float = DEFAULT_SIGMA
    """Per-year residual spread of the BLS projection alone."""
    momentum_sigma: float = DEFAULT_SIGMA
    """Per-year residual spread of momentum alone."""
    n_train: int = 0
    """Training rows used."""
    trained_on: tuple[str, ...] = ()
    """``origin→end year`` pairs the parameters were fitted on."""

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready form."""
        return {
            "momentum_weight": round(self.momentum_weight, 4),
            "intercept_pp_per_year": round(self.intercept, 4),
            "policy_beta_pp_per_year": round(self.policy_beta, 4),
            "sigma_pp_per_year": round(self.sigma, 4),
            "n_train": self.n_train,
            "trained_on": list(self.trained_on),
        }


@dataclass(frozen=True)
class TrainingRow:
    """One earlier (origin, series, horizon) whose outcome was public at the new origin."""

    horizon: int
    bls_pp: float
    momentum_pp: float
    policy_index: float
    realised_pp: float
    label: str = ""


@dataclass(frozen=True)
class Forecast:
    """Predicted change of one series relative to all occupations, with its parts."""

    series: str
    """Occupation series key."""
    horizon: int
    """Years from the base year."""
    base_year: int
    """OEWS May year the change is measured from."""
    bls_pp: float | None
    """BLS projection alone, scaled to the horizon (None: no vintage covers the series)."""
    momentum_pp: float | None
    """OEWS momentum alone."""
    policy_index: float
    """The series' labour-weighted policy score at the origin."""
    parts: dict[str, float] = field(default_factory=dict)
    """``bls`` + ``momentum`` + ``intercept`` + ``policy`` = ``prediction``."""
    prediction: float = 0.0
    """Predicted pp relative to all occupations."""
    p_outpace: float = 0.5
    """Probability the series grows faster than all occupations."""

    @property
    def policy_pp(self) -> float:
        """What policy adds to the BLS-and-momentum forecast, pp."""
        return self.parts.get("policy", 0.0)

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready form."""

        def r(v: float | None) -> float | None:
            return None if v is None else round(v, 3)

        return {
            "series": self.series,
            "horizon_years": self.horizon,
            "base_year": self.base_year,
            "target_year": self.base_year + self.horizon,
            "prediction_pp": r(self.prediction),
            "p_outpace": r(self.p_outpace),
            "parts_pp": {k: r(v) for k, v in self.parts.items()},
            "bls_alone_pp": r(self.bls_pp),
            "momentum_alone_pp": r(self.momentum_pp),
            "policy_index": r(self.policy_index),
        }


def annual_rate(base: float, end: float, years: float) -> float | None:
    """Compound annual growth factor, None when not computable."""
    if base <= 0 or end <= 0 or years <= 0:
        return None
    return float((end / base) ** (1.0 / years))


def relative_pp(rate: float, total_rate: float, horizon: int) -> float:
    """100 × (rate^h − total^h): change relative to all occupations over ``horizon`` years."""
    return 100.0 * (rate**horizon - total_rate**horizon)


def momentum_rate(years: Mapping[int, int], base_year: int) -> float | None:
    """Annual growth factor over the last up-to-:data:`MOMENTUM_YEARS` years ending at base."""
    if base_year not in years:
        return None
    for k in range(MOMENTUM_YEARS, 0, -1):
        if base_year - k in years:
            return annual_rate(years[base_year - k], years[base_year], k)
    return None


def forecast_series(
    series: str,
    horizon: int,
    base_year: int,
    bls_rate: tuple[float, float] | None,
    momentum: tuple[float, float] | None,
    policy_index: float,
    params: Params,
) -> Forecast | None:
    """One series' forecast from its (rate, all-occupations rate) pairs; None without data.

    Without a BLS projection for the series, momentum stands in for it (and the part is
    labelled momentum).
    """
    mom = relative_pp(*momentum, horizon) if momentum else None
    bls = relative_pp(*bls_rate, horizon) if bls_rate else None
    if bls is None and mom is None:
        return None
    anchor = bls if bls is not None else mom
    assert anchor is not None
    w = params.momentum_weight if (bls is not None and mom is not None) else 0.0
    parts = {
        "bls": (1 - w) * anchor if bls is not None else 0.0,
        "momentum": w * (mom or 0.0) if bls is not None else (mom or 0.0),
        "intercept": horizon * params.intercept,
        "policy": horizon * params.policy_beta * policy_index,
    }
    prediction = sum(parts.values())
    spread = max(params.sigma, 1e-6) * horizon
    return Forecast(
        series=series,
        horizon=horizon,
        base_year=base_year,
        bls_pp=bls,
        momentum_pp=mom,
        policy_index=policy_index,
        parts=parts,
        prediction=prediction,
        p_outpace=normal_cdf(prediction / spread),
    )


def _solve(a: list[list[float]], b: list[float]) -> list[float] | None:
    """Gaussian elimination with partial pivoting (small systems)."""
    n = len(b)
    m = [row[:] + [b[i]] for i, row in enumerate(a)]
    for col in range(n):
        piv = max(range(col, n), key=lambda r: abs(m[r][col]))
        if abs(m[piv][col]) < 1e-12:
            return None
        m[col], m[piv] = m[piv], m[col]
        for r in range(n):
            if r != col:
                f = m[r][col] / m[col][col]
                for c in range(col, n + 1):
                    m[r][c] -= f * m[col][c]
    return [m[i][n] / m[i][i] for i in range(n)]


def _rms(values: Sequence[float]) -> float:
    return math.sqrt(sum(v * v for v in values) / len(values)) if values else DEFAULT_SIGMA


def fit_params(rows: Sequence[TrainingRow]) -> Params:
    """Least squares, per year of horizon, of (realised − BLS) on (1, momentum − BLS, policy).

    Ridge :data:`RIDGE` on the momentum weight and policy coefficient; the momentum weight is
    clipped to 0..1 (and the others refitted). Fewer than 10 rows: the defaults (BLS alone).
    """
    if len(rows) < 10:
        return Params(n_train=len(rows), trained_on=tuple(sorted({r.label for r in rows})))
    xs = [(1.0, (r.momentum_pp - r.bls_pp) / r.horizon, r.policy_index) for r in rows]
    ys = [(r.realised_pp - r.bls_pp) / r.horizon for r in rows]

    def solve(use: tuple[int, ...], fixed: dict[int, float]) -> list[float]:
        ata = [[0.0] * len(use) for _ in use]
        aty = [0.0] * len(use)
        for x, y in zip(xs, ys, strict=True):
            resid = y - sum(x[k] * v for k, v in fixed.items())
            for i, ki in enumerate(use):
                aty[i] += x[ki] * resid
                for j, kj in enumerate(use):
                    ata[i][j] += x[ki] * x[kj]
        for i, ki in enumerate(use):
            if ki != 0:
                ata[i][i] += RIDGE
        sol = _solve(ata, aty) or [0.0] * len(use)
        out = [0.0, 0.0, 0.0]
        for k, v in fixed.items():
            out[k] = v
        for i, ki in enumerate(use):
            out[ki] = sol[i]
        return out

    coef = solve((0, 1, 2), {})
    if not 0.0 <= coef[1] <= 1.0:
        coef = solve((0, 2), {1: min(1.0, max(0.0, coef[1]))})
    resid = [
        y - sum(c * v for c, v in zip(coef, x, strict=True)) for x, y in zip(xs, ys, strict=True)
    ]
    bls_resid = [(r.realised_pp - r.bls_pp) / r.horizon for r in rows]
    mom_resid = [(r.realised_pp - r.momentum_pp) / r.horizon for r in rows]
    return Params(
        momentum_weight=coef[1],
        intercept=coef[0],
        policy_beta=coef[2],
        sigma=_rms(resid),
        bls_sigma=_rms(bls_resid),
        momentum_sigma=_rms(mom_resid),
        n_train=len(rows),
        trained_on=tuple(sorted({r.label for r in rows})),
    )
