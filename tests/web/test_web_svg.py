"""Charts: one spec → the same shapes for SVG (pages) and reportlab (PDF), labels escaped."""

from __future__ import annotations

import re

from payforce.reports.charts import ChartSpec, Marker, Series
from payforce.web.svg import chart_rows, from_chart_spec, layout_chart, render_drawing, render_svg

BARS = {
    "id": "t",
    "kind": "bar",
    "title": "Codes <b>by</b> year",
    "unit": "codes",
    "series": [
        {"name": "care management", "points": [[2015, 1], [2016, 2]]},
        {"name": "remote <script>", "points": [[2016, 2]]},
    ],
}


def test_stacked_bars_are_proportional():
    rects = [s for s in layout_chart(BARS) if s.kind == "rect" and s.label and "," in s.label]
    heights = {s.label: round(s.points[3], 3) for s in rects}
    one = heights["care management, 2015: 1"]
    assert heights["care management, 2016: 2"] == round(2 * one, 3)
    assert heights["remote <script>, 2016: 2"] == round(2 * one, 3)
    stacked = [s for s in rects if "2016" in s.label]
    low, high = sorted(stacked, key=lambda s: s.points[1], reverse=True)
    assert round(low.points[1], 3) == round(high.points[1] + high.points[3], 3)  # touching


def test_svg_escapes_every_label_and_has_a_title():
    svg = str(render_svg(BARS))
    assert "<script>" not in svg and "&lt;script&gt;" in svg
    assert '<title id="t-t">Codes &lt;b&gt;by&lt;/b&gt; year</title>' in svg
    assert svg.startswith('<svg class="chart" viewBox="0 0 640 280" role="img"')


def test_negative_values_get_a_zero_line():
    spec = {
        "id": "m",
        "kind": "line",
        "title": "margin",
        "series": [{"name": "margin", "points": [[0, -5000], [10, 20000]]}],
    }
    shapes = layout_chart(spec)
    circles = [s for s in shapes if s.kind == "circle"]
    assert circles[0].points[1] > circles[1].points[1]  # -5000 drawn below 20000
    labels = [s.label for s in shapes if s.kind == "text"]
    assert labels[:5] == ["-8,000", "0", "8,000", "16k", "24k"]


def test_chart_rows_print_exact_values():
    header, rows = chart_rows(BARS)
    assert header == ["year", "care management", "remote <script>"]
    assert rows == [["2015", "1", ""], ["2016", "2", "2"]]


def test_cli_chart_spec_converts_with_markers():
    spec = ChartSpec(
        title="RPM: revenue vs staff cost",
        subtitle="2026, national",
        x_label="Panel",
        y_label="USD per month",
        series=(Series("revenue", (0.0, 4.0, 8.0), (0.0, 285.37, 570.74)),),
        markers=(Marker(4.0, "first break-even 4"),),
    )
    ours = from_chart_spec(spec, "eco")
    assert ours["series"][0]["points"] == [[0, 0.0], [4, 285.37], [8, 570.74]]
    assert ours["title"] == "RPM: revenue vs staff cost (2026, national)"
    svg = str(render_svg(ours))
    assert "first break-even 4" in svg
    assert len(re.findall(r"<line ", svg)) >= 7  # 5 gridlines, the axis and the marker


def test_reportlab_drawing_has_the_same_shapes():
    drawing = render_drawing(BARS)
    assert len(drawing.contents) == len(layout_chart(BARS))
