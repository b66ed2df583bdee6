"""Assessment fixtures: the bundled instrument, synthetic team answers, a seeded organization."""

from __future__ import annotations

import warnings
from dataclasses import dataclass
from pathlib import Path

import pytest
import yaml
from starlette.exceptions import StarletteDeprecationWarning

from payforce.assessment.instrument import Instrument, load_instrument
from payforce.assessment.scoring import Response
from payforce.assessment.service import NewAssessment, start_assessment, submit_answers
from payforce.store.db import Store

with warnings.catch_warnings():
    # Starlette asks for the httpx2 package; plain httpx works the same for in-process tests.
    warnings.simplefilter("ignore", StarletteDeprecationWarning)
    from starlette.testclient import TestClient

FIXTURES = Path(__file__).parent.parent / "fixtures" / "assessment"
GENERATED_AT = "2026-07-01T09:00:00Z"
SAME_ORIGIN = {"Origin": "http://testserver"}
"""What a browser on the payforce page sends with a POST (tests of forged posts override it)."""


def asset(name: str) -> Path:
    """Path of an assessment fixture file; fails the test if it is missing."""
    path = FIXTURES / name
    if not path.exists():
        pytest.fail(f"missing fixture file {path}")
    return path


def team(name: str, instrument: Instrument) -> tuple[str, str, list[tuple[str, dict[str, int]]]]:
    """(organization, label, [(role, answers)]) from a team fixture: default level + overrides.

    The organization's kind is read by ``seed`` (``kind:`` in the fixture)."""
    doc = yaml.safe_load(asset(name).read_text(encoding="utf-8"))
    people = []
    for r in doc["respondents"]:
        answers = {q.id: int(r["default"]) for q in instrument.questions}
        answers.update({str(k): int(v) for k, v in r["answers"].items()})
        people.append((r["role"], answers))
    return doc["organization"], doc["label"], people


def responses(name: str, instrument: Instrument) -> list[Response]:
    """A team fixture as scoring input."""
    _org, _label, people = team(name, instrument)
    return [Response(role, role, answers) for role, answers in people]


@dataclass
class Seeded:
    """An organization with one or more answered rounds."""

    admin_token: str
    rounds: list[NewAssessment]


def seed(store: Store, instrument: Instrument, *names: str, org: str | None = None) -> Seeded:
    """Create the organization and one answered round per team fixture, in order."""
    admin: str | None = None
    rounds = []
    for i, name in enumerate(names):
        org_name, label, people = team(name, instrument)
        kind = yaml.safe_load(asset(name).read_text(encoding="utf-8"))["kind"]
        made = start_assessment(
            store,
            instrument,
            org or org_name,
            created_at=f"2026-0{i + 1}-01T00:00:00Z",
            respondents=[(role, "") for role, _ in people],
            label=label,
            admin_token=admin,
            kind=kind,
        )
        admin = admin or made.admin_token
        for (_rec, token), (_role, answers) in zip(made.respondents, people, strict=True):
            submit_answers(store, instrument, token, answers, updated_at="2026-01-02T00:00:00Z")
        rounds.append(made)
    assert admin is not None
    return Seeded(admin, rounds)


@pytest.fixture(scope="session")
def instrument() -> Instrument:
    """The bundled instrument (validated)."""
    return load_instrument()


@pytest.fixture
def fixture_path():
    """``fixture_path(name)``: path of a file in tests/fixtures/assessment (fails if missing)."""
    return asset


@pytest.fixture
def team_responses(instrument: Instrument):
    """``team_responses(name)``: a team fixture as a list of scoring ``Response``."""
    return lambda name: responses(name, instrument)


@pytest.fixture
def seed_org(instrument: Instrument):
    """``seed_org(store, *team fixture names, org=None)`` → Seeded (admin token, rounds)."""
    return lambda store, *names, org=None: seed(store, instrument, *names, org=org)


@pytest.fixture
def client_for(instrument: Instrument):
    """``client_for(store)``: an in-process client for an app holding only the assessment router."""
    from fastapi import FastAPI

    from payforce.assessment.web import create_assessment_router

    clients = []

    def build(store: Store) -> TestClient:
        app = FastAPI()
        app.include_router(create_assessment_router(store, instrument, clock=lambda: GENERATED_AT))
        client = TestClient(app, headers=SAME_ORIGIN)
        clients.append(client)
        return client

    yield build
    for c in clients:
        c.close()


@pytest.fixture
def main_client_for():
    """``main_client_for(store)``: an in-process client for the whole payforce web app (cache on)."""
    from payforce.web.app import create_app

    clients = []

    def build(store: Store) -> TestClient:
        client = TestClient(create_app(store), headers=SAME_ORIGIN)
        clients.append(client)
        return client

    yield build
    for c in clients:
        c.close()
