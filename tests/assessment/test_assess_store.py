"""Storage and integrity: tokens hashed at rest, tenancy, concurrent respondents lose nothing."""

from __future__ import annotations

import hashlib
import threading

import pytest
from sqlalchemy import select

from payforce.assessment.service import (
    NotFoundError,
    admin_view,
    respondent_view,
    start_assessment,
    submit_answers,
)
from payforce.errors import AssessmentError
from payforce.store import assessment_tables as tables


def test_tokens_are_stored_only_as_sha256(empty_store, instrument):
    made = start_assessment(
        empty_store, instrument, "Org A", created_at="t", respondents=[("CEO", "")]
    )
    admin = made.admin_token
    rec, token = made.respondents[0]
    with empty_store.connect() as conn:
        org_row = conn.execute(select(tables.assess_organizations)).one()._mapping
        rsp_row = conn.execute(select(tables.assess_respondents)).one()._mapping
    assert org_row["admin_token_hash"] == hashlib.sha256(admin.encode()).hexdigest()
    assert rsp_row["token_hash"] == hashlib.sha256(token.encode()).hexdigest()
    assert admin not in str(dict(org_row)) and token not in str(dict(rsp_row))
    assert len(admin) >= 32 and len(token) >= 32 and admin != token


def test_default_team_has_six_roles(empty_store, instrument):
    made = start_assessment(empty_store, instrument, "Org A", created_at="t")
    assert [r.role for r, _ in made.respondents] == [
        "CEO",
        "CMO",
        "CIO",
        "Compliance",
        "CNO",
        "Revenue cycle",
    ]


def test_existing_organization_needs_its_admin_token(empty_store, instrument):
    first = start_assessment(empty_store, instrument, "Org A", created_at="t")
    other = start_assessment(empty_store, instrument, "Org B", created_at="t")
    for token in (None, other.admin_token):
        with pytest.raises(AssessmentError) as exc:
            start_assessment(empty_store, instrument, "Org A", created_at="t", admin_token=token)
        assert exc.value.message == (
            "organization 'Org A': already exists. "
            "Pass its admin token with --token to start a new assessment"
        )
    again = start_assessment(
        empty_store, instrument, "Org A", created_at="t2", admin_token=first.admin_token
    )
    assert again.admin_token is None
    assert again.assessment.seq == 2 and again.organization.org_id == first.organization.org_id


def test_other_organizations_ids_and_tokens_reveal_nothing(store, instrument, seed_org):
    a = seed_org(store, "team_round1.yaml", org="Org A")
    b = seed_org(store, "team_round1.yaml", org="Org B")
    a_asm = a.rounds[0].assessment
    b_asm = b.rounds[0].assessment
    assert admin_view(store, instrument, a.admin_token).organization.name == "Org A"
    attempts = [
        {"token": b.admin_token, "assessment_id": a_asm.assessment_id},
        {"token": a.admin_token, "assessment_id": b_asm.assessment_id},
        {"token": a.admin_token, "org_id": b_asm.org_id},
        {"token": a.rounds[0].respondents[0][1]},  # a respondent token is not an admin token
        {"token": "not-a-token"},
        {"token": ""},
    ]
    for kwargs in attempts:
        with pytest.raises(NotFoundError) as exc:
            admin_view(store, instrument, **kwargs)
        assert exc.value.message == (
            "assessment: not found (unknown or revoked token). Check the link or token you were given"
        )
    with pytest.raises(NotFoundError):
        respondent_view(store, a.admin_token)
    with pytest.raises(NotFoundError):
        submit_answers(store, instrument, b.admin_token, {"D1.01": 3}, updated_at="t")


def test_previous_round_feeds_the_change(store, instrument, seed_org):
    seeded = seed_org(store, "team_round1.yaml", "team_round2.yaml")
    data = admin_view(store, instrument, seeded.admin_token)
    assert data.assessment.label == "2026 Q3 follow-up"
    assert data.change is not None and data.change.previous_label == "2026 Q1 baseline"
    assert data.change.cleared == ("D2.02", "D3.02", "D3.06", "D3.08", "D5.01", "D5.03")
    first = admin_view(
        store, instrument, seeded.admin_token, seeded.rounds[0].assessment.assessment_id
    )
    assert first.change is None


def test_report_data_reads_ai_codes_from_the_store(store, instrument, seed_org):
    data = admin_view(store, instrument, seed_org(store, "team_round1.yaml").admin_token)
    categories = {c.code: c.ai_category for c in data.codes}
    assert categories["75577"] == "augmentative"
    assert categories["0992T"] == "augmentative"
    assert all(c.ai_category for c in data.codes)


def test_bad_answer_saves_nothing(empty_store, instrument):
    made = start_assessment(
        empty_store, instrument, "Org A", created_at="t", respondents=[("CEO", "")]
    )
    token = made.respondents[0][1]
    with pytest.raises(AssessmentError) as exc:
        submit_answers(empty_store, instrument, token, {"D1.01": 3, "D1.02": 8}, updated_at="t")
    assert exc.value.message == (
        "answer D1.02: level must be a whole number from 0 to 5 (8). "
        "Use 0 (not in place or unknown) up to 5 (optimizing)"
    )
    assert respondent_view(empty_store, token)[1] == {}


def test_resubmitting_updates_in_place(empty_store, instrument):
    made = start_assessment(
        empty_store, instrument, "Org A", created_at="t", respondents=[("CEO", "")]
    )
    token = made.respondents[0][1]
    submit_answers(empty_store, instrument, token, {"D1.01": 1, "D1.02": 2}, updated_at="t1")
    submit_answers(empty_store, instrument, token, {"D1.01": 4, "D1.03": ""}, updated_at="t2")
    assert respondent_view(empty_store, token)[1] == {"D1.01": 4, "D1.02": 2}


def test_concurrent_respondents_lose_nothing(any_empty_store, instrument):
    roles = [(f"Leader {i}", "") for i in range(8)]
    made = start_assessment(any_empty_store, instrument, "Org A", created_at="t", respondents=roles)
    ids = [q.id for q in instrument.questions]
    barrier = threading.Barrier(len(made.respondents))
    errors: list[BaseException] = []

    def answer(i: int, token: str) -> None:
        try:
            barrier.wait()
            for start in range(0, len(ids), 5):  # several submissions each, interleaved
                chunk = {qid: (i + n) % 6 for n, qid in enumerate(ids) if start <= n < start + 5}
                submit_answers(any_empty_store, instrument, token, chunk, updated_at="t")
        except BaseException as exc:  # noqa: BLE001 - reported below
            errors.append(exc)

    threads = [
        threading.Thread(target=answer, args=(i, token))
        for i, (_rec, token) in enumerate(made.respondents)
    ]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    saved = tables.load_answers(any_empty_store, made.assessment.assessment_id)
    assert len(saved) == 8
    for i, (rec, _token) in enumerate(made.respondents):
        assert saved[rec.respondent_id] == {qid: (i + n) % 6 for n, qid in enumerate(ids)}
