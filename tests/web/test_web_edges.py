"""The web edges, in process: methods (HEAD, OPTIONS, Allow), body cap, JSON depth, store faults,
the byte-bounded cache, paging, and the OpenAPI document's promises."""

from __future__ import annotations

import sqlite3

import pytest

from payforce.errors import StoreError
from payforce.web.cache import ResponseCache
from payforce.web.edges import CSP, MAX_BODY, MAX_JSON_DEPTH, json_depth


def _layers(app):
    layer = app.middleware_stack
    while layer is not None:
        yield layer
        layer = getattr(layer, "app", None)


@pytest.mark.parametrize("path", ["/", "/roles", "/api/outlook", "/api/documents?limit=3"])
def test_head_is_get_without_body(client, path):
    get = client.get(path)
    head = client.head(path)
    assert head.status_code == get.status_code == 200
    assert head.content == b""
    assert head.headers["content-length"] == str(len(get.content))
    assert head.headers["content-type"] == get.headers["content-type"]


def test_options_lists_the_methods_of_the_resource(client):
    response = client.options("/api/signals")
    assert response.status_code == 204
    assert response.headers["allow"] == "GET, HEAD, OPTIONS"
    answers = client.options("/api/assess/respondent/abc/answers")
    assert answers.headers["allow"] == "OPTIONS, POST"
    assert client.options("/no/such/thing").status_code == 404


@pytest.mark.parametrize("method", ["TRACE", "PUT", "DELETE", "PATCH", "POST"])
def test_405_carries_allow_and_the_envelope(client, method):
    response = client.request(method, "/api/signals")
    assert response.status_code == 405
    assert response.headers["allow"] == "GET, HEAD, OPTIONS"
    assert response.json() == {
        "ok": False,
        "error": f"/api/signals: method {method} not allowed",
        "status": 405,
    }
    assert response.headers["content-security-policy"] == CSP


def test_oversized_body_is_refused_before_it_is_read(client):
    body = b"{" + b" " * (MAX_BODY + 10) + b"}"
    response = client.post("/api/assess/respondent/bogus/answers", content=body)
    assert response.status_code == 413
    assert response.json()["error"] == f"request body: larger than {MAX_BODY:,} bytes"
    assert response.headers["x-frame-options"] == "DENY"
    page = client.post("/assess/r/bogus", content=b"x" * (MAX_BODY + 1))
    assert page.status_code == 413 and "text/html" in page.headers["content-type"]


def test_deep_json_is_a_400_not_a_500(client):
    deep = '{"answers":' + "[" * 2000 + "]" * 2000 + "}"
    response = client.post(
        "/api/assess/respondent/bogus/answers",
        content=deep,
        headers={"content-type": "application/json"},
    )
    assert response.status_code == 400
    assert response.json()["error"] == (
        f"request body: JSON nested deeper than {MAX_JSON_DEPTH} levels"
    )


def test_json_depth_skips_strings():
    assert json_depth(b'{"a": "[[[[[[", "b": [1, {"c": "\\"["}]}', 99) == 3
    assert json_depth(b"[" * 50, 10) == 11  # stops early past the limit


def test_store_fault_before_routing_is_a_503_with_headers(store, client_for):
    client = client_for(store, raise_server_exceptions=False)
    ctx = client.app.state.ctx

    def broken() -> str:
        raise sqlite3.DatabaseError("database disk image is malformed")

    ctx.version = broken
    for path in ("/api/meta", "/"):
        response = client.get(path)
        assert response.status_code == 503
        assert response.headers["content-security-policy"] == CSP
        assert "server" not in response.headers
    body = client.get("/api/meta").json()
    assert body["ok"] is False and body["status"] == 503


def test_store_error_in_a_route_is_a_503(store, client_for, monkeypatch):
    from payforce.web import views

    def broken(*args, **kwargs):
        raise StoreError("cannot read the database (disk I/O error)")

    monkeypatch.setattr(views, "gather_codes", broken)
    response = client_for(store, cache=False).get("/api/codes")
    assert response.status_code == 503
    assert response.json()["error"] == "cannot read the database (disk I/O error)"


def test_cache_ignores_parameters_the_route_does_not_read(store, client_for):
    client = client_for(store)
    client.get("/api/meta")  # builds the middleware stack
    cache = next(m for m in _layers(client.app) if isinstance(m, ResponseCache))
    for i in range(50):
        assert client.get(f"/api/roles?junk={i}&limit=5").status_code == 200
    roles = [key for key in cache._items if key[0] == "/api/roles"]
    assert roles == [("/api/roles", (("limit", "5"),), roles[0][2], roles[0][3])]
    assert client.get("/api/roles?limit=6").status_code == 200
    assert len([key for key in cache._items if key[0] == "/api/roles"]) == 2


def test_cache_stays_within_its_byte_budget(store, client_for):
    client = client_for(store)
    client.get("/api/meta")  # builds the middleware stack
    cache = next(m for m in _layers(client.app) if isinstance(m, ResponseCache))
    cache.max_bytes = 60_000
    for day in range(1, 29):
        assert client.get(f"/api/roles?as_of=2026-02-{day:02d}").status_code == 200
        assert cache.size <= cache.max_bytes
    assert 0 < len(cache._items) < 28


def test_documents_are_paged_in_a_stable_order(client):
    keys, url, pages = [], "/api/documents?limit=50", 0
    total = client.get("/api/documents?limit=1").json()["total"]
    while url:
        response = client.get(url)
        body = response.json()
        assert len(body["documents"]) <= 50
        if body["next"]:
            assert response.headers["link"] == f'<{body["next"]}>; rel="next"'
        keys += [(d["publication_date"], d["document_number"]) for d in body["documents"]]
        url, pages = body["next"], pages + 1
    assert len(keys) == len(set(keys)) == total
    assert pages == -(-total // 50)
    assert keys == sorted(keys, reverse=True)  # newest first, then by number, across pages


@pytest.mark.parametrize("path", ["/api/roles", "/api/codes", "/api/signals", "/api/search?q=care"])
def test_every_api_list_pages(client, path):
    sep = "&" if "?" in path else "?"
    first = client.get(f"{path}{sep}limit=2").json()
    assert first["limit"] == 2 and first["next"]
    second = client.get(first["next"]).json()
    assert second["ok"] is True


def test_a_cursor_from_nowhere_is_a_404(client):
    response = client.get("/api/documents?cursor=bm9wZQ")
    assert response.status_code == 404
    assert response.json()["error"].startswith("unknown page cursor 'bm9wZQ'")


def test_list_pages_link_to_the_next_page(client):
    html = client.get("/documents?limit=5").text
    assert 'rel="next"' in html and "cursor=" in html


def test_openapi_declares_what_the_server_does(client):
    schema = client.get("/api/openapi.json").json()
    assert schema["components"]["schemas"]["Error"]["required"] == ["ok", "error", "status"]
    for path, item in schema["paths"].items():
        for method, op in item.items():
            codes = set(op["responses"])
            assert "422" not in codes, (method, path)
            assert {"200", "503"} <= codes, (method, path)
            if "{" in path:
                assert "404" in codes, (method, path)
            for param in op.get("parameters", []):
                assert "anyOf" not in param["schema"], (path, param["name"])
                if param["name"] == "as_of":
                    assert param["schema"]["format"] == "date"
    links = schema["paths"]["/api/documents"]["get"]["responses"]["200"]["links"]
    assert links["document"]["operationId"] == "getDocument"


def test_api_docs_render_markdown(client):
    html = client.get("/api/docs").text
    assert "`" not in html
    assert "<code>" in html and "/api/documents" in html
