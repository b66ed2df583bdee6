"""Frozen domain records: the words of DESIGN.md as types.

Every record that comes from outside keeps where it came from (``source_url``) and how sure we are
(``confidence``: high / medium / low), and approximate values stay marked ``approximate``.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any, Literal

__all__ = [
    "AICategory",
    "BillingCode",
    "CodeValue",
    "Direction",
    "Evidence",
    "Outlook",
    "PolicyDocument",
    "ProgramMetric",
    "Provision",
    "Role",
    "Signal",
]

Direction = Literal["growth", "pressure", "pivot"]
AICategory = Literal["assistive", "augmentative", "autonomous"]
CONFIDENCE_WEIGHT: dict[str, float] = {"high": 0.9, "medium": 0.7, "low": 0.5}


@dataclass(frozen=True)
class PolicyDocument:
    """A Federal Register document (proposed rule, final rule, notice)."""

    document_number: str
    """FR document number, e.g. ``2014-26183``; the natural key."""
    type: str
    """``Proposed Rule``, ``Rule`` or ``Notice`` as the Federal Register names them."""
    title: str
    """Official title."""
    publication_date: date
    """Date published in the Federal Register; the date the evidence became public."""
    agency: str = ""
    """Issuing agency, e.g. ``CMS (HHS)``."""
    citation: str = ""
    """Volume and page, e.g. ``79 FR 67547``."""
    file_code: str = ""
    """CMS file code(s), ``;``-separated, e.g. ``CMS-1612-FC``."""
    rin: str = ""
    """Regulation Identifier Number(s), ``;``-separated."""
    docket: str = ""
    """Docket id(s), ``;``-separated."""
    effective_date: date | None = None
    """Date the rule takes effect, where known."""
    comments_close_date: date | None = None
    """End of the comment period, where known."""
    cfr_parts: str = ""
    """CFR title and parts affected, as printed."""
    summary: str = ""
    """A short summary in our own words (or the FR abstract, which is public)."""
    html_url: str = ""
    """Link to the document on federalregister.gov."""
    source_url: str = ""
    """Where the record's facts come from (``|``-separated)."""
    confidence: str = "high"
    """high / medium / low."""
    key: str = ""
    """A readable key for curated documents, e.g. ``pfs_cy2015_final``."""
    origin: str = "snapshot"
    """``snapshot`` (bundled) or ``federal_register`` (synced)."""

    @property
    def is_proposed(self) -> bool:
        """True for a proposed rule."""
        return self.type.lower().startswith("proposed")

    @property
    def is_final(self) -> bool:
        """True for a final rule (FR type ``Rule``)."""
        return self.type.lower() in {"rule", "final rule"}

    @property
    def url(self) -> str:
        """Best link to check the document."""
        if self.html_url:
            return self.html_url
        return f"https://www.federalregister.gov/d/{self.document_number}"


@dataclass(frozen=True)
class Provision:
    """One actionable piece of a document: a code made payable, a deadline, a program change."""

    document_number: str
    """The document it comes from."""
    kind: str
    """``code_payable``, ``code_proposed`` (curated/derived); extracted: ``code_payable``,
    ``code_mention``, ``deadline``, ``effective_date``, ``ai_term``, ``program``."""
    subject: str
    """The code, family, mandate or program the provision is about."""
    family: str = ""
    """Service family key where the subject is a code."""
    effective_date: date | None = None
    """When the provision applies."""
    detail: str = ""
    """Short human description."""
    evidence_text: str = ""
    """The sentence the provision was read from (extracted provisions)."""
    start: int | None = None
    """Character offset of the evidence span in the document text."""
    end: int | None = None
    """End offset of the evidence span."""
    origin: str = "curated"
    """``curated``, ``derived`` (from a code's first paid year) or ``extracted`` (from text)."""
    roles: tuple[str, ...] = ()
    """Explicit role keys where the provision names who bills or performs (optional)."""


