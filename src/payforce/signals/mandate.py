"""Question 2 — a mandated timeline: what technology makes it possible, and who operates it?

For each mandate whose final rule is public by ``as_of``, every dated requirement yields growth for
the roles that operate the enabling technology, pressure on the roles whose manual work it
displaces, and pivot signals for roles whose work shifts (e.g. from manual review to exception
handling). The lead time is the days from ``as_of`` to the compliance date (0 once passed).
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator

from payforce.knowledge.loader import Mandate, Requirement
from payforce.knowledge.versions import as_stated
from payforce.models import Direction, Evidence, PolicyDocument, Signal
from payforce.signals.base import EvidenceSet, conf, doc_evidence

__all__ = ["MandateDetector", "mandate_signals"]

ROLE_STRENGTH: dict[str, float] = {"operators": 0.8, "displaced": 0.8, "pivots": 0.6}
"""Base strength by how a requirement touches a role."""
FAR_DEADLINE_DAYS = 730
"""Deadlines further away than this count at FAR_FACTOR (budgets move closer to the date)."""
FAR_FACTOR = 0.7
DIRECTION: dict[str, Direction] = {
    "operators": "growth",
    "displaced": "pressure",
    "pivots": "pivot",
}


def requirement_evidence(mandate: Mandate, req: Requirement, doc: PolicyDocument) -> Evidence:
    """Evidence for one dated requirement, as ``doc`` (proposed or final) stated it."""
    return Evidence(
        kind="knowledge",
        ref=f"{mandate.key}.{req.id}",
        label=f"{req.detail} (by {req.compliance_date.isoformat()})",
        url=doc.url,
        year=req.compliance_date.year,
        value=req.technology,
        available_from=doc.publication_date,
    )


def mandate_signals(
    ev: EvidenceSet,
    mandate: Mandate,
    doc: PolicyDocument,
    *,
    question: int,
    detector: str,
    factor: float = 1.0,
    conf_factor: float = 1.0,
    lead_time: int | None = None,
    flip: bool = False,
) -> Iterator[Signal]:
    """Signals of every requirement of ``mandate`` as published in ``doc``.

    ``flip`` turns growth into pressure and pressure into growth (a proposed rollback).
    The requirements are read as ``doc`` states them: a proposal's own dates and names.
    """
    mandate = as_stated(mandate, doc.is_proposed or doc.type == "Notice")
    for req in mandate.requirements:
        days = (req.compliance_date - ev.as_of).days
        timing = 1.0 if days <= FAR_DEADLINE_DAYS else FAR_FACTOR
        for group in ("operators", "displaced", "pivots"):
            for role in getattr(req, group):
                direction = DIRECTION[group]
                if flip and direction != "pivot":
                    direction = "pressure" if direction == "growth" else "growth"
                verb = {
                    "operators": f"operates {req.technology}",
                    "displaced": f"manual work displaced by {req.technology}",
                    "pivots": "work shifts toward exception handling, audit and appeals",
                }[group]
                if flip:
                    verb = f"would lose the requirement ({verb})"
                yield Signal(
                    role=role,
                    direction=direction,
                    strength=ROLE_STRENGTH[group] * timing * factor,
                    confidence=conf(doc.confidence) * conf_factor,
                    question=question,
                    detector=detector,
                    summary=f"{mandate.name}: {req.detail}; {verb}",
                    published=doc.publication_date,
                    evidence=(doc_evidence(doc), requirement_evidence(mandate, req, doc)),
                    lead_time_days=lead_time if lead_time is not None else max(0, days),
                    effective=req.compliance_date,
                    subject=f"{mandate.key}.{req.id}",
                    leading=question == 5,
                )


class MandateDetector:
    """Question 2: dated requirements of final rules → operators, displaced and pivoting roles."""

    name = "mandate"
    question = 2

    def detect(self, ev: EvidenceSet) -> Iterable[Signal]:
        """Signals for mandates whose final rule is public by ``as_of``."""
        for mandate in ev.knowledge.mandates.values():
            finals = [ev.documents[n] for n in mandate.final if n in ev.documents]
            if not finals:
                continue
            doc = min(finals, key=lambda d: d.publication_date)
            yield from mandate_signals(ev, mandate, doc, question=2, detector=self.name)
        covered = covered_documents(ev)
        for doc in ev.documents.values():
            if doc.is_final and doc.document_number not in covered:
                yield from deadline_signals(ev, doc, question=2, detector=self.name)


EXTRACTED_FACTOR = 0.6
"""An extracted timeframe's strength relative to a curated mandate's requirement."""
EXTRACTED_CONFIDENCE = 0.8
"""An extracted timeframe's confidence relative to its document's."""


def covered_documents(ev: EvidenceSet) -> set[str]:
    """Documents a curated mandate already reads (their extracted deadlines are not re-counted)."""
    return {n for m in ev.knowledge.mandates.values() for n in (*m.proposed, *m.final)}


def deadline_signals(
    ev: EvidenceSet,
    doc: PolicyDocument,
    *,
    question: int,
    detector: str,
    factor: float = 1.0,
    conf_factor: float = 1.0,
    lead_time: int | None = None,
) -> Iterator[Signal]:
    """Signals from decision timeframes extracted from ``doc``'s full text (deadline rules)."""
    deadlines = [p for p in ev.by_document.get(doc.document_number, ()) if p.kind == "deadline"]
    for rule in ev.knowledge.deadline_rules:
        hits = [p for p in deadlines if any(m in p.evidence_text.lower() for m in rule.match)]
        if not hits:
            continue
        first = hits[0]
        timeframes = sorted({p.subject for p in hits})
        effective = doc.effective_date or first.effective_date
        days = (effective - ev.as_of).days if effective else None
        evidence = (
            doc_evidence(doc),
            Evidence(
                kind="document",
                ref=f"{doc.document_number}@{first.start}",
                label=f"“{first.evidence_text[:200]}”",
                url=doc.url,
                year=doc.publication_date.year,
                value=", ".join(timeframes),
                available_from=doc.publication_date,
            ),
        )
        for group in ("operators", "displaced", "pivots"):
            for role in getattr(rule, group):
                yield Signal(
                    role=role,
                    direction=DIRECTION[group],
                    strength=ROLE_STRENGTH[group] * EXTRACTED_FACTOR * factor,
                    confidence=conf(doc.confidence) * EXTRACTED_CONFIDENCE * conf_factor,
                    question=question,
                    detector=detector,
                    summary=(
                        f"{doc.document_number} sets decision timeframes "
                        f"({', '.join(timeframes)}) for {rule.id.replace('_', ' ')}; "
                        f"{rule.technology}"
                    ),
                    published=doc.publication_date,
                    evidence=evidence,
                    lead_time_days=lead_time
                    if lead_time is not None
                    else (max(0, days) if days is not None else None),
                    effective=effective,
                    subject=f"extracted:{rule.id}",
                    leading=question == 5,
                )
