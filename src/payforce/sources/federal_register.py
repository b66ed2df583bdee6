"""Federal Register API v1: search, single and multiple documents, full text.

``fetch_*`` functions do network I/O through the ``httpx.Client`` they are given (built by
``payforce.sources.base.http_client``); ``parse_*`` functions are pure.

The API's traps, and what we do about each:

- A search yields at most ``RESULT_CAP`` (10,000) results and ``count`` itself is capped, so
  :func:`iter_slices` partitions the window by publication date (calendar months first) and
  halves any slice whose count reaches the cap; a one-day slice still at the cap is an error.
- A ``page`` above ``MAX_PAGE`` (50) or past the 10,000-result window silently returns page 1:
  we never request such a page, and a page whose documents were all seen before is an error.
- ``next_page_url`` points at the public host; it is rebased onto the configured base URL so a
  mirror or test server is followed, never the real site.
- A zero-hit search has no ``results`` key; ``total_pages`` is capped and not trusted.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any
from urllib.parse import parse_qs, urlsplit

import httpx

from payforce.errors import FetchError, InputError
from payforce.sources.base import CONTENT_HASH_HEADER
from payforce.sources.fr_files import iter_file_records
from payforce.sources.fr_records import (
    DATE_FIELDS,
    DOCUMENT_FIELDS,
    FULL_TEXT_CFR_PARTS,
    FRRecord,
    RecordRow,
    SearchPage,
    SkippedRecord,
    needs_full_text,
    parse_document_response,
    parse_record,
    parse_record_row,
    parse_search_page,
    record_from_row,
)

__all__ = [
    "DATE_FIELDS",
    "DEFAULT_AGENCIES",
    "DOCUMENT_FIELDS",
    "DEFAULT_TYPES",
    "FULL_TEXT_CFR_PARTS",
    "MAX_PAGE",
    "PER_PAGE",
    "RESULT_CAP",
    "SEARCH_FIELDS",
    "TYPE_CODES",
    "FRRecord",
    "FetchedSlice",
    "RecordRow",
    "SearchPage",
    "SearchQuery",
    "SkippedRecord",
    "build_search_params",
    "fetch_document",
    "fetch_documents",
    "fetch_full_text",
    "fetch_search_page",
    "iter_file_records",
    "iter_slices",
    "month_windows",
    "needs_full_text",
    "parse_document_response",
    "parse_record",
    "parse_record_row",
    "parse_search_page",
    "record_from_row",
]

RESULT_CAP = 10_000
"""Most results one search can return; ``count`` is capped at this value too."""
MAX_PAGE = 50
"""Highest page the API serves; a higher page silently returns page 1."""
PER_PAGE = 1000
"""Largest page size the API accepts."""

DEFAULT_AGENCIES: tuple[str, ...] = (
    "centers-for-medicare-medicaid-services",
    "health-and-human-services-department",
    "national-coordinator-for-health-information-technology-office",
    "civil-rights-office-health-and-human-services-department",
)
"""CMS, HHS (the Secretary's own rules), ASTP/ONC (health IT certification, information
blocking: 45 CFR 170/171) and HHS OCR (HIPAA, section 1557: 45 CFR 92/160/164). See
docs/federal-register.md for how the slugs were checked."""

TYPE_CODES: dict[str, str] = {
    "RULE": "Rule",
    "PRORULE": "Proposed Rule",
    "NOTICE": "Notice",
    "PRESDOCU": "Presidential Document",
}
"""The API's ``conditions[type][]`` codes and the ``type`` names its records carry."""
DEFAULT_TYPES: tuple[str, ...] = ("RULE", "PRORULE")
"""Rules and proposed rules: the documents a rulemaking lifecycle is made of."""

SEARCH_FIELDS: tuple[str, ...] = (
    "abstract",
    "action",
    "agencies",
    "body_html_url",
    "cfr_references",
    "citation",
    "comments_close_on",
    "correction_of",
    "corrections",
    "docket_ids",
    "document_number",
    "effective_on",
    "full_text_xml_url",
    "html_url",
    "json_url",
    "publication_date",
    "raw_text_url",
    "regulation_id_numbers",
    "regulations_dot_gov_info",
    "title",
    "type",
)
"""The ``fields[]`` we ask for (explicit, so the response shape does not drift)."""


