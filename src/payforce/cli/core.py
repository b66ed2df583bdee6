"""Core commands: init, outlook, role, trace, signals, docs, codes."""

from __future__ import annotations

from typing import Annotated, Any

import typer

from payforce.cli.app import (
    AsOfOption,
    DbOption,
    JsonOption,
    app,
    emit_json,
    err,
    get_settings,
    open_cli_store,
    out,
    parse_date,
)
from payforce.errors import InputError

RoleOption = Annotated[str | None, typer.Option("--role", help="Only this role (free text).")]


def _console() -> Any:
    from rich.console import Console

    return Console(soft_wrap=False, width=max(120, Console().width))


def _table(title: str, columns: list[str]) -> Any:
    from rich.table import Table

    table = Table(title=title, title_justify="left", show_lines=False)
    for c in columns:
        table.add_column(c, overflow="fold")
    return table


ARROW = {"growth": "▲ growth", "pressure": "▼ pressure", "pivot": "↔ pivot", "none": "· none"}


@app.command()
def init(
    reset: Annotated[
        bool, typer.Option("--reset", help="Delete and rebuild the database.")
    ] = False,
    db: DbOption = None,
    json: JsonOption = False,
) -> None:
    """Create the store and load the bundled snapshot (loading twice changes nothing).

    Example: payforce init --reset
    """
    from payforce.store.db import Store
    from payforce.store.snapshot import load_snapshot, reset_store

    settings = get_settings(db)
    store = reset_store(settings.database_url) if reset else Store.open(settings.database_url)
    counts = load_snapshot(store, progress=lambda step: err(f"  loading {step}"))
    if json:
        emit_json({"database": store.url, "rows": counts})
        return
    out(f"payforce store ready at {store.url}")
    for table, n in counts.items():
        out(f"  {table}: {n} rows")


@app.command()
def outlook(
    as_of: AsOfOption = None,
    role: RoleOption = None,
    db: DbOption = None,
    json: JsonOption = False,
) -> None:
    """Roles that payment policy is growing, pressuring or pushing to pivot, and why.

    Example: payforce outlook --as-of 2016-01-01
    """
    from payforce.views.gather import gather_outlook

    day = parse_date(as_of, "--as-of")
    assert day is not None
    data = gather_outlook(open_cli_store(db), day, role)
    if json:
        emit_json(data)
        return
    table = _table(
        f"Workforce outlook as of {data['as_of']} (evidence published by then)",
        ["role", "direction", "score", "conf.", "signals", "strongest evidence"],
    )
    for o in data["outlooks"]:
        s = o["strongest"]
        why = ""
        if s:
            summary = s["summary"] if len(s["summary"]) <= 110 else s["summary"][:109] + "…"
            why = f"Q{s['question']} {summary} [{s['evidence'][0]['label']}]"
        table.add_row(
            f"{o['title']}\n[dim]{o['role']}[/dim]",
            ARROW[o["direction"]],
            f"{o['score']:+.2f}",
            f"{o['confidence']:.2f}",
            str(o["signal_count"]),
            why,
        )
    console = _console()
    console.print(table)
    console.print(
        "score = Σ growth − Σ pressure of signal weights (strength × confidence × recency); "
        "see docs/method.md. Details: payforce role ROLE",
        style="dim",
    )


def _evidence_lines(signal: dict[str, Any]) -> str:
    return "\n".join(
        f"• {e['label']}"
        + (f" — {e['value']}" if e["value"] else "")
        + (f" <{e['url']}>" if e["url"] else "")
        for e in signal["evidence"]
    )


