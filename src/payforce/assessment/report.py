"""The readiness report, rendered as Markdown, HTML or PDF from one list of blocks.

``build_blocks`` turns the gathered :class:`ReportData` into plain blocks (headings,
paragraphs, bullet lists, tables, the domain chart); each ``render_*`` writes them in its format.
Reports take ``generated_at`` as an argument, so the output is stable for the same inputs.
The HTML chart is inline SVG; the PDF chart is drawn by matplotlib (Agg, imported lazily).
"""

from __future__ import annotations

import enum
import html
import io
from dataclasses import dataclass
from typing import assert_never

from payforce.assessment.instrument import Instrument
from payforce.assessment.plan import build_agenda, build_plan, top_gaps
from payforce.assessment.scoring import STATUS_BLOCKED, MustFixResult, Scorecard
from payforce.assessment.service import ReportData

__all__ = [
    "Block",
    "ReportFormat",
    "build_blocks",
    "render_domain_chart_svg",
    "render_html",
    "render_markdown",
    "render_pdf",
    "render_report",
]


class ReportFormat(enum.Enum):
    """Report output formats."""

    MD = "md"
    HTML = "html"
    PDF = "pdf"


@dataclass(frozen=True)
class Block:
    """One piece of a report: ``heading``, ``para``, ``bullets``, ``table`` or ``chart``."""

    kind: str
    """Block kind."""
    text: str = ""
    """Heading or paragraph text."""
    level: int = 2
    """Heading level."""
    items: tuple[str, ...] = ()
    """Bullet items."""
    headers: tuple[str, ...] = ()
    """Table headers."""
    rows: tuple[tuple[str, ...], ...] = ()
    """Table rows."""


_KIND_LABELS = {
    "provider": "provider (payer-only must-fix gates do not apply)",
    "payer": "payer (provider-only must-fix gates do not apply)",
    "both": "provider and payer (every must-fix gate applies)",
}


def _num(x: float | None, digits: int = 1) -> str:
    return "n/a" if x is None else f"{x:.{digits}f}"


def _signed(x: float | None) -> str:
    return "n/a" if x is None else f"{x:+.1f}"


def _bar(score: float | None) -> str:
    if score is None:
        return ""
    filled = round(score * 4)
    return "#" * filled + "." * (20 - filled)


def _summary(data: ReportData, instrument: Instrument) -> list[Block]:
    card = data.scorecard
    level_name = instrument.scale[card.level]
    failing = card.failing_must_fix
    if card.status == STATUS_BLOCKED:
        status = (
            f"Status: BLOCKED - {len(failing)} must-fix legal gap"
            f"{'s' if len(failing) != 1 else ''}. "
            f"Overall maturity is capped at {instrument.must_fix_cap:.1f} until they are fixed."
        )
    else:
        status = "Status: CLEAR - every must-fix gate passes."
    overall = (
        f"Overall maturity: {_num(card.overall)} of 5 (level {card.level}, {level_name}); "
        f"uncapped average {_num(card.overall_raw)}."
    )
    people = ", ".join(r.label for r in data.respondents) or "none"
    return [
        Block("para", text=status),
        Block("para", text=overall),
        Block(
            "para",
            text=f"Respondents ({len(data.respondents)}): {people}. "
            f"Answered: {card.completion * 100:.0f}% of {len(instrument.questions)} questions "
            f"x {len(data.respondents)} respondents.",
        ),
    ]


def _domains(card: Scorecard, instrument: Instrument) -> list[Block]:
    rows = tuple(
        (
            d.domain_id,
            d.name,
            _num(d.score),
            _num(d.raw),
            f"{d.level} {instrument.scale[d.level]}",
            f"{d.answered}/{d.total}",
            ", ".join(d.failing_must_fix) or "-",
            _bar(d.score),
        )
        for d in card.domains
    )
    return [
        Block("heading", text="Scores by domain"),
        Block(
            "chart",
            text="Bars: domain score after the must-fix cap (red where a must-fix gate fails); "
            "dashed outline: the uncapped score.",
        ),
        Block(
            "table",
            headers=(
                "Domain",
                "Name",
                "Score",
                "Uncapped",
                "Level",
                "Answered",
                "Failing must-fix",
                "Chart (0-5)",
            ),
            rows=rows,
        ),
    ]


