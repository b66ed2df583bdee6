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
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from functools import lru_cache
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlsplit

import httpx
import orjson

from payforce.errors import FetchError, InputError, ParseError
from payforce.models import PolicyDocument
from payforce.sources.base import CONTENT_HASH_HEADER

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

FULL_TEXT_CFR_PARTS: frozenset[tuple[int, str]] = frozenset(
    [(42, p) for p in ("410", "414", "422", "425", "438")] + [(45, p) for p in ("92", "170", "171")]
)
"""Payment and health-IT CFR parts whose documents get their full text read (``--full-text``)."""

_CMS_FILE_CODE = re.compile(r"^CMS-\d{4,5}-[A-Z]{1,3}\d*$")
_TAG = re.compile(r"</?[A-Z][A-Z0-9]*>")
_AGENCY_SHORT = {
    "centers-for-medicare-medicaid-services": "CMS",
    "national-coordinator-for-health-information-technology-office": "ONC",
    "civil-rights-office-health-and-human-services-department": "OCR",
    "health-and-human-services-department": "HHS",
}


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
class SearchPage:
    """One page of a documents search."""

    count: int
    """Matching documents, as the API reports it (capped at ``RESULT_CAP``)."""
    next_page_url: str | None
    """The API's link to the next page, or None on the last page."""
    records: tuple[dict[str, Any], ...]
    """Raw result records."""
    source: str
    """URL or file the page came from."""
    content_hash: str = ""
    """sha256 of the body (unchanged content → unchanged hash)."""


@dataclass(frozen=True)
class FRRecord:
    """A parsed Federal Register record: the core document plus lifecycle details."""

    document: PolicyDocument
    """The document as the core ``documents`` table stores it."""
    action: str = ""
    """The API's ``action`` text, e.g. ``Final rule; correction``."""
    correction_of: str = ""
    """Document number this one corrects, when the API says so."""
    corrections: tuple[str, ...] = ()
    """Document numbers of corrections to this one (API links)."""
    agency_slugs: tuple[str, ...] = ()
    """Agency slugs, parents first."""
    cfr_refs: tuple[tuple[int, str], ...] = ()
    """(title, part) pairs affected."""
    raw_text_url: str = ""
    """Plain-text full text link."""
    body_html_url: str = ""
    """HTML full text link."""
    full_text_xml_url: str = ""
    """XML full text link."""

    @property
    def content_hash(self) -> str:
        """Hash of everything we store, to tell updated from unchanged records."""
        d = self.document
        parts = [
            d.document_number,
            d.type,
            d.title,
            d.publication_date.isoformat(),
            d.agency,
            d.citation,
            d.file_code,
            d.rin,
            d.docket,
            d.effective_date.isoformat() if d.effective_date else "",
            d.comments_close_date.isoformat() if d.comments_close_date else "",
            d.cfr_parts,
            d.summary,
            d.html_url,
            d.source_url,
            self.action,
            self.correction_of,
            ";".join(self.corrections),
            ";".join(self.agency_slugs),
        ]
        return _content_hash(parts)


@dataclass(frozen=True)
class SkippedRecord:
    """A record we could not use, kept with the reason (counted in the sync summary)."""

    document_number: str
    """Its document number, or ``?`` when it has none."""
    reason: str
    """Why it was skipped."""
    source: str
    """Where it came from."""


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


# --------------------------------------------------------------------------- parsing (pure)


def _loads(body: bytes, source: str) -> Any:
    try:
        return orjson.loads(body)
    except orjson.JSONDecodeError as exc:
        snippet = body[:40].decode("utf-8", "replace")
        raise ParseError(
            f"not JSON (line {exc.lineno}, column {exc.colno})",
            path=source,
            value=snippet,
            hint="The server sent something else; retry later or check PAYFORCE_FR_API_URL",
        ) from None


