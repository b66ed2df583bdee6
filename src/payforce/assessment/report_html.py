"""The readiness report as HTML with an inline SVG chart of the domain scores."""

from __future__ import annotations

import html

from payforce.assessment.instrument import Instrument
from payforce.assessment.report_blocks import build_blocks
from payforce.assessment.scoring import STATUS_BLOCKED, Scorecard
from payforce.assessment.service import ReportData

__all__ = ["render_domain_chart_svg", "render_html", "render_html_fragment"]


def render_domain_chart_svg(card: Scorecard, cap: float | None = None) -> str:
    """Horizontal bar chart of domain scores (0-5) as inline SVG; uncapped scores in outline."""
    width, left, bar_h, gap = 520, 60, 22, 10
    scale = (width - left - 20) / 5
    height = len(card.domains) * (bar_h + gap) + 30
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" role="img" width="{width}" height="{height}" '
        f'viewBox="0 0 {width} {height}" aria-label="Scores by domain">'
    ]
    for i in range(6):
        x = left + i * scale
        parts.append(f'<line x1="{x:.1f}" y1="0" x2="{x:.1f}" y2="{height - 20}" stroke="#ddd"/>')
        parts.append(
            f'<text x="{x:.1f}" y="{height - 5}" font-size="11" text-anchor="middle">{i}</text>'
        )
    for i, d in enumerate(card.domains):
        y = i * (bar_h + gap) + 5
        parts.append(f'<text x="5" y="{y + 15}" font-size="12">{html.escape(d.domain_id)}</text>')
        if d.raw is not None and d.capped:
            parts.append(
                f'<rect x="{left}" y="{y}" width="{d.raw * scale:.1f}" height="{bar_h}" '
                'fill="none" stroke="#c0392b" stroke-dasharray="4 2"/>'
            )
        if d.score is not None:
            color = "#c0392b" if d.failing_must_fix else "#2e86c1"
            parts.append(
                f'<rect x="{left}" y="{y}" width="{d.score * scale:.1f}" height="{bar_h}" '
                f'fill="{color}">'
                f"<title>{html.escape(d.name)}: {d.score:.1f}</title></rect>"
            )
            parts.append(
                f'<text x="{left + d.score * scale + 4:.1f}" y="{y + 15}" font-size="11">'
                f"{d.score:.1f}</text>"
            )
    if cap is not None and card.status == STATUS_BLOCKED:
        x = left + cap * scale
        parts.append(
            f'<line x1="{x:.1f}" y1="0" x2="{x:.1f}" y2="{height - 20}" stroke="#c0392b"/>'
        )
    parts.append("</svg>")
    return "".join(parts)


_CSS = (
    "body{font-family:system-ui,sans-serif;max-width:60rem;margin:2rem auto;"
    "padding:0 1rem;color:#222}"
    "table{border-collapse:collapse;margin:0.5rem 0 1rem;width:100%}"
    "th,td{border:1px solid #ccc;padding:0.3rem 0.5rem;text-align:left;vertical-align:top;"
    "font-size:0.9rem}"
    "th{background:#f3f3f3}"
)


def render_html_fragment(data: ReportData, instrument: Instrument, generated_at: str) -> str:
    """The report body as HTML (no ``<html>`` wrapper), for embedding in a page."""
    out: list[str] = []
    for b in build_blocks(data, instrument, generated_at):
        if b.kind == "heading":
            out.append(f"<h{b.level}>{html.escape(b.text)}</h{b.level}>")
        elif b.kind == "para":
            out.append(f"<p>{html.escape(b.text)}</p>")
        elif b.kind == "bullets":
            out.append("<ul>" + "".join(f"<li>{html.escape(i)}</li>" for i in b.items) + "</ul>")
        elif b.kind == "table":
            head = "".join(f"<th>{html.escape(h)}</th>" for h in b.headers if h != "Chart (0-5)")
            keep = [i for i, h in enumerate(b.headers) if h != "Chart (0-5)"]
            body = "".join(
                "<tr>" + "".join(f"<td>{html.escape(row[i])}</td>" for i in keep) + "</tr>"
                for row in b.rows
            )
            out.append(f"<table><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>")
        elif b.kind == "chart":
            out.append(
                '<figure class="chart">'
                + render_domain_chart_svg(data.scorecard, instrument.must_fix_cap)
                + f"<figcaption>{html.escape(b.text)}</figcaption></figure>"
            )
    return "\n".join(out)


def render_html(data: ReportData, instrument: Instrument, generated_at: str) -> str:
    """The report as a standalone HTML page with an inline SVG chart."""
    title = html.escape(f"AI-governance readiness: {data.organization.name}")
    return (
        '<!doctype html>\n<html lang="en"><head><meta charset="utf-8">'
        f"<title>{title}</title><style>{_CSS}</style></head><body>\n"
        + render_html_fragment(data, instrument, generated_at)
        + "\n</body></html>\n"
    )
