"""Forecast pages: ``/backtest`` (predicted vs realised at every origin, with the baselines),
``/api/backtest`` (every row, JSON envelope) and the role page's forecast-over-time charts."""

from __future__ import annotations

from datetime import date
from typing import Any

from fastapi import APIRouter, Query, Request
from fastapi.responses import HTMLResponse
from markupsafe import Markup, escape

from payforce.serialize import envelope
from payforce.web import views

__all__ = [
    "api_router",
    "gather_backtest",
    "gather_role_forecast",
    "router",
    "scatter_svg",
]

router = APIRouter(include_in_schema=False)
api_router = APIRouter(prefix="/api", tags=["api"])
HORIZON_LABELS = ("3y", "5y", "latest")
PREDICTOR_WORDS = {
    "payforce": "payforce (BLS + momentum + policy)",
    "payforce_no_policy": "payforce without the policy part",
    "bls": "BLS projection alone",
    "momentum": "OEWS momentum alone",
    "healthcare_grows": "every healthcare occupation outpaces",
}


def _ctx(request: Request) -> views.ViewContext:
    ctx: views.ViewContext = request.app.state.ctx
    return ctx


def scatter_svg(
    points: list[tuple[float, float, str]], title: str, chart_id: str, size: int = 360
) -> Markup:
    """Predicted (x) vs realised (y) in pp, one dot per series, with the y = x diagonal and
    zero lines; each dot's <title> names the series. No script."""
    pad = 40
    values = [v for x, y, _ in points for v in (x, y)] or [0.0]
    lo, hi = min(min(values), -5.0), max(max(values), 5.0)
    span = hi - lo

    def sx(v: float) -> float:
        return round(pad + (v - lo) / span * (size - 2 * pad), 1)

    def sy(v: float) -> float:
        return round(size - pad - (v - lo) / span * (size - 2 * pad), 1)

    cid = escape(chart_id)
    parts = [
        f'<svg class="chart" viewBox="0 0 {size} {size}" role="img" '
        f'aria-labelledby="{cid}-t" xmlns="http://www.w3.org/2000/svg">',
        f'<title id="{cid}-t">{escape(title)}</title>',
        f'<line x1="{sx(lo)}" y1="{sy(lo)}" x2="{sx(hi)}" y2="{sy(hi)}" stroke="#b9c2cc" '
        'stroke-dasharray="4 3"/>',
        f'<line x1="{sx(0)}" y1="{sy(lo)}" x2="{sx(0)}" y2="{sy(hi)}" stroke="#d8dde3"/>',
        f'<line x1="{sx(lo)}" y1="{sy(0)}" x2="{sx(hi)}" y2="{sy(0)}" stroke="#d8dde3"/>',
        f'<text x="{size / 2}" y="{size - 8}" font-size="11" text-anchor="middle" '
        'fill="#5b6570">predicted, pp vs all occupations</text>',
        f'<text x="12" y="{size / 2}" font-size="11" text-anchor="middle" fill="#5b6570" '
        f'transform="rotate(-90 12 {size / 2})">realised, pp</text>',
        f'<text x="{pad - 4}" y="{sy(hi) + 4}" font-size="10" text-anchor="end" '
        f'fill="#5b6570">{hi:+.0f}</text>',
        f'<text x="{pad - 4}" y="{sy(lo) + 4}" font-size="10" text-anchor="end" '
        f'fill="#5b6570">{lo:+.0f}</text>',
        f'<text x="{sx(lo)}" y="{size - pad + 14}" font-size="10" text-anchor="middle" '
        f'fill="#5b6570">{lo:+.0f}</text>',
        f'<text x="{sx(hi)}" y="{size - pad + 14}" font-size="10" text-anchor="middle" '
        f'fill="#5b6570">{hi:+.0f}</text>',
    ]
    for x, y, label in points:
        hit = (x > 0) == (y > 0)
        color = "#1b6ca8" if hit else "#c0392b"
        parts.append(
            f'<circle cx="{sx(x)}" cy="{sy(y)}" r="3.5" fill="{color}" fill-opacity="0.75">'
            f"<title>{escape(label)}: predicted {x:+.1f}, realised {y:+.1f} pp</title></circle>"
        )
    parts.append("</svg>")
    return Markup("".join(parts))


def _result(ctx: views.ViewContext) -> Any:
    """The rolling backtest of the whole store (once per data version: it reads no date)."""
    from payforce.forecasts.backtest import run_rolling_backtest

    return ctx.memo("backtest", date.min, lambda: run_rolling_backtest(ctx.store))


