"""A respondent's answer sheet as CSV or YAML: write it, read it back (one parser per format).

The sheet lists every question with its levels and an empty ``answer`` (or the saved one); the
respondent fills in a whole number 0-5 per question (blank = not answered yet). Reading reports a
bad value with the file, line and question id.
"""

from __future__ import annotations

import csv
import enum
import io
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, assert_never

import yaml

from payforce.assessment.instrument import Instrument, validate_level
from payforce.errors import AssessmentError

__all__ = [
    "SHEET_COLUMNS",
    "SheetAnswers",
    "SheetFormat",
    "parse_sheet",
    "render_sheet",
    "sheet_format_for",
]

SHEET_COLUMNS = ("question_id", "domain", "title", "question", "levels", "answer", "note")
"""CSV header of an answer sheet."""


@dataclass(frozen=True)
class SheetAnswers:
    """What a filled sheet says."""

    levels: dict[str, int]
    """Question id → level, for the questions answered."""
    notes: dict[str, str]
    """Question id → note, for the non-empty notes."""


class SheetFormat(enum.Enum):
    """Answer-sheet formats."""

    CSV = "csv"
    YAML = "yaml"


def sheet_format_for(filename: str) -> SheetFormat:
    """Pick the format from a file name's suffix (.csv, .yaml, .yml)."""
    lower = filename.lower()
    if lower.endswith(".csv"):
        return SheetFormat.CSV
    if lower.endswith((".yaml", ".yml")):
        return SheetFormat.YAML
    raise AssessmentError(
        f"{filename}: unknown answer-sheet format ({filename.rsplit('.', 1)[-1]!r})",
        hint="Use a .csv or .yaml file written by `payforce assess template`",
    )


def _levels_text(levels: tuple[str, ...]) -> str:
    return " | ".join(f"{i} = {text}" for i, text in enumerate(levels))


def render_sheet(
    fmt: SheetFormat,
    instrument: Instrument,
    answers: Mapping[str, int] | None = None,
    respondent: str = "",
    notes: Mapping[str, str] | None = None,
) -> str:
    """An answer sheet in ``fmt``, pre-filled with ``answers`` and ``notes`` when given."""
    answers = answers or {}
    notes = notes or {}
    if fmt is SheetFormat.CSV:
        buf = io.StringIO()
        writer = csv.writer(buf, lineterminator="\n")
        writer.writerow(SHEET_COLUMNS)
        for q in instrument.questions:
            answer = answers.get(q.id)
            writer.writerow(
                [
                    q.id,
                    q.domain,
                    q.title,
                    q.text,
                    _levels_text(q.levels),
                    "" if answer is None else str(answer),
                    notes.get(q.id, ""),
                ]
            )
        return buf.getvalue()
    if fmt is SheetFormat.YAML:
        doc: dict[str, Any] = {
            "instrument": instrument.version,
            "respondent": respondent,
            "instructions": "Set each answer to a whole number 0-5 (see levels); null skips it.",
            "answers": [
                {
                    "id": q.id,
                    "title": q.title,
                    "question": q.text,
                    "levels": dict(enumerate(q.levels)),
                    "answer": answers.get(q.id),
                    "note": notes.get(q.id, ""),
                }
                for q in instrument.questions
            ],
        }
        return yaml.safe_dump(doc, sort_keys=False, allow_unicode=True, width=100)
    assert_never(fmt)


def _check(
    instrument: Instrument, where: str, qid: object, value: object
) -> tuple[str, int] | None:
    if not isinstance(qid, str) or not qid.strip():
        raise AssessmentError(f"{where}: missing question id ({qid!r})", hint="Keep the id column")
    qid = qid.strip()
    try:
        instrument.question(qid)
    except AssessmentError:
        raise AssessmentError(
            f"{where}, question {qid}: unknown question id ({qid!r})",
            hint="Start from a fresh sheet: payforce assess template",
        ) from None
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    try:
        return qid, validate_level(qid, value)
    except AssessmentError:
        raise AssessmentError(
            f"{where}, question {qid}: level must be a whole number from 0 to 5 ({value!r})",
            hint="Use 0 (not in place or unknown) up to 5 (optimizing), or leave it blank",
        ) from None


def parse_sheet(text: str, fmt: SheetFormat, instrument: Instrument, source: str) -> SheetAnswers:
    """Read a filled answer sheet: levels (blank answers left out) and non-empty notes."""
    try:
        return _parse_sheet(text, fmt, instrument, source)
    except csv.Error as exc:  # a broken CSV (found by tests/fuzz): one line
        raise AssessmentError(
            f"{source}: not a readable CSV sheet ({exc})",
            hint="Start from a fresh sheet: payforce assess template --format csv",
        ) from None


def _parse_sheet(text: str, fmt: SheetFormat, instrument: Instrument, source: str) -> SheetAnswers:
    out: dict[str, int] = {}
    notes: dict[str, str] = {}
    if fmt is SheetFormat.CSV:
        reader = csv.DictReader(io.StringIO(text))
        if reader.fieldnames is None or not {"question_id", "answer"} <= set(reader.fieldnames):
            raise AssessmentError(
                f"{source} line 1: missing columns question_id and answer ({reader.fieldnames!r})",
                hint="Start from a fresh sheet: payforce assess template --format csv",
            )
        for row in reader:
            hit = _check(
                instrument,
                f"{source} line {reader.line_num}",
                row.get("question_id"),
                row.get("answer"),
            )
            if hit is not None:
                out[hit[0]] = hit[1]
                if (row.get("note") or "").strip():
                    notes[hit[0]] = str(row["note"]).strip()
        return SheetAnswers(out, notes)
    if fmt is SheetFormat.YAML:
        try:
            doc = yaml.safe_load(text)
        except yaml.YAMLError as exc:  # one line: the problem and where
            mark = getattr(exc, "problem_mark", None)
            where = f" line {mark.line + 1}" if mark is not None else ""
            problem = getattr(exc, "problem", None) or type(exc).__name__
            raise AssessmentError(f"{source}{where}: not valid YAML ({problem})") from exc
        except RecursionError as exc:
            raise AssessmentError(f"{source}: not valid YAML (nested too deeply)") from exc
        except (ValueError, TypeError, OverflowError) as exc:  # e.g. a date like 2024-13-45
            raise AssessmentError(f"{source}: not valid YAML ({exc})") from exc
        items = doc.get("answers") if isinstance(doc, dict) else None
        if not isinstance(items, list):
            raise AssessmentError(
                f"{source}: missing the answers list ({type(doc).__name__})",
                hint="Start from a fresh sheet: payforce assess template --format yaml",
            )
        for i, item in enumerate(items, start=1):
            if not isinstance(item, dict):
                raise AssessmentError(f"{source} answer #{i}: expected a mapping ({item!r})")
            hit = _check(instrument, f"{source} answer #{i}", item.get("id"), item.get("answer"))
            if hit is not None:
                out[hit[0]] = hit[1]
                if isinstance(item.get("note"), str) and item["note"].strip():
                    notes[hit[0]] = item["note"].strip()
        return SheetAnswers(out, notes)
    assert_never(fmt)
