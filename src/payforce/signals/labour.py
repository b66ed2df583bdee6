"""Whose labour a code's payment funds, and how many patients it reaches (docs/method.md).

A Medicare fee-schedule payment is the sum of three relative values (PPRRVU columns):

- **work RVU** pays the billing practitioner's time and skill → the chain's ``bills`` roles;
- **practice-expense RVU** pays the practice's costs: clinical staff time, supplies, equipment.
  For a staff-time code (CCM, PCM, RPM management…) it is mostly clinical staff minutes → the
  chain's ``performs`` / ``documents`` staff roles. For a device-supply code (99454, 99445, the
  RTM device codes) it pays the device and its data service, and for an AI analysis code (75577)
  the software and technical component → **nobody's labour**;
- **malpractice RVU** pays insurance → nobody's labour.

Alternatives share: when three staff roles may perform a service, each is funded a third of the
staff share (one unit of service is done by one of them), and likewise for billers.

Uptake: a code funds labour in proportion to the patients it is billed for. Where the store has an
uptake metric public by ``as_of`` (CCM or TCM share of eligible patients, RPM enrolees), a
family's strength is scaled by that share over :data:`UPTAKE_FULL_SHARE`; otherwise by
:data:`DEFAULT_UPTAKE_SHARE` over it. Program signals (MSSP) are scaled by the program's reach:
assigned beneficiaries over Original Medicare enrolment.
"""

from __future__ import annotations

from dataclasses import dataclass

from payforce.knowledge.citations import citation_fields
from payforce.knowledge.metric_names import metric_name
from payforce.models import Evidence, ProgramMetric
from payforce.signals.base import EvidenceSet

__all__ = [
    "DEFAULT_SPLIT",
    "DEFAULT_UPTAKE_SHARE",
    "DEVICE_SUPPLY_CODES",
    "ORIGINAL_MEDICARE_MILLIONS",
    "UPTAKE_FULL_SHARE",
    "LabourSplit",
    "funded_shares",
    "conversion_factor_changes",
    "labour_split",
    "metric_evidence",
    "practitioner_roles",
    "program_reach",
    "uptake",
]

DEVICE_SUPPLY_CODES = frozenset(
    {"99454", "99445", "98976", "98977", "98978", "98984", "98985", "98986"}
)
"""Codes whose descriptor pays for a monitoring device's supply and data transmission: their
practice expense is equipment, not staff time (0 work RVU)."""
DEFAULT_SPLIT = (0.50, 0.45, 0.05)
"""(work, PE, MP) shares of total RVU when no RVU of the code is public by ``as_of``: about the
split of a staff-time management code (99490 in 2026: 1.00 / 0.91 / 0.07 of 1.98)."""
MINUTES_REFERENCE = 20.0
"""Staff minutes per unit at which staff funding stops growing (one CCM month)."""
UPTAKE_FULL_SHARE = 0.10
"""Share of eligible patients reached at which a family gets full strength."""
DEFAULT_UPTAKE_SHARE = 0.03
"""Uptake assumed when the store has none for a family: CCM reached 1.1 % of eligible patients in
its first year and 3.4 % by 2019; TCM 3.7 % in 2013 (program_metrics.csv)."""
ORIGINAL_MEDICARE_MILLIONS = 34.9
"""Original (fee-for-service) Medicare enrolment, millions (CMS, May 2022: 34.9 M of 64.6 M):
the denominator of RPM's and the MSSP's reach."""
UPTAKE_METRICS: dict[str, tuple[tuple[str, str], ...]] = {
    "ccm": (
        ("ccm_share_of_eligible_receiving", "percent"),
        ("ccm_share_of_eligible_receiving_20pct_sample", "percent"),
    ),
    "ccm_complex": (("ccm_share_of_eligible_receiving", "percent"),),
    "tcm": (("tcm_share_of_eligible_receiving", "percent"),),
    "rpm": (("rpm_medicare_enrollees", "count"),),
    "rpm_management": (("rpm_medicare_enrollees", "count"),),
}
"""Family → uptake metrics (first with a public value wins) and how to read them."""
REACH_METRICS: dict[str, str] = {"mssp": "mssp_assigned_beneficiaries"}
"""Program → metric of the beneficiaries it reaches (millions)."""
UPTAKE_PROGRAMS: dict[str, str] = {"ccm_uptake": "ccm", "rpm_uptake": "rpm"}
"""Uptake programs (knowledge/programs.yaml) → the family whose uptake share they measure: their
growth rate counts in proportion to the share of patients reached."""


@dataclass(frozen=True)
class LabourSplit:
    """How one code's payment divides between practitioner work, staff time and nobody."""

    code: str
    """The billing code."""
    work: float
    """Work RVU share of total RVU (→ billing practitioner)."""
    pe: float
    """Practice-expense share."""
    mp: float
    """Malpractice share (→ nobody)."""
    staff: float
    """Share funding clinical staff time: the PE share, 0 for device supply or AI software."""
    basis: str
    """Where the split comes from (RVU year, or the default)."""

    @property
    def nobody(self) -> float:
        """Share funding no one's labour (devices, software, insurance)."""
        return max(0.0, 1.0 - self.work - self.staff)