def parse_search_page(body: bytes, source: str) -> SearchPage:
    """Parse one ``documents.json`` search response (zero-hit pages have no ``results``)."""
    data = _loads(body, source)
    if not isinstance(data, dict) or not isinstance(data.get("count"), int):
        raise ParseError(
            "not a Federal Register search page: no integer 'count'",
            path=source,
            value=type(data).__name__ if not isinstance(data, dict) else sorted(data)[:5],
            hint="Check PAYFORCE_FR_API_URL points at the API (…/api/v1)",
        )
    results = data.get("results", [])
    if not isinstance(results, list) or not all(isinstance(r, dict) for r in results):
        raise ParseError("'results' is not a list of records", path=source, field="results")
    nxt = data.get("next_page_url")
    return SearchPage(
        count=data["count"],
        next_page_url=nxt if isinstance(nxt, str) and nxt else None,
        records=tuple(results),
        source=source,
        content_hash=hashlib.sha256(body).hexdigest(),
    )


def parse_document_response(body: bytes, source: str) -> list[dict[str, Any]]:
    """Records from a ``documents/N.json`` (one) or ``documents/N1,N2.json`` (many) response."""
    data = _loads(body, source)
    if isinstance(data, dict) and "results" in data and isinstance(data["results"], list):
        return list(data["results"])
    if isinstance(data, dict) and "document_number" in data:
        return [data]
    raise ParseError(
        "not a Federal Register document response",
        path=source,
        hint="Expected a document object or {'results': [...]}",
    )


def _iso_date(value: Any) -> str | None:
    """``YYYY-MM-DD`` text of a date value (timestamps are cut to their date), or None."""
    if not value or not isinstance(value, str):
        return None
    return _iso_text(value)


@lru_cache(maxsize=4096)
def _iso_text(value: str) -> str | None:
    try:
        return date.fromisoformat(value if len(value) == 10 else value[:10]).isoformat()
    except ValueError:
        return None


def _is_clean(text: str) -> bool:
    """True when ``" ".join(text.split())`` would return ``text`` unchanged (a fast check)."""
    if text[:1] == " " or text[-1:] == " " or "  " in text:
        return False
    if text.isascii():  # O(1); then the only whitespace besides " " is \t-\r and \x1c-\x1f
        return not (
            "\n" in text
            or "\t" in text
            or "\r" in text
            or "\x0b" in text
            or "\x0c" in text
            or "\x1c" in text
            or "\x1d" in text
            or "\x1e" in text
            or "\x1f" in text
        )
    return text.isprintable()  # every whitespace character but " " is unprintable


def _clean(text: Any) -> str:
    if not isinstance(text, str):
        return ""
    if "<" in text:
        text = _TAG.sub("", text)
    return text if _is_clean(text) else " ".join(text.split())


def _agency_details(agencies: Any) -> tuple[str, tuple[str, ...], str]:
    """``(label, slugs, ";"-joined slugs)`` of the record's ``agencies`` (non-objects ignored)."""
    key = tuple(
        [
            (a.get("slug"), a.get("parent_id") is not None, a.get("name") or a.get("raw_name"))
            for a in agencies or ()
            if isinstance(a, dict)
        ]
    )
    try:
        return _agency_details_for(key)
    except TypeError:  # an unhashable value in the record: same result, uncached
        return _agency_details_for.__wrapped__(key)


@lru_cache(maxsize=1024)
def _agency_details_for(
    raw: tuple[tuple[Any, bool, Any], ...],
) -> tuple[str, tuple[str, ...], str]:
    agencies = tuple((str(slug or ""), child, str(name or "")) for slug, child, name in raw)
    slugs = tuple(a[0] for a in agencies)
    return _label_for(agencies), slugs, ";".join(slugs)


def _label_for(agencies: tuple[tuple[str, bool, str], ...]) -> str:
    """``CMS (HHS)``-style label: the sub-agencies, then the parent in parentheses."""
    subs = [a for a in agencies if a[1]]
    parents = [a for a in agencies if not a[1]]
    parent = _AGENCY_SHORT.get(parents[0][0], "") if parents else ""
    names = [_AGENCY_SHORT.get(slug) or name or slug for slug, _, name in subs or parents]
    label = "; ".join(n for n in names if n)
    if subs and parent:
        label += f" ({parent})"
    return label


@lru_cache(maxsize=1024)
def _cfr_text(refs: tuple[tuple[int, str], ...]) -> str:
    by_title: dict[int, list[str]] = {}
    for title, part in refs:
        by_title.setdefault(title, [])
        if part not in by_title[title]:
            by_title[title].append(part)
    return "; ".join(f"{t} CFR " + "; ".join(parts) for t, parts in by_title.items())


