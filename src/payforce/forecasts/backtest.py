"""Rolling backtest: the replays (``forecasts.replay``) scored against what OEWS later measured.

Scores per (origin, horizon), with bootstrap intervals over series, for payforce,
payforce without its policy part, the BLS projection alone, momentum alone and "every
healthcare occupation outpaces all occupations".
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from payforce.forecasts.inputs import OutlookCache, origin_date
from payforce.forecasts.metrics import (
    Interval,
    bootstrap,
    brier,
    correct_calls,
    mean_absolute_error,
    normal_cdf,
    spearman,
)
from payforce.forecasts.model import Params
from payforce.forecasts.replay import HORIZONS, ORIGINS, BacktestRow, Replay, replay

if TYPE_CHECKING:
    from payforce.store.db import Store

__all__ = [
    "PREDICTORS",
    "Cell",
    "RollingBacktest",
    "run_rolling_backtest",
]

PREDICTORS = ("payforce", "payforce_no_policy", "bls", "momentum", "healthcare_grows")
"""Forecasts scored on the same series."""


@dataclass(frozen=True)
class Cell:
    """Scores of one (origin, horizon) over the series scored there."""

    origin: int
    horizon: str
    base_year: int
    end_year: int
    n: int
    scores: dict[str, dict[str, Interval]]
    """Predictor → metric (spearman, correct, mae, brier) → value with interval."""
    policy_vs_bls_residual: Interval
    """Spearman of the policy index with (realised − BLS): what policy knows that BLS does not."""
    params: Params
    vintage: str
    available_from: dict[str, str] = field(default_factory=dict)

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready form."""
        return {
            "origin": self.origin,
            "as_of": origin_date(self.origin).isoformat(),
            "horizon": self.horizon,
            "base_year": self.base_year,
            "end_year": self.end_year,
            "series": self.n,
            "projection_vintage": self.vintage,
            "available_from": self.available_from,
            "params": self.params.to_dict(),
            "scores": {
                p: {m: iv.to_dict() for m, iv in ms.items()} for p, ms in self.scores.items()
            },
            "policy_vs_bls_residual_spearman": self.policy_vs_bls_residual.to_dict(),
        }


