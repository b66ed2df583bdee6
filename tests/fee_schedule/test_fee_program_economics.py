"""Program economics: revenue, staff, margin, break-even, sensitivity, billing-rule conflicts."""

from __future__ import annotations

from dataclasses import replace
from decimal import Decimal

import pytest

from payforce.economics.program_spec import (
    Claim,
    Segment,
    check_claims,
    check_segments,
    load_economics,
    parse_claims,
    parse_economics,
)
from payforce.economics.programs import compare_programs, run_program
from payforce.errors import InputError, KnowledgeError, LookupFailedError

PROGRAMS = ["ccm", "pcm", "rpm", "rtm", "apcm", "bhi", "cocm", "tcm"]


@pytest.mark.parametrize("program", PROGRAMS)
def test_every_program_runs_with_labelled_dollars(snapshot_store, program):
    r = run_program(snapshot_store, program, sensitivity=False)
    assert r.label == "2026, national (GPCI 1.0), non-QP"
    assert r.revenue_month == sum((c.revenue_month for c in r.codes), Decimal(0))
    assert r.margin_month == r.revenue_month - r.staff_cost_month
    assert {rl.step for rl in r.roles} == {"performs", "practitioner"}
    assert all(a.source for a in r.assumptions)
    assert r.conflicts == ()


def test_rpm_2026_revenue_is_the_mix_times_cms_payments(snapshot_store):
    r = run_program(snapshot_store, "rpm")
    pay = {c.code: c.amount for c in r.codes}
    assert pay == {
        "99445": Decimal("52.11"),
        "99453": Decimal("21.71"),
        "99454": Decimal("52.11"),
        "99457": Decimal("51.77"),
        "99458": Decimal("41.42"),
        "99470": Decimal("26.05"),
    }
    expected = (
        Decimal("0.45") * (pay["99454"] + pay["99457"])
        + Decimal("0.10") * (pay["99454"] + pay["99457"] + pay["99458"])
        + Decimal("0.10") * (pay["99454"] + pay["99470"])
        + Decimal("0.10") * (pay["99445"] + pay["99457"])
        + Decimal("0.15") * (pay["99445"] + pay["99470"])
        + Decimal("0.083") * pay["99453"]
    )
    assert r.revenue_per_unit == expected.quantize(Decimal("0.01"))
    assert r.panel == 70
    nurse = next(rl for rl in r.roles if rl.role == "rpm_nurse")
    assert nurse.annual_wage == 93600 and nurse.wage_year == "2024-05"
    assert sum(rl.fte_hired for rl in r.roles if rl.step == "performs") == pytest.approx(0.5)


def test_rpm_2026_codes_lower_break_even_against_2025(synced):
    now = run_program(synced, "rpm", year=2026, sensitivity=False)
    then = run_program(synced, "rpm", year=2025, sensitivity=False)
    assert then.label == "2025, national (GPCI 1.0), single CF"
    assert {c.code for c in then.codes if c.amount is None} == {"99445", "99470"}
    assert then.revenue_per_unit < now.revenue_per_unit
    assert now.break_even is not None and then.break_even is not None
    assert now.break_even < then.break_even
    assert now.break_even_sustained < then.break_even_sustained
    change = compare_programs(now, then)
    assert change["new_codes"] == ["99445", "99470"]
    assert change["years"] == [2025, 2026]


def test_break_even_panel_is_where_margin_turns_positive(snapshot_store):
    r = run_program(snapshot_store, "rpm", sensitivity=False)
    margins = {n: rev - cost for n, rev, cost in r.curve}
    first = r.break_even
    below = [n for n in margins if n < first]
    assert all(margins[n] < 0 for n in below if n > 0)
    later = run_program(snapshot_store, "rpm", eligible=first, enrolment=1.0, sensitivity=False)
    assert later.margin_month >= 0
    earlier = run_program(
        snapshot_store, "rpm", eligible=first - 1, enrolment=1.0, sensitivity=False
    )
    assert earlier.margin_month < 0


def test_sensitivity_moves_margin_the_right_way(snapshot_store):
    r = run_program(snapshot_store, "cocm")
    rows = {(s.variable, s.setting): s for s in r.sensitivity}
    base = rows[("base", "defaults")].margin_month
    assert base == r.margin_month
    assert rows[("wages", "-20%")].margin_month > base > rows[("wages", "+20%")].margin_month
    assert rows[("CF type", "QP")].margin_month > base


def test_negative_contribution_has_no_break_even(snapshot_store):
    r = run_program(snapshot_store, "pcm", sensitivity=False)
    assert r.break_even is None and r.break_even_sustained is None


def test_missing_year_value_is_a_clear_error(snapshot_store):
    with pytest.raises(InputError) as exc:
        run_program(snapshot_store, "ccm", year=2025, sensitivity=False)
    assert exc.value.message == (
        "ccm 2025: no value for 99490 in the store. "
        "Run payforce sync fee-schedule --year 2025 with the full release"
    )


def test_bad_inputs_are_clear_errors(snapshot_store):
    with pytest.raises(InputError) as exc:
        run_program(snapshot_store, "rpm", enrolment=35)
    assert exc.value.message == (
        "--enrolment: must be a share between 0 and 1 (35). Write 35% as 0.35"
    )
    with pytest.raises(LookupFailedError) as exc2:
        run_program(snapshot_store, "rpn")
    assert exc2.value.message.startswith("unknown program 'rpn'. Closest matches: ")


