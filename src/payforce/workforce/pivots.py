"""Pivot paths: where a role can move, ranked, with the billable work that funds each target.

For a role, every curated pivot edge (``knowledge/roles.yaml``) is a candidate target. Each is
scored from four parts, all computed as of a date (see docs/workforce.md for the arithmetic):

- **outlook gain**: the target's outlook score minus the role's
  (``payforce.signals.outlook.compute_outlooks``), squashed with ``tanh(gain / 2)``;
- **wage change**: OEWS median wage of the target vs the role, percent, clamped to ±50 %, from
  the OEWS vintage public on the date; counted only when both roles are measured by their own
  occupation's statistics (a proxy's wage, e.g. health data analysts measured as data
  scientists, is shown but scores 0);
- **overlap**: O*NET skill-importance cosine and task-word overlap when O*NET is synced;
  otherwise the curated fallback (shared service-family chains and how few skills are listed
  to build);
- **credential burden**: 0 with no credential, 0.5 for a certification, 1 for a licence or
  degree.

``score = 0.45·gain + 0.25·wage + 0.20·overlap − 0.10·burden``. Each target also lists the
evidence that funds it: billing codes of the families whose chains include it (paid by the
date), mandate requirements it operates (from documents published by the date) and programs it
serves (with a metric public by the date). Pure: no printing.
"""

from __future__ import annotations

import math
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from payforce.errors import LookupFailedError
from payforce.knowledge import Knowledge
from payforce.models import Evidence, Outlook, Role
from payforce.store.db import Store

__all__ = ["WEIGHTS", "PivotPath", "credential_burden", "pivot_paths", "score_parts"]

WEIGHTS = {"gain": 0.45, "wage": 0.25, "overlap": 0.20, "burden": 0.10}
"""Weights of the four parts of a pivot's score."""
_HEAVY = re.compile(r"licen[cs]e|nclex|degree|residency|graduate", re.IGNORECASE)
_WORD = re.compile(r"[a-z]{4,}")
_STOP = frozenset(
    "with that from this have their they such other when into also each more than upon "
    "which about under using used work workers patient patients".split()
)


