"""Question 4 — AI-augmented codes: which specialty does this make more valuable?

A payable code with an AI category (CPT Appendix S: assistive / augmentative / autonomous) pays
the clinician who interprets the software's output and bills for it: those roles gain value,
weighted by the category and the code's payment. The technologists who acquire the images
gain less. Roles that only document or code the service see their work change (pivot): the claim
now rests on documented physician review of an algorithm's output. An autonomous code puts
pressure on the interpreting role instead.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from datetime import date

from payforce.models import Direction, Evidence, Signal
from payforce.signals.base import EvidenceSet, code_evidence, conf, doc_evidence
from payforce.signals.labour import labour_split
from payforce.signals.new_code import combine, family_name

__all__ = ["AICodeDetector"]

APPENDIX_S = (
    "https://www.ama-assn.org/practice-management/cpt/"
    "cpt-appendix-s-ai-taxonomy-medical-services-procedures"
)
"""The AMA's AI taxonomy (assistive / augmentative / autonomous), the primary record."""
AI_PAYMENT_REFERENCE = 200.0
"""USD of funded labour per study at which an AI code stops adding strength."""
STEP_SHARE = {"bills": 1.0, "supervises": 0.6, "performs": 0.5, "documents": 0.6}


def _funded_factor(payment: float | None, share: float) -> float:
    """0..1 from the dollars per study that pay this role's labour (share × payment).

    Work RVU pays the interpreting physician; an AI code's practice expense pays the software
    and technical component, so 75577's $1,012 funds about $28 of physician work. Without a
    known payment: 0.6 × the share.
    """
    if payment is None:
        return 0.6 * share
    return min(1.0, payment * share / AI_PAYMENT_REFERENCE)


class AICodeDetector:
    """Question 4: AI codes make their interpreting specialty more valuable."""

    name = "ai_codes"
    question = 4

    def detect(self, ev: EvidenceSet) -> Iterable[Signal]:
        """Signals per (role, AI family, year or rule)."""
        payable: dict[str, tuple[date, str | None]] = {
            code: (doc.publication_date, doc.document_number)
            for code, doc in ev.first_paying_rule.items()
        }
        for code in ev.codes.values():
            if code.ai_category and code.code not in payable and code.first_paid_year:
                start = code.first_paid_date or date(code.first_paid_year, 1, 1)
                if start <= ev.as_of:
                    payable[code.code] = (start, None)
        groups: dict[tuple[str, str | None], list[str]] = defaultdict(list)
        for code_key, (_, number) in payable.items():
            found = ev.codes.get(code_key)
            if found is None or not found.ai_category:
                continue
            groups[(found.family, number)].append(code_key)
        for (family, number), codes in sorted(
            groups.items(), key=lambda kv: (kv[0][0], kv[0][1] or "")
        ):
            fam = ev.knowledge.families.get(family)
            if fam is None:
                continue
            doc = ev.documents.get(number) if number else None
            published = min(payable[c][0] for c in codes)
            per_role: dict[tuple[str, Direction], list[float]] = defaultdict(list)
            role_steps: dict[tuple[str, Direction], set[str]] = defaultdict(set)
            evidence: list[Evidence] = [doc_evidence(doc)] if doc else []
            confs = []
            for c in sorted(codes):
                bc = ev.codes[c]
                weight = ev.knowledge.ai_weights.get(bc.ai_category, 0.5)
                value = ev.payment(c)
                split = labour_split(ev, c)
                release = ev.first_paying_rule.get(c) or ev.code_release.get(c)
                code_ev = code_evidence(bc, c, value, release)
                evidence.append(code_ev)
                evidence.append(
                    Evidence(
                        kind="knowledge",
                        ref=f"ai_category:{c}",
                        label=f"{c} is {bc.ai_category} AI (CPT Appendix S taxonomy)",
                        url=APPENDIX_S,
                        value=f"{bc.ai_category}; per {ev.knowledge.ai_sources.get(c, '')}",
                        available_from=code_ev.available_from,
                    )
                )
                confs.append(conf(bc.confidence))
                billers = set(fam.chain.get("bills", ()))
                code_best: dict[tuple[str, Direction], float] = {}
                for step, role in fam.roles():
                    if step == "documents" and role not in billers:
                        direction: Direction = "pivot"
                    elif bc.ai_category == "autonomous" and role in billers:
                        direction = "pressure"
                    else:
                        direction = "growth"
                    key = (role, direction)
                    if direction == "pivot":
                        share = 1.0  # documentation work changes shape; no labour is funded
                    else:
                        share = split.work if step in ("bills", "supervises") else split.staff
                    funded = _funded_factor(value.payment if value else None, share)
                    code_best[key] = max(
                        code_best.get(key, 0.0), STEP_SHARE[step] * weight * funded
                    )
                    role_steps[key].add(step)
                for key, s in code_best.items():
                    per_role[key].append(s)
            confidence = (sum(confs) / len(confs) + (conf(doc.confidence) if doc else 0.6)) / 2
            fname = family_name(ev, family)
            for (role, direction), parts in sorted(per_role.items()):
                strength = combine(parts)
                if strength <= 0:
                    continue  # the code funds none of this role's labour (software PE)
                verb = {
                    "growth": "more valuable: this role interprets or produces the AI-read study",
                    "pivot": "work shifts: claims rest on documented review of AI output",
                    "pressure": "an autonomous code reads the study without this role",
                }[direction]
                yield Signal(
                    role=role,
                    direction=direction,
                    strength=strength,
                    confidence=confidence,
                    question=4,
                    detector=self.name,
                    summary=f"{', '.join(sorted(codes))} ({fname}) payable; {verb}",
                    published=published,
                    evidence=tuple(evidence),
                    effective=published,
                    subject=family,
                    lead_time_days=0,
                )
