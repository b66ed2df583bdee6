"""Outlook: a role's signals aggregated as of a date (the formula is in docs/method.md).

    weight_i   = strength_i × confidence_i × 0.5 ** (age_i / HALF_LIFE_DAYS)
    growth     = Σ weight_i over growth signals      (pressure, pivot likewise)
    score      = growth − pressure
    direction  = none      if there are no signals
                 pivot     if pivot > |score|
                 growth    if score ≥ 0, else pressure
    confidence = (Σ weight_i / Σ strength_i × recency_i) × (1 − 0.5 ** n)

``age_i`` is the days from the signal's publication to ``as_of``.
"""

from __future__ import annotations

from datetime import date

from payforce.knowledge import Knowledge
from payforce.models import Outlook, Role, Signal
from payforce.signals import detect_all
from payforce.signals.base import load_evidence
from payforce.store.db import Store

__all__ = ["HALF_LIFE_DAYS", "aggregate", "compute_outlooks", "recency"]

HALF_LIFE_DAYS = 4 * 365.25
"""A signal's weight halves every four years."""


def recency(signal: Signal, as_of: date) -> float:
    """0..1 decay by the signal's age at ``as_of``."""
    age = max(0, (as_of - signal.published).days)
    return float(0.5 ** (age / HALF_LIFE_DAYS))


def aggregate(role: Role, signals: list[Signal], as_of: date) -> Outlook:
    """One role's outlook from its signals."""
    weighted = []
    for s in signals:
        r = recency(s, as_of)
        weighted.append((s.strength * s.confidence * r, s.strength * r, s))
    weighted.sort(key=lambda t: (-t[0], t[2].published, t[2].subject))
    totals = {"growth": 0.0, "pressure": 0.0, "pivot": 0.0}
    for w, _, s in weighted:
        totals[s.direction] += w
    score = totals["growth"] - totals["pressure"]
    if not weighted:
        direction = "none"
    elif totals["pivot"] > abs(score):
        direction = "pivot"
    else:
        direction = "growth" if score >= 0 else "pressure"
    denom = sum(sr for _, sr, _ in weighted)
    confidence = (
        (sum(w for w, _, _ in weighted) / denom) * (1 - 0.5 ** len(weighted)) if denom else 0.0
    )
    return Outlook(
        role=role.key,
        title=role.title,
        as_of=as_of,
        direction=direction,
        score=round(score, 4),
        growth=round(totals["growth"], 4),
        pressure=round(totals["pressure"], 4),
        pivot=round(totals["pivot"], 4),
        confidence=round(confidence, 4),
        signals=tuple(s for _, _, s in weighted),
        weights=tuple(round(w, 6) for w, _, _ in weighted),
    )


def compute_outlooks(
    store: Store, as_of: date, knowledge: Knowledge | None = None, role: str | None = None
) -> list[Outlook]:
    """Every role's outlook as of ``as_of`` (or one role's), highest score first."""
    ev = load_evidence(store, as_of, knowledge)
    signals = detect_all(ev)
    by_role: dict[str, list[Signal]] = {}
    for s in signals:
        by_role.setdefault(s.role, []).append(s)
    roles = [ev.roles[role]] if role is not None else list(ev.roles.values())
    outlooks = [aggregate(r, by_role.get(r.key, []), as_of) for r in roles]
    outlooks.sort(key=lambda o: (-o.score, -o.pivot, o.role))
    return outlooks
