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
import re
from bisect import bisect_right
from dataclasses import dataclass, field
from typing import Literal

__all__ = ["FORMATS", "Format", "FullText", "parse_fulltext"]

Format = Literal["text", "html", "gpo_xml"]
FORMATS: tuple[str, ...] = ("text", "html", "gpo_xml")

_TOKEN = re.compile(
    r"<!--.*?-->|<[?!][^>]*>|<(/?)([A-Za-z][\w:.-]*)([^>]*?)(/?)>|&(#?\w+);|[^<&]+",
    re.S,
)
_WS_COLLAPSE = re.compile(r"\s{2,}|[\t\n\r\f\v]")
_PAGE_ATTR = re.compile(r"""\bP\s*=\s*["']?(\d+)""")
_HTML_PAGE_ID = re.compile(r"""\bid\s*=\s*["'](?:page|p)-(\d+)["']""", re.I)
_CLASS_PRINTED = re.compile(r"""class\s*=\s*["'][^"']*printed-page""", re.I)
_FR_DOC = re.compile(r"FR\s+Doc\.?\s*(?:No\.?\s*)?([0-9]{2,4}-[0-9]+)")
_TEXT_PAGE = re.compile(r"\[\[Page (\d+)\]\]")

# GPO inline elements: italics/bold (E), super/subscripts (SU, INF), footnote references,
# page breaks, fractions (FR), accents (AC), lines inside a table heading (LI); everything
# else is a block.
_XML_INLINE = frozenset({"E", "SU", "INF", "FTREF", "PRTPAGE", "FR", "AC", "B", "I", "LI"})
_XML_CELL = frozenset({"ENT", "CHED"})
_XML_DROP = frozenset({"GID", "PGS"})
_XML_DOCS = frozenset({"RULE", "PRORULE", "NOTICE", "PRESDOCU", "CORRECT"})
_HTML_BLOCK = frozenset(
    {
        "p",
        "div",
        "h1",
        "h2",
        "h3",
        "h4",
        "h5",
        "h6",
        "li",
        "ul",
        "ol",
        "table",
        "tr",
        "br",
        "blockquote",
        "pre",
        "section",
        "article",
        "header",
        "footer",
        "dl",
        "dt",
        "dd",
        "hr",
        "thead",
        "tbody",
        "caption",
        "body",
        "html",
    }
)
_HTML_CELL = frozenset({"td", "th"})
_HTML_DROP = frozenset({"script", "style", "head", "title"})


@dataclass(frozen=True)
class FullText:
    """Plain text read from a full-text document, with page markers and a source offset map."""

    text: str
    """The text: one paragraph, heading or table row per line, whitespace collapsed."""
    pages: tuple[tuple[int, int], ...] = ()
    """(text offset, printed page number) for each page break, in order."""
    documents: tuple[tuple[str, int, int], ...] = ()
    """(document number, start, end) of each document whose ``<FRDOC>`` line was read."""
    _seg_text: tuple[int, ...] = field(default=(0,), repr=False)
    _seg_source: tuple[int, ...] = field(default=(0,), repr=False)

    def source_offset(self, offset: int) -> int:
        """The character offset in the source string that text offset ``offset`` came from."""
        k = bisect_right(self._seg_text, offset) - 1
        if k < 0:
            return 0
        return self._seg_source[k] + (offset - self._seg_text[k])

    def page_at(self, offset: int) -> int | None:
        """The printed FR page that text offset ``offset`` falls on, where page breaks are known."""
        if not self.pages:
            return None
        k = bisect_right([p[0] for p in self.pages], offset) - 1
        if k < 0:
            first = self.pages[0][1]
            return first - 1 if first > 1 else None
        return self.pages[k][1]

    def document_span(self, document_number: str) -> tuple[int, int] | None:
        """Start and end of one document inside a multi-document text (a GPO daily issue)."""
        for number, start, end in self.documents:
            if number == document_number:
                return start, end
        return None


_SEP_RANK = {"": 0, " ": 1, "\t": 2, "\n": 3}