def labour_split(ev: EvidenceSet, code: str) -> LabourSplit:
    """The code's work / PE / MP split from its latest RVUs public by ``ev.as_of``."""
    best = None
    for v in ev.values.get(code, ()):
        if v.setting != "nonfacility" or v.year > ev.as_of.year or not v.total_rvu:
            continue
        if v.work_rvu is None or v.pe_rvu is None:
            continue
        if best is None or v.year > best.year:
            best = v
    if best is not None and best.total_rvu:
        work = (best.work_rvu or 0.0) / best.total_rvu
        pe = (best.pe_rvu or 0.0) / best.total_rvu
        mp = (best.mp_rvu or 0.0) / best.total_rvu
        basis = f"RVU {best.year}: work {best.work_rvu}, PE {best.pe_rvu}, MP {best.mp_rvu}"
    else:
        work, pe, mp = DEFAULT_SPLIT
        basis = "default split (no RVU public by the as-of date)"
    bc = ev.codes.get(code)
    if code in DEVICE_SUPPLY_CODES:
        staff, basis = 0.0, basis + "; PE pays the device"
    elif bc is not None and bc.ai_category:
        staff, basis = 0.0, basis + "; PE pays the software and technical component"
    else:
        staff = pe
    return LabourSplit(code, work, pe, mp, staff, basis)


def practitioner_roles(ev: EvidenceSet) -> frozenset[str]:
    """Roles that bill some family's services (their time is paid by work RVU)."""
    families = ev.knowledge.families.values()
    return frozenset(r for fam in families for r in fam.chain.get("bills", ()))


def _latest(metrics: list[ProgramMetric], name: str) -> ProgramMetric | None:
    found = [m for m in metrics if m.metric == name and m.value is not None]
    return max(found, key=lambda m: (m.year, m.available_from)) if found else None


def uptake(ev: EvidenceSet, family: str) -> tuple[float, ProgramMetric | None]:
    """0..1 strength factor for a family's reach, and the metric it comes from (None: default)."""
    for name, kind in UPTAKE_METRICS.get(family, ()):
        m = _latest(ev.metrics, name)
        if m is None or m.value is None:
            continue
        if kind == "percent":
            share = m.value / 100.0
        else:
            share = m.value / (ORIGINAL_MEDICARE_MILLIONS * 1e6)
        return min(1.0, share / UPTAKE_FULL_SHARE), m
    return DEFAULT_UPTAKE_SHARE / UPTAKE_FULL_SHARE, None


def program_reach(ev: EvidenceSet, program: str) -> tuple[float, ProgramMetric | None]:
    """0..1: how much of its population a program reaches (1.0 when the store has no measure).

    MSSP: assigned beneficiaries over Original Medicare; an uptake program: the uptake factor of
    its family (share of eligible patients over :data:`UPTAKE_FULL_SHARE`).
    """
    if program in UPTAKE_PROGRAMS:
        share, metric = uptake(ev, UPTAKE_PROGRAMS[program])
        return (share, metric) if metric is not None else (1.0, None)
    name = REACH_METRICS.get(program)
    m = _latest(ev.metrics, name) if name else None
    if m is None or m.value is None:
        return 1.0, None
    return min(1.0, m.value / ORIGINAL_MEDICARE_MILLIONS), m


def funded_shares(ev: EvidenceSet, family: str, code: str) -> dict[str, tuple[float, str]]:
    """Role → (share of the code's payment that funds its labour, its chain step).

    Work RVU goes to the billers (split among them); staff PE to the staff who perform or
    document (split among them), scaled by the family's staff minutes over
    :data:`MINUTES_REFERENCE`; practitioners who perform a personally-performed service are
    paid by its work RVU. Devices, software and insurance fund nobody: roles a code funds
    nothing of are left out.
    """
    fam = ev.knowledge.families.get(family)
    if fam is None:
        return {}
    split = labour_split(ev, code)
    practitioners = practitioner_roles(ev)
    billers = list(dict.fromkeys(fam.chain.get("bills", ())))
    staff_steps = [
        (step, r)
        for step in ("performs", "documents")
        for r in fam.chain.get(step, ())
        if r not in practitioners
    ]
    staff = list(dict.fromkeys(r for _, r in staff_steps))
    out: dict[str, tuple[float, str]] = {}
    if billers:
        each = split.work / len(billers)
        for r in billers:
            out[r] = (each, "bills")
    if not staff:
        # Personally performed: the practitioners who perform share the work RVU too.
        performers = [r for r in fam.chain.get("performs", ()) if r in practitioners]
        for r in performers:
            if r not in out:
                out[r] = (split.work / max(1, len(set(performers) | set(billers))), "performs")
    elif split.staff > 0:
        minutes = min(1.0, fam.minutes_per_unit / MINUTES_REFERENCE)
        each = split.staff * minutes / len(staff)
        for step, r in staff_steps:
            if r not in out:
                out[r] = (each, step)
    return {r: v for r, v in out.items() if v[0] > 0}


def metric_evidence(v: ProgramMetric) -> Evidence:
    """Evidence pointing at one program-metric value (an uptake or reach measure)."""
    url = v.source_url.split(" | ")[0]
    return Evidence(
        kind="metric",
        ref=v.metric,
        label=f"{metric_name(v.metric)}, {v.year}: {v.value_text} {v.unit}",
        url=url,
        available_from=v.available_from,
        **citation_fields(url),
        year=v.year,
        value=v.value_text,
    )


CF_METRICS = ("pfs_conversion_factor", "pfs_conversion_factor_non_qp")
"""Conversion-factor series (single CF to 2025, the non-QP CF from 2026)."""


def conversion_factor_changes(ev: EvidenceSet) -> dict[int, float]:
    """Fee-schedule year → percent change of the conversion factor from the year before.

    Only years where both values are public by ``ev.as_of``; the non-QP factor stands in for
    the single factor from 2026 (most clinicians are not qualifying APM participants).
    """
    by_year: dict[int, float] = {}
    for name in CF_METRICS:
        for m in ev.metrics:
            if m.metric == name and m.value:
                by_year[m.year] = m.value
    return {
        y: (v / by_year[y - 1] - 1) * 100 for y, v in sorted(by_year.items()) if y - 1 in by_year
    }
