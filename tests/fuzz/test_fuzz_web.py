"""Property: every route of the web app (enumerated from the app, so a new route is fuzzed or
fails the coverage test), driven in-process on a real store (SQLite, then PostgreSQL) with
generated paths, query strings (declared parameters with hostile values, unknown and repeated
ones), headers, methods and, for POST routes, bodies (forms, JSON deep, huge or malformed, wrong
content types, with and without the per-form token and Origin), answers below 500, never a
traceback; an error under /api/ is the JSON envelope; and a 4xx writes nothing."""

from __future__ import annotations

import asyncio
import json
import re
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from types import SimpleNamespace
from typing import Any
from urllib.parse import quote

import httpx
import pytest
from fuzz_store import BACKENDS, FuzzStore, fuzz_store
from fuzz_support import COUNTS, FUZZ, HOSTILE, OUTCOMES, hostile_text, scaled
from hypothesis import given, settings
from hypothesis import strategies as st
from sqlalchemy import text
from starlette.routing import Mount
from starlette.types import Receive, Scope, Send
from typer.testing import CliRunner

from payforce.assessment.instrument import load_instrument
from payforce.cli import app as cli_app
from payforce.web.app import create_app
from payforce.web.edges import flat_routes

pytestmark = pytest.mark.filterwarnings("ignore:Generating overly large repr")
N_GET = scaled(5000)
"""Examples of the GET routes per backend (most answers are cheap: 4xx or cached pages)."""
N_POST = scaled(3000)
"""Examples of the POST routes per backend."""
N_OTHER = scaled(1300)
"""Examples of other methods, unknown paths and raw path tricks per backend."""
TODAY = date(2026, 11, 27)
CLIENT = "x-fuzz-client"
"""Header the harness turns into the client address (the rate limiter keys on it)."""
QUESTIONS = [q.id for q in load_instrument().questions]

ascii_text = st.text(st.characters(min_codepoint=32, max_codepoint=126), max_size=60)
anything = st.one_of(hostile_text, ascii_text)


@dataclass(repr=False)
class Web:
    """The app over a fuzz store, driven in-process through httpx's ASGI transport on one event
    loop (the app runs as under a server; two to three times cheaper per request than
    Starlette's TestClient, which hops threads for every message)."""

    fs: FuzzStore
    client: httpx.AsyncClient
    loop: asyncio.AbstractEventLoop
    values: dict[str, list[str]]
    routes: list[Any]
    form_tokens: dict[str, str] = field(default_factory=dict)
    driven: Counter[str] = field(default_factory=Counter)
    """Requests per route template (GET and POST tests)."""

    def __repr__(self) -> str:  # short: hypothesis prints it with every failing example
        return f"Web({self.fs.backend if self.fs else '-'})"

    def send(self, method: str, url: str, **kw: Any) -> Any:
        """Send one request and check the properties; returns the response."""
        before = self.fs.writes()
        r = self.request(method, url, **kw)
        COUNTS[f"{self.fs.backend} web {method}"] += 1
        OUTCOMES[f"{self.fs.backend} HTTP {r.status_code}"] += 1
        where = f"{method} {url[:200]} -> {r.status_code}"
        assert r.status_code < 500, f"{where}: {r.text[:300]}"
        assert "Traceback" not in r.text, where
        if method != "HEAD" and r.headers.get("content-type", "").startswith("application/json"):
            body = json.loads(r.content)
            if r.status_code >= 400:
                assert body["ok"] is False and body["status"] == r.status_code, where
                assert "\n" not in body["error"] and body["error"].strip(), where
        elif method != "HEAD" and r.status_code >= 400 and url.startswith("/api/"):
            raise AssertionError(f"{where}: an /api/ error that is not the JSON envelope")
        if 400 <= r.status_code < 500:
            assert self.fs.writes() == before, f"{where}: a 4xx that wrote rows"
        return r

    def request(self, method: str, url: str, **kw: Any) -> httpx.Response:
        return self.loop.run_until_complete(self.client.request(method, url, **kw))


class _ClientFromHeader:
    """ASGI wrapper: the client address comes from a header, so the harness chooses whether
    requests share one rate-limit bucket (a few do, to reach the 429 path) or not."""

    def __init__(self, app: Any) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http":
            for name, value in scope["headers"]:
                if name == CLIENT.encode():
                    scope = {**scope, "client": (value.decode("latin-1"), 50000)}
        await self.app(scope, receive, send)


