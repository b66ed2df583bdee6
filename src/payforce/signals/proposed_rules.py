"""Question 5 — follow proposed rules, not just final ones.

A proposed rule public by ``as_of`` whose rulemaking has no final rule yet is a leading signal:
its proposed codes feed the same chain walk as question 1, and a mandate it proposes feeds the
same requirement walk as question 2 (a proposed rollback flips them), each discounted because a
proposal can change. The expected lead time is learned from history: the median days from
proposed to final rule over the rulemakings of the same program whose both documents were
public by ``as_of`` (all programs when that program has none; 120 days when there is no history).
Once the final rule is public, the final's own signals (questions 1, 2, 4) take over.
"""

from __future__ import annotations

import re
import statistics
from collections import defaultdict
from collections.abc import Iterable
from datetime import date

from payforce.models import PolicyDocument, Signal
from payforce.rulemaking.lifecycle import RulemakingIndex, title_key
from payforce.signals.base import EvidenceSet, conf, doc_evidence
from payforce.signals.mandate import covered_documents, deadline_signals, mandate_signals
from payforce.signals.new_code import chain_strengths, combine, family_name

__all__ = [
    "DEFAULT_LEAD_DAYS",
    "LeadTimes",
    "ProposedRuleDetector",
    "expected_lead_days",
    "final_for",
    "program_of",
    "rulemaking_pairs",
]

LEADING_STRENGTH = 0.7
"""A proposal's strength relative to the same provision in a final rule."""
LEADING_CONFIDENCE = 0.8
"""A proposal's confidence relative to its document's."""
DEFAULT_LEAD_DAYS = 120
"""Proposed → final days when no history is public (a typical PFS cycle: July → November)."""
PROPOSAL_LIFETIME_DAYS = 3 * 365
"""A Medicare proposed rule not finalized within 3 years lapses (SSA §1871(a)(3)); so does its
signal. We apply the same horizon to other HHS proposals and notices."""

_FILE_CODE = re.compile(r"(CMS-\d{4})-[A-Z0-9]+")


def _tokens(text: str) -> set[str]:
    return {t.strip() for t in re.split(r"[;,]", text) if t.strip()}


def file_code_stems(doc: PolicyDocument) -> set[str]:
    """CMS file-code stems, e.g. ``CMS-1612`` for ``CMS-1612-P`` and ``CMS-1612-FC``."""
    return set(_FILE_CODE.findall(doc.file_code))


def program_of(doc: PolicyDocument) -> str:
    """The rulemaking program a document belongs to, for learning lead times."""
    key = title_key(doc)  # an annual payment rule: pfs, opps, ipps, …
    if key is not None:
        return key.split()[0]
    if "Physician Fee Schedule" in doc.title and "Merit-Based Incentive" not in doc.title:
        return "pfs"  # a PFS title without its year
    stems = sorted(file_code_stems(doc))
    if stems:
        return stems[0]
    rins = sorted(_tokens(doc.rin))
    return rins[0] if rins else doc.agency


def final_for(
    proposed: PolicyDocument, documents: Iterable[PolicyDocument]
) -> PolicyDocument | None:
    """The first final rule of ``proposed``'s rulemaking among ``documents`` (lifecycle linking)."""
    docs = list(documents)
    if all(d.document_number != proposed.document_number for d in docs):
        docs.append(proposed)
    return RulemakingIndex.build(docs).final_for(proposed)


def rulemaking_pairs(
    documents: Iterable[PolicyDocument], index: RulemakingIndex | None = None
) -> list[tuple[PolicyDocument, PolicyDocument]]:
    """(proposed, final) pairs among ``documents``: each rulemaking's first proposed rule and
    the first final rule after it (``rulemaking.lifecycle`` links them)."""
    return (index or RulemakingIndex.build(documents)).lead_time_pairs()


def expected_lead_days(
    program: str, pairs: list[tuple[PolicyDocument, PolicyDocument]]
) -> tuple[int, str]:
    """Median proposed → final days for ``program`` and how it was learned."""
    return LeadTimes(pairs).expected(program)


