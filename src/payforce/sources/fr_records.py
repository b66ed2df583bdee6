"""Federal Register API v1 records: pure parsing of search pages, documents and saved files.

Split from :mod:`payforce.sources.federal_register` (which fetches and re-exports these names):
one parser turns an API record into plain row values (:func:`parse_record_row`) for bulk writes,
and :func:`parse_record` builds the :class:`FRRecord` from the same row, so nothing is parsed twice.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from functools import lru_cache
from typing import Any

import orjson

from payforce.errors import ParseError
from payforce.models import PolicyDocument
from payforce.sources.validate import FR_DOCUMENT_SIZES, oversized

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


def json_line(line: bytes, source: str, number: int, hint: str) -> Any:
    """One line of a JSON-lines file, or a ParseError naming the file, line and column."""
    try:
        return orjson.loads(line)
    except orjson.JSONDecodeError as exc:
        raise ParseError(
            f"not JSON (column {exc.colno})",
            path=source,
            line=number,
            value=line[:40].decode("utf-8", "replace").rstrip("\n"),
            hint=hint,
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
    label, slugs, slugs_text = _agency_details(_items(get("agencies")))
    file_codes: list[str] = []
    dockets: list[str] = []
    for d in _items(get("docket_ids")):
        if d:
            d = str(d)
            (file_codes if _CMS_FILE_CODE.match(d) else dockets).append(d)
    regs = get("regulations_dot_gov_info")
    if regs and isinstance(regs, dict):
        regs_docket = regs.get("docket_id")
        if isinstance(regs_docket, str) and regs_docket not in dockets:
            dockets.append(regs_docket)
    cfr = get("cfr_references")
    refs = _cfr_refs(_items(cfr)) if cfr else ()
    correction_of = get("correction_of")
    if isinstance(correction_of, dict):
        correction_of = correction_of.get("document_number")
    correction_of = str(correction_of or "")
    corrections = _items(get("corrections"))
    fixes = (
        tuple(
            [str(c.get("document_number") if isinstance(c, dict) else c) for c in corrections if c]
        )
        if corrections
        else ()
    )
    fixes_text = ";".join(fixes)
    rins = _items(get("regulation_id_numbers"))
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
    too_long = oversized(  # sources/validate.py: the same refusal on SQLite and PostgreSQL
        dict(zip(("document_number", "type", "title", "publication_date", "agency", "citation",
                  "file_code", "rin", "docket"), document[:9], strict=True))
        | {"correction_of": correction_of},
        FR_DOCUMENT_SIZES,
    )  # fmt: skip
    if too_long:
        return SkippedRecord(number[:40], too_long, source)
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


def _items(value: Any) -> list[Any]:
    """A list field of a record, or [] when the record holds anything else there (fuzzed)."""
    return list(value) if isinstance(value, list | tuple) else []


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
