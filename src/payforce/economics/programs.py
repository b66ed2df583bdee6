"""Program economics: payment quotes, revenue, staffing, margin and break-even for care programs.

Inputs come from ``knowledge/economics.yaml`` (each default with its source) and the store (RVUs,
GPCIs, conversion factors, OEWS wages). Every dollar carries its year, locality and CF type
(:attr:`ProgramResult.label`). Staff are hired in ``fte_increment`` steps, which is what makes a
break-even panel exist: below it the first hire is not yet paid for.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from datetime import date
from decimal import Decimal
from typing import Any

from payforce.economics.payment import NATIONAL, Locality, Payment, cf_label, compute_payment
from payforce.economics.program_spec import (
    Assumption,
    Conflict,
    Economics,
    ProgramSpec,
    check_segments,
    load_economics,
)
from payforce.errors import InputError, LookupFailedError
from payforce.store import fee_tables, queries
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


# ------------------------------------------------------------------------------------- quotes


def resolve_locality(store: Store, year: int, query: str | None) -> Locality:
    """National, or a locality of the year's synced GPCI file (``MAC-LOC``, ``ST-LOC`` or name)."""
    if query is None or query.strip().lower() in {"", "national", "00000-00"}:
        return NATIONAL
    from payforce.economics.payment import resolve_locality as pick

    rows = fee_tables.list_gpcis(store, year)
    if not rows:
        raise InputError(
            f"--locality {query}: no GPCIs for {year} in the store",
            hint=f"Run payforce sync fee-schedule --year {year} (the RVU zip has the GPCI file)",
        )
    row = pick(rows, query)
    found = fee_tables.get_gpci(store, year, row.mac, row.locality)
    return Locality.from_gpci(row, found[1] if found else "")


def quote_payment(
    store: Store,
    code: str,
    *,
    year: int,
    locality: Locality = NATIONAL,
    setting: str = "nonfacility",
    cf_kind: str = "non_qp",
    as_of: date | None = None,
) -> Payment:
    """One code's payment from the store's RVUs and CF (of the newest release public by
    ``as_of``). Raises LookupFailedError if unknown."""
    code = code.strip().upper()
    if cf_kind not in {"qp", "non_qp"}:
        raise InputError(f"CF type must be qp or non_qp ({cf_kind!r})")
    rvu = fee_tables.get_rvu(store, code, year, as_of=as_of)
    if rvu is None:
        raise LookupFailedError(
            f"code for {year}",
            code,
            _close_codes(store, code, year),
        )
    if rvu.status not in {"A", "R", "T"}:
        from payforce.sources.fee_schedule import STATUS_CODES

        raise InputError(
            f"{code} {year}: status {rvu.status} ({STATUS_CODES.get(rvu.status, '?')}), "
            "no PFS payment",
            hint="Only status A, R and T codes are paid by RVUs × GPCI × CF",
        )
    pe = rvu.pe_nonfacility if setting == "nonfacility" else rvu.pe_facility
    na = rvu.nonfacility_na if setting == "nonfacility" else rvu.facility_na
    if pe is None or na:
        other = "facility" if setting == "nonfacility" else "nonfacility"
        raise InputError(
            f"{code} {year}: not paid in the {setting} setting (NA indicator)",
            hint=f"Try --setting {other}",
        )
    cf = fee_tables.get_conversion_factor(store, year, cf_kind, as_of=as_of)
    if cf is None:
        if rvu.conversion_factor:
            cf = fee_tables.ConversionFactorRecord(
                year, "single" if year < 2026 else "non_qp", rvu.conversion_factor, rvu.source
            )
            if cf_kind == "qp" and year >= 2026:
                raise InputError(
                    f"{year}: no QP conversion factor in the store",
                    hint="Sync the release's QPP file or use --non-qp",
                )
        else:
            raise InputError(
                f"{year}: no conversion factor in the store",
                hint=f"Run payforce sync fee-schedule --year {year}",
            )
    return compute_payment(
        code=code,
        year=year,
        setting=setting,
        work_rvu=rvu.work_rvu,
        pe_rvu=pe,
        mp_rvu=rvu.mp_rvu,
        locality=locality,
        conversion_factor=cf.value,
        cf_kind=cf.kind,
        rvu_source=rvu.source,
        cf_source=cf.source,
        release=rvu.release,
        available_from=rvu.available_from,
    )


def _close_codes(store: Store, code: str, year: int) -> list[str]:
    known = [c.code for c in queries.list_codes(store)]
    from rapidfuzz import process

    return [m for m, _s, _i in process.extract(code, known, limit=3)]


# ------------------------------------------------------------------------------------- programs


@dataclass(frozen=True)
class _Model:
    revenue_per_unit: Decimal
    minutes_per_unit: dict[str, float]
    cost_per_fte_month: dict[str, Decimal]
    capacity: dict[str, float]
    increment: float


@dataclass(frozen=True)
class CodeLine:
    """Revenue from one code at the modelled panel."""

    code: str
    """Billing code."""
    units_per_month: float
    """Units billed per month at the panel."""
    amount: Decimal | None
    """Payment per unit (None when the code is not payable that year)."""
    revenue_month: Decimal
    """Revenue per month."""
    revenue_year: Decimal
    """Revenue per year (12 months)."""
    note: str = ""
    """Why there is no amount (``not payable in 2025``) or its source."""


