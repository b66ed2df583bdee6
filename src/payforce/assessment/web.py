"""Web face of the assessment: one form link per respondent, the admin's aggregate view, JSON API.

``create_assessment_router(store)`` returns a FastAPI ``APIRouter``; the main app includes it
(``payforce.web.app``), and tests may mount it on an app of their own. Pages need no script
(the app's Content-Security-Policy allows none) and load one stylesheet from this router.

Tenancy: every route takes a token. A respondent token opens that respondent's sheet only; the
admin token opens the organization's aggregate view, reports and API. An unknown token, another
organization's id or another organization's assessment id all answer 404 with the same words.
Token pages are sent with ``Cache-Control: no-store``. POSTs must come from our own pages
(same origin or the per-form token) and token routes are rate-limited per client
(``payforce.assessment.guard``).

Routes (HTML):   GET/POST /assess/r/{token}         the respondent's form
                 GET      /assess/admin/{token}     aggregate view for the organization's admin
                 POST     /assess/admin/{token}/respondents/{respondent_id}/{revoke|reissue}
                 GET      /assess/admin/{token}/report.{md|html|pdf}
JSON API:        GET      /api/assess/instrument
                 GET      /api/assess/respondent/{token}
                 POST     /api/assess/respondent/{token}/answers   {"answers": {"D1.01": 3}}
                 GET      /api/assess/orgs/{org_id}                 Authorization: Bearer <admin>
                 GET      /api/assess/orgs/{org_id}/assessments/{assessment_id}   (same header)
"""

from __future__ import annotations

import html
from collections.abc import Callable, Mapping, Sequence
from datetime import UTC, datetime
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, JSONResponse, Response

from payforce.assessment.guard import FormGuard, RateLimit, RateLimiter, same_origin
from payforce.assessment.instrument import Instrument, load_instrument
from payforce.assessment.report import (
    ReportFormat,
    render_html_fragment,
    render_report,
)
from payforce.assessment.service import (
    MAX_NOTE,
    NotFoundError,
    ReportData,
    admin_view,
    reissue_respondent,
    respondent_notes,
    respondent_view,
    revoke_respondent,
    submit_answers,
)
from payforce.errors import AssessmentError
from payforce.serialize import envelope, error_envelope
from payforce.store import assessment_tables as tables
from payforce.store import assessment_tokens as tokens
from payforce.store.assessment_tables import AssessmentRecord
from payforce.store.db import Store

__all__ = ["create_assessment_router"]

NO_STORE = {"Cache-Control": "no-store", "Referrer-Policy": "no-referrer"}
"""Headers on every token page and API answer: never cached, token never leaked in Referer."""
_CSS = """
body{font-family:system-ui,sans-serif;max-width:60rem;margin:2rem auto;padding:0 1rem;color:#222}
table{border-collapse:collapse;margin:.5rem 0 1rem;width:100%}
th,td{border:1px solid #ccc;padding:.3rem .5rem;text-align:left;vertical-align:top;font-size:.9rem}
th{background:#f3f3f3}
fieldset{border:1px solid #ccc;margin:1rem 0;padding:.5rem 1rem}
legend{font-weight:600}
.q{margin:.8rem 0 1.2rem}.q p{margin:.2rem 0}
.levels label{display:block;margin:.15rem 0}
.notice{padding:.5rem 1rem;background:#e8f6ec;border:1px solid #7c7}
.error{padding:.5rem 1rem;background:#fdecea;border:1px solid #c66}
.muted{color:#666;font-size:.85rem}
.note{display:block;margin:.3rem 0;font-size:.85rem}.note input{width:60%}
button{font-size:1rem;padding:.4rem 1.2rem}
"""
_MEDIA = {
    ReportFormat.MD: "text/markdown; charset=utf-8",
    ReportFormat.HTML: "text/html; charset=utf-8",
    ReportFormat.PDF: "application/pdf",
}


def _now() -> str:
    return datetime.now(UTC).replace(microsecond=0).isoformat().replace("+00:00", "Z")


