"""regulations.gov v4 search records: CMS and HHS rule history as Federal Register documents.

A regulations.gov document record (``{"id", "type": "documents", "attributes": {...}}``, alone,
wrapped as ``{"source_file", "record"}``, or in a search page's ``data``) names the Federal
Register document number (``frDocNum``), the docket, title, type and dates. It has no RIN, no CFR
parts and **no Federal Register publication date**: ``postedDate`` is the day regulations.gov
posted the document. That day is used as the publication date, with confidence ``medium`` (it
matched the FR date for every document checked, see docs/federal-register.md), ``low`` when the
document number's year says the posting came much later.

Records are keyed on the FR document number: several postings of one document (a rule re-posted
into a later collection docket) become one document, dated by the earliest posting and keeping
that posting's docket. Records that cannot be used are returned as :class:`SkippedRecord` with
the reason (no document number, a value that is not a document number, withdrawn).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import orjson

from payforce.errors import InputError, ParseError
from payforce.models import PolicyDocument
from payforce.sources.fr_records import SkippedRecord, json_line

__all__ = [
    "HISTORY_ORIGIN",
    "HistoryDocument",
    "collection_docket",
    "is_history_record",
    "iter_history_file",
    "normalize_fr_number",
    "parse_history",
    "sniff_history_file",
]

HISTORY_ORIGIN = "regulations_gov"
"""``documents.origin`` of documents loaded from regulations.gov records."""

IN_SCOPE_AGENCIES = frozenset({"CMS", "HHS"})
"""regulations.gov agency ids inside payforce's default scope (CMS and the HHS Secretary)."""

_EASTERN = ZoneInfo("America/New_York")
_DASHES = str.maketrans({"\u2013": "-", "\u2014": "-", "\u2012": "-", "\u2212": "-"})
_FR_NUMBER = re.compile(r"^(?:[CR]\d-)?(?:\d{4}-\d{4,5}|E\d-\d{3,6})$")
_FILE_CODE = re.compile(r"\bCMS-\d{4,5}-[A-Z]{1,3}\d*\b")
_DOCKET_YEAR = re.compile(r"^[A-Z]+(?:-[A-Z]+)?-(\d{4})-\d+$")
_TYPES = {"Rule": "Rule", "Proposed Rule": "Proposed Rule"}


@dataclass(frozen=True)
class HistoryDocument:
    """One document from regulations.gov records, and what it took to make it."""

    document: PolicyDocument
    """The document as ``documents`` stores it (``origin`` = ``regulations_gov``)."""
    agency_id: str
    """regulations.gov agency id (``CMS``, ``HHS``, …)."""
    subtype: str
    """regulations.gov subtype (``Correction``, ``Interim Final Rule``, …), may be empty."""
    postings: int
    """regulations.gov records merged into this document."""
    dropped_dockets: tuple[str, ...] = ()
    """Dockets of later postings not kept (collections such as ``HHS-OS-2022-0008``)."""

    @property
    def in_scope(self) -> bool:
        """True for CMS and HHS documents (the default scope)."""
        return self.agency_id in IN_SCOPE_AGENCIES


def is_history_record(item: Any) -> bool:
    """True for a regulations.gov document record, wrapped record or search page."""
    if not isinstance(item, dict):
        return False
    if "record" in item and isinstance(item["record"], dict):
        item = item["record"]
    if isinstance(item.get("data"), list):
        return bool(item["data"]) and is_history_record(item["data"][0])
    return item.get("type") == "documents" and isinstance(item.get("attributes"), dict)


def iter_history_records(item: Any, source: str) -> Iterator[tuple[dict[str, Any], str]]:
    """The document records inside one parsed JSON value (record, wrapper or page)."""
    if not isinstance(item, dict):
        return
    origin = item.get("source_file")
    if "record" in item and isinstance(item["record"], dict):
        src = f"{source} ({origin})" if isinstance(origin, str) else source
        yield from iter_history_records(item["record"], src)
        return
    if isinstance(item.get("data"), list):
        for r in item["data"]:
            yield from iter_history_records(r, source)
        return
    if is_history_record(item):
        yield item, source


def normalize_fr_number(value: Any) -> str | None:
    """The FR document number in ``value`` (dashes unified, spaces cut), or None if it is not one.

    ``2013-16547``, ``E9-31217``, ``C1-2018-14985`` (a correction) and ``R1-2017-23932`` (a
    republication) are document numbers; ``75``, ``73 FR 9714-9727`` or a cut ``C1-2020-26``
    are not.
    """
    if not isinstance(value, str):
        return None
    text = value.translate(_DASHES).strip().upper()
    return text if _FR_NUMBER.match(text) else None


def posted_day(value: Any) -> date | None:
    """The Eastern-time day of a regulations.gov timestamp (``…T04:00:00Z`` is midnight EDT).

    A bare ``…T00:00:00Z`` is a date without a time (older records) and is taken as written.
    """
    if not isinstance(value, str) or len(value) < 10:
        return None
    try:
        if value.endswith("T00:00:00Z") or len(value) == 10:
            return date.fromisoformat(value[:10])
        moment = datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        return None
    if moment.tzinfo is None:
        return moment.date()
    return moment.astimezone(_EASTERN).date()


def collection_docket(docket: str, posted: date) -> bool:
    """True for a docket that is not a rulemaking's own: regulations.gov's catch-all
    ``*_FRDOC_*`` buckets, and dockets opened more than a year after the document (a later
    collection that re-posts old rules, e.g. ``HHS-OS-2022-0008``)."""
    if "_FRDOC_" in docket:
        return True
    m = _DOCKET_YEAR.match(docket)
    return m is not None and int(m.group(1)) > posted.year + 1


