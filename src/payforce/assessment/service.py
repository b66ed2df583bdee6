"""The assessment's one core, driven by the CLI, the web app and the tests alike.

Every read of an organization's data goes through a token: the admin token for the
organization's view and reports, a respondent token for that respondent's own answer sheet.
An unknown token and another organization's id or assessment look the same: ``NotFoundError``.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from payforce.assessment.instrument import Instrument, validate_level
from payforce.assessment.scoring import (
    Response,
    Scorecard,
    ScorecardChange,
    compare_scorecards,
    score_assessment,
)
from payforce.errors import AssessmentError
from payforce.models import BillingCode
from payforce.store import assessment_tables as tables
from payforce.store.assessment_tables import AssessmentRecord, OrganizationRecord, RespondentRecord
from payforce.store.db import Store

__all__ = [
    "ORG_KINDS",
    "NewAssessment",
    "NotFoundError",
    "ReportData",
    "admin_view",
    "ai_codes",
    "parse_respondent_spec",
    "respondent_notes",
    "respondent_view",
    "start_assessment",
    "submit_answers",
    "team_responses",
]

ORG_KINDS = ("provider", "payer", "both")
"""Kinds of organization."""
DEFAULT_ROLES = ("CEO", "CMO", "CIO", "Compliance", "CNO", "Revenue cycle")
"""Respondents created when none are given."""
MAX_NOTE = 1000
"""Longest note a respondent may attach to one answer (characters)."""


class NotFoundError(AssessmentError):
    """No such organization, assessment or token, or it belongs to someone else (same words)."""

    def __init__(self) -> None:
        super().__init__(
            "assessment: not found (unknown or revoked token)",
            hint="Check the link or token you were given",
        )


@dataclass(frozen=True)
class NewAssessment:
    """A started assessment and the tokens to hand out (shown once; only hashes are kept)."""

    organization: OrganizationRecord
    """The organization."""
    assessment: AssessmentRecord
    """The new assessment round."""
    admin_token: str | None
    """The organization's admin token when the organization was just created, else None."""
    respondents: tuple[tuple[RespondentRecord, str], ...]
    """Each respondent with their token."""


@dataclass(frozen=True)
class ReportData:
    """Everything a report shows, gathered once, rendered three ways."""

    organization: OrganizationRecord
    """The organization."""
    assessment: AssessmentRecord
    """The assessment reported."""
    respondents: tuple[RespondentRecord, ...]
    """Its respondents."""
    scorecard: Scorecard
    """Scores."""
    change: ScorecardChange | None
    """Change since the previous assessment, when there is one."""
    codes: tuple[BillingCode, ...]
    """AI-augmented billing codes from the store (those with an AI category)."""
    notes: tuple[tuple[str, str, str], ...] = ()
    """(question id, respondent label, note) for every non-empty note, by question."""


def parse_respondent_spec(spec: str) -> tuple[str, str]:
    """``ROLE`` or ``ROLE:NAME`` → (role, name)."""
    role, _, name = spec.partition(":")
    if not role.strip():
        raise AssessmentError(
            f"--respondent: role is empty ({spec!r})",
            hint="Use ROLE or ROLE:NAME, e.g. CMO:Dr. Lee",
        )
    return role.strip(), name.strip()


def start_assessment(
    store: Store,
    instrument: Instrument,
    org_name: str,
    *,
    created_at: str,
    respondents: Sequence[tuple[str, str]] = (),
    kind: str = "provider",
    label: str = "",
    admin_token: str | None = None,
) -> NewAssessment:
    """Create the organization (or, with its admin token, reuse it) and a new assessment round."""
    if kind not in ORG_KINDS:
        raise AssessmentError(
            f"--kind: unknown organization kind ({kind!r})",
            hint="Use one of " + ", ".join(ORG_KINDS),
        )
    existing = tables.find_organization(store, org_name)
    new_token: str | None = None
    if existing is None:
        org, new_token = tables.create_organization(store, org_name, kind, created_at)
    else:
        org_for_token = tables.organization_for_token(store, admin_token or "")
        if org_for_token is None or org_for_token.org_id != existing.org_id:
            raise AssessmentError(
                f"organization {existing.name!r}: already exists",
                hint="Pass its admin token with --token to start a new assessment",
            )
        org = existing
    assessment = tables.create_assessment(store, org.org_id, label, instrument.version, created_at)
    people = list(respondents) or [(role, "") for role in DEFAULT_ROLES]
    made = tuple(tables.add_respondent(store, assessment.assessment_id, r, n) for r, n in people)
    return NewAssessment(org, assessment, new_token, made)


def respondent_view(store: Store, token: str) -> tuple[RespondentRecord, dict[str, int]]:
    """A respondent (by their token) and their saved answers."""
    rec = tables.respondent_for_token(store, token)
    if rec is None:
        raise NotFoundError()
    answers = tables.load_answers(store, rec.assessment_id).get(rec.respondent_id, {})
    return rec, answers