@dataclass(frozen=True)
class RollingBacktest:
    """The whole rolling backtest."""

    latest_year: int
    rows: tuple[BacktestRow, ...]
    cells: tuple[Cell, ...]
    notes: tuple[str, ...] = ()
    """Why an origin asked for has no scores."""

    def summary(self) -> dict[str, Any]:
        """Per horizon: at how many origins payforce beat, tied or trailed a baseline.

        ``vs_bls`` compares payforce with the BLS projection alone; ``policy`` compares payforce
        with itself without the policy part (what policy adds). Ties are differences under
        0.005 (the first origins, where nothing could be fitted yet, tie by construction).
        """
        out: dict[str, Any] = {}
        for h in sorted({c.horizon for c in self.cells}, key=_order):
            cells = [c for c in self.cells if c.horizon == h]
            out[h] = {
                "origins": len(cells),
                "vs_bls": {m: _tally(cells, m, "bls") for m in ("spearman", "correct")},
                "policy": {
                    m: _tally(cells, m, "payforce_no_policy") for m in ("spearman", "correct")
                },
            }
        return out

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready form: every row, every cell, the summary."""
        return {
            "latest_oews_year": self.latest_year,
            "origins": sorted({c.origin for c in self.cells}),
            "summary": self.summary(),
            "notes": list(self.notes),
            "cells": [c.to_dict() for c in self.cells],
            "rows": [r.to_dict() for r in self.rows],
        }


def _score(rows: Sequence[BacktestRow], params: Params) -> dict[str, dict[str, Interval]]:
    real = [r.realised for r in rows]
    out: dict[str, dict[str, Interval]] = {}
    for p in PREDICTORS:
        raw = [r.value(p) for r in rows]
        if any(v is None for v in raw):
            none = Interval(None, None, None)
            out[p] = {"spearman": none, "correct": none, "mae": none, "brier": none}
            continue
        pred = [v or 0.0 for v in raw]
        if p == "payforce":
            probs = [r.p_outpace for r in rows]
        elif p == "payforce_no_policy":
            probs = [
                normal_cdf(v / (max(params.sigma, 1e-6) * (r.end_year - r.base_year)))
                for v, r in zip(pred, rows, strict=True)
            ]
        elif p == "healthcare_grows":
            probs = [r.healthcare_p for r in rows]
        else:
            sigma = params.bls_sigma if p == "bls" else params.momentum_sigma
            probs = [
                normal_cdf(v / (max(sigma, 1e-6) * (r.end_year - r.base_year)))
                for v, r in zip(pred, rows, strict=True)
            ]
        out[p] = {
            "spearman": bootstrap(spearman, pred, real),
            "correct": bootstrap(correct_calls, pred, real),
            "mae": bootstrap(mean_absolute_error, pred, real),
            "brier": bootstrap(brier, probs, real),
        }
    return out


def run_rolling_backtest(
    store: Store,
    origins: Sequence[int] = ORIGINS,
    horizons: Sequence[int | None] = HORIZONS,
    outlooks: OutlookCache | None = None,
) -> RollingBacktest:
    """Replay every origin and horizon, then score each (origin, horizon) cell (the scores
    are cached with the replay they come from)."""
    # Every standard origin is replayed so that an origin's parameters are fitted on the same
    # earlier origins whichever ones are asked for; then only those asked for are kept.
    rep = replay(store, sorted(set(ORIGINS) | set(origins)), horizons, outlooks)
    cached = _SCORED.get(id(rep))
    if cached is not None and cached[0] is rep:
        result = cached[1]
    else:
        result = _score_replay(rep)
        if len(_SCORED) >= 4:
            _SCORED.pop(next(iter(_SCORED)))
        _SCORED[id(rep)] = (rep, result)
    wanted = set(origins)
    if wanted == set(rep.origins):
        return result
    return RollingBacktest(
        latest_year=result.latest_year,
        rows=tuple(r for r in result.rows if r.origin in wanted),
        cells=tuple(c for c in result.cells if c.origin in wanted),
        notes=tuple(n for n in result.notes if int(n[:4]) in wanted),
    )


_SCORED: dict[int, tuple[Replay, RollingBacktest]] = {}


def _score_replay(rep: Replay) -> RollingBacktest:
    cells: list[Cell] = []
    groups: dict[tuple[int, str], list[BacktestRow]] = {}
    for row in rep.rows:
        groups.setdefault((row.origin, row.horizon), []).append(row)
    for (origin, label), rows in sorted(
        groups.items(), key=lambda kv: (kv[0][0], _order(kv[0][1]))
    ):
        fit = rep.fits[origin]
        scored = [r for r in rows if r.momentum is not None]
        if fit.inputs.vintage is not None:
            scored = [r for r in scored if r.bls is not None]
        if len(scored) < 3:
            continue
        resid = [r.realised - (r.bls if r.bls is not None else 0.0) for r in scored]
        cells.append(
            Cell(
                origin=origin,
                horizon=label,
                base_year=scored[0].base_year,
                end_year=scored[0].end_year,
                n=len(scored),
                scores=_score(scored, fit.params),
                policy_vs_bls_residual=bootstrap(spearman, [r.policy_index for r in scored], resid),
                params=fit.params,
                vintage=fit.inputs.vintage.label if fit.inputs.vintage else "none",
                available_from=fit.inputs.available_from,
            )
        )
    notes = []
    for origin in rep.origins:
        if any(c.origin == origin for c in cells):
            continue
        found = rep.fits.get(origin)
        if found is None:
            notes.append(f"{origin}: no OEWS survey was public on {origin_date(origin)}")
            continue
        vintage = found.inputs.vintage.label if found.inputs.vintage else "none held"
        notes.append(
            f"{origin}: nothing to score (only OEWS May {found.inputs.base_year} public, "
            f"projection vintage: {vintage})"
        )
    return RollingBacktest(
        latest_year=rep.latest_year, rows=rep.rows, cells=tuple(cells), notes=tuple(notes)
    )


def _tally(cells: Sequence[Cell], metric: str, other: str) -> dict[str, int]:
    """How often payforce's ``metric`` was above, level with or below ``other``'s."""
    tally = {"better": 0, "equal": 0, "worse": 0}
    for c in cells:
        a, b = c.scores["payforce"][metric].value, c.scores[other][metric].value
        if a is None or b is None:
            continue
        key = "equal" if abs(a - b) < 0.005 else ("better" if a > b else "worse")
        tally[key] += 1
    return tally


def _order(label: str) -> int:
    return {"3y": 0, "5y": 1, "latest": 2}.get(label, 3)
