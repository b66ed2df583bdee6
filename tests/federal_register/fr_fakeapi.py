"""A fake Federal Register API for tests: MockTransport handler and loopback HTTP server.

It serves *synthesized variations of real records* (see tests/fixtures/federal_register/
PROVENANCE.md): the real CY2024 PFS proposed-rule record (2023-14624), cut to the fields payforce
asks for, with the document number, dates, title and file code varied. It behaves like the real
API where payforce relies on it:

- ``documents.json`` filters by ``conditions[publication_date][gte|lte]`` and, when given,
  ``conditions[type][]``; ``count`` is capped at 10,000;
- pages of ``per_page`` records, ``next_page_url`` on the public host with percent-encoded
  brackets and a ``search_after_cursor``, pointing at ``/api/v1/documents?…&format=json``;
- the page-window trap: ``page`` above 50, or past the 10,000-result window, returns page 1;
- zero hits return only ``description`` and ``count``;
- ``documents/N.json`` and ``documents/N1,N2.json``; full-text URLs.
"""

from __future__ import annotations

import base64
import json
import math
import threading
import time
from collections.abc import Callable
from datetime import date, timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlencode

import httpx

from payforce.sources.federal_register import SEARCH_FIELDS

FIXTURES = Path(__file__).parent.parent / "fixtures" / "federal_register"
PUBLIC = "https://www.federalregister.gov/api/v1"
KEEP = SEARCH_FIELDS  # the fields[] the client asks for


def fixture(name: str) -> Path:
    """Path of a recorded fixture; fails loudly when missing."""
    path = FIXTURES / name
    if not path.exists():
        raise FileNotFoundError(f"missing fixture file {path}")
    return path


def real_template() -> dict[str, Any]:
    """The real 2023-14624 record, cut to the fields payforce asks for."""
    data = json.loads(fixture("document_2023-14624_reserialized.json").read_text())
    return {k: data.get(k) for k in KEEP}


def synth_record(
    template: dict[str, Any],
    i: int,
    day: date,
    *,
    kind: str = "Proposed Rule",
    file_code: str | None = None,
) -> dict[str, Any]:
    """A variation of the real record: number, date, title, file code and dates changed."""
    number = f"{day.year}-{90000 + i:05d}"
    rec = dict(template)
    rec["document_number"] = number
    rec["publication_date"] = day.isoformat()
    rec["type"] = kind
    rec["action"] = "Proposed rule." if kind == "Proposed Rule" else "Final rule."
    rec["title"] = f"{template['title']} (variation {i})"
    rec["docket_ids"] = [file_code or f"CMS-{1000 + i}-{'P' if kind == 'Proposed Rule' else 'F'}"]
    rec["regulation_id_numbers"] = [f"0938-A{chr(65 + i % 26)}{i % 100:02d}"]
    rec["comments_close_on"] = (
        (day + timedelta(days=60)).isoformat() if kind == "Proposed Rule" else None
    )
    rec["effective_on"] = (day + timedelta(days=60)).isoformat() if kind == "Rule" else None
    rec["html_url"] = f"https://www.federalregister.gov/d/{number}"
    rec["json_url"] = f"{PUBLIC}/documents/{number}.json"
    rec["raw_text_url"] = f"https://www.federalregister.gov/documents/full_text/text/{number}.txt"
    rec["regulations_dot_gov_info"] = {}
    return rec