@dataclass(frozen=True)
class PivotPath:
    """One ranked move from a role to a target role."""

    source: str
    """Role key moved from."""
    target: str
    """Role key moved to."""
    target_title: str
    """Target's readable title."""
    rank: int
    """1 = best."""
    score: float
    """Weighted score (see module docstring)."""
    source_direction: str
    """Outlook direction of the source role as of the date."""
    target_direction: str
    """Outlook direction of the target role."""
    outlook_gain: float
    """Target outlook score minus source outlook score."""
    source_wage: float | None
    """Source median annual wage (OEWS), USD."""
    target_wage: float | None
    """Target median annual wage, USD."""
    wage_change_pct: float | None
    """Percent change in median wage; None when a wage is top-coded or missing."""
    overlap: float
    """0..1 similarity of the work (O*NET skills/tasks, or the curated fallback)."""
    overlap_basis: str
    """``O*NET skills and tasks``, ``O*NET skills``, ``O*NET tasks`` or ``curated``."""
    skills: tuple[str, ...]
    """Skills to build (curated)."""
    credentials: tuple[str, ...]
    """Credentials that open the door (CCM, CPC, CDIP, RHIA, ACHIP, AIGP, …)."""
    credential_burden: float
    """0 none, 0.5 certification, 1 licence or degree."""
    funded_by: str
    """Curated one-line summary of what funds the target."""
    funding: tuple[Evidence, ...] = field(default_factory=tuple)
    """Codes (with family and chain step), rules and programs that fund the target."""
    parts: dict[str, float] = field(default_factory=dict)
    """The four normalised parts that made the score."""
    wage_scored: bool = False
    """True when the wage change counts in the score: both roles measured by their own
    occupation's statistics (a proxy's wage gap never drives the ranking)."""
    wage_note: str = ""
    """Why the wage change is shown but not scored."""

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready form."""
        return {
            "source": self.source,
            "target": self.target,
            "title": self.target_title,
            "target_title": self.target_title,
            "rank": self.rank,
            "score": round(self.score, 4),
            "source_direction": self.source_direction,
            "target_direction": self.target_direction,
            "outlook_gain": round(self.outlook_gain, 4),
            "source_wage": self.source_wage,
            "target_wage": self.target_wage,
            "wage_change_pct": None
            if self.wage_change_pct is None
            else round(self.wage_change_pct, 1),
            "wage_scored": self.wage_scored,
            "wage_note": self.wage_note,
            "overlap": round(self.overlap, 4),
            "overlap_basis": self.overlap_basis,
            "skills": list(self.skills),
            "credentials": list(self.credentials),
            "credential_burden": self.credential_burden,
            "funded_by": self.funded_by,
            "funding": [e.to_dict() for e in self.funding],
            "parts": {k: round(v, 4) for k, v in self.parts.items()},
        }


def credential_burden(credentials: Sequence[str]) -> float:
    """0 with no credential, 1 when one needs a licence, degree or board, else 0.5."""
    if not credentials:
        return 0.0
    return 1.0 if any(_HEAVY.search(c) for c in credentials) else 0.5


def score_parts(
    gain: float, wage_pct: float | None, overlap: float, burden: float
) -> tuple[float, dict[str, float]]:
    """The weighted score and its normalised parts (pure arithmetic, tested by hand)."""
    parts = {
        "gain": math.tanh(gain / 2.0),
        "wage": 0.0 if wage_pct is None else max(-1.0, min(1.0, wage_pct / 50.0)),
        "overlap": overlap,
        "burden": burden,
    }
    score = (
        WEIGHTS["gain"] * parts["gain"]
        + WEIGHTS["wage"] * parts["wage"]
        + WEIGHTS["overlap"] * parts["overlap"]
        - WEIGHTS["burden"] * parts["burden"]
    )
    return score, parts


def _onet_code(role: Role) -> str:
    m = re.match(r"\d{2}-\d{4}\.\d{2}", role.onet_soc.strip())
    return m.group(0) if m else ""


def _task_words(tasks: Sequence[str]) -> set[str]:
    words: set[str] = set()
    for t in tasks:
        words.update(w for w in _WORD.findall(t.lower()) if w not in _STOP)
    return words


def _cosine(a: Mapping[str, float], b: Mapping[str, float]) -> float:
    keys = set(a) | set(b)
    dot = sum(a.get(k, 0.0) * b.get(k, 0.0) for k in keys)
    na = math.sqrt(sum(v * v for v in a.values()))
    nb = math.sqrt(sum(v * v for v in b.values()))
    return dot / (na * nb) if na and nb else 0.0


def _onet_overlap(
    src: Role, dst: Role, profiles: Mapping[str, Mapping[str, Any]]
) -> tuple[float, str] | None:
    a, b = profiles.get(_onet_code(src)), profiles.get(_onet_code(dst))
    if not a or not b:
        return None
    parts: list[float] = []
    basis: list[str] = []
    if a.get("skills") and b.get("skills"):
        parts.append(_cosine(a["skills"], b["skills"]))
        basis.append("skills")
    wa, wb = _task_words(a.get("tasks") or ()), _task_words(b.get("tasks") or ())
    if wa and wb:
        parts.append(len(wa & wb) / len(wa | wb))
        basis.append("tasks")
    if not parts:
        return None
    return sum(parts) / len(parts), "O*NET " + " and ".join(basis)


def _curated_overlap(src: str, dst: str, skills: Sequence[str], knowledge: Knowledge) -> float:
    fam_src = {f.key for f in knowledge.families.values() if any(r == src for _, r in f.roles())}
    fam_dst = {f.key for f in knowledge.families.values() if any(r == dst for _, r in f.roles())}
    union = fam_src | fam_dst
    chains = len(fam_src & fam_dst) / len(union) if union else 0.0
    to_build = 1.0 - min(len(skills), 5) / 5.0
    return 0.5 * chains + 0.5 * to_build


@dataclass(frozen=True)
class _FundingSources:
    """What :func:`_funding` reads from the store, read once for every pivot of a role."""

    published: dict[str, Any]
    """The documents provisions and mandates name, public by ``as_of`` (not every document)."""
    paid_by: dict[str, Any]
    """Code → the earliest public issuance that made it billable."""
    codes_by_family: dict[str, list[Any]]
    metrics: list[Any]


def _funding_sources(store: Store, as_of: date, knowledge: Knowledge) -> _FundingSources:
    from payforce.store.queries import (
        documents_by_number,
        list_codes,
        list_metrics,
        list_provisions,
    )

    provisions = list_provisions(store, as_of)
    named = {p.document_number for p in provisions}
    for mandate in knowledge.mandates.values():
        named.update((*mandate.final, *mandate.proposed))
    published = {
        d.document_number: d
        for d in documents_by_number(store, named, as_of, include_out_of_scope=False)
    }
    paid_by: dict[str, Any] = {}
    for p in provisions:
        doc = published.get(p.document_number)
        if p.kind in {"code_payable", "code_assigned"} and doc is not None and not doc.is_proposed:
            if (
                p.subject not in paid_by
                or doc.publication_date < paid_by[p.subject].publication_date
            ):
                paid_by[p.subject] = doc
    codes_by_family: dict[str, list[Any]] = {}
    for code in list_codes(store):
        codes_by_family.setdefault(code.family, []).append(code)
    return _FundingSources(published, paid_by, codes_by_family, list_metrics(store, as_of))


def _funding(
    sources: _FundingSources, target: str, as_of: date, knowledge: Knowledge
) -> list[Evidence]:
    """What funds work in ``target``, as public on ``as_of``: each code from the issuance that made
    it payable, each mandate as its public document stated it, each program metric from its own
    source; every item dated (``available_from``)."""
    from payforce.knowledge.citations import citation_fields
    from payforce.knowledge.versions import as_stated, why_as_of

    out: list[Evidence] = []
    published, paid_by = sources.published, sources.paid_by
    codes_by_family = sources.codes_by_family
    for fam in sorted(knowledge.families.values(), key=lambda f: f.key):
        steps = [step for step, role in fam.roles() if role == target]
        if not steps:
            continue
        for code in codes_by_family.get(fam.key, []):
            doc = paid_by.get(code.code)
            if doc is None:
                continue
            out.append(
                Evidence(
                    kind="code",
                    ref=code.code,
                    label=f"{fam.name}: {target} {'/'.join(dict.fromkeys(steps))}",
                    url=doc.url,
                    year=doc.publication_date.year,
                    available_from=doc.publication_date,
                    **citation_fields(doc.url),
                )
            )
    for mandate in sorted(knowledge.mandates.values(), key=lambda m: m.key):
        docs = [published[n] for n in (*mandate.final, *mandate.proposed) if n in published]
        if not docs:
            continue
        doc = docs[0]
        stated = as_stated(mandate, doc.is_proposed or doc.type == "Notice")
        reqs = [r for r in stated.requirements if target in r.operators or target in r.pivots]
        for req in reqs:
            role_word = "operates" if target in req.operators else "shifts to"
            out.append(
                Evidence(
                    kind="document",
                    ref=doc.document_number,
                    label=f"{stated.name}: {target} {role_word} {req.technology or req.detail} "
                    f"(by {req.compliance_date.isoformat()})",
                    url=doc.url,
                    year=doc.publication_date.year,
                    available_from=doc.publication_date,
                )
            )
    metrics = sources.metrics
    for program in sorted(knowledge.programs.values(), key=lambda p: p.key):
        if target not in program.roles:
            continue
        series = [m for m in metrics if m.metric in program.metrics and m.value is not None]
        if not series:
            continue
        last = max(series, key=lambda m: (m.year, m.metric))
        url = last.source_url.split(" | ")[0]  # the value's own source, not the program's page
        out.append(
            Evidence(
                kind="metric",
                ref=last.metric,
                label=f"{program.name}: {why_as_of(program, as_of)}".strip(": "),
                url=url,
                year=last.year,
                value=last.value_text,
                available_from=last.available_from,
                **citation_fields(url),
            )
        )
    return out


def pivot_paths(
    store: Store,
    role_key: str,
    as_of: date,
    knowledge: Knowledge,
    *,
    outlooks: Sequence[Outlook] | None = None,
) -> list[PivotPath]:
    """Ranked pivot targets for ``role_key`` as of ``as_of`` (best first).

    ``outlooks`` may be passed to reuse an existing computation; by default they are computed
    with ``compute_outlooks(store, as_of)``. Raises LookupFailedError for an unknown role.
    """
    from payforce.store.queries import list_roles
    from payforce.store.workforce_tables import load_onet_profiles

    roles = {r.key: r for r in list_roles(store, as_of)}
    if role_key not in roles:
        from payforce.workforce.resolve import candidates

        near = candidates(role_key, list(roles.values()), knowledge, limit=3)
        raise LookupFailedError("role", role_key, [f"{k} ({roles[k].title})" for k, _ in near])
    if outlooks is None:
        from payforce.signals.outlook import compute_outlooks

        outlooks = compute_outlooks(store, as_of, knowledge)
    by_role = {o.role: o for o in outlooks}
    profiles = load_onet_profiles(store)
    src = roles[role_key]
    src_out = by_role.get(role_key)
    paths: list[PivotPath] = []
    sources: _FundingSources | None = None
    for edge in knowledge.pivots:
        if edge.source != role_key or edge.target not in roles:
            continue
        dst = roles[edge.target]
        dst_out = by_role.get(edge.target)
        gain = (dst_out.score if dst_out else 0.0) - (src_out.score if src_out else 0.0)
        wage_pct = None
        if src.median_wage and dst.median_wage:
            wage_pct = (dst.median_wage - src.median_wage) / src.median_wage * 100.0
        wage_scored = wage_pct is not None and src.own_figures and dst.own_figures
        wage_note = ""
        if wage_pct is not None and not wage_scored:
            proxies = [r.title for r in (src, dst) if not r.own_figures]
            wage_note = (
                "not scored: the wage of "
                + " and of ".join(proxies)
                + " is another occupation's (a proxy)"
            )
        onet = _onet_overlap(src, dst, profiles) if profiles else None
        if onet is not None:
            overlap, basis = onet
        else:
            overlap, basis = (
                _curated_overlap(role_key, edge.target, edge.skills, knowledge),
                "curated",
            )
        burden = credential_burden(edge.credentials)
        if sources is None:
            sources = _funding_sources(store, as_of, knowledge)
        score, parts = score_parts(gain, wage_pct if wage_scored else None, overlap, burden)
        paths.append(
            PivotPath(
                source=role_key,
                target=edge.target,
                target_title=dst.title,
                rank=0,
                score=score,
                source_direction=src_out.direction if src_out else "none",
                target_direction=dst_out.direction if dst_out else "none",
                outlook_gain=gain,
                source_wage=src.median_wage,
                target_wage=dst.median_wage,
                wage_change_pct=wage_pct,
                wage_scored=wage_scored,
                wage_note=wage_note,
                overlap=overlap,
                overlap_basis=basis,
                skills=edge.skills,
                credentials=edge.credentials,
                credential_burden=burden,
                funded_by=edge.funded_by
                if edge.funded_by_from is None or edge.funded_by_from <= as_of
                else "",
                funding=tuple(_funding(sources, edge.target, as_of, knowledge)),
                parts=parts,
            )
        )
    paths.sort(key=lambda p: (-p.score, p.target))
    return [PivotPath(**{**p.__dict__, "rank": i}) for i, p in enumerate(paths, start=1)]
