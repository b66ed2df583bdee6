"""Decision timeframes, effective and compliance dates, AI terms and CFR parts in running text.

Every finder starts from a literal anchor (``hour``, ``day``, ``effective``, ``algorithm``,
``CFR`` …) found with a plain substring search on a lower-cased byte copy of the text, then runs a
small anchored pattern on the few characters around each hit. Substring search runs at memory
speed; a regex with a leading character class would test every position of the text.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

from payforce.extract.spans import ScanText

__all__ = [
    "AI_TERMS",
    "CFR_PROGRAMS",
    "Found",
    "ScanText",
    "find_ai_terms",
    "find_cfr_programs",
    "find_dates",
    "find_timeframes",
]


@dataclass(frozen=True)
class Found:
    """One finding: what it is about, where it is, and a short detail."""

    kind: str
    """``deadline``, ``effective_date``, ``ai_term`` or ``program``."""
    subject: str
    """Normalised subject: ``72 hours``, ``2025-01-01``, ``machine learning``, ``mssp``."""
    start: int
    """Offset of the matched phrase in the text."""
    end: int
    """End offset of the matched phrase."""
    detail: str = ""
    """The phrase as printed, or what the date is (effective / compliance / applicability)."""
    when: date | None = None
    """The date, for effective and compliance dates."""


_WORD_BYTES = frozenset(b"abcdefghijklmnopqrstuvwxyz0123456789_")
_LETTERS = frozenset(b"abcdefghijklmnopqrstuvwxyz")
_WORD_OR_HYPHEN = frozenset(b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_-")


# --- decision timeframes -------------------------------------------------------------------

_NUMBER_WORDS = {
    "one": 1,
    "two": 2,
    "three": 3,
    "four": 4,
    "five": 5,
    "six": 6,
    "seven": 7,
    "eight": 8,
    "nine": 9,
    "ten": 10,
    "eleven": 11,
    "twelve": 12,
    "fourteen": 14,
    "fifteen": 15,
    "twenty": 20,
    "twenty-four": 24,
    "thirty": 30,
    "forty-five": 45,
    "forty-eight": 48,
    "sixty": 60,
    "seventy-two": 72,
    "ninety": 90,
}
_NUMBER_ALTERNATION = "|".join(sorted(_NUMBER_WORDS, key=len, reverse=True))
# What must sit just before a unit: a number (digits, a number word, or "two (2)"), then an
# optional calendar/business qualifier. Matched backwards from the unit on the lower-case copy.
_BEFORE_UNIT = re.compile(
    rb"(?<![a-z0-9])(?P<n>[0-9]{1,3}|" + _NUMBER_ALTERNATION.encode() + rb")"
    rb"(?:\s*\([0-9]{1,3}\))?[\s-]+(?P<q>(?:calendar|business|working)[\s-]+)?$"
)
_LEAD = re.compile(
    rb"\b(?:within|no later than|not later than|not more than|no more than|up to|"
    rb"not to exceed|no fewer than|at least|by|to|from)\s+(?:(?:the|a|an)\s+)?$"
)
_UNIT = re.compile(rb"(?:hour|day)s?\b")
_TAIL = re.compile(rb"[\s-]+(?:timeframes?|time frames?|deadlines?|turnaround|clock)\b")
_TIMEFRAME_BACK = 40
# Last character of what may precede a unit: a digit, ")" of "two (2)", or the last letter of
# a number word or of calendar/business/working (a cheap test before the backwards regex).
_NUMBER_END = frozenset(
    b"0123456789)"
    + bytes({ord(w[-1]) for w in (*_NUMBER_WORDS, "calendar", "business", "working")})
)


def find_timeframes(scan: ScanText) -> list[Found]:
    """Decision timeframes: ``within 72 hours``, ``7 calendar days``, ``72-hour timeframe``.

    A bare duration counts only with a limiting word before it (within, no later than, up to …),
    a calendar/business qualifier, or a timeframe word after it; ``733 hours`` of paperwork
    burden and ``90-day`` global periods are not timeframes.
    """
    text = scan.text
    lower = scan.lower
    out: list[Found] = []
    for anchor in ("hour", "day"):
        for pos in scan.iter_literal(anchor):
            if pos < 2 or lower[pos - 1] not in b" -\n" or lower[pos - 2] not in _NUMBER_END:
                continue
            unit = _UNIT.match(lower, pos)
            if unit is None:
                continue
            number = _BEFORE_UNIT.search(lower, max(0, pos - _TIMEFRAME_BACK), pos)
            if number is None:
                continue
            start = number.start()
            lead = _LEAD.search(lower, max(0, start - 30), start)
            tail = _TAIL.match(lower, unit.end())
            if lead is None and number.group("q") is None and tail is None:
                continue
            if lead is not None:
                start = lead.start()
            end = tail.end() if tail is not None else unit.end()
            n_text = number.group("n").decode()
            n = int(n_text) if n_text.isdigit() else _NUMBER_WORDS[n_text]
            unit_name = anchor
            qual = (number.group("q") or b"").decode().strip().replace("-", " ")
            subject = f"{n} {qual + ' ' if qual else ''}{unit_name}{'s' if n != 1 else ''}"
            out.append(
                Found("deadline", subject, start, end, detail=re.sub(r"\s+", " ", text[start:end]))
            )
    out.sort(key=lambda f: f.start)
    return out


# --- effective and compliance dates ----------------------------------------------------------

_MONTHS = {
    m: i
    for i, m in enumerate(
        (
            "january",
            "february",
            "march",
            "april",
            "may",
            "june",
            "july",
            "august",
            "september",
            "october",
            "november",
            "december",
        ),
        start=1,
    )
}
_MONTH_DAY = re.compile(
    rb"(?<![a-z])(?P<month>january|february|march|april|may|june|july|august|september|october|"
    rb"november|december)\s+(?P<day>[0-9]{1,2})$"
)
_TRIGGER = re.compile(rb"effective|takes? effect|complian|comply|applicab")
_TRIGGER_LABELS = {
    b"effective": "effective date",
    b"take effect": "effective date",
    b"takes effect": "effective date",
    b"complian": "compliance date",
    b"comply": "compliance date",
    b"applicab": "applicability date",
}
_DATE_WINDOW = 120


def find_dates(scan: ScanText) -> list[Found]:
    """Effective, compliance and applicability dates: a trigger word, then a date soon after.

    Dates (``Month D, 20YY``) are found from their year (one substring search for ``, 20``);
    the nearest trigger word (effective, take effect, compliance, comply, applicable) before
    the date in the same sentence (no ``. ``, ``;`` or line break in between, at most 120
    characters back) says what the date is, e.g. ``These regulations are effective on October
    1, 2024`` or ``applicable beginning January 1, 2026``. Only the first date after a trigger
    counts (``effective October 1, 2024, through September 30, 2025`` gives October 1).
    """
    lower = scan.lower
    size = len(lower)
    out: list[Found] = []
    for pos in scan.iter_literal(", 20"):
        year_end = pos + 6
        year = lower[pos + 2 : year_end]
        if not year.isdigit() or (year_end < size and lower[year_end] in _WORD_BYTES):
            continue
        md = _MONTH_DAY.search(lower, max(0, pos - 16), pos)
        if md is None:
            continue
        lo = max(0, md.start() - _DATE_WINDOW)
        for stop in (b". ", b"\n\n" if scan.wrapped else b"\n", b";"):
            cut = lower.rfind(stop, lo, md.start())
            if cut >= 0:
                lo = cut + 1
        triggers = list(_TRIGGER.finditer(lower, lo, md.start()))
        if not triggers:
            continue
        trigger = triggers[-1]  # the nearest one
        if lower.find(b", 20", trigger.end(), md.start()) >= 0:
            continue  # an end date ("effective October 1, 2024, through September 30, 2025")
        try:
            when = date(int(year), _MONTHS[md.group("month").decode()], int(md.group("day")))
        except ValueError:
            continue
        out.append(
            Found(
                "effective_date",
                when.isoformat(),
                trigger.start(),
                year_end,
                detail=_TRIGGER_LABELS[trigger.group()],
                when=when,
            )
        )
    return out


# --- AI terms ----------------------------------------------------------------------------------

AI_TERMS: dict[str, str] = {
    "artificial intelligence": "artificial intelligence",
    "augmented intelligence": "artificial intelligence",
    "machine learning": "machine learning",
    "machine-learning": "machine learning",
    "deep learning": "machine learning",
    "neural network": "machine learning",
    "algorithm": "algorithm",
    "predictive decision support": "predictive decision support intervention",
    "decision support intervention": "decision support intervention",
    "clinical decision support": "clinical decision support",
    "large language model": "large language model",
    "natural language processing": "natural language processing",
    "computer-aided detection": "computer-aided detection",
    "computer-aided diagnosis": "computer-aided detection",
}
"""Lower-case phrase → normalised AI term (the subject of an ``ai_term`` provision)."""
# Anchors searched in the text; each anchor's hits are checked against the phrases holding it.
_AI_ANCHORS: dict[str, tuple[str, ...]] = {
    "intelligence": ("artificial intelligence", "augmented intelligence"),
    "learning": ("machine learning", "machine-learning", "deep learning"),
    "neural network": ("neural network",),
    "algorithm": ("algorithm",),
    "decision support": (
        "predictive decision support",
        "decision support intervention",
        "clinical decision support",
    ),
    "language": ("large language model", "natural language processing"),
    "computer-aided": ("computer-aided detection", "computer-aided diagnosis"),
}


def find_ai_terms(scan: ScanText) -> list[Found]:
    """Mentions of AI: artificial intelligence, machine learning, algorithms, DSIs, ``AI``."""
    text = scan.text
    out: list[Found] = []
    lower = scan.lower
    size = len(lower)
    for anchor, phrases in _AI_ANCHORS.items():
        for pos in scan.iter_literal(anchor):
            for phrase in phrases:
                start = pos - phrase.find(anchor)
                target = phrase.encode("ascii")
                if start < 0 or lower[start : start + len(target)] != target:
                    continue
                if start > 0 and lower[start - 1] in _LETTERS:
                    continue
                end = start + len(target)
                while end < size and lower[end] in _LETTERS:  # algorithms, algorithmic
                    end += 1
                out.append(Found("ai_term", AI_TERMS[phrase], start, end, detail=text[start:end]))
                break
    raw = scan.ascii
    pos = raw.find(b"AI")
    while pos >= 0:
        end = pos + 2
        if (pos == 0 or raw[pos - 1] not in _WORD_OR_HYPHEN) and (
            end >= size or raw[end] not in _WORD_OR_HYPHEN
        ):
            out.append(Found("ai_term", "artificial intelligence", pos, end, detail="AI"))
        pos = raw.find(b"AI", end)
    out.sort(key=lambda f: f.start)
    return out


# --- CFR parts → programs ------------------------------------------------------------------------

CFR_PROGRAMS: dict[tuple[int, int], tuple[str, str]] = {
    (42, 410): ("pfs", "Medicare Physician Fee Schedule (Part B services)"),
    (42, 414): ("pfs", "Medicare Physician Fee Schedule (payment for Part B services)"),
    (42, 418): ("hospice", "Medicare hospice benefit"),
    (42, 422): ("medicare_advantage", "Medicare Advantage (Part C)"),
    (42, 423): ("part_d", "Medicare Prescription Drug Benefit (Part D)"),
    (42, 425): ("mssp", "Medicare Shared Savings Program"),
    (42, 438): ("medicaid_managed_care", "Medicaid managed care"),
    (42, 460): ("pace", "Programs of All-Inclusive Care for the Elderly"),
    (45, 92): ("section_1557", "Section 1557 nondiscrimination"),
    (45, 170): ("health_it_certification", "ONC Health IT Certification Program"),
    (45, 171): ("information_blocking", "Information blocking"),
}
"""(CFR title, part) → (program key, program name)."""
_CFR = re.compile(
    r"(?P<title>[0-9]{1,2})\s+CFR\s+(?:[Pp]arts?\s+|§+\s*)?"
    r"(?P<parts>[0-9]{1,4}(?:\.[0-9]+)?(?:(?:\s*,\s*(?:and\s+)?|\s+and\s+|\s+through\s+|\s*[-–]\s*)"
    r"[0-9]{1,4}(?:\.[0-9]+)?)*)"
)
_PART_NUMBER = re.compile(r"([0-9]{1,4})(?:\.[0-9]+)?")


def find_cfr_programs(scan: ScanText) -> list[Found]:
    """Programs named by the CFR parts a text cites (``42 CFR Parts 410, 414, and 425``)."""
    text = scan.text
    out: list[Found] = []
    for pos in scan.iter_literal("cfr"):
        if text[pos : pos + 3] != "CFR":
            continue
        m = _CFR.search(text, max(0, pos - 4), pos + 200)
        if m is None or m.start() > pos or m.start("parts") < pos:
            continue
        title = int(m.group("title"))
        for part_m in _PART_NUMBER.finditer(m.group("parts")):
            part = int(part_m.group(1))
            program = CFR_PROGRAMS.get((title, part))
            if program:
                out.append(
                    Found(
                        "program",
                        program[0],
                        m.start(),
                        m.end(),
                        detail=f"{title} CFR {part}: {program[1]}",
                    )
                )
    out.sort(key=lambda f: f.start)
    return out
