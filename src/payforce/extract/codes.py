"""Billing-code mentions in running text: CPT Category I/II/III and HCPCS Level II.

A *candidate* has the shape of a code: five digits (CPT Category I), four digits and ``T``
(Category III) or ``F`` (Category II), or a HCPCS Level II letter and four digits, standing
alone (no letter or digit on either side). Candidates are found on a byte copy of the text whose
digits are mapped to ``0`` and capitals to ``A``, so three literal searches (``00000``,
``0000A``, ``A0000``) find them all; this keeps the
scan at memory speed instead of a regex engine's per-character loop. (The byte copy is ASCII
with ``?`` for other characters, so byte offsets are character offsets.)

Each candidate is then judged by context rules, in order (the first that decides wins):

1. **Lists and ranges inherit.** A candidate joined to the previous one by ``,``, ``and``,
   ``or``, ``through``, ``to`` or a dash (optionally after a parenthesized descriptor, as in
   ``CPT codes 36514 ( … ), 36516 ( … ), and 36522``) takes the previous verdict: the second
   page of ``89 FR 97710, 97780`` is a page too, the last code of a code list is a code too.
2. **Vetoes by the words before**: a Federal Register citation (``89 FR``), a page reference
   (``page``, ``pp.``, ``[[Page``), an FR document number (``2024-``), a form or identifier
   prefix (``CMS-``), a dollar sign, a decimal or thousands separator, a statute or regulation
   section (``section``, ``§``), an Executive Order, geographic codes (``CBSA``, ``FIPS``,
   ``rural area``, ``transition code``, ``ZIP``, a state abbreviation), a table row or line,
   a form, docket or control number, an assessment item, a DOI or URL.
3. **Vetoes by the characters after**: ``-1234`` (ZIP+4, phone), a decimal or thousands part,
   ``percent``.
4. **Vetoes by the sentence**: geographic wage-index talk (``wage index``, ``CBSA``, ``FIPS``,
   ``county``) without ``CPT`` or ``HCPCS``; for letter codes, an assessment instrument
   (``HOPE``, ``item``, ``OASIS``, ``MDS``) in the paragraph without ``CPT`` or ``HCPCS``.
5. **Evidence.** A table cell under a column headed ``HCPCS``, ``CPT`` or ``Code``, or a code
   word earlier in the sentence (``CPT``, ``HCPCS``, ``Category III``,
   ``G-code``, or ``code(s)`` not qualified as a ZIP, FIPS, transition, diagnosis… code)
   accepts it. Category II/III and HCPCS shapes are distinctive enough to be accepted without a
   code word when their sentence talks about payment (``the 2025 Facility Fee for Q3014``);
   five bare digits need a code word (FR text is full of them).

Rejected candidates are kept with their reason, as skips are elsewhere in payforce, so the
evaluation and the docs can say why each number was not read as a code.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass

from payforce.extract.spans import ScanText, SentenceIndex

__all__ = [
    "HCPCS_LETTERS",
    "CodeMention",
    "code_system",
    "iter_code_candidates",
    "judge_code_mentions",
]

HCPCS_LETTERS = frozenset("ABCEGHJKLMPQRSTUV")
"""First letters of HCPCS Level II codes (D codes are dental CDT, not HCPCS Level II here)."""

# Digits become 0 and capital letters A, so every code shape is one of three literals.
_SHAPES = bytes.maketrans(b"0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ", b"0" * 10 + b"A" * 26)
_ALNUM = frozenset(b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_")
_HCPCS_BYTES = frozenset(ord(c) for c in HCPCS_LETTERS)

_STATES = (
    "AL|AK|AZ|AR|CA|CO|CT|DE|DC|FL|GA|HI|ID|IL|IN|IA|KS|KY|LA|ME|MD|MA|MI|MN|MS|MO|MT|NE|NV|NH|"
    "NJ|NM|NY|NC|ND|OH|OK|OR|PA|PR|RI|SC|SD|TN|TX|UT|VT|VA|WA|WV|WI|WY|GU|VI"
)
# Each veto is (reason, pattern matched against the text just before the candidate), tried in
# order; separate patterns keep each one's literal-prefix optimisation in the regex engine.
_BEFORE_VETO_PATTERNS: tuple[tuple[str, str], ...] = (
    ("fr_citation", r"\bFR\s+(?:at\s+)?"),
    ("page_number", r"(?:\b[Pp]ages?|\bpp?\.|\[\[Page|\b[Pp]rinted [Pp]age|\bat p\.),?\s*"),
    ("fr_document_number", r"(?<![0-9])[0-9]{4}[-–]|\bFR Doc\.?\s*(?:No\.?\s*)?"),
    ("identifier", r"[A-Za-z][-–]"),
    ("dollar_amount", r"\$\s*"),
    ("number_part", r"[0-9][.,]|\."),
    ("statute_or_cfr_section", r"(?:\b[Ss]ections?|\b[Ss]ecs?\.|§+|\bCFR(?: [Pp]arts?)?)\s*"),
    ("executive_order", r"(?:\bExecutive Orders?|\bE\.\s?O\.|\bEO)\s*(?:No\.\s*)?"),
    (
        "geographic_code",
        r"(?:\bCBSAs?|\bFIPS(?: [Cc]ounty| [Cc]odes?| [Ss]tate)?|\b[Rr]ural [Aa]reas?|"
        r"\b[Tt]ransition [Cc]odes?|\b[A-Z][a-z]+ [Cc]odes?|\bZIP(?: [Cc]odes?)?|"
        r"\b[Zz]ip [Cc]odes?|\b(?:" + _STATES + r")),?\s+",
    ),
    ("table_row_or_line", r"\b(?:[Rr]ows?|[Ll]ines?|[Cc]olumns?|[Tt]ables?)\s*(?:No\.\s*)?"),
    (
        "form_or_control_number",
        r"(?:\b[Ff]orms?|\bNos?\.|\b[Nn]umbers?|\bOMB|\b[Dd]ocket|\bPub\. ?L\.|"
        r"\bPublic Law)\s*",
    ),
    ("assessment_item", r"\b(?:[Ii]tems?|HOPE|OASIS|MDS)\s*"),
    (
        "building_or_room",
        r"\b(?:[Rr]ooms?|[Bb]uildings?|[Bb]ldgs?\.|[Mm]odels?|[Ss]uites?)\s*#?\s*",
    ),
    ("doi_or_url", r"(?:\bdoi:?\s*\S*|https?://\S*|www\.\S*)"),
)
# The characters each veto's text can end with (before trailing spaces): a cheap test that
# skips the patterns that cannot match. None: always tried.
_LETTERS = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"
_VETO_LAST_CHARS: dict[str, str | None] = {
    "fr_citation": "Rt",
    "page_number": "eEsS.,",
    "fr_document_number": "-–.c",
    "identifier": "-–",
    "dollar_amount": "$",
    "number_part": ".,",
    "statute_or_cfr_section": "nNsS.§RtT",
    "executive_order": "rsO.",
    "geographic_code": _LETTERS + ",",
    "table_row_or_line": "wsen.",
    "form_or_control_number": "ms.rBtwM",
    "assessment_item": "msES",
    "building_or_room": "msg.le#",
    "doi_or_url": None,  # tried only when the text holds doi, / or www.
}
_BEFORE_VETOES: tuple[tuple[str, re.Pattern[str]], ...] = tuple(
    (reason, re.compile(r"(?:" + pattern + r")$")) for reason, pattern in _BEFORE_VETO_PATTERNS
)
_AFTER_VETOES: tuple[tuple[str, re.Pattern[str]], ...] = tuple(
    (reason, re.compile(pattern))
    for reason, pattern in (
        ("zip_or_phone", r"[-–][0-9]{4}(?![0-9A-Za-z])"),
        ("number_part", r"[.,][0-9]"),
        ("percent", r"\s*(?:%|percent)"),
        ("page_number", r"\]\]"),
        ("identifier", r"[-–][A-Z]{3,}"),
    )
)
_CONNECTOR = re.compile(
    r"\s*(?:\((?:[^()]|\([^()]*\))*\)\s*)?"
    r"(?:,\s*(?:and|or)?|and|or|through|to|[-–—])\s*(?:(?:CPT|HCPCS) codes? )?"
)
_STRONG_WORD = re.compile(r"\b(?:CPT|HCPCS|Category I{1,3}|G-codes?)\b")
_CODE_WORD = re.compile(r"\b[Cc]odes?\b")
_CODE_WORD_QUALIFIER = re.compile(
    r"(?:ZIP|[Zz]ip|FIPS|[Tt]ransition|[Pp]ostal|[Aa]rea|[Cc]ountry|[Ss]tate|[Cc]ounty|"
    r"[Dd]iagnosis|ICD(?:-10(?:-CM|-PCS)?)?|[Rr]evenue|[Bb]illing|[Tt]ax|U\.S\.|Revenue|"
    r"[Gg]eorgia|[Rr]ural|[Ss]ocial [Ss]ecurity|[Bb]ar|[Ee]thics|[Bb]uilding)\s+$"
)
# Sentence facts are substring tests (far faster than regex alternations on each sentence).
_STRONG_WORDS = ("CPT", "HCPCS", "Category I", "G-code")
_GEOGRAPHIC_WORDS = ("wage index", "cbsa", "fips", "county", "counties")
_INSTRUMENT = re.compile(r"\b(?:HOPE|[Ii]tems?|OASIS|MDS|IRF-PAI|LCDS|Item Set|data elements?)\b")
_PAYMENT_WORDS = (
    "rvu",
    "relative value",
    "payment",
    "payable",
    " pay ",
    " pay.",
    " paid",
    " valu",
    "pric",
    " fee",
    "reimburs",
    "conversion factor",
    "pe input",
    "crosswalk",
    " billed",
    " billable",
    " billing",
    " bill ",
    "to bill",
)
_NOT_PAYABLE = (
    "not payable",
    "not separately payable",
    "non-payable",
    "nonpayable",
    "bundled status",
    "not pay separately",
    "not be paid",
    "not paid",
    "no longer payable",
)
_LOOKBACK = 24
_MAX_TABLE_ROWS = 2000
_CODE_COLUMN = re.compile(r"\b(?:HCPCS|CPT)\b|^\s*(?:[Cc]odes?|CODES?)\s*$")
_CODE_WORD_TAILS = tuple(
    f"{system} {word} "
    for system in ("CPT", "HCPCS", "Category III", "Category I")
    for word in ("code", "codes", "Code", "Codes")
)
_LOOKAHEAD = 16


def code_system(code: str) -> str:
    """The code set a code's shape belongs to, e.g. ``CPT Category III`` for ``0537T``."""
    if code[0].isalpha():
        return "HCPCS Level II"
    if code[-1] == "T":
        return "CPT Category III"
    if code[-1] == "F":
        return "CPT Category II"
    return "CPT Category I"


