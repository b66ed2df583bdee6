"""The dashboard and a role page at 390 px (a phone) and 1280 px, in Chromium.

Screenshots of both widths land in ``test-artifacts/web/`` to compare by eye; the test checks
what the comparison is for: no sideways scrolling at 390 px, outlook rows of bounded height,
and the role page leading with its verdict and a chart before the evidence.
"""

from __future__ import annotations

import pytest
from test_web_browser import browser, server, shot  # noqa: F401  (module fixtures reused)

pytestmark = pytest.mark.browser


@pytest.mark.parametrize("width", [390, 1280])
def test_dashboard_fits_the_screen(browser, server, width):  # noqa: F811
    context = browser.new_context(viewport={"width": width, "height": 900})
    pg = context.new_page()
    try:
        pg.goto(f"{server}/?as_of=2026-06-30")
        overflow = pg.evaluate(
            "document.documentElement.scrollWidth - document.documentElement.clientWidth"
        )
        assert overflow <= 0, f"{overflow}px of sideways scrolling at {width}px"
        heights = pg.eval_on_selector_all(
            "table.outlook tbody tr", "rows => rows.map(r => r.getBoundingClientRect().height)"
        )
        api = pg.request.get(f"{server}/api/outlook?as_of=2026-06-30").json()
        assert len(heights) == len(api["outlooks"]) > 32  # every role, curated and catalogue
        assert max(heights) < 280, f"tallest outlook row {max(heights):.0f}px at {width}px"
        wide = pg.eval_on_selector_all(
            "table.outlook tbody tr",
            f"rows => rows.filter(r => r.getBoundingClientRect().right > {width}).length",
        )
        assert wide == 0
        shot(pg, f"dashboard-{width}")
    finally:
        context.close()


def test_role_page_leads_with_verdict_and_chart(browser, server):  # noqa: F811
    context = browser.new_context(viewport={"width": 390, "height": 900})
    pg = context.new_page()
    try:
        pg.goto(f"{server}/roles/care_manager_rn?as_of=2026-06-30")
        order = pg.evaluate(
            """() => {
              const y = s => { const e = document.querySelector(s);
                               return e ? e.getBoundingClientRect().top : null; };
              return [y('p.verdict'), y('.lead-chart svg, .lead-chart img'), y('#sec-why')];
            }"""
        )
        verdict, chart, evidence = order
        assert verdict is not None and chart is not None and evidence is not None
        assert verdict < chart < evidence
        overflow = pg.evaluate(
            "document.documentElement.scrollWidth - document.documentElement.clientWidth"
        )
        assert overflow <= 0
        shot(pg, "role-390")
    finally:
        context.close()
