"""Score a team assessment: per question, per domain, overall, with must-fix gates.

Pure functions over the instrument and the respondents' answers (no I/O). The method:

* **Question**: the team score is the mean of the respondents' levels (0 counts: "not in place
  or unknown" is a finding). Divergence is the range (max - min) and the population standard
  deviation of the levels. A question nobody answered has no score.
* **Domain**: the mean of its answered question scores. **Overall**: the mean of the domain
  scores (each domain weighs the same, as each certification area does).
* **Must-fix gate**: a must-fix question fails when its team score is below its ``min_level``
  or nobody answered it (gates that bind only payers or only providers do not apply to the
  other kind of organization). Any failure makes the status ``blocked`` and caps the overall score,
  and the score of the domain holding the question, at the instrument's ``must_fix_cap``, so a
  high average cannot hide a legal gap. Raw (uncapped) scores are kept beside the capped ones.
* **Maturity level**: the whole part of a score (3.7 → 3 Defined).
* **Readiness**: a billing or operations requirement is ready when each of its questions
  reaches the requirement's level; the questions below it are the gaps in the way.

The method is written out in ``docs/assessment.md``; tests pin it.
"""

from __future__ import annotations

import math
import statistics
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from payforce.assessment.instrument import Instrument, validate_level

__all__ = [
    "STATUS_BLOCKED",
    "STATUS_CLEAR",
    "DomainChange",
    "DomainScore",
    "MustFixResult",
    "QuestionScore",
    "RequirementResult",
    "Response",
    "Scorecard",
    "ScorecardChange",
    "compare_scorecards",
    "level_of",
    "score_assessment",
]

STATUS_BLOCKED = "blocked"
"""At least one must-fix gate fails: scores are capped."""
STATUS_CLEAR = "clear"
"""Every must-fix gate passes."""
DIVERGENCE_WEIGHT = 2.0
"""Weight of the standard deviation in the debrief agenda score (gap + weight × stdev)."""


@dataclass(frozen=True)
class Response:
    """One respondent's answers."""

    respondent: str
    """Who answered (a label such as ``CMO`` or ``CMO - Dr. Lee``)."""
    role: str
    """Leadership role (CEO, CMO, CIO, compliance, nursing, revenue cycle, …)."""
    answers: Mapping[str, int]
    """Question id → level 0-5; unanswered questions are absent."""


@dataclass(frozen=True)
class QuestionScore:
    """The team's score on one question, with its divergence."""

    question_id: str
    """Question id."""
    domain: str
    """Domain id."""
    mean: float | None
    """Mean level across respondents; None if nobody answered."""
    minimum: int | None
    """Lowest level given."""
    maximum: int | None
    """Highest level given."""
    spread: int
    """Range: maximum - minimum (0 with fewer than two answers)."""
    stdev: float
    """Population standard deviation of the levels."""
    count: int
    """How many respondents answered."""
    unknown: int
    """How many answered 0 (not in place or unknown)."""
    answers: tuple[tuple[str, int], ...]
    """(respondent, level) pairs, in respondent order."""

    @property
    def gap(self) -> float:
        """Distance to level 5 (5.0 when unanswered)."""
        return 5.0 if self.mean is None else 5.0 - self.mean

    @property
    def agenda_score(self) -> float:
        """Debrief priority: gap + DIVERGENCE_WEIGHT × stdev."""
        return self.gap + DIVERGENCE_WEIGHT * self.stdev


@dataclass(frozen=True)
class MustFixResult:
    """One must-fix gate."""

    question_id: str
    """Question id."""
    law: str
    """The law that makes it a must-fix."""
    min_level: int
    """Level needed to pass."""
    score: float | None
    """Team score (None if unanswered)."""
    passed: bool
    """True when the team score reaches ``min_level``, or when the gate does not apply."""
    applicable: bool = True
    """False when the duty falls on the other side (e.g. a payer duty for a provider)."""


