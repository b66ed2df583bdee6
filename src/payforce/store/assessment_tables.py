"""Tables and queries of the AI-governance readiness assessment (organizations, assessments,
respondents, answers).

Tenancy: an organization's data is reached only through its tokens. The admin token belongs to
the organization; each respondent has a token of their own (their form link). Tokens are random
(``secrets.token_urlsafe``) and stored only as their SHA-256 hex digest; a lookup finds the row by
digest and confirms it with ``hmac.compare_digest``. Answers upsert on (respondent, question), one
transaction per submission, so respondents submitting at once never overwrite each other.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

from sqlalchemy import (
    Column,
    Connection,
    ForeignKey,
    Integer,
    RowMapping,
    Select,
    String,
    Table,
    Text,
    UniqueConstraint,
    func,
    select,
)

from payforce.errors import AssessmentError
from payforce.store import schema
from payforce.store.db import Store, upsert_rows

__all__ = [
    "AssessmentRecord",
    "OrganizationRecord",
    "RespondentRecord",
    "add_respondent",
    "create_assessment",
    "create_organization",
    "find_organization",
    "get_assessment",
    "get_organization",
    "hash_token",
    "list_assessments",
    "list_respondents",
    "load_answers",
    "load_notes",
    "organization_for_token",
    "respondent_for_token",
    "save_answers",
]

assess_organizations = Table(
    "assess_organizations",
    schema.metadata,
    Column("org_id", String(40), primary_key=True),
    Column("name", String(200), nullable=False, unique=True),
    Column("kind", String(40), nullable=False, default="provider"),
    Column("admin_token_hash", String(64), nullable=False, unique=True),
    Column("created_at", String(40), nullable=False),
)

assess_assessments = Table(
    "assess_assessments",
    schema.metadata,
    Column("assessment_id", String(40), primary_key=True),
    Column(
        "org_id", String(40), ForeignKey("assess_organizations.org_id"), nullable=False, index=True
    ),
    Column("seq", Integer, nullable=False),
    Column("label", String(200), nullable=False),
    Column("instrument_version", String(40), nullable=False),
    Column("created_at", String(40), nullable=False),
    UniqueConstraint("org_id", "seq", name="uq_assess_assessments_org_seq"),
)

assess_respondents = Table(
    "assess_respondents",
    schema.metadata,
    Column("respondent_id", String(40), primary_key=True),
    Column(
        "assessment_id",
        String(40),
        ForeignKey("assess_assessments.assessment_id"),
        nullable=False,
        index=True,
    ),
    Column("seq", Integer, nullable=False),
    Column("role", String(100), nullable=False),
    Column("name", String(200), nullable=False, default=""),
    Column("token_hash", String(64), nullable=False, unique=True),
)

assess_answers = Table(
    "assess_answers",
    schema.metadata,
    Column(
        "respondent_id",
        String(40),
        ForeignKey("assess_respondents.respondent_id"),
        primary_key=True,
    ),
    Column("question_id", String(10), primary_key=True),
    Column("level", Integer, nullable=False),
    Column("note", Text, nullable=False, default=""),
    Column("updated_at", String(40), nullable=False),
)


@dataclass(frozen=True)
class OrganizationRecord:
    """An organization taking the assessment."""

    org_id: str
    """Random id (``org_…``); not a secret, never enough to read data."""
    name: str
    """Organization name, unique."""
    kind: str
    """``provider``, ``payer`` or ``both``."""
    created_at: str
    """ISO timestamp."""


@dataclass(frozen=True)
class AssessmentRecord:
    """One round of the assessment for an organization."""

    assessment_id: str
    """Random id (``asm_…``)."""
    org_id: str
    """Owning organization."""
    seq: int
    """1 for the first assessment of the organization, then 2, 3 …"""
    label: str
    """Readable label, e.g. ``2026 Q3``."""
    instrument_version: str
    """Instrument version answered."""
    created_at: str
    """ISO timestamp."""


@dataclass(frozen=True)
class RespondentRecord:
    """One leader answering for the organization."""

    respondent_id: str
    """Random id (``rsp_…``)."""
    assessment_id: str
    """The assessment answered."""
    org_id: str
    """Owning organization."""
    seq: int
    """Order of the respondent within the assessment."""
    role: str
    """Leadership role, e.g. ``CMO``."""
    name: str
    """Optional person's name."""

    @property
    def label(self) -> str:
        """``role`` or ``role - name``."""
        return f"{self.role} - {self.name}" if self.name else self.role


MAX_ORG_NAME = 200
MAX_ROLE = 100
MAX_PERSON = 200
MAX_LABEL = 200
"""Longest organization name, respondent role, person's name and round label (the column sizes,
checked before writing so SQLite and PostgreSQL refuse the same values in the same words)."""


def check_length(what: str, value: str, limit: int) -> str:
    """``value`` when it fits its column; else an ``AssessmentError`` naming it."""
    if len(value) > limit:
        raise AssessmentError(
            f"{what}: too long ({len(value)} characters, {value[:30]!r}…)",
            hint=f"Keep it to {limit} characters",
        )
    return value