@dataclass(frozen=True)
class BillingCode:
    """A CPT Category I / III or HCPCS Level II code."""

    code: str
    """The code, e.g. ``99490``, ``0623T``, ``G0557``."""
    system: str
    """``CPT Category I`` / ``III`` or ``HCPCS Level II``, derived from the code's form."""
    family: str
    """Service family key, e.g. ``ccm``."""
    description: str
    """Our own short description (never the AMA descriptor)."""
    first_paid_year: int | None = None
    """First calendar year Medicare paid it, where known."""
    first_paid_date: date | None = None
    """Exact start date where it began mid-year (e.g. 2026-04-01)."""
    threshold: str = ""
    """Time or data-day threshold per unit."""
    performer: str = ""
    """Who performs it, as the source says."""
    ai_category: str = ""
    """assistive / augmentative / autonomous (CPT Appendix S), or empty."""
    status_note: str = ""
    """e.g. ``deleted 2026`` or ``not payable``."""
    source_url: str = ""
    """Sources (``|``-separated)."""
    confidence: str = "medium"
    """high / medium / low."""


@dataclass(frozen=True)
class CodeValue:
    """A code's value in one fee-schedule year and setting."""

    code: str
    """The billing code."""
    year: int
    """Fee-schedule year."""
    setting: str = "nonfacility"
    """``nonfacility`` or ``facility``."""
    work_rvu: float | None = None
    """Work RVU."""
    pe_rvu: float | None = None
    """Practice-expense RVU for the setting."""
    mp_rvu: float | None = None
    """Malpractice RVU."""
    total_rvu: float | None = None
    """Total RVU for the setting."""
    conversion_factor: float | None = None
    """Conversion factor used, USD per RVU."""
    payment: float | None = None
    """National payment in USD."""
    approximate: bool = False
    """True when the payment is a rounded secondary-source figure."""
    source: str = ""
    """Source file or URL."""
    release: str = ""
    """CMS release (``RVU26A``, ``RVU26C``…) or FR document number whose addendum printed it."""
    available_from: date | None = None
    """Date the release became public (RVU file ``RELEASED`` date or FR publication date)."""


@dataclass(frozen=True)
class ProgramMetric:
    """One value of a yearly program series (ACO count, beneficiaries, uptake…)."""

    metric: str
    """Metric key, e.g. ``mssp_aco_count``."""
    year: int
    """Year the value describes (last year of a range like 2012-2013)."""
    value: float | None
    """Numeric value, or None when the source gives a non-number (kept in value_text)."""
    value_text: str
    """The value as the source printed it."""
    unit: str
    """Unit and qualifiers as the source states them."""
    available_from: date
    """First date the value was public (``as_of`` filtering uses it)."""
    source_url: str = ""
    """Source (``|``-separated)."""
    confidence: str = "medium"
    """high / medium / low."""
    approximate: bool = False
    """True for ranges, 'about', 'more than' values."""


@dataclass(frozen=True)
class Role:
    """A healthcare occupation, with its labour-market figures."""

    key: str
    """Stable key, e.g. ``care_manager_rn``."""
    title: str
    """Readable title."""
    soc: str = ""
    """SOC 2018 code (may be a proxy occupation)."""
    onet_soc: str = ""
    """O*NET-SOC code, with notes where it is a proxy."""
    onet_title: str = ""
    """O*NET/BLS occupation title the numbers belong to."""
    employment: int | None = None
    """OEWS national employment."""
    median_wage: float | None = None
    """OEWS national median annual wage, USD."""
    wage_year: str = ""
    """OEWS reference period, e.g. ``2024-05``."""
    projection_pct: float | None = None
    """BLS Employment Projections percent change."""
    projection_period: str = ""
    """Projection period, e.g. ``2024-2034``."""
    annual_openings: int | None = None
    """Projected annual openings."""
    entry_education: str = ""
    """Typical entry education."""
    certifications: str = ""
    """Relevant credentials."""
    source_url: str = ""
    """Sources (``|``-separated)."""
    confidence: str = "medium"
    """high / medium / low."""
    series: str = ""
    """Occupation series key measuring this role (``payforce.workforce.labour``)."""
    measure: str = "own"
    """``own`` (the role is the occupation), ``part`` (counted inside a larger series, e.g.
    UR nurses within RNs) or ``proxy`` (measured by another occupation's statistics)."""
    measured_as: str = ""
    """Title and code of the occupation the labour figures belong to."""
    proxy_note: str = ""
    """Why the figures are not the role's own (empty when they are)."""
    wage_available_from: date | None = None
    """Release date of the OEWS vintage the wage and employment come from."""
    projection_available_from: date | None = None
    """Release date of the Employment Projections vintage shown."""

    @property
    def own_figures(self) -> bool:
        """True when the labour figures measure this role itself (not a proxy or a larger group)."""
        return not self.proxy_note