def synth_records(n: int, start: date, per_day: int = 1, **kw: Any) -> list[dict[str, Any]]:
    """``n`` variations, ``per_day`` per publication day from ``start``."""
    t = real_template()
    return [synth_record(t, i, start + timedelta(days=i // per_day), **kw) for i in range(n)]


class FakeFederalRegister:
    """Serves records like the API; every request is logged in ``requests``."""

    def __init__(
        self,
        records: list[dict[str, Any]],
        *,
        etags: bool = False,
        full_texts: dict[str, str] | None = None,
        delay: float = 0.0,
    ) -> None:
        self.records = sorted(records, key=lambda r: (r["publication_date"], r["document_number"]))
        self.etags = etags
        self.full_texts = full_texts or {}
        self.delay = delay
        self.requests: list[str] = []
        self.last_headers: dict[str, str] = {}
        self.faults: list[Callable[[httpx.Request], httpx.Response | None]] = []

    # ---- routing
    def __call__(self, request: httpx.Request) -> httpx.Response:
        self.requests.append(str(request.url))
        self.last_headers = dict(request.headers)
        for fault in list(self.faults):
            response = fault(request)
            if response is not None:
                return response
        if self.delay:
            time.sleep(self.delay)
        path = request.url.path
        if "/full_text/" in path:
            number = path.rsplit("/", 1)[-1].split(".")[0]
            return httpx.Response(200, text=self.full_texts.get(number, "No codes here."))
        if path.endswith("/documents.json") or path.endswith("/documents"):
            response = self._search(request)
            etag = response.headers.get("etag")
            if etag and request.headers.get("if-none-match") == etag:
                return httpx.Response(304, headers={"etag": etag})
            return response
        if "/documents/" in path:
            return self._documents(path.rsplit("/", 1)[-1].removesuffix(".json"))
        return httpx.Response(404, json={"errors": {"path": "not found"}})

    def _documents(self, numbers: str) -> httpx.Response:
        wanted = numbers.split(",")
        found = [r for r in self.records if r["document_number"] in wanted]
        if len(wanted) == 1:
            return httpx.Response(200, json=found[0]) if found else httpx.Response(404)
        return httpx.Response(200, json={"count": len(found), "results": found})

    def _search(self, request: httpx.Request) -> httpx.Response:
        q = parse_qs(request.url.query.decode())
        gte = q.get("conditions[publication_date][gte]", ["0000"])[0]
        lte = q.get("conditions[publication_date][lte]", ["9999"])[0]
        types = {
            {"RULE": "Rule", "PRORULE": "Proposed Rule", "NOTICE": "Notice"}[t]
            for t in q.get("conditions[type][]", [])
        }
        per_page = int(q.get("per_page", ["20"])[0])
        page = int(q.get("page", ["1"])[0])
        hits = [
            r
            for r in self.records
            if gte <= r["publication_date"] <= lte and (not types or r["type"] in types)
        ]
        count = min(len(hits), 10_000)
        if count == 0:
            return self._json({"description": "Documents matching", "count": 0})
        if page > 50 or (page - 1) * per_page >= 10_000:
            page = 1  # the trap: silently page 1
        chunk = hits[(page - 1) * per_page : page * per_page]
        body: dict[str, Any] = {
            "description": f"Documents published from {gte} to {lte}",
            "count": count,
            "total_pages": min(50, math.ceil(count / per_page)),
        }
        if page * per_page < count:
            params = [(k, v) for k, vs in q.items() if k not in ("page", "fields[]") for v in vs]
            cursor = (
                base64.urlsafe_b64encode(json.dumps([0, chunk[-1]["document_number"]]).encode())
                .decode()
                .rstrip("=")
            )
            params += [("format", "json"), ("page", str(page + 1)), ("search_after_cursor", cursor)]
            params += [("fields[]", f) for f in q.get("fields[]", [])]
            body["next_page_url"] = f"{PUBLIC}/documents?{urlencode(params)}"
        body["results"] = chunk
        return self._json(body)

    def _json(self, body: dict[str, Any]) -> httpx.Response:
        raw = json.dumps(body, separators=(",", ":")).encode()
        headers = {"content-type": "application/json; charset=utf-8"}
        if self.etags:
            import hashlib

            headers["etag"] = 'W/"' + hashlib.md5(raw).hexdigest() + '"'
        return httpx.Response(200, content=raw, headers=headers)


class _Handler(BaseHTTPRequestHandler):
    fake: FakeFederalRegister

    def do_GET(self) -> None:  # noqa: N802 (http.server API)
        request = httpx.Request(
            "GET", f"http://127.0.0.1{self.path}", headers=dict(self.headers.items())
        )
        if_none = self.headers.get("If-None-Match")
        response = self.fake(request)
        body = response.content
        if if_none and response.headers.get("etag") == if_none:
            self.send_response(304)
            self.end_headers()
            return
        self.send_response(response.status_code)
        for k, v in response.headers.items():
            if k.lower() not in ("content-length", "transfer-encoding"):
                self.send_header(k, v)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, format: str, *args: Any) -> None:  # noqa: A002
        return


class LoopbackServer:
    """Run a FakeFederalRegister on a free loopback port (context manager)."""

    def __init__(self, fake: FakeFederalRegister) -> None:
        handler = type("Handler", (_Handler,), {"fake": fake})
        self.server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    @property
    def base_url(self) -> str:
        host, port = self.server.server_address[:2]
        return f"http://{host}:{port}/api/v1"

    def __enter__(self) -> LoopbackServer:
        self.thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.server.shutdown()
        self.server.server_close()
