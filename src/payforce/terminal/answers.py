"""The text of ``payforce outlook``, ``role`` and ``signals``, from their JSON-ready answers.

The same functions print a fresh answer and a cached one (:mod:`payforce.terminal.quick`), so the
two can never differ. Standard library only.
"""

from __future__ import annotations

import sys
from collections.abc import Callable
from typing import Any

from payforce.forecasts.current import forecast_sentence
from payforce.terminal.layout import Column, Page, wrap
from payforce.terminal.words import (
    CONFIDENCE_NOTE,
    DIRECTION,
    QUESTION_LEGEND,
    SCORE_NOTE,
    freshness_lines,
    question_name,
)

__all__ = [
    "evidence_text",
    "print_answer",
    "render_outlook",
    "render_role",
    "render_signals",
    "write_freshness",
]


def evidence_text(page: Page, signal: dict[str, Any], limit: int | None = None) -> str:
    """A signal's evidence as one sentence: each item's label and value, linked to its source."""
    items = signal.get("evidence") or []
    shown = items if limit is None else items[:limit]
    parts = []
    for e in shown:
        text = e["label"] + (f" — {e['value']}" if e.get("value") else "")
        parts.append(page.link(text, e.get("url")))
    more = len(items) - len(shown)
    tail = f"; and {more} more (see --json)" if more > 0 else ""
    return "; ".join(parts) + tail


def render_outlook(data: dict[str, Any], page: Page) -> None:
    """Every role's outlook: a table of verdicts, the strongest evidence under each role."""
    page.text(f"Workforce outlook as of {data['as_of']} (only evidence published by then)")
    rows, notes = [], []
    for o in data["outlooks"]:
        rows.append(
            [
                f"{o['title']}{_proxy_mark(o)}\n{o['role']}",
                DIRECTION.get(o["direction"], o["direction"]),
                f"{o['score']:+.2f}",
                f"{o['confidence']:.2f}",
                str(o["signal_count"]),
            ]
        )
        s = o.get("strongest")
        notes.append(
            f"Strongest ({question_name(s['question'])}): {s['summary']}. "
            f"Evidence: {evidence_text(page, s, limit=2)}"
            if s
            else ""
        )
    page.table(
        [
            "Role",
            "Outlook",
            Column("Score (points)", "right"),
            Column("Confidence (0–1)", "right"),
            Column("Signals", "right"),
        ],
        rows,
        notes=notes,
    )
    page.blank()
    for line in (SCORE_NOTE, CONFIDENCE_NOTE, QUESTION_LEGEND):
        page.text(line)
    if any(_proxy_mark(o) for o in data["outlooks"]):
        page.text(
            "≈ the role's labour figures are another occupation's statistics or a larger "
            "group's (a proxy): payforce role ROLE says which."
        )
    page.text("Details and all evidence for one role: payforce role ROLE")


def _proxy_mark(o: dict[str, Any]) -> str:
    labour = o.get("labour") or {}
    return " ≈" if labour and not labour.get("own_figures", True) else ""


def _labour(page: Page, r: dict[str, Any], lab: dict[str, Any] | None = None) -> str:
    lab = lab or {}
    wage = f"${r['median_wage']:,.0f} a year" if r.get("median_wage") else "not published"
    emp = f"{r['employment']:,}" if r.get("employment") else "not published"
    what = lab.get("measured_as") or f"{r.get('onet_title') or r['title']}, SOC {r.get('soc')}"
    year = (r.get("wage_year") or "")[:4]
    public = f", public {lab['oews_available_from']}" if lab.get("oews_available_from") else ""
    parts = [
        f"Labour market ({what}):",
        f"employment {emp}; median wage {wage} (OEWS May {year or 'n/a'}{public});",
    ]
    if r.get("projection_pct") is not None:
        ep_public = (
            f", public {lab['projection_available_from']}"
            if lab.get("projection_available_from")
            else ""
        )
        parts.append(
            f"projected change {r['projection_pct']:+g}% in total over "
            f"{r.get('projection_period') or 'the projection period'} (BLS{ep_public});"
        )
    openings = r.get("annual_openings")
    parts.append(f"{openings:,} openings per year" if openings else "openings not published")
    parts.append(f"[{r.get('confidence')} confidence].")
    text = " ".join(parts)
    if lab and not lab.get("own_figures", True):
        text += f" ≈ Proxy: these are not the role's own statistics. {lab.get('proxy_note')}."
    if r.get("source_url"):
        text += " Source: " + page.link("BLS / O*NET", r["source_url"])
    return text


def _verdict(o: dict[str, Any]) -> str:
    direction = DIRECTION.get(o["direction"], o["direction"])
    if o["direction"] == "none":
        return f"As of {o['as_of']}: no payment-policy signal for this role yet."
    return (
        f"Verdict as of {o['as_of']}: {direction} — score {o['score']:+.2f} points "
        f"(growth {o['growth']:.2f}, pressure {o['pressure']:.2f}, pivot {o['pivot']:.2f}), "
        f"confidence {o['confidence']:.2f} of 1, from {o['signal_count']} signals."
    )