@dataclass(frozen=True)
class Evidence:
    """One checkable reference behind a signal."""

    kind: str
    """``document``, ``code``, ``metric`` or ``knowledge``."""
    ref: str
    """Document number, code, metric key or knowledge entry."""
    label: str
    """Readable label, e.g. ``2014-26183 (final rule, 2014-11-13)``."""
    url: str = ""
    """Where a user can check it."""
    year: int | None = None
    """Fee-schedule or metric year, where relevant."""
    value: str = ""
    """The figure cited, as text."""
    available_from: date | None = None
    """First date the cited fact was public (its own release); None means undated, which
    ``payforce audit`` reports."""
    source_date: date | None = None
    """For a secondary source (a summary written by someone else): the date it was written."""
    secondary: bool = False
    """True when ``url`` is a secondary source (trade press, law firm, vendor), not the record."""

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready form."""
        return {
            "kind": self.kind,
            "ref": self.ref,
            "label": self.label,
            "url": self.url,
            "year": self.year,
            "value": self.value,
            "available_from": self.available_from.isoformat() if self.available_from else None,
            "source": "secondary" if self.secondary else "primary",
            "source_date": self.source_date.isoformat() if self.source_date else None,
        }


@dataclass(frozen=True)
class Signal:
    """A detector's claim about one role, with its evidence."""

    role: str
    """Role key."""
    direction: Direction
    """growth, pressure or pivot."""
    strength: float
    """0..1, how much this evidence moves the role (see docs/method.md)."""
    confidence: float
    """0..1, how sure the evidence is."""
    question: int
    """Framework question 1..5 of DESIGN.md."""
    detector: str
    """Name of the detector that emitted it."""
    summary: str
    """One sentence a person can read."""
    published: date
    """When the evidence became public (the signal exists from this date)."""
    evidence: tuple[Evidence, ...]
    """The references a user can check."""
    lead_time_days: int | None = None
    """Expected days from ``published`` (or ``as_of``) until the change takes effect."""
    effective: date | None = None
    """When the underlying change takes (or took) effect."""
    subject: str = ""
    """The code, family, mandate or program the signal is about."""
    leading: bool = False
    """True for a signal from a proposed rule (question 5)."""

    @property
    def key(self) -> tuple[str, str, str, str, int]:
        """Sort and deduplication key."""
        return (self.role, self.detector, self.subject, self.direction, self.question)

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready form."""
        return {
            "role": self.role,
            "direction": self.direction,
            "strength": round(self.strength, 4),
            "confidence": round(self.confidence, 4),
            "question": self.question,
            "detector": self.detector,
            "summary": self.summary,
            "subject": self.subject,
            "published": self.published.isoformat(),
            "effective": self.effective.isoformat() if self.effective else None,
            "lead_time_days": self.lead_time_days,
            "leading": self.leading,
            "evidence": [e.to_dict() for e in self.evidence],
        }


@dataclass(frozen=True)
class Outlook:
    """A role's signals aggregated as of a date."""

    role: str
    """Role key."""
    title: str
    """Role title."""
    as_of: date
    """Only evidence published on or before this date counts."""
    direction: str
    """growth, pressure, pivot, or ``none`` when no signal applies."""
    score: float
    """growth − pressure, weighted (see docs/method.md)."""
    growth: float
    """Weighted sum of growth signals."""
    pressure: float
    """Weighted sum of pressure signals."""
    pivot: float
    """Weighted sum of pivot signals."""
    confidence: float
    """0..1."""
    signals: tuple[Signal, ...] = field(default_factory=tuple)
    """The signals, strongest first."""
    weights: tuple[float, ...] = field(default_factory=tuple)
    """Each signal's weight (strength × confidence × recency), same order."""

    @property
    def signal_count(self) -> int:
        """Number of signals."""
        return len(self.signals)
