"""The Detector protocol and the evidence a detector sees (everything public by ``as_of``)."""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date
from functools import cached_property
from typing import TYPE_CHECKING, Protocol

from payforce.knowledge import Knowledge, load_knowledge
from payforce.knowledge.citations import citation_fields

if TYPE_CHECKING:
    from payforce.economics.ledger import LedgerChange
from payforce.models import (
    CONFIDENCE_WEIGHT,
    BillingCode,
    CodeValue,
    Evidence,
    PolicyDocument,
    ProgramMetric,
    Provision,
    Role,
    Signal,
)
from payforce.store import queries
from payforce.store.db import Store

__all__ = [
    "STEP_WEIGHT",
    "Detector",
    "EvidenceSet",
    "code_evidence",
    "conf",
    "value_available_from",
    "doc_evidence",
    "load_evidence",
]

STEP_WEIGHT: dict[str, float] = {"performs": 1.0, "documents": 0.6, "supervises": 0.4, "bills": 0.5}
"""How much a chain step gains from one funded unit of service (see docs/method.md)."""
PAYING_KINDS = frozenset({"code_payable", "code_assigned"})
"""Provision kinds of a final rule that make a code billable."""
CODE_KINDS = frozenset({"code_payable", "code_proposed", "code_assigned"})
"""Provision kinds that name a code (and so make the code's number public)."""
RVU_FILES = "https://www.cms.gov/medicare/payment/fee-schedules/physician/pfs-relative-value-files"
"""CMS's page of PFS relative value file releases (RVU25D, RVU26C, …)."""
PAYMENT_REFERENCE = 60.0
"""USD per unit at which a code's payment stops adding strength (about one CCM month)."""


def conf(level: str) -> float:
    """Numeric weight of a high / medium / low confidence label."""
    return CONFIDENCE_WEIGHT.get(level, 0.5)


@dataclass
class EvidenceSet:
    """Everything public on or before ``as_of``: the only input detectors get."""

    as_of: date
    documents: dict[str, PolicyDocument]
    provisions: list[Provision]
    codes: dict[str, BillingCode]
    values: dict[str, list[CodeValue]]
    metrics: list[ProgramMetric]
    roles: dict[str, Role]
    knowledge: Knowledge
    ledger: list[LedgerChange] = field(default_factory=list)
    by_document: dict[str, list[Provision]] = field(default_factory=dict)

    def __post_init__(self) -> None:
        grouped: dict[str, list[Provision]] = defaultdict(list)
        for p in self.provisions:
            grouped[p.document_number].append(p)
        self.by_document = dict(grouped)

    @cached_property
    def first_paying_rule(self) -> dict[str, PolicyDocument]:
        """Code → the earliest public final rule that made it payable (or gave it its number)."""
        first: dict[str, PolicyDocument] = {}
        for p in self.provisions:  # ordered by publication date
            doc = self.documents.get(p.document_number)
            if p.kind not in PAYING_KINDS or doc is None or doc.is_proposed:
                continue
            seen = first.get(p.subject)
            if seen is None or doc.publication_date < seen.publication_date:
                first[p.subject] = doc
        return first

    @cached_property
    def code_release(self) -> dict[str, PolicyDocument]:
        """Code → the earliest public document that names it (proposed, payable or assigned)."""
        first: dict[str, PolicyDocument] = {}
        for p in self.provisions:
            doc = self.documents.get(p.document_number)
            if p.kind not in CODE_KINDS or doc is None:
                continue
            seen = first.get(p.subject)
            if seen is None or doc.publication_date < seen.publication_date:
                first[p.subject] = doc
        return first

    def payment(self, code: str) -> CodeValue | None:
        """Latest non-facility value of ``code`` for a year no later than ``as_of``'s year."""
        best = None
        for v in self.values.get(code, ()):
            if v.setting != "nonfacility" or v.payment is None or v.year > self.as_of.year:
                continue
            if best is None or v.year > best.year or (best.approximate and not v.approximate):
                best = v
        return best

    def value_factor(self, code: str) -> tuple[float, CodeValue | None]:
        """0.5..1: how much the code's payment adds (0.75 when no payment is known yet)."""
        v = self.payment(code)
        if v is None or v.payment is None:
            return 0.75, None
        return 0.5 + 0.5 * min(1.0, v.payment / PAYMENT_REFERENCE), v


