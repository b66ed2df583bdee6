"""``payforce assess …``: the AI-governance readiness assessment (new, template, answer, report,
revoke, reissue).

Thin: parse options, call ``payforce.assessment``, print. Tokens are printed once, when made;
the store keeps only their SHA-256 digests.
"""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path
from typing import Annotated, Any

import typer

from payforce.cli.app import DbOption, JsonOption, app, emit_json, err, open_cli_store, out
from payforce.errors import AssessmentError, InputError

__all__ = ["assess_app"]

assess_app = typer.Typer(
    help="AI-governance readiness assessment: 37 questions, team answers, scored debrief report.",
    no_args_is_help=True,
    rich_markup_mode=None,
)
app.add_typer(assess_app, name="assess")

DEFAULT_BASE_URL = "http://127.0.0.1:8000"

TokenOption = Annotated[
    str | None,
    typer.Option(
        "--token",
        envvar="PAYFORCE_ASSESS_TOKEN",
        show_envvar=True,
        help="The token you were given (admin or respondent); keeps it out of shell history "
        "when set in the environment instead.",
    ),
]
BaseUrlOption = Annotated[
    str, typer.Option("--base-url", help="Where `payforce serve` runs, for the printed links.")
]


def _now() -> str:
    return datetime.now(UTC).replace(microsecond=0).isoformat().replace("+00:00", "Z")


def _require(token: str | None, what: str) -> str:
    if not token:
        raise InputError(
            f"--token: missing ({what} token)", hint=f"Pass the {what} token you were given"
        )
    return token


@assess_app.command("new")
def new(
    org: Annotated[str, typer.Argument(help="Organization name.")],
    respondent: Annotated[
        list[str] | None,
        typer.Option(
            "--respondent", help="ROLE or ROLE:NAME; repeat per leader (default: six roles)."
        ),
    ] = None,
    kind: Annotated[str, typer.Option("--kind", help="provider, payer or both.")] = "provider",
    label: Annotated[
        str, typer.Option("--label", help="Label of this round, e.g. '2026 Q3'.")
    ] = "",
    token: TokenOption = None,
    base_url: BaseUrlOption = DEFAULT_BASE_URL,
    db: DbOption = None,
    json: JsonOption = False,
) -> None:
    """Start an assessment for ORG and print one link per respondent and the admin link.

    A new organization gets an admin token (printed once). For a later round of an existing
    organization, pass its admin token with --token.

    Example: payforce assess new "Mercy Health" --respondent CEO --respondent "CMO:Dr. Lee"
    """
    from payforce.assessment.instrument import load_instrument
    from payforce.assessment.service import parse_respondent_spec, start_assessment

    people = [parse_respondent_spec(s) for s in respondent or []]
    store = open_cli_store(db)
    made = start_assessment(
        store,
        load_instrument(),
        org,
        created_at=_now(),
        respondents=people,
        kind=kind,
        label=label,
        admin_token=token,
    )
    base = base_url.rstrip("/")
    links = [
        {
            "respondent": r.label,
            "respondent_id": r.respondent_id,
            "token": t,
            "link": f"{base}/assess/r/{t}",
        }
        for r, t in made.respondents
    ]
    admin_link = f"{base}/assess/admin/{made.admin_token}" if made.admin_token else None
    if json:
        emit_json(
            {
                "organization": made.organization,
                "assessment": made.assessment,
                "admin_token": made.admin_token,
                "admin_link": admin_link,
                "respondents": links,
            }
        )
        return
    out(f"Organization: {made.organization.name} ({made.organization.org_id})")
    out(f"Assessment:   {made.assessment.label} ({made.assessment.assessment_id})")
    if made.admin_token:
        out(f"Admin token (shown once; keep it safe): {made.admin_token}")
        out(f"Admin view: {admin_link}")
    out("Respondent links (one per leader; shown once):")
    for link in links:
        out(f"  {link['respondent']}: {link['link']}")


