"""The instrument file: its shape, its crosswalk, and loading errors named by question id."""

from __future__ import annotations

from collections import Counter
from importlib import resources

import pytest
import yaml

from payforce.assessment.instrument import (
    CROSSWALK_KEYS,
    InstrumentError,
    load_instrument,
    parse_instrument,
    validate_level,
)
from payforce.errors import AssessmentError


def _raw() -> dict:
    text = resources.files("payforce.assessment").joinpath("instrument.yaml").read_text("utf-8")
    return yaml.safe_load(text)


def test_instrument_has_37_questions_in_five_domains(instrument):
    assert instrument.version == "2026.1"
    assert len(instrument.questions) == 37
    assert [d.id for d in instrument.domains] == ["D1", "D2", "D3", "D4", "D5"]
    assert Counter(q.domain for q in instrument.questions) == {
        "D1": 8,
        "D2": 7,
        "D3": 8,
        "D4": 7,
        "D5": 7,
    }
    assert instrument.scale[0] == "Not in place or unknown"
    assert instrument.scale[5] == "Optimizing"


def test_instrument_every_question_is_complete(instrument):
    for q in instrument.questions:
        assert len(q.levels) == 6 and all(q.levels), q.id
        assert len(set(q.levels)) == 6, q.id
        assert q.evidence, q.id
        assert q.crosswalk.joint_commission.startswith("RUAIH"), q.id
        assert q.crosswalk.nist_ai_rmf and q.crosswalk.iso_42001 and q.crosswalk.chai, q.id
        assert q.crosswalk.nist_ai_rmf[0].split()[0] in {"GOVERN", "MAP", "MEASURE", "MANAGE"}, q.id


def test_instrument_must_fix_flags_name_their_law(instrument):
    flagged = {q.id: q.must_fix for q in instrument.must_fix_questions}
    assert set(flagged) == {
        "D2.02",
        "D2.03",
        "D3.02",
        "D3.03",
        "D3.06",
        "D3.07",
        "D3.08",
        "D4.02",
        "D5.01",
        "D5.03",
        "D5.05",
    }
    assert flagged["D3.02"].law == "45 CFR 92.210(b)"
    assert flagged["D3.03"].law == "45 CFR 92.210(c)"
    assert flagged["D4.02"].law == "CMS-0057-F"
    assert "CMS MA AI FAQ" in flagged["D3.06"].law
    assert all(1 <= m.min_level <= 5 for m in flagged.values())
    payer_only = sorted(qid for qid, m in flagged.items() if m.applies_to == ("payer",))
    provider_only = sorted(qid for qid, m in flagged.items() if m.applies_to == ("provider",))
    assert payer_only == ["D3.06", "D3.07", "D4.02", "D5.05"]
    assert provider_only == ["D5.01", "D5.03"]
    for q in instrument.must_fix_questions:
        assert q.crosswalk.laws, q.id


def test_instrument_crosswalk_covers_the_named_rules(instrument):
    laws = " ".join(law for q in instrument.questions for law in q.crosswalk.laws)
    for rule in (
        "45 CFR 92.210",
        "CMS-0057-F",
        "CMS Medicare Advantage FAQ",
        "California SB 1120",
        "Texas HB 149",
        "Colorado SB26-189",
        "170.315(b)(11)",
        "IA_PSPA_34",
    ):
        assert rule in laws, rule


def test_instrument_readiness_maps_billing_and_prior_auth(instrument):
    areas = {a.id: a for a in instrument.readiness}
    assert [r.label for r in areas["ai_codes"].requirements] == [
        "Physician interpretation documented",
        "Model validated locally",
        "FDA status known",
    ]
    assert [r.label for r in areas["prior_auth"].requirements] == [
        "Human review of every denial",
        "Specific denial reasons",
        "Decision-time and outcome metrics",
    ]


def _broken(mutate) -> str:
    data = _raw()
    mutate(data)
    return yaml.safe_dump(data, sort_keys=False)


def _question(data: dict, qid: str) -> dict:
    return next(q for q in data["questions"] if q["id"] == qid)