def _content_hash(parts: Sequence[str]) -> str:
    return hashlib.blake2b("\x1f".join(parts).encode(), digest_size=16).hexdigest()


DOCUMENT_FIELDS: tuple[str, ...] = (
    "document_number",
    "type",
    "title",
    "publication_date",
    "agency",
    "citation",
    "file_code",
    "rin",
    "docket",
    "effective_date",
    "comments_close_date",
    "cfr_parts",
    "summary",
    "html_url",
    "source_url",
    "confidence",
    "key",
    "origin",
)
"""The :class:`PolicyDocument` fields, in the order of a :data:`RecordRow`'s document values."""
DATE_FIELDS: tuple[int, ...] = (3, 9, 10)
"""Positions of the dates (``YYYY-MM-DD`` text or None) among a row's document values."""

RecordRow = tuple[tuple[Any, ...], str, tuple[Any, ...]]
"""One parsed record as plain values, for bulk writes without building objects:

``(document, content_hash, details)`` where ``document`` holds the ``PolicyDocument`` values in
:data:`DOCUMENT_FIELDS` order (dates as ``YYYY-MM-DD`` text or None) and ``details`` is
``(action, correction_of, corrections_text, agency_slugs_text, corrections, agency_slugs,
cfr_refs, raw_text_url, body_html_url, full_text_xml_url)`` (``*_text``: ``;``-joined).
:func:`record_from_row` turns it into an :class:`FRRecord`.
"""


def parse_record_row(record: dict[str, Any], source: str) -> RecordRow | SkippedRecord:
    """Parse one API record into a :data:`RecordRow`, or a :class:`SkippedRecord` with a reason.

    The one Federal Register record parser: :func:`parse_record` builds its objects from this
    row, and bulk ingest writes the row's values straight to the database.
    """
    get = record.get
    number = get("document_number")
    if not isinstance(number, str) or not number.strip():
        return SkippedRecord("?", "no document_number", source)
    number = number.strip()
    published = _iso_date(get("publication_date"))
    if not published:
        return SkippedRecord(
            number, f"publication_date not a date ({get('publication_date')!r})", source
        )
    kind = get("type")
    if not isinstance(kind, str) or not kind:
        return SkippedRecord(number, "no type", source)
    title = _clean(get("title"))
    if not title:
        return SkippedRecord(number, "no title", source)
    label, slugs, slugs_text = _agency_details(get("agencies"))
    file_codes: list[str] = []
    dockets: list[str] = []
    for d in get("docket_ids") or ():
        if d:
            d = str(d)
            (file_codes if _CMS_FILE_CODE.match(d) else dockets).append(d)
    regs = get("regulations_dot_gov_info")
    if regs and isinstance(regs, dict):
        regs_docket = regs.get("docket_id")
        if isinstance(regs_docket, str) and regs_docket not in dockets:
            dockets.append(regs_docket)
    cfr = get("cfr_references")
    refs = _cfr_refs(cfr) if cfr else ()
    correction_of = get("correction_of")
    if isinstance(correction_of, dict):
        correction_of = correction_of.get("document_number")
    correction_of = str(correction_of or "")
    corrections = get("corrections")
    fixes = (
        tuple(
            [str(c.get("document_number") if isinstance(c, dict) else c) for c in corrections if c]
        )
        if corrections
        else ()
    )
    fixes_text = ";".join(fixes)
    rins = get("regulation_id_numbers")
    effective = _iso_date(get("effective_on"))
    closes = _iso_date(get("comments_close_on"))
    document = (
        number,
        kind,
        title,
        published,
        label,
        str(get("citation") or ""),
        "; ".join(file_codes),
        "; ".join([str(r) for r in rins if r]) if rins else "",
        "; ".join(dockets),
        effective,
        closes,
        _cfr_text(refs) if refs else "",
        _clean(get("abstract")),
        str(get("html_url") or ""),
        str(get("json_url") or source),
        "high",
        "",
        "federal_register",
    )
    action = _clean(get("action"))
    # the fields FRRecord.content_hash hashes, in its order, without building the objects
    digest = _content_hash(
        (*document[:9], effective or "", closes or "", *document[11:15])
        + (action, correction_of, fixes_text, slugs_text)
    )
    details = (
        action,
        correction_of,
        fixes_text,
        slugs_text,
        fixes,
        slugs,
        refs,
        str(get("raw_text_url") or ""),
        str(get("body_html_url") or ""),
        str(get("full_text_xml_url") or ""),
    )
    return document, digest, details


