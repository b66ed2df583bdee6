"""The economics calculator page: form fields → :func:`payforce.economics.programs.run_program`.

Form values arrive as text (query parameters); each is parsed here with a one-line error naming
the field, then the library does the arithmetic. The result carries a chart spec of revenue and
staff cost per month against the enrolled panel.
"""

from __future__ import annotations

import math
from typing import Any

from payforce.economics.programs import load_economics, run_program
from payforce.errors import InputError, LookupFailedError
from payforce.reports.charts import break_even_chart, revenue_cost_chart
from payforce.web.context import ViewContext
from payforce.web.params import MAX_ELIGIBLE
from payforce.web.svg import from_chart_spec

__all__ = ["FIELDS", "calculate"]

FIELDS = ("program", "eligible", "enrolment", "year", "locality")
"""Form fields the calculator reads (anything else is ignored)."""


def _number(
    form: dict[str, str], name: str, hint: str, limits: tuple[float, float] | None = None
) -> float | None:
    text = form.get(name, "").strip()
    if not text:
        return None
    try:
        value = float(text)
    except ValueError:
        raise InputError(f"{name}: not a number ({text[:40]!r})", hint=hint) from None
    if not math.isfinite(value):
        raise InputError(f"{name}: not a finite number ({text[:40]!r})", hint=hint)
    if limits is not None and not limits[0] <= value <= limits[1]:
        low, high = limits
        raise InputError(
            f"{name}: must be from {low:,.10g} to {high:,.10g} ({text[:40]!r})", hint=hint
        )
    return value


def _check_in_store(ctx: ViewContext, year: int | None, locality: str | None, default: int) -> None:
    """404 (not 400) for a well-formed year or locality the store holds no data for."""
    from sqlalchemy import select

    from payforce.store import fee_tables, schema

    if year is not None:
        with ctx.store.connect() as conn:
            years = sorted(conn.execute(select(schema.code_values.c.year).distinct()).scalars())
        if year not in years:
            raise LookupFailedError("fee-schedule year", str(year), [str(y) for y in years])
    if locality and locality.lower() not in {"national", "00000-00"}:
        if not fee_tables.list_gpcis(ctx.store, year or default):
            raise LookupFailedError("locality", locality, ["national"])


def calculate(ctx: ViewContext, form: dict[str, str]) -> dict[str, Any]:
    """Run the program model for the form's inputs (defaults for empty fields)."""
    econ = load_economics()
    programs = [{"key": k, "name": p.name} for k, p in econ.programs.items()]
    program = form.get("program", "").strip() or programs[0]["key"]
    # the same ranges as /api/economics and the CLI: a larger count overflowed the money
    # arithmetic (decimal.InvalidOperation, a 500)
    eligible = _number(form, "eligible", "Give a count of patients, e.g. 1000", (0, MAX_ELIGIBLE))
    enrolment = _number(form, "enrolment", "Give a share between 0 and 1, e.g. 0.35", (0, 1))
    year_value = _number(form, "year", "Give a fee-schedule year, e.g. 2026")
    if year_value is not None and (not year_value.is_integer() or not 2000 <= year_value <= 2100):
        raise InputError(
            f"year: not a fee-schedule year ({form['year'][:40]!r})",
            hint="Give a year such as 2026",
        )
    year = int(year_value) if year_value is not None else None
    locality = form.get("locality", "").strip() or None
    _check_in_store(ctx, year, locality, econ.year)
    result = run_program(
        ctx.store,
        program,
        year=year,
        locality=locality,
        eligible=eligible,
        enrolment=enrolment,
        sensitivity=False,
    )
    data = result.to_dict()
    charts = [
        from_chart_spec(revenue_cost_chart(result), "economics-revenue-cost"),
        from_chart_spec(break_even_chart(result), "economics-break-even"),
    ]
    return {
        "available": True,
        "programs": programs,
        "form": {
            "program": result.program.key,
            "eligible": f"{result.eligible:g}",
            "enrolment": f"{result.enrolment:g}",
            "year": str(result.year),
            "locality": locality or "",
        },
        "result": data,
        "charts": charts,
    }
