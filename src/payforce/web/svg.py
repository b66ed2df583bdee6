"""Charts drawn server-side: chart spec → shapes → inline SVG (pages) or reportlab Drawing (PDF).

A *chart spec* is plain JSON (it is also what ``/api/`` returns)::

    {"id": "aco", "title": "...", "kind": "bar" | "line", "unit": "ACOs",
     "series": [{"name": "...", "points": [[2015, 404.0], ...]}]}

``kind="bar"`` stacks the series per x value; ``kind="line"`` draws one polyline per series.
:func:`layout_chart` turns a spec into :class:`Shape` records once; :func:`render_svg` and
:func:`render_drawing` only translate shapes, so a page and a PDF draw the same picture.
No scripts, no inline styles (the Content-Security-Policy forbids both): attributes only.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

from markupsafe import Markup, escape

__all__ = [
    "PALETTE",
    "Shape",
    "chart_rows",
    "from_chart_spec",
    "layout_chart",
    "render_drawing",
    "render_svg",
]

PALETTE = ("#1b6ca8", "#d95f02", "#1b9e77", "#7570b3", "#b8860b", "#e7298a", "#666666", "#66a61e")
"""Series colours (colour-blind-friendly Dark2-like set)."""
WIDTH, HEIGHT = 640, 280
_LEFT, _RIGHT, _TOP, _BOTTOM = 64, 16, 28, 64
_ANCHORS = {"start": "start", "middle": "middle", "end": "end"}


@dataclass(frozen=True)
class Shape:
    """One drawing primitive in chart coordinates (origin top-left, y down)."""

    kind: str
    """``rect``, ``line``, ``polyline``, ``circle`` or ``text``."""
    points: tuple[float, ...]
    """rect x y w h; line x1 y1 x2 y2; polyline x y pairs; circle cx cy r; text x y."""
    color: str = "#333333"
    """Fill (rect, circle, text) or stroke (line, polyline)."""
    label: str = ""
    """Text of a ``text`` shape, tooltip of a rect/circle."""
    anchor: str = "start"
    """Text anchor: start, middle or end."""
    size: float = 11
    """Font size or stroke width."""


def _nice_range(low: float, high: float) -> tuple[float, float]:
    """Axis bounds spanning ``low..high`` in four equal, round steps, one of them at zero."""
    import math

    span = max(high - low, 1e-9)
    magnitude = 10 ** math.floor(math.log10(span / 4))
    for factor in (1, 1.5, 2, 2.5, 3, 4, 5, 6, 8, 10, 15, 20, 25, 50):
        step = factor * magnitude
        bottom = math.floor(low / step) * step
        if bottom + 4 * step >= high:
            return bottom, bottom + 4 * step
    return low, high  # pragma: no cover - factor 50 always spans


def _fmt(value: float) -> str:
    if abs(value) >= 1_000_000:
        return f"{value / 1_000_000:.1f}M".replace(".0M", "M")
    if abs(value) >= 10_000:
        return f"{value / 1000:.1f}k".replace(".0k", "k")
    if value == int(value):
        return f"{int(value):,}"
    return f"{value:,.2f}"


def _plain_number(value: float) -> float | int:
    return int(value) if float(value).is_integer() else value


def from_chart_spec(spec: Any, chart_id: str) -> dict[str, Any]:
    """Our JSON spec from a :class:`payforce.reports.charts.ChartSpec` (the CLI's chart data),
    so the web page draws the very series and markers ``payforce economics --chart`` draws."""
    return {
        "id": chart_id,
        "kind": "line",
        "title": f"{spec.title} ({spec.subtitle})" if spec.subtitle else spec.title,
        "x_label": spec.x_label,
        "unit": spec.y_label,
        "series": [
            {
                "name": s.name,
                "points": [[_plain_number(x), y] for x, y in zip(s.x, s.y, strict=True)],
            }
            for s in spec.series
        ],
        "markers": [{"x": _plain_number(m.x), "label": m.label} for m in spec.markers],
    }


def _exact(value: float) -> str:
    """A table cell: the full value (axis labels abbreviate, tables do not)."""
    if value == int(value):
        return f"{int(value):,}"
    return f"{value:,.2f}".rstrip("0").rstrip(".")


def chart_rows(spec: dict[str, Any]) -> tuple[list[str], list[list[str]]]:
    """The chart as a table: header (x, each series) and one row per x value."""
    series = spec.get("series", [])
    xs = sorted({p[0] for s in series for p in s["points"]}, key=lambda x: (str(type(x)), x))
    header = [str(spec.get("x_label", "year")), *(str(s["name"]) for s in series)]
    rows = []
    for x in xs:
        row = [str(x)]
        for s in series:
            value = next((p[1] for p in s["points"] if p[0] == x), None)
            row.append("" if value is None else _exact(float(value)))
        rows.append(row)
    return header, rows


_MARKER_ROW = 13
"""Height of one marker-label row above the plot."""


def _text_width(text: str, size: float) -> float:
    """Estimated width of ``text`` at ``size`` px (0.6 em a character)."""
    return 0.6 * size * len(text)


def layout_chart(spec: dict[str, Any], width: int = WIDTH, height: int = HEIGHT) -> list[Shape]:
    """Axes, gridlines, marks and legend of ``spec`` as shapes."""
    series = [s for s in spec.get("series", []) if s["points"]]
    shapes: list[Shape] = []
    markers = list(spec.get("markers", []))
    # Marker labels get rows of their own above the plot, so no data line ever crosses them.
    plot_top = _TOP + _MARKER_ROW * len(markers)
    plot_w, plot_h = width - _LEFT - _RIGHT, height - plot_top - _BOTTOM
    if not series:
        return [Shape("text", (width / 2, height / 2), "#666666", "No data yet", "middle", 13)]
    xs = sorted({p[0] for s in series for p in s["points"]}, key=lambda x: (str(type(x)), x))
    if spec.get("kind") == "bar":
        totals: dict[Any, float] = {}
        for s in series:
            for x, y in s["points"]:
                totals[x] = totals.get(x, 0.0) + max(float(y), 0.0)
        low, top = _nice_range(0.0, max(totals.values(), default=0.0))
    else:
        values = [float(p[1]) for s in series for p in s["points"]]
        low, top = _nice_range(min(0.0, min(values)), max(values))
    base_y = plot_top + plot_h

    def y_of(v: float) -> float:
        return base_y - plot_h * ((v - low) / (top - low))

    if low < 0:
        zero = y_of(0.0)
        shapes.append(Shape("line", (_LEFT, zero, _LEFT + plot_w, zero), "#999999", size=1))
    for i in range(5):
        v = low + (top - low) * i / 4
        y = y_of(v)
        shapes.append(Shape("line", (_LEFT, y, _LEFT + plot_w, y), "#dddddd", size=1))
        shapes.append(Shape("text", (_LEFT - 6, y + 4), "#444444", _fmt(v), "end", 11))
    step = plot_w / max(len(xs), 1)
    widest = max(_text_width(str(x), 11) for x in xs) + 8
    label_every = max(1, (len(xs) + 11) // 12, math.ceil(widest / step))
    for i, x in enumerate(xs):
        if i % label_every == 0:
            cx = _LEFT + step * (i + 0.5)
            shapes.append(Shape("text", (cx, base_y + 16), "#444444", str(x), "middle", 11))
    if spec.get("kind") == "bar":
        bar_w = step * 0.7
        stacked: dict[Any, float] = {}
        for n, s in enumerate(series):
            color = PALETTE[n % len(PALETTE)]
            for x, y in s["points"]:
                i = xs.index(x)
                below = stacked.get(x, 0.0)
                above = below + max(float(y), 0.0)
                stacked[x] = above
                x0 = _LEFT + step * i + (step - bar_w) / 2
                shapes.append(
                    Shape(
                        "rect",
                        (x0, y_of(above), bar_w, y_of(below) - y_of(above)),
                        color,
                        f"{s['name']}, {x}: {_fmt(float(y))}",
                    )
                )
    else:
        for n, s in enumerate(series):
            color = PALETTE[n % len(PALETTE)]
            ordered = sorted(s["points"], key=lambda p: xs.index(p[0]))
            pts: list[float] = []
            for x, y in ordered:
                pts += [_LEFT + step * (xs.index(x) + 0.5), y_of(float(y))]
            if len(pts) > 2:
                shapes.append(Shape("polyline", tuple(pts), color, size=2))
            for j, (x, y) in enumerate(ordered if len(ordered) <= 40 else ()):
                shapes.append(
                    Shape(
                        "circle",
                        (pts[2 * j], pts[2 * j + 1], 3),
                        color,
                        f"{s['name']}, {x}: {_fmt(float(y))}",
                    )
                )
    numeric = all(isinstance(x, int | float) for x in xs)
    for n, marker in enumerate(markers if numeric else []):
        i = min(range(len(xs)), key=lambda k: abs(float(xs[k]) - float(marker["x"])))
        mx = _LEFT + step * (i + 0.5)
        row_y = _TOP + _MARKER_ROW * n + 6
        shapes.append(Shape("line", (mx, row_y + 3, mx, base_y), "#555555", size=1))
        anchor = "end" if mx > _LEFT + plot_w * 0.6 else "start"
        tx = mx - 3 if anchor == "end" else mx + 3
        shapes.append(Shape("text", (tx, row_y), "#333333", marker["label"], anchor, 10))
    shapes.append(Shape("line", (_LEFT, base_y, _LEFT + plot_w, base_y), "#444444", size=1))
    legend_y = height - 24
    x = float(_LEFT)
    for n, s in enumerate(series):
        color = PALETTE[n % len(PALETTE)]
        name = str(s["name"])
        if x + 16 + 6.8 * len(name) > width and x > _LEFT:
            legend_y += 14
            x = float(_LEFT)
        shapes.append(Shape("rect", (x, legend_y - 9, 10, 10), color, name))
        shapes.append(Shape("text", (x + 14, legend_y), "#333333", name, "start", 11))
        x += 24 + 6.8 * len(name)
    if spec.get("unit"):
        shapes.append(Shape("text", (4, 12), "#444444", str(spec["unit"]), "start", 11))
    return shapes


def render_svg(spec: dict[str, Any], width: int = WIDTH, height: int = HEIGHT) -> Markup:
    """Inline SVG markup for ``spec`` (every label escaped), with a title and description."""
    chart_id = escape(str(spec.get("id", "chart")))
    title = escape(str(spec.get("title", "")))
    parts = [
        f'<svg class="chart" viewBox="0 0 {width} {height}" role="img" '
        f'aria-labelledby="{chart_id}-t" xmlns="http://www.w3.org/2000/svg">',
        f'<title id="{chart_id}-t">{title}</title>',
    ]
    for s in layout_chart(spec, width, height):
        p = [round(v, 1) for v in s.points]
        color = escape(s.color)
        if s.kind == "rect":
            parts.append(
                f'<rect x="{p[0]}" y="{p[1]}" width="{p[2]}" height="{p[3]}" fill="{color}">'
                f"<title>{escape(s.label)}</title></rect>"
            )
        elif s.kind == "line":
            parts.append(
                f'<line x1="{p[0]}" y1="{p[1]}" x2="{p[2]}" y2="{p[3]}" stroke="{color}" '
                f'stroke-width="{s.size}"/>'
            )
        elif s.kind == "polyline":
            coords = " ".join(f"{p[i]},{p[i + 1]}" for i in range(0, len(p), 2))
            parts.append(
                f'<polyline points="{coords}" fill="none" stroke="{color}" '
                f'stroke-width="{s.size}"/>'
            )
        elif s.kind == "circle":
            parts.append(
                f'<circle cx="{p[0]}" cy="{p[1]}" r="{p[2]}" fill="{color}">'
                f"<title>{escape(s.label)}</title></circle>"
            )
        else:
            parts.append(
                f'<text x="{p[0]}" y="{p[1]}" fill="{color}" font-size="{s.size}" '
                f'text-anchor="{_ANCHORS.get(s.anchor, "end")}">'
                f"{escape(s.label)}</text>"
            )
    parts.append("</svg>")
    return Markup("".join(parts))


def render_drawing(spec: dict[str, Any], width: int = WIDTH, height: int = HEIGHT) -> Any:
    """A reportlab ``Drawing`` of ``spec`` (y flipped: reportlab's origin is bottom-left)."""
    from reportlab.graphics.shapes import Circle, Drawing, Line, PolyLine, Rect, String
    from reportlab.lib.colors import HexColor

    drawing = Drawing(width, height)

    def fy(y: float) -> float:
        return height - y

    for s in layout_chart(spec, width, height):
        p = s.points
        color = HexColor(s.color)
        if s.kind == "rect":
            drawing.add(Rect(p[0], fy(p[1] + p[3]), p[2], p[3], fillColor=color, strokeColor=None))
        elif s.kind == "line":
            drawing.add(Line(p[0], fy(p[1]), p[2], fy(p[3]), strokeColor=color, strokeWidth=s.size))
        elif s.kind == "polyline":
            flipped = [v if i % 2 == 0 else fy(v) for i, v in enumerate(p)]
            drawing.add(PolyLine(flipped, strokeColor=color, strokeWidth=s.size))
        elif s.kind == "circle":
            drawing.add(Circle(p[0], fy(p[1]), p[2], fillColor=color, strokeColor=None))
        else:
            drawing.add(
                String(
                    p[0], fy(p[1]), s.label, fontSize=s.size, fillColor=color, textAnchor=s.anchor
                )
            )
    return drawing
