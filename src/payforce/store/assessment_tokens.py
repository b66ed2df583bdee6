"""Respondent links: revoking and reissuing tokens (to close a leaked link), and when a
respondent last saved.

A revoked respondent keeps their answers; their ``token_hash`` is replaced by a marker that no
SHA-256 digest can equal (``revoked_`` + random hex), so the old link answers 404 like any
unknown token. Reissuing stores the digest of a fresh token and returns the token, shown once.
"""

from __future__ import annotations

import secrets

from sqlalchemy import select, update

from payforce.store.assessment_tables import (
    assess_assessments,
    assess_respondents,
    hash_token,
)
from payforce.store.db import Store

__all__ = [
    "REVOKED_PREFIX",
    "last_saved",
    "reissue_token",
    "respondent_assessment",
    "revoke_token",
    "revoked_ids",
]

REVOKED_PREFIX = "revoked_"
"""Start of a revoked respondent's ``token_hash`` (a hex digest never contains ``_``)."""


def _owned(store: Store, org_id: str, respondent_id: str) -> bool:
    ta, tr = assess_assessments, assess_respondents
    with store.connect() as conn:
        found = conn.execute(
            select(tr.c.respondent_id)
            .join(ta, ta.c.assessment_id == tr.c.assessment_id)
            .where(tr.c.respondent_id == respondent_id, ta.c.org_id == org_id)
        ).first()
    return found is not None


def revoke_token(store: Store, org_id: str, respondent_id: str) -> bool:
    """Make the respondent's current link stop working; False when not the org's respondent."""
    if not _owned(store, org_id, respondent_id):
        return False
    marker = REVOKED_PREFIX + secrets.token_hex(28)
    with store.begin() as conn:
        conn.execute(
            update(assess_respondents)
            .where(assess_respondents.c.respondent_id == respondent_id)
            .values(token_hash=marker)
        )
    return True


def reissue_token(store: Store, org_id: str, respondent_id: str) -> str | None:
    """Give the respondent a new token (the old one stops working); None when not the org's."""
    if not _owned(store, org_id, respondent_id):
        return None
    token = secrets.token_urlsafe(24)
    with store.begin() as conn:
        conn.execute(
            update(assess_respondents)
            .where(assess_respondents.c.respondent_id == respondent_id)
            .values(token_hash=hash_token(token))
        )
    return token


def revoked_ids(store: Store, assessment_id: str) -> set[str]:
    """Respondents of the assessment whose link is revoked (and not reissued)."""
    tr = assess_respondents
    with store.connect() as conn:
        rows = conn.execute(
            select(tr.c.respondent_id).where(
                tr.c.assessment_id == assessment_id, tr.c.token_hash.startswith(REVOKED_PREFIX)
            )
        ).scalars()
        return {str(r) for r in rows}


def last_saved(store: Store, respondent_id: str) -> tuple[int, str | None]:
    """(answers saved, time of the latest save) for a respondent, read from the store (the
    "saved" banner comes from here, never from the query string)."""
    from sqlalchemy import func

    from payforce.store.assessment_tables import assess_answers

    t = assess_answers
    with store.connect() as conn:
        count, latest = conn.execute(
            select(func.count(), func.max(t.c.updated_at)).where(t.c.respondent_id == respondent_id)
        ).one()
    return int(count or 0), None if latest is None else str(latest)


def respondent_assessment(store: Store, respondent_id: str) -> str | None:
    """The assessment a respondent belongs to."""
    tr = assess_respondents
    with store.connect() as conn:
        found = conn.execute(
            select(tr.c.assessment_id).where(tr.c.respondent_id == respondent_id)
        ).scalar()
    return None if found is None else str(found)
