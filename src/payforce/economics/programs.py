"""Program economics: payment quotes, revenue, staffing, margin and break-even for care programs.

Inputs come from ``knowledge/economics.yaml`` (each default with its source) and the store (RVUs,
GPCIs, conversion factors, OEWS wages). Every dollar carries its year, locality and CF type
(:attr:`ProgramResult.label`). Staff are hired in ``fte_increment`` steps, which is what makes a
break-even panel exist: below it the first hire is not yet paid for.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import replace
from datetime import date
from decimal import Decimal
from typing import Any

from payforce.economics.payment import NATIONAL, Locality, Payment, cf_label
from payforce.economics.program_model import (
    CodeLine,
    PanelModel,
    ProgramResult,
    RoleLine,
    SensitivityRow,
    break_even_panels,
    hired_fte,
    panel_curve,
    panel_points,
    to_cents,
)
from payforce.economics.program_spec import (
    Assumption,
    Economics,
    ProgramSpec,
    check_segments,
    load_economics,
)
from payforce.economics.quotes import quote_payment, resolve_locality
from payforce.errors import InputError, LookupFailedError
from payforce.store import queries
from payforce.store.db import Store

__all__ = [
    "CodeLine",
    "ProgramResult",
    "RoleLine",
    "SensitivityRow",
    "compare_programs",
    "load_economics",
    "panel_curve",
    "quote_payment",
    "resolve_locality",
    "run_program",
]


def run_program(
    store: Store,
    program: str,
    *,
    year: int | None = None,
    locality: str | None = None,
    setting: str | None = None,
    cf_kind: str | None = None,
    eligible: float | None = None,
    enrolment: float | None = None,
    wage_factor: float = 1.0,
    capacity_factor: float = 1.0,
    sensitivity: bool = True,
    economics: Economics | None = None,
    as_of: date | None = None,
) -> ProgramResult:
    """Model one program for one year, with the fee values public by ``as_of`` (newest when
    None); see the module docstring for the method."""
    econ = economics or load_economics()
    key = program.strip().lower().replace("/", "").replace(" ", "")
    if key not in econ.programs:
        raise LookupFailedError("program", program, sorted(econ.programs))
    spec = econ.programs[key]
    year = year or econ.year
    cf_kind = cf_kind or econ.cf_kind
    setting = setting or econ.setting
    if eligible is not None and eligible < 0:
        raise InputError(f"--eligible: must be zero or more ({eligible!r})")
    if enrolment is not None and not 0 <= enrolment <= 1:
        raise InputError(
            f"--enrolment: must be a share between 0 and 1 ({enrolment!r})",
            hint="Write 35% as 0.35",
        )
    loc = resolve_locality(store, year, locality)
    codes_meta = {c.code: c for c in queries.list_codes(store)}
    warnings: list[str] = []
    amounts: dict[str, Decimal | None] = {}
    notes: dict[str, str] = {}
    payments: list[Payment] = []
    for seg in spec.segments:
        for code in seg.codes:
            if code in amounts:
                continue
            meta = codes_meta.get(code)
            if meta and meta.first_paid_year and meta.first_paid_year > year:
                amounts[code] = None
                notes[code] = f"not payable in {year} (first paid {meta.first_paid_year})"
                warnings.append(f"{code}: {notes[code]}; its patient-months bill nothing")
                continue
            try:
                p = quote_payment(
                    store,
                    code,
                    year=year,
                    locality=loc,
                    setting=setting,
                    cf_kind=cf_kind,
                    as_of=as_of,
                )
            except LookupFailedError:
                approx = _approximate(store, code, year, loc, as_of)
                if approx is None:
                    national = _approximate(store, code, year, NATIONAL, as_of) is not None
                    what = "RVUs (only a national payment)" if national else "value"
                    raise InputError(
                        f"{spec.key} {year}: no {what} for {code} in the store",
                        hint=f"Run payforce sync fee-schedule --year {year} with the full release",
                    ) from None
                amounts[code], notes[code] = approx
                warnings.append(
                    f"{code}: {year} national payment from a secondary source, no RVUs in the "
                    f"store ({notes[code]})"
                )
                continue
            payments.append(p)
            amounts[code] = p.amount
            notes[code] = p.rvu_source
    # revenue and minutes per enrolled unit
    rev_unit = Decimal(0)
    units_per: dict[str, float] = {}
    minutes_unit = 0.0
    billed_share = 0.0
    for seg in spec.segments:
        minutes_unit += seg.share * seg.minutes
        if seg.codes and not seg.extra:
            billed_share += seg.share
        for code, n in seg.codes.items():
            units_per[code] = units_per.get(code, 0.0) + seg.share * n
            amount = amounts.get(code)
            if amount is not None:
                rev_unit += amount * Decimal(repr(seg.share * n))
    roles = {r.key: r for r in queries.list_roles(store, as_of)}  # OEWS vintage public then
    loading = econ.defaults["loading_factor"].value
    paid = econ.defaults["paid_minutes_per_fte_month"].value
    increment = econ.defaults["fte_increment"].value
    max_panel = int(econ.defaults["max_panel"].value)
    minutes_by_role = {role: minutes_unit * share for role, share in spec.staff_mix.items()}
    cost_fte: dict[str, Decimal] = {}
    capacity: dict[str, float] = {}
    for role in minutes_by_role:
        wage = roles[role].median_wage if role in roles else None
        if wage is None:
            raise InputError(
                f"{spec.key}: no OEWS wage for role {role!r} in the store",
                hint="Run payforce sync bls or reload the snapshot",
            )
        cost_fte[role] = Decimal(repr(wage * wage_factor * loading / 12))
        capacity[role] = econ.capacities[role].value * capacity_factor
    model = PanelModel(rev_unit, minutes_by_role, cost_fte, capacity, increment)
    elig = spec.eligible.value if eligible is None else eligible
    enrol = spec.enrolment.value if enrolment is None else enrolment
    panel = int(round(elig * enrol))
    code_lines = tuple(
        CodeLine(
            code=code,
            units_per_month=units_per[code] * panel,
            amount=amounts.get(code),
            revenue_month=to_cents(
                (amounts.get(code) or Decimal(0)) * Decimal(repr(units_per[code] * panel))
            ),
            revenue_year=to_cents(
                (amounts.get(code) or Decimal(0)) * Decimal(repr(units_per[code] * panel * 12))
            ),
            note=notes.get(code, ""),
        )
        for code in sorted(units_per)
    )
    role_lines = []
    hired_at_panel = hired_fte(model, panel)
    for role, m in minutes_by_role.items():
        r = roles.get(role)
        hired = hired_at_panel[role]
        role_lines.append(
            RoleLine(
                role=role,
                title=r.title if r else role,
                step="performs",
                minutes_month=m * panel,
                fte=m * panel / capacity[role],
                fte_hired=hired,
                annual_wage=r.median_wage if r else None,
                wage_year=r.wage_year if r else "",
                cost_month=to_cents(cost_fte[role] * Decimal(repr(hired))),
            )
        )
    prac = spec.practitioner
    if prac.key and prac.value:
        r = roles.get(prac.key)
        m = prac.value * billed_share * panel
        cap = econ.capacities.get(prac.key)
        fte = m / (cap.value if cap else paid)
        role_lines.append(
            RoleLine(
                role=prac.key,
                title=r.title if r else prac.key,
                step="practitioner",
                minutes_month=m,
                fte=fte,
                fte_hired=fte,
                annual_wage=r.median_wage if r else None,
                wage_year=r.wage_year if r else "",
                cost_month=Decimal("0.00"),
            )
        )
    revenue = sum((c.revenue_month for c in code_lines), Decimal(0))
    cost = to_cents(sum((rl.cost_month for rl in role_lines), Decimal(0)))
    be, sustained = break_even_panels(model, max_panel)
    top = max(panel, sustained or be or 0, 50)
    top = min(max(int(top * 1.6), 60), max_panel)
    curve = panel_points(model, top)
    wage_year = next((r.wage_year for r in roles.values() if r.wage_year), "")
    assumptions = _assumptions(
        econ, spec, elig, enrol, wage_factor, capacity_factor, wage_year=wage_year
    )
    result = ProgramResult(
        program=spec,
        year=year,
        locality=loc,
        cf_kind=payments[0].cf_kind if payments else cf_kind,
        setting=setting,
        eligible=elig,
        enrolment=enrol,
        panel=panel,
        revenue_per_unit=to_cents(rev_unit),
        codes=code_lines,
        roles=tuple(role_lines),
        revenue_month=revenue,
        staff_cost_month=cost,
        margin_month=revenue - cost,
        break_even=be,
        break_even_sustained=sustained,
        curve=curve,
        conflicts=tuple(check_segments(spec.segments, econ.rules)),
        assumptions=assumptions,
        payments=tuple(payments),
        warnings=tuple(dict.fromkeys(warnings)),
        model=model,
    )
    if not sensitivity:
        return result
    return replace(
        result,
        sensitivity=tuple(
            _sensitivity(
                store,
                spec.key,
                year=year,
                locality=locality,
                setting=setting,
                cf_kind=cf_kind,
                eligible=elig,
                enrolment=enrol,
                economics=econ,
                as_of=as_of,
            )
        ),
    )


def _approximate(
    store: Store, code: str, year: int, loc: Locality, as_of: date | None = None
) -> tuple[Decimal, str] | None:
    if loc is not NATIONAL:
        return None
    for v in queries.list_code_values(store, code, as_of):
        if v.year == year and v.setting == "nonfacility" and v.payment is not None:
            return Decimal(repr(v.payment)).quantize(Decimal("0.01")), v.source
    return None


def _assumptions(
    econ: Economics,
    spec: ProgramSpec,
    elig: float,
    enrol: float,
    wage_factor: float,
    capacity_factor: float,
    wage_year: str = "",
) -> tuple[Assumption, ...]:
    out = [replace(spec.eligible, value=elig), replace(spec.enrolment, value=enrol)]
    out.append(
        Assumption(
            "segments",
            len([s for s in spec.segments if not s.extra]),
            "kinds of patient-month",
            spec.segments_source,
        )
    )
    short = "assumption" if spec.segments_source.startswith("assumption") else "see segments"
    out += [
        Assumption(f"share: {s.label}", s.share, "of patient-months", short) for s in spec.segments
    ]
    out.append(
        Assumption(
            "staff mix",
            1.0,
            ", ".join(f"{r} {v:.0%}" for r, v in spec.staff_mix.items()),
            spec.staff_mix_source,
        )
    )
    for role in spec.staff_mix:
        cap = econ.capacities[role]
        out.append(replace(cap, key=f"capacity: {role}", value=cap.value * capacity_factor))
    out.append(
        Assumption(
            f"practitioner minutes: {spec.practitioner.key}",
            spec.practitioner.value,
            "minutes per billed unit",
            spec.practitioner.source,
            spec.practitioner.note,
        )
    )
    out += [econ.defaults[k] for k in ("loading_factor", "fte_increment")]
    out.append(
        Assumption(
            "wages",
            wage_factor,
            f"× OEWS May {wage_year[:4] or '(none)'} national median (the vintage public then)",
            f"https://www.bls.gov/oes/special-requests/oesm{wage_year[2:4] or '24'}nat.zip",
        )
    )
    return tuple(out)


def _sensitivity(
    store: Store,
    program: str,
    *,
    year: int,
    locality: str | None,
    setting: str,
    cf_kind: str,
    eligible: float,
    enrolment: float,
    economics: Economics,
    as_of: date | None = None,
) -> list[SensitivityRow]:
    def run(**kw: Any) -> ProgramResult:
        args: dict[str, Any] = {
            "year": year,
            "locality": locality,
            "setting": setting,
            "cf_kind": cf_kind,
            "eligible": eligible,
            "enrolment": enrolment,
            "sensitivity": False,
            "economics": economics,
            "as_of": as_of,
        }
        args.update(kw)
        return run_program(store, program, **args)

    cases: list[tuple[str, str, Mapping[str, Any]]] = [
        ("base", "defaults", {}),
        ("wages", "-20%", {"wage_factor": 0.8}),
        ("wages", "+20%", {"wage_factor": 1.2}),
        ("staff capacity", "-25%", {"capacity_factor": 0.75}),
        ("staff capacity", "+25%", {"capacity_factor": 1.25}),
        ("enrolment", f"{enrolment * 0.5:.0%}", {"enrolment": enrolment * 0.5}),
        ("enrolment", f"{min(1.0, enrolment * 1.5):.0%}", {"enrolment": min(1.0, enrolment * 1.5)}),
    ]
    if year >= 2026:
        other = "qp" if cf_kind == "non_qp" else "non_qp"
        cases.append(("CF type", cf_label(other), {"cf_kind": other}))
    rows = []
    for variable, label, kw in cases:
        r = run(**kw)
        rows.append(
            SensitivityRow(variable, label, r.margin_month, r.break_even, r.break_even_sustained)
        )
    return rows


def compare_programs(current: ProgramResult, previous: ProgramResult) -> dict[str, Any]:
    """How break-even, revenue and margin moved between two years of one program."""
    return {
        "program": current.program.key,
        "years": [previous.year, current.year],
        "revenue_per_unit": [str(previous.revenue_per_unit), str(current.revenue_per_unit)],
        "margin_month": [str(previous.margin_month), str(current.margin_month)],
        "break_even": [previous.break_even, current.break_even],
        "break_even_sustained": [previous.break_even_sustained, current.break_even_sustained],
        "labels": [previous.label, current.label],
        "new_codes": sorted(
            c.code
            for c in current.codes
            if c.amount is not None
            and any(p.code == c.code and p.amount is None for p in previous.codes)
        ),
    }