@dataclass(frozen=True)
class RoleLine:
    """Staff time and cost for one role at the modelled panel."""

    role: str
    """Role key."""
    title: str
    """Role title."""
    step: str
    """``performs`` (hired, costed) or ``practitioner`` (counted, not costed)."""
    minutes_month: float
    """Minutes per month."""
    fte: float
    """FTEs needed (minutes ÷ capacity)."""
    fte_hired: float
    """FTEs hired: the program's total rounded up to the increment, split by need
    (practitioners: same as ``fte``)."""
    annual_wage: float | None
    """OEWS median annual wage, USD."""
    wage_year: str
    """OEWS reference period."""
    cost_month: Decimal
    """Loaded staff cost per month (0 for practitioners)."""


@dataclass(frozen=True)
class SensitivityRow:
    """Margin and break-even with one input moved."""

    variable: str
    """What was changed."""
    setting: str
    """The value used."""
    margin_month: Decimal
    """Margin per month at the panel."""
    break_even: int | None
    """First break-even enrolled panel (None: not reached)."""
    break_even_sustained: int | None = None
    """Panel from which the margin stays ≥ 0 (None: not reached)."""


@dataclass(frozen=True)
class ProgramResult:
    """Everything ``payforce economics`` prints for one program and year."""

    program: ProgramSpec
    """The program and its defaults."""
    year: int
    """Fee-schedule year."""
    locality: Locality
    """Locality used."""
    cf_kind: str
    """CF type used."""
    setting: str
    """Setting used."""
    eligible: float
    """Eligible patients."""
    enrolment: float
    """Share enrolled."""
    panel: int
    """Enrolled patients (eligible × enrolment)."""
    revenue_per_unit: Decimal
    """Revenue per patient-month (or per discharge)."""
    codes: tuple[CodeLine, ...]
    """Revenue by code at the panel."""
    roles: tuple[RoleLine, ...]
    """Staff by role at the panel."""
    revenue_month: Decimal
    """Revenue per month."""
    staff_cost_month: Decimal
    """Loaded cost of hired staff per month."""
    margin_month: Decimal
    """Revenue − staff cost per month."""
    break_even: int | None
    """Smallest enrolled panel whose revenue pays for the first hire (None: never)."""
    break_even_sustained: int | None
    """Panel from which the margin stays ≥ 0 through every later hire (None: never)."""
    curve: tuple[tuple[int, float, float], ...]
    """(panel, revenue/month, staff cost/month) points for charts."""
    conflicts: tuple[Conflict, ...]
    """Billing-rule conflicts in the mix."""
    assumptions: tuple[Assumption, ...]
    """Every input used, with sources."""
    payments: tuple[Payment, ...]
    """The payment quote behind each code."""
    sensitivity: tuple[SensitivityRow, ...] = ()
    """Margin and break-even with inputs moved."""
    warnings: tuple[str, ...] = field(default_factory=tuple)
    """Notes such as codes not payable in the year."""
    model: _Model | None = field(default=None, repr=False, compare=False)
    """The revenue and cost model behind the curve (for :func:`panel_curve`)."""

    @property
    def label(self) -> str:
        """``<year>, <locality>, <CF type>``: printed next to every dollar."""
        return f"{self.year}, {self.locality.name}, {cf_label(self.cf_kind)}"

    @property
    def margin_year(self) -> Decimal:
        """Margin per year."""
        return self.margin_month * 12

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready form."""
        return {
            "program": self.program.key,
            "name": self.program.name,
            "year": self.year,
            "locality": self.locality.key,
            "locality_name": self.locality.name,
            "cf_kind": self.cf_kind,
            "setting": self.setting,
            "label": self.label,
            "eligible": self.eligible,
            "enrolment": self.enrolment,
            "panel": self.panel,
            "unit": self.program.unit,
            "revenue_per_unit": str(self.revenue_per_unit),
            "codes": [
                {
                    "code": c.code,
                    "units_per_month": round(c.units_per_month, 2),
                    "amount": str(c.amount) if c.amount is not None else None,
                    "revenue_month": str(c.revenue_month),
                    "revenue_year": str(c.revenue_year),
                    "note": c.note,
                }
                for c in self.codes
            ],
            "roles": [
                {
                    "role": r.role,
                    "title": r.title,
                    "step": r.step,
                    "minutes_month": round(r.minutes_month, 1),
                    "fte": round(r.fte, 3),
                    "fte_hired": r.fte_hired,
                    "annual_wage": r.annual_wage,
                    "wage_year": r.wage_year,
                    "cost_month": str(r.cost_month),
                }
                for r in self.roles
            ],
            "revenue_month": str(self.revenue_month),
            "staff_cost_month": str(self.staff_cost_month),
            "margin_month": str(self.margin_month),
            "margin_year": str(self.margin_year),
            "break_even": self.break_even,
            "break_even_sustained": self.break_even_sustained,
            "conflicts": [c.__dict__ for c in self.conflicts],
            "sensitivity": [
                {
                    "variable": s.variable,
                    "setting": s.setting,
                    "margin_month": str(s.margin_month),
                    "break_even": s.break_even,
                    "break_even_sustained": s.break_even_sustained,
                }
                for s in self.sensitivity
            ],
            "assumptions": [a.__dict__ for a in self.assumptions],
            "warnings": list(self.warnings),
        }


def _cents(x: float | Decimal) -> Decimal:
    from payforce.economics.payment import round_cents

    return round_cents(x)


def _hired(model: _Model, panel: float) -> dict[str, float]:
    """FTEs hired per role: the program's total rounded up to the increment, split by need."""
    need = {role: m * panel / model.capacity[role] for role, m in model.minutes_per_unit.items()}
    total = sum(need.values())
    if panel <= 0 or total <= 0:
        return dict.fromkeys(need, 0.0)
    hired = math.ceil(total / model.increment - 1e-9) * model.increment
    return {role: hired * n / total for role, n in need.items()}