def _rows(fs: FuzzStore, sql: str) -> list[str]:
    with fs.store.connect() as conn:
        return [str(v) for v in conn.execute(text(sql)).scalars()]


@pytest.fixture(scope="module", params=BACKENDS)
def web(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Web]:
    folder = tmp_path_factory.mktemp("fuzz-web")
    with fuzz_store(request.param, folder) as fs:
        made = CliRunner().invoke(
            cli_app,
            ["assess", "new", "Fuzz Clinic", "--respondent", "CEO", "--respondent", "CMO"]
            + ["--db", fs.url, "--json"],
            env={"COLUMNS": "200", "PAYFORCE_DATABASE_URL": None, "PAYFORCE_HOME": str(folder)},
        )
        assert made.exit_code == 0, made.output
        new = json.loads(made.stdout)
        respondents = [p["token"] for p in new["respondents"]]
        values = {
            # one role: each (role, as_of) page is computed once, at up to 0.8 s
            "key": _rows(fs, "SELECT role_key FROM roles ORDER BY role_key LIMIT 1")
            + _rows(fs, "SELECT DISTINCT family FROM billing_codes ORDER BY family LIMIT 3"),
            "code": _rows(fs, "SELECT code FROM billing_codes ORDER BY code LIMIT 3"),
            "number": _rows(fs, "SELECT document_number FROM documents ORDER BY 1 DESC LIMIT 3"),
            "token": [*respondents, new["admin_token"]],
            # only the CMO's link may be revoked or reissued: the CEO's keeps answering
            "respondent_id": _rows(
                fs, "SELECT respondent_id FROM assess_respondents WHERE seq = 2"
            ),
            "org_id": [new["organization"]["org_id"]],
            "assessment_id": [new["assessment"]["assessment_id"]],
            "action": ["revoke", "reissue"],
            "fmt": ["html", "md", "pdf"],
            "path": ["style.css", "favicon.svg"],
        }
        values["assessment"] = values["assessment_id"]
        values["role"] = values["key"][:3]
        assert set(values) == FROM_STORE and all(values.values()), values
        app = create_app(fs.store, clock=lambda: TODAY)
        loop = asyncio.new_event_loop()
        transport = httpx.ASGITransport(app=_ClientFromHeader(app))
        client = httpx.AsyncClient(transport=transport, base_url="http://testserver")
        w = Web(fs, client, loop, values, _routes(app))
        try:
            for route in w.routes:  # answers that fill caches come before the counter
                if "{" not in route.path and "GET" in (route.methods or ()):
                    w.request("GET", route.path)
            w.request("GET", "/search?q=care")
            for token in values["token"]:
                page = w.request("GET", f"/assess/r/{token}").text
                page += w.request("GET", f"/assess/admin/{token}").text
                found = re.search(r'name="form_token" value="([0-9a-f]+)"', page)
                if found:
                    w.form_tokens[token] = found.group(1)
            assert len(w.form_tokens) == len(values["token"])
            fs.watch()
            yield w
        finally:
            loop.run_until_complete(client.aclose())
            loop.close()


def _routes(app: Any) -> list[Any]:
    """Every route of the app; a mount (static files) as the route ``<mount>/{path}``."""
    return [
        SimpleNamespace(path=f"{r.path}/{{path}}", methods={"GET", "HEAD"}, dependant=None)
        if isinstance(r, Mount)
        else r
        for r in flat_routes(app.router.routes)
    ]


QUERY = {
    "as_of": st.sampled_from(["2020-01-01", "2026-06-30", "1900-01-01"]),
    "limit": st.sampled_from(["1", "2", "50", "0", "-1", "1000000", "9" * 30, "1.5"]),
    "cursor": st.sampled_from(["", "abc", "eyJ9", "MTA=", "0", "-1"]),
    "q": st.sampled_from(["care", "99490", "nurse", "*", '"', "NEAR(", "care AND", "-"]),
    "kind": st.sampled_from(["document", "code", "role", "Document", "all"]),
    "program": st.sampled_from(["ccm", "rpm", "pcm", "bhi", "tcm", "cocm", "xx"]),
    "eligible": st.sampled_from(["1000", "0", "1e308", "nan", "-5", "10000001"]),
    "enrolment": st.sampled_from(["0.35", "0", "1", "1.01", "-0.1", "nan"]),
    "year": st.sampled_from(["2026", "2025", "0", "3000", "-1"]),
    "locality": st.sampled_from(["0111205", "00000", "99", "x"]),
    "horizon": st.sampled_from(["1", "2", "3", "0", "-1", "all"]),
}
"""Declared query parameters: plausible and out-of-range values (plus any hostile text)."""
FROM_STORE = {"key", "code", "number", "token", "respondent_id", "org_id", "assessment_id"}
FROM_STORE |= {"action", "fmt", "path", "assessment", "role"}
"""Parameters whose real values the fixture finds (in the store or the app), plus hostile text."""


