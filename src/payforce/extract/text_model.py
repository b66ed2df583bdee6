"""The pieces shared by the full-text readers: the tokenizer, tag sets, :class:`FullText` and the
text builder that records the (text offset, source offset) map. See :mod:`payforce.extract.text`.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from dataclasses import dataclass, field
from typing import Literal

__all__ = ["FORMATS", "Format", "FullText"]

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
