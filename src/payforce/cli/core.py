"""Core commands: init, outlook, role, trace, signals, docs, codes."""

from __future__ import annotations

from datetime import date
from typing import Annotated, Any

import typer

from payforce.cli.app import (
    QUESTION_LEGEND,
    AsOfOption,
    DbOption,
    JsonOption,
    app,
    current_store,
    emit_json,
    err,
    get_settings,
    open_cli_store,
    out,
    page,
    parse_date,
    question_name,
    show,
    skip_freshness,
    store_freshness,
)
from payforce.errors import InputError
from payforce.terminal.layout import Column

RoleOption = Annotated[str | None, typer.Option("--role", help="Only this role (free text).")]


def _answer(command: str, request: dict[str, Any], data: dict[str, Any], json: bool) -> None:
    """Print a fresh answer of outlook / role / signals and keep it for the fast read path."""
    import json as jsonlib
    import os

    from payforce.serialize import to_jsonable
    from payforce.terminal import quick
    from payforce.terminal.answers import print_answer

    store = current_store()
    assert store is not None
    answer = {"ok": True, **to_jsonable(data), "freshness": store_freshness(store)}
    request = {"command": command, **{k: v for k, v in request.items() if v is not None}}
    database = quick._database_file(request.get("db"), os.environ)
    if database is not None:
        quick.save(request, database, answer, date.today())
    skip_freshness()
    if json:
        out(jsonlib.dumps(answer, indent=2, ensure_ascii=False), raw=True)
        return
    print_answer(command, answer)


@app.command()
def init(
    reset: Annotated[
        bool,
        typer.Option(
            "--reset",
            help="Rebuild the reference data (snapshot and synced sources); keeps your "
            "watches and assessments.",
        ),
    ] = False,
    include_user_data: Annotated[
        bool,
        typer.Option(
            "--include-user-data",
            help="With --reset: also delete watches, digests and assessments (asks first; "
            "a backup is written before).",
        ),
    ] = False,
    yes: Annotated[bool, typer.Option("--yes", help="Do not ask; assume yes.")] = False,
    db: DbOption = None,
    json: JsonOption = False,
) -> None:
    """Create the store and load the bundled snapshot (loading twice changes nothing).

    Example: payforce init --reset
    """
    from payforce.cli.userdata import confirm_user_data_loss
    from payforce.store.db import Store
    from payforce.store.snapshot import load_snapshot, reset_store

    if include_user_data and not reset:
        raise InputError("--include-user-data: only with --reset", hint="payforce init --reset")
    settings = get_settings(db)
    kept = ""
    backup = None
    if reset:
        from payforce.store.userdata import describe_counts, user_data_counts

        counts_before = user_data_counts(Store.open(settings.database_url, allow_empty=True))
        if include_user_data:
            backup = confirm_user_data_loss(settings, counts_before, yes, "init --reset")
        else:
            kept = describe_counts(counts_before)
    store = (
        reset_store(settings.database_url, include_user_data=include_user_data)
        if reset
        else Store.open(settings.database_url, allow_empty=True)  # init builds an empty file
    )
    counts = load_snapshot(store, progress=lambda step: err(f"  loading {step}"))
    if json:
        emit_json(
            {
                "database": store.url,
                "rows": counts,
                "kept_user_data": kept or None,
                "backup": None if backup is None else str(backup),
            }
        )
        return
    out(f"payforce store ready at {store.url}")
    for table, n in counts.items():
        out(f"  {table}: {n} rows")
    if reset and not include_user_data:
        out(f"Rebuilt the reference data; kept your data: {kept}.")
        out("Synced sources were cleared: run payforce sync … again to bring them back.")
    if backup is not None:
        out(f"Deleted your data; a backup was written first: {backup}")


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
    _answer("outlook", {"as_of": _iso(as_of), "role": role, "db": db}, data, json)


