"""Full text of a Federal Register document as plain text, with a map back to the source.

Three input shapes are read: GPO XML (the per-document XML that federalregister.gov serves at
``full_text_xml_url``, root ``<RULE>``/``<PRORULE>``/``<NOTICE>``, and the GPO bulk daily issue,
root ``<FEDREG>``), FR body HTML (``body_html_url``) and plain text (``raw_text_url``).

The markup is read with one tokenizing regex, not an XML parser, so one pass builds the text and
its offset map together, and unbalanced fragments (an excerpt cut mid-section) still read:

- whitespace runs collapse to one space (FR.gov pretty-printing spreads one sentence over many
  lines, with inline elements such as ``<E>``, ``<SU>`` or ``<PRTPAGE/>`` on their own lines);
- every block element (``<P>``, ``<HD>``, ``<ROW>``, ``<FTNT>``, ``<SECTNO>`` …) starts a new line,
  so a line of the text is one paragraph, heading or table row, and ``\\n`` never occurs inside
  a sentence; table cells (``<ENT>``, ``<CHED>``) are separated by a tab;
- ``<PRTPAGE P="97777"/>`` (and ``[[Page 97777]]`` in plain text) becomes a page marker, not
  text; image ids (``<GID>``) and table-of-contents page lists (``<PGS>``) are dropped;
- each document of a daily issue is a span named by its ``<FRDOC>`` document number.

GPO XML is read by a faster path with the same output (text, pages, documents and offsets,
pinned by ``tests/extract/test_text.py``): the source is split at ``<``, each distinct tag text
is classified once, and a text run is copied whole when string methods show it has no whitespace
to collapse; anything else (entities, odd whitespace, comments, a stray ``<``) goes through the
tokenizer's own rules.

Offsets in :attr:`FullText.text` are the offsets every extracted provision carries;
:meth:`FullText.source_offset` maps one back to the character offset in the source string, so a
span can be found again in the file as published.
"""

from __future__ import annotations

import html

from payforce.extract.text_gpo import _read_gpo
from payforce.extract.text_model import (
    _CLASS_PRINTED,
    _FR_DOC,
    _HTML_BLOCK,
    _HTML_CELL,
    _HTML_DROP,
    _HTML_PAGE_ID,
    _PAGE_ATTR,
    _TEXT_PAGE,
    _TOKEN,
    _XML_CELL,
    _XML_DOCS,
    _XML_DROP,
    _XML_INLINE,
    FORMATS,
    Format,
    FullText,
    _Builder,
)

__all__ = ["FORMATS", "Format", "FullText", "parse_fulltext"]


def _read_markup(raw: str, html_mode: bool) -> FullText:
    b = _Builder()
    pages: list[tuple[int, int]] = []
    documents: list[tuple[str, int, int]] = []
    doc_stack: list[int] = []
    frdoc_start: int | None = None
    last_doc_number = ""
    drop_depth = 0
    drop_name = ""
    inline = _XML_INLINE
    cells = _HTML_CELL if html_mode else _XML_CELL
    drops = _HTML_DROP if html_mode else _XML_DROP
    for m in _TOKEN.finditer(raw):
        name = m.group(2)
        if name is None:
            entity = m.group(5)
            if drop_depth:
                continue
            if entity is not None:
                b.emit(html.unescape(m.group(0)), m.start())
            elif not m.group(0).startswith("<"):
                b.emit_text(m.group(0), m.start())
            continue
        closing = m.group(1) == "/"
        selfclosing = m.group(4) == "/"
        key = name.lower() if html_mode else name
        if drop_depth:
            if key == drop_name:
                drop_depth += -1 if closing else (0 if selfclosing else 1)
            continue
        attrs = m.group(3)
        if html_mode:
            if not closing and (key in drops or _CLASS_PRINTED.search(attrs)):
                page = _HTML_PAGE_ID.search(attrs)
                if page:
                    pages.append((b.length, int(page.group(1))))
                if not selfclosing:
                    drop_depth, drop_name = 1, key
                continue
            if key in cells:
                if not closing:
                    b.owe("\t")
            elif key in _HTML_BLOCK:
                b.owe("\n")
            continue
        if key == "PRTPAGE":
            page = _PAGE_ATTR.search(attrs)
            if page:
                pages.append((b.length, int(page.group(1))))
            continue
        if key in drops:
            if not closing and not selfclosing:
                drop_depth, drop_name = 1, key
            continue
        if key in inline:
            continue
        if key in cells:
            if not closing:
                b.owe("\t")
            continue
        b.owe("\n")
        if key == "FRDOC":
            if closing and frdoc_start is not None:
                found = _FR_DOC.search("".join(b.parts[frdoc_start:]))
                if found:
                    last_doc_number = found.group(1)
                frdoc_start = None
            elif not closing:
                frdoc_start = len(b.parts)
        elif key in _XML_DOCS and not selfclosing:
            if not closing:
                doc_stack.append(b.length)
                last_doc_number = ""
            elif doc_stack:
                start = doc_stack.pop()
                if last_doc_number:
                    documents.append((last_doc_number, start, b.length))
    return FullText(
        text="".join(b.parts),
        pages=tuple(pages),
        documents=tuple(documents),
        _seg_text=tuple(b.seg_text) or (0,),
        _seg_source=tuple(b.seg_source) or (0,),
    )


def _read_plain(raw: str) -> FullText:
    head = raw[:512].lstrip().lower()
    if head.startswith(("<html", "<!doctype", "<pre")):
        return _read_pre(raw)
    pages = tuple((m.start(), int(m.group(1))) for m in _TEXT_PAGE.finditer(raw))
    return FullText(text=raw, pages=pages)


def _read_pre(raw: str) -> FullText:
    """Plain text wrapped in an HTML page (``<pre>``): drop tags, decode entities, keep layout."""
    b = _Builder()
    skip = False
    for m in _TOKEN.finditer(raw):
        name = m.group(2)
        if name is not None:
            if name.lower() in ("head", "title", "script", "style"):
                skip = m.group(1) != "/"
            continue
        if skip or m.group(0).startswith("<"):
            continue
        piece = html.unescape(m.group(0)) if m.group(5) is not None else m.group(0)
        if piece:
            b._add(piece, m.start())
    text = "".join(b.parts)
    pages = tuple((m.start(), int(m.group(1))) for m in _TEXT_PAGE.finditer(text))
    return FullText(
        text=text,
        pages=pages,
        _seg_text=tuple(b.seg_text) or (0,),
        _seg_source=tuple(b.seg_source) or (0,),
    )


def parse_fulltext(raw: str, fmt: Format = "text") -> FullText:
    """Read a document's full text (``text``, ``html`` or ``gpo_xml``) into a :class:`FullText`.

    Plain text is kept as it is (offsets are offsets into ``raw``); plain text served inside an
    HTML page (``<html>…<pre>``) keeps its layout with tags dropped and entities decoded; markup
    is flattened as the module docstring describes. Raises ``ValueError`` for an unknown format.
    """
    if fmt == "gpo_xml":
        return _read_gpo(raw) or _read_markup(raw, html_mode=False)
    if fmt == "html":
        return _read_markup(raw, html_mode=True)
    if fmt == "text":
        return _read_plain(raw)
    raise ValueError(f"unknown full-text format {fmt!r}; expected one of {', '.join(FORMATS)}")