@assess_app.command("template")
def template(
    fmt: Annotated[str, typer.Option("--format", help="csv or yaml.")] = "csv",
    output: Annotated[
        Path | None, typer.Option("--out", help="Write here (default: standard output).")
    ] = None,
    token: TokenOption = None,
    db: DbOption = None,
    json: JsonOption = False,
) -> None:
    """Write a respondent's answer sheet (CSV or YAML); with --token, pre-filled with saved answers.

    Example: payforce assess template --format yaml --out answers.yaml
    """
    from payforce.assessment.instrument import load_instrument
    from payforce.assessment.sheet import SheetFormat, render_sheet

    try:
        sheet_fmt = SheetFormat(fmt)
    except ValueError:
        raise InputError(
            f"--format: unknown sheet format ({fmt!r})", hint="Use csv or yaml"
        ) from None
    instrument = load_instrument()
    answers: dict[str, int] = {}
    notes: dict[str, str] = {}
    who = ""
    if token:
        from payforce.assessment.service import respondent_notes, respondent_view

        store = open_cli_store(db)
        rec, answers = respondent_view(store, token)
        who = rec.label
        notes = respondent_notes(store, rec)
    text = render_sheet(sheet_fmt, instrument, answers, who, notes)
    if output is not None:
        output.write_text(text, encoding="utf-8")
        err(f"Wrote {len(instrument.questions)} questions to {output}")
    if json:
        emit_json(
            {
                "format": sheet_fmt.value,
                "path": str(output) if output else None,
                "questions": len(instrument.questions),
                "prefilled": len(answers),
                **({} if output else {"sheet": text}),
            }
        )
    elif output is None:
        out(text.rstrip("\n"))


def _ask(instrument: Any) -> dict[str, int]:
    from payforce.assessment.instrument import validate_level

    answers: dict[str, int] = {}
    for q in instrument.questions:
        out("")
        out(f"{q.id} {q.title}")
        out(f"  {q.text}")
        for i, text in enumerate(q.levels):
            out(f"  {i} = {text}")
        while True:
            raw = typer.prompt("  Your level (0-5, blank to skip)", default="", show_default=False)
            if not raw.strip():
                break
            try:
                answers[q.id] = validate_level(q.id, raw)
                break
            except AssessmentError as exc:
                err(f"Error: {exc.message}")
    return answers


@assess_app.command("answer")
def answer(
    sheet: Annotated[
        Path | None, typer.Argument(help="A filled answer sheet (.csv or .yaml).")
    ] = None,
    token: TokenOption = None,
    interactive: Annotated[
        bool,
        typer.Option("--interactive", help="Ask each question here instead of reading a file."),
    ] = False,
    db: DbOption = None,
    json: JsonOption = False,
) -> None:
    """Save a respondent's answers from a filled sheet, or ask them one by one (--interactive).

    Example: payforce assess answer answers.yaml --token <respondent token>
    """
    from payforce.assessment.instrument import load_instrument
    from payforce.assessment.service import respondent_view, submit_answers
    from payforce.assessment.sheet import parse_sheet, sheet_format_for

    secret = _require(token, "respondent")
    instrument = load_instrument()
    store = open_cli_store(db)
    rec, _saved = respondent_view(store, secret)
    if sheet is not None:
        try:
            text = sheet.read_text(encoding="utf-8")
        except OSError as exc:
            raise AssessmentError(
                f"{sheet}: cannot read the answer sheet ({exc.strerror})"
            ) from exc
        except UnicodeDecodeError as exc:
            raise AssessmentError(
                f"{sheet}: not a text answer sheet (byte {exc.start} is not UTF-8)",
                hint="Save the sheet as UTF-8 CSV or YAML (payforce assess template)",
            ) from exc
        parsed = parse_sheet(text, sheet_format_for(sheet.name), instrument, sheet.name)
        answers, notes = parsed.levels, parsed.notes
    elif interactive:
        out(f"Answering as {rec.label}: {len(instrument.questions)} questions.")
        answers, notes = _ask(instrument), {}
    else:
        raise InputError(
            "answer: no answers given (no sheet, no --interactive)",
            hint="Pass a filled sheet from `payforce assess template`, or --interactive",
        )
    rec, saved = submit_answers(store, instrument, secret, answers, updated_at=_now(), notes=notes)
    if json:
        emit_json({"respondent": rec.label, "saved": saved, "questions": len(instrument.questions)})
        return
    out(f"Saved {saved} of {len(instrument.questions)} answers for {rec.label}.")


