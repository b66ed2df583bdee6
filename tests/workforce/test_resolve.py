"""Role resolution: a table of phrases people use, O*NET alternate titles, closest candidates."""

from __future__ import annotations

from pathlib import Path

import pytest

from payforce.errors import LookupFailedError
from payforce.knowledge import load_knowledge
from payforce.sources.onet import parse_onet_dir
from payforce.store.queries import list_roles
from payforce.workforce.resolve import (
    candidates,
    normalize,
    onet_role_titles,
    resolve_in_store,
    resolve_role,
)
from payforce.workforce.sync import sync_onet_database

ONET = Path(__file__).parent.parent / "fixtures" / "onet"

PHRASES = [
    ("UR nurse", "utilization_review_nurse"),
    ("UM nurse", "utilization_review_nurse"),
    ("utilization review RN", "utilization_review_nurse"),
    ("utilization management nurse reviewer", "utilization_review_nurse"),
    ("Sr. Utilization Review Nurses", "utilization_review_nurse"),
    ("prior auth specialist", "prior_authorization_specialist"),
    ("prior authorization coordinator", "prior_authorization_specialist"),
    ("pre-cert specialist", "prior_authorization_specialist"),
    ("insurance authorization specialist", "prior_authorization_specialist"),
    ("CDI specialist", "cdi_specialist"),
    ("clinical documentation specialist", "cdi_specialist"),
    ("CDI nurse", "cdi_specialist"),
    ("clinical documentation improvement specialist", "cdi_specialist"),
    ("RPM nurse", "rpm_nurse"),
    ("remote patient monitoring RN", "rpm_nurse"),
    ("care manager", "care_manager_rn"),
    ("RN case manager", "care_manager_rn"),
    ("chronic care management nurse", "care_manager_rn"),
    ("HIM coder", "medical_coder"),
    ("medical coder", "medical_coder"),
    ("certified professional coder", "medical_coder"),
    ("inpatient coding specialist", "medical_coder"),
    ("risk adjustment coder", "medical_coder"),
    ("population health analyst", "health_data_analyst"),
    ("healthcare data analyst", "health_data_analyst"),
    ("nurse informaticist", "nursing_informaticist"),
    ("informatics nurse specialist", "nursing_informaticist"),
    ("clinical informatics specialist", "clinical_informaticist"),
    ("EHR analyst", "clinical_informaticist"),
    ("medical biller", "revenue_cycle_billing_specialist"),
    ("denials management specialist", "revenue_cycle_billing_specialist"),
    ("patient navigator", "care_coordinator_non_rn"),
    ("care coordinator", "care_coordinator_non_rn"),
    ("community health worker", "community_health_worker"),
    ("promotora", "community_health_worker"),
    ("medical assistant", "medical_assistant"),
    ("CMA", "medical_assistant"),
    ("LPN", "licensed_practical_nurse"),
    ("licensed vocational nurse", "licensed_practical_nurse"),
    ("nurse practitioner", "nurse_practitioner"),
    ("FNP", "nurse_practitioner"),
    ("physician assistant", "physician_assistant"),
    ("family doctor", "physician_family_medicine"),
    ("radiologist", "radiologist"),
    ("CT tech", "radiologic_ct_technologist"),
    ("echo tech", "cardiovascular_technologist"),
    ("RHIT", "health_information_technologist"),
    ("health information management specialist", "health_information_technologist"),
    ("practice manager", "medical_health_services_manager"),
    ("quality improvement nurse", "quality_improvement_specialist"),
    ("AI governance lead", "ai_governance_compliance"),
    ("RPM enrollment specialist", "rpm_technician"),
    ("medical social worker", "healthcare_social_worker"),
    ("staff nurse", "registered_nurse"),
    ("registered nurses", "registered_nurse"),
    ("bedside RN", "registered_nurse"),
    ("revenue cycle analyst", "revenue_cycle_billing_specialist"),
    ("clinical AI validation scientist", "ai_model_validation"),
]


@pytest.fixture(scope="module")
def roles(tmp_path_factory):
    from payforce.store.db import Store
    from payforce.store.snapshot import load_snapshot

    store = Store.open(f"sqlite:///{tmp_path_factory.mktemp('r') / 'r.db'}")
    load_snapshot(store)
    yield list_roles(store)
    store.dispose()


def test_the_table_has_at_least_forty_phrases():
    assert len(PHRASES) >= 40


@pytest.mark.parametrize(("phrase", "role_key"), PHRASES)
def test_resolve_role_phrases_people_use(roles, phrase, role_key):
    assert resolve_role(phrase, roles, load_knowledge()).key == role_key


def test_unresolvable_phrase_gets_the_closest_candidates(roles):
    with pytest.raises(LookupFailedError) as exc:
        resolve_role("astronaut", roles, load_knowledge())
    assert exc.value.message == (
        "unknown role 'astronaut'. Closest matches: "
        "care_coordinator_non_rn (Care coordinator / patient navigator (non-RN)), "
        "health_data_analyst (Health data / population health analyst), "
        "massage_therapists (Massage Therapists)"
    )


def test_ambiguous_phrase_is_not_guessed(roles):
    # "nurse informatics analyst" sits between two roles; the resolver says so
    ranked = candidates("informatics", roles, load_knowledge())
    assert ranked[0][0] in {"clinical_informaticist", "nursing_informaticist"}
    assert ranked[0][1] < 100


def test_normalize_expands_abbreviations_and_folds_plurals():
    assert normalize("Sr. Prior-Auth Specialists") == "prior authorization specialist"
    assert normalize("Pre-cert & UM Mgr") == "precertification and um manager"


def test_onet_alternate_titles_resolve_when_synced(store):
    knowledge = load_knowledge()
    roles = list_roles(store)
    with pytest.raises(LookupFailedError):
        resolve_role("Disability Rater", roles, knowledge)
    # fuzzy matching alone sends "critical care nurse" to the chronic-care nurse
    assert resolve_role("Critical Care Nurse", roles, knowledge).key == "care_manager_rn"
    sync_onet_database(store, parse_onet_dir(ONET), "samples")
    assert resolve_in_store(store, "Disability Rater", knowledge).key == "medical_coder"
    assert resolve_in_store(store, "Critical Care Nurse", knowledge).key == "registered_nurse"
    assert resolve_in_store(store, "UR nurse", knowledge).key == "utilization_review_nurse"


def test_onet_titles_are_credited_to_the_owner_not_the_proxies(store):
    titles = onet_role_titles(
        {
            "29-1141.00": {"title": "Registered Nurses", "alternate_titles": ["Staff RN"]},
            "29-1141.01": {"title": "Acute Care Nurses", "alternate_titles": ["ICU Nurse"]},
        },
        list_roles(store),
    )
    assert titles == {
        "registered_nurse": ("Registered Nurses", "Staff RN", "Acute Care Nurses", "ICU Nurse")
    }
