"""From a scorecard to the debrief: top gaps, a 30 / 60 / 90-day plan and the agenda.

Pure functions; ordering is total (ties broken by question id) so reports are stable.

* **Top gaps**: questions by team score, lowest first (unanswered first), must-fix before others
  at equal score. Each names the next level to reach and the evidence to gather.
* **Plan**: 30 days — every failing must-fix gate, raised to its legal minimum; 60 days — the
  questions that block billing the AI codes or automating prior authorization; 90 days — the
  next lowest questions below level 3, one level up. A question appears once, in its earliest
  window.
* **Agenda**: questions by ``gap + 2 × stdev`` (where the team scores low *and* disagrees),
  highest first.
"""

from __future__ import annotations

from dataclasses import dataclass

from payforce.assessment.instrument import Instrument
from payforce.assessment.scoring import QuestionScore, Scorecard, level_of

__all__ = ["AgendaItem", "Gap", "PlanItem", "build_agenda", "build_plan", "top_gaps"]

TOP_GAPS = 8
"""How many gaps the report lists."""
AGENDA_ITEMS = 10
"""How many questions the debrief agenda lists."""
NINETY_DAY_ITEMS = 5
"""How many further gaps the 90-day window takes."""
DEFINED_LEVEL = 3
"""Level 3 (Defined): documented, enterprise-wide, owners named."""


@dataclass(frozen=True)
class Gap:
    """A question below where it should be."""

    question_id: str
    """Question id."""
    title: str
    """Question title."""
    score: float | None
    """Team score."""
    target: int
    """Level to reach next."""
    action: str
    """The target level's description: what 'done' looks like."""
    evidence: tuple[str, ...]
    """Evidence to gather."""
    must_fix_law: str
    """The law, when a failing must-fix gate; else empty."""


@dataclass(frozen=True)
class PlanItem:
    """One step of the 30 / 60 / 90-day plan."""

    window: int
    """30, 60 or 90 (days)."""
    reason: str
    """Why now: ``must-fix``, ``readiness`` or ``gap``."""
    gap: Gap
    """The question, its target and evidence."""


@dataclass(frozen=True)
class AgendaItem:
    """One debrief topic."""

    question_id: str
    """Question id."""
    title: str
    """Question title."""
    score: QuestionScore
    """The team score with its divergence."""
    low: tuple[str, ...]
    """Respondents who gave the lowest level."""
    high: tuple[str, ...]
    """Respondents who gave the highest level."""


def _gap(instrument: Instrument, card: Scorecard, qid: str, target: int | None = None) -> Gap:
    q = instrument.question(qid)
    score = card.question(qid).mean
    failing = next((m for m in card.failing_must_fix if m.question_id == qid), None)
    if target is None:
        target = min(5, level_of(score) + 1)
        if failing is not None:
            target = max(target, failing.min_level)
    return Gap(
        question_id=qid,
        title=q.title,
        score=score,
        target=target,
        action=q.levels[target],
        evidence=q.evidence,
        must_fix_law=failing.law if failing is not None else "",
    )


def _sort_key(card: Scorecard, qid: str) -> tuple[float, int, str]:
    score = card.question(qid).mean
    failing = any(m.question_id == qid for m in card.failing_must_fix)
    return (-1.0 if score is None else score, 0 if failing else 1, qid)


def top_gaps(instrument: Instrument, card: Scorecard, limit: int = TOP_GAPS) -> list[Gap]:
    """The lowest-scoring questions below level 5, with the evidence to gather."""
    ids = [q.question_id for q in card.questions if q.mean is None or q.mean < 5]
    ids.sort(key=lambda qid: _sort_key(card, qid))
    return [_gap(instrument, card, qid) for qid in ids[:limit]]


def build_plan(instrument: Instrument, card: Scorecard) -> list[PlanItem]:
    """The 30 / 60 / 90-day plan (see the module docstring)."""
    items: list[PlanItem] = []
    seen: set[str] = set()
    for m in card.failing_must_fix:
        items.append(PlanItem(30, "must-fix", _gap(instrument, card, m.question_id, m.min_level)))
        seen.add(m.question_id)
    readiness: dict[str, int] = {}
    for r in card.readiness:
        for qid, _score in r.blockers:
            if qid not in seen:
                readiness[qid] = max(readiness.get(qid, 0), r.min_level)
    for qid in sorted(readiness, key=lambda q: _sort_key(card, q)):
        items.append(PlanItem(60, "readiness", _gap(instrument, card, qid, readiness[qid])))
        seen.add(qid)
    rest = [
        q.question_id
        for q in card.questions
        if q.question_id not in seen and (q.mean is None or q.mean < DEFINED_LEVEL)
    ]
    rest.sort(key=lambda qid: _sort_key(card, qid))
    items.extend(
        PlanItem(90, "gap", _gap(instrument, card, qid)) for qid in rest[:NINETY_DAY_ITEMS]
    )
    return items


def build_agenda(
    instrument: Instrument, card: Scorecard, limit: int = AGENDA_ITEMS
) -> list[AgendaItem]:
    """Debrief topics ordered by gap and divergence (``gap + 2 × stdev``), highest first."""
    ranked = sorted(card.questions, key=lambda q: (-round(q.agenda_score, 9), q.question_id))
    out = []
    for q in ranked[:limit]:
        low = tuple(who for who, lvl in q.answers if lvl == q.minimum)
        high = tuple(who for who, lvl in q.answers if lvl == q.maximum) if q.spread else ()
        out.append(
            AgendaItem(q.question_id, instrument.question(q.question_id).title, q, low, high)
        )
    return out
