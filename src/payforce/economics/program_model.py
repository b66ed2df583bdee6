"""A program's result records and the panel arithmetic behind them (staff hired in steps).

:mod:`payforce.economics.programs` builds them from the store and ``economics.yaml``.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field, replace
from decimal import Decimal
from typing import Any

from payforce.economics.payment import Locality, Payment, cf_label
from payforce.economics.program_spec import Assumption, Conflict, ProgramSpec

__all__ = [
    "CodeLine",
    "PanelModel",
    "ProgramResult",
    "RoleLine",
    "SensitivityRow",
    "break_even_panels",
    "hired_fte",
    "panel_curve",
    "panel_points",
    "staff_cost",
    "to_cents",
    "unit_contribution",
]


@dataclass(frozen=True)
class PanelModel:
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
    model: PanelModel | None = field(default=None, repr=False, compare=False)
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


def to_cents(x: float | Decimal) -> Decimal:
    from payforce.economics.payment import round_cents

    return round_cents(x)


def hired_fte(model: PanelModel, panel: float) -> dict[str, float]:
    """FTEs hired per role: the program's total rounded up to the increment, split by need."""
    need = {role: m * panel / model.capacity[role] for role, m in model.minutes_per_unit.items()}
    total = sum(need.values())
    if panel <= 0 or total <= 0:
        return dict.fromkeys(need, 0.0)
    hired = math.ceil(total / model.increment - 1e-9) * model.increment
    return {role: hired * n / total for role, n in need.items()}


def staff_cost(model: PanelModel, panel: float) -> Decimal:
    """Loaded monthly cost of the staff hired at ``panel`` (the split by role is constant)."""
    return _staff_cost(model, panel, _staffing(model))


def _staffing(model: PanelModel) -> tuple[float, Decimal]:
    """(FTE needed per enrolled unit, loaded monthly cost of one FTE of the program's mix):
    the same at every panel size, so a curve computes them once."""
    need = sum(m / model.capacity[role] for role, m in model.minutes_per_unit.items())
    if need <= 0:
        return need, Decimal(0)
    per_fte = sum(
        (
            model.cost_per_fte_month[role] * Decimal(repr(m / model.capacity[role] / need))
            for role, m in model.minutes_per_unit.items()
        ),
        Decimal(0),
    )
    return need, per_fte


def _staff_cost(model: PanelModel, panel: float, staffing: tuple[float, Decimal]) -> Decimal:
    need, per_fte = staffing
    if panel <= 0 or need <= 0:
        return Decimal(0)
    hired = math.ceil(need * panel / model.increment - 1e-9) * model.increment
    return per_fte * Decimal(repr(hired))


def unit_contribution(model: PanelModel) -> Decimal:
    """Revenue minus staff cost per enrolled unit, before hiring steps."""
    per_minute = sum(
        (
            model.cost_per_fte_month[role] * Decimal(repr(m / model.capacity[role]))
            for role, m in model.minutes_per_unit.items()
        ),
        Decimal(0),
    )
    return model.revenue_per_unit - per_minute


def break_even_panels(model: PanelModel, max_panel: int) -> tuple[int | None, int | None]:
    """(first panel with margin ≥ 0, panel from which it stays ≥ 0 up to ``max_panel``).

    Both are None when each enrolled unit costs more staff time than it brings in.
    """
    if unit_contribution(model) <= 0:
        return None, None
    staffing = _staffing(model)
    margins = [
        model.revenue_per_unit * n - _staff_cost(model, n, staffing) for n in range(max_panel + 1)
    ]
    first = next((n for n in range(1, max_panel + 1) if margins[n] >= 0), None)
    sustained: int | None = 1
    for n in range(max_panel, 0, -1):
        if margins[n] < 0:
            sustained = n + 1 if n < max_panel else None
            break
    return first, sustained


def panel_points(model: PanelModel, top: int) -> tuple[tuple[int, float, float], ...]:
    step = max(1, top // 120)
    staffing = _staffing(model)
    return tuple(
        (
            n,
            float(to_cents(model.revenue_per_unit * n)),
            float(to_cents(_staff_cost(model, n, staffing))),
        )
        for n in range(0, top + 1, step)
    )


def panel_curve(result: ProgramResult, top: int) -> ProgramResult:
    """The same result with its chart curve drawn from 0 to ``top`` (to plot two years alike)."""
    if result.model is None:
        return result
    return replace(result, curve=panel_points(result.model, top))