@app.command()
def role(
    text: Annotated[str, typer.Argument(help="A role in your words, e.g. 'UR nurse' or 'coder'.")],
    as_of: AsOfOption = None,
    db: DbOption = None,
    json: JsonOption = False,
) -> None:
    """What policy says about a role: outlook, signals with evidence, wages, pivot paths.

    Example: payforce role "prior auth"
    """
    from payforce.views.gather import gather_role

    day = parse_date(as_of, "--as-of")
    assert day is not None
    data = gather_role(open_cli_store(db), text, day)
    if json:
        emit_json(data)
        return
    r, o = data["role"], data["outlook"]
    console = _console()
    console.print(f"[bold]{r['title']}[/bold] ({r['key']}) — resolved from {text!r}")
    console.print(
        f"Outlook as of {o['as_of']}: [bold]{ARROW[o['direction']]}[/bold], "
        f"score {o['score']:+.2f} "
        f"(growth {o['growth']:.2f}, pressure {o['pressure']:.2f}, pivot {o['pivot']:.2f}), "
        f"confidence {o['confidence']:.2f}, {o['signal_count']} signals"
    )
    wage = f"${r['median_wage']:,.0f}" if r["median_wage"] else "not published"
    emp = f"{r['employment']:,}" if r["employment"] else "n/a"
    console.print(
        f"Labour market ({r['onet_title']}, SOC {r['soc']}): employment {emp}, median wage {wage} "
        f"(OEWS {r['wage_year']}), projection {r['projection_pct']}% {r['projection_period']}, "
        f"{r['annual_openings'] or 'n/a'} openings a year [{r['confidence']} confidence]"
    )
    table = _table("Why (strongest first)", ["Q", "dir.", "weight", "signal", "evidence"])
    for s in o["signals"]:
        table.add_row(
            str(s["question"]),
            s["direction"],
            f"{s['weight']:.3f}",
            s["summary"],
            _evidence_lines(s),
        )
    console.print(table)
    if data["pivots"]:
        pt = _table(
            "Pivot paths (targets with a better outlook)",
            ["to", "outlook gain", "wage", "credentials", "skills", "funded by (evidence)"],
        )
        for p in data["pivots"]:
            pt.add_row(
                str(p.get("title") or p.get("target")),
                f"{p.get('outlook_gain', 0):+.2f}",
                _wage_change(p.get("wage_change_pct")),
                ", ".join(p.get("credentials", [])),
                ", ".join(p.get("skills", [])),
                _funding(p),
            )
        console.print(pt)
    if data["attribution"]:
        console.print(data["attribution"], style="dim")


def _wage_change(pct: float | None) -> str:
    return "n/a" if pct is None else f"{pct:+.0f}%"


def _funding(pivot: dict[str, Any], limit: int = 6) -> str:
    """The curated 'funded by' line, then the codes, rules and metrics behind it."""
    by_kind: dict[str, list[str]] = {}
    for e in pivot.get("funding", []):
        refs = by_kind.setdefault(e["kind"], [])
        if e["ref"] not in refs:
            refs.append(e["ref"])
    names = {"code": "codes", "document": "rules", "metric": "metrics"}
    lines = [str(pivot.get("funded_by", ""))]
    for kind, refs in by_kind.items():
        more = f" +{len(refs) - limit}" if len(refs) > limit else ""
        lines.append(f"{names.get(kind, kind)}: {', '.join(refs[:limit])}{more}")
    return "\n".join(line for line in lines if line)


@app.command()
def trace(
    target: Annotated[str, typer.Argument(help="A billing code (99490) or family key (ccm).")],
    as_of: AsOfOption = None,
    db: DbOption = None,
    json: JsonOption = False,
) -> None:
    """A code or family: its operational chain, payment by year, rules, roles and signals.

    Example: payforce trace 99490
    """
    from payforce.views.gather import gather_trace

    day = parse_date(as_of, "--as-of")
    assert day is not None
    data = gather_trace(open_cli_store(db), target, day)
    if json:
        emit_json(data)
        return
    f = data["family"]
    console = _console()
    console.print(f"[bold]{f['name']}[/bold] ({f['key']}), workflow: {f['workflow']}")
    console.print(f"Time per unit: {f['minutes_per_unit']} min; supervision: {f['supervision']}")
    for step in ("performs", "supervises", "documents", "bills"):
        if f["chain"].get(step):
            console.print(f"  {step:10s} → {', '.join(f['chain'][step])}")
    console.print(f"  source: {f['source']}", style="dim")
    ct = _table("Codes", ["code", "system", "first paid", "AI", "our description"])
    for c in data["codes"]:
        ct.add_row(c.code, c.system, str(c.first_paid_year or "?"), c.ai_category, c.description)
    console.print(ct)
    pt = _table(
        "National payment by year", ["code", "year", "setting", "RVU", "CF", "payment", "source"]
    )
    for v in data["payments"]:
        pt.add_row(
            v.code,
            str(v.year),
            v.setting,
            f"{v.total_rvu:.2f}" if v.total_rvu else "",
            f"{v.conversion_factor:.4f}" if v.conversion_factor else "",
            ("~" if v.approximate else "")
            + (f"${v.payment:,.2f}" if v.payment is not None else ""),
            v.source,
        )
    console.print(pt)
    dt = _table("Documents that created or changed it", ["document", "type", "published", "title"])
    for d in data["documents"]:
        dt.add_row(d.document_number, d.type, d.publication_date.isoformat(), d.title[:90])
    console.print(dt)
    st = _table(f"Signals as of {data['as_of']}", ["role", "Q", "dir.", "strength", "summary"])
    for s in data["signals"]:
        st.add_row(
            s["role"], str(s["question"]), s["direction"], f"{s['strength']:.2f}", s["summary"]
        )
    console.print(st)


