"""Watchlists, digests and the Atom feed.

A watch names what a user follows: a role, a billing code, a CFR part (``42:414``), a RIN or a
search term. A document matches a watch when

- ``role``: a signal computed as of the digest date names the role and cites the document;
- ``code``: a provision of the document is about the code, or the code appears in its title or
  summary as a whole word;
- ``cfr``: the document amends that title and part;
- ``rin``: the document carries the RIN;
- ``term``: the term appears (case-insensitively) in its title or summary.

A digest lists, per watch, the matching documents that no earlier digest delivered for that
watch, then records them: nothing repeated across digests, and a document synced late (published
before the previous digest) still arrives in the next one, so nothing is missed.
"""

from __future__ import annotations

import html
import re
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime
from typing import TYPE_CHECKING, Any, Literal, assert_never
from xml.sax.saxutils import escape

from payforce.errors import InputError
from payforce.models import PolicyDocument, Provision
from payforce.store.fr_tables import Watch

if TYPE_CHECKING:
    from payforce.store.db import Store

__all__ = [
    "DIGEST_FORMATS",
    "WATCH_KINDS",
    "Digest",
    "DigestFormat",
    "DigestItem",
    "build_digest",
    "compute_digest",
    "document_roles",
    "feed_entries",
    "matches",
    "normalize_watch",
    "render_atom",
    "render_digest",
]

WATCH_KINDS: tuple[str, ...] = ("role", "code", "cfr", "rin", "term")
"""The kinds of watch, in the order ``payforce watch add`` lists them."""
DigestFormat = Literal["md", "html", "json"]
DIGEST_FORMATS: tuple[str, ...] = ("md", "html", "json")
"""Formats ``payforce digest --format`` accepts."""

_CODE = re.compile(r"^(\d{5}|\d{4}[FT]|[A-V]\d{4})$")
_CFR = re.compile(r"^(\d{1,2}):(\d{1,4}[A-Za-z]?)$")
_RIN = re.compile(r"^\d{4}-[A-Z]{2}\d{2}$")
_CFR_TEXT = re.compile(r"^(\d{1,2})\s*CFR\s*(.*)$")


def normalize_watch(kind: str, value: str) -> str:
    """Check and normalise a watch value; InputError with the expected shape when malformed."""
    value = value.strip()
    if not value:
        raise InputError(f"--{kind}: empty value", hint="Give something to watch")
    if kind == "code":
        code = value.upper()
        if not _CODE.match(code):
            raise InputError(
                f"--code: not a CPT or HCPCS code ({value!r})",
                hint="Use 5 digits (99490), 4 digits + T (0623T) or a letter + 4 digits (G0556)",
            )
        return code
    if kind == "cfr":
        m = _CFR.match(value.replace(" ", ""))
        if not m:
            raise InputError(f"--cfr: not TITLE:PART ({value!r})", hint="Use e.g. 42:414")
        return f"{int(m.group(1))}:{m.group(2)}"
    if kind == "rin":
        rin = value.upper()
        if not _RIN.match(rin):
            raise InputError(f"--rin: not a RIN ({value!r})", hint="Use e.g. 0938-AV34")
        return rin
    if kind in ("role", "term"):
        return value
    raise InputError(f"unknown watch kind ({kind!r})", hint="Use " + ", ".join(WATCH_KINDS))


def _cfr_parts(text: str) -> set[str]:
    """``{"42:414", …}`` from CFR text as printed: ``42 CFR 405; 410; 45 CFR 170``."""
    out = set()
    title: int | None = None
    for token in re.split(r"[;,]|\band\b", text or ""):
        token = token.strip()
        m = _CFR_TEXT.match(token)
        if m:
            title = int(m.group(1))
            token = m.group(2)
        part = re.match(r"^(?:parts?\s+)?(\d{1,4}[A-Za-z]?)\b", token)
        if title is not None and part:
            out.add(f"{title}:{part.group(1)}")
    return out


def matches(
    watch: Watch,
    doc: PolicyDocument,
    provisions: Iterable[Provision] = (),
    roles: Iterable[str] = (),
) -> str | None:
    """Why ``doc`` matches ``watch`` (a short reason), or None."""
    kind, value = watch.kind, watch.value
    if kind == "role":
        return f"signals for {value} cite it" if value in set(roles) else None
    if kind == "code":
        if any(p.subject.upper() == value for p in provisions):
            return f"a provision is about {value}"
        if re.search(rf"\b{re.escape(value)}\b", f"{doc.title} {doc.summary}"):
            return f"mentions {value}"
        return None
    if kind == "cfr":
        return (
            f"amends {value.replace(':', ' CFR ')}" if value in _cfr_parts(doc.cfr_parts) else None
        )
    if kind == "rin":
        rins = {r.strip() for r in doc.rin.split(";")}
        return f"RIN {value}" if value in rins else None
    if kind == "term":
        needle = value.casefold()
        return f"mentions {value!r}" if needle in f"{doc.title}\n{doc.summary}".casefold() else None
    return None


