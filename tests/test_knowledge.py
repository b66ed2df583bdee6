"""Curated knowledge loads, validates, and reports problems by file, entry and field."""

from __future__ import annotations

import shutil
from importlib import resources
from pathlib import Path

import pytest

from payforce.errors import KnowledgeError
from payforce.knowledge import load_knowledge
from payforce.knowledge.loader import bundled_role_keys, parse_knowledge


def test_bundled_knowledge_is_valid_and_complete():
    k = load_knowledge()
    assert {"ccm", "rpm", "apcm", "ai_coronary_plaque", "tcm", "bhi", "cocm"} <= set(k.families)
    assert k.families["ccm"].minutes_per_unit == 20
    assert "care_manager_rn" in k.families["ccm"].chain["performs"]
    req = {r.id: r for r in k.mandates["cms0057_prior_auth"].requirements}
    assert str(req["decision_timeframes"].compliance_date) == "2026-01-01"
    assert str(req["fhir_apis"].compliance_date) == "2027-01-01"
    assert "prior_authorization_specialist" in req["decision_timeframes"].displaced
    assert k.ai_codes["75577"] == "augmentative"
    assert any(p.source == "medical_coder" and p.target == "cdi_specialist" for p in k.pivots)
    for fam in k.families.values():
        assert fam.source.startswith("http")


@pytest.fixture
def kdir(tmp_path: Path) -> Path:
    src = Path(str(resources.files("payforce.knowledge")))
    for f in src.glob("*.yaml"):
        shutil.copy(f, tmp_path / f.name)
    return tmp_path


@pytest.mark.parametrize(
    ("file", "old", "new", "message"),
    [
        (
            "families.yaml",
            "performs: [care_manager_rn, licensed_practical_nurse, medical_assistant]",
            "performs: [care_manager_rn, astronaut]",
            "families.yaml entry 'ccm', field chain.performs: unknown role 'astronaut'",
        ),
        (
            "families.yaml",
            "    minutes_per_unit: 20\n    supervision: general\n    chain:\n      performs: [care_manager_rn, licensed_practical_nurse, medical_assistant]",
            "    minutes_per_unit: -5\n    supervision: general\n    chain:\n      performs: [care_manager_rn, licensed_practical_nurse, medical_assistant]",
            "families.yaml entry 'ccm', field minutes_per_unit: must be a positive number (-5)",
        ),
        (
            "mandates.yaml",
            "compliance_date: 2026-03-31",
            "compliance_date: soon",
            "mandates.yaml entry 'cms0057_prior_auth.public_metrics', field compliance_date: not an ISO date ('soon')",
        ),
        (
            "ai_categories.yaml",
            '"75577": {category: augmentative',
            '"75577": {category: magic',
            "ai_categories.yaml entry '75577', field category: unknown AI category 'magic'",
        ),
    ],
)
def test_invalid_knowledge_names_file_entry_and_field(kdir, file, old, new, message):
    path = kdir / file
    text = path.read_text()
    assert old in text
    path.write_text(text.replace(old, new, 1))
    with pytest.raises(KnowledgeError) as exc:
        parse_knowledge(kdir, bundled_role_keys())
    assert exc.value.message == message


def test_broken_yaml_is_reported_with_line(kdir):
    (kdir / "programs.yaml").write_text("programs:\n  mssp: [unclosed\n")
    with pytest.raises(KnowledgeError, match=r"^programs.yaml: not valid YAML line \d+"):
        parse_knowledge(kdir, bundled_role_keys())
