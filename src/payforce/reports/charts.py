"""Charts: one plain spec (:class:`ChartSpec`), rendered to PNG or SVG (matplotlib, Agg backend).

The spec is data only (title, axes, series, markers), so the web app can serve it as JSON and draw
it in the browser, and reports can embed the rendered image; both come from the same spec.
matplotlib is imported lazily, inside :func:`render_chart`, so importing this module is cheap.
SVG output is stable (no date, fixed hash salt) so it can be compared with a golden file.
"""

from __future__ import annotations

import io
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Literal

if TYPE_CHECKING:
    from payforce.economics.programs import ProgramResult

__all__ = [
    "ChartFormat",
    "ChartSpec",
    "Marker",
    "Series",
    "break_even_chart",
    "render_chart",
    "revenue_cost_chart",
]

ChartFormat = Literal["png", "svg"]


@dataclass(frozen=True)
class Series:
    """One line of a chart."""

    name: str
    """Legend label."""
    x: tuple[float, ...]
    """X values."""
    y: tuple[float, ...]
    """Y values (same length as x)."""
    style: str = "line"
    """``line``, ``step`` (staff cost hired in steps) or ``dashed``."""
    color: str = ""
    """Colour name or hex; empty for the default cycle."""


@dataclass(frozen=True)
class Marker:
    """A vertical line with a label (e.g. the break-even panel)."""

    x: float
    """Where on the x axis."""
    label: str
    """Text beside it."""
    color: str = "#555555"
    """Line colour."""