def _cost(model: _Model, panel: float) -> Decimal:
    """Loaded monthly cost of the staff hired at ``panel`` (the split by role is constant)."""
    need = sum(m / model.capacity[role] for role, m in model.minutes_per_unit.items())
    if panel <= 0 or need <= 0:
        return Decimal(0)
    hired = math.ceil(need * panel / model.increment - 1e-9) * model.increment
    per_fte = sum(
        (
            model.cost_per_fte_month[role] * Decimal(repr(m / model.capacity[role] / need))
            for role, m in model.minutes_per_unit.items()
        ),
        Decimal(0),
    )
    return per_fte * Decimal(repr(hired))


def _contribution(model: _Model) -> Decimal:
    """Revenue minus staff cost per enrolled unit, before hiring steps."""
    per_minute = sum(
        (
            model.cost_per_fte_month[role] * Decimal(repr(m / model.capacity[role]))
            for role, m in model.minutes_per_unit.items()
        ),
        Decimal(0),
    )
    return model.revenue_per_unit - per_minute


def _break_even(model: _Model, max_panel: int) -> tuple[int | None, int | None]:
    """(first panel with margin ≥ 0, panel from which it stays ≥ 0 up to ``max_panel``).

    Both are None when each enrolled unit costs more staff time than it brings in.
    """
    if _contribution(model) <= 0:
        return None, None
    margins = [model.revenue_per_unit * n - _cost(model, n) for n in range(max_panel + 1)]
    first = next((n for n in range(1, max_panel + 1) if margins[n] >= 0), None)
    sustained: int | None = 1
    for n in range(max_panel, 0, -1):
        if margins[n] < 0:
            sustained = n + 1 if n < max_panel else None
            break
    return first, sustained


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
    roles = {r.key: r for r in queries.list_roles(store)}
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
    model = _Model(rev_unit, minutes_by_role, cost_fte, capacity, increment)
    elig = spec.eligible.value if eligible is None else eligible
    enrol = spec.enrolment.value if enrolment is None else enrolment
    panel = int(round(elig * enrol))
    code_lines = tuple(
        CodeLine(
            code=code,
            units_per_month=units_per[code] * panel,
            amount=amounts.get(code),
            revenue_month=_cents(
                (amounts.get(code) or Decimal(0)) * Decimal(repr(units_per[code] * panel))
            ),
            revenue_year=_cents(
                (amounts.get(code) or Decimal(0)) * Decimal(repr(units_per[code] * panel * 12))
            ),
            note=notes.get(code, ""),
        )
        for code in sorted(units_per)
    )
    role_lines = []
    hired_at_panel = _hired(model, panel)
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
                cost_month=_cents(cost_fte[role] * Decimal(repr(hired))),
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
    cost = _cents(sum((rl.cost_month for rl in role_lines), Decimal(0)))
    be, sustained = _break_even(model, max_panel)
    top = max(panel, sustained or be or 0, 50)
    top = min(max(int(top * 1.6), 60), max_panel)
    curve = _curve(model, top)
    assumptions = _assumptions(econ, spec, elig, enrol, wage_factor, capacity_factor)
    result = ProgramResult(
        program=spec,
        year=year,
        locality=loc,
        cf_kind=payments[0].cf_kind if payments else cf_kind,
        setting=setting,
        eligible=elig,
        enrolment=enrol,
        panel=panel,
        revenue_per_unit=_cents(rev_unit),
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


def _curve(model: _Model, top: int) -> tuple[tuple[int, float, float], ...]:
    step = max(1, top // 120)
    return tuple(
        (n, float(_cents(model.revenue_per_unit * n)), float(_cents(_cost(model, n))))
        for n in range(0, top + 1, step)
    )


def panel_curve(result: ProgramResult, top: int) -> ProgramResult:
    """The same result with its chart curve drawn from 0 to ``top`` (to plot two years alike)."""
    if result.model is None:
        return result
    return replace(result, curve=_curve(result.model, top))


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
            "× OEWS May 2024 national median (roles table)",
            "https://www.bls.gov/oes/special-requests/oesm24nat.zip",
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