class _Builder:
    """Accumulates text pieces and the (text offset, source offset) segments behind them."""

    def __init__(self) -> None:
        self.parts: list[str] = []
        self.length = 0
        self.seg_text: list[int] = []
        self.seg_source: list[int] = []
        self.pending = ""  # separator owed before the next text: "", " ", "\t" or "\n"
        self.last = "\n"

    def owe(self, sep: str) -> None:
        if _SEP_RANK[sep] > _SEP_RANK[self.pending]:
            self.pending = sep

    def emit(self, piece: str, source: int) -> None:
        if piece[0] == " ":  # a single space: a separator like any other
            self.owe(" ")
            piece = piece[1:]
            source += 1
        if piece and piece[-1] == " ":
            self._emit(piece[:-1], source)
            self.owe(" ")
        else:
            self._emit(piece, source)

    def _emit(self, piece: str, source: int) -> None:
        if not piece:
            return
        if self.pending and self.length:
            sep = self.pending
            if sep == " " and self.last in " \t\n":
                sep = ""
            if sep:
                self._add(sep, source)
        self.pending = ""
        self._add(piece, source)

    def _add(self, piece: str, source: int) -> None:
        self.seg_text.append(self.length)
        self.seg_source.append(source)
        self.parts.append(piece)
        self.length += len(piece)
        self.last = piece[-1]

    def emit_text(self, chunk: str, source: int) -> None:
        """Emit raw character data, collapsing each whitespace run to one owed space.

        Single spaces between words stay inside one piece (one offset segment); only runs that
        change length (several characters, or a line break or tab) split the chunk.
        """
        pos = 0
        for ws in _WS_COLLAPSE.finditer(chunk):
            if ws.start() > pos:
                self.emit(chunk[pos : ws.start()], source + pos)
            self.owe(" ")
            pos = ws.end()
        if pos < len(chunk):
            self.emit(chunk[pos:], source + pos)


# Whitespace other than a plain space; in a text run without line breaks it changes nothing
# unless it stands next to other whitespace (then the run collapses).
_ODD_SPACE = re.compile(r"[^\S ]")
_THIN = "\u2009"  # thin space: FR XML writes "§\u2009422.2"
_LINE_SPACE = frozenset(" \t\n\r\x0b\x0c")  # a lone one of these is a collapsing run
_TAG_BODY = re.compile(r"(/?)([A-Za-z][\w:.-]*)(.*?)(/?)", re.S)

# What a GPO XML tag does, decided once per distinct tag text (see _gpo_tag_action).
_SKIP, _CELL, _BLOCK, _FRDOC_OPEN, _FRDOC_CLOSE, _DOC_OPEN, _DOC_CLOSE, _PAGE, _DROP = range(9)


def _plain_run(core: str) -> bool:
    """Whether a text run without whitespace at either end and without a double space collapses
    to itself: each whitespace character other than a space stands alone between non-spaces.

    Called for runs that are not printable (thin spaces, mostly), so it checks the printable
    stretches between thin spaces and looks at the neighbours of each thin space.
    """
    start = 0
    while True:
        thin = core.find(_THIN, start)
        if thin < 0:
            if core[start:].isprintable():
                return True
            break
        if not core[start:thin].isprintable():
            break
        if core[thin - 1] == " " or core[thin + 1] in (" ", _THIN):
            return False
        start = thin + 1
    for m in _ODD_SPACE.finditer(core):  # some other odd whitespace: the general check
        i = m.start()
        if core[i] in _LINE_SPACE or core[i - 1].isspace() or core[i + 1].isspace():
            return False
    return True


def _gpo_tag_action(body: str) -> tuple[int, str, int] | None:
    """(action, element name, page) for the text between ``<`` and ``>`` of a GPO XML token, or
    ``None`` where the tokenizer would read it some other way (then the caller falls back)."""
    if body[:1] in ("!", "?"):
        return None if body.startswith("!--") else (_SKIP, "", 0)
    m = _TAG_BODY.fullmatch(body)
    if m is None:
        return None
    closing = m.group(1) == "/"
    selfclosing = m.group(4) == "/"
    key = m.group(2)
    if key == "PRTPAGE":
        page = _PAGE_ATTR.search(m.group(3))
        return (_PAGE, key, int(page.group(1))) if page else (_SKIP, key, 0)
    if key in _XML_DROP:
        return (_DROP, key, 0) if not closing and not selfclosing else (_SKIP, key, 0)
    if key in _XML_INLINE:
        return (_SKIP, key, 0)
    if key in _XML_CELL:
        return (_SKIP, key, 0) if closing else (_CELL, key, 0)
    if key == "FRDOC":
        return (_FRDOC_CLOSE if closing else _FRDOC_OPEN), key, 0
    if key in _XML_DOCS and not selfclosing:
        return (_DOC_CLOSE if closing else _DOC_OPEN), key, 0
    return (_BLOCK, key, 0)


def _drop_step(body: str, name: str) -> int:
    """How a tag inside a dropped element changes the depth of elements named ``name``."""
    m = _TAG_BODY.fullmatch(body)
    if m is None or m.group(2) != name:
        return 0
    return -1 if m.group(1) == "/" else (0 if m.group(4) == "/" else 1)


