"""Markdown workforce brief: the same gathered data as the pages, charts as tables.

Input is :func:`payforce.web.views.gather_report` output; the text depends only on it (``as_of``
and ``generated_at`` are given), so a golden file pins it.
"""

from __future__ import annotations

from typing import Any

from payforce.web.svg import chart_rows

__all__ = ["freshness_sentence", "render_markdown"]


def _cell(value: object) -> str:
    text = "" if value is None else str(value)
    return text.replace("|", "\\|").replace("\n", " ").strip()


def _table(header: list[str], rows: list[list[str]]) -> list[str]:
    out = [
        "| " + " | ".join(_cell(h) for h in header) + " |",
        "|" + "|".join("---" for _ in header) + "|",
    ]
    out += ["| " + " | ".join(_cell(c) for c in row) + " |" for row in rows]
    return out


def _money(value: float | None) -> str:
    return "—" if value is None else f"${value:,.0f}"


def _chart(spec: dict[str, Any], level: int) -> list[str]:
    header, rows = chart_rows(spec)
    return [f"{'#' * level} {spec['title']}", "", *_table(header, rows), ""]


def _signals(signals: list[dict[str, Any]], show_role: bool) -> list[str]:
    out = []
    for s in signals:
        who = f"{s['role_title']}: " if show_role else ""
        out.append(f"- **{s['direction']}** — {who}{s['summary']} (published {s['published']})")
        for e in s["evidence"]:
            link = f" <{e['url']}>" if e["url"] else ""
            value = f" — {e['value']}" if e["value"] else ""
            out.append(f"  - {e['label']}{value}{link}")
    return out or ["- No signal yet."]


def _dashboard(d: dict[str, Any], level: int) -> list[str]:
    h = "#" * level
    c = d["counts"]
    out = [
        f"{h} Outlook of every role",
        "",
        f"As of {d['as_of']}: {c['growth']} growing, {c['pressure']} under pressure, "
        f"{c['pivot']} shifting, {c['none']} without a signal.",
        "",
        *_table(
            ["Role", "Outlook", "Score", "Signals", "Strongest reason"],
            [
                [
                    o["title"],
                    o["direction"],
                    f"{o['score']:+.2f}",
                    str(o["signal_count"]),
                    o["top_signal"],
                ]
                for o in d["outlooks"]
            ],
        ),
        "",
        f"{h} Newest signals",
        "",
        *_signals(d["newest_signals"], True),
        "",
        f"{h} Comment deadlines and effective dates",
        "",
    ]
    for caption, events in (
        (f"Coming up after {d['as_of']}", d["upcoming"]),
        (f"In the year before {d['as_of']}", d["recent"]),
    ):
        out += [f"{caption}:", ""]
        out += (
            _table(
                ["Date", "What", "Document"],
                [[str(e["date"]), e["what"], e["label"]] for e in events],
            )
            if events
            else ["None."]
        )
        out.append("")
    out += [f"{h} Charts", ""]
    for spec in d["charts"]:
        out += _chart(spec, level + 1)
    return out


def _role(r: dict[str, Any], level: int) -> list[str]:
    h = "#" * level
    out = [r["sentence"], ""]
    o = r["outlook"]
    if o:
        out += [
            f"Outlook: **{o['direction_words']}**, score {o['score']:+.2f} (growth "
            f"{o['growth']:.2f}, pressure {o['pressure']:.2f}, pivot {o['pivot']:.2f}).",
            "",
        ]
    out += [
        f"{h} Why: the evidence",
        "",
        *_signals(r["signals"], False),
        "",
        f"{h} Where this role can pivot",
        "",
    ]
    for p in r["pivots"]:
        out.append(
            f"- **{p['title']}** — skills: {'; '.join(p['skills']) or '—'}; credentials: "
            f"{'; '.join(p['credentials']) or '—'}; funded by: {p['funded_by'] or '—'}"
        )
    if not r["pivots"]:
        out.append("No pivot path is recorded for this role.")
    out += ["", f"{h} Wages, employment and projections", ""]
    out += _table(
        ["Role", "Median wage", "Employment", "Projected change", "Openings / year"],
        [
            [
                x["title"],
                _money(x["median_wage"]),
                "—" if x["employment"] is None else f"{x['employment']:,}",
                "—"
                if x["projection_pct"] is None
                else f"{x['projection_pct']:+.1f}% {x['projection_period']}".strip(),
                "—" if x["annual_openings"] is None else f"{x['annual_openings']:,}",
            ]
            for x in r["labour"]
        ],
    )
    out.append("")
    for spec in r["charts"]:
        out += _chart(spec, level + 1)
    return out


def freshness_sentence(f: dict[str, Any] | None) -> str:
    """The brief's freshness line: newest evidence date, and a warning when stale."""
    if not f or not f.get("newest_evidence"):
        return ""
    if f.get("stale"):
        return (
            f"The store may be out of date: its newest evidence is from {f['newest_evidence']} "
            f"({f['source']}), {f['age_days']} days before {f['compared_with']}. "
            f"Run `{f['update_with']}` to bring it up to date."
        )
    return f"Newest evidence in the store: {f['newest_evidence']} ({f['source']})."


def render_markdown(report: dict[str, Any]) -> str:
    """The brief as Markdown text (ends with one newline)."""
    out = [
        f"# {report['title']}",
        "",
        f"Evidence public as of {report['as_of']}. Generated {report['generated_at']} by payforce.",
        "",
    ]
    if freshness_sentence(report.get("freshness")):
        out += [freshness_sentence(report.get("freshness")), ""]
    if report["role"]:
        out += [
            f"## {report['role']['role'].title}",
            "",
            *_role(report["role"], 3),
            "## The wider picture",
            "",
            *_dashboard(report["dashboard"], 3),
        ]
    else:
        out += _dashboard(report["dashboard"], 2)
    while out and out[-1] == "":
        out.pop()
    return "\n".join(out) + "\n"
