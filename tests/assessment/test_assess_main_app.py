"""The assessment router inside the main web app: routes, security headers, no stale cache."""

from __future__ import annotations


def test_main_app_serves_the_form_with_security_headers(store, seed_org, main_client_for):
    seeded = seed_org(store, "team_round1.yaml")
    client = main_client_for(store)
    token = seeded.rounds[0].respondents[0][1]
    page = client.get(f"/assess/r/{token}")
    assert page.status_code == 200
    assert "default-src 'none'" in page.headers["content-security-policy"]
    assert page.headers["cache-control"] == "no-store"
    assert '<link rel="stylesheet" href="/assess/static/assess.css">' in page.text
    assert "<script" not in page.text
    css = client.get("/assess/static/assess.css")
    assert css.status_code == 200 and css.headers["content-type"].startswith("text/css")


def test_main_app_never_serves_a_stale_admin_view(store, seed_org, main_client_for):
    seeded = seed_org(store, "team_round1.yaml")
    client = main_client_for(store)
    url = f"/assess/admin/{seeded.admin_token}"
    assert "Status: BLOCKED - 10 must-fix legal gaps." in client.get(url).text
    for _rec, token in seeded.rounds[0].respondents:
        r = client.post(
            f"/api/assess/respondent/{token}/answers",
            json={"answers": dict.fromkeys(("D2.02", "D3.02", "D3.03", "D3.06", "D3.07"), 5)},
        )
        assert r.json()["saved"] == 5
    assert "Status: BLOCKED - 5 must-fix legal gaps." in client.get(url).text


def test_main_app_tenancy_404_in_the_json_shape(store, seed_org, main_client_for):
    a = seed_org(store, "team_round1.yaml", org="Org A")
    b = seed_org(store, "team_round1.yaml", org="Org B")
    client = main_client_for(store)
    a_org = a.rounds[0].organization.org_id
    r = client.get(
        f"/api/assess/orgs/{a_org}", headers={"Authorization": f"Bearer {b.admin_token}"}
    )
    assert r.status_code == 404
    assert r.json() == {
        "ok": False,
        "error": "assessment: not found (unknown or revoked token). "
        "Check the link or token you were given",
        "status": 404,
    }