def _gate_result(m: MustFixResult) -> str:
    if not m.applicable:
        return "n/a (other side's duty)"
    return "pass" if m.passed else "FAIL"


def _must_fix(card: Scorecard, instrument: Instrument) -> list[Block]:
    rows = tuple(
        (
            m.question_id,
            instrument.question(m.question_id).title,
            m.law,
            str(m.min_level),
            _num(m.score),
            _gate_result(m),
        )
        for m in card.must_fix
    )
    return [
        Block("heading", text="Must-fix list"),
        Block(
            "para",
            text="Questions a law makes mandatory. A team score below the level needed blocks the "
            "assessment, whatever the average.",
        ),
        Block(
            "table",
            headers=("Question", "Title", "Law", "Needed", "Team score", "Result"),
            rows=rows,
        ),
    ]


def _gaps(card: Scorecard, instrument: Instrument) -> list[Block]:
    items = tuple(
        f"{g.question_id} {g.title} (team score {_num(g.score)}; reach level {g.target}"
        + (f"; must-fix under {g.must_fix_law}" if g.must_fix_law else "")
        + f"). Target: {g.action} Evidence to gather: {'; '.join(g.evidence)}."
        for g in top_gaps(instrument, card)
    )
    return [
        Block("heading", text="Top gaps and the evidence to gather"),
        Block("bullets", items=items),
    ]


def _plan(card: Scorecard, instrument: Instrument) -> list[Block]:
    out = [Block("heading", text="30 / 60 / 90-day plan")]
    plan = build_plan(instrument, card)
    names = {
        30: "First 30 days: close the legal gaps",
        60: "By day 60: unblock billing and prior authorization",
        90: "By day 90: raise the weakest practices",
    }
    for window in (30, 60, 90):
        steps = tuple(
            f"{p.gap.question_id} {p.gap.title}: reach level {p.gap.target} - {p.gap.action}"
            for p in plan
            if p.window == window
        )
        out.append(Block("heading", level=3, text=names[window]))
        out.append(Block("bullets", items=steps or ("Nothing required in this window.",)))
    return out


def _agenda(card: Scorecard, instrument: Instrument) -> list[Block]:
    rows = []
    for i, a in enumerate(build_agenda(instrument, card), start=1):
        s = a.score
        who = f"low: {', '.join(a.low)}" + (f"; high: {', '.join(a.high)}" if a.high else "")
        rows.append(
            (
                str(i),
                a.question_id,
                a.title,
                _num(s.agenda_score, 2),
                _num(s.mean),
                "n/a" if s.minimum is None else f"{s.minimum}-{s.maximum}",
                _num(s.stdev, 2),
                who if s.count else "no answers",
            )
        )
    return [
        Block("heading", text="Debrief agenda"),
        Block(
            "para",
            text="Ordered by gap and divergence (gap to level 5 + 2 x standard deviation): "
            "where the team scores low and where leaders disagree come first.",
        ),
        Block(
            "table",
            headers=("#", "Question", "Title", "Priority", "Team score", "Range", "Std dev", "Who"),
            rows=tuple(rows),
        ),
    ]


def _notes(data: ReportData, instrument: Instrument) -> list[Block]:
    if not data.notes:
        return []
    items = tuple(
        f"{qid} {instrument.question(qid).title} - {who}: {note}" for qid, who, note in data.notes
    )
    return [Block("heading", text="What respondents wrote"), Block("bullets", items=items)]


