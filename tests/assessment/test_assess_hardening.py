"""Assessment hardening: atomic `assess new` on both databases, the same length checks on both,
same-origin POSTs (or the per-form token), JSON-only API, revoke / reissue of respondent links,
the saved banner from the store, rate limiting on token routes."""

from __future__ import annotations

import json
import re

import pytest
from typer.testing import CliRunner

from payforce.assessment.guard import MAX_CLIENTS, RateLimit, RateLimiter
from payforce.assessment.service import (
    NotFoundError,
    reissue_respondent,
    respondent_view,
    revoke_respondent,
    start_assessment,
)
from payforce.cli import app
from payforce.errors import AssessmentError
from payforce.store import assessment_tables as tables

EVIL = {"Origin": "https://evil.example"}


def _rows(store) -> dict[str, int]:
    from sqlalchemy import func, select

    out = {}
    with store.connect() as conn:
        for t in (
            tables.assess_organizations,
            tables.assess_assessments,
            tables.assess_respondents,
        ):
            out[t.name] = conn.execute(select(func.count()).select_from(t)).scalar_one()
    return out


@pytest.mark.parametrize(
    ("kwargs", "words"),
    [
        ({"respondents": [("CEO", ""), ("R" * 150, "")]}, "respondent role: too long (150"),
        ({"respondents": [("CEO", "N" * 201)]}, "respondent name: too long (201"),
        ({"label": "L" * 201}, "--label: too long (201"),
    ],
)
def test_assess_new_is_atomic_and_checks_lengths_on_both_databases(
    any_store, instrument, kwargs, words
):
    with pytest.raises(AssessmentError) as caught:
        start_assessment(any_store, instrument, "PG Org", created_at="t", **kwargs)
    assert words in caught.value.message
    assert _rows(any_store) == {
        "assess_organizations": 0,
        "assess_assessments": 0,
        "assess_respondents": 0,
    }
    # the name is not locked: the corrected command works
    made = start_assessment(
        any_store, instrument, "PG Org", created_at="t", respondents=[("CEO", "")]
    )
    assert made.admin_token


def test_organization_name_length_is_checked_before_writing(any_store, instrument):
    with pytest.raises(AssessmentError, match="organization: too long"):
        start_assessment(any_store, instrument, "O" * 201, created_at="t")
    assert _rows(any_store)["assess_organizations"] == 0


def test_assess_new_cli_failure_prints_one_line_and_leaves_nothing(cli_env):
    assert CliRunner().invoke(app, ["init"]).exit_code == 0
    r = CliRunner().invoke(app, ["assess", "new", "Org", "--respondent", "R" * 150])
    assert r.exit_code == 1
    assert r.stderr.count("\n") == 1 and "respondent role: too long" in r.stderr
    ok = CliRunner().invoke(app, ["assess", "new", "Org", "--respondent", "CEO"])
    assert ok.exit_code == 0, ok.output


def _form_token(page: str) -> str:
    found = re.search(r'name="form_token" value="([0-9a-f]+)"', page)
    assert found, "the form carries its token"
    return found.group(1)


def test_forged_form_posts_are_refused_and_save_nothing(store, seed_org, client_for):
    token = seed_org(store, "team_round1.yaml").rounds[0].respondents[0][1]
    client = client_for(store)
    before = respondent_view(store, token)[1]
    page = client.get(f"/assess/r/{token}").text
    good = _form_token(page)
    for headers, data in [
        (EVIL, {"D1.03": "2", "form_token": good}),  # a foreign Origin beats the token
        ({"Origin": "", "Referer": "https://evil.example/x"}, {"D1.03": "2"}),
        ({"Origin": ""}, {"D1.03": "2"}),  # says nothing, no token
        ({"Origin": "null"}, {"D1.03": "2", "form_token": "0" * 32}),  # a wrong token
    ]:
        r = client.post(f"/assess/r/{token}", data=data, headers=headers, follow_redirects=False)
        assert r.status_code == 403, headers
        assert "must be sent from its own payforce page" in r.text
    assert respondent_view(store, token)[1] == before
    # what browsers send from our page (Origin: null under no-referrer) with the form token
    r = client.post(
        f"/assess/r/{token}",
        data={"D1.03": "2", "form_token": good},
        headers={"Origin": "null"},
        follow_redirects=False,
    )
    assert r.status_code == 303
    same = client.post(
        f"/assess/r/{token}",
        data={"D1.04": "2"},
        headers={"Origin": "", "Referer": f"http://testserver/assess/r/{token}"},
        follow_redirects=False,
    )
    assert same.status_code == 303


def test_non_ascii_form_token_is_refused_not_a_500(store, seed_org, client_for):
    """Found by the fuzz suite: a form token with a non-ASCII character made
    hmac.compare_digest raise TypeError (an internal error, 500)."""
    token = seed_org(store, "team_round1.yaml").rounds[0].respondents[0][1]
    client = client_for(store)
    before = respondent_view(store, token)[1]
    for value in ("é" * 32, "\u202e"):
        r = client.post(
            f"/assess/r/{token}",
            data={"D1.03": "2", "form_token": value},
            headers={"Origin": "null"},
            follow_redirects=False,
        )
        assert r.status_code == 403
        assert "must be sent from its own payforce page" in r.text
    assert respondent_view(store, token)[1] == before