@dataclass(frozen=True)
class CodeMention:
    """One code-shaped token in the text and what the context rules made of it."""

    code: str
    """The token, e.g. ``99490``."""
    start: int
    """Offset of the token in the text."""
    end: int
    """End offset of the token."""
    accepted: bool
    """True when the token is read as a billing code."""
    reason: str
    """Why: ``cpt_word``, ``code_word``, ``distinctive_shape``, ``list`` … or a veto name."""
    payable: bool = False
    """Accepted and its sentence talks about payment or valuation (and does not negate it)."""

    @property
    def system(self) -> str:
        """CPT Category I / II / III or HCPCS Level II, from the code's shape."""
        return code_system(self.code)


def iter_code_candidates(text: str, scan: ScanText | None = None) -> Iterator[tuple[int, int]]:
    """Yield ``(start, end)`` of every code-shaped token in ``text``, in order."""
    raw = (scan or ScanText(text)).ascii
    shapes = raw.translate(_SHAPES)
    size = len(raw)
    hits: list[int] = []
    for needle in (b"00000", b"0000A", b"A0000"):
        find = shapes.find
        pos = find(needle)
        while pos >= 0:
            hits.append(pos)
            pos = find(needle, pos + 1)
    hits.sort()
    for s in hits:
        e = s + 5
        if (s and raw[s - 1] in _ALNUM) or (e < size and raw[e] in _ALNUM):
            continue
        first, last = raw[s], raw[e - 1]
        if first >= 65 and first not in _HCPCS_BYTES:  # a letter, not a HCPCS one
            continue
        if last >= 65 and last not in (84, 70):  # T, F
            continue
        yield s, e