def _confidence(number: str, posted: date) -> str:
    m = re.match(r"^(\d{4})-", number)  # a C1-/R1- number carries the corrected one's year
    if not m:
        return "medium"
    year = int(m.group(1))
    late_january = posted.year == year + 1 and posted.month <= 3
    return "medium" if posted.year == year or late_january else "low"


@dataclass
class _Posting:
    number: str
    posted: date
    attrs: dict[str, Any]
    record_id: str
    link: str
    source: str


def _posting(record: dict[str, Any], source: str) -> _Posting | SkippedRecord:
    attrs = record.get("attributes") or {}
    rid = str(record.get("id") or "?")
    raw = attrs.get("frDocNum")
    if raw is None or (isinstance(raw, str) and not raw.strip()):
        return SkippedRecord("?", f"no FR document number (regulations.gov {rid})", source)
    number = normalize_fr_number(raw)
    if number is None:
        return SkippedRecord(
            "?", f"frDocNum is not an FR document number ({raw!r}, regulations.gov {rid})", source
        )
    if attrs.get("withdrawn") is True:
        return SkippedRecord(number, f"withdrawn on regulations.gov ({rid})", source)
    kind = _TYPES.get(str(attrs.get("documentType") or ""))
    if kind is None:
        return SkippedRecord(number, f"not a rule ({attrs.get('documentType')!r})", source)
    posted = posted_day(attrs.get("postedDate"))
    if posted is None:
        return SkippedRecord(number, f"postedDate not a date ({attrs.get('postedDate')!r})", source)
    title = " ".join(str(attrs.get("title") or "").split())
    if not title:
        return SkippedRecord(number, "no title", source)
    links = record.get("links") or {}
    link = links.get("self") if isinstance(links, dict) else None
    return _Posting(number, posted, attrs, rid, str(link or ""), source)


def _document(first: _Posting, postings: list[_Posting]) -> HistoryDocument:
    a = first.attrs
    agency = str(a.get("agencyId") or "")
    dockets = [str(p.attrs.get("docketId") or "") for p in postings]
    own = [d for d in dict.fromkeys(dockets) if d and not collection_docket(d, first.posted)]
    kept = own[:1]  # the earliest posting's docket (the rulemaking's own)
    dropped = tuple(d for d in dict.fromkeys(dockets) if d and d not in kept)
    title = " ".join(str(a.get("title")).split())
    closes = posted_day(a.get("commentEndDate"))
    label = {"CMS": "CMS (HHS)", "HHS": "HHS"}.get(agency, agency)
    doc = PolicyDocument(
        document_number=first.number,
        type=_TYPES[str(a.get("documentType"))],
        title=title,
        publication_date=first.posted,
        agency=label,
        file_code="; ".join(dict.fromkeys(_FILE_CODE.findall(title))),
        docket="; ".join(kept),
        comments_close_date=closes if closes and closes >= first.posted else None,
        html_url=f"https://www.federalregister.gov/d/{first.number}",
        source_url=f"https://www.regulations.gov/document/{first.record_id}",
        confidence=_confidence(first.number, first.posted),
        origin=HISTORY_ORIGIN,
    )
    return HistoryDocument(
        document=doc,
        agency_id=agency,
        subtype=str(a.get("subtype") or ""),
        postings=len(postings),
        dropped_dockets=dropped,
    )


def parse_history(
    records: Iterable[tuple[dict[str, Any], str]],
) -> tuple[list[HistoryDocument], list[SkippedRecord]]:
    """Documents (one per FR document number, oldest first) and the records skipped."""
    by_number: dict[str, list[_Posting]] = {}
    skipped: list[SkippedRecord] = []
    for record, source in records:
        p = _posting(record, source)
        if isinstance(p, SkippedRecord):
            skipped.append(p)
        else:
            by_number.setdefault(p.number, []).append(p)
    docs = []
    for postings in by_number.values():
        postings.sort(key=lambda p: (p.posted, p.record_id))
        docs.append(_document(postings[0], postings))
    docs.sort(key=lambda d: (d.document.publication_date, d.document.document_number))
    return docs, skipped


def _first_value(path: Path) -> Any:
    """The first JSON value of a file: its first line (JSON lines) or the whole file."""
    with path.open("rb") as fh:
        first = fh.readline()
        try:
            return orjson.loads(first)
        except orjson.JSONDecodeError:
            pass
        fh.seek(0)
        try:
            return orjson.loads(fh.read())
        except orjson.JSONDecodeError:
            return None


def sniff_history_file(path: Path) -> bool:
    """True when ``path`` holds regulations.gov records rather than Federal Register API data."""
    try:
        item = _first_value(path)
    except OSError:
        return False
    if isinstance(item, list):
        return bool(item) and is_history_record(item[0])
    return is_history_record(item)


def iter_history_file(path: Path) -> Iterator[tuple[dict[str, Any], str]]:
    """Records of a saved regulations.gov file: JSON lines, a search page or a JSON array.

    A line that is not JSON is an error naming the file and line.
    """
    name = str(path)
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise InputError(f"{path}: cannot read ({exc.strerror})", hint="Check the path") from None
    try:
        whole = orjson.loads(data)
    except orjson.JSONDecodeError:
        whole = None
    if whole is not None:
        items = whole if isinstance(whole, list) else [whole]
        for item in items:
            yield from iter_history_records(item, name)
        return
    for i, line in enumerate(data.split(b"\n"), start=1):
        if not line.strip():
            continue
        item = json_line(line, name, i, "Each line must be one regulations.gov record")
        if not is_history_record(item):
            raise ParseError(
                "not a regulations.gov document record",
                path=name,
                line=i,
                value=line[:40].decode("utf-8", "replace"),
            )
        yield from iter_history_records(item, f"{name} line {i}")
