"""Resolve free text ("UR nurse", "prior auth", "coder") to a role key."""

from __future__ import annotations

import re

from payforce.errors import LookupFailedError
from payforce.knowledge import Knowledge
from payforce.models import Role

__all__ = ["candidates", "resolve_role"]


def _norm(text: str) -> str:
    return re.sub(r"[^a-z0-9/+ ]+", " ", text.lower()).strip()


def candidates(text: str, roles: list[Role], knowledge: Knowledge, limit: int = 5) -> list[tuple[str, float]]:
    """Role keys ranked by how well ``text`` matches their key, title or aliases (0..100)."""
    from rapidfuzz import fuzz

    query = _norm(text)
    scored: dict[str, float] = {}
    for role in roles:
        names = [role.key.replace("_", " "), role.title, *knowledge.aliases.get(role.key, ())]
        best = 0.0
        for name in names:
            n = _norm(name)
            if n == query:
                best = 100.0
                break
            best = max(best, fuzz.token_set_ratio(query, n) * 0.9, fuzz.ratio(query, n))
        scored[role.key] = best
    return sorted(scored.items(), key=lambda kv: (-kv[1], kv[0]))[:limit]


def resolve_role(text: str, roles: list[Role], knowledge: Knowledge, threshold: float = 80.0) -> Role:
    """The role ``text`` names; LookupFailedError with the closest matches when unsure."""
    by_key = {r.key: r for r in roles}
    if text in by_key:
        return by_key[text]
    ranked = candidates(text, roles, knowledge)
    if ranked and ranked[0][1] >= threshold and (len(ranked) == 1 or ranked[0][1] > ranked[1][1]):
        return by_key[ranked[0][0]]
    raise LookupFailedError("role", text, [f"{k} ({by_key[k].title})" for k, _ in ranked[:3]])