def _iso(text: str | None) -> str | None:
    return None if text is None else date.fromisoformat(text).isoformat()


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
    _answer("role", {"text": text, "as_of": _iso(as_of), "db": db}, data, json)


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
    p = page()
    p.text(f"{f['name']} ({f['key']}), workflow: {f['workflow']}")
    p.text(f"Time per unit: {f['minutes_per_unit']} minutes; supervision: {f['supervision']}")
    for step in ("performs", "supervises", "documents", "bills"):
        if f["chain"].get(step):
            p.item(f"{step:10s} →", ", ".join(f["chain"][step]))
    p.text(f"Source: {f['source']}")
    p.table(
        ["Code", "System", "First paid", "AI category", "Our description"],
        [
            [c.code, c.system, str(c.first_paid_year or "?"), c.ai_category, c.description]
            for c in data["codes"]
        ],
        title="Codes",
    )
    p.table(
        [
            "Code",
            "Year",
            "Setting",
            Column("RVU", "right"),
            Column("CF ($ per RVU)", "right"),
            Column("Payment", "right"),
        ],
        [
            [
                v.code,
                str(v.year),
                v.setting,
                f"{v.total_rvu:.2f}" if v.total_rvu else "",
                f"{v.conversion_factor:.4f}" if v.conversion_factor else "",
                ("~" if v.approximate else "")
                + (f"${v.payment:,.2f}" if v.payment is not None else ""),
            ]
            for v in data["payments"]
        ],
        title="National Medicare payment by year (~ = a rounded published figure)",
        notes=[f"Source: {v.source}" if v.source else "" for v in data["payments"]],
    )
    p.table(
        ["Document", "Type", "Published"],
        [
            [p.link(d.document_number, d.url), d.type, d.publication_date.isoformat()]
            for d in data["documents"]
        ],
        title="Documents that created or changed it",
        notes=[d.title for d in data["documents"]],
    )
    p.table(
        ["Role", "Question", "Direction", Column("Strength (0–1)", "right")],
        [
            [s["role"], question_name(s["question"]), s["direction"], f"{s['strength']:.2f}"]
            for s in data["signals"]
        ],
        title=f"Signals as of {data['as_of']}",
        notes=[s["summary"] for s in data["signals"]],
    )
    p.blank()
    p.text(QUESTION_LEGEND)
    show(p)


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
    request = {
        "as_of": _iso(as_of),
        "role": role,
        "db": db,
        "question": question,
        "since": _iso(since),
    }
    _answer("signals", request, data, json)


@app.command()
def docs(
    doc_type: Annotated[str | None, typer.Option("--type", help="proposed or final.")] = None,
    since: Annotated[
        str | None, typer.Option("--since", help="Published on or after YYYY-MM-DD.")
    ] = None,
    open_for_comment: Annotated[
        bool, typer.Option("--open-for-comment", help="Only documents whose comments are open.")
    ] = False,
    out_of_scope: Annotated[
        bool, typer.Option("--out-of-scope", help="Also documents outside the default scope.")
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
        include_out_of_scope=out_of_scope,
    )
    if json:
        emit_json(data)
        return
    p = page()
    rows, notes = [], []
    for d in data["documents"]:
        linked = (
            f"final {d['final']}"
            if d["final"]
            else (f"proposed {d['proposed']}" if d["proposed"] else "")
        )
        if d.get("corrects"):
            linked = f"corrects {d['corrects']}"
        dates = [f"published {d['publication_date'].isoformat()}"]
        if d["effective_date"]:
            dates.append(f"effective {d['effective_date'].isoformat()}")
        if d["comments_close_date"]:
            dates.append(f"comments close {d['comments_close_date'].isoformat()}")
        rows.append(
            [
                p.link(d["document_number"], d["url"]),
                d["type"],
                "\n".join(dates),
                d["file_code"],
                linked,
                str(d["lead_time_days"] or ""),
            ]
        )
        notes.append(d["title"])
    title = f"{data['count']} documents as of {data['as_of']}"
    if open_for_comment:
        title = f"{data['count']} documents open for comment on {data['as_of']}"
    p.table(
        ["Document", "Type", "Dates", "File code", "Linked", Column("Lead time (days)", "right")],
        rows,
        title=title,
        notes=notes,
    )
    show(p)


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
    p = page()
    rows, notes = [], []
    for c in data["codes"]:
        pay = ""
        if c["payment"] is not None:
            pay = (
                "~" if c["payment_approximate"] else ""
            ) + f"${c['payment']:,.2f} ({c['payment_year']})"
        rows.append(
            [
                c["code"],
                c["family"],
                str(c["first_paid_year"] or "?"),
                c["ai_category"],
                pay,
                c["threshold"],
            ]
        )
        notes.append(c["description"])
    p.table(
        [
            "Code",
            "Family",
            "First paid",
            "AI category",
            Column("National payment (year)", "right"),
            "Threshold",
        ],
        rows,
        title=f"{data['count']} codes (description in our own words under each)",
        notes=notes,
    )
    show(p)
