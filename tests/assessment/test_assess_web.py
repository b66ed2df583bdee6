"""Web: the respondent form, the admin view, the JSON API and tenancy (404 that reveals nothing)."""

from __future__ import annotations

import re

NOT_FOUND = (
    "assessment: not found (unknown or revoked token). Check the link or token you were given"
)


def _two_orgs(store, seed_org):
    a = seed_org(store, "team_round1.yaml", org="Org A")
    b = seed_org(store, "team_round1.yaml", org="Org B")
    return a, b


def test_form_shows_every_question_and_saves(store, seed_org, client_for, instrument):
    made = seed_org(store, "team_round1.yaml").rounds[0]
    token = made.respondents[1][1]  # CMO
    client = client_for(store)
    page = client.get(f"/assess/r/{token}")
    assert page.status_code == 200
    assert page.headers["cache-control"] == "no-store"
    assert "answering as CMO" in page.text
    assert len(re.findall(r'type="radio" name="D\d\.\d\d"', page.text)) == 37 * 6
    assert 'name="D3.02" value="1" checked' in page.text  # the CMO's saved answer
    r = client.post(f"/assess/r/{token}", data={"D3.02": "4", "D1.01": "0"}, follow_redirects=False)
    assert r.status_code == 303 and r.headers["location"] == f"/assess/r/{token}"
    again = client.get(r.headers["location"])
    assert (
        "Your answers are saved (" in again.text and "last saved 2026-07-01T09:00:00Z" in again.text
    )
    assert 'name="D3.02" value="4" checked' in again.text


def test_form_rejects_out_of_range_with_question_and_range(store, seed_org, client_for):
    token = seed_org(store, "team_round1.yaml").rounds[0].respondents[0][1]
    r = client_for(store).post(f"/assess/r/{token}", data={"D4.02": "9"})
    assert r.status_code == 400
    assert (
        "answer D4.02: level must be a whole number from 0 to 5 (&#x27;9&#x27;). "
        "Use 0 (not in place or unknown) up to 5 (optimizing)"
    ) in r.text


def test_admin_view_aggregates_and_links_reports(store, seed_org, client_for):
    seeded = seed_org(store, "team_round1.yaml", "team_round2.yaml")
    client = client_for(store)
    page = client.get(f"/assess/admin/{seeded.admin_token}")
    assert page.status_code == 200
    assert "<td>Compliance</td><td>37 / 37</td>" in page.text
    assert "Status: BLOCKED - 4 must-fix legal gaps." in page.text
    assert "<svg" in page.text and "Change since the previous assessment" in page.text
    first, second = (r.assessment.assessment_id for r in seeded.rounds)
    assert (
        f'<li><strong>2026 Q3 follow-up</strong> (this view)</li><li><a href="/assess/admin/'
        f'{seeded.admin_token}?assessment={first}">2026 Q1 baseline</a></li>'
    ) in page.text
    assert f"report.pdf?assessment={second}" in page.text
    older = client.get(f"/assess/admin/{seeded.admin_token}?assessment={first}")
    assert "Status: BLOCKED - 10 must-fix legal gaps." in older.text
    assert f"report.md?assessment={first}" in older.text
    md = client.get(f"/assess/admin/{seeded.admin_token}/report.md")
    assert md.headers["content-type"] == "text/markdown; charset=utf-8"
    assert "Generated 2026-07-01T09:00:00Z." in md.text
    pdf = client.get(f"/assess/admin/{seeded.admin_token}/report.pdf")
    assert pdf.headers["content-type"] == "application/pdf" and pdf.content.startswith(b"%PDF-")


def test_json_api_scores_and_answers(store, seed_org, client_for):
    seeded = seed_org(store, "team_round1.yaml")
    made = seeded.rounds[0]
    client = client_for(store)
    inst = client.get("/api/assess/instrument").json()
    assert inst["ok"] is True and len(inst["instrument"]["questions"]) == 37
    token = made.respondents[0][1]
    r = client.post(f"/api/assess/respondent/{token}/answers", json={"answers": {"D1.01": 5}})
    assert r.json() == {"ok": True, "respondent": "CEO", "saved": 1}
    assert client.get(f"/api/assess/respondent/{token}").json()["answers"]["D1.01"] == 5
    bad = client.post(f"/api/assess/respondent/{token}/answers", json={"answers": {"D1.01": 6}})
    assert bad.status_code == 400
    assert bad.json() == {
        "ok": False,
        "status": 400,
        "error": "answer D1.01: level must be a whole number from 0 to 5 (6). "
        "Use 0 (not in place or unknown) up to 5 (optimizing)",
    }
    auth = {"Authorization": f"Bearer {seeded.admin_token}"}
    org = client.get(f"/api/assess/orgs/{made.organization.org_id}", headers=auth).json()
    assert [a["label"] for a in org["assessments"]] == ["2026 Q1 baseline"]
    url = f"/api/assess/orgs/{made.organization.org_id}/assessments/{made.assessment.assessment_id}"
    data = client.get(url, headers=auth).json()
    assert data["scorecard"]["status"] == "blocked"
    assert data["respondents"] == ["CEO", "CMO", "CIO", "Compliance", "CNO", "Revenue cycle"]