def test_every_route_has_a_strategy(tmp_path: Path) -> None:
    """Fails when a route declares a path or query parameter this module cannot fill, or a
    POST route has no body strategy."""
    from payforce.store.db import Store

    store = Store.open(f"sqlite:///{tmp_path / 'payforce.db'}")
    try:
        routes = _routes(create_app(store))
    finally:
        store.dispose()
    known = set(QUERY) | FROM_STORE
    for route in routes:
        dep = getattr(route, "dependant", None)
        names = {p.name for p in dep.path_params + dep.query_params} if dep else set()
        names |= set(re.findall(r"{(\w+)}", route.path))
        assert names <= known, f"{route.path}: no strategy for {sorted(names - known)}"
        if "POST" in (getattr(route, "methods", None) or ()):
            assert route.path in BODIES, f"POST {route.path}: no body strategy"
    assert len(routes) >= 39


@dataclass(frozen=True)
class Real:
    """The ``i``-th real value of a parameter, looked up in the fixture's values when sent
    (strategies do not depend on the store, so each is built once)."""

    i: int


REAL = st.integers(0, 7).map(Real)


def _param(name: str) -> st.SearchStrategy[Any]:
    real = [REAL, REAL] if name in FROM_STORE else []
    plausible = [QUERY[name], QUERY[name]] if name in QUERY else []
    return st.one_of(*real, *plausible, anything)


PARAMS = {name: _param(name) for name in sorted(FROM_STORE | set(QUERY))}
NAMES = st.one_of(st.sampled_from([*QUERY, "", "x"]), anything)
"""Query names nobody declared here, or another route's."""


def _resolve(web: Web, name: str, value: Any) -> str:
    if isinstance(value, Real):
        real = web.values[name]
        return real[value.i % len(real)]
    return str(value)


_BUILT: dict[Any, Any] = {}


def _once(key: Any, make: Any) -> Any:
    if key not in _BUILT:
        _BUILT[key] = make()
    return _BUILT[key]


def path_values(route: Any) -> st.SearchStrategy[tuple[Any, ...]]:
    names = re.findall(r"{(\w+)}", route.path)
    return _once(("path", route.path), lambda: st.tuples(*(PARAMS[n] for n in names)))


def fill(web: Web, route: Any, values: tuple[Any, ...]) -> str:
    """The route's path with its parameters replaced by ``values`` (URL-quoted)."""
    names = iter(zip(re.findall(r"{(\w+)}", route.path), values, strict=True))

    def one(_match: re.Match[str]) -> str:
        return quote(_resolve(web, *next(names)), safe="") or "%20"

    return re.sub(r"{(\w+)}", one, route.path)


def query_values(route: Any) -> st.SearchStrategy[list[tuple[str, Any]]]:
    """Declared parameters (any may repeat), unknown ones, in any order."""
    dep = getattr(route, "dependant", None)
    declared = [p.name for p in dep.query_params] if dep else []
    pairs = [st.tuples(st.just(n), PARAMS[n]) for n in declared] * 2
    return _once(
        ("query", route.path),
        lambda: st.lists(st.one_of(*pairs, st.tuples(NAMES, anything)), max_size=4),
    )


def url(web: Web, path: str, query: list[tuple[str, Any]]) -> str:
    if not query:
        return path
    shown = [(k, _resolve(web, k, v)) for k, v in query]
    return path + "?" + "&".join(f"{quote(k, safe='')}={quote(v, safe='')}" for k, v in shown)


def _header(choices: list[str], free: bool = True) -> st.SearchStrategy[Any]:
    return st.one_of(st.sampled_from(choices), ascii_text) if free else st.sampled_from(choices)