def load_evidence(store: Store, as_of: date, knowledge: Knowledge | None = None) -> EvidenceSet:
    """Read everything public by ``as_of`` from the store."""
    from payforce.economics.ledger import ledger_changes

    values: dict[str, list[CodeValue]] = defaultdict(list)
    for v in queries.list_code_values(store, as_of=as_of):  # newest release public then
        values[v.code].append(v)
    return EvidenceSet(
        as_of=as_of,
        documents={d.document_number: d for d in queries.list_documents(store, as_of)},
        provisions=queries.list_provisions(store, as_of),
        codes={c.code: c for c in queries.list_codes(store)},
        values=dict(values),
        metrics=queries.list_metrics(store, as_of),
        roles={r.key: r for r in queries.list_roles(store, as_of)},
        knowledge=knowledge or load_knowledge(),
        ledger=ledger_changes(store, as_of),  # already only what is public by as_of
    )


def doc_evidence(doc: PolicyDocument) -> Evidence:
    """Evidence pointing at a Federal Register document (or a CMS / AMA issuance)."""
    kind = (
        "proposed rule" if doc.is_proposed else ("final rule" if doc.is_final else doc.type.lower())
    )
    return Evidence(
        kind="document",
        ref=doc.document_number,
        label=f"{doc.document_number} ({kind}, {doc.publication_date.isoformat()})",
        url=doc.url,
        year=doc.publication_date.year,
        value=doc.file_code or doc.citation,
        available_from=doc.publication_date,
    )


def value_available_from(value: CodeValue) -> date | None:
    """When a fee-schedule value became public (its release), where the store knows it."""
    found = getattr(value, "available_from", None)
    return found if isinstance(found, date) else None


def code_evidence(
    code: BillingCode | None,
    subject: str,
    value: CodeValue | None,
    release: PolicyDocument | None = None,
) -> Evidence:
    """Evidence pointing at a billing code and, where known, its payment in a year.

    The link is the document that made the code public (``release``), a primary record; the
    code's own (often secondary) source is only used when no such document is known. The
    evidence is public from the later of that document and the value's release.
    """
    label = subject if code is None else f"{subject} ({code.family}, {code.system})"
    amount = ""
    year = None
    if release is not None:
        source = release.url
    else:
        source = code.source_url.split(" | ")[0] if code is not None else ""
    dates = [release.publication_date] if release is not None else []
    if value is not None and value.payment is not None:
        approx = "~" if value.approximate else ""
        amount = f"{approx}${value.payment:,.2f} national non-facility {value.year}"
        year = value.year
        release_name = getattr(value, "release", "") or ""
        if re.fullmatch(r"\d{4}-\d{5}", release_name):  # printed with a final rule
            amount += f" (final rule {release_name})"
            source = f"https://www.federalregister.gov/d/{release_name}"
        elif value.source.startswith("http"):
            source = value.source.split(" | ")[0]
        elif value.source.startswith("CMS RVU"):
            amount += f" ({value.source.split(' PPRRVU')[0]})"
            source = RVU_FILES
        released = value_available_from(value)
        if released is not None:
            dates.append(released)
    return Evidence(
        kind="code",
        ref=subject,
        label=label,
        url=source,
        year=year,
        value=amount,
        available_from=max(dates) if dates else None,
        **citation_fields(source),
    )


class Detector(Protocol):
    """A signal detector for one framework question."""

    name: str
    """Registry name."""
    question: int
    """Framework question 1..5."""

    def detect(self, ev: EvidenceSet) -> Iterable[Signal]:
        """Yield signals from the evidence public by ``ev.as_of``."""
        ...
