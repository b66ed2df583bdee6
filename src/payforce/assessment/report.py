"""The readiness report, rendered as Markdown, HTML or PDF from one list of blocks.

``build_blocks`` turns the gathered :class:`ReportData` into plain blocks (headings,
paragraphs, bullet lists, tables, the domain chart); each ``render_*`` writes them in its format.
Reports take ``generated_at`` as an argument, so the output is stable for the same inputs.
The HTML chart is inline SVG; the PDF chart is drawn by matplotlib (Agg, imported lazily).
"""

from __future__ import annotations

import enum
from typing import assert_never

from payforce.assessment.instrument import Instrument
from payforce.assessment.report_blocks import Block, build_blocks
from payforce.assessment.report_html import (
    render_domain_chart_svg,
    render_html,
    render_html_fragment,
)
from payforce.assessment.report_pdf import render_pdf
from payforce.assessment.service import ReportData

__all__ = [
    "Block",
    "ReportFormat",
    "build_blocks",
    "render_domain_chart_svg",
    "render_html",
    "render_html_fragment",
    "render_markdown",
    "render_pdf",
    "render_report",
]


class ReportFormat(enum.Enum):
    """Report output formats."""

    MD = "md"
    HTML = "html"
    PDF = "pdf"


# ------------------------------------------------------------------------------- Markdown
def _md_cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


def render_markdown(data: ReportData, instrument: Instrument, generated_at: str) -> str:
    """The report as Markdown (the chart as text bars in the domain table)."""
    lines: list[str] = []
    for b in build_blocks(data, instrument, generated_at):
        if b.kind == "heading":
            lines += ["#" * b.level + " " + b.text, ""]
        elif b.kind == "para":
            lines += [b.text, ""]
        elif b.kind == "bullets":
            lines += [f"- {item}" for item in b.items] + [""]
        elif b.kind == "table":
            lines.append("| " + " | ".join(b.headers) + " |")
            lines.append("|" + "|".join("---" for _ in b.headers) + "|")
            lines += ["| " + " | ".join(_md_cell(c) for c in row) + " |" for row in b.rows]
            lines.append("")
    return "\n".join(lines).rstrip("\n") + "\n"


def render_report(
    fmt: ReportFormat, data: ReportData, instrument: Instrument, generated_at: str
) -> bytes:
    """Render in ``fmt`` (exhaustive over ReportFormat); text formats are UTF-8 encoded."""
    if fmt is ReportFormat.MD:
        return render_markdown(data, instrument, generated_at).encode("utf-8")
    if fmt is ReportFormat.HTML:
        return render_html(data, instrument, generated_at).encode("utf-8")
    if fmt is ReportFormat.PDF:
        return render_pdf(data, instrument, generated_at)
    assert_never(fmt)
