"""The JSON API: one success envelope, one error envelope, the same data as the pages."""

from __future__ import annotations

from datetime import date

import pytest

from payforce.signals.outlook import compute_outlooks

ENDPOINTS = [
    "/api/dashboard",
    "/api/outlook",
    "/api/roles",
    "/api/roles/care_manager_rn",
    "/api/codes",
    "/api/codes/99490",
    "/api/families/ccm",
    "/api/documents",
    "/api/documents/2014-26183",
    "/api/search?q=chronic",
    "/api/signals?role=medical_coder",
    "/api/economics",
    "/api/meta",
]


@pytest.mark.parametrize("path", ENDPOINTS)
def test_api_success_envelope(client, path):
    response = client.get(path)
    assert response.status_code == 200
    assert response.headers["content-type"] == "application/json"
    body = response.json()
    assert body["ok"] is True
    assert "error" not in body
    assert len(body) > 1


@pytest.mark.parametrize(
    ("path", "status", "error"),
    [
        (
            "/api/roles/nobody",
            404,
            "unknown role 'nobody'. Closest matches: radiologist, cardiologist, medical_coder",
        ),
        (
            "/api/dashboard?as_of=2026-13-01",
            400,
            "as_of: not a date ('2026-13-01'). Use YYYY-MM-DD, e.g. 2026-06-30",
        ),
        (
            "/api/search?q=x&kind=rules",
            400,
            "kind: not one of document, code, role ('rules')",
        ),
        ("/api/nothing-here", 404, "/api/nothing-here: no such page. Start from / or search"),
    ],
)
def test_api_error_envelope_shape(client, path, status, error):
    response = client.get(path)
    assert response.status_code == status
    body = response.json()
    assert body == {"ok": False, "error": error, "status": status}


def test_api_error_envelope_on_wrong_method(client):
    response = client.post("/api/outlook")
    assert response.status_code == 405
    assert response.json() == {
        "ok": False,
        "error": "/api/outlook: method POST not allowed",
        "status": 405,
    }


def test_api_outlook_is_the_engine_outlook(client):
    store = client.app.state.ctx.store
    as_of = date(2026, 6, 30)
    body = client.get("/api/outlook?as_of=2026-06-30").json()
    expected = compute_outlooks(store, as_of)
    assert body["as_of"] == "2026-06-30"
    assert [o["role"] for o in body["outlooks"]] == [o.role for o in expected]
    assert [o["direction"] for o in body["outlooks"]] == [o.direction for o in expected]
    first = body["outlooks"][0]
    assert first["signal_count"] == len(expected[0].signals)
    assert first["signals"][0]["summary"] == expected[0].signals[0].summary


def test_api_as_of_replays_history(client):
    early = client.get("/api/dashboard?as_of=2016-01-01").json()
    late = client.get("/api/dashboard?as_of=2026-06-30").json()
    by_role_early = {o["role"]: o for o in early["outlooks"]}
    by_role_late = {o["role"]: o for o in late["outlooks"]}
    # Before the CY2015 fee schedule (CCM 99490), care managers had fewer signals than later.
    assert (
        by_role_early["care_manager_rn"]["signal_count"]
        < by_role_late["care_manager_rn"]["signal_count"]
    )
    aco_early = next(c for c in early["charts"] if c["id"] == "aco-count")
    aco_late = next(c for c in late["charts"] if c["id"] == "aco-count")
    # MSSP results are public once CMS releases them: PY2014 on 2015-08-25, PY2024 on 2025-08-29
    assert max(p[0] for p in aco_early["series"][0]["points"]) == 2014
    assert [2024, 476.0] in aco_late["series"][0]["points"]


def test_api_role_carries_evidence_links(client):
    body = client.get("/api/roles/care_manager_rn?as_of=2026-06-30").json()
    assert body["role"]["key"] == "care_manager_rn"
    assert body["outlook"]["direction"] == "growth"
    documents = [e for s in body["signals"] for e in s["evidence"] if e["kind"] == "document"]
    assert any(e["ref"] == "2013-28696" and e["link"] == "/documents/2013-28696" for e in documents)
    assert {p["target"] for p in body["pivots"]} >= set()
    assert body["charts"][0]["id"] == "role-wages"


