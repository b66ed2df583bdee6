"""The readiness report as PDF (reportlab), its chart drawn by matplotlib (Agg, imported lazily)."""

from __future__ import annotations

import html
import io

from payforce.assessment.instrument import Instrument
from payforce.assessment.report_blocks import build_blocks
from payforce.assessment.scoring import Scorecard
from payforce.assessment.service import ReportData

__all__ = ["render_pdf"]


def _chart_png(card: Scorecard) -> bytes:
    import matplotlib

    matplotlib.use("Agg")
    from matplotlib import pyplot as plt

    fig, ax = plt.subplots(figsize=(6, 2.4), dpi=100)
    try:
        names = [d.domain_id for d in card.domains][::-1]
        scores = [d.score or 0.0 for d in card.domains][::-1]
        raws = [d.raw or 0.0 for d in card.domains][::-1]
        colors = ["#c0392b" if d.failing_must_fix else "#2e86c1" for d in card.domains][::-1]
        ax.barh(names, raws, color="none", edgecolor="#c0392b", linestyle="--")
        ax.barh(names, scores, color=colors)
        ax.set_xlim(0, 5)
        ax.set_xlabel("maturity (0-5)")
        fig.tight_layout()
        buf = io.BytesIO()
        fig.savefig(buf, format="png", metadata={"Software": None})
        return buf.getvalue()
    finally:
        plt.close(fig)


def _col_widths(headers: list[str], rows: list[list[str]], total: float = 468.0) -> list[float]:
    """Column widths (points) for 7 pt text: short columns get what they need, long columns
    share the rest in proportion to their text length."""
    natural = []
    for i, h in enumerate(headers):
        head = max((len(w) for w in h.split()), default=1)
        longest = max([head] + [len(r[i]) for r in rows])
        natural.append(min(longest, 60) * 4.4 + 14)
    if sum(natural) <= total:
        return [w * total / sum(natural) for w in natural]
    short = [w if w <= 60 else 0.0 for w in natural]
    rest = total - sum(short)
    long_total = sum(w for w in natural if w > 60)
    return [w if w <= 60 else w * rest / long_total for w in natural]


def render_pdf(data: ReportData, instrument: Instrument, generated_at: str) -> bytes:
    """The report as PDF (reportlab), with a matplotlib bar chart of the domain scores."""
    from reportlab.lib import colors
    from reportlab.lib.pagesizes import letter
    from reportlab.lib.styles import getSampleStyleSheet
    from reportlab.lib.units import inch
    from reportlab.platypus import (
        Image,
        ListFlowable,
        Paragraph,
        SimpleDocTemplate,
        Spacer,
        Table,
        TableStyle,
    )

    styles = getSampleStyleSheet()
    cell = styles["BodyText"].clone("cell", fontSize=7, leading=8.5)
    flow: list[object] = []
    for b in build_blocks(data, instrument, generated_at):
        if b.kind == "heading":
            flow.append(Paragraph(html.escape(b.text), styles[f"Heading{min(b.level, 3)}"]))
        elif b.kind == "para":
            flow.append(Paragraph(html.escape(b.text), styles["BodyText"]))
        elif b.kind == "bullets":
            flow.append(
                ListFlowable(
                    [Paragraph(html.escape(i), styles["BodyText"]) for i in b.items],
                    bulletType="bullet",
                )
            )
        elif b.kind == "table":
            keep = [i for i, h in enumerate(b.headers) if h != "Chart (0-5)"]
            rows = [[Paragraph(html.escape(b.headers[i]), cell) for i in keep]]
            rows += [[Paragraph(html.escape(r[i]), cell) for i in keep] for r in b.rows]
            widths = _col_widths(
                [b.headers[i] for i in keep], [[r[i] for i in keep] for r in b.rows]
            )
            table = Table(rows, repeatRows=1, colWidths=widths)
            table.setStyle(
                TableStyle(
                    [
                        ("GRID", (0, 0), (-1, -1), 0.25, colors.grey),
                        ("BACKGROUND", (0, 0), (-1, 0), colors.whitesmoke),
                        ("VALIGN", (0, 0), (-1, -1), "TOP"),
                    ]
                )
            )
            flow.append(table)
            flow.append(Spacer(1, 6))
        elif b.kind == "chart":
            flow.append(
                Image(io.BytesIO(_chart_png(data.scorecard)), width=6 * inch, height=2.4 * inch)
            )
            flow.append(Paragraph(html.escape(b.text), styles["Italic"]))
    buf = io.BytesIO()
    doc = SimpleDocTemplate(
        buf,
        pagesize=letter,
        title=f"AI-governance readiness: {data.organization.name}",
        author="payforce",
        invariant=1,
    )
    doc.build(flow)  # type: ignore[arg-type]
    return buf.getvalue()
