"""Question 1 — a new or newly paid code: who does this work create?

For each code a final rule made payable (a ``code_payable`` provision), walk its family's
operational chain: every role that performs, documents, supervises or bills the service gains.
Codes with an AI category are left to question 4. Codes first paid in a year for which no rule is
in the store still count, citing the code and year alone (lower confidence).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import date

from payforce.models import Direction, Evidence, PolicyDocument, Signal
from payforce.signals.base import STEP_WEIGHT, EvidenceSet, code_evidence, conf, doc_evidence

__all__ = ["NewCodeDetector", "chain_strengths"]

CODE_ONLY_DISCOUNT = 0.8
"""Confidence multiplier when a code's paying rule is not in the store."""
REVALUE_MIN_PCT = 5.0
"""A year-over-year payment change smaller than this (percent) is not a signal."""
REVALUE_FULL_PCT = 20.0
"""A change this large (percent) gives a revaluation its full strength."""
REVALUE_FACTOR = 0.5
"""A revaluation's strength relative to a new code's."""
STAFF_STEPS = ("performs", "documents")
"""A better-paid staff-time code strengthens the roles that do and document the work."""


@dataclass
class _Funded:
    strength_parts: list[float]
    steps: set[str]
    codes: list[str]
    evidence: list[Evidence]


def chain_strengths(
    ev: EvidenceSet, family: str, codes: list[str], explicit_roles: tuple[str, ...] = ()
) -> dict[str, _Funded]:
    """Role → how strongly ``codes`` of ``family`` fund it (probabilistic OR over codes)."""
    fam = ev.knowledge.families.get(family)
    steps: list[tuple[str, str]] = fam.roles() if fam else []
    steps += [("bills", r) for r in explicit_roles]
    out: dict[str, _Funded] = {}
    for code in codes:
        factor, value = ev.value_factor(code)
        code_ev = code_evidence(ev.codes.get(code), code, value)
        best: dict[str, tuple[float, str]] = {}
        for step, role in steps:
            s = STEP_WEIGHT[step] * factor
            if role not in best or s > best[role][0]:
                best[role] = (s, step)
        for role, (s, step) in best.items():
            f = out.setdefault(role, _Funded([], set(), [], []))
            f.strength_parts.append(s)
            f.steps.add(step)
            f.codes.append(code)
            f.evidence.append(code_ev)
    return out


def combine(parts: list[float]) -> float:
    """Probabilistic OR: 1 − Π(1 − s). More codes → stronger, never above 1."""
    rest = 1.0
    for s in parts:
        rest *= 1.0 - max(0.0, min(1.0, s))
    return 1.0 - rest


def family_name(ev: EvidenceSet, family: str) -> str:
    """Readable family name (or the key)."""
    fam = ev.knowledge.families.get(family)
    return fam.name if fam else family