def gather_backtest(ctx: views.ViewContext, horizon: str = "5y") -> dict[str, Any]:
    """The backtest page's data: each origin's scores and, for one horizon, every series."""
    result = _result(ctx)
    origins = []
    for origin in sorted({c.origin for c in result.cells}):
        cells = [c for c in result.cells if c.origin == origin]
        cell = next((c for c in cells if c.horizon == horizon), None)
        rows = sorted(
            (r for r in result.rows if r.origin == origin and r.horizon == horizon),
            key=lambda r: -r.realised,
        )
        points = [(r.prediction, r.realised, f"{r.soc} {r.title}") for r in rows]
        origins.append(
            {
                "origin": origin,
                "cells": [c.to_dict() for c in cells],
                "cell": cell.to_dict() if cell else None,
                "rows": [r.to_dict() for r in rows],
                "scatter": scatter_svg(
                    points,
                    f"Origin {origin}: predicted vs realised, {horizon}",
                    f"bt-{origin}",
                )
                if rows
                else None,
            }
        )
    return {
        "horizon": horizon,
        "horizons": HORIZON_LABELS,
        "latest_oews_year": result.latest_year,
        "summary": result.summary(),
        "predictors": PREDICTOR_WORDS,
        "origins": origins,
    }


def gather_role_forecast(ctx: views.ViewContext, role: str, as_of: date) -> dict[str, Any]:
    """A role's score and forecast replayed yearly from 2012, beside realised OEWS employment
    (as public at ``as_of``), as line-chart specs for the ``chart`` macro."""
    from payforce.forecasts.current import forecast_history, role_forecast_history

    history = ctx.memo(
        "forecast history", as_of, lambda: forecast_history(ctx.store, as_of, ctx.outlooks)
    )
    h = role_forecast_history(ctx.store, role, as_of, history)
    pts = h["points"]
    employment = {e["year"]: e["employment"] for e in h["employment"]}
    total = dict(h["total"])

    def realised(base: int | None) -> float | None:
        if base is None or base not in employment or base not in total:
            return None
        end = base + h["horizon_years"]
        if end not in employment or end not in total:
            return None
        change = employment[end] / employment[base] - total[end] / total[base]
        return round(100.0 * float(change), 2)

    def line(name: str, values: list[tuple[int, float | None]]) -> dict[str, Any]:
        return {"name": name, "points": [[x, y] for x, y in values if y is not None]}

    years = [(int(p["as_of"][:4]), p) for p in pts]
    forecast = {
        "id": "forecast-over-time",
        "kind": "line",
        "title": f"Forecast for the next {h['horizon_years']} years, made each year",
        "x_label": "as of 31 December",
        "unit": "pp vs all occupations",
        "series": [
            line("payforce", [(y, p["prediction_pp"]) for y, p in years]),
            line("BLS projection alone", [(y, p["bls_pp"]) for y, p in years]),
            line("policy part", [(y, p["policy_pp"]) for y, p in years]),
            line("realised (where published)", [(y, realised(p["base_year"])) for y, p in years]),
        ],
        "markers": [],
    }
    score = {
        "id": "score-over-time",
        "kind": "line",
        "title": "Policy score, replayed each year",
        "x_label": "as of 31 December",
        "unit": "score",
        "series": [line("score", [(y, p["score"]) for y, p in years])],
        "markers": [],
    }
    jobs = {
        "id": "employment-over-time",
        "kind": "line",
        "title": f"OEWS employment of the series {h['series'] or '(none)'}",
        "x_label": "May",
        "unit": "jobs",
        "series": [line("employment", sorted(employment.items()))],
        "markers": [],
    }
    charts = [forecast, score, jobs] if h["series"] else [score]
    return {"series": h["series"], "charts": charts, "points": pts}


@router.get("/backtest", response_class=HTMLResponse)
def backtest_page(request: Request, horizon: str = Query("5y")) -> HTMLResponse:
    """Predicted vs realised for every series at each origin, with the baselines."""
    from payforce.errors import InputError
    from payforce.web.pages import render_page

    if horizon not in HORIZON_LABELS:
        raise InputError(
            f"horizon: not one of {', '.join(HORIZON_LABELS)} ({horizon!r})",
            hint="e.g. /backtest?horizon=5y",
        )
    data = gather_backtest(_ctx(request), horizon)
    return render_page("backtest.html", data, path="/backtest", title="Backtest")


@api_router.get("/backtest", summary="Rolling backtest")
def backtest_api(request: Request) -> Any:
    """Every origin × horizon × series: prediction, realised and each baseline; scores with
    bootstrap intervals; parameters fitted on earlier origins only."""
    from payforce.web.api import JSONEnvelope

    ctx = _ctx(request)
    body = ctx.memo("backtest json", date.min, lambda: envelope(_result(ctx).to_dict()))
    return JSONEnvelope(body)
