"""PDF workforce brief (reportlab): the same gathered data and chart shapes as the pages.

Charts go through :func:`payforce.web.svg.render_drawing`, which draws the very shapes the web's
SVG is made of. The PDF's creation date is pinned to ``generated_at`` (``invariant=1``) so the
bytes depend only on the input.
"""

from __future__ import annotations

import io
from typing import Any
from xml.sax.saxutils import escape

from payforce.reports.markdown import freshness_sentence
from payforce.web.svg import render_drawing

__all__ = ["render_pdf"]


def _money(value: float | None) -> str:
    return "—" if value is None else f"${value:,.0f}"


def _link(label: str, url: str | None) -> str:
    """Paragraph markup: ``label`` as a clickable link to each http(s) URL in ``url``."""
    from payforce.web.pages import http_url

    urls = [u for u in (http_url(part) for part in str(url or "").split("|")) if u]
    if not urls:
        return escape(label)
    first = f'<a href="{escape(urls[0], {chr(34): "&quot;"})}" color="#1a5fb4">{escape(label)}</a>'
    more = [
        f'<a href="{escape(u, {chr(34): "&quot;"})}" color="#1a5fb4">[{i}]</a>'
        for i, u in enumerate(urls[1:], 2)
    ]
    return " ".join([first, *more])


def render_pdf(report: dict[str, Any]) -> bytes:
    """The brief as PDF bytes (A4-friendly US Letter, one column)."""
    from reportlab.lib import colors
    from reportlab.lib.pagesizes import LETTER
    from reportlab.lib.styles import getSampleStyleSheet
    from reportlab.platypus import (
        KeepTogether,
        Paragraph,
        SimpleDocTemplate,
        Spacer,
        Table,
        TableStyle,
    )

    styles = getSampleStyleSheet()
    body, small = styles["BodyText"], styles["Italic"]
    flow: list[Any] = []

    def p(text: str, style: Any = body) -> None:
        flow.append(Paragraph(escape(text), style))

    def table(header: list[str], rows: list[list[str]], widths: list[float] | None = None) -> None:
        cell = styles["BodyText"].clone("cell", fontSize=8, leading=10)
        data = [[Paragraph(escape(h), cell) for h in header]]
        data += [[Paragraph(escape(c), cell) for c in row] for row in rows]
        t = Table(data, colWidths=widths, repeatRows=1)
        t.setStyle(
            TableStyle(
                [
                    ("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#e8edf2")),
                    ("LINEBELOW", (0, 0), (-1, -1), 0.25, colors.HexColor("#c0c8d0")),
                    ("VALIGN", (0, 0), (-1, -1), "TOP"),
                ]
            )
        )
        flow.append(t)
        flow.append(Spacer(1, 8))

    def chart(spec: dict[str, Any]) -> None:
        drawing = render_drawing(spec)
        scale = 460 / drawing.width
        drawing.scale(scale, scale)
        drawing.width, drawing.height = drawing.width * scale, drawing.height * scale
        flow.append(KeepTogether([Paragraph(escape(spec["title"]), styles["Heading4"]), drawing]))

    def signals(items: list[dict[str, Any]], show_role: bool) -> None:
        for s in items:
            who = f"{s['role_title']}: " if show_role else ""
            refs = "; ".join(_link(e["label"], e.get("url")) for e in s["evidence"])
            text = escape(f"[{s['direction']}] {who}{s['summary']} (published {s['published']}; ")
            flow.append(Paragraph(f"{text}{refs})", body))
        if not items:
            p("No signal yet.")

    def dashboard(d: dict[str, Any], h: str) -> None:
        c = d["counts"]
        flow.append(Paragraph("Outlook of every role", styles[h]))
        p(
            f"As of {d['as_of']}: {c['growth']} growing, {c['pressure']} under pressure, "
            f"{c['pivot']} shifting, {c['none']} without a signal."
        )
        table(
            ["Role", "Outlook", "Score", "Signals"],
            [
                [o["title"], o["direction"], f"{o['score']:+.2f}", str(o["signal_count"])]
                for o in d["outlooks"]
            ],
            [230, 80, 60, 60],
        )
        flow.append(Paragraph("Newest signals", styles[h]))
        signals(d["newest_signals"], True)
        flow.append(Paragraph("Comment deadlines and effective dates", styles[h]))
        events = d["upcoming"] or d["recent"]
        table(
            ["Date", "What", "Document"],
            [[str(e["date"]), e["what"], e["label"]] for e in events] or [["—", "None", ""]],
            [70, 200, 190],
        )
        flow.append(Paragraph("Charts", styles[h]))
        for spec in d["charts"]:
            chart(spec)

    def role(r: dict[str, Any], h: str) -> None:
        p(r["sentence"])
        flow.append(Paragraph("Why: the evidence", styles[h]))
        signals(r["signals"], False)
        flow.append(Paragraph("Where this role can pivot", styles[h]))
        for x in r["pivots"]:
            text = escape(
                f"{x['title']}: skills {'; '.join(x['skills']) or '—'}; credentials "
                f"{'; '.join(x['credentials']) or '—'}; funded by {x['funded_by'] or '—'}"
            )
            refs = "; ".join(_link(e["label"], e.get("url")) for e in x.get("funding", [])[:4])
            flow.append(Paragraph(text + (f" (evidence: {refs})" if refs else ""), body))
        if not r["pivots"]:
            p("No pivot path is recorded for this role.")
        flow.append(Paragraph("Wages, employment and projections", styles[h]))
        table(
            ["Role", "Median wage", "Employment", "Projected change"],
            [
                [
                    x["title"],
                    _money(x["median_wage"]),
                    "—" if x["employment"] is None else f"{x['employment']:,}",
                    "—" if x["projection_pct"] is None else f"{x['projection_pct']:+.1f}%",
                ]
                for x in r["labour"]
            ],
            [200, 80, 90, 90],
        )
        for spec in r["charts"]:
            chart(spec)

    flow.append(Paragraph(escape(report["title"]), styles["Title"]))
    p(
        f"Evidence public as of {report['as_of']}. Generated {report['generated_at']} by payforce.",
        small,
    )
    if freshness_sentence(report.get("freshness")):
        p(freshness_sentence(report.get("freshness")), small)
    if report["role"]:
        flow.append(Paragraph(escape(report["role"]["role"].title), styles["Heading1"]))
        role(report["role"], "Heading2")
        flow.append(Paragraph("The wider picture", styles["Heading1"]))
        dashboard(report["dashboard"], "Heading2")
    else:
        dashboard(report["dashboard"], "Heading2")

    buffer = io.BytesIO()
    doc = SimpleDocTemplate(
        buffer,
        pagesize=LETTER,
        title=report["title"],
        author="payforce",
        leftMargin=54,
        rightMargin=54,
        topMargin=54,
        bottomMargin=54,
        invariant=1,
    )
    doc.build(flow)
    return buffer.getvalue()
