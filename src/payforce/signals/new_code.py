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

from payforce.knowledge.citations import citation_fields
from payforce.models import Direction, Evidence, PolicyDocument, Signal
from payforce.signals.base import RVU_FILES, EvidenceSet, code_evidence, conf, doc_evidence
from payforce.signals.labour import (
    conversion_factor_changes,
    funded_shares,
    labour_split,
    metric_evidence,
    uptake,
)

__all__ = ["NewCodeDetector", "chain_strengths"]

CODE_ONLY_DISCOUNT = 0.8
"""Confidence multiplier when a code's paying rule is not in the store."""
REVALUE_MIN_PCT = 5.0
"""A change relative to the conversion factor smaller than this (percent) is not a signal."""


@dataclass
class _Funded:
    strength_parts: list[float]
    steps: set[str]
    codes: list[str]
    evidence: list[Evidence]


def chain_strengths(
    ev: EvidenceSet, family: str, codes: list[str], explicit_roles: tuple[str, ...] = ()
) -> dict[str, _Funded]:
    """Role → how strongly ``codes`` of ``family`` fund its labour (probabilistic OR over codes).

    Per code: the share of its payment that pays the role's labour (``signals.labour``: work RVU
    to the billers, staff practice expense to the staff, devices and software to nobody) × the
    payment factor × the family's uptake. Roles a code funds nothing of get no signal from it.
    """
    up, up_metric = uptake(ev, family)
    out: dict[str, _Funded] = {}
    for code in codes:
        factor, value = ev.value_factor(code)
        release = ev.first_paying_rule.get(code) or ev.code_release.get(code)
        code_ev = code_evidence(ev.codes.get(code), code, value, release)
        shares = funded_shares(ev, family, code)
        for role in explicit_roles:
            shares.setdefault(role, (labour_split(ev, code).work, "bills"))
        for role, (share, step) in shares.items():
            s = share * factor * up
            if s <= 0:
                continue
            f = out.setdefault(role, _Funded([], set(), [], []))
            f.strength_parts.append(s)
            f.steps.add(step)
            f.codes.append(code)
            f.evidence.append(code_ev)
    if up_metric is not None:
        for f in out.values():
            f.evidence.append(metric_evidence(up_metric))
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
        paid_from: dict[str, date] = {}  # family → first public code_payable rule's date
        for p in ev.provisions:
            doc = ev.documents.get(p.document_number)
            if p.kind == "code_payable" and doc is not None and not doc.is_proposed and p.family:
                paid_from[p.family] = min(paid_from.get(p.family, date.max), doc.publication_date)
        for p in ev.provisions:
            if p.kind not in {"code_payable", "code_assigned"}:
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
            if p.kind == "code_assigned" and paid_from.get(family, date.max) < doc.publication_date:
                covered.add(p.subject)  # a new number for a service already paid: not new work
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
        """Codes paid more (or less) than the fee schedule as a whole, from the code ledger.

        The physician fee schedule is budget neutral: a code's change is growth only relative
        to the conversion factor's change in the same year (``(1 + code) / (1 + CF) − 1``).
        Strength = the role's funded share × uptake × that relative change (a +20 % relative
        raise is worth a fifth of a new code).
        """
        cf_pct = conversion_factor_changes(ev)
        for change in ev.ledger:
            if change.kind != "revalued" or change.pct is None or change.code.startswith("CF"):
                continue
            cf = cf_pct.get(change.year, 0.0)
            rel = ((1 + change.pct / 100) / (1 + cf / 100) - 1) * 100
            if abs(rel) < REVALUE_MIN_PCT:
                continue
            code = ev.codes.get(change.code)
            fam = ev.knowledge.families.get(change.family)
            if fam is None or (code is not None and code.ai_category):
                continue
            direction: Direction = "growth" if rel > 0 else "pressure"
            up, _ = uptake(ev, change.family)
            size = min(1.0, abs(rel) / 100)
            approx = "~" if change.approximate else ""
            evidence = Evidence(
                kind="code",
                ref=change.code,
                label=f"{change.code} ({change.family}) {change.year - 1} → {change.year}",
                url=change.source if change.source.startswith("http") else RVU_FILES,
                available_from=change.published,
                **citation_fields(change.source if change.source.startswith("http") else ""),
                year=change.year,
                value=f"{approx}${change.before or 0:,.2f} → ${change.after or 0:,.2f} "
                f"({change.pct:+.1f}%; conversion factor {cf:+.1f}%), {change.source}",
            )
            shares = funded_shares(ev, change.family, change.code)
            for role, (share, _step) in sorted(shares.items()):
                strength = share * up * size
                if strength <= 0:
                    continue
                yield Signal(
                    role=role,
                    direction=direction,
                    strength=strength,
                    confidence=conf("low") if change.approximate else conf("high"),
                    question=1,
                    detector=self.name,
                    summary=(
                        f"{change.code} ({fam.name}) paid {rel:+.1f}% relative to the fee "
                        f"schedule in {change.year} ({change.pct:+.1f}% national payment, "
                        f"conversion factor {cf:+.1f}%); this role's labour is part of it"
                    ),
                    published=change.published,
                    evidence=(evidence,),
                    effective=date(change.year, 1, 1),
                    subject=f"{change.family}:revalued",
                    lead_time_days=(date(change.year, 1, 1) - change.published).days,
                )
