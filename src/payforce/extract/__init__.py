"""Text → provisions: pure functions over a Federal Register document's full text.

:func:`extract_provisions` reads a document (GPO XML, FR body HTML or plain text), finds billing
codes, decision timeframes, effective and compliance dates, AI terms and the programs named by
the CFR parts it cites, and returns one :class:`~payforce.models.Provision` per (kind, subject),
each with the evidence sentence and its span. Offsets are offsets into
``parse_fulltext(text, fmt).text``; :meth:`FullText.source_offset` maps them back to the input.

Kinds:

- ``code_payable``: a code whose sentence talks about payment or valuation (RVUs, payment,
  pricing, the fee schedule) without negating it (``not separately payable``);
- ``code_mention``: any other code read as a code;
- ``deadline``: a decision timeframe (``within 72 hours``, ``7 calendar days``);
- ``effective_date``: an effective, compliance or applicability date;
- ``ai_term``: artificial intelligence, machine learning, algorithm, decision support …;
- ``program``: a program named by a CFR part (42 CFR 414 → ``pfs``, 42 CFR 425 → ``mssp`` …).
"""

from __future__ import annotations

import csv
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from functools import lru_cache
from importlib import resources

from payforce.extract.codes import CodeMention, code_system, judge_code_mentions
from payforce.extract.spans import ScanText, SentenceIndex
from payforce.extract.terms import (
    Found,
    find_ai_terms,
    find_cfr_programs,
    find_dates,
    find_timeframes,
)
from payforce.extract.text import FORMATS, Format, FullText, parse_fulltext
from payforce.models import Provision

__all__ = [
    "FORMATS",
    "KINDS",
    "CodeMention",
    "Extraction",
    "Format",
    "FullText",
    "bundled_code_families",
    "extract",
    "extract_fulltext",
    "extract_provisions",
    "judge_code_mentions",
    "parse_fulltext",
]

KINDS = ("code_payable", "code_mention", "deadline", "effective_date", "ai_term", "program")
"""Every provision kind :func:`extract_provisions` returns."""


@lru_cache(maxsize=1)
def bundled_code_families() -> dict[str, str]:
    """Code → service family from the bundled snapshot's ``billing_codes.csv`` (read only)."""
    text = resources.files("payforce.data").joinpath("billing_codes.csv").read_text("utf-8")
    return {row["code"].strip(): row["family"].strip() for row in csv.DictReader(text.splitlines())}


@dataclass(frozen=True)
class Extraction:
    """Everything read from one document: the text, each code mention and the provisions."""

    full: FullText
    """The document's text, page markers and source offset map."""
    mentions: tuple[CodeMention, ...]
    """Every code-shaped token with its verdict (accepted or the veto that rejected it)."""
    provisions: tuple[Provision, ...]
    """One provision per (kind, subject), in text order of first evidence."""


def extract_provisions(
    text: str,
    *,
    document_number: str,
    fmt: str = "text",
    families: Mapping[str, str] | None = None,
) -> list[Provision]:
    """Provisions read from one document's full text (``fmt``: text, html or gpo_xml).

    ``families`` maps codes to service families (default: the bundled snapshot's codes).
    A GPO daily issue holding many documents is narrowed to ``document_number`` when found.
    Raises ``ValueError`` for an unknown ``fmt``.
    """
    return list(
        extract(text, document_number=document_number, fmt=fmt, families=families).provisions
    )


def extract(
    text: str,
    *,
    document_number: str,
    fmt: str = "text",
    families: Mapping[str, str] | None = None,
) -> Extraction:
    """Like :func:`extract_provisions`, keeping the text and every code mention with its verdict."""
    if fmt not in FORMATS:
        raise ValueError(f"unknown full-text format {fmt!r}; expected one of {', '.join(FORMATS)}")
    full = parse_fulltext(text, fmt)  # type: ignore[arg-type]
    return extract_fulltext(
        full, document_number=document_number, wrapped=fmt == "text", families=families
    )


def extract_fulltext(
    full: FullText,
    *,
    document_number: str,
    wrapped: bool = False,
    families: Mapping[str, str] | None = None,
) -> Extraction:
    """Extract from text already read by :func:`parse_fulltext` (``wrapped``: plain FR text)."""
    span = full.document_span(document_number)
    base, stop = span if span else (0, len(full.text))
    body = full.text[base:stop] if span else full.text
    sentences = SentenceIndex(body, wrapped=wrapped)
    scan = ScanText(body, wrapped=wrapped)
    mentions = judge_code_mentions(body, sentences, scan)
    dates = find_dates(scan)
    found: list[Found] = [
        *find_timeframes(scan),
        *dates,
        *find_ai_terms(scan),
        *find_cfr_programs(scan),
    ]
    family_of = bundled_code_families() if families is None else families

    provisions: dict[tuple[str, str], tuple[int, Provision]] = {}

    def page_note(offset: int) -> str:
        page = full.page_at(base + offset)
        return f"; FR page {page}" if page else ""

    by_code: dict[str, list[CodeMention]] = {}
    for m in mentions:
        if m.accepted:
            by_code.setdefault(m.code, []).append(m)
    for code, ms in by_code.items():
        payable = [m for m in ms if m.payable]
        first = payable[0] if payable else ms[0]
        kind = "code_payable" if payable else "code_mention"
        s_start, s_end = sentences.sentence(first.start, first.end)
        when = _date_in(dates, s_start, s_end)
        provisions[(kind, code)] = (
            first.start,
            Provision(
                document_number=document_number,
                kind=kind,
                subject=code,
                family=family_of.get(code, ""),
                effective_date=when,
                detail=f"{code_system(code)} {code}: {len(ms)} mention(s), "
                f"{len(payable)} in a payment context{page_note(first.start)}",
                evidence_text=sentences.evidence(first.start, first.end),
                start=base + first.start,
                end=base + first.end,
                origin="extracted",
            ),
        )
    for f in found:
        key = (f.kind, f.subject)
        if key in provisions:
            continue
        provisions[key] = (
            f.start,
            Provision(
                document_number=document_number,
                kind=f.kind,
                subject=f.subject,
                effective_date=f.when,
                detail=f"{f.detail}{page_note(f.start)}",
                evidence_text=sentences.evidence(f.start, f.end),
                start=base + f.start,
                end=base + f.end,
                origin="extracted",
            ),
        )
    ordered = tuple(p for _, p in sorted(provisions.values(), key=lambda item: item[0]))
    shifted = (
        tuple(
            CodeMention(m.code, base + m.start, base + m.end, m.accepted, m.reason, m.payable)
            for m in mentions
        )
        if base
        else tuple(mentions)
    )
    return Extraction(full=full, mentions=shifted, provisions=ordered)


def _date_in(dates: list[Found], start: int, end: int) -> date | None:
    for f in dates:
        if start <= f.start < end:
            return f.when
        if f.start >= end:
            break
    return None