def test_segment_conflicts_are_flagged():
    rules = load_economics().rules
    segs = [
        Segment("both device tiers", 0.5, {"99445": 1, "99454": 1}, 20),
        Segment("both management tiers", 0.3, {"99470": 1, "99457": 1}, 20),
        Segment("add-on alone", 0.2, {"G0570": 1}, 20),
        Segment("add-on with base", 0.2, {"G0570": 1, "G0557": 1}, 20),
    ]
    found = [(c.rule, c.where, c.codes) for c in check_segments(segs, rules)]
    assert found == [
        ("rpm_device_tiers", "both device tiers", ("99445", "99454")),
        ("rpm_management_tiers", "both management tiers", ("99470", "99457")),
        ("apcm_addons_need_base", "add-on alone", ("G0570",)),
    ]


def test_claims_conflicts_respect_the_same_practitioner_rule():
    rules = load_economics().rules
    claims = parse_claims(
        "patient,period,code,practitioner\n"
        "p1,2026-03,99454,dr_a\n"
        "p1,2026-03,99445,dr_a\n"
        "p1,2026-04,99454,dr_a\n"
        "p2,2026-03,G0557,dr_a\n"
        "p2,2026-03,G0568,dr_b\n"
        "p3,2026-03,G0557,dr_a\n"
        "p3,2026-03,G0568,dr_a\n",
        path="claims.csv",
    )
    found = [(c.rule, c.where) for c in check_claims(claims, rules)]
    assert found == [
        ("rpm_device_tiers", "patient p1, period 2026-03"),
        ("apcm_addons_need_base", "patient p2, period 2026-03, practitioner dr_b"),
    ]
    assert check_claims([Claim("p", "2026-01", "99457", "x")], rules) == []


def test_claims_file_errors_name_line_and_field():
    from payforce.errors import ParseError

    with pytest.raises(ParseError) as exc:
        parse_claims("patient,period,code\n", path="claims.csv")
    assert exc.value.message == (
        "claims.csv line 1: missing column 'practitioner'. "
        "Columns: patient, period, code, practitioner"
    )
    with pytest.raises(ParseError) as exc:
        parse_claims("patient,period,code,practitioner\np1,,99454,x\n", path="claims.csv")
    assert exc.value.message == "claims.csv line 2, field period: empty value"


def test_economics_yaml_is_validated():
    text = (
        "defaults: {}\ncapacities: {rn: {value: 100}}\nprograms:\n  x:\n    name: X\n"
        "    eligible: 10\n    enrolment: 0.5\n    staff_mix: {rn: 1.0}\n"
        "    segments:\n      - {label: a, share: 0.5, codes: {}, minutes: 1}\n"
    )
    with pytest.raises(KnowledgeError) as exc:
        parse_economics(text)
    assert exc.value.message == (
        "knowledge/economics.yaml entry 'x', field segments: segment shares sum to 0.500, not 1"
    )
    with pytest.raises(KnowledgeError) as exc:
        parse_economics("defaults: [\n")
    assert exc.value.message == "knowledge/economics.yaml: not valid YAML at line 2"


def test_every_default_has_a_source():
    econ = load_economics()
    for spec in econ.programs.values():
        assert spec.eligible.source and spec.enrolment.source and spec.segments_source
        assert spec.staff_mix_source
    for a in [*econ.defaults.values(), *econ.capacities.values()]:
        assert a.source, a.key


def test_change_the_evidence_moves_the_break_even(snapshot_store):
    econ = load_economics()
    rpm = econ.programs["rpm"]
    cheaper = replace(
        econ,
        capacities={
            **econ.capacities,
            "rpm_nurse": replace(econ.capacities["rpm_nurse"], value=6000),
        },
    )
    base = run_program(snapshot_store, "rpm", sensitivity=False, economics=econ)
    moved = run_program(snapshot_store, "rpm", sensitivity=False, economics=cheaper)
    assert moved.break_even_sustained < base.break_even_sustained
    assert rpm.key == "rpm"


def test_program_in_a_locality_needs_rvus_for_every_code(synced):
    with pytest.raises(InputError) as exc:
        run_program(synced, "rpm", year=2025, locality="01112-54", sensitivity=False)
    assert exc.value.message == (
        "rpm 2025: no RVUs (only a national payment) for 99458 in the store. "
        "Run payforce sync fee-schedule --year 2025 with the full release"
    )


def test_program_in_a_locality_uses_its_gpcis(synced):
    from payforce.economics.program_spec import load_economics

    econ = load_economics()
    rpm = econ.programs["rpm"]
    # the 2025 excerpt has 99453/99454/99457 but not 99458: model months without it
    segs = tuple(
        replace(s, codes={c: n for c, n in s.codes.items() if c != "99458"}) for s in rpm.segments
    )
    econ = replace(econ, programs={**econ.programs, "rpm": replace(rpm, segments=segs)})
    r = run_program(
        synced, "rpm", year=2025, locality="01112-54", sensitivity=False, economics=econ
    )
    assert r.label == "2025, BAKERSFIELD, CA, single CF"
    pay = {c.code: c.amount for c in r.codes}
    assert pay["99454"] == Decimal("46.88")
    assert pay["99445"] is None  # not payable before 2026
    national = run_program(synced, "rpm", year=2025, sensitivity=False, economics=econ)
    assert r.revenue_per_unit > national.revenue_per_unit


def test_program_roles_come_from_the_family_chains():
    from payforce.knowledge import load_knowledge

    families = load_knowledge().families
    for spec in load_economics().programs.values():
        chain = {(step, role) for fam in spec.families for step, role in families[fam].roles()}
        performers = {role for step, role in chain if step in {"performs", "documents"}}
        practitioners = {role for step, role in chain if step in {"supervises", "bills"}}
        assert set(spec.staff_mix) <= performers, spec.key
        assert spec.practitioner.key in practitioners, spec.key
