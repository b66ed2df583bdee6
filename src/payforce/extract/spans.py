"""Sentences and paragraphs around a span of extracted text.

Text read by :mod:`payforce.extract.text` from markup has one paragraph (or heading, or table
row) per line; plain Federal Register text wraps lines inside paragraphs and separates
paragraphs with blank lines. :class:`SentenceIndex` finds the sentence around an offset in either
shape, computing each paragraph's sentence boundaries once, so asking for many spans in one
dense paragraph stays cheap.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections.abc import Iterator

__all__ = ["MAX_EVIDENCE", "MAX_PARAGRAPH", "ScanText", "SentenceIndex"]

MAX_EVIDENCE = 600
"""Longest evidence text kept; longer sentences (table rows, lists) are cut around the span."""
MAX_PARAGRAPH = 4000
"""Furthest a paragraph reaches on either side of a span (text without breaks stays cheap)."""

# A sentence ends at . ! or ? (optionally followed by a closing quote or bracket) and whitespace,
# when the next sentence starts with a capital, digit or opening quote, unless the period closes
# a common abbreviation (Pub. L., No., U.S.C., e.g., Dr., Fed. Reg., et al.).
_ABBREVIATIONS = (
    "Pub",
    "No",
    "Nos",
    "Sec",
    "Dr",
    "Mr",
    "Ms",
    "St",
    "Vol",
    "Fig",
    "Reg",
    "Fed",
    "al",
    "vs",
    "Inc",
    "Co",
    "U.S",
    "e.g",
    "i.e",
    "Jr",
    "pp",
    "p",
    "E.O",
    "Pub. L",
)
# The pattern starts with the punctuation itself, so the regex engine skips quickly to each
# candidate, and checks what follows before the abbreviation lookbehinds (which include the
# period), so decimals such as 9.50 fail fast.
_SENTENCE_END = re.compile(
    r"[.!?](?=[\"”’')\]]*\s+[\"“‘'(\[]?[A-Z0-9•])"
    + "".join(rf"(?<!\b{re.escape(a)}\.)" for a in _ABBREVIATIONS)
    + r"[\"”’')\]]*\s+"
)
_WS = re.compile(r"\s+")


class SentenceIndex:
    """Finds the sentence around a span of ``text``; ``wrapped`` for hard-wrapped plain text."""

    def __init__(self, text: str, *, wrapped: bool = False) -> None:
        self.text = text
        self.wrapped = wrapped
        self._cache: dict[int, tuple[int, list[int]]] = {}

    def paragraph(self, start: int, end: int) -> tuple[int, int]:
        """Bounds of the paragraph (a line, or a blank-line block when wrapped) holding a span.

        A paragraph longer than MAX_PARAGRAPH on either side of the span is cut at the nearest
        line break within that distance, so text without paragraph breaks stays cheap.
        """
        text = self.text
        sep = "\n\n" if self.wrapped else "\n"
        # window edges snap to a 1 KiB grid, so nearby spans share a paragraph (and its cache)
        lo = max(0, (start - MAX_PARAGRAPH) & ~1023)
        p_start = text.rfind(sep, lo, start)
        if p_start >= 0:
            p_start += len(sep)
        elif lo == 0:
            p_start = 0
        else:
            cut = text.find("\n", lo, start)
            p_start = cut + 1 if cut >= 0 else lo
        hi = min(len(text), (end + MAX_PARAGRAPH) | 1023)
        p_end = text.find(sep, end, hi)
        if p_end < 0:
            if hi == len(text):
                p_end = hi
            else:
                cut = text.rfind("\n", end, hi)
                p_end = cut if cut >= 0 else hi
        return p_start, p_end

    def sentence(self, start: int, end: int) -> tuple[int, int]:
        """Bounds of the sentence holding the span ``[start, end)``."""
        p_start, p_end = self.paragraph(start, end)
        cached = self._cache.get(p_start)
        if cached is None or cached[0] != p_end:
            cuts = [m.end() for m in _SENTENCE_END.finditer(self.text, p_start, p_end)]
            cached = (p_end, cuts)
            self._cache[p_start] = cached
        cuts = cached[1]
        k = bisect_right(cuts, start) - 1
        s_start = cuts[k] if k >= 0 else p_start
        s_end = p_end
        k_end = bisect_right(cuts, end - 1)
        if k_end < len(cuts):
            s_end = cuts[k_end]
        return s_start, s_end

    def evidence(self, start: int, end: int) -> str:
        """The sentence around a span as one line (whitespace collapsed), cut to MAX_EVIDENCE."""
        s_start, s_end = self.sentence(start, end)
        if s_end - s_start > MAX_EVIDENCE:
            half = MAX_EVIDENCE // 2
            lo = max(s_start, start - half)
            hi = min(s_end, end + half)
            text = self.text[lo:hi]
            text = ("…" if lo > s_start else "") + text + ("…" if hi < s_end else "")
        else:
            text = self.text[s_start:s_end]
        return _WS.sub(" ", text).strip()


class ScanText:
    """A text with the byte copies the finders search, built once per document.

    ``ascii`` has one byte per character (each non-ASCII character becomes ``?``), so a byte
    offset found in it is the character offset in ``text``; ``lower`` is its lower-case copy.
    Substring search on these bytes runs at memory speed.
    """

    def __init__(self, text: str, *, wrapped: bool = False) -> None:
        self.text = text
        self.wrapped = wrapped
        """Plain FR text: lines wrap inside sentences; paragraphs end at blank lines."""
        self.ascii = text.encode("ascii", "replace")
        self.lower = self.ascii.lower()

    def iter_literal(self, needle: str) -> Iterator[int]:
        """Offsets of each occurrence of a lower-case ASCII ``needle``, case-insensitively."""
        target = needle.encode("ascii")
        lower = self.lower
        pos = lower.find(target)
        while pos >= 0:
            yield pos
            pos = lower.find(target, pos + 1)