@dataclass(frozen=True)
class SearchQuery:
    """The conditions of a documents search (publication dates come from the slice)."""

    agencies: tuple[str, ...] = DEFAULT_AGENCIES
    """Agency slugs (``conditions[agencies][]``), OR-ed by the API."""
    types: tuple[str, ...] = DEFAULT_TYPES
    """Type codes (``conditions[type][]``): RULE, PRORULE, NOTICE, PRESDOCU."""
    cfr: str = ""
    """``conditions[cfr][title]`` and ``[part]`` as ``TITLE:PART``, e.g. ``42:414``."""
    docket_id: str = ""
    """``conditions[docket_id]``."""
    rin: str = ""
    """``conditions[regulation_id_number]``."""
    term: str = ""
    """``conditions[term]`` full-text search."""

    def __post_init__(self) -> None:
        bad = [t for t in self.types if t not in TYPE_CODES]
        if bad:
            raise InputError(
                f"--type: unknown document type ({bad[0]!r})",
                hint="Use one of " + ", ".join(TYPE_CODES),
            )
        if self.cfr and not re.fullmatch(r"\d+:\d+[A-Za-z]?", self.cfr):
            raise InputError(f"--cfr: not TITLE:PART ({self.cfr!r})", hint="Use e.g. 42:414")

    @property
    def scope_key(self) -> str:
        """A stable name for this scope; each scope keeps its own sync watermark."""
        text = self.describe()
        return hashlib.sha256(text.encode()).hexdigest()[:16]

    def describe(self) -> str:
        """Readable one-line description of the scope."""
        parts = [
            "agencies=" + ",".join(sorted(self.agencies)),
            "types=" + ",".join(sorted(self.types)),
        ]
        for name in ("cfr", "docket_id", "rin", "term"):
            value = getattr(self, name)
            if value:
                parts.append(f"{name}={value}")
        return " ".join(parts)


def build_search_params(
    query: SearchQuery, start: date, end: date, *, per_page: int = PER_PAGE
) -> list[tuple[str, str]]:
    """Query parameters for one slice's first page (later pages follow ``next_page_url``)."""
    params: list[tuple[str, str]] = [("per_page", str(per_page)), ("order", "oldest")]
    params += [("fields[]", f) for f in SEARCH_FIELDS]
    params += [("conditions[agencies][]", a) for a in query.agencies]
    params += [("conditions[type][]", t) for t in query.types]
    params += [
        ("conditions[publication_date][gte]", start.isoformat()),
        ("conditions[publication_date][lte]", end.isoformat()),
    ]
    if query.cfr:
        title, part = query.cfr.split(":")
        params += [("conditions[cfr][title]", title), ("conditions[cfr][part]", part)]
    if query.docket_id:
        params.append(("conditions[docket_id]", query.docket_id))
    if query.rin:
        params.append(("conditions[regulation_id_number]", query.rin))
    if query.term:
        params.append(("conditions[term]", query.term))
    return params


@dataclass(frozen=True)
class FetchedSlice:
    """All pages of one publication-date slice whose count is under the cap."""

    start: date
    """First publication date (inclusive)."""
    end: date
    """Last publication date (inclusive)."""
    count: int
    """Documents the API reported for the slice."""
    pages: tuple[SearchPage, ...] = field(default_factory=tuple)
    """The pages, in order."""

    @property
    def records(self) -> list[dict[str, Any]]:
        """Every raw record of the slice."""
        return [r for p in self.pages for r in p.records]

    @property
    def content_hash(self) -> str:
        """Hash over the pages' bodies: equal hashes mean an unchanged slice."""
        h = hashlib.sha256()
        for p in self.pages:
            h.update(p.content_hash.encode())
        return h.hexdigest()


# --------------------------------------------------------------------------- fetching


def _get(
    client: httpx.Client, url: str, params: list[tuple[str, str]] | None = None
) -> httpx.Response:
    try:
        response = client.get(url, params=tuple(params) if params else None)
    except httpx.TimeoutException as exc:
        raise FetchError(
            f"timed out after retries ({type(exc).__name__})",
            url=url,
            hint="The Federal Register is slow or unreachable; rerun later (whole slices are kept)",
        ) from exc
    except httpx.TransportError as exc:
        raise FetchError(
            f"cannot connect ({exc})",
            url=url,
            hint="Check the network or PAYFORCE_FR_API_URL; rerun to resume",
        ) from exc
    if response.status_code != 200:
        shown = str(response.request.url) if response.request else url
        raise FetchError(
            f"unexpected response ({response.text[:80].strip()!r})",
            url=shown,
            status=response.status_code,
            hint="Retries are exhausted; rerun later (finished slices are kept)"
            if response.status_code in (429, 500, 502, 503, 504)
            else "Check the agency slugs, types and dates",
        )
    return response


def _rebase(next_url: str, base_url: str) -> str:
    """Point the API's absolute ``next_page_url`` at the configured base URL."""
    parts = urlsplit(next_url)
    marker = "/api/v1/"
    idx = parts.path.find(marker)
    if idx < 0:
        return next_url
    rest = parts.path[idx + len(marker) :]
    return f"{base_url.rstrip('/')}/{rest}" + (f"?{parts.query}" if parts.query else "")


def _page_number(url: str) -> int:
    values = parse_qs(urlsplit(url).query).get("page")
    try:
        return int(values[0]) if values else 1
    except ValueError:
        return 1


def fetch_search_page(
    client: httpx.Client, url: str, params: list[tuple[str, str]] | None = None
) -> SearchPage:
    """GET one search page and parse it."""
    response = _get(client, url, params)
    source = str(response.request.url) if response.request else url
    page = parse_search_page(response.content, source)
    digest = response.headers.get(CONTENT_HASH_HEADER)
    if digest:
        page = SearchPage(page.count, page.next_page_url, page.records, page.source, digest)
    return page