class LeadTimes:
    """Proposed → final intervals learned once from the public rulemaking history."""

    def __init__(self, pairs: list[tuple[PolicyDocument, PolicyDocument]]) -> None:
        by_program: dict[str, list[int]] = defaultdict(list)
        for p, f in pairs:
            by_program[program_of(p)].append((f.publication_date - p.publication_date).days)
        self._by_program = dict(by_program)
        self._every = [d for days in by_program.values() for d in days]
        self._cache: dict[str, tuple[int, str]] = {}

    def expected(self, program: str) -> tuple[int, str]:
        """Median days for ``program``; all programs when it has none; the default otherwise."""
        if program not in self._cache:
            own = self._by_program.get(program)
            if own:
                result = (
                    int(statistics.median(own)),
                    f"median of {len(own)} {program} rulemaking(s)",
                )
            elif self._every:
                n = len(self._every)
                result = (
                    int(statistics.median(self._every)),
                    f"median of {n} rulemaking(s), all programs",
                )
            else:
                result = (DEFAULT_LEAD_DAYS, "default (no rulemaking history public yet)")
            self._cache[program] = result
        return self._cache[program]


class ProposedRuleDetector:
    """Question 5: proposed rules without a final rule yet give leading signals."""

    name = "proposed_rules"
    question = 5

    def detect(self, ev: EvidenceSet) -> Iterable[Signal]:
        """Leading signals with an expected lead time."""
        docs = list(ev.documents.values())
        index = RulemakingIndex.build(docs)
        leads = LeadTimes(index.lead_time_pairs())
        covered = covered_documents(ev)
        mandate_by_proposed = {n: m for m in ev.knowledge.mandates.values() for n in m.proposed}
        for doc in sorted(docs, key=lambda d: (d.publication_date, d.document_number)):
            if not (doc.is_proposed or doc.type == "Notice"):
                continue
            if index.stage_of(doc) == "correction":
                continue
            if (ev.as_of - doc.publication_date).days > PROPOSAL_LIFETIME_DAYS:
                continue
            mandate = mandate_by_proposed.get(doc.document_number)
            if index.final_for(doc) is not None:
                continue
            if mandate is not None and any(n in ev.documents for n in mandate.final):
                continue
            lead, how = leads.expected(program_of(doc))
            expected_final = date.fromordinal(doc.publication_date.toordinal() + lead)
            yield from self._code_signals(ev, doc, lead, how, expected_final)
            if doc.document_number not in covered:
                yield from deadline_signals(
                    ev,
                    doc,
                    question=5,
                    detector=self.name,
                    factor=LEADING_STRENGTH,
                    conf_factor=LEADING_CONFIDENCE,
                    lead_time=lead,
                )
            if mandate is not None:
                target = ev.knowledge.mandates.get(mandate.reverses) if mandate.reverses else None
                yield from mandate_signals(
                    ev,
                    target or mandate,
                    doc,
                    question=5,
                    detector=self.name,
                    factor=LEADING_STRENGTH * (0.7 if target else 1.0),
                    conf_factor=LEADING_CONFIDENCE,
                    lead_time=lead,
                    flip=target is not None,
                )

    def _code_signals(
        self, ev: EvidenceSet, doc: PolicyDocument, lead: int, how: str, expected_final: date
    ) -> Iterable[Signal]:
        grouped: dict[str, list[str]] = defaultdict(list)
        explicit: dict[str, tuple[str, ...]] = {}
        effective: dict[str, date | None] = {}
        for p in ev.by_document.get(doc.document_number, ()):
            if p.kind not in {"code_proposed", "code_payable"}:
                continue
            code = ev.codes.get(p.subject)
            family = p.family or (code.family if code else "")
            grouped[family].append(p.subject)
            explicit[family] = tuple(sorted(set(explicit.get(family, ()) + p.roles)))
            effective[family] = p.effective_date
        for family, codes in sorted(grouped.items()):
            fname = family_name(ev, family) if family else "new codes"
            for role, f in chain_strengths(ev, family, codes, explicit[family]).items():
                yield Signal(
                    role=role,
                    direction="growth",
                    strength=combine(f.strength_parts) * LEADING_STRENGTH,
                    confidence=conf(doc.confidence) * LEADING_CONFIDENCE,
                    question=5,
                    detector=self.name,
                    summary=(
                        f"Proposed rule {doc.document_number} would pay "
                        f"{', '.join(sorted(set(f.codes)))} ({fname}); final expected about "
                        f"{expected_final.isoformat()} ({lead} days, {how})"
                    ),
                    published=doc.publication_date,
                    evidence=(doc_evidence(doc), *f.evidence),
                    lead_time_days=lead,
                    effective=effective.get(family),
                    subject=family or "codes",
                    leading=True,
                )
