"""Timeframes, effective dates, AI terms and CFR programs on real Federal Register sentences."""

from __future__ import annotations

from datetime import date

import pytest

from payforce.extract.terms import (
    ScanText,
    find_ai_terms,
    find_cfr_programs,
    find_dates,
    find_timeframes,
)

TIMEFRAMES = [
    (
        "a Part D sponsor must submit initial PDE records for selected drugs (as described at "
        "section 1192(c) of the Act) within 7 calendar days from the date the Part D sponsor "
        "receives the claim.",
        ["7 calendar days"],
    ),
    (
        "Part D plan sponsors must reimburse a network pharmacy no later than 14 calendar days "
        "after the date on which the claim is received",
        ["14 calendar days"],
    ),
    (
        "A commenter requested that the timeframe for processing retroactive election requests be "
        "extended from 24 hours to 72 hours.",
        ["24 hours", "72 hours"],
    ),
    (
        "The Part D enrollee believes that any delay in filling the prescription(s) due to the "
        "24-hour timeframe required to process their request",
        ["24 hours"],
    ),
    ("the hospice must file the NOE within two (2) days", ["2 days"]),
    # hours of paperwork burden and global periods are not decision timeframes
    ("The burden is 733 hours per year.", []),
    ("amongst 90 day global procedures with similar work time", []),
]


@pytest.mark.parametrize(("sentence", "subjects"), TIMEFRAMES)
def test_find_timeframes(sentence: str, subjects: list[str]) -> None:
    assert [f.subject for f in find_timeframes(ScanText(sentence))] == subjects


def test_find_timeframes_span_covers_the_phrase() -> None:
    sentence = "Decisions are due within 72 hours of the request."
    [found] = find_timeframes(ScanText(sentence))
    assert sentence[found.start : found.end] == "within 72 hours"
    assert found.kind == "deadline"


DATES = [
    (
        "Effective date: These regulations are effective June 3, 2025.",
        date(2025, 6, 3),
        "effective date",
    ),
    ("These regulations are effective on October 1, 2024.", date(2024, 10, 1), "effective date"),
    (
        "The provisions in this rule are applicable to coverage beginning January 1, 2026, except "
        "as otherwise noted.",
        date(2026, 1, 1),
        "applicability date",
    ),
    (
        "HCPCS codes G0564 and G0565 are contractor priced and effective January 1, 2025.",
        date(2025, 1, 1),
        "effective date",
    ),
    (
        "Covered entities must comply with these requirements by May 1, 2025.",
        date(2025, 5, 1),
        "compliance date",
    ),
]


@pytest.mark.parametrize(("sentence", "when", "label"), DATES)
def test_find_dates(sentence: str, when: date, label: str) -> None:
    [found] = find_dates(ScanText(sentence))
    assert (found.when, found.subject, found.detail) == (when, when.isoformat(), label)


def test_find_dates_needs_the_date_in_the_same_sentence() -> None:
    text = "The rule is effective. On December 9, 2024, it was published."
    assert find_dates(ScanText(text)) == []


def test_find_dates_takes_the_first_date_after_the_trigger() -> None:
    text = (
        "The hospice wage index for FY 2025 is effective October 1, 2024, through "
        "September 30, 2025."
    )
    assert [f.subject for f in find_dates(ScanText(text))] == ["2024-10-01"]


def test_find_dates_skips_impossible_dates() -> None:
    assert find_dates(ScanText("effective February 30, 2025")) == []


AI = [
    (
        "CMS, however, does want to acknowledge the broad interest in regulation of AI and will "
        "continue to consider",
        ["artificial intelligence"],
    ),
    (
        "ensuring that artificial intelligence or automated systems are used in a manner that "
        "preserves equitable access",
        ["artificial intelligence"],
    ),
    ("the algorithm used to derive the rural wage index", ["algorithm"]),
    ("Algorithms and machine-learning tools", ["algorithm", "machine learning"]),
    (
        "predictive decision support interventions (DSIs) certified under the ONC program",
        ["predictive decision support intervention"],
    ),
    ("AIP D-SNP enrollees and the CLAIMS file", []),
]


@pytest.mark.parametrize(("sentence", "subjects"), AI)
def test_find_ai_terms(sentence: str, subjects: list[str]) -> None:
    assert [f.subject for f in find_ai_terms(ScanText(sentence))] == subjects


CFR = [
    (
        "42 CFR Parts 401, 405, 410, 411, 414, 423, 424, 425, 427, 428, and 491",
        ["pfs", "pfs", "part_d", "mssp"],
    ),
    ("as allowable in 42 CFR part 438.", ["medicaid_managed_care"]),
    ("(45 CFR 162.1002(a)(1) and 45 CFR 162.1002(b)(1))", []),
    ("45 CFR parts 170 and 171", ["health_it_certification", "information_blocking"]),
    ("under 45 CFR 92.210", ["section_1557"]),
    ("42 CFR § 422.566", ["medicare_advantage"]),
]


@pytest.mark.parametrize(("text", "programs"), CFR)
def test_find_cfr_programs(text: str, programs: list[str]) -> None:
    assert [f.subject for f in find_cfr_programs(ScanText(text))] == programs


def test_scan_text_maps_literal_hits_past_non_ascii_text() -> None:
    text = "“Quoted” — then within 72 hours and § 422.2 within 7 calendar days"
    found = find_timeframes(ScanText(text))
    assert [text[f.start : f.end] for f in found] == ["within 72 hours", "within 7 calendar days"]
