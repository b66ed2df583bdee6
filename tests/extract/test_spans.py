"""Sentence boundaries and evidence text around a span."""

from __future__ import annotations

import pytest

from payforce.extract.spans import MAX_EVIDENCE, SentenceIndex


@pytest.mark.parametrize(
    ("text", "needle", "sentence"),
    [
        (
            "Section 216(a) of PAMA (Pub. L. 113-93, enacted April 1, 2014) added section "
            "1834A(b)(5) to the Act. Therefore, the relevant HCPCS code is G0471.",
            "1834A",
            "Section 216(a) of PAMA (Pub. L. 113-93, enacted April 1, 2014) added section "
            "1834A(b)(5) to the Act.",
        ),
        (
            "We proposed a work RVU of 9.00 for CPT code 25310. The RUC disagreed.",
            "25310",
            "We proposed a work RVU of 9.00 for CPT code 25310.",
        ),
        (
            "(See also 83 FR 16534 through 16537.) Due to the regular updates, e.g. CPT code "
            "99490, we act.",
            "99490",
            "Due to the regular updates, e.g. CPT code 99490, we act.",
        ),
        ("First line.\nSecond line with 99490\nThird.", "99490", "Second line with 99490"),
    ],
)
def test_sentence_index_finds_the_sentence(text: str, needle: str, sentence: str) -> None:
    index = SentenceIndex(text)
    start = text.index(needle)
    s, e = index.sentence(start, start + len(needle))
    assert text[s:e].strip() == sentence
    assert index.evidence(start, start + len(needle)) == sentence


def test_evidence_of_a_long_sentence_is_cut_around_the_span() -> None:
    text = "Codes " + "x " * 600 + "CPT code 99490 " + "y " * 600 + "end."
    start = text.index("99490")
    evidence = SentenceIndex(text).evidence(start, start + 5)
    assert "99490" in evidence and evidence.startswith("…") and evidence.endswith("…")
    assert len(evidence) <= MAX_EVIDENCE + len("99490") + 2  # the span and two ellipses


def test_wrapped_text_paragraphs_end_at_blank_lines() -> None:
    text = "One sentence that\nwraps here. Another\n\nNew paragraph."
    index = SentenceIndex(text, wrapped=True)
    start = text.index("wraps")
    assert index.evidence(start, start + 5) == "One sentence that wraps here."
    assert index.paragraph(start, start + 5) == (0, text.index("\n\n"))