def respondent_notes(store: Store, rec: RespondentRecord) -> dict[str, str]:
    """A respondent's saved notes (question id → note); ``rec`` comes from ``respondent_view``."""
    return tables.load_notes(store, rec.assessment_id).get(rec.respondent_id, {})


def submit_answers(
    store: Store,
    instrument: Instrument,
    token: str,
    answers: Mapping[str, object],
    *,
    updated_at: str,
    notes: Mapping[str, str] | None = None,
) -> tuple[RespondentRecord, int]:
    """Validate and save a respondent's answers (blank values are skipped). Returns the count.

    A note travels with its answer (a submission replaces the notes of the questions it
    answers); a note for a question not answered in the same submission is an error.
    Raises ``NotFoundError`` for an unknown token and ``AssessmentError`` naming the question,
    the value and the allowed range for a bad answer; nothing is saved when any answer is bad.
    """
    rec = tables.respondent_for_token(store, token)
    if rec is None:
        raise NotFoundError()
    clean: dict[str, int] = {}
    for qid, value in answers.items():
        if value is None or (isinstance(value, str) and not value.strip()):
            continue
        instrument.question(qid)
        clean[qid] = validate_level(qid, value)
    clean_notes = _clean_notes(instrument, notes or {}, clean)
    saved = tables.save_answers(store, rec.respondent_id, clean, updated_at, clean_notes)
    return rec, saved


def _clean_notes(
    instrument: Instrument, notes: Mapping[str, object], answered: Mapping[str, int]
) -> dict[str, str]:
    out: dict[str, str] = {}
    for qid, raw in notes.items():
        if raw is None:
            continue
        if not isinstance(raw, str):
            raise AssessmentError(f"note {qid}: not text ({raw!r})", hint="Send the note as text")
        text = " ".join(raw.split())
        if not text:
            continue
        instrument.question(qid)
        if qid not in answered:
            raise AssessmentError(
                f"note {qid}: no level given with the note ({text[:40]!r})",
                hint="Choose a level for the question, or leave the note empty",
            )
        if len(text) > MAX_NOTE:
            raise AssessmentError(
                f"note {qid}: too long ({len(text)} characters)",
                hint=f"Keep a note under {MAX_NOTE} characters",
            )
        out[qid] = text
    return out


def team_responses(store: Store, assessment_id: str) -> list[Response]:
    """The respondents' answers as scoring input, in respondent order."""
    answers = tables.load_answers(store, assessment_id)
    return [
        Response(r.label, r.role, answers.get(r.respondent_id, {}))
        for r in tables.list_respondents(store, assessment_id)
    ]


def ai_codes(store: Store) -> tuple[BillingCode, ...]:
    """Billing codes with a CPT Appendix S AI category, by code."""
    from payforce.store.queries import list_codes

    return tuple(c for c in list_codes(store) if c.ai_category)


def admin_view(
    store: Store,
    instrument: Instrument,
    token: str,
    assessment_id: str | None = None,
    org_id: str | None = None,
) -> ReportData:
    """Gather a report for the organization owning ``token``: the given assessment (default the
    latest), its scores, the change since the previous round and the AI codes.

    Another organization's id or assessment id gives ``NotFoundError``, as an unknown token does.
    """
    org = tables.organization_for_token(store, token)
    if org is None or (org_id is not None and org_id != org.org_id):
        raise NotFoundError()
    rounds = tables.list_assessments(store, org.org_id)
    if assessment_id is None:
        if not rounds:
            raise NotFoundError()
        current = rounds[-1]
    else:
        found = tables.get_assessment(store, org.org_id, assessment_id)
        if found is None:
            raise NotFoundError()
        current = found
    card = score_assessment(instrument, team_responses(store, current.assessment_id), org.kind)
    earlier = [a for a in rounds if a.seq < current.seq]
    change = None
    if earlier:
        prev = earlier[-1]
        prev_card = score_assessment(
            instrument, team_responses(store, prev.assessment_id), org.kind
        )
        change = compare_scorecards(card, prev_card, prev.label)
    people = tables.list_respondents(store, current.assessment_id)
    order = {q.id: i for i, q in enumerate(instrument.questions)}
    raw_notes = tables.load_notes(store, current.assessment_id)
    notes = sorted(
        (order[qid], r.seq, qid, r.label, note)
        for r in people
        for qid, note in raw_notes.get(r.respondent_id, {}).items()
        if qid in order
    )
    return ReportData(
        organization=org,
        assessment=current,
        respondents=tuple(people),
        scorecard=card,
        change=change,
        codes=ai_codes(store),
        notes=tuple((qid, who, note) for _o, _s, qid, who, note in notes),
    )
