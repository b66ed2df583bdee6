"""Pages: each renders its gather function's data; as_of replays history."""

from __future__ import annotations

import re
from datetime import date
from html.parser import HTMLParser

import pytest

from payforce.knowledge import load_knowledge
from payforce.signals.outlook import compute_outlooks

PAGES = [
    "/",
    "/roles",
    "/roles/care_manager_rn",
    "/codes",
    "/codes/99490",
    "/families/ccm",
    "/documents",
    "/documents/2014-26183",
    "/search?q=chronic+care",
    "/economics",
    "/api/docs",
]


class Outline(HTMLParser):
    """Collects headings, form-field ids, label targets and script tags."""

    def __init__(self) -> None:
        super().__init__()
        self.headings: list[int] = []
        self.fields: list[str] = []
        self.labels: list[str] = []
        self.scripts = 0
        self.inline_styles = 0

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if re.fullmatch(r"h[1-6]", tag):
            self.headings.append(int(tag[1]))
        if tag in ("input", "select", "textarea") and a.get("type") != "hidden":
            self.fields.append(a.get("id") or "")
        if tag == "label":
            self.labels.append(a.get("for") or "")
        if tag == "script":
            self.scripts += 1
        if "style" in a or tag == "style":
            self.inline_styles += 1


def outline(html: str) -> Outline:
    parser = Outline()
    parser.feed(html)
    return parser


@pytest.mark.parametrize("path", PAGES)
def test_page_structure_is_accessible_and_script_free(client, path):
    response = client.get(path)
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/html")
    o = outline(response.text)
    assert o.headings.count(1) == 1, "exactly one h1"
    assert o.headings[0] == 1 or o.headings[0] == 2  # the nav has none; h1 comes first in main
    for before, after in zip(o.headings, o.headings[1:], strict=False):
        assert after <= before + 1, f"heading level jumps from h{before} to h{after}"
    assert all(f and f in o.labels for f in o.fields), "every form field has a label"
    assert o.scripts == 0 and o.inline_styles == 0  # the CSP forbids both
    assert '<meta name="viewport"' in response.text


def test_dashboard_shows_every_role_outlook(client):
    store = client.app.state.ctx.store
    html = client.get("/?as_of=2026-06-30").text
    for o in compute_outlooks(store, date(2026, 6, 30)):
        assert f'href="/roles/{o.role}?as_of=2026-06-30"' in html
    assert html.count('<svg class="chart"') == 4
    assert "Medicare Shared Savings Program: ACOs by year" in html
    assert 'value="2026-06-30"' in html  # the as_of control shows the replayed date


def test_dashboard_as_of_changes_the_page(client):
    early = client.get("/?as_of=2016-01-01").text
    late = client.get("/?as_of=2026-06-30").text
    assert early != late
    # The PY2024 results (476 ACOs) were released 2025-08-29: not public in 2016.
    assert "ACOs, 2024: 476" in late
    assert "ACOs, 2024: 476" not in early


def test_dashboard_lists_upcoming_dates(client):
    html = client.get("/?as_of=2025-07-01").text
    # The CY2026 PFS proposed rule (2025-13271) was published 2025-07-16, after as_of: not shown;
    # the CMS-0057-F compliance dates in 2026 and 2027 are upcoming.
    assert "2025-13271" not in html.split('id="sec-dates"')[1].split("</section>")[0]
    section = html.split('id="sec-dates"')[1].split("</section>")[0]
    assert "2026-01-01" in section or "2027-01-01" in section


def test_role_page_in_plain_language(client):
    store = client.app.state.ctx.store
    html = client.get("/roles/care_manager_rn?as_of=2026-06-30").text
    outlook = next(
        o for o in compute_outlooks(store, date(2026, 6, 30)) if o.role == "care_manager_rn"
    )
    assert f"{outlook.signal_count} signals point to growth" in html
    assert 'href="/documents/2013-28696"' in html  # evidence links to its document page
    assert "https://www.federalregister.gov/d/2013-28696" in html
    pivots = [e.target for e in load_knowledge().pivots if e.source == "care_manager_rn"]
    for target in pivots:
        assert f'href="/roles/{target}"' in html
    assert "Median annual wage" in html and "$93,600" in html


def test_role_page_unknown_role_is_404_page(client):
    response = client.get("/roles/astronaut")
    assert response.status_code == 404
    assert "unknown role &#39;astronaut&#39;" in response.text
    assert "<h1>Not found</h1>" in response.text


def test_code_page_draws_the_chain_from_knowledge(client):
    html = client.get("/codes/99490").text
    fam = load_knowledge().families["ccm"]
    chain = html.split('<ol class="chain"')[1].split("</ol>")[0]
    for step, role in fam.roles():
        assert f'href="/roles/{role}"' in chain
        assert f'<span class="step-name">{step}</span>' in chain
    assert "99490: national payment by fee-schedule year" in html
    assert 'href="/documents/2014-26183"' in html


def test_family_page_lists_codes_and_documents(client):
    html = client.get("/families/rpm").text
    for code in ("99453", "99454"):
        assert f'href="/codes/{code}"' in html
    assert 'href="/documents/2018-24170"' in html