def _page(title: str, body: str, status: int = 200) -> HTMLResponse:
    doc = (
        '<!doctype html>\n<html lang="en"><head><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        f"<title>{html.escape(title)}</title>"
        '<link rel="stylesheet" href="/assess/static/assess.css"></head>'
        f"<body>\n{body}\n</body></html>\n"
    )
    return HTMLResponse(doc, status_code=status, headers=NO_STORE)


def _not_found_page() -> HTMLResponse:
    msg = NotFoundError().message
    return _page("Not found", f'<h1>Not found</h1><p class="error">{html.escape(msg)}</p>', 404)


def _json_error(
    message: str, status: int, headers: Mapping[str, str] | None = None
) -> JSONResponse:
    return JSONResponse(
        error_envelope(message, status), status_code=status, headers={**NO_STORE, **(headers or {})}
    )


FORGED = "This form must be sent from its own payforce page: reload the page and save again"
TOO_MANY = "too many requests from your address; wait a little and try again"


def _hidden(guard: FormGuard, token: str) -> str:
    return f'<input type="hidden" name="{guard.FIELD}" value="{guard.form_token(token)}">'


def _saved_notice(store: Store, respondent_id: str, total: int) -> str:
    count, when = tokens.last_saved(store, respondent_id)
    if not when:
        return ""
    return f"Your answers are saved ({count} of {total} answered; last saved {when})."


def _json(data: dict[str, Any]) -> JSONResponse:
    return JSONResponse(envelope(data), headers=NO_STORE)


def _bearer(request: Request) -> str:
    value = request.headers.get("authorization", "")
    scheme, _, token = value.partition(" ")
    return token.strip() if scheme.lower() == "bearer" else ""


def _form_html(
    instrument: Instrument,
    token: str,
    heading: str,
    answers: Mapping[str, int],
    notes: Mapping[str, str],
    notice: str,
    error: str,
    hidden: str = "",
) -> str:
    parts = [f"<h1>{html.escape(instrument.title)}</h1>", f"<p>{html.escape(heading)}</p>"]
    if notice:
        parts.append(f'<p class="notice" role="status">{html.escape(notice)}</p>')
    if error:
        parts.append(f'<p class="error" role="alert">{html.escape(error)}</p>')
    parts.append(
        '<p class="muted">Answer for the whole organization. 0 means not in place <em>or</em> '
        "you do not know: both are findings. You may save part of the sheet and return later.</p>"
    )
    parts.append(f'<form method="post" action="/assess/r/{html.escape(token)}">{hidden}')
    for d in instrument.domains:
        parts.append(f"<fieldset><legend>{html.escape(d.id)} {html.escape(d.name)}</legend>")
        for qid in d.question_ids:
            q = instrument.question(qid)
            parts.append(
                f'<div class="q" id="q-{q.id}">'
                f'<p id="q-{q.id}-title"><strong>{q.id} {html.escape(q.title)}</strong></p>'
            )
            parts.append(f"<p>{html.escape(q.text)}</p>")
            parts.append(f'<div class="levels" role="radiogroup" aria-labelledby="q-{q.id}-title">')
            for level, text in enumerate(q.levels):
                checked = " checked" if answers.get(q.id) == level else ""
                parts.append(
                    f'<label><input type="radio" name="{q.id}" value="{level}"{checked}> '
                    f"<strong>{level} {html.escape(instrument.scale[level])}</strong>: "
                    f"{html.escape(text)}</label>"
                )
            parts.append("</div>")
            parts.append(
                '<label class="note">Note (optional, kept with your answer): <input type="text" '
                f'name="note-{q.id}" maxlength="{MAX_NOTE}" '
                f'value="{html.escape(notes.get(q.id, ""))}"></label>'
            )
            parts.append(
                '<p class="muted">Evidence an auditor would ask for: '
                f"{html.escape('; '.join(q.evidence))}</p>"
            )
            parts.append("</div>")
        parts.append("</fieldset>")
    parts.append('<button type="submit">Save my answers</button></form>')
    return "\n".join(parts)


