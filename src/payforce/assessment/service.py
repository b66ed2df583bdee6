"""The assessment's one core, driven by the CLI, the web app and the tests alike.

Every read of an organization's data goes through a token: the admin token for the
organization's view and reports, a respondent token for that respondent's own answer sheet.
An unknown token and another organization's id or assessment look the same: ``NotFoundError``.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from sqlalchemy.exc import IntegrityError

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
from payforce.store import assessment_tokens as tokens
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
    "reissue_respondent",
    "respondent_notes",
    "respondent_view",
    "revoke_respondent",
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
    people = list(respondents) or [(role, "") for role in DEFAULT_ROLES]
    for role, name in people:  # every value checked before anything is written
        tables.check_length("respondent role", role.strip(), tables.MAX_ROLE)
        tables.check_length("respondent name", name.strip(), tables.MAX_PERSON)
    tables.check_length("--label", label, tables.MAX_LABEL)
    tables.check_length("organization", org_name.strip(), tables.MAX_ORG_NAME)
    existing = tables.find_organization(store, org_name)
    if existing is not None:
        org_for_token = tables.organization_for_token(store, admin_token or "")
        if org_for_token is None or org_for_token.org_id != existing.org_id:
            raise AssessmentError(
                f"organization {existing.name!r}: already exists",
                hint="Pass its admin token with --token to start a new assessment",
            )
    try:
        return _create_round(store, instrument, org_name, existing, people, kind, label, created_at)
    except IntegrityError as exc:  # another process created the same organization just now
        raise AssessmentError(
            f"organization {org_name.strip()!r}: already exists",
            hint="Pass its admin token with --token to start a new assessment",
        ) from exc


def _create_round(
    store: Store,
    instrument: Instrument,
    org_name: str,
    existing: OrganizationRecord | None,
    people: Sequence[tuple[str, str]],
    kind: str,
    label: str,
    created_at: str,
) -> NewAssessment:
    new_token: str | None = None
    with store.begin() as conn:  # one transaction: all of it, or nothing (no orphan org)
        if existing is None:
            org, new_token = tables.create_organization(
                store, org_name, kind, created_at, conn=conn
            )
        else:
            org = existing
        assessment = tables.create_assessment(
            store, org.org_id, label, instrument.version, created_at, conn=conn
        )
        made = tuple(
            tables.add_respondent(store, assessment.assessment_id, r, n, conn=conn)
            for r, n in people
        )
    return NewAssessment(org, assessment, new_token, made)


def _find_respondent(store: Store, admin_token: str, who: str) -> tuple[str, RespondentRecord]:
    """(org id, respondent) for an admin token and a respondent id or role (latest round)."""
    org = tables.organization_for_token(store, admin_token)
    if org is None:
        raise NotFoundError()
    rounds = tables.list_assessments(store, org.org_id)
    people = [r for a in rounds for r in tables.list_respondents(store, a.assessment_id)]
    by_id = [r for r in people if r.respondent_id == who]
    if by_id:
        return org.org_id, by_id[0]
    latest = rounds[-1].assessment_id if rounds else ""
    by_role = [
        r
        for r in people
        if r.assessment_id == latest
        and who.strip().casefold() in (r.role.casefold(), r.label.casefold())
    ]
    if len(by_role) == 1:
        return org.org_id, by_role[0]
    choices = ", ".join(
        f"{r.respondent_id} ({r.label})" for r in people if r.assessment_id == latest
    )
    raise AssessmentError(
        f"respondent {who!r}: {'not found' if not by_role else 'more than one match'}",
        hint=f"Give a respondent id: {choices}" if choices else None,
    )


def revoke_respondent(store: Store, admin_token: str, who: str) -> RespondentRecord:
    """Stop a respondent's link from working (answers are kept). ``who``: id or role."""
    org_id, rec = _find_respondent(store, admin_token, who)
    if not tokens.revoke_token(store, org_id, rec.respondent_id):
        raise NotFoundError()
    return rec


def reissue_respondent(store: Store, admin_token: str, who: str) -> tuple[RespondentRecord, str]:
    """Give a respondent a new link (the old one stops working); returns the new token."""
    org_id, rec = _find_respondent(store, admin_token, who)
    token = tokens.reissue_token(store, org_id, rec.respondent_id)
    if token is None:
        raise NotFoundError()
    return rec, token


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