@contextmanager
def _tx(store: Store, conn: Connection | None) -> Iterator[Connection]:
    """The caller's transaction when given (so several writes commit together), else a new one."""
    if conn is not None:
        yield conn
        return
    with store.begin() as new:
        yield new


def hash_token(token: str) -> str:
    """SHA-256 hex digest of a token (what is stored)."""
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def _new_token() -> tuple[str, str]:
    token = secrets.token_urlsafe(24)
    return token, hash_token(token)


def _new_id(prefix: str) -> str:
    return f"{prefix}_{secrets.token_hex(8)}"


def _org(m: RowMapping) -> OrganizationRecord:
    return OrganizationRecord(
        str(m["org_id"]), str(m["name"]), str(m["kind"]), str(m["created_at"])
    )


def _assessment(m: RowMapping) -> AssessmentRecord:
    return AssessmentRecord(
        str(m["assessment_id"]),
        str(m["org_id"]),
        int(str(m["seq"])),
        str(m["label"]),
        str(m["instrument_version"]),
        str(m["created_at"]),
    )


def create_organization(
    store: Store, name: str, kind: str, created_at: str, *, conn: Connection | None = None
) -> tuple[OrganizationRecord, str]:
    """Create an organization; returns it and its admin token (shown once, stored hashed)."""
    name = name.strip()
    if not name:
        raise AssessmentError(
            "organization: name is empty ('')", hint="Give the organization a name"
        )
    check_length("organization", name, MAX_ORG_NAME)
    if find_organization(store, name) is not None:
        raise AssessmentError(
            f"organization {name!r}: already exists",
            hint="Pass its admin token with --token to start a new assessment",
        )
    token, digest = _new_token()
    org = OrganizationRecord(_new_id("org"), name, kind, created_at)
    with _tx(store, conn) as tx:
        tx.execute(
            assess_organizations.insert(),
            {
                "org_id": org.org_id,
                "name": name,
                "kind": kind,
                "admin_token_hash": digest,
                "created_at": created_at,
            },
        )
    return org, token


def find_organization(store: Store, name: str) -> OrganizationRecord | None:
    """The organization with this exact name, if any (for the local CLI only)."""
    t = assess_organizations
    with store.connect() as conn:
        row = conn.execute(select(t).where(t.c.name == name.strip())).first()
    return None if row is None else _org(row._mapping)


def get_organization(store: Store, org_id: str) -> OrganizationRecord | None:
    """The organization with this id (callers must already hold one of its tokens)."""
    t = assess_organizations
    with store.connect() as conn:
        row = conn.execute(select(t).where(t.c.org_id == org_id)).first()
    return None if row is None else _org(row._mapping)


def organization_for_token(store: Store, token: str) -> OrganizationRecord | None:
    """The organization whose admin token this is; None for any other token."""
    if not token:
        return None
    digest = hash_token(token)
    t = assess_organizations
    with store.connect() as conn:
        row = conn.execute(select(t).where(t.c.admin_token_hash == digest)).first()
    if row is None or not hmac.compare_digest(str(row._mapping["admin_token_hash"]), digest):
        return None
    return _org(row._mapping)


def create_assessment(
    store: Store,
    org_id: str,
    label: str,
    instrument_version: str,
    created_at: str,
    *,
    conn: Connection | None = None,
) -> AssessmentRecord:
    """Start a new assessment round for an organization."""
    t = assess_assessments
    check_length("--label", label, MAX_LABEL)
    with _tx(store, conn) as conn:
        seq = (
            int(
                conn.execute(
                    select(func.coalesce(func.max(t.c.seq), 0)).where(t.c.org_id == org_id)
                ).scalar_one()
            )
            + 1
        )
        rec = AssessmentRecord(
            _new_id("asm"),
            org_id,
            seq,
            label or f"Assessment {seq}",
            instrument_version,
            created_at,
        )
        conn.execute(
            t.insert(),
            {
                "assessment_id": rec.assessment_id,
                "org_id": org_id,
                "seq": seq,
                "label": rec.label,
                "instrument_version": instrument_version,
                "created_at": created_at,
            },
        )
    return rec


def list_assessments(store: Store, org_id: str) -> list[AssessmentRecord]:
    """The organization's assessments, oldest first."""
    t = assess_assessments
    with store.connect() as conn:
        rows = conn.execute(select(t).where(t.c.org_id == org_id).order_by(t.c.seq)).all()
    return [_assessment(r._mapping) for r in rows]


def get_assessment(store: Store, org_id: str, assessment_id: str) -> AssessmentRecord | None:
    """One assessment, only if it belongs to ``org_id`` (otherwise None, like a missing one)."""
    t = assess_assessments
    with store.connect() as conn:
        row = conn.execute(
            select(t).where(t.c.assessment_id == assessment_id, t.c.org_id == org_id)
        ).first()
    return None if row is None else _assessment(row._mapping)