def _funding(page: Page, pivot: dict[str, Any], limit: int = 6) -> str:
    """The curated 'funded by' line, then the codes, rules and metrics behind it, linked."""
    by_kind: dict[str, dict[str, str]] = {}
    for e in pivot.get("funding") or []:
        by_kind.setdefault(e["kind"], {}).setdefault(e["ref"], e.get("url") or "")
    names = {"code": "codes", "document": "rules", "metric": "metrics"}
    parts = [f"Funded by: {pivot['funded_by']}." if pivot.get("funded_by") else "Funded by:"]
    for kind, refs in by_kind.items():
        shown = [page.link(ref, url) for ref, url in list(refs.items())[:limit]]
        more = f" and {len(refs) - limit} more" if len(refs) > limit else ""
        parts.append(f"{names.get(kind, kind)}: {', '.join(shown)}{more}.")
    return " ".join(parts)


def render_role(data: dict[str, Any], page: Page) -> None:
    """One role: verdict first, then the labour market, the evidence, and pivot paths."""
    r, o = data["role"], data["outlook"]
    page.text(f"{r['title']} ({r['key']}), resolved from {data['query']!r}")
    page.text(_verdict(o))
    page.text(_labour(page, r, data.get("labour")))
    if data.get("forecast"):
        page.text(forecast_sentence(data["forecast"]))  # payforce.forecasts.current
    rows, notes = [], []
    for s in o.get("signals", []):
        rows.append(
            [
                question_name(s["question"]),
                s["direction"],
                f"{s['weight']:.3f}",
                s["published"],
            ]
        )
        notes.append(f"{s['summary']}. Evidence: {evidence_text(page, s)}")
    page.table(
        ["Question", "Direction", Column("Weight (points)", "right"), "Published"],
        rows,
        title="Why, strongest first (each signal's weight adds to the score):",
        notes=notes,
    )
    if data.get("pivots"):
        rows, notes = [], []
        for p in data["pivots"]:
            wage = p.get("wage_change_pct")
            rows.append(
                [
                    f"{p.get('title') or p.get('target')}\n{p.get('target')}",
                    f"{p.get('outlook_gain', 0):+.2f}",
                    "n/a"
                    if wage is None
                    else f"{wage:+.0f}%" + ("" if p.get("wage_scored", True) else " ≈"),
                    ", ".join(p.get("credentials", [])) or "none",
                ]
            )
            skills = ", ".join(p.get("skills", [])) or "none listed"
            wage_note = f"Wage change {p['wage_note']}. " if p.get("wage_note") else ""
            notes.append(f"{wage_note}Skills to build: {skills}. {_funding(page, p)}")
        page.table(
            [
                "Pivot to",
                Column("Outlook gain (points)", "right"),
                Column("Median wage change", "right"),
                "Credentials",
            ],
            rows,
            title="Pivot paths (roles with a better outlook):",
            notes=notes,
        )
    page.blank()
    for line in (SCORE_NOTE, CONFIDENCE_NOTE, QUESTION_LEGEND):
        page.text(line)
    if data.get("attribution"):
        page.text(data["attribution"])


def render_signals(data: dict[str, Any], page: Page) -> None:
    """Signals with their evidence, newest first as gathered."""
    rows, notes = [], []
    for s in data["signals"]:
        lead = s.get("lead_time_days")
        rows.append(
            [
                s["published"],
                s["role"],
                question_name(s["question"]),
                s["direction"],
                f"{s['strength']:.2f}",
                "" if lead is None else str(lead),
            ]
        )
        notes.append(f"{s['summary']}. Evidence: {evidence_text(page, s)}")
    page.table(
        [
            "Published",
            "Role",
            "Question",
            "Direction",
            Column("Strength (0–1)", "right"),
            Column("Lead time (days)", "right"),
        ],
        rows,
        title=f"{data['count']} signals as of {data['as_of']}",
        notes=notes,
    )
    page.blank()
    page.text(QUESTION_LEGEND)
    page.text(
        "Strength, 0 to 1: how directly the evidence funds or squeezes the role's work. "
        "Lead time: days from publication to the rule taking effect."
    )


RENDERERS: dict[str, Callable[[dict[str, Any], Page], None]] = {
    "outlook": render_outlook,
    "role": render_role,
    "signals": render_signals,
}


def write_freshness(freshness: dict[str, Any] | None, width: int = 80) -> None:
    """The freshness statement on stdout; the stale-store warning, if any, on stderr."""
    statement, warning = freshness_lines(freshness)
    sys.stdout.write("\n".join(wrap(statement, width)) + "\n")
    if warning:
        sys.stderr.write("\n".join(wrap(warning, width)) + "\n")


def print_answer(command: str, data: dict[str, Any], page: Page | None = None) -> None:
    """Render one answer for the terminal and print it, with the freshness line."""
    page = page or Page.for_terminal()
    RENDERERS[command](data, page)
    page.blank()
    sys.stdout.write(page.render() + "\n")
    write_freshness(data.get("freshness"), page.width)