@dataclass(frozen=True)
class DigestItem:
    """One document new for one watch."""

    watch: Watch
    """The watch it matched."""
    document: PolicyDocument
    """The document."""
    reason: str
    """Why it matched."""

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready form."""
        d = self.document
        return {
            "watch_id": self.watch.id,
            "watch": f"{self.watch.kind}:{self.watch.value}",
            "document_number": d.document_number,
            "type": d.type,
            "title": d.title,
            "publication_date": d.publication_date.isoformat(),
            "agency": d.agency,
            "reason": self.reason,
            "url": d.url,
        }


@dataclass(frozen=True)
class Digest:
    """What is new for each watch since the previous digest."""

    as_of: date
    """Only documents published by this date count."""
    since: date | None
    """Only documents published on or after this date (None: any date)."""
    watches: tuple[Watch, ...]
    """Every watch, including those with nothing new."""
    items: tuple[DigestItem, ...]
    """New documents, by watch then publication date."""

    def items_for(self, watch: Watch) -> list[DigestItem]:
        """The items of one watch."""
        return [i for i in self.items if i.watch.id == watch.id]

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready form."""
        return {
            "as_of": self.as_of.isoformat(),
            "since": self.since.isoformat() if self.since else None,
            "watches": [
                {
                    "id": w.id,
                    "kind": w.kind,
                    "value": w.value,
                    "items": [i.to_dict() for i in self.items_for(w)],
                }
                for w in self.watches
            ],
            "item_count": len(self.items),
        }


def build_digest(
    watches: Iterable[Watch],
    documents: Iterable[PolicyDocument],
    provisions: Iterable[Provision],
    roles_by_document: dict[str, set[str]],
    delivered: set[tuple[int, str]],
    as_of: date,
    since: date | None = None,
) -> Digest:
    """Pure digest: for each watch, matching documents not yet delivered to it."""
    by_doc: dict[str, list[Provision]] = {}
    for p in provisions:
        by_doc.setdefault(p.document_number, []).append(p)
    docs = sorted(
        (
            d
            for d in documents
            if d.publication_date <= as_of and (since is None or d.publication_date >= since)
        ),
        key=lambda d: (d.publication_date, d.document_number),
    )
    watch_list = tuple(watches)
    items = []
    for w in watch_list:
        for d in docs:
            if (w.id, d.document_number) in delivered:
                continue
            reason = matches(
                w,
                d,
                by_doc.get(d.document_number, ()),
                roles_by_document.get(d.document_number, ()),
            )
            if reason:
                items.append(DigestItem(w, d, reason))
    return Digest(as_of, since, watch_list, tuple(items))


def document_roles(store: Store, as_of: date) -> dict[str, set[str]]:
    """``document_number → roles`` whose signals (as of ``as_of``) cite the document."""
    from payforce.signals import compute_signals

    out: dict[str, set[str]] = {}
    for s in compute_signals(store, as_of):
        for e in s.evidence:
            if e.kind == "document":
                out.setdefault(e.ref, set()).add(s.role)
    return out


def compute_digest(store: Store, as_of: date, since: date | None = None) -> Digest:
    """The digest of the store's watches as of ``as_of`` (nothing is recorded here)."""
    from payforce.store import fr_tables, queries

    watches = fr_tables.list_watches(store)
    roles = document_roles(store, as_of) if any(w.kind == "role" for w in watches) else {}
    return build_digest(
        watches,
        queries.list_documents(store, as_of),
        queries.list_provisions(store, as_of),
        roles,
        fr_tables.delivered_documents(store),
        as_of,
        since,
    )


def _md_escape(text: str) -> str:
    return re.sub(r"([\\`*_\[\]<>|])", r"\\\1", text)


def render_digest(digest: Digest, fmt: DigestFormat) -> str:
    """The digest as Markdown, HTML or JSON text."""
    if fmt == "json":
        from payforce.serialize import dumps, envelope

        return dumps(envelope(digest.to_dict())) + "\n"
    if fmt == "md":
        return _render_md(digest)
    if fmt == "html":
        return _render_html(digest)
    assert_never(fmt)


