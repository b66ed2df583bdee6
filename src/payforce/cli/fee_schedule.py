"""Fee-schedule commands: pay, ledger, economics, demand (the syncs are in ``fee_sync``)."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer

from payforce.cli.app import (
    YEARS,
    AsOfOption,
    DbOption,
    JsonOption,
    app,
    check_option,
    emit_json,
    err,
    open_cli_store,
    out,
    parse_date,
)
from payforce.errors import InputError

if TYPE_CHECKING:
    from payforce.economics.programs import ProgramResult

YearOption = Annotated[int | None, typer.Option("--year", help="Fee-schedule year.")]
LocalityOption = Annotated[
    str | None,
    typer.Option(
        "--locality", help="MAC-LOC (01112-54), STATE-LOC (CA-54) or name; default national."
    ),
]
SettingOption = Annotated[
    str, typer.Option("--setting", help="facility or nonfacility (default nonfacility).")
]
QPOption = Annotated[
    bool,
    typer.Option(
        "--qp/--non-qp", help="Conversion factor for qualifying APM participants (2026 on)."
    ),
]


def _money(value: Decimal | float | None) -> str:
    if value is None:
        return "—"
    d = Decimal(str(value))
    return f"-${-d:,.2f}" if d < 0 else f"${d:,.2f}"


def _text(path: Path, option: str) -> str:
    """A UTF-8 text file named by ``option`` (one line naming the option when it is not)."""
    from payforce.sources.validate import decode_utf8

    try:
        data = path.read_bytes()
    except OSError as exc:
        raise InputError(
            f"{option} {path}: cannot read ({exc.strerror})", hint="Check the path"
        ) from None
    return decode_utf8(data, path=f"{option} {path}", what="a UTF-8 text file")


def _setting(text: str) -> str:
    value = text.strip().lower().replace("-", "")
    if value not in {"facility", "nonfacility"}:
        raise InputError(
            f"--setting: must be facility or nonfacility ({text!r})",
            hint="Use --setting nonfacility (office) or --setting facility",
        )
    return value


@app.command()
def pay(
    code: Annotated[
        str, typer.Argument(help="CPT or HCPCS code, e.g. 99490, or with a modifier: 70450-26.")
    ],
    year: YearOption = None,
    modifier: Annotated[
        str | None,
        typer.Option(
            "--modifier", help="26 (professional), TC (technical) or 53 (discontinued) row."
        ),
    ] = None,
    locality: LocalityOption = None,
    setting: SettingOption = "nonfacility",
    qp: QPOption = False,
    as_of: AsOfOption = None,
    db: DbOption = None,
    json: JsonOption = False,
) -> None:
    """Medicare payment for one code: RVUs × GPCIs × conversion factor, with every part.

    Says plainly when Medicare does not pay the code (status B, C, E, I, N, P, X…, or no RVUs).
    With --as-of, the values of the newest CMS release public on that date.

    Example: payforce pay 70450-26 --year 2025
    """
    from payforce.economics.payment import Payment, cf_label
    from payforce.economics.program_spec import load_economics
    from payforce.economics.quotes import NoPayment, price_code, resolve_locality, split_code

    store = open_cli_store(db)
    if year is not None and not 1990 <= year <= 2100:
        raise InputError(f"--year: not a fee-schedule year ({year})", hint="e.g. --year 2026")
    year = year or load_economics().year
    bare, mod = split_code(code, modifier)
    loc = resolve_locality(store, year, locality)
    p = price_code(
        store,
        bare,
        year=year,
        modifier=mod,
        locality=loc,
        setting=_setting(setting),
        cf_kind="qp" if qp else "non_qp",
        as_of=parse_date(as_of, "--as-of"),
    )
    if json:
        emit_json({"payment": p})
        return
    name = f"{bare}-{mod}" if mod else bare
    if isinstance(p, NoPayment):
        out(f"{name} {year}: no Medicare payment (status {p.status})")
        out(f"  {p.reason[0].upper()}{p.reason[1:]}.")
        out(f"  row: {p.source}")
        if p.release:
            public = f", public {p.available_from.isoformat()}" if p.available_from else ""
            out(f"  release: {p.release}{public}")
        return
    if not isinstance(p, Payment):
        v = p.value
        mark = "about " if v.approximate else ""
        out(f"{name} {year} {v.setting}: {mark}{_money(p.amount)} (national, no RVUs stored)")
        public = f", public {v.available_from.isoformat()}" if v.available_from else ""
        out(f"  printed in: {v.release}{public}")
        out("  quoted by:")
        for url in v.source.split(" | "):
            out(f"    {url}")
        return
    out(f"{name} {p.year} {p.setting}: {_money(p.amount)} ({p.label})")
    out(f"  work  {p.work_rvu:6.2f} RVU × GPCI {p.locality.work:<6} = {p.work_part:.4f}")
    out(f"  PE    {p.pe_rvu:6.2f} RVU × GPCI {p.locality.pe:<6} = {p.pe_part:.4f}")
    out(f"  MP    {p.mp_rvu:6.2f} RVU × GPCI {p.locality.mp:<6} = {p.mp_part:.4f}")
    out(
        f"  total {p.adjusted_rvu:.4f} RVU × CF ${p.conversion_factor:.4f} "
        f"({cf_label(p.cf_kind)}) = {_money(p.amount)}"
    )
    out(f"  RVUs: {p.rvu_source}")
    if p.release:
        public = f", public {p.available_from.isoformat()}" if p.available_from else ""
        out(f"  release: {p.release}{public}")
    out(f"  CF:   {p.cf_source}")
    if p.locality.source:
        out(f"  GPCI: {p.locality.source}")


@app.command()
def ledger(
    family: Annotated[str | None, typer.Option("--family", help="Service family key.")] = None,
    year: YearOption = None,
    as_of: AsOfOption = None,
    db: DbOption = None,
    json: JsonOption = False,
) -> None:
    """Code ledger: new, deleted, revalued (±%) and threshold changes, proposed vs final.

    Example: payforce ledger --family rpm --year 2026
    """
    from payforce.economics.ledger import family_summaries, ledger_changes

    store = open_cli_store(db)
    day = parse_date(as_of, "--as-of")
    changes = ledger_changes(store, day, family=family, year=year)
    if family is not None and not changes:
        from payforce.store.queries import list_codes

        families = sorted({c.family for c in list_codes(store)})
        if family not in families:
            from rapidfuzz import process

            from payforce.errors import LookupFailedError

            raise LookupFailedError(
                "family", family, [m for m, _s, _i in process.extract(family, families, limit=3)]
            )
    summaries = family_summaries(changes)
    if json:
        emit_json({"as_of": day, "changes": changes, "families": summaries})
        return
    if not changes:
        out(f"no ledger changes as of {day}")
        return
    out(f"Code ledger as of {day} ({len(changes)} changes)")
    for c in changes:
        pct = f"{c.pct:+.1f}%" if c.pct is not None else ""
        mark = " ~approx" if c.approximate else ""
        out(f"  {c.year}  {c.kind:<17} {c.code:<9} {c.family:<20} {pct:>7}  {c.detail}{mark}")
    out("Families")
    for s in summaries:
        mean = f"{s.mean_pct:+.1f}%" if s.mean_pct is not None else "—"
        out(
            f"  {s.year}  {s.family:<20} new {','.join(s.new) or '—'}; deleted "
            f"{','.join(s.deleted) or '—'}; revalued {s.revalued} (mean {mean}); thresholds "
            f"{','.join(s.thresholds) or '—'}"
        )


def _print_program(r: ProgramResult) -> None:
    unit = r.program.unit
    out(f"{r.program.name} — {r.label}, {r.setting}")
    out(
        f"  eligible {r.eligible:,.0f} × enrolment {r.enrolment:.0%} = panel {r.panel:,} "
        f"({'enrolled patients' if unit == 'patient-month' else 'discharges a month'})"
    )
    out(f"  revenue per {unit}: {_money(r.revenue_per_unit)} ({r.label})")
    out(f"  Revenue by code ({r.label})")
    for c in r.codes:
        amount = _money(c.amount) if c.amount is not None else "not payable"
        out(
            f"    {c.code:<6} {c.units_per_month:8.1f} units/month × {amount:>10} = "
            f"{_money(c.revenue_month):>11}/month {_money(c.revenue_year):>12}/year"
        )
    out(f"  Staff by role (loaded OEWS cost; {r.label})")
    for rl in r.roles:
        cost = f"{_money(rl.cost_month)}/month" if rl.step == "performs" else "not costed"
        out(
            f"    {rl.title[:44]:<44} {rl.minutes_month:9,.0f} min/month  {rl.fte:5.2f} FTE "
            f"(hired {rl.fte_hired:.2f})  {cost}"
        )
    out(
        f"  Revenue {_money(r.revenue_month)}/month; staff cost {_money(r.staff_cost_month)}"
        f"/month; margin {_money(r.margin_month)}/month, {_money(r.margin_year)}/year "
        f"({r.label})"
    )
    be = f"{r.break_even:,}" if r.break_even is not None else "not reached"
    sus = f"{r.break_even_sustained:,}" if r.break_even_sustained is not None else "not reached"
    out(f"  Break-even panel: {be} (first hire paid for); stays positive from {sus}")


@app.command()
def economics(
    program: Annotated[str, typer.Argument(help="ccm, pcm, rpm, rtm, apcm, bhi, cocm or tcm.")],
    year: YearOption = None,
    locality: LocalityOption = None,
    setting: SettingOption = "nonfacility",
    qp: QPOption = False,
    eligible: Annotated[
        float | None, typer.Option("--eligible", help="Eligible patients in the practice.")
    ] = None,
    enrolment: Annotated[
        float | None,
        typer.Option("--enrolment", "--enrollment", help="Share enrolled, 0-1 (0.35 = 35%)."),
    ] = None,
    compare_year: Annotated[
        int | None, typer.Option("--compare-year", help="Show how break-even moved since then.")
    ] = None,
    chart: Annotated[
        Path | None,
        typer.Option("--chart", help="Write break-even and revenue charts (.png/.svg)."),
    ] = None,
    claims: Annotated[
        Path | None,
        typer.Option("--claims", help="Check a claims CSV (patient,period,code,practitioner)."),
    ] = None,
    config: Annotated[
        Path | None,
        typer.Option("--config", help="YAML merged over economics.yaml (your mix, wages …)."),
    ] = None,
    as_of: AsOfOption = None,
    db: DbOption = None,
    json: JsonOption = False,
) -> None:
    """Program economics: revenue by code, staff FTEs and cost by role, margin, break-even.

    Every dollar is printed with its year, locality and CF type; every default with its source.

    Example: payforce economics rpm --compare-year 2025
    """
    from payforce.economics.program_spec import check_claims, load_economics, parse_claims
    from payforce.economics.programs import compare_programs, run_program

    for opt_value, option, low, high in (  # option ranges (sources/validate.py for files)
        (year, "--year", *YEARS),
        (compare_year, "--compare-year", *YEARS),
        (eligible, "--eligible", 0, 10_000_000),
        (enrolment, "--enrolment", 0, 1),
    ):
        check_option(opt_value, option, low, high)
    if chart is not None and chart.suffix.lower() not in {".png", ".svg"}:
        raise InputError(
            f"--chart {chart}: unknown format ({chart.suffix!r})",
            hint="Use a .png or .svg file name",
        )
    store = open_cli_store(db)
    kw: dict[str, Any] = {
        "locality": locality,
        "setting": _setting(setting),
        "cf_kind": "qp" if qp else "non_qp",
        "eligible": eligible,
        "enrolment": enrolment,
        "as_of": parse_date(as_of, "--as-of"),
    }
    econ = load_economics()
    if config is not None:
        from payforce.economics.program_spec import load_economics_with

        econ = load_economics_with(_text(config, "--config"), config.name)
    kw["economics"] = econ
    result = run_program(store, program, year=year, **kw)
    previous = None
    if compare_year is not None:
        from payforce.economics.programs import panel_curve

        previous = run_program(store, program, year=compare_year, sensitivity=False, **kw)
        top = max(result.curve[-1][0], previous.curve[-1][0])
        result, previous = panel_curve(result, top), panel_curve(previous, top)
    claim_conflicts = []
    if claims is not None:
        text = _text(claims, "--claims")
        claim_conflicts = check_claims(parse_claims(text, path=claims.name), econ.rules)
    written = []
    if chart is not None:
        written = _write_charts(chart, result, previous)
    if json:
        from payforce.reports.charts import break_even_chart, revenue_cost_chart

        data = {
            "result": result.to_dict(),
            "claims_conflicts": claim_conflicts,
            "chart_files": [str(p) for p in written],
            "charts": {
                "break_even": break_even_chart(result, previous).to_dict(),
                "revenue_cost": revenue_cost_chart(result, previous).to_dict(),
            },
        }
        if previous is not None:
            data["compare"] = previous.to_dict()
            data["change"] = compare_programs(result, previous)
        emit_json(data)
        return
    _print_program(result)
    out(
        f"  Sensitivity (margin per month at the panel, {result.label}; "
        "break-even first / sustained)"
    )
    for s in result.sensitivity:
        be = f"{s.break_even:,}" if s.break_even is not None else "—"
        sus = f"{s.break_even_sustained:,}" if s.break_even_sustained is not None else "—"
        out(
            f"    {s.variable:<15} {s.setting:<9} {_money(s.margin_month):>12}/month   "
            f"break-even {be} / {sus}"
        )
    conflicts = list(result.conflicts) + claim_conflicts
    out(f"  Billing-rule conflicts: {len(conflicts) or 'none'}")
    for c in conflicts:
        out(f"    {c.rule}: {', '.join(c.codes)} in {c.where}. {c.detail} ({c.source})")
    for w in result.warnings:
        out(f"  note: {w}")
    if previous is not None:
        out("")
        _print_program(previous)
        for w in previous.warnings:
            out(f"  note: {w}")
        ch = compare_programs(result, previous)
        out("")
        out(
            f"Change {previous.year} → {result.year}: revenue per {result.program.unit} "
            f"{_money(previous.revenue_per_unit)} → {_money(result.revenue_per_unit)}; "
            f"break-even {previous.break_even or 'not reached'} → "
            f"{result.break_even or 'not reached'} (sustained "
            f"{previous.break_even_sustained or 'not reached'} → "
            f"{result.break_even_sustained or 'not reached'}); "
            f"new codes: {', '.join(ch['new_codes']) or 'none'}"
        )
    out("  Assumptions")
    for a in result.assumptions:
        value = "" if a.key == "staff mix" else f"{a.value:g} "
        note = f" — {a.note}" if a.note else ""
        out(f"    {a.key}: {value}{a.unit} [{a.source}]{note}")
    for p in written:
        err(f"wrote {p}")


def _write_charts(path: Path, result: ProgramResult, previous: ProgramResult | None) -> list[Path]:
    from payforce.reports.charts import (
        ChartFormat,
        break_even_chart,
        render_chart,
        revenue_cost_chart,
    )

    suffix = path.suffix.lower().lstrip(".")
    fmt: ChartFormat = "svg" if suffix == "svg" else "png"
    if suffix not in {"png", "svg"}:
        raise InputError(
            f"--chart {path}: unknown format ({path.suffix!r})", hint="Use a .png or .svg file name"
        )
    be_path = path.with_name(f"{path.stem}-break-even{path.suffix}")
    rc_path = path.with_name(f"{path.stem}-revenue-cost{path.suffix}")
    try:
        be_path.write_bytes(render_chart(break_even_chart(result, previous), fmt))
        rc_path.write_bytes(render_chart(revenue_cost_chart(result, previous), fmt))
    except OSError as exc:
        raise InputError(f"--chart {path}: cannot write ({exc.strerror})") from None
    return [be_path, rc_path]


@app.command()
def demand(
    family: Annotated[str, typer.Argument(help="Service family: ccm, rpm, tcm, apcm …")],
    json: JsonOption = False,
) -> None:
    """National FTE demand by role: eligible beneficiaries × uptake scenarios, with sources.

    Example: payforce demand rpm
    """
    from payforce.economics.demand import national_demand

    d = national_demand(family)
    if json:
        emit_json({"demand": d})
        return
    e = d.eligible
    out(f"National demand for {d.family} (program {d.program})")
    out(f"  eligible: {e.value:,.0f} {e.unit} [{e.source}]" + (f" — {e.note}" if e.note else ""))
    for s in d.scenarios:
        out(f"  {s.label}: {s.share:.1%} → {s.patients:,.0f} beneficiaries [{s.source}]")
        for role, fte in s.fte_by_role.items():
            out(f"      {role:<30} {fte:10,.0f} FTE")
        out(f"      {'total':<30} {s.total_fte:10,.0f} FTE")
    out("  Assumptions")
    for a in d.assumptions:
        value = "" if a.key == "staff mix" else f"{a.value:g} "
        out(f"    {a.key}: {value}{a.unit} [{a.source}]" + (f" — {a.note}" if a.note else ""))