def test_document_page_timeline_and_deadline(client):
    html = client.get("/documents/2019-16041").text  # CY2020 PFS proposed rule
    assert "Comment deadline</dt><dd>2019-09-27 (closed)" in html
    timeline = html.split('<ol class="timeline">')[1].split("</ol>")[0]
    dates = re.findall(r'<time datetime="([0-9-]+)">', timeline)
    assert dates == sorted(dates)
    assert dates[0] == "2019-08-14"


def test_search_page_marks_matches(client):
    html = client.get("/search?q=remote+monitoring").text
    assert "<mark>" in html
    assert 'href="/codes/99453"' in html or 'href="/codes/99454"' in html


def test_economics_page_runs_the_calculator(client):
    html = client.get("/economics?program=ccm&eligible=1000&enrolment=0.35&year=2026").text
    assert "Enrolled panel</dt><dd>350" in html
    assert "Care manager / care coordinator (RN)" in html
    assert '<svg class="chart"' in html


def test_economics_bad_input_is_a_400_page(client):
    response = client.get("/economics?eligible=lots")
    assert response.status_code == 400
    assert "eligible: not a number (&#39;lots&#39;). Give a count of patients, e.g. 1000" in (
        response.text
    )


@pytest.mark.parametrize(
    ("query", "words"),
    [
        ("eligible=1e308", "eligible: must be from 0 to 10,000,000 (&#39;1e308&#39;)"),
        ("eligible=-5", "eligible: must be from 0 to 10,000,000 (&#39;-5&#39;)"),
        ("enrolment=1.5", "enrolment: must be from 0 to 1 (&#39;1.5&#39;)"),
    ],
)
def test_economics_out_of_range_is_a_400_page(client, query, words):
    """Found by the fuzz suite: eligible=1e308 overflowed the money arithmetic (a 500)."""
    response = client.get(f"/economics?program=ccm&{query}")
    assert response.status_code == 400
    assert words in response.text


def test_static_stylesheet_is_served(client):
    response = client.get("/static/style.css")
    assert response.status_code == 200
    assert ":focus-visible" in response.text


def test_every_page_and_endpoint_on_both_backends(any_client):
    """The same pages and JSON over SQLite and a real PostgreSQL server."""
    for path in [*PAGES, "/?as_of=2015-01-01", "/roles/medical_coder?as_of=2026-06-30"]:
        response = any_client.get(path)
        assert response.status_code == 200, path
    outlook = any_client.get("/api/outlook?as_of=2026-06-30").json()
    directions = {o["role"]: o["direction"] for o in outlook["outlooks"]}
    assert directions["care_manager_rn"] == "growth"
    assert directions["prior_authorization_specialist"] == "pressure"
    doc = any_client.get("/api/documents/2014-26183").json()
    assert [e["event"] for e in doc["timeline"]] == [
        "proposed rule published",
        "final rule published",
        "correction published",
        "takes effect",
        "correction published",
    ]


def test_role_page_resolves_free_text_and_redirects(client):
    response = client.get("/roles/UR nurse?as_of=2026-06-30", follow_redirects=False)
    assert response.status_code == 303
    assert response.headers["location"] == "/roles/utilization_review_nurse?as_of=2026-06-30"
    api = client.get("/api/roles/coder").json()
    assert api["role"]["key"] == "medical_coder"


def test_document_page_shows_evidence_sentences(store, client_for):
    from payforce.store import schema
    from payforce.store.db import upsert_rows

    sentence = "CMS will pay separately for CPT 99490 <b>beginning</b> January 1, 2015."
    with store.begin() as conn:
        upsert_rows(
            conn,
            schema.provisions,
            [
                {
                    "document_number": "2014-26183",
                    "kind": "code_payable",
                    "subject": "99490x",
                    "family": "ccm",
                    "effective_date": date(2015, 1, 1),
                    "detail": "extracted",
                    "evidence_text": sentence,
                    "start": 10,
                    "end": 80,
                    "origin": "extracted",
                    "roles": "",
                }
            ],
        )
    html = client_for(store).get("/documents/2014-26183").text
    assert (
        "<blockquote>CMS will pay separately for CPT 99490 &lt;b&gt;beginning&lt;/b&gt; "
        "January 1, 2015.</blockquote>" in html
    )


def test_page_and_json_show_the_same_data(client):
    """One gather function, rendered twice: what the JSON says, the page shows."""
    from markupsafe import escape

    role = client.get("/api/roles/medical_coder?as_of=2026-06-30").json()
    page = client.get("/roles/medical_coder?as_of=2026-06-30").text
    assert escape(role["sentence"]) in page
    for signal in role["signals"]:
        assert escape(signal["summary"]) in page
    for pivot in role["pivots"]:
        assert f'href="/roles/{pivot["target"]}"' in page
    dashboard = client.get("/api/dashboard?as_of=2020-01-01").json()
    html = client.get("/?as_of=2020-01-01").text
    for row in dashboard["outlooks"]:
        assert escape(row["title"]) in html
    for event in dashboard["upcoming"]:
        assert f'href="/documents/{event["document_number"]}"' in html