@dataclass(frozen=True)
class ChartSpec:
    """Everything needed to draw a chart, and nothing about how (a plain, JSON-ready record)."""

    title: str
    """Chart title."""
    x_label: str
    """X axis label."""
    y_label: str
    """Y axis label."""
    series: tuple[Series, ...]
    """Lines."""
    subtitle: str = ""
    """Second line: year, locality, CF type (every dollar chart carries them)."""
    markers: tuple[Marker, ...] = field(default_factory=tuple)
    """Vertical markers."""
    y_format: str = "usd"
    """``usd`` for dollar ticks, ``plain`` otherwise."""
    zero_line: bool = False
    """Draw y = 0."""

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready form (the web app draws from this)."""
        return {
            "title": self.title,
            "subtitle": self.subtitle,
            "x_label": self.x_label,
            "y_label": self.y_label,
            "y_format": self.y_format,
            "zero_line": self.zero_line,
            "series": [
                {"name": s.name, "x": list(s.x), "y": list(s.y), "style": s.style, "color": s.color}
                for s in self.series
            ],
            "markers": [{"x": m.x, "label": m.label, "color": m.color} for m in self.markers],
        }


def _markers(result: ProgramResult) -> tuple[Marker, ...]:
    out = []
    if result.break_even is not None:
        out.append(Marker(result.break_even, f"first break-even {result.break_even}", "#2a7d2a"))
    if result.break_even_sustained is not None and result.break_even_sustained != result.break_even:
        out.append(
            Marker(
                result.break_even_sustained,
                f"stays positive from {result.break_even_sustained}",
                "#1f5f1f",
            )
        )
    out.append(Marker(result.panel, f"modelled panel {result.panel}", "#555555"))
    return tuple(out)


def revenue_cost_chart(result: ProgramResult, compare: ProgramResult | None = None) -> ChartSpec:
    """Revenue and staff cost per month by enrolled panel size (optionally a second year)."""
    xs = tuple(float(p[0]) for p in result.curve)
    series = [
        Series(f"revenue {result.year}", xs, tuple(p[1] for p in result.curve), "line", "#1f77b4"),
        Series(
            f"staff cost {result.year}", xs, tuple(p[2] for p in result.curve), "step", "#d62728"
        ),
    ]
    if compare is not None:
        cx = tuple(float(p[0]) for p in compare.curve)
        series.append(
            Series(
                f"revenue {compare.year}",
                cx,
                tuple(p[1] for p in compare.curve),
                "dashed",
                "#7f7f7f",
            )
        )
    unit = "patients enrolled" if result.program.unit == "patient-month" else "discharges a month"
    return ChartSpec(
        title=f"{result.program.name}: revenue vs staff cost",
        subtitle=f"USD per month; {result.label}; {result.setting}",
        x_label=f"Panel ({unit})",
        y_label="USD per month",
        series=tuple(series),
        markers=_markers(result),
    )


def break_even_chart(result: ProgramResult, compare: ProgramResult | None = None) -> ChartSpec:
    """Monthly margin by panel size, with the break-even panel(s) marked."""
    xs = tuple(float(p[0]) for p in result.curve)
    series = [
        Series(
            f"margin {result.year}",
            xs,
            tuple(round(p[1] - p[2], 2) for p in result.curve),
            "step",
            "#2a7d2a",
        )
    ]
    if compare is not None:
        cx = tuple(float(p[0]) for p in compare.curve)
        series.append(
            Series(
                f"margin {compare.year}",
                cx,
                tuple(round(p[1] - p[2], 2) for p in compare.curve),
                "dashed",
                "#7f7f7f",
            )
        )
    unit = "patients enrolled" if result.program.unit == "patient-month" else "discharges a month"
    return ChartSpec(
        title=f"{result.program.name}: break-even",
        subtitle=f"Margin, USD per month; {result.label}; {result.setting}",
        x_label=f"Panel ({unit})",
        y_label="Margin, USD per month",
        series=tuple(series),
        markers=_markers(result),
        zero_line=True,
    )


def render_chart(spec: ChartSpec, fmt: ChartFormat = "png") -> bytes:
    """Draw a spec as PNG or SVG bytes (Agg backend, no display needed)."""
    if fmt not in ("png", "svg"):
        from payforce.errors import InputError

        raise InputError(f"--chart: unknown format {fmt!r}", hint="Use a .png or .svg file name")
    import matplotlib

    matplotlib.use("Agg", force=True)
    from matplotlib.figure import Figure
    from matplotlib.ticker import FuncFormatter

    with matplotlib.rc_context({"svg.hashsalt": "payforce", "font.size": 9}):
        fig = Figure(figsize=(7.5, 4.2), dpi=110)
        ax = fig.add_subplot(1, 1, 1)
        for s in spec.series:
            kw: dict[str, Any] = {"label": s.name}
            if s.color:
                kw["color"] = s.color
            if s.style == "step":
                ax.step(s.x, s.y, where="post", **kw)
            elif s.style == "dashed":
                ax.plot(s.x, s.y, linestyle="--", **kw)
            else:
                ax.plot(s.x, s.y, **kw)
        if spec.zero_line:
            ax.axhline(0, color="#999999", linewidth=0.8)
        for i, m in enumerate(spec.markers):
            ax.axvline(m.x, color=m.color, linestyle=":", linewidth=1)
            ax.annotate(
                m.label,
                xy=(m.x, 1),
                xycoords=("data", "axes fraction"),
                xytext=(3, -12 - 10 * i),
                textcoords="offset points",
                fontsize=7,
                color=m.color,
            )
        if spec.y_format == "usd":
            ax.yaxis.set_major_formatter(
                FuncFormatter(lambda v, _p: f"-${-v:,.0f}" if v < 0 else f"${v:,.0f}")
            )
        ax.set_xlabel(spec.x_label)
        ax.set_ylabel(spec.y_label)
        ax.set_title(spec.title + (f"\n{spec.subtitle}" if spec.subtitle else ""), fontsize=9)
        ax.grid(True, alpha=0.3)
        ax.legend(loc="lower right", fontsize=7)
        fig.tight_layout()
        buf = io.BytesIO()
        metadata: dict[str, Any] = {"Date": None} if fmt == "svg" else {"Software": None}
        fig.savefig(buf, format=fmt, metadata=metadata)
    return buf.getvalue()