def test_api_code_has_chain_payments_and_documents(client):
    body = client.get("/api/codes/99490").json()
    assert body["code"]["family"] == "ccm"
    steps = {s["step"]: [r["role"] for r in s["roles"]] for s in body["chain"]}
    assert "care_manager_rn" in steps["performs"]
    assert "2014-26183" in [d["document_number"] for d in body["documents"]]
    years = [p[0] for p in body["charts"][0]["series"][0]["points"]]
    assert years == sorted(years) and years


def test_api_document_timeline_runs_proposed_final_effective(client):
    """The CY2015 PFS final rule's page: its proposed rule, its effective date and the two
    corrections CMS published, linked as `payforce rulemaking` links them (file code, RIN,
    docket CMS-2014-0094, annual-rule title)."""
    body = client.get("/api/documents/2014-26183").json()
    events = [(e["date"], e["event"], e["document_number"]) for e in body["timeline"]]
    assert events == [
        ("2014-07-11", "proposed rule published", "2014-15948"),
        ("2014-11-13", "final rule published", "2014-26183"),
        ("2014-12-31", "correction published", "2014-30663"),
        ("2015-01-01", "takes effect", "2014-26183"),
        ("2015-03-20", "correction published", "2015-06427"),
    ]
    related = [r["document_number"] for r in body["related"]]
    assert related == ["2014-15948", "2014-30663", "2015-06427"]


def test_api_openapi_lists_every_endpoint(client):
    schema = client.get("/api/openapi.json").json()
    paths = set(schema["paths"])
    for path in ENDPOINTS:
        bare = path.split("?")[0]
        assert any(bare == p or bare.rsplit("/", 1)[0] + "/{" in p for p in paths), bare
    docs = client.get("/api/docs")
    assert docs.status_code == 200
    assert "/api/outlook" in docs.text and "<script" not in docs.text


@pytest.mark.postgres
def test_api_same_answers_on_both_backends(any_client):
    body = any_client.get("/api/roles/medical_coder?as_of=2026-06-30").json()
    assert body["ok"] is True
    assert body["role"]["title"].startswith("Medical coder")
    hits = any_client.get("/api/search?q=99490").json()["results"]
    assert ("code", "99490") in [(h["kind"], h["ref"]) for h in hits]


@pytest.mark.parametrize(
    ("query", "error"),
    [
        (
            "eligible=nan",
            "eligible: input should be a finite number ('nan'). Give a count of patients from 0 to 10,000,000, e.g. 1000",
        ),
        (
            "eligible=inf",
            "eligible: input should be a finite number ('inf'). Give a count of patients from 0 to 10,000,000, e.g. 1000",
        ),
        (
            "enrolment=lots",
            "enrolment: input should be a valid number ('lots'). Give a share between 0 and 1, e.g. 0.35",
        ),
        (
            "year=1e30",
            "year: input should be a valid integer ('1e30'). Give a fee-schedule year such as 2026",
        ),
        (
            "year=2026.5",
            "year: input should be a valid integer ('2026.5'). Give a fee-schedule year such as 2026",
        ),
        (
            "eligible=-1",
            "eligible: input should be greater than or equal to 0 ('-1'). Give a count of patients from 0 to 10,000,000, e.g. 1000",
        ),
        (
            "eligible=1e20",
            "eligible: input should be less than or equal to 10000000 ('1e20'). Give a count of patients from 0 to 10,000,000, e.g. 1000",
        ),
    ],
)
def test_api_economics_rejects_bad_numbers(client, query, error):
    response = client.get(f"/api/economics?{query}")
    assert response.status_code == 400
    assert response.json() == {"ok": False, "error": error, "status": 400}


def test_api_economics_matches_the_library(client):
    from payforce.economics.programs import run_program

    body = client.get("/api/economics?program=rpm&eligible=2000&enrolment=0.2").json()
    expected = run_program(
        client.app.state.ctx.store, "rpm", eligible=2000, enrolment=0.2, sensitivity=False
    )
    assert body["result"]["panel"] == expected.panel == 400
    assert body["result"]["revenue_month"] == str(expected.revenue_month)
    assert body["result"]["break_even"] == expected.break_even
    assert [c["id"] for c in body["charts"]] == ["economics-revenue-cost", "economics-break-even"]