def _before_veto(before: str) -> str:
    last = before.rstrip()[-1:]
    for reason, pattern in _BEFORE_VETOES:
        ends = _VETO_LAST_CHARS[reason]
        if ends is None:
            if "doi" not in before and "/" not in before and "www." not in before:
                continue
        elif last not in ends:
            continue
        if pattern.search(before):
            return reason
    return ""


def _after_veto(after: str) -> str:
    for reason, pattern in _AFTER_VETOES:
        if pattern.match(after):
            return reason
    return ""


def _code_word_before(sentence_prefix: str) -> str:
    if _STRONG_WORD.search(sentence_prefix):
        return "cpt_word"
    for m in _CODE_WORD.finditer(sentence_prefix):
        if not _CODE_WORD_QUALIFIER.search(sentence_prefix, max(0, m.start() - 30), m.start()):
            return "code_word"
    return ""


def judge_code_mentions(
    text: str, sentences: SentenceIndex | None = None, scan: ScanText | None = None
) -> list[CodeMention]:
    """Every code-shaped token of ``text`` with its verdict, in text order."""
    judge = _Judge(text, sentences or SentenceIndex(text))
    out: list[CodeMention] = []
    prev: CodeMention | None = None
    for start, end in iter_code_candidates(text, scan):
        code = text[start:end]
        accepted, reason = judge(code, start, end, prev)
        payable = accepted and judge.facts(start, end)[2]
        mention = CodeMention(code, start, end, accepted, reason, payable)
        out.append(mention)
        prev = mention
    return out