@assess_app.command("report")
def report(
    token: TokenOption = None,
    assessment: Annotated[
        str | None, typer.Option("--assessment", help="Assessment id (default: the latest).")
    ] = None,
    fmt: Annotated[str, typer.Option("--format", help="md, html or pdf.")] = "md",
    output: Annotated[
        Path | None, typer.Option("--out", help="Write here (needed for pdf; default stdout).")
    ] = None,
    generated_at: Annotated[
        str | None,
        typer.Option("--generated-at", help="Timestamp printed in the report (default: now)."),
    ] = None,
    db: DbOption = None,
    json: JsonOption = False,
) -> None:
    """Score the organization's assessment and write the debrief report (md, html or pdf).

    --json prints the scores (domains, must-fix gates, divergence, readiness) instead.

    Example: payforce assess report --token <admin token> --format pdf --out readiness.pdf
    """
    from payforce.assessment.instrument import load_instrument
    from payforce.assessment.report import ReportFormat, render_report
    from payforce.assessment.service import admin_view

    try:
        report_fmt = ReportFormat(fmt)
    except ValueError:
        raise InputError(
            f"--format: unknown report format ({fmt!r})", hint="Use md, html or pdf"
        ) from None
    if report_fmt is ReportFormat.PDF and output is None and not json:
        raise InputError("--out: needed for a PDF report (none given)", hint="Add --out report.pdf")
    secret = _require(token, "admin")
    instrument = load_instrument()
    data = admin_view(open_cli_store(db), instrument, secret, assessment)
    if json:
        if output is not None:
            output.write_bytes(render_report(report_fmt, data, instrument, generated_at or _now()))
        emit_json(
            {
                "organization": data.organization,
                "assessment": data.assessment,
                "scorecard": data.scorecard,
                "change": data.change,
                "path": str(output) if output else None,
            }
        )
        return
    body = render_report(report_fmt, data, instrument, generated_at or _now())
    if output is not None:
        output.write_bytes(body)
        err(f"Wrote the {report_fmt.value} report to {output}")
        return
    out(body.decode("utf-8").rstrip("\n"))


RespondentArg = Annotated[
    str, typer.Argument(help="Respondent id (rsp_…) or role in the latest round, e.g. CMO.")
]


@assess_app.command("revoke")
def revoke(
    respondent: RespondentArg,
    token: TokenOption = None,
    db: DbOption = None,
    json: JsonOption = False,
) -> None:
    """Stop a respondent's link from working (their answers are kept); needs the admin token.

    Example: payforce assess revoke CMO --token <admin token>
    """
    from payforce.assessment.service import revoke_respondent

    rec = revoke_respondent(open_cli_store(db), _require(token, "admin"), respondent)
    if json:
        emit_json({"respondent": rec.label, "respondent_id": rec.respondent_id, "revoked": True})
        return
    out(f"The link of {rec.label} ({rec.respondent_id}) no longer works.")
    out(f"Give them a new one with: payforce assess reissue {rec.respondent_id} --token …")


@assess_app.command("reissue")
def reissue(
    respondent: RespondentArg,
    token: TokenOption = None,
    base_url: BaseUrlOption = DEFAULT_BASE_URL,
    db: DbOption = None,
    json: JsonOption = False,
) -> None:
    """Give a respondent a new link (the old one stops working; answers are kept).

    Example: payforce assess reissue CMO --token <admin token>
    """
    from payforce.assessment.service import reissue_respondent

    rec, new = reissue_respondent(open_cli_store(db), _require(token, "admin"), respondent)
    link = f"{base_url.rstrip('/')}/assess/r/{new}"
    if json:
        emit_json(
            {
                "respondent": rec.label,
                "respondent_id": rec.respondent_id,
                "token": new,
                "link": link,
            }
        )
        return
    out(f"New link for {rec.label} (shown once; the old one no longer works):")
    out(f"  {link}")
