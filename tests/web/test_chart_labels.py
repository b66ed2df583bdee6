"""Chart labels never overlap each other or the data lines (checked on the label boxes).

Text boxes are estimated from the font size (0.6 em a character, 1 em high), the same way for
every label, so a layout that passes here leaves room in a browser too.
"""

from __future__ import annotations

from itertools import combinations
from typing import Any

import pytest

from payforce.economics.programs import run_program
from payforce.reports.charts import break_even_chart, revenue_cost_chart
from payforce.web.svg import Shape, from_chart_spec, layout_chart

Box = tuple[float, float, float, float]


def text_box(s: Shape) -> Box:
    x, y = s.points[0], s.points[1]
    w, h = 0.6 * s.size * len(s.label), float(s.size)
    left = {"start": x, "middle": x - w / 2, "end": x - w}[s.anchor]
    return (left, y - 0.8 * h, left + w, y + 0.2 * h)


def overlap(a: Box, b: Box) -> bool:
    return a[0] < b[2] and b[0] < a[2] and a[1] < b[3] and b[1] < a[3]


def crosses(box: Box, x1: float, y1: float, x2: float, y2: float) -> bool:
    """Whether the segment passes through the box (sampled finely)."""
    for k in range(101):
        t = k / 100
        x, y = x1 + (x2 - x1) * t, y1 + (y2 - y1) * t
        if box[0] <= x <= box[2] and box[1] <= y <= box[3]:
            return True
    return False


def label_problems(shapes: list[Shape]) -> list[str]:
    texts = [s for s in shapes if s.kind == "text"]
    problems = [
        f"{a.label!r} overlaps {b.label!r}"
        for a, b in combinations(texts, 2)
        if overlap(text_box(a), text_box(b))
    ]
    for t in texts:
        box = text_box(t)
        for s in shapes:
            if s.kind != "polyline":
                continue
            p = s.points
            for i in range(0, len(p) - 2, 2):
                if crosses(box, p[i], p[i + 1], p[i + 2], p[i + 3]):
                    problems.append(f"{t.label!r} crosses a data line")
                    break
    return problems


def _charts(store: Any, program: str, compare: int | None) -> list[dict[str, Any]]:
    result = run_program(store, program, year=2026)
    previous = None
    if compare is not None:
        from payforce.economics.programs import panel_curve

        previous = run_program(store, program, year=compare, sensitivity=False)
        top = max(result.curve[-1][0], previous.curve[-1][0])
        result, previous = panel_curve(result, top), panel_curve(previous, top)
    return [
        from_chart_spec(revenue_cost_chart(result, previous), "rc"),
        from_chart_spec(break_even_chart(result, previous), "be"),
    ]


@pytest.mark.parametrize(
    ("program", "compare"),
    [("ccm", None), ("rpm", None), ("rpm", 2025), ("tcm", None), ("apcm", None)],
)
def test_economics_chart_labels_never_overlap(store, program, compare):
    for spec in _charts(store, program, compare):
        for width in (640, 360):
            assert label_problems(layout_chart(spec, width=width)) == [], (spec["title"], width)


def test_the_checker_sees_an_overlap():
    a = Shape("text", (100, 50), "#000", "first break-even 120", "start", 10)
    b = Shape("text", (110, 52), "#000", "modelled panel 300", "start", 10)
    line = Shape("polyline", (90, 40, 300, 55), "#000", size=2)
    assert label_problems([a, b, line]) != []