@dataclass(frozen=True)
class DomainScore:
    """One domain's score."""

    domain_id: str
    """Domain id."""
    name: str
    """Domain name."""
    raw: float | None
    """Mean of answered question scores, before any cap."""
    score: float | None
    """Score after the must-fix cap."""
    level: int
    """Maturity level of ``score`` (0-5)."""
    answered: int
    """Questions with at least one answer."""
    total: int
    """Questions in the domain."""
    failing_must_fix: tuple[str, ...]
    """Must-fix questions in this domain that fail their gate."""

    @property
    def capped(self) -> bool:
        """True when the must-fix cap lowered the score."""
        return self.raw is not None and self.score is not None and self.score < self.raw


@dataclass(frozen=True)
class RequirementResult:
    """A billing or operations readiness requirement and what stands in its way."""

    area: str
    """Readiness area id (``ai_codes`` or ``prior_auth``)."""
    requirement: str
    """Requirement id."""
    label: str
    """What must be true."""
    min_level: int
    """Level each question must reach."""
    ready: bool
    """True when every question reaches ``min_level``."""
    blockers: tuple[tuple[str, float | None], ...]
    """(question id, team score) of the questions below ``min_level``."""


@dataclass(frozen=True)
class Scorecard:
    """A scored team assessment."""

    instrument_version: str
    """Version of the instrument the answers were given to."""
    respondents: tuple[str, ...]
    """Respondent labels, in order."""
    questions: tuple[QuestionScore, ...]
    """Per-question scores, in instrument order."""
    domains: tuple[DomainScore, ...]
    """Per-domain scores, in instrument order."""
    overall_raw: float | None
    """Mean of the raw domain scores."""
    overall: float | None
    """Overall score after the must-fix cap."""
    level: int
    """Maturity level of ``overall``."""
    status: str
    """``blocked`` or ``clear``."""
    must_fix: tuple[MustFixResult, ...]
    """Every must-fix gate, in instrument order."""
    readiness: tuple[RequirementResult, ...]
    """Billing and operations readiness."""
    completion: float
    """Share of (respondent, question) pairs answered, 0-1."""

    def question(self, question_id: str) -> QuestionScore:
        """Score of one question."""
        return next(q for q in self.questions if q.question_id == question_id)

    @property
    def failing_must_fix(self) -> tuple[MustFixResult, ...]:
        """Must-fix gates that fail."""
        return tuple(m for m in self.must_fix if not m.passed)


def level_of(score: float | None) -> int:
    """Maturity level of a score: its whole part, 0 for no score."""
    if score is None:
        return 0
    return max(0, min(5, math.floor(score + 1e-9)))


def _reaches(score: float | None, level: int) -> bool:
    """True when a score reaches a level (tolerant of float rounding); None never does."""
    return score is not None and score + 1e-9 >= level


def _mean(values: Sequence[float]) -> float | None:
    return sum(values) / len(values) if values else None


def _question_score(qid: str, domain: str, responses: Sequence[Response]) -> QuestionScore:
    given = [
        (r.respondent, validate_level(qid, r.answers[qid])) for r in responses if qid in r.answers
    ]
    levels = [lvl for _, lvl in given]
    return QuestionScore(
        question_id=qid,
        domain=domain,
        mean=_mean(levels),
        minimum=min(levels) if levels else None,
        maximum=max(levels) if levels else None,
        spread=(max(levels) - min(levels)) if levels else 0,
        stdev=statistics.pstdev(levels) if len(levels) > 1 else 0.0,
        count=len(levels),
        unknown=sum(1 for lvl in levels if lvl == 0),
        answers=tuple(given),
    )