def _text_pieces(chunk: str, source: int) -> list[tuple[str, int]]:
    """What :meth:`_Builder.emit_text` (and entity decoding) does with character data, as a list
    of (piece, source offset); an empty piece stands for an owed space."""
    pieces: list[tuple[str, int]] = []

    def emit(piece: str, at: int) -> None:  # as _Builder.emit
        if piece[0] == " ":
            pieces.append(("", 0))
            piece = piece[1:]
            at += 1
        if piece and piece[-1] == " ":
            if len(piece) > 1:
                pieces.append((piece[:-1], at))
            pieces.append(("", 0))
        elif piece:
            pieces.append((piece, at))

    for m in _TOKEN.finditer(chunk):
        at = source + m.start()
        if m.group(5) is not None:
            emit(html.unescape(m.group(0)), at)
            continue
        run = m.group(0)
        pos = 0
        for ws in _WS_COLLAPSE.finditer(run):
            if ws.start() > pos:
                emit(run[pos : ws.start()], at + pos)
            pieces.append(("", 0))
            pos = ws.end()
        if pos < len(run):
            emit(run[pos:], at + pos)
    return pieces


def _read_gpo(raw: str) -> FullText | None:
    """GPO XML read as :func:`_read_markup` reads it, an order of magnitude faster.

    The source is split at ``<``; each piece is a tag and the character data after it. Distinct
    tag texts are few, so each is classified once; character data, mostly a run of words between
    indentation, is handled without a regex. Returns ``None`` for anything outside that shape
    (comments, a ``<`` that starts no tag, a tag without ``>``), which the tokenizer then reads.
    """
    parts: list[str] = []
    seg_text: list[int] = []
    seg_source: list[int] = []
    pages: list[tuple[int, int]] = []
    documents: list[tuple[str, int, int]] = []
    doc_stack: list[int] = []
    frdoc_start = -1
    last_doc_number = ""
    length = 0
    pending = ""  # "", " ", "\t" or "\n", as _Builder.pending
    drop_depth = 0
    drop_name = ""
    actions: dict[str, tuple[int, str, int]] = {}
    add_part = parts.append
    add_text = seg_text.append
    add_source = seg_source.append
    line_space = _LINE_SPACE
    plain_run = _plain_run
    pos = -1  # where "<" + segment starts in raw
    for segment in raw.split("<"):
        if pos < 0:
            body, text = "", segment
            pos = len(segment)
            start = 0
        else:
            body, gt, text = segment.partition(">")
            if not gt:
                return None
            start = pos + len(body) + 2
            pos += len(segment) + 1
            if drop_depth:
                if body.startswith("!--"):
                    return None
                drop_depth += _drop_step(body, drop_name)
                if drop_depth:
                    continue
                kind = _SKIP  # the dropped element's end tag: the text after it is read
            else:
                action = actions.get(body)
                if action is None:
                    action = _gpo_tag_action(body)
                    if action is None:
                        return None
                    actions[body] = action
                kind, name, page = action
            if kind == _SKIP:
                pass
            elif kind == _BLOCK:
                pending = "\n"
            elif kind == _CELL:
                if pending != "\n":
                    pending = "\t"
            elif kind == _PAGE:
                pages.append((length, page))
            elif kind == _DROP:
                drop_depth, drop_name = 1, name
                continue
            else:
                pending = "\n"
                if kind == _FRDOC_OPEN:
                    frdoc_start = len(parts)
                elif kind == _FRDOC_CLOSE:
                    if frdoc_start >= 0:
                        found = _FR_DOC.search("".join(parts[frdoc_start:]))
                        if found:
                            last_doc_number = found.group(1)
                        frdoc_start = -1
                elif kind == _DOC_OPEN:
                    doc_stack.append(length)
                    last_doc_number = ""
                elif kind == _DOC_CLOSE and doc_stack:
                    begin = doc_stack.pop()
                    if last_doc_number:
                        documents.append((last_doc_number, begin, length))
        if not text:
            continue
        core = text.strip()
        trail = 0
        if not core:
            if len(text) > 1 or text in line_space:
                if not pending:
                    pending = " "
                continue
            pieces: tuple[tuple[str, int], ...] | list[tuple[str, int]] = ((text, start),)
        elif "&" in text or "  " in core or not (core.isprintable() or plain_run(core)):
            pieces = _text_pieces(text, start)
        else:
            lead = text.find(core[0]) if text[0].isspace() else 0
            if lead:
                if lead > 1 or text[0] in line_space:
                    if not pending:
                        pending = " "
                else:
                    core = text[: 1 + len(core)]
                    lead = 0
            trail = len(text) - lead - len(core)
            if trail == 1 and text[-1] not in line_space:
                core += text[-1]
                trail = 0
            pieces = ((core, start + lead),)
        for piece, source in pieces:
            if not piece:
                if not pending:
                    pending = " "
                continue
            if pending and length:
                sep = pending
                if sep != " " or parts[-1][-1] not in " \t\n":
                    add_part(sep)
                    add_text(length)
                    add_source(source)
                    length += 1
            pending = ""
            add_part(piece)
            add_text(length)
            add_source(source)
            length += len(piece)
        if trail and not pending:
            pending = " "
    return FullText(
        text="".join(parts),
        pages=tuple(pages),
        documents=tuple(documents),
        _seg_text=tuple(seg_text) or (0,),
        _seg_source=tuple(seg_source) or (0,),
    )


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
