"""Scores of a forecast against what happened: Spearman, correct calls, MAE, Brier; bootstrap CIs.

All take parallel sequences (one item per occupation series). A *call* is the sign of a
predicted change relative to all occupations: faster (> 0) or slower (≤ 0).
"""

from __future__ import annotations

import math
import random
from collections.abc import Callable, Sequence
from dataclasses import dataclass

__all__ = [
    "BOOTSTRAP_REPS",
    "BOOTSTRAP_SEED",
    "Interval",
    "bootstrap",
    "brier",
    "correct_calls",
    "mean_absolute_error",
    "normal_cdf",
    "ranks",
    "spearman",
]

BOOTSTRAP_REPS = 400
"""Resamples of the series for each interval."""
BOOTSTRAP_SEED = 20151231
"""Fixed seed: the same run gives the same intervals."""


def ranks(values: Sequence[float]) -> list[float]:
    """Ranks 1..n, ties given their average rank."""
    order = sorted(range(len(values)), key=values.__getitem__)
    out = [0.0] * len(values)
    i = 0
    while i < len(order):
        j = i
        while j + 1 < len(order) and values[order[j + 1]] == values[order[i]]:
            j += 1
        avg = (i + j) / 2 + 1
        for k in range(i, j + 1):
            out[order[k]] = avg
        i = j + 1
    return out


def _pearson(x: Sequence[float], y: Sequence[float]) -> float | None:
    n = len(x)
    if n < 3:
        return None
    mx, my = sum(x) / n, sum(y) / n
    sxy = sum((a - mx) * (b - my) for a, b in zip(x, y, strict=True))
    sxx = sum((a - mx) ** 2 for a in x)
    syy = sum((b - my) ** 2 for b in y)
    if sxx <= 0 or syy <= 0:
        return None
    return sxy / math.sqrt(sxx * syy)


def spearman(predicted: Sequence[float], realised: Sequence[float]) -> float | None:
    """Spearman rank correlation (Pearson on average ranks); None when a side is constant."""
    return _pearson(ranks(predicted), ranks(realised))


def correct_calls(predicted: Sequence[float], realised: Sequence[float]) -> float | None:
    """Share of series whose faster/slower-than-all-occupations call came true."""
    if not predicted:
        return None
    hits = sum(1 for p, r in zip(predicted, realised, strict=True) if (p > 0) == (r > 0))
    return hits / len(predicted)


def mean_absolute_error(predicted: Sequence[float], realised: Sequence[float]) -> float | None:
    """Mean |predicted − realised|, in the units given (percentage points)."""
    if not predicted:
        return None
    return sum(abs(p - r) for p, r in zip(predicted, realised, strict=True)) / len(predicted)


def brier(probabilities: Sequence[float], realised: Sequence[float]) -> float | None:
    """Mean squared error of P(outpace) against the outcome (1 outpaced, 0 lagged)."""
    if not probabilities:
        return None
    return sum(
        (p - (1.0 if r > 0 else 0.0)) ** 2 for p, r in zip(probabilities, realised, strict=True)
    ) / len(probabilities)


def normal_cdf(z: float) -> float:
    """Standard normal distribution function."""
    return 0.5 * (1.0 + math.erf(z / math.sqrt(2.0)))


@dataclass(frozen=True)
class Interval:
    """A point estimate with its bootstrap 95 % interval."""

    value: float | None
    """On all series."""
    low: float | None
    """2.5th percentile over resamples."""
    high: float | None
    """97.5th percentile over resamples."""

    def to_dict(self) -> dict[str, float | None]:
        """JSON-ready form (4 decimals)."""

        def r(v: float | None) -> float | None:
            return None if v is None else round(v, 4)

        return {"value": r(self.value), "low": r(self.low), "high": r(self.high)}


def bootstrap(
    metric: Callable[[Sequence[float], Sequence[float]], float | None],
    predicted: Sequence[float],
    realised: Sequence[float],
    reps: int = BOOTSTRAP_REPS,
    seed: int = BOOTSTRAP_SEED,
) -> Interval:
    """The metric on all series and its percentile interval over series resampled with
    replacement (fixed seed)."""
    value = metric(predicted, realised)
    n = len(predicted)
    if value is None or n < 3:
        return Interval(value, None, None)
    rng = random.Random(seed)
    idx = range(n)
    draws = []
    for _ in range(reps):
        pick = rng.choices(idx, k=n)
        v = metric([predicted[i] for i in pick], [realised[i] for i in pick])
        if v is not None:
            draws.append(v)
    if not draws:
        return Interval(value, None, None)
    draws.sort()
    lo = draws[int(0.025 * (len(draws) - 1))]
    hi = draws[int(math.ceil(0.975 * (len(draws) - 1)))]
    return Interval(value, lo, hi)