def test_answers_api_refuses_text_plain_and_foreign_origins(store, seed_org, client_for):
    token = seed_org(store, "team_round1.yaml").rounds[0].respondents[0][1]
    client = client_for(store)
    before = respondent_view(store, token)[1]
    body = json.dumps({"answers": {"D1.04": 2}})
    plain = client.post(
        f"/api/assess/respondent/{token}/answers",
        content=body,
        headers={"Content-Type": "text/plain", **EVIL},
    )
    assert plain.status_code == 415
    assert plain.json()["error"].startswith("request body: send Content-Type: application/json")
    foreign = client.post(
        f"/api/assess/respondent/{token}/answers",
        content=body,
        headers={"Content-Type": "application/json", **EVIL},
    )
    assert foreign.status_code == 403
    assert respondent_view(store, token)[1] == before


def test_revoke_and_reissue_respondent_links(store, seed_org, client_for):
    seeded = seed_org(store, "team_round1.yaml")
    other = seed_org(store, "team_round1.yaml", org="Other")
    rec, old = seeded.rounds[0].respondents[1]
    saved = respondent_view(store, old)[1]
    with pytest.raises(AssessmentError):  # another organization's admin cannot touch it
        revoke_respondent(store, other.admin_token, rec.respondent_id)
    revoke_respondent(store, seeded.admin_token, rec.respondent_id)
    with pytest.raises(NotFoundError):
        respondent_view(store, old)
    client = client_for(store)
    assert client.get(f"/assess/r/{old}").status_code == 404
    admin = client.get(f"/assess/admin/{seeded.admin_token}").text
    assert f"<td>{rec.label}</td><td>37 / 37</td><td>revoked" in admin
    _rec, new = reissue_respondent(store, seeded.admin_token, rec.role)
    assert respondent_view(store, new)[1] == saved  # answers kept with the new link


def test_admin_page_revokes_and_reissues_with_the_form_token(store, seed_org, client_for):
    seeded = seed_org(store, "team_round1.yaml")
    rec, old = seeded.rounds[0].respondents[0]
    client = client_for(store)
    admin_url = f"/assess/admin/{seeded.admin_token}"
    form = _form_token(client.get(admin_url).text)
    action = f"{admin_url}/respondents/{rec.respondent_id}"
    assert client.post(f"{action}/revoke", data={}, headers=EVIL).status_code == 403
    r = client.post(f"{action}/revoke", data={"form_token": form}, headers={"Origin": "null"})
    assert r.status_code == 200 and "no longer works" in r.text
    assert client.get(f"/assess/r/{old}").status_code == 404
    r = client.post(f"{action}/reissue", data={"form_token": form}, headers={"Origin": "null"})
    new = re.search(r"/assess/r/([A-Za-z0-9_-]+)</code>", r.text)
    assert new and client.get(f"/assess/r/{new.group(1)}").status_code == 200
    assert client.post(f"{action}/delete", data={"form_token": form}).status_code == 404


def test_revoke_and_reissue_commands(cli_env):
    runner = CliRunner()
    made = json.loads(
        runner.invoke(app, ["assess", "new", "Org", "--respondent", "CMO", "--json"]).stdout
    )
    admin, old = made["admin_token"], made["respondents"][0]["token"]
    r = runner.invoke(app, ["assess", "revoke", "CMO", "--token", admin])
    assert r.exit_code == 0 and "no longer works" in r.stdout
    gone = runner.invoke(app, ["assess", "template", "--token", old])
    assert gone.exit_code == 1 and "unknown or revoked token" in gone.stderr
    r = runner.invoke(app, ["assess", "reissue", "CMO", "--token", admin, "--json"])
    new = json.loads(r.stdout)["token"]
    assert runner.invoke(app, ["assess", "template", "--token", new]).exit_code == 0
    r = runner.invoke(app, ["assess", "revoke", "CFO", "--token", admin])
    assert r.exit_code == 1 and "respondent 'CFO': not found" in r.stderr


def test_saved_banner_comes_from_the_store_not_the_query(store, seed_org, client_for):
    seeded = seed_org(store, "team_round1.yaml")
    token = seeded.rounds[0].respondents[0][1]
    page = client_for(store).get(f"/assess/r/{token}?saved=-1").text
    assert "Saved -1" not in page and "-1 answers" not in page
    assert "Your answers are saved (37 of 37 answered; last saved" in page


def test_rate_limit_on_token_routes(store, seed_org, instrument):
    from fastapi import FastAPI
    from starlette.testclient import TestClient

    from payforce.assessment.web import create_assessment_router

    token = seed_org(store, "team_round1.yaml").rounds[0].respondents[0][1]
    app_ = FastAPI()
    limit = RateLimit(burst=10, per_second=0.01, miss_cost=4)
    app_.include_router(create_assessment_router(store, instrument, rate_limit=limit))
    client = TestClient(app_)
    codes = [client.get(f"/api/assess/respondent/guess{i}").status_code for i in range(4)]
    assert codes[:2] == [404, 404] and codes[-1] == 429
    limited = client.get(f"/assess/r/{token}")  # even a good token waits now
    assert limited.status_code == 429 and int(limited.headers["retry-after"]) >= 1
    assert client.get("/api/assess/instrument").status_code == 200  # not a token route


def test_rate_limiter_refills_and_stays_bounded():
    now = [0.0]
    limiter = RateLimiter(RateLimit(burst=2, per_second=1, miss_cost=0), clock=lambda: now[0])
    assert limiter.take("a") == 0 and limiter.take("a") == 0
    assert limiter.take("a") > 0
    now[0] += 1.0
    assert limiter.take("a") == 0
    for i in range(MAX_CLIENTS + 50):
        limiter.take(f"client-{i}")
    assert len(limiter) == MAX_CLIENTS