@app.command()
def signals(
    as_of: AsOfOption = None,
    question: Annotated[
        int | None, typer.Option("--question", min=1, max=5, help="Framework question 1..5.")
    ] = None,
    since: Annotated[
        str | None, typer.Option("--since", help="Published on or after YYYY-MM-DD.")
    ] = None,
    role: RoleOption = None,
    db: DbOption = None,
    json: JsonOption = False,
) -> None:
    """List signals with their evidence, filtered by question, date and role.

    Example: payforce signals --question 5 --as-of 2014-08-01
    """
    from payforce.views.gather import gather_signals

    day = parse_date(as_of, "--as-of")
    assert day is not None
    data = gather_signals(
        open_cli_store(db), day, question, parse_date(since, "--since", default_today=False), role
    )
    if json:
        emit_json(data)
        return
    table = _table(
        f"{data['count']} signals as of {data['as_of']}",
        ["published", "role", "Q", "dir.", "strength", "lead (days)", "summary", "evidence"],
    )
    for s in data["signals"]:
        table.add_row(
            s["published"],
            s["role"],
            str(s["question"]),
            s["direction"],
            f"{s['strength']:.2f}",
            str(s["lead_time_days"] if s["lead_time_days"] is not None else ""),
            s["summary"],
            _evidence_lines(s),
        )
    _console().print(table)


@app.command()
def docs(
    doc_type: Annotated[str | None, typer.Option("--type", help="proposed or final.")] = None,
    since: Annotated[
        str | None, typer.Option("--since", help="Published on or after YYYY-MM-DD.")
    ] = None,
    open_for_comment: Annotated[
        bool, typer.Option("--open-for-comment", help="Only documents whose comments are open.")
    ] = False,
    as_of: AsOfOption = None,
    db: DbOption = None,
    json: JsonOption = False,
) -> None:
    """Policy documents with proposed ↔ final links, lead times and comment windows.

    Example: payforce docs --type proposed --since 2020-01-01
    """
    from payforce.views.gather import gather_documents

    if doc_type is not None and doc_type not in {"proposed", "final"}:
        raise InputError(f"--type: expected proposed or final ({doc_type!r})")
    day = parse_date(as_of, "--as-of")
    assert day is not None
    data = gather_documents(
        open_cli_store(db),
        day,
        doc_type,
        parse_date(since, "--since", default_today=False),
        open_for_comment=open_for_comment,
    )
    if json:
        emit_json(data)
        return
    table = _table(
        f"{data['count']} documents",
        [
            "document",
            "type",
            "published",
            "effective",
            "comments close",
            "file code",
            "linked",
            "lead (days)",
            "title",
        ],
    )
    for d in data["documents"]:
        linked = (
            f"final {d['final']}"
            if d["final"]
            else (f"proposed {d['proposed']}" if d["proposed"] else "")
        )
        table.add_row(
            d["document_number"],
            d["type"],
            d["publication_date"].isoformat(),
            d["effective_date"].isoformat() if d["effective_date"] else "",
            d["comments_close_date"].isoformat() if d["comments_close_date"] else "",
            d["file_code"],
            linked,
            str(d["lead_time_days"] or ""),
            d["title"][:80],
        )
    _console().print(table)


@app.command()
def codes(
    family: Annotated[
        str | None, typer.Option("--family", help="Family key, e.g. ccm or rpm.")
    ] = None,
    new_in: Annotated[int | None, typer.Option("--new-in", help="First paid in this year.")] = None,
    as_of: AsOfOption = None,
    db: DbOption = None,
    json: JsonOption = False,
) -> None:
    """Billing codes with family, first paid year, AI category and latest national payment.

    Example: payforce codes --family rpm --new-in 2026
    """
    from payforce.views.gather import gather_codes

    data = gather_codes(open_cli_store(db), family, new_in, parse_date(as_of, "--as-of"))
    if json:
        emit_json(data)
        return
    table = _table(
        f"{data['count']} codes",
        ["code", "family", "first paid", "AI", "payment", "threshold", "our description"],
    )
    for c in data["codes"]:
        pay = ""
        if c["payment"] is not None:
            pay = (
                "~" if c["payment_approximate"] else ""
            ) + f"${c['payment']:,.2f} ({c['payment_year']})"
        table.add_row(
            c["code"],
            c["family"],
            str(c["first_paid_year"] or "?"),
            c["ai_category"],
            pay,
            c["threshold"],
            c["description"],
        )
    _console().print(table)