def test_question_id_with_a_newline_is_a_one_line_error(store, seed_org, client_for):
    """Found by the fuzz suite: an answer keyed "D1\\n01" put the newline in the error line."""
    token = seed_org(store, "team_round1.yaml").rounds[0].respondents[0][1]
    client = client_for(store)
    url = f"/api/assess/respondent/{token}/answers"
    for key, value in (("D1\n01", 3), ("D1.01\r", 3), ("x" * 5000, 3)):
        r = client.post(url, json={"answers": {key: value}})
        assert r.status_code == 400
        error = r.json()["error"]
        assert "\n" not in error and "\r" not in error and len(error) < 200, error
    r = client.post(url, json={"answers": {"D1\n01": 3}})
    assert r.json()["error"].startswith("answer 'D1\\n01': unknown question id ('D1\\n01')")


def test_tenancy_other_org_id_or_token_gets_404_revealing_nothing(store, seed_org, client_for):
    a, b = _two_orgs(store, seed_org)
    client = client_for(store)
    a_org, a_asm = a.rounds[0].organization.org_id, a.rounds[0].assessment.assessment_id
    b_org, b_asm = b.rounds[0].organization.org_id, b.rounds[0].assessment.assessment_id
    a_auth = {"Authorization": f"Bearer {a.admin_token}"}
    b_auth = {"Authorization": f"Bearer {b.admin_token}"}
    denied = [
        client.get(f"/api/assess/orgs/{a_org}", headers=b_auth),
        client.get(f"/api/assess/orgs/{a_org}/assessments/{a_asm}", headers=b_auth),
        client.get(f"/api/assess/orgs/{a_org}/assessments/{b_asm}", headers=a_auth),
        client.get(f"/api/assess/orgs/{b_org}/assessments/{a_asm}", headers=b_auth),
        client.get(f"/api/assess/orgs/{a_org}/assessments/{a_asm}"),
        client.get(
            f"/api/assess/orgs/{a_org}",
            headers={"Authorization": f"Bearer {a.rounds[0].respondents[0][1]}"},
        ),
        client.get(f"/api/assess/respondent/{a.admin_token}"),
        client.post(
            f"/api/assess/respondent/{b.admin_token}/answers", json={"answers": {"D1.01": 1}}
        ),
    ]
    for r in denied:
        assert r.status_code == 404
        assert r.json() == {"ok": False, "error": NOT_FOUND, "status": 404}
        assert "Org A" not in r.text and "Org B" not in r.text
    pages = [
        client.get(f"/assess/admin/{a.admin_token}?assessment={b_asm}"),
        client.get(f"/assess/admin/{b.admin_token}/report.md?assessment={a_asm}"),
        client.get("/assess/admin/guess"),
        client.get(f"/assess/r/{a.admin_token}"),
        client.post("/assess/r/guess", data={"D1.01": "3"}),
    ]
    for r in pages:
        assert r.status_code == 404
        assert NOT_FOUND in r.text
        assert "Org A" not in r.text and "Org B" not in r.text
    # and A's own view still works
    assert (
        client.get(f"/api/assess/orgs/{a_org}/assessments/{a_asm}", headers=a_auth).status_code
        == 200
    )


def test_notes_travel_with_answers_into_the_report(store, seed_org, client_for):
    seeded = seed_org(store, "team_round1.yaml")
    tokens = [t for _r, t in seeded.rounds[0].respondents]
    client = client_for(store)
    r = client.post(
        f"/assess/r/{tokens[3]}",
        data={"D3.02": "0", "note-D3.02": "  We have never  inventoried race-based calculators. "},
        follow_redirects=False,
    )
    assert r.status_code == 303
    form = client.get(f"/assess/r/{tokens[3]}").text
    assert 'value="We have never inventoried race-based calculators."' in form
    api = client.post(
        f"/api/assess/respondent/{tokens[0]}/answers",
        json={"answers": {"D3.02": 3}, "notes": {"D3.02": "Legal says the vendor handles it."}},
    )
    assert api.json()["saved"] == 1
    md = client.get(f"/assess/admin/{seeded.admin_token}/report.md").text
    assert (
        "## What respondents wrote\n\n"
        "- D3.02 Section 1557 tool register - CEO: Legal says the vendor handles it.\n"
        "- D3.02 Section 1557 tool register - Compliance: "
        "We have never inventoried race-based calculators.\n"
    ) in md


def test_note_without_a_level_is_refused(store, seed_org, client_for):
    token = seed_org(store, "team_round1.yaml").rounds[0].respondents[0][1]
    client = client_for(store)
    r = client.post(
        f"/api/assess/respondent/{token}/answers",
        json={"answers": {}, "notes": {"D1.01": "no level"}},
    )
    assert r.status_code == 400
    assert r.json()["error"] == (
        "note D1.01: no level given with the note ('no level'). "
        "Choose a level for the question, or leave the note empty"
    )
    page = client.post(f"/assess/r/{token}", data={"D1.02": "4", "note-D1.01": "why"})
    assert page.status_code == 400
    assert "Nothing was saved: fix the answer below." in page.text
    assert 'name="D1.02" value="4" checked' in page.text  # the choice is kept on the page