HEADERS = st.fixed_dictionaries(
    # about one request in eleven shares the rate-limit bucket "testclient" (to reach 429)
    {CLIENT: st.integers(0, 4400).map(lambda n: "testclient" if n >= 4000 else str(n))},
    optional={
        "accept": _header(["text/html", "application/json", "*/*", "text/plain"]),
        "origin": _header(["http://testserver", "https://evil.example", "null", ""]),
        "referer": _header(["http://testserver/x", "https://evil.example/", "::"]),
        "authorization": st.one_of(REAL, _header(["Bearer ", "Bearer x", "Basic eDp5"])),
        "if-none-match": _header(['"abc"', "*", 'W/"x"']),
        "range": _header(["bytes=0-10", "bytes=x", "bytes=-1"]),
        "accept-encoding": _header(["gzip", "br", "identity;q=0", "*"]),
        # not free text: httpx itself must parse Host to send the request at all
        "host": _header(["testserver", "evil.example", "[::1]", "testserver:80"], free=False),
        "x-forwarded-for": _header(["1.2.3.4", "", "x"]),
        "cookie": _header(["a=b", "=", ";;"]),
    },
)


def headers(web: Web, drawn: dict[str, Any]) -> dict[str, str]:
    out = dict(drawn)
    if isinstance(out.get("authorization"), Real):
        out["authorization"] = f"Bearer {_resolve(web, 'token', out['authorization'])}"
    return out


def _deep(n: int) -> bytes:
    return b'{"answers": ' + b"[" * n + b"]" * n + b"}"


LEVEL = st.integers(0, 5)
"""A valid answer (drawn often, so that saves happen and later rejections have data to keep)."""
answers = st.dictionaries(
    st.one_of(st.sampled_from(QUESTIONS), st.sampled_from(QUESTIONS), anything),
    st.one_of(LEVEL, LEVEL, st.integers(-2, 6), st.sampled_from(HOSTILE), st.none(), st.floats()),
    max_size=4,
)


@st.composite
def json_bodies(draw: Any) -> bytes:
    kind = draw(st.sampled_from(["answers", "answers", "notes", "deep", "huge", "bad", "other"]))
    if kind == "deep":
        return _deep(draw(st.sampled_from([10, 31, 33, 2000])))
    if kind == "huge":
        return b'{"answers": {"D1.01": "' + b"x" * draw(st.sampled_from([1000, 300_000])) + b'"}}'
    if kind == "bad":
        return draw(st.sampled_from([b"{", b"", b"nul", b'{"answers": NaN}', b"\xff\xfe{}"]))
    if kind == "other":
        return json.dumps(draw(st.one_of(st.lists(anything, max_size=2), anything))).encode()
    notes = draw(st.dictionaries(st.sampled_from(QUESTIONS), anything, max_size=2))
    body: dict[str, Any] = {"answers": draw(answers)}
    if kind == "notes":
        body["notes"] = draw(st.one_of(st.just(notes), anything, st.lists(anything, max_size=2)))
    return json.dumps(body, allow_nan=True).encode()


FORM = st.tuples(
    st.just("form"),
    st.dictionaries(
        st.sampled_from(QUESTIONS),
        st.one_of(LEVEL.map(str), LEVEL.map(str), st.integers(-1, 6).map(str), anything),
        max_size=4,
    ),
    st.dictionaries(st.sampled_from(QUESTIONS), anything, max_size=2),
    st.one_of(*[st.sampled_from(["right", "right", "other", "none"])] * 3, anything),
)
"""A form post: answers, notes and the per-form token (this page's, another's, none, junk)."""
WRONG_TYPES = [
    "text/plain",
    "application/json",
    "multipart/form-data; boundary=xyz",
    "multipart/form-data",
    "application/x-www-form-urlencoded",
    "application/xml",
    "",
]
JSON_BODIES = json_bodies()
RAW = st.tuples(
    st.just("raw"),
    st.sampled_from(WRONG_TYPES),
    st.one_of(
        st.binary(max_size=300), JSON_BODIES, st.just(b"--xyz\r\nContent-Disposition: form-data")
    ),
)
JSON = st.tuples(
    st.just("raw"),
    st.sampled_from(["application/json", "application/json; charset=utf-8"]),
    JSON_BODIES,
)
BODIES = {
    "/assess/r/{token}": st.one_of(FORM, FORM, RAW),
    "/assess/admin/{token}/respondents/{respondent_id}/{action}": st.one_of(FORM, FORM, RAW),
    "/api/assess/respondent/{token}/answers": st.one_of(JSON, JSON, RAW),
}
"""Body strategy per POST route."""


