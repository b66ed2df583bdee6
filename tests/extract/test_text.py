"""Reading GPO XML into text: the output is pinned, so speed-ups cannot change it.

The digests below were computed from the tokenizer-and-builder reader before it was optimised
(issue #3, point 8). Each covers the whole produced text, the page markers, the document spans
and :meth:`FullText.source_offset` at every text offset (one before the start to one past the
end), so a reader that changes a single character or offset fails.
"""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest

from payforce.extract.text import FullText, parse_fulltext

FIXTURES = Path(__file__).parents[1] / "fixtures" / "extract"

PINNED = [
    (
        "FR_2024-16910_FY2025_Hospice_final_rule.xml",
        "feec04bd3addbeef2e75a21c2c32c93d96695a21aaffccb15c47118aa9db9969",
    ),
    (
        "FR_2024-25382_CY2025_PFS_final_rule_excerpt_II-E.xml",
        "bc254a210a58af9ba5b9b50f7ee31203d415da53ec9670c5c68f7f71d2882c75",
    ),
    (
        "FR_2025-06008_CY2026_MA_PartD_policy_final_rule.xml",
        "238a81f7102484f94283b00edefd8f1977973551bc9487a4739af07d8edb5071",
    ),
    (
        "FR_2025-08676_CY2025_PFS_corrections.xml",
        "bd633bf72e7cbb9d08e3f1a647b0fccf222e61c91fc9a0775bddebcc236fad8f",
    ),
    (
        "heldout/FR_2022-14562_CY2023_PFS_proposed_rule_excerpt_discharge_ed.xml",
        "ba81384ea6863909a2859a97bed546241d962f82b22ed9e7b8ec747a1d1ea954",
    ),
    (
        "heldout/FR_2022-14562_CY2023_PFS_proposed_rule_excerpt_lab.xml",
        "69838cc690770d6ca67039827fedaa54b17f879f8745902ea352e9809d74f327",
    ),
]


def _asset(name: str) -> Path:
    path = FIXTURES / name
    if not path.is_file():
        pytest.fail(f"missing fixture {path}; see tests/fixtures/extract/PROVENANCE.md")
    return path


def _digest(full: FullText) -> str:
    h = hashlib.sha256()
    h.update(full.text.encode())
    h.update(repr(full.pages).encode())
    h.update(repr(full.documents).encode())
    offsets = [full.source_offset(i) for i in range(-1, len(full.text) + 2)]
    h.update(repr(offsets).encode())
    return h.hexdigest()


@pytest.mark.parametrize(("name", "digest"), PINNED)
def test_parse_fulltext_gpo_xml_output_is_pinned(name: str, digest: str) -> None:
    raw = _asset(name).read_text(encoding="utf-8")
    assert _digest(parse_fulltext(raw, "gpo_xml")) == digest