def _admin_html(
    data: ReportData,
    instrument: Instrument,
    token: str,
    generated_at: str,
    counts: Mapping[str, int],
    rounds: Sequence[AssessmentRecord],
    revoked: set[str] = frozenset(),  # type: ignore[assignment]
    hidden: str = "",
) -> str:
    total = len(instrument.questions)
    safe = html.escape(token)

    def link_forms(rid: str) -> str:
        base = f"/assess/admin/{safe}/respondents/{html.escape(rid)}"
        revoke = (
            ""
            if rid in revoked
            else f'<form method="post" action="{base}/revoke">{hidden}'
            '<button type="submit">Revoke link</button></form> '
        )
        return (
            f'{revoke}<form method="post" action="{base}/reissue">{hidden}'
            '<button type="submit">New link</button></form>'
        )

    rows = "".join(
        f"<tr><td>{html.escape(r.label)}</td>"
        f"<td>{counts.get(r.respondent_id, 0)} / {total}</td>"
        f"<td>{'revoked' if r.respondent_id in revoked else 'active'} {link_forms(r.respondent_id)}"
        "</td></tr>"
        for r in data.respondents
    )
    this = html.escape(data.assessment.assessment_id)
    links = " ".join(
        f'<a href="/assess/admin/{safe}/report.{f.value}?assessment={this}">{f.value.upper()}</a>'
        for f in ReportFormat
    )
    items = "".join(
        f"<li><strong>{html.escape(a.label)}</strong> (this view)</li>"
        if a.assessment_id == data.assessment.assessment_id
        else f'<li><a href="/assess/admin/{safe}?assessment={html.escape(a.assessment_id)}">'
        f"{html.escape(a.label)}</a></li>"
        for a in reversed(rounds)
    )
    return (
        f'<p class="muted">Admin view for {html.escape(data.organization.name)}. '
        f"Download the report: {links}</p>"
        f'<nav aria-label="Assessment rounds"><ul>{items}</ul></nav>'
        "<h2>Respondents</h2><table><thead><tr><th>Respondent</th><th>Answered</th>"
        "<th>Link</th></tr></thead>"
        f"<tbody>{rows}</tbody></table>\n" + render_html_fragment(data, instrument, generated_at)
    )