class NewCodeDetector:
    """Question 1: newly payable staff-time and practitioner codes fund their chain's roles."""

    name = "new_code"
    question = 1

    def _signals(
        self,
        ev: EvidenceSet,
        family: str,
        codes: list[str],
        doc: PolicyDocument | None,
        published: date,
        effective: date | None,
        explicit: tuple[str, ...],
        base_conf: float,
    ) -> Iterator[Signal]:
        fname = family_name(ev, family)
        for role, f in chain_strengths(ev, family, codes, explicit).items():
            evidence = ([doc_evidence(doc)] if doc else []) + f.evidence
            how = "/".join(sorted(f.steps))
            source = f"rule {doc.document_number}" if doc else f"first paid {published.year}"
            yield Signal(
                role=role,
                direction="growth",
                strength=combine(f.strength_parts),
                confidence=base_conf,
                question=1,
                detector=self.name,
                summary=(
                    f"{', '.join(sorted(set(f.codes)))} ({fname}) made payable ({source}); "
                    f"this role {how} the service"
                ),
                published=published,
                evidence=tuple(evidence),
                lead_time_days=(effective - published).days if effective else None,
                effective=effective,
                subject=family,
            )

    def detect(self, ev: EvidenceSet) -> Iterable[Signal]:
        """One growth signal per (role, family, rule) for codes made payable by final rules."""
        grouped: dict[tuple[str, str], list[str]] = defaultdict(list)
        effective: dict[tuple[str, str], date | None] = {}
        explicit: dict[tuple[str, str], tuple[str, ...]] = {}
        covered: set[str] = set()
        first_rule = ev.first_paying_rule
        for p in ev.provisions:
            if p.kind != "code_payable":
                continue
            doc = ev.documents.get(p.document_number)
            if doc is None or doc.is_proposed:
                continue
            if doc.publication_date != first_rule[p.subject].publication_date:
                continue  # a later rule that mentions or revalues an existing code: not new
            code = ev.codes.get(p.subject)
            if code is not None and code.ai_category:
                continue  # question 4 reads AI codes
            family = p.family or (code.family if code else "")
            if not family and not p.roles:
                continue
            key = (p.document_number, family)
            grouped[key].append(p.subject)
            effective[key] = min(filter(None, [effective.get(key), p.effective_date]), default=None)
            explicit[key] = tuple(sorted(set(explicit.get(key, ()) + p.roles)))
            covered.add(p.subject)
        for (number, family), codes in sorted(grouped.items()):
            doc = ev.documents[number]
            code_conf = min(
                (conf(ev.codes[c].confidence) for c in codes if c in ev.codes),
                default=conf("medium"),
            )
            yield from self._signals(
                ev,
                family,
                codes,
                doc,
                doc.publication_date,
                effective[(number, family)],
                explicit[(number, family)],
                (conf(doc.confidence) + code_conf) / 2,
            )
        # Codes first paid in a year whose paying rule is not in the store: the code alone.
        by_year: dict[tuple[int, str], list[str]] = defaultdict(list)
        for code in ev.codes.values():
            if code.code in covered or code.ai_category or code.first_paid_year is None:
                continue
            start = code.first_paid_date or date(code.first_paid_year, 1, 1)
            if start > ev.as_of:
                continue
            by_year[(code.first_paid_year, code.family)].append(code.code)
        for (year, family), codes in sorted(by_year.items()):
            start = min(ev.codes[c].first_paid_date or date(year, 1, 1) for c in codes)
            code_conf = min(conf(ev.codes[c].confidence) for c in codes)
            yield from self._signals(
                ev,
                family,
                codes,
                None,
                start,
                start,
                (),
                code_conf * CODE_ONLY_DISCOUNT,
            )
        yield from self._revaluations(ev)

    def _revaluations(self, ev: EvidenceSet) -> Iterator[Signal]:
        """Better- (or worse-) paid staff-time codes, from the fee-schedule code ledger."""
        for change in ev.ledger:
            if change.kind != "revalued" or change.pct is None:
                continue
            if abs(change.pct) < REVALUE_MIN_PCT:
                continue
            code = ev.codes.get(change.code)
            fam = ev.knowledge.families.get(change.family)
            if fam is None or (code is not None and code.ai_category):
                continue
            direction: Direction = "growth" if change.pct > 0 else "pressure"
            size = min(1.0, abs(change.pct) / REVALUE_FULL_PCT) * REVALUE_FACTOR
            best: dict[str, float] = {}
            for step in STAFF_STEPS:
                for role in fam.chain.get(step, ()):
                    best[role] = max(best.get(role, 0.0), STEP_WEIGHT[step] * size)
            approx = "~" if change.approximate else ""
            evidence = Evidence(
                kind="code",
                ref=change.code,
                label=f"{change.code} ({change.family}) {change.year - 1} → {change.year}",
                url="",
                year=change.year,
                value=f"{approx}${change.before or 0:,.2f} → ${change.after or 0:,.2f} "
                f"({change.pct:+.1f}%), {change.source}",
            )
            for role, strength in sorted(best.items()):
                yield Signal(
                    role=role,
                    direction=direction,
                    strength=strength,
                    confidence=conf("low") if change.approximate else conf("high"),
                    question=1,
                    detector=self.name,
                    summary=(
                        f"{change.code} ({fam.name}) national payment {change.pct:+.1f}% in "
                        f"{change.year}; this role does or documents the staff time"
                    ),
                    published=change.published,
                    evidence=(evidence,),
                    effective=date(change.year, 1, 1),
                    subject=f"{change.family}:revalued",
                    lead_time_days=(date(change.year, 1, 1) - change.published).days,
                )
