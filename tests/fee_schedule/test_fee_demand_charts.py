"""National demand by role, and the chart spec rendered to PNG and SVG."""

from __future__ import annotations

import pytest

from payforce.economics.demand import demand_families, national_demand
from payforce.economics.programs import run_program
from payforce.errors import InputError, LookupFailedError
from payforce.reports.charts import (
    ChartSpec,
    Series,
    break_even_chart,
    render_chart,
    revenue_cost_chart,
)


def test_national_demand_ccm_scenarios_scale_with_uptake():
    d = national_demand("ccm")
    assert d.eligible.value == 23_960_000
    assert d.eligible.source == "https://pmc.ncbi.nlm.nih.gov/articles/PMC6354932"
    labels = [s.label for s in d.scenarios]
    assert labels == ["2015 uptake", "2019 uptake", "all ambulatory care management, 2019"]
    s2019 = d.scenarios[1]
    assert s2019.patients == pytest.approx(23_960_000 * 0.034)
    # 23 billed minutes per patient-month (mix average) split 50/50, 2,300 min per FTE-month
    rn = s2019.patients * 0.15 * 10 + s2019.patients * 0.6 * 20
    rn += s2019.patients * 0.2 * 40 + s2019.patients * 0.05 * 60
    assert s2019.fte_by_role["care_manager_rn"] == pytest.approx(rn * 0.5 / 2300)
    assert d.size == max(s.total_fte for s in d.scenarios)
    assert d.scenarios[0].total_fte < d.scenarios[1].total_fte < d.scenarios[2].total_fte


def test_national_demand_answers_for_every_family_of_a_program():
    fams = demand_families()
    assert fams["rpm_management"] == "rpm" and fams["apcm_bh"] == "apcm"
    d = national_demand("rpm_management")
    assert d.program == "rpm" and set(d.scenarios[0].fte_by_role) == {
        "rpm_nurse",
        "rpm_technician",
        "nurse_practitioner",
    }
    tcm = national_demand("tcm")
    assert tcm.scenarios[0].units_month == pytest.approx(tcm.scenarios[0].patients / 12)


def test_national_demand_unknown_family_is_an_error():
    with pytest.raises(LookupFailedError) as exc:
        national_demand("cocm")
    assert exc.value.message == (
        "unknown demand family 'cocm'. Closest matches: apcm, apcm_bh, ccm, rpm, rpm_management, tcm"
    )


def test_chart_specs_carry_year_locality_and_cf_type(snapshot_store):
    r = run_program(snapshot_store, "rpm", sensitivity=False)
    spec = revenue_cost_chart(r)
    assert spec.subtitle == "USD per month; 2026, national (GPCI 1.0), non-QP; nonfacility"
    assert [s.name for s in spec.series] == ["revenue 2026", "staff cost 2026"]
    assert [m.label for m in spec.markers][0] == f"first break-even {r.break_even}"
    be = break_even_chart(r)
    assert be.zero_line and be.series[0].y[0] == 0.0
    data = be.to_dict()
    assert data["series"][0]["x"][:2] == [0.0, 1.0]


def test_render_chart_png_and_stable_svg(snapshot_store):
    r = run_program(snapshot_store, "cocm", sensitivity=False)
    png = render_chart(break_even_chart(r), "png")
    assert png[:8] == b"\x89PNG\r\n\x1a\n"
    svg1 = render_chart(revenue_cost_chart(r), "svg")
    svg2 = render_chart(revenue_cost_chart(r), "svg")
    assert svg1 == svg2
    assert b"<svg" in svg1 and b"Psychiatric collaborative care" in svg1


def test_render_chart_unknown_format_is_an_error():
    spec = ChartSpec("t", "x", "y", (Series("s", (0.0, 1.0), (1.0, 2.0)),))
    with pytest.raises(InputError) as exc:
        render_chart(spec, "gif")  # type: ignore[arg-type]
    assert exc.value.message == "--chart: unknown format 'gif'. Use a .png or .svg file name"