@pytest.mark.parametrize(
    ("mutate", "message"),
    [
        (
            lambda d: _question(d, "D3.02")["levels"].pop(),
            "instrument.yaml question D3.02, field levels: expected 6 level descriptions (0 to 5) "
            "(5). Fix the instrument file (1 problem in all)",
        ),
        (
            lambda d: _question(d, "D1.04").update(domain="D7"),
            "instrument.yaml question D1.04, field domain: unknown domain ('D7'). "
            "Fix the instrument file (2 problems in all)",
        ),
        (
            lambda d: _question(d, "D2.05")["crosswalk"].pop("iso_42001"),
            "instrument.yaml question D2.05, field crosswalk: missing keys iso_42001 "
            "(['chai', 'joint_commission', 'laws', 'nist_ai_rmf']). Fix the instrument file "
            "(1 problem in all)",
        ),
        (
            lambda d: _question(d, "D1.01").update(must_fix={"law": "Some law", "min_level": 3}),
            "instrument.yaml question D1.01, field must_fix: a must-fix needs its law in "
            "crosswalk.laws ('Some law'). Fix the instrument file (1 problem in all)",
        ),
        (
            lambda d: _question(d, "D4.02")["must_fix"].update(min_level=9),
            "instrument.yaml question D4.02, field must_fix.min_level: min_level must be a whole "
            "number from 1 to 5 (9). Fix the instrument file (1 problem in all)",
        ),
        (
            lambda d: _question(d, "D5.07").update(id="D5.06"),
            "instrument.yaml question D5.06, field id: duplicate question id ('D5.06'). "
            "Fix the instrument file (1 problem in all)",
        ),
        (
            lambda d: _question(d, "D3.06")["must_fix"].update(applies_to=["hospital"]),
            "instrument.yaml question D3.06, field must_fix.applies_to: expected provider and/or "
            "payer (['hospital']). Fix the instrument file (1 problem in all)",
        ),
    ],
    ids=["levels", "domain", "crosswalk", "must-fix-law", "min-level", "duplicate", "applies-to"],
)
def test_parse_instrument_names_the_question(mutate, message):
    with pytest.raises(InstrumentError) as exc:
        parse_instrument(_broken(mutate))
    assert exc.value.message == message
    assert isinstance(exc.value, AssessmentError)


def test_parse_instrument_collects_every_problem():
    def mutate(d):
        d["questions"].pop()  # 36 questions, D5 declares 7
        _question(d, "D1.01")["evidence"] = []

    with pytest.raises(InstrumentError) as exc:
        parse_instrument(_broken(mutate))
    wheres = [p.where for p in exc.value.problems]
    assert wheres == [
        "field questions",
        "question D1.01, field evidence",
        "domain D5, field questions",
    ]
    assert exc.value.message == (
        "instrument.yaml field questions: expected 37 questions (36). "
        "Fix the instrument file (3 problems in all)"
    )


def test_load_instrument_missing_file(tmp_path):
    with pytest.raises(AssessmentError) as exc:
        load_instrument(tmp_path / "nope.yaml")
    assert (
        exc.value.message
        == f"{tmp_path / 'nope.yaml'}: cannot read the instrument (No such file or directory)"
    )


@pytest.mark.parametrize(("value", "expected"), [(0, 0), (5, 5), ("3", 3), (" 2 ", 2)])
def test_validate_level_accepts_whole_numbers(value, expected):
    assert validate_level("D1.01", value) == expected


@pytest.mark.parametrize("value", [6, -1, "x", 2.5, True, None])
def test_validate_level_rejects_with_question_value_and_range(value):
    with pytest.raises(AssessmentError) as exc:
        validate_level("D3.02", value)
    assert exc.value.message == (
        f"answer D3.02: level must be a whole number from 0 to 5 ({value!r}). "
        "Use 0 (not in place or unknown) up to 5 (optimizing)"
    )


def test_crosswalk_keys_are_the_documented_set():
    assert CROSSWALK_KEYS == ("joint_commission", "nist_ai_rmf", "chai", "iso_42001", "laws")