def score_assessment(
    instrument: Instrument, responses: Sequence[Response], kind: str = "both"
) -> Scorecard:
    """Score a team's answers to ``instrument`` (see the module docstring for the method).

    ``kind`` (``provider``, ``payer`` or ``both``) decides which must-fix gates apply; a gate
    that does not apply is reported with ``applicable=False`` and never blocks.

    Raises ``AssessmentError`` for an unknown question id or a level outside 0-5.
    """
    for r in responses:
        for qid in r.answers:
            instrument.question(qid)
    qscores = {q.id: _question_score(q.id, q.domain, responses) for q in instrument.questions}
    must_fix = []
    for q in instrument.must_fix_questions:
        assert q.must_fix is not None
        mean = qscores[q.id].mean
        applicable = q.must_fix.applies(kind)
        passed = _reaches(mean, q.must_fix.min_level) or not applicable
        must_fix.append(
            MustFixResult(q.id, q.must_fix.law, q.must_fix.min_level, mean, passed, applicable)
        )
    failing = {m.question_id for m in must_fix if not m.passed}
    cap = instrument.must_fix_cap
    domains = []
    for d in instrument.domains:
        means = [m for qid in d.question_ids if (m := qscores[qid].mean) is not None]
        raw = _mean(means)
        fails = tuple(qid for qid in d.question_ids if qid in failing)
        score = min(raw, cap) if (raw is not None and fails) else raw
        domains.append(
            DomainScore(
                domain_id=d.id,
                name=d.name,
                raw=raw,
                score=score,
                level=level_of(score),
                answered=len(means),
                total=len(d.question_ids),
                failing_must_fix=fails,
            )
        )
    overall_raw = _mean([d.raw for d in domains if d.raw is not None])
    status = STATUS_BLOCKED if failing else STATUS_CLEAR
    overall = overall_raw
    if overall is not None and failing:
        overall = min(overall, cap)
    readiness = []
    for area in instrument.readiness:
        for req in area.requirements:
            blockers = tuple(
                (qid, qscores[qid].mean)
                for qid in req.question_ids
                if not _reaches(qscores[qid].mean, req.min_level)
            )
            readiness.append(
                RequirementResult(area.id, req.id, req.label, req.min_level, not blockers, blockers)
            )
    pairs = len(responses) * len(instrument.questions)
    answered = sum(q.count for q in qscores.values())
    return Scorecard(
        instrument_version=instrument.version,
        respondents=tuple(r.respondent for r in responses),
        questions=tuple(qscores[q.id] for q in instrument.questions),
        domains=tuple(domains),
        overall_raw=overall_raw,
        overall=overall,
        level=level_of(overall),
        status=status,
        must_fix=tuple(must_fix),
        readiness=tuple(readiness),
        completion=(answered / pairs) if pairs else 0.0,
    )


@dataclass(frozen=True)
class DomainChange:
    """How one domain moved since the previous assessment."""

    domain_id: str
    """Domain id."""
    previous: float | None
    """Previous (capped) score."""
    current: float | None
    """Current (capped) score."""

    @property
    def delta(self) -> float | None:
        """current - previous, when both exist."""
        if self.previous is None or self.current is None:
            return None
        return self.current - self.previous


@dataclass(frozen=True)
class ScorecardChange:
    """The change between two assessments of one organization."""

    previous_label: str
    """Label of the previous assessment."""
    overall_previous: float | None
    """Previous overall score."""
    overall_current: float | None
    """Current overall score."""
    status_previous: str
    """Previous status."""
    domains: tuple[DomainChange, ...]
    """Per-domain change."""
    cleared: tuple[str, ...]
    """Must-fix questions that failed before and pass now."""
    new_failures: tuple[str, ...]
    """Must-fix questions that passed before and fail now."""

    @property
    def overall_delta(self) -> float | None:
        """Overall current - previous, when both exist."""
        if self.overall_previous is None or self.overall_current is None:
            return None
        return self.overall_current - self.overall_previous


def compare_scorecards(
    current: Scorecard, previous: Scorecard, previous_label: str
) -> ScorecardChange:
    """Compare two scorecards of the same organization (domains matched by id)."""
    prev_domains = {d.domain_id: d.score for d in previous.domains}
    prev_fail = {m.question_id for m in previous.failing_must_fix}
    cur_fail = {m.question_id for m in current.failing_must_fix}
    prev_gates = {m.question_id for m in previous.must_fix}
    return ScorecardChange(
        previous_label=previous_label,
        overall_previous=previous.overall,
        overall_current=current.overall,
        status_previous=previous.status,
        domains=tuple(
            DomainChange(d.domain_id, prev_domains.get(d.domain_id), d.score)
            for d in current.domains
        ),
        cleared=tuple(
            m.question_id for m in current.must_fix if m.passed and m.question_id in prev_fail
        ),
        new_failures=tuple(
            qid for qid in sorted(cur_fail) if qid in prev_gates and qid not in prev_fail
        ),
    )
