"""National demand: eligible beneficiaries × uptake scenarios → FTE demand by role (pure, no I/O).

Uses each program's mix, staff split and capacities from ``knowledge/economics.yaml`` and the
``demand`` entries there (eligible base and uptake shares, each with its source). The signal
engine can scale a question-1 signal by :attr:`Demand.size` (FTEs of the largest scenario).
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Any

from payforce.economics.program_spec import Assumption, Economics, load_economics, read_assumption
from payforce.errors import LookupFailedError

__all__ = ["Demand", "DemandScenario", "demand_families", "national_demand"]


@dataclass(frozen=True)
class DemandScenario:
    """One uptake scenario and the staff it would need nationally."""

    label: str
    """Scenario name, e.g. ``2019 uptake``."""
    share: float
    """Share of eligible beneficiaries served."""
    source: str
    """Source of the share (or ``assumption``)."""
    patients: float
    """Beneficiaries served."""
    units_month: float
    """Billed units a month (patient-months, or discharges ÷ 12)."""
    fte_by_role: dict[str, float]
    """Role → FTEs needed (hired roles and the practitioner)."""

    @property
    def total_fte(self) -> float:
        """All FTEs of the scenario."""
        return sum(self.fte_by_role.values())


@dataclass(frozen=True)
class Demand:
    """National FTE demand for one family under uptake scenarios."""

    family: str
    """Family key asked for."""
    program: str
    """Program whose mix and capacities are used."""
    eligible: Assumption
    """Eligible beneficiaries, with source."""
    scenarios: tuple[DemandScenario, ...]
    """Scenarios, in the order of economics.yaml."""
    assumptions: tuple[Assumption, ...]
    """Every other input used."""

    @property
    def size(self) -> float:
        """Total FTEs of the largest scenario: the scale a signal's strength can use."""
        return max((s.total_fte for s in self.scenarios), default=0.0)

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready form."""
        return {
            "family": self.family,
            "program": self.program,
            "eligible": self.eligible.__dict__,
            "size_fte": round(self.size, 1),
            "scenarios": [
                {
                    "label": s.label,
                    "share": s.share,
                    "source": s.source,
                    "patients": round(s.patients),
                    "units_month": round(s.units_month),
                    "fte_by_role": {k: round(v, 1) for k, v in s.fte_by_role.items()},
                    "total_fte": round(s.total_fte, 1),
                }
                for s in self.scenarios
            ],
            "assumptions": [a.__dict__ for a in self.assumptions],
        }


def demand_families(economics: Economics | None = None) -> dict[str, str]:
    """Every family key ``national_demand`` answers for → its demand entry."""
    econ = economics or load_economics()
    out: dict[str, str] = {}
    for key, entry in econ.demand.items():
        out[key] = key
        spec = econ.programs.get(str(entry.get("program", key)))
        for fam in spec.families if spec else ():
            out.setdefault(fam, key)
    return out


def national_demand(family: str, economics: Economics | None = None) -> Demand:
    """Eligible beneficiaries × uptake scenarios → national FTE demand by role (pure).

    Raises :class:`LookupFailedError` for a family without a sourced eligible base.
    """
    econ = economics or load_economics()
    fams = demand_families(econ)
    key = family.strip().lower()
    if key not in fams:
        raise LookupFailedError("demand family", family, sorted(fams))
    entry = econ.demand[fams[key]]
    spec = econ.programs[str(entry.get("program", fams[key]))]
    eligible = read_assumption("eligible", entry["eligible"], fams[key])
    minutes = sum(s.share * s.minutes for s in spec.segments)
    billed = sum(s.share for s in spec.segments if s.codes and not s.extra)
    per_unit = {
        role: minutes * share / econ.capacities[role].value
        for role, share in spec.staff_mix.items()
    }
    prac = spec.practitioner
    paid = econ.defaults["paid_minutes_per_fte_month"].value
    if prac.key and prac.value:
        cap = econ.capacities.get(prac.key)
        per_unit[prac.key] = per_unit.get(prac.key, 0.0) + prac.value * billed / (
            cap.value if cap else paid
        )
    scenarios = []
    for s in entry.get("scenarios", []):
        share = float(s["share"])
        patients = eligible.value * share
        units = patients / 12 if spec.unit == "discharge" else patients
        scenarios.append(
            DemandScenario(
                label=str(s["label"]),
                share=share,
                source=str(s.get("source", "assumption")),
                patients=patients,
                units_month=units,
                fte_by_role={role: units * f for role, f in per_unit.items()},
            )
        )
    assumptions = [
        Assumption(
            "minutes per unit",
            minutes,
            "staff minutes per enrolled unit a month (mix average)",
            spec.segments_source,
        ),
        Assumption(
            "staff mix",
            1.0,
            ", ".join(f"{r} {v:.0%}" for r, v in spec.staff_mix.items()),
            spec.staff_mix_source,
        ),
        *(replace(econ.capacities[r], key=f"capacity: {r}") for r in spec.staff_mix),
        Assumption(
            f"practitioner minutes: {prac.key}",
            prac.value,
            "minutes per billed unit",
            prac.source,
            prac.note,
        ),
    ]
    if spec.unit == "discharge":
        assumptions.append(
            Assumption(
                "episodes",
                1 / 12,
                "TCM episodes per beneficiary-month",
                "assumption",
                "one transition a year per beneficiary served",
            )
        )
    return Demand(
        family=key,
        program=spec.key,
        eligible=eligible,
        scenarios=tuple(scenarios),
        assumptions=tuple(assumptions),
    )