def record_from_row(row: RecordRow) -> FRRecord:
    """The :class:`FRRecord` of a parsed row."""
    values, _digest, details = row
    fields = dict(zip(DOCUMENT_FIELDS, values, strict=True))
    for i in DATE_FIELDS:
        name = DOCUMENT_FIELDS[i]
        fields[name] = date.fromisoformat(fields[name]) if fields[name] else None
    action, correction_of, _, _, fixes, slugs, refs, raw_text, body_html, full_text_xml = details
    return FRRecord(
        document=PolicyDocument(**fields),
        action=action,
        correction_of=correction_of,
        corrections=fixes,
        agency_slugs=slugs,
        cfr_refs=refs,
        raw_text_url=raw_text,
        body_html_url=body_html,
        full_text_xml_url=full_text_xml,
    )


def parse_record(record: dict[str, Any], source: str) -> FRRecord | SkippedRecord:
    """Turn one API record into an :class:`FRRecord`, or a :class:`SkippedRecord` with a reason."""
    row = parse_record_row(record, source)
    return row if isinstance(row, SkippedRecord) else record_from_row(row)


def _cfr_refs(value: Any) -> tuple[tuple[int, str], ...]:
    if not value:
        return ()
    refs = []
    for ref in value:
        if isinstance(ref, dict):
            title, part = ref.get("title"), ref.get("part")
            if title is not None and part is not None:
                try:
                    refs.append((int(title), str(part)))
                except (TypeError, ValueError):
                    continue
    return tuple(refs)


def needs_full_text(record: FRRecord) -> bool:
    """True when the document touches a payment or health-IT CFR part."""
    return any(ref in FULL_TEXT_CFR_PARTS for ref in record.cfr_refs)


def iter_file_records(path: Path) -> Iterator[tuple[dict[str, Any], str]]:
    """Records from a saved file: an API page, a document, a JSON array, or JSON lines.

    Yields ``(record, source)`` with ``source`` naming the file (and line for JSON lines).
    JSON lines are streamed; a file whose first line is not a whole JSON value is read whole.
    """
    name = str(path)
    try:
        fh = path.open("rb")
    except OSError as exc:
        raise InputError(f"{path}: cannot read ({exc.strerror})", hint="Check the path") from None
    with fh:
        first = fh.readline()
        try:
            item = orjson.loads(first)
        except orjson.JSONDecodeError:
            fh.seek(0)
            yield from ((r, name) for r in _records_of(_loads(fh.read(), name), name, None))
            return
        yield from ((r, f"{name} line 1") for r in _records_of(item, name, 1))
        for i, line in enumerate(fh, start=2):
            if not line.strip():
                continue
            try:
                item = orjson.loads(line)
            except orjson.JSONDecodeError as exc:
                raise ParseError(
                    f"not JSON (column {exc.colno})",
                    path=name,
                    line=i,
                    value=line[:40].decode("utf-8", "replace").rstrip("\n"),
                    hint="Each line must be one JSON record or API page",
                ) from None
            if type(item) is dict and "document_number" in item:  # the common case: a record
                yield item, f"{name} line {i}"
                continue
            src = f"{name} line {i}"
            yield from ((r, src) for r in _records_of(item, name, i))


def _records_of(data: Any, name: str, line: int | None) -> list[dict[str, Any]]:
    if isinstance(data, list):
        if not all(isinstance(r, dict) for r in data):
            raise ParseError("JSON array holds non-records", path=name, line=line)
        return data
    if isinstance(data, dict):
        if "count" in data and ("results" in data or data.get("count") == 0):
            results = data.get("results", [])
            if not isinstance(results, list):
                raise ParseError("'results' is not a list", path=name, line=line, field="results")
            return [r for r in results if isinstance(r, dict)]
        if "results" in data and isinstance(data["results"], list):
            return list(data["results"])
        return [data]
    raise ParseError("not a record, page or array", path=name, line=line, value=type(data).__name__)


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