def _follow_pages(
    client: httpx.Client, base_url: str, first: SearchPage, per_page: int
) -> Iterator[SearchPage]:
    """Yield ``first`` and the pages after it, guarding the page window and repeats."""
    seen: set[str] = {str(r.get("document_number")) for r in first.records}
    page = first
    yield page
    while page.next_page_url and page.records:
        url = _rebase(page.next_page_url, base_url)
        number = _page_number(url)
        if number > MAX_PAGE or (number - 1) * per_page >= RESULT_CAP:
            raise FetchError(
                f"next page {number} is past the API's window (page ≤ {MAX_PAGE}, "
                f"{RESULT_CAP} results)",
                url=url,
                hint="The API would silently return page 1; this slice should have been split",
            )
        page = fetch_search_page(client, url)
        numbers = {str(r.get("document_number")) for r in page.records}
        if numbers and numbers <= seen:
            raise FetchError(
                f"page {number} repeats documents already received ({sorted(numbers)[0]}…)",
                url=url,
                hint="The API returned an earlier page again; nothing from this slice was written",
            )
        seen |= numbers
        yield page


def month_windows(since: date, until: date) -> list[tuple[date, date]]:
    """Calendar-month windows covering ``since``..``until`` (inclusive, clipped)."""
    if until < since:
        raise InputError(
            f"--until: before --since ({until.isoformat()} < {since.isoformat()})",
            hint="Give an --until on or after --since",
        )
    windows = []
    start = since
    while start <= until:
        next_month = (start.replace(day=1) + timedelta(days=32)).replace(day=1)
        end = min(until, next_month - timedelta(days=1))
        windows.append((start, end))
        start = end + timedelta(days=1)
    return windows


def iter_slices(
    client: httpx.Client,
    base_url: str,
    query: SearchQuery,
    since: date,
    until: date,
    *,
    per_page: int = PER_PAGE,
    on_split: Callable[[date, date, int], None] | None = None,
) -> Iterator[FetchedSlice]:
    """Every slice of the window, oldest first, each fully fetched and under the cap.

    A slice whose count reaches ``RESULT_CAP`` is halved by date; a one-day slice at the
    cap raises :class:`FetchError` (the API cannot list it completely).
    """
    url = f"{base_url.rstrip('/')}/documents.json"
    for window in month_windows(since, until):
        stack = [window]
        while stack:
            start, end = stack.pop()
            first = fetch_search_page(
                client, url, build_search_params(query, start, end, per_page=per_page)
            )
            if first.count >= RESULT_CAP:
                if start == end:
                    raise FetchError(
                        f"{start.isoformat()} alone has {first.count}+ documents, the API's cap",
                        url=first.source,
                        hint="Narrow the scope with --agency or --type; the day cannot be listed "
                        "completely",
                    )
                mid = start + timedelta(days=(end - start).days // 2)
                if on_split is not None:
                    on_split(start, end, first.count)
                stack.append((mid + timedelta(days=1), end))
                stack.append((start, mid))
                continue
            pages = tuple(_follow_pages(client, base_url, first, per_page))
            got = sum(len(p.records) for p in pages)
            if got != first.count:
                raise FetchError(
                    f"slice {start.isoformat()}..{end.isoformat()} listed {got} of "
                    f"{first.count} documents",
                    url=first.source,
                    hint="The listing changed or ended early; rerun to fetch the slice again",
                )
            yield FetchedSlice(start, end, first.count, pages)


def fetch_document(client: httpx.Client, base_url: str, number: str) -> dict[str, Any]:
    """One document's full record by number."""
    url = f"{base_url.rstrip('/')}/documents/{number}.json"
    response = _get(client, url)
    records = parse_document_response(response.content, url)
    return records[0]


def fetch_documents(
    client: httpx.Client, base_url: str, numbers: Iterable[str], *, batch: int = 20
) -> list[dict[str, Any]]:
    """Several documents by number, ``batch`` per request (``documents/N1,N2.json``)."""
    wanted = list(dict.fromkeys(numbers))
    out: list[dict[str, Any]] = []
    for i in range(0, len(wanted), batch):
        chunk = wanted[i : i + batch]
        url = f"{base_url.rstrip('/')}/documents/{','.join(chunk)}.json"
        out.extend(parse_document_response(_get(client, url).content, url))
    return out


def fetch_full_text(client: httpx.Client, record: FRRecord) -> tuple[str, str, str]:
    """The document's full text as ``(text, fmt, url)``; fmt is ``text``, ``html`` or ``gpo_xml``.

    Prefers plain text, then HTML, then the XML rendition.
    """
    for url, fmt in (
        (record.raw_text_url, "text"),
        (record.body_html_url, "html"),
        (record.full_text_xml_url, "gpo_xml"),
    ):
        if url:
            response = _get(client, url)
            return response.text, fmt, url
    raise FetchError(
        "no full-text link in the record",
        url=record.document.url,
        hint="Sync without --full-text, or fetch the document again",
    )