class _Judge:
    """The context rules, with per-sentence facts computed once (dense texts repeat sentences)."""

    def __init__(self, text: str, index: SentenceIndex) -> None:
        self.text = text
        self.index = index
        self._facts: dict[int, tuple[bool, bool, bool]] = {}
        self._table_heads: dict[int, int] = {}

    def facts(self, start: int, end: int) -> tuple[bool, bool, bool]:
        """(has CPT/HCPCS word, is geographic talk, is a payment context) for a span's sentence."""
        s_start, s_end = self.index.sentence(start, end)
        cached = self._facts.get(s_start)
        if cached is None:
            sentence = self.text[s_start:s_end]
            low = sentence.lower()
            cached = (
                any(w in sentence for w in _STRONG_WORDS),
                any(w in low for w in _GEOGRAPHIC_WORDS),
                any(w in low for w in _PAYMENT_WORDS) and not any(w in low for w in _NOT_PAYABLE),
            )
            self._facts[s_start] = cached
        return cached

    def __call__(
        self, code: str, start: int, end: int, prev: CodeMention | None
    ) -> tuple[bool, str]:
        text = self.text
        wrapped = self.index.wrapped  # plain FR text: a single line break is inside a sentence
        if prev is not None and start - prev.end < 400:
            gap = text[prev.end : start]
            if ("\n\n" if wrapped else "\n") not in gap and _CONNECTOR.fullmatch(gap):
                reason = prev.reason if prev.reason.startswith("list:") else "list:" + prev.reason
                return prev.accepted, reason
        lo = max(0, start - _LOOKBACK)
        cut = text.rfind("\t", lo, start)
        if not wrapped:
            cut = max(cut, text.rfind("\n", lo, start))
        before = text[cut + 1 if cut >= 0 else lo : start]  # not across a line or a table cell
        if wrapped and "\n" in before:
            before = before.replace("\n", " ")
        after_veto = _after_veto(text[end : end + _LOOKAHEAD])
        if before.endswith(_CODE_WORD_TAILS) and not after_veto:
            return True, "cpt_word"  # "CPT code 25310": no veto can apply
        veto = _before_veto(before) or after_veto
        if veto:
            return False, veto
        strong, geographic, payment = self.facts(start, end)
        if not strong and geographic:
            return False, "geographic_context"
        letter = code[0].isalpha()
        if letter and not strong:
            p_start, p_end = self.index.paragraph(start, end)
            if _INSTRUMENT.search(text, p_start, p_end):
                return False, "assessment_item"
        s_start, _ = self.index.sentence(start, end)
        word = _code_word_before(text[s_start:start])
        if word:
            return True, word
        if (letter or not code[-1].isdigit()) and payment:
            return True, "distinctive_shape"
        if self.table_column_says_code(start):
            return True, "table_column"
        return False, "no_code_context"

    def table_column_says_code(self, start: int) -> bool:
        """True when the span sits in a table cell whose column heading names codes.

        The reader writes a table as consecutive lines of tab-separated cells, headings first;
        the heading is the first line of the run of tabbed lines above the span.
        """
        text = self.text
        line_start = text.rfind("\n", 0, start) + 1
        line_end = text.find("\n", start)
        if "\t" not in text[line_start : line_end if line_end >= 0 else len(text)]:
            return False
        column = text.count("\t", line_start, start)
        head = self._table_heads.get(line_start)
        if head is None:
            head = line_start
            for _ in range(_MAX_TABLE_ROWS):
                prev_start = text.rfind("\n", 0, max(0, head - 1)) + 1
                if head == 0 or "\t" not in text[prev_start : head - 1]:
                    break
                head = prev_start
            self._table_heads[line_start] = head
        head_end = text.find("\n", head)
        cells = text[head : head_end if head_end >= 0 else len(text)].split("\t")
        return column < len(cells) and bool(_CODE_COLUMN.search(cells[column]))
