"""Security: stored and reflected XSS come back inert, a CSP on every response, no tracebacks."""

from __future__ import annotations

import re
from datetime import date

import pytest

from payforce.store import schema
from payforce.store.db import upsert_rows
from payforce.web import views
from payforce.web.app import CSP

XSS = '<script>alert("pwned")</script><img src=x onerror=alert(1)>'
ABSTRACT = (
    '<p>Medicare pays for <em>care plans</em>.</p><script>alert("x")</script>'
    '<a href="javascript:alert(1)" onclick="alert(2)">click</a>'
    '<a href="https://www.federalregister.gov/d/2099-00001">rule</a>'
)


def _plant(store) -> None:
    """Stored XSS in a document, a code and a role, as a hostile sync could write them."""
    with store.begin() as conn:
        upsert_rows(
            conn,
            schema.documents,
            [
                {
                    "document_number": "2099-00001",
                    "key": "",
                    "type": "Rule",
                    "title": f"Evil rule {XSS}",
                    "agency": "CMS",
                    "citation": "",
                    "file_code": "",
                    "rin": "",
                    "docket": "",
                    "publication_date": date(2026, 1, 2),
                    "effective_date": None,
                    "comments_close_date": None,
                    "cfr_parts": "",
                    "summary": ABSTRACT,
                    "html_url": "javascript:alert(4)",
                    "source_url": "javascript:alert(3) | https://www.federalregister.gov/d/2099-00001",
                    "confidence": "high",
                    "origin": "federal_register",
                }
            ],
        )
        conn.execute(
            schema.billing_codes.update()
            .where(schema.billing_codes.c.code == "99490")
            .values(description=f"CCM {XSS}")
        )
        conn.execute(
            schema.roles.update()
            .where(schema.roles.c.role_key == "medical_coder")
            .values(title=f"Medical coder {XSS}", source_url="javascript:alert(5)")
        )


def _inert(html: str) -> None:
    assert "<script>" not in html
    assert "<img src=x" not in html
    assert "onerror=" not in html.replace("onerror=alert(1)&gt;", "")
    assert not re.search(r"(href|src)\s*=\s*[\"']?\s*javascript:", html, re.IGNORECASE)


@pytest.mark.parametrize(
    "path",
    [
        "/",
        "/roles",
        "/roles/medical_coder",
        "/codes",
        "/codes/99490",
        "/families/ccm",
        "/documents",
        "/documents/2099-00001",
        "/search?q=evil",
        "/search?q=ccm",
    ],
)
def test_stored_xss_is_inert(any_store, client_for, path):
    _plant(any_store)
    response = client_for(any_store).get(path + ("&" if "?" in path else "?") + "as_of=2026-06-30")
    assert response.status_code == 200
    _inert(response.text)


def test_stored_xss_is_escaped_not_dropped(store, client_for):
    _plant(store)
    html = client_for(store).get("/documents/2099-00001").text
    assert "Evil rule &lt;script&gt;alert(&#34;pwned&#34;)&lt;/script&gt;" in html


def test_stored_javascript_urls_never_become_links(store, client_for):
    _plant(store)
    html = client_for(store).get("/documents/2099-00001").text
    assert 'href="https://www.federalregister.gov/d/2099-00001"' in html
    assert "<li>javascript:alert(3)</li>" in html  # shown as text, not as a link
    assert "alert(4)" not in html


def test_abstract_html_is_sanitized_keeping_harmless_tags(store, client_for):
    _plant(store)
    html = client_for(store).get("/documents/2099-00001").text
    abstract = html.split('<div class="abstract">')[1].split("</div>")[0]
    assert "<em>care plans</em>" in abstract
    assert "<script" not in abstract and "onclick" not in abstract and "javascript" not in abstract
    assert '<a href="https://www.federalregister.gov/d/2099-00001" rel="noopener noreferrer' in (
        abstract
    )


def test_sanitize_html_drops_event_handlers_and_scripts():
    clean = views.sanitize_html('<b onmouseover="x()">bold</b><iframe src="//e"></iframe>')
    assert str(clean) == "<b>bold</b>"


@pytest.mark.parametrize(
    "query",
    [
        "<script>alert(1)</script>",
        '"><img src=x onerror=alert(1)>',
        "' OR 1=1; DROP TABLE documents; --",
        'NEAR("a" "b") OR title:*',
    ],
)
def test_search_parameters_are_inert(any_client, query):
    page = any_client.get("/search", params={"q": query})
    assert page.status_code == 200
    _inert(page.text)
    api = any_client.get("/api/search", params={"q": query})
    assert api.status_code == 200
    assert api.json()["query"] == query
    # The documents table is still there: bound parameters, never SQL text.
    assert any_client.get("/api/documents").json()["documents"]


def test_reflected_xss_in_errors_is_escaped(client):
    response = client.get("/roles/%3Cimg%20src%3Dx%20onerror%3Dalert(1)%3E")
    assert response.status_code == 404
    assert "unknown role &#39;&lt;img src=x onerror=alert(1)&gt;&#39;" in response.text
    assert "<img src=x" not in response.text


@pytest.mark.parametrize(
    "path", ["/", "/api/outlook", "/nowhere", "/api/nowhere", "/static/style.css"]
)
def test_every_response_has_the_content_security_policy(client, path):
    response = client.get(path)
    assert response.headers["content-security-policy"] == CSP
    assert "script-src" not in CSP and "default-src 'none'" in CSP
    assert response.headers["x-content-type-options"] == "nosniff"


def test_a_bug_never_shows_a_traceback(store, client_for, monkeypatch):
    def broken(*_args, **_kwargs):
        raise RuntimeError("secret internals at /etc/payforce")

    monkeypatch.setattr(views, "gather_dashboard", broken)
    client = client_for(store, raise_server_exceptions=False)  # answer as a server would
    page = client.get("/")
    assert page.status_code == 500
    assert "secret internals" not in page.text and "Traceback" not in page.text
    assert "internal error: something broke on our side; it has been logged" in page.text
    assert page.headers["content-security-policy"] == CSP
    api = client.get("/api/dashboard")
    assert api.status_code == 500
    assert api.json() == {
        "ok": False,
        "error": "internal error: something broke on our side; it has been logged",
        "status": 500,
    }