def add_respondent(
    store: Store,
    assessment_id: str,
    role: str,
    name: str = "",
    *,
    conn: Connection | None = None,
) -> tuple[RespondentRecord, str]:
    """Add a respondent to an assessment; returns it and its token (shown once, stored hashed)."""
    role = role.strip()
    if not role:
        raise AssessmentError(
            "respondent: role is empty ('')", hint="Give a role such as CMO or CIO"
        )
    check_length("respondent role", role, MAX_ROLE)
    check_length("respondent name", name.strip(), MAX_PERSON)
    token, digest = _new_token()
    ta, tr = assess_assessments, assess_respondents
    with _tx(store, conn) as conn:
        org_id = conn.execute(
            select(ta.c.org_id).where(ta.c.assessment_id == assessment_id)
        ).scalar()
        if org_id is None:
            raise AssessmentError(f"assessment {assessment_id!r}: not found")
        seq = (
            int(
                conn.execute(
                    select(func.coalesce(func.max(tr.c.seq), 0)).where(
                        tr.c.assessment_id == assessment_id
                    )
                ).scalar_one()
            )
            + 1
        )
        rec = RespondentRecord(_new_id("rsp"), assessment_id, str(org_id), seq, role, name.strip())
        conn.execute(
            tr.insert(),
            {
                "respondent_id": rec.respondent_id,
                "assessment_id": assessment_id,
                "seq": seq,
                "role": role,
                "name": rec.name,
                "token_hash": digest,
            },
        )
    return rec, token


def _respondent_query() -> Select[Any]:
    ta, tr = assess_assessments, assess_respondents
    return select(tr, ta.c.org_id).join(ta, ta.c.assessment_id == tr.c.assessment_id)


def _respondent(m: RowMapping) -> RespondentRecord:
    return RespondentRecord(
        str(m["respondent_id"]),
        str(m["assessment_id"]),
        str(m["org_id"]),
        int(str(m["seq"])),
        str(m["role"]),
        str(m["name"]),
    )


def respondent_for_token(store: Store, token: str) -> RespondentRecord | None:
    """The respondent whose token this is; None for any other token."""
    if not token:
        return None
    digest = hash_token(token)
    tr = assess_respondents
    with store.connect() as conn:
        row = conn.execute(_respondent_query().where(tr.c.token_hash == digest)).first()
    if row is None or not hmac.compare_digest(str(row._mapping["token_hash"]), digest):
        return None
    return _respondent(row._mapping)


def list_respondents(store: Store, assessment_id: str) -> list[RespondentRecord]:
    """Respondents of an assessment, in the order they were added."""
    tr = assess_respondents
    with store.connect() as conn:
        rows = conn.execute(
            _respondent_query().where(tr.c.assessment_id == assessment_id).order_by(tr.c.seq)
        ).all()
    return [_respondent(r._mapping) for r in rows]


def save_answers(
    store: Store,
    respondent_id: str,
    answers: Mapping[str, int],
    updated_at: str,
    notes: Mapping[str, str] | None = None,
) -> int:
    """Upsert a respondent's answers in one transaction (write-only, so concurrent submissions
    by other respondents wait for the lock instead of failing). Returns the number saved.

    Levels must already be validated against the instrument.
    """
    notes = notes or {}
    rows = [
        {
            "respondent_id": respondent_id,
            "question_id": qid,
            "level": int(level),
            "note": notes.get(qid, ""),
            "updated_at": updated_at,
        }
        for qid, level in sorted(answers.items())
    ]
    with store.begin() as conn:
        return upsert_rows(conn, assess_answers, rows)


def load_answers(store: Store, assessment_id: str) -> dict[str, dict[str, int]]:
    """Answers of an assessment: respondent id → question id → level."""
    ta, tr = assess_answers, assess_respondents
    q = (
        select(ta.c.respondent_id, ta.c.question_id, ta.c.level)
        .join(tr, tr.c.respondent_id == ta.c.respondent_id)
        .where(tr.c.assessment_id == assessment_id)
        .order_by(ta.c.respondent_id, ta.c.question_id)
    )
    out: dict[str, dict[str, int]] = {}
    with store.connect() as conn:
        for rid, qid, level in conn.execute(q):
            out.setdefault(str(rid), {})[str(qid)] = int(level)
    return out


def load_notes(store: Store, assessment_id: str) -> dict[str, dict[str, str]]:
    """Non-empty notes of an assessment: respondent id → question id → note."""
    ta, tr = assess_answers, assess_respondents
    q = (
        select(ta.c.respondent_id, ta.c.question_id, ta.c.note)
        .join(tr, tr.c.respondent_id == ta.c.respondent_id)
        .where(tr.c.assessment_id == assessment_id, ta.c.note != "")
        .order_by(ta.c.respondent_id, ta.c.question_id)
    )
    out: dict[str, dict[str, str]] = {}
    with store.connect() as conn:
        for rid, qid, note in conn.execute(q):
            out.setdefault(str(rid), {})[str(qid)] = str(note)
    return out