def _render_md(digest: Digest) -> str:
    lines = [f"# payforce digest, as of {digest.as_of.isoformat()}", ""]
    if digest.since:
        lines += [f"Documents published since {digest.since.isoformat()}.", ""]
    if not digest.watches:
        lines += ["No watches. Add one with `payforce watch add --code 99490`.", ""]
    for w in digest.watches:
        items = digest.items_for(w)
        lines += [f"## {w.kind} {_md_escape(w.value)} (#{w.id}): {len(items)} new", ""]
        for i in items:
            d = i.document
            lines.append(
                f"- {d.publication_date.isoformat()} [{d.document_number}]({d.url}) "
                f"{d.type}: {_md_escape(d.title)} ({i.reason})"
            )
        if items:
            lines.append("")
    return "\n".join(lines).rstrip() + "\n"


def _render_html(digest: Digest) -> str:
    e = html.escape
    parts = [
        "<!doctype html>",
        '<html lang="en"><head><meta charset="utf-8">',
        f"<title>payforce digest, as of {digest.as_of.isoformat()}</title></head><body>",
        f"<h1>payforce digest, as of {digest.as_of.isoformat()}</h1>",
    ]
    if not digest.watches:
        parts.append("<p>No watches.</p>")
    for w in digest.watches:
        items = digest.items_for(w)
        parts.append(f"<h2>{e(w.kind)} {e(w.value)} (#{w.id}): {len(items)} new</h2>")
        if items:
            parts.append("<ul>")
            for i in items:
                d = i.document
                parts.append(
                    f'<li>{d.publication_date.isoformat()} <a href="{e(d.url)}">'
                    f"{e(d.document_number)}</a> {e(d.type)}: {e(d.title)} ({e(i.reason)})</li>"
                )
            parts.append("</ul>")
    parts.append("</body></html>")
    return "\n".join(parts) + "\n"


def feed_entries(digest: Digest, limit: int = 100) -> list[DigestItem]:
    """Items of the ``limit`` newest documents of a digest, newest first."""
    ordered = sorted(
        digest.items,
        key=lambda i: (i.document.publication_date, i.document.document_number),
        reverse=True,
    )
    kept: list[str] = []
    for item in ordered:
        if item.document.document_number not in kept:
            kept.append(item.document.document_number)
    wanted = set(kept[:limit])
    return [i for i in ordered if i.document.document_number in wanted]


def _rfc3339(day: date) -> str:
    return f"{day.isoformat()}T00:00:00Z"


def render_atom(
    items: list[DigestItem],
    *,
    generated_at: datetime,
    feed_id: str = "urn:payforce:federal-register:watches",
    title: str = "payforce: new Federal Register documents for your watches",
    self_url: str = "",
) -> str:
    """A valid Atom 1.0 feed (RFC 4287) of the items; stable for a fixed ``generated_at``."""
    updated = generated_at.strftime("%Y-%m-%dT%H:%M:%SZ")
    out = [
        '<?xml version="1.0" encoding="utf-8"?>',
        '<feed xmlns="http://www.w3.org/2005/Atom">',
        f"  <id>{escape(feed_id)}</id>",
        f"  <title>{escape(title)}</title>",
        f"  <updated>{updated}</updated>",
        "  <author><name>payforce</name></author>",
        '  <generator uri="https://www.federalregister.gov/">payforce</generator>',
    ]
    if self_url:
        out.append(f'  <link rel="self" href="{escape(self_url, {chr(34): "&quot;"})}"/>')
    grouped: dict[str, list[DigestItem]] = {}
    for item in items:
        grouped.setdefault(item.document.document_number, []).append(item)
    for group in grouped.values():
        item = group[0]
        d = item.document
        watches = "; ".join(f"{i.watch.kind} {i.watch.value} ({i.reason})" for i in group)
        summary = f"{d.type}, published {d.publication_date.isoformat()}"
        if d.agency:
            summary += f" by {d.agency}"
        summary += f". Watches: {watches}."
        if d.summary:
            summary += " " + d.summary
        out += [
            "  <entry>",
            f"    <id>urn:federal-register:document:{escape(d.document_number)}</id>",
            f"    <title>{escape(d.document_number)}: {escape(d.title)}</title>",
            f"    <updated>{_rfc3339(d.publication_date)}</updated>",
            f"    <published>{_rfc3339(d.publication_date)}</published>",
            f'    <link rel="alternate" type="text/html" '
            f'href="{escape(d.url, {chr(34): "&quot;"})}"/>',
            f'    <category term="{escape(d.type, {chr(34): "&quot;"})}"/>',
            f"    <summary>{escape(summary)}</summary>",
            "  </entry>",
        ]
    out.append("</feed>")
    return "\n".join(out) + "\n"
