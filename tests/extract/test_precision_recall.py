"""Precision and recall of billing-code extraction against hand-annotated gold.

The gold (tests/fixtures/extract/gold/*.csv) lists every code-shaped token of four real CMS rule
texts with ``is_code`` read by hand; the held-out gold (tests/fixtures/extract/heldout/*.csv)
does the same for an excerpt the rules were never tuned on. See
tests/fixtures/extract/PROVENANCE.md. An accepted
mention at a gold offset labelled ``true`` is a true positive; an accepted mention anywhere else
is a false positive; a ``true`` gold token not accepted is a false negative.
"""

from __future__ import annotations

import csv
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import pytest

from payforce.extract import Extraction, extract

FIXTURES = Path(__file__).parents[1] / "fixtures" / "extract"
GOLD = sorted((FIXTURES / "gold").glob("*.csv"))
HELDOUT = sorted((FIXTURES / "heldout").glob("*.csv"))  # labelled after the rules were frozen
MIN_PRECISION = 0.95
MIN_RECALL = 0.90


def _asset(name: str) -> Path:
    path = FIXTURES / name
    if not path.exists():
        pytest.fail(f"missing fixture file {path}")
    return path


@dataclass(frozen=True)
class Score:
    """Confusion counts for one or more texts."""

    tp: int
    fp: int
    fn: int

    @property
    def precision(self) -> float:
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else 1.0

    @property
    def recall(self) -> float:
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else 1.0

    def __add__(self, other: Score) -> Score:
        return Score(self.tp + other.tp, self.fp + other.fp, self.fn + other.fn)


def _gold_rows(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh))


@cache
def _extraction(name: str) -> tuple[str, Extraction]:
    raw = _asset(name).read_text(encoding="utf-8")
    number = name.split("/")[-1].split("_")[1]
    return raw, extract(raw, document_number=number, fmt="gpo_xml")


def _score(path: Path) -> Score:
    rows = _gold_rows(path)
    _raw, result = _extraction(rows[0]["file"])
    accepted = {result.full.source_offset(m.start): m.code for m in result.mentions if m.accepted}
    gold = {int(r["offset"]): r for r in rows}
    tp = sum(1 for off, r in gold.items() if r["is_code"] == "true" and off in accepted)
    fn = sum(1 for off, r in gold.items() if r["is_code"] == "true" and off not in accepted)
    fp = sum(1 for off in accepted if off not in gold or gold[off]["is_code"] != "true")
    return Score(tp, fp, fn)


def test_gold_is_large_enough_and_covers_three_texts() -> None:
    rows = [r for path in GOLD for r in _gold_rows(path)]
    assert len({r["file"] for r in rows}) >= 3
    assert sum(r["is_code"] == "true" for r in rows) >= 200
    assert sum(r["is_code"] == "false" for r in rows) >= 200  # hard negatives
    assert {r["is_code"] for r in rows} == {"true", "false"}


@pytest.mark.parametrize("path", GOLD + HELDOUT, ids=lambda p: p.stem)
def test_gold_offsets_point_at_their_strings(path: Path) -> None:
    rows = _gold_rows(path)
    raw = _asset(rows[0]["file"]).read_text(encoding="utf-8")
    for r in rows:
        offset = int(r["offset"])
        assert raw[offset : offset + len(r["string"])] == r["string"], r
        assert raw.count("\n", 0, offset) + 1 == int(r["line"]), r


def test_code_extraction_precision_and_recall_meet_targets() -> None:
    total = Score(0, 0, 0)
    for path in GOLD:
        total = total + _score(path)
    assert total.tp + total.fn >= 200
    assert total.precision >= MIN_PRECISION, total
    assert total.recall >= MIN_RECALL, total


@pytest.mark.parametrize("path", GOLD + HELDOUT, ids=lambda p: p.stem)
def test_code_extraction_meets_targets_in_each_text(path: Path) -> None:
    score = _score(path)
    assert score.precision >= MIN_PRECISION, score
    assert score.recall >= MIN_RECALL, score


def test_code_extraction_on_held_out_text_meets_targets() -> None:
    assert HELDOUT, "no held-out gold"
    total = Score(0, 0, 0)
    for path in HELDOUT:
        total = total + _score(path)
    assert total.tp + total.fn >= 50
    assert total.precision >= MIN_PRECISION, total
    assert total.recall >= MIN_RECALL, total