def body(web: Web, token: str, drawn: tuple[Any, ...]) -> dict[str, Any]:
    """httpx arguments for a drawn body (the form token resolved for the URL's token)."""
    if drawn[0] == "raw":
        return {"content": drawn[2], "headers": {"content-type": drawn[1]}}
    _, answers_, notes, guard = drawn
    form = {**answers_, **{f"note-{q}": text for q, text in notes.items()}}
    if guard != "none":
        other = next(iter(web.form_tokens.values()))
        right = web.form_tokens.get(token, "")
        form["form_token"] = {"right": right, "other": other}.get(guard, guard)
    return {"data": form}


ROUTE = st.sampled_from(range(1024))
"""Which route (modulo the number of routes; not ``integers``, which favours 0)."""
HEAVY = {"/api/backtest", "/backtest"}
"""Routes whose every answer costs over 30 ms (the whole backtest): drawn a quarter as often."""


def pick(routes: list[Any], i: int) -> Any:
    """Route ``i`` of a list where every route counts four times and a heavy one once."""
    weighted = [r for r in routes for _ in range(1 if r.path in HEAVY else 4)]
    return weighted[i % len(weighted)]


@settings(FUZZ, max_examples=N_GET)
@given(i=ROUTE, method=st.sampled_from(["GET"] * 8 + ["HEAD", "OPTIONS"]), data=st.data())
def test_get_routes(web: Web, i: int, method: str, data: Any) -> None:
    route = pick([r for r in web.routes if "GET" in (r.methods or ())], i)
    path = fill(web, route, data.draw(path_values(route)))
    query = data.draw(query_values(route))
    web.driven[f"GET {route.path}"] += 1
    web.send(method, url(web, path, query), headers=headers(web, data.draw(HEADERS)))


@settings(FUZZ, max_examples=N_POST)
@given(i=ROUTE, data=st.data())
def test_post_routes(web: Web, i: int, data: Any) -> None:
    route = pick([r for r in web.routes if "POST" in (r.methods or ())], i)
    path = fill(web, route, data.draw(path_values(route)))
    token = path.split("/")[3] if path.startswith("/assess/") else path.split("/")[4]
    kw = body(web, token, data.draw(BODIES[route.path]))
    kw["headers"] = {**headers(web, data.draw(HEADERS)), **kw.get("headers", {})}
    web.driven[f"POST {route.path}"] += 1
    web.send("POST", url(web, path, data.draw(query_values(route))), **kw)


RAW_PATHS = [
    "/static/",
    "/static/%2e%2e/app.py",
    "/static/..%2fapp.py",
    "/%2F",
    "/roles/",
    "/api/roles/%00",
    "/%2e%2e/%2e%2e/etc/passwd",
    "/api",
    "/static/style.css",
    "/assess/r/",
    "/api/assess/orgs/x/assessments/",
    "/codes/" + "9" * 5000,
    "/;x",
    "/?",
]


@settings(FUZZ, max_examples=N_OTHER)
@given(
    kind=st.sampled_from(["method", "method", "unknown", "raw"]),
    i=ROUTE,
    method=st.sampled_from(["PUT", "DELETE", "PATCH", "TRACE", "POST", "GET", "HEAD"]),
    parts=st.lists(anything, min_size=1, max_size=4),
    data=st.data(),
)
def test_other_methods_and_paths(web: Web, kind: str, i: int, method: str, parts, data) -> None:
    if kind == "method":  # every method on every route (most answer 405 with Allow)
        route = pick(web.routes, i)
        path = fill(web, route, data.draw(path_values(route)))
    elif kind == "unknown":
        path = "/" + "/".join(quote(p, safe="") or "%20" for p in parts)  # no "//": not a URL
    else:
        path = RAW_PATHS[i % len(RAW_PATHS)]
    web.send(method, path, headers=headers(web, data.draw(HEADERS)))


def test_every_route_was_driven(web: Web) -> None:
    """Runs after the tests above: each route got its share of requests (a heavy one less)."""
    if scaled(100) < 100:
        pytest.skip("PAYFORCE_FUZZ_SCALE below 1: too few requests to reach every route")
    wanted = {f"{m} {r.path}" for r in web.routes for m in ("GET", "POST") if m in r.methods}
    least = min(web.driven[k] for k in wanted)
    assert set(web.driven) == wanted and least >= scaled(20), sorted(
        web.driven.items(), key=lambda kv: kv[1]
    )[:4]
