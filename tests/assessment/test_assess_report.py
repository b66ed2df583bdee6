"""Reports: the golden Markdown report, HTML with its SVG chart, PDF, plan and agenda."""

from __future__ import annotations

from payforce.assessment.plan import build_agenda, build_plan, top_gaps
from payforce.assessment.report import (
    ReportFormat,
    render_html,
    render_markdown,
    render_pdf,
    render_report,
)
from payforce.assessment.scoring import compare_scorecards, score_assessment
from payforce.assessment.service import ReportData
from payforce.models import BillingCode
from payforce.store.assessment_tables import (
    AssessmentRecord,
    OrganizationRecord,
    RespondentRecord,
)

GENERATED_AT = "2026-07-01T09:00:00Z"
CODES = (
    BillingCode(
        code="0992T",
        system="CPT Category III",
        family="ai_perivascular",
        description="Software analysis of perivascular fat with clinician interpretation",
        ai_category="augmentative",
    ),
    BillingCode(
        code="75577",
        system="CPT Category I",
        family="ai_coronary_plaque",
        description="Software quantification of coronary plaque from coronary CT angiography",
        ai_category="augmentative",
    ),
)


def _data(instrument, team_responses, with_previous=True) -> ReportData:
    current = team_responses("team_round2.yaml")
    card = score_assessment(instrument, current)
    change = None
    if with_previous:
        prev = score_assessment(instrument, team_responses("team_round1.yaml"))
        change = compare_scorecards(card, prev, "2026 Q1 baseline")
    org = OrganizationRecord("org_test", "Riverbend Health (synthetic)", "both", "2026-01-01")
    asm = AssessmentRecord("asm_test", "org_test", 2, "2026 Q3 follow-up", "2026.1", "2026-06-01")
    people = tuple(
        RespondentRecord(f"rsp_{i}", "asm_test", "org_test", i, r.role, "")
        for i, r in enumerate(current, start=1)
    )
    return ReportData(org, asm, people, card, change, CODES)


def test_markdown_report_golden(instrument, team_responses, golden):
    golden(
        "assessment_report.md",
        render_markdown(_data(instrument, team_responses), instrument, GENERATED_AT),
    )


def test_markdown_report_sections_and_values(instrument, team_responses):
    md = render_markdown(_data(instrument, team_responses), instrument, GENERATED_AT)
    for heading in (
        "## Scores by domain",
        "## Must-fix list",
        "## Top gaps and the evidence to gather",
        "## 30 / 60 / 90-day plan",
        "## Debrief agenda",
        "## Billing and operations readiness",
        "## Change since the previous assessment",
    ):
        assert heading in md
    assert "Status: BLOCKED - 4 must-fix legal gaps." in md
    assert (
        "| D4.02 | Prior-authorization decision-time and outcome metrics | CMS-0057-F | 3 | 2.3 | FAIL |"
        in md
    )
    assert "| 75577 | augmentative | ai_coronary_plaque |" in md
    assert "- Must-fix gates cleared: D2.02, D3.02, D3.06, D3.08, D5.01, D5.03" in md
    assert f"Generated {GENERATED_AT}." in md


def test_first_assessment_has_no_change(instrument, team_responses):
    md = render_markdown(
        _data(instrument, team_responses, with_previous=False), instrument, GENERATED_AT
    )
    assert "This is the organization's first assessment: no earlier round to compare." in md


def test_plan_windows(instrument, team_responses):
    card = score_assessment(instrument, team_responses("team_round1.yaml"))
    plan = build_plan(instrument, card)
    thirty = [p.gap.question_id for p in plan if p.window == 30]
    assert thirty == [m.question_id for m in card.failing_must_fix]
    assert all(
        p.gap.target == instrument.question(p.gap.question_id).must_fix.min_level
        for p in plan
        if p.window == 30
    )
    sixty = [p.gap.question_id for p in plan if p.window == 60]
    assert set(sixty) == {
        "D1.05",
        "D3.05",
        "D4.01",
        "D4.04",
    }  # readiness blockers not in the 30-day list
    ids = [p.gap.question_id for p in plan]
    assert len(ids) == len(set(ids))
    assert len([p for p in plan if p.window == 90]) == 5


def test_agenda_orders_by_gap_and_divergence(instrument, team_responses):
    card = score_assessment(instrument, team_responses("team_round1.yaml"))
    agenda = build_agenda(instrument, card)
    scores = [a.score.agenda_score for a in agenda]
    assert scores == sorted(scores, reverse=True)
    first = agenda[0]
    assert first.question_id == "D3.02"  # mean 1.5, range 0-3: lowest and most disputed
    assert first.low == ("Compliance",) and first.high == ("CEO",)


def test_top_gaps_carry_evidence(instrument, team_responses):
    card = score_assessment(instrument, team_responses("team_round1.yaml"))
    gaps = top_gaps(instrument, card)
    assert gaps[0].question_id == "D3.02"
    assert gaps[0].must_fix_law == "45 CFR 92.210(b)"
    assert gaps[0].evidence == instrument.question("D3.02").evidence
    assert gaps[0].action == instrument.question("D3.02").levels[3]


def test_html_report_has_svg_chart_and_escapes(instrument, team_responses):
    data = _data(instrument, team_responses)
    page = render_html(data, instrument, GENERATED_AT)
    assert page.startswith("<!doctype html>")
    assert page.count("<svg") == 1 and 'aria-label="Scores by domain"' in page
    assert "<h2>Must-fix list</h2>" in page
    assert "Riverbend Health (synthetic)" in page
    assert "<script" not in page


def test_pdf_report_is_stable(instrument, team_responses):
    data = _data(instrument, team_responses)
    first = render_pdf(data, instrument, GENERATED_AT)
    assert first.startswith(b"%PDF-")
    assert len(first) > 10_000
    assert render_report(ReportFormat.PDF, data, instrument, GENERATED_AT) == first


def test_render_report_handles_every_format(instrument, team_responses):
    data = _data(instrument, team_responses)
    for fmt in ReportFormat:
        assert render_report(fmt, data, instrument, GENERATED_AT)


def test_provider_report_marks_payer_gates_not_applicable(instrument, team_responses):
    card = score_assessment(instrument, team_responses("team_round2.yaml"), "provider")
    org = OrganizationRecord("org_p", "Clinic (synthetic)", "provider", "2026-01-01")
    asm = AssessmentRecord("asm_p", "org_p", 1, "Baseline", "2026.1", "2026-06-01")
    md = render_markdown(ReportData(org, asm, (), card, None, CODES), instrument, GENERATED_AT)
    assert "Organization kind: provider (payer-only must-fix gates do not apply)." in md
    assert "| CMS-0057-F | 3 | 2.3 | n/a (other side's duty) |" in md
    assert "Status: BLOCKED - 1 must-fix legal gap." in md  # D3.03 (45 CFR 92.210(c)) only
