"""Words for the terminal (and the pages): questions by name, directions, units, freshness."""

from __future__ import annotations

from typing import Any

__all__ = [
    "CONFIDENCE_NOTE",
    "DIRECTION",
    "QUESTION_LEGEND",
    "QUESTION_NAMES",
    "SCORE_NOTE",
    "STALE_AFTER_DAYS",
    "freshness_lines",
    "question_name",
]

QUESTION_NAMES = {
    1: "new code",
    2: "mandate",
    3: "value-based",
    4: "AI code",
    5: "proposed rule",
}
"""The five questions of the method (docs/method.md), named in words."""

QUESTION_LEGEND = (
    "Questions: new code = a billing code newly paid · mandate = a required technology · "
    "value-based = a payment program's quality metrics · AI code = a code for AI-assisted work · "
    "proposed rule = a proposal not yet final."
)
"""One line that explains the question names."""

DIRECTION = {
    "growth": "▲ growth",
    "pressure": "▼ pressure",
    "pivot": "↔ pivot",
    "none": "· none",
}
"""Arrow and word for each outlook direction."""

SCORE_NOTE = (
    "Score = growth minus pressure, in evidence points: each signal adds its weight "
    "(strength × confidence × recency, 0 to 1 each), so +2.0 is about two strong, recent, "
    "well-sourced signals of growth."
)
"""What an outlook score is, in one sentence."""

CONFIDENCE_NOTE = (
    "Confidence, 0 to 1: how sure the evidence is (sources rated high 0.9, medium 0.7, low 0.5), "
    "lower when there are few signals. Method: docs/method.md."
)
"""What an outlook's confidence is, in one sentence."""

STALE_AFTER_DAYS = 30
"""A store whose newest evidence is older than this (vs today or --as-of) gets a warning."""


def question_name(number: int | None) -> str:
    """``new code`` for 1, … ``proposed rule`` for 5."""
    return QUESTION_NAMES.get(number or 0, f"question {number}")


def freshness_lines(freshness: dict[str, Any] | None) -> tuple[str, str | None]:
    """(the statement of the newest evidence date, the warning when the store is stale)."""
    if not freshness or not freshness.get("newest_evidence"):
        return ("The store holds no dated evidence yet; run `payforce init`.", None)
    statement = (
        f"Newest evidence in the store: {freshness['newest_evidence']} "
        f"({freshness['source']}), checked against {freshness['compared_with']}."
    )
    if not freshness.get("stale"):
        return statement, None
    warning = (
        f"Warning: the store may be out of date: its newest evidence is from "
        f"{freshness['newest_evidence']}, {freshness['age_days']} days before "
        f"{freshness['compared_with']}. Run `{freshness['update_with']}` to bring it up to date."
    )
    return statement, warning