def _readiness(data: ReportData, instrument: Instrument) -> list[Block]:
    card = data.scorecard
    out = [Block("heading", text="Billing and operations readiness")]
    for area in instrument.readiness:
        out.append(Block("heading", level=3, text=area.label))
        if area.id == "ai_codes":
            codes = tuple((c.code, c.ai_category, c.family, c.description) for c in data.codes)
            out.append(
                Block(
                    "table",
                    headers=("Code", "AI category", "Family", "Service"),
                    rows=codes or (("-", "-", "-", "no AI-category codes in the store"),),
                )
            )
        rows = []
        for r in card.readiness:
            if r.area != area.id:
                continue
            blockers = "; ".join(
                f"{qid} {instrument.question(qid).title} ({_num(score)})"
                for qid, score in r.blockers
            )
            rows.append(
                (r.label, str(r.min_level), "ready" if r.ready else "NOT READY", blockers or "-")
            )
        out.append(
            Block(
                "table",
                headers=("Requirement", "Level needed", "Status", "Governance gaps in the way"),
                rows=tuple(rows),
            )
        )
    return out


def _change(data: ReportData, instrument: Instrument) -> list[Block]:
    out = [Block("heading", text="Change since the previous assessment")]
    ch = data.change
    if ch is None:
        return [
            *out,
            Block(
                "para",
                text="This is the organization's first assessment: no earlier round to compare.",
            ),
        ]
    out.append(
        Block(
            "para",
            text=f"Compared with {ch.previous_label}: overall {_num(ch.overall_previous)} -> "
            f"{_num(ch.overall_current)} ({_signed(ch.overall_delta)}); "
            f"status was {ch.status_previous}, now {data.scorecard.status}.",
        )
    )
    names = {d.id: d.name for d in instrument.domains}
    rows = tuple(
        (d.domain_id, names[d.domain_id], _num(d.previous), _num(d.current), _signed(d.delta))
        for d in ch.domains
    )
    out.append(Block("table", headers=("Domain", "Name", "Previous", "Now", "Change"), rows=rows))
    out.append(
        Block(
            "bullets",
            items=(
                "Must-fix gates cleared: " + (", ".join(ch.cleared) or "none"),
                "New must-fix failures: " + (", ".join(ch.new_failures) or "none"),
            ),
        )
    )
    return out


def _appendix(data: ReportData, instrument: Instrument) -> list[Block]:
    card = data.scorecard
    rows = []
    for q in card.questions:
        given = dict(q.answers)
        mark = " (must-fix)" if instrument.question(q.question_id).must_fix else ""
        rows.append(
            (
                q.question_id,
                instrument.question(q.question_id).title + mark,
                _num(q.mean),
                str(q.spread),
                _num(q.stdev, 2),
                *(str(given[w]) if w in given else "-" for w in card.respondents),
            )
        )
    return [
        Block("heading", text="Appendix: every question by respondent"),
        Block(
            "table",
            headers=("Question", "Title", "Team", "Range", "Std dev", *card.respondents),
            rows=tuple(rows),
        ),
    ]


def build_blocks(data: ReportData, instrument: Instrument, generated_at: str) -> list[Block]:
    """The report's content, format-neutral."""
    card = data.scorecard
    kind = data.organization.kind
    blocks = [
        Block("heading", level=1, text=f"AI-governance readiness: {data.organization.name}"),
        Block(
            "para",
            text=f"Assessment: {data.assessment.label} (round {data.assessment.seq}). "
            f"Organization kind: {_KIND_LABELS.get(kind, kind)}. "
            f"Instrument {instrument.title} version {card.instrument_version}. "
            f"Generated {generated_at}.",
        ),
    ]
    blocks += _summary(data, instrument)
    blocks += _domains(card, instrument)
    blocks += _must_fix(card, instrument)
    blocks += _gaps(card, instrument)
    blocks += _plan(card, instrument)
    blocks += _agenda(card, instrument)
    blocks += _notes(data, instrument)
    blocks += _readiness(data, instrument)
    blocks += _change(data, instrument)
    blocks += _appendix(data, instrument)
    blocks.append(
        Block(
            "para",
            text="Method: team score = mean of respondents' levels (0 = not in place or unknown); "
            "domain = mean of its questions; overall = mean of domains; a failing must-fix gate "
            "caps the overall and its domain. See docs/assessment.md. This is not legal advice.",
        )
    )
    return blocks


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


# ------------------------------------------------------------------------------- HTML
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


# ------------------------------------------------------------------------------- PDF
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
