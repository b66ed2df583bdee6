"""The readiness report's content as format-neutral blocks (headings, paragraphs, tables, chart).

``build_blocks`` turns the gathered :class:`ReportData` into plain blocks; the renderers in
:mod:`payforce.assessment.report`, ``report_html`` and ``report_pdf`` write them in their format.
"""

from __future__ import annotations

from dataclasses import dataclass

from payforce.assessment.instrument import Instrument
from payforce.assessment.plan import build_agenda, build_plan, top_gaps
from payforce.assessment.scoring import STATUS_BLOCKED, MustFixResult, Scorecard
from payforce.assessment.service import ReportData

__all__ = ["Block", "build_blocks"]


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