def create_assessment_router(
    store: Store,
    instrument: Instrument | None = None,
    *,
    clock: Callable[[], str] = _now,
    rate_limit: RateLimit | None = None,
    guard: FormGuard | None = None,
) -> APIRouter:
    """The assessment's pages and JSON API over ``store`` (``clock`` gives report timestamps)."""
    inst = instrument or load_instrument()
    router = APIRouter()
    limiter = RateLimiter(rate_limit)
    forms = guard or FormGuard()
    total = len(inst.questions)

    def client(request: Request) -> str:
        return request.client.host if request.client else "unknown"

    def throttled(request: Request, api: bool) -> Response | None:
        wait = limiter.take(client(request))
        if not wait:
            return None
        retry = {"Retry-After": str(max(1, round(wait)))}
        if api:
            return _json_error(TOO_MANY, 429, retry)
        page = _page(
            "Too many requests", f'<h1>Too many requests</h1><p class="error">{TOO_MANY}</p>', 429
        )
        page.headers.update(retry)
        return page

    def missed(request: Request) -> None:
        limiter.take(client(request), limiter.limit.miss_cost)

    def not_found(request: Request) -> HTMLResponse:
        missed(request)
        return _not_found_page()

    def forged() -> HTMLResponse:
        return _page(
            "Not sent", f'<h1>Not sent</h1><p class="error">{html.escape(FORGED)}</p>', 403
        )

    @router.get("/assess/static/assess.css", include_in_schema=False)
    def stylesheet() -> Response:
        return Response(_CSS, media_type="text/css")

    @router.get("/assess/r/{token}", response_class=HTMLResponse, include_in_schema=False)
    def respondent_form(token: str, request: Request) -> Response:
        if (stop := throttled(request, api=False)) is not None:
            return stop
        try:
            rec, answers = respondent_view(store, token)
        except NotFoundError:
            return not_found(request)
        org = tables.get_organization(store, rec.org_id)
        heading = f"{org.name if org else ''} - answering as {rec.label}."
        notice = _saved_notice(store, rec.respondent_id, total)
        notes = respondent_notes(store, rec)
        body = _form_html(inst, token, heading, answers, notes, notice, "", _hidden(forms, token))
        return _page(inst.title, body)

    @router.post("/assess/r/{token}", include_in_schema=False)
    async def respondent_submit(token: str, request: Request) -> Response:
        if (stop := throttled(request, api=False)) is not None:
            return stop
        form = await request.form()
        if not forms.allows(request, token, form.get(forms.FIELD)):
            return forged()
        values = {k: v for k, v in form.items() if isinstance(v, str) and k.startswith("D")}
        notes = {
            k[len("note-") :]: v
            for k, v in form.items()
            if isinstance(v, str) and k.startswith("note-D") and v.strip()
        }
        try:
            rec, _count = submit_answers(
                store, inst, token, values, updated_at=clock(), notes=notes
            )
        except NotFoundError:
            return not_found(request)
        except AssessmentError as exc:
            rec, saved = respondent_view(store, token)
            typed = {k: int(v) for k, v in values.items() if v.isascii() and v.isdigit()}
            chosen = {**saved, **typed}
            heading = f"Answering as {rec.label}. Nothing was saved: fix the answer below."
            body = _form_html(
                inst, token, heading, chosen, notes, "", exc.message, _hidden(forms, token)
            )
            return _page(inst.title, body, 400)
        return Response(status_code=303, headers={**NO_STORE, "Location": f"/assess/r/{token}"})

    def render_admin(token: str, assessment: str | None, notice: str = "") -> HTMLResponse:
        data = admin_view(store, inst, token, assessment)
        answers = tables.load_answers(store, data.assessment.assessment_id)
        counts = {rid: len(a) for rid, a in answers.items()}
        rounds = tables.list_assessments(store, data.organization.org_id)
        revoked = tokens.revoked_ids(store, data.assessment.assessment_id)
        body = _admin_html(
            data, inst, token, clock(), counts, rounds, revoked, _hidden(forms, token)
        )
        if notice:
            body = f'<p class="notice" role="status">{notice}</p>\n{body}'
        return _page(f"Readiness: {data.organization.name}", body)

    @router.get("/assess/admin/{token}", response_class=HTMLResponse, include_in_schema=False)
    def admin_page(token: str, request: Request, assessment: str | None = None) -> Response:
        if (stop := throttled(request, api=False)) is not None:
            return stop
        try:
            return render_admin(token, assessment)
        except NotFoundError:
            return not_found(request)

    @router.post(
        "/assess/admin/{token}/respondents/{respondent_id}/{action}", include_in_schema=False
    )
    async def admin_link(token: str, respondent_id: str, action: str, request: Request) -> Response:
        """Revoke a respondent's link, or give them a new one (shown once, on this page)."""
        if (stop := throttled(request, api=False)) is not None:
            return stop
        form = await request.form()
        if action not in ("revoke", "reissue"):
            return not_found(request)
        if not forms.allows(request, token, form.get(forms.FIELD)):
            return forged()
        try:
            if action == "revoke":
                rec = revoke_respondent(store, token, respondent_id)
                notice = f"The link of {html.escape(rec.label)} no longer works."
            else:
                rec, new = reissue_respondent(store, token, respondent_id)
                base = str(request.base_url).rstrip("/")
                link = html.escape(f"{base}/assess/r/{new}")
                notice = (
                    f"New link for {html.escape(rec.label)} (shown once; the old one no longer "
                    f"works): <code>{link}</code>"
                )
            scope = tokens.respondent_assessment(store, rec.respondent_id)
            return render_admin(token, scope, notice)
        except (NotFoundError, AssessmentError):
            return not_found(request)

    @router.get("/assess/admin/{token}/report.{fmt}", include_in_schema=False)
    def admin_report(
        token: str, fmt: str, request: Request, assessment: str | None = None
    ) -> Response:
        if (stop := throttled(request, api=False)) is not None:
            return stop
        try:
            report_fmt = ReportFormat(fmt)
            data = admin_view(store, inst, token, assessment)
        except (ValueError, NotFoundError):
            return not_found(request)
        body = render_report(report_fmt, data, inst, clock())
        name = f"readiness-{data.assessment.assessment_id}.{report_fmt.value}"
        headers = {**NO_STORE, "Content-Disposition": f'inline; filename="{name}"'}
        return Response(body, media_type=_MEDIA[report_fmt], headers=headers)

    @router.get("/api/assess/instrument")
    def api_instrument() -> JSONResponse:
        """The instrument: domains, questions, levels, evidence, crosswalk, must-fix flags."""
        return _json({"instrument": inst})

    @router.get("/api/assess/respondent/{token}")
    def api_respondent(token: str, request: Request) -> Response:
        """A respondent's own saved answers."""
        if (stop := throttled(request, api=True)) is not None:
            return stop
        try:
            rec, answers = respondent_view(store, token)
        except NotFoundError as exc:
            missed(request)
            return _json_error(exc.message, 404)
        return _json(
            {"respondent": rec.label, "assessment_id": rec.assessment_id, "answers": answers}
        )

    @router.post("/api/assess/respondent/{token}/answers")
    async def api_answers(token: str, request: Request) -> Response:
        """Save answers: ``{"answers": {"D1.01": 3, …}, "notes": {"D1.01": "…"}}``; all or
        nothing (notes optional). The body must be ``application/json``."""
        if (stop := throttled(request, api=True)) is not None:
            return stop
        kind = request.headers.get("content-type", "").split(";")[0].strip().lower()
        if kind != "application/json":
            return _json_error(
                f"request body: send Content-Type: application/json ({kind or 'none'!r})", 415
            )
        if same_origin(request) is False:
            return _json_error("request: sent from another site (Origin)", 403)
        try:
            body = await request.json()
        except (ValueError, RecursionError):
            return _json_error("request body: not valid JSON", 400)
        answers = body.get("answers") if isinstance(body, dict) else None
        if not isinstance(answers, dict):
            return _json_error('request body: expected {"answers": {question id: level}}', 400)
        notes = body.get("notes") or {}
        if not isinstance(notes, dict):
            return _json_error('request body: "notes" must map question ids to text', 400)
        try:
            rec, count = submit_answers(
                store, inst, token, answers, updated_at=clock(), notes=notes
            )
        except NotFoundError as exc:
            missed(request)
            return _json_error(exc.message, 404)
        except AssessmentError as exc:
            return _json_error(exc.message, 400)
        return _json({"respondent": rec.label, "saved": count})

    @router.get("/api/assess/orgs/{org_id}")
    def api_org(org_id: str, request: Request) -> Response:
        """The organization and its assessments (admin token as Bearer)."""
        if (stop := throttled(request, api=True)) is not None:
            return stop
        org = tables.organization_for_token(store, _bearer(request))
        if org is None or org.org_id != org_id:
            missed(request)
            return _json_error(NotFoundError().message, 404)
        return _json({"organization": org, "assessments": tables.list_assessments(store, org_id)})

    @router.get("/api/assess/orgs/{org_id}/assessments/{assessment_id}")
    def api_assessment(org_id: str, assessment_id: str, request: Request) -> Response:
        """Scores of one assessment: domains, must-fix gates, divergence, readiness, change."""
        if (stop := throttled(request, api=True)) is not None:
            return stop
        try:
            data = admin_view(store, inst, _bearer(request), assessment_id, org_id=org_id)
        except NotFoundError as exc:
            missed(request)
            return _json_error(exc.message, 404)
        return _json(
            {
                "organization": data.organization,
                "assessment": data.assessment,
                "respondents": [r.label for r in data.respondents],
                "scorecard": data.scorecard,
                "change": data.change,
            }
        )

    return router
