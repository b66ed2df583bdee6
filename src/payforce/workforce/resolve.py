"""Resolve free text ("UR nurse", "prior auth", "HIM coder") to a role key.

Three sources of names, tried together, each phrase normalised the same way:

1. our role keys, titles and aliases (``knowledge/roles.yaml``), scored in full;
2. O*NET alternate titles (when O*NET is synced), credited to the role that *is* that O*NET
   occupation (not to the proxy roles that borrow its numbers), scored at 95 percent;
3. fuzzy matching (rapidfuzz token-sort and token-set ratios) over all of them.

Normalising lower-cases, turns ``&`` into ``and``, splits ``/`` and ``-``, expands common
abbreviations (``auth`` → ``authorization``, ``mgr`` → ``manager``), drops seniority words
(``senior``, ``lead``, ``II``) and folds plurals, so "Sr. Prior-Auth Specialists" and
"prior authorization specialist" meet. A phrase resolves when its best role scores at least the
threshold and strictly beats the runner-up; otherwise the closest candidates are returned in a
:class:`~payforce.errors.LookupFailedError`.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING

from payforce.errors import LookupFailedError
from payforce.knowledge import Knowledge
from payforce.models import Role

if TYPE_CHECKING:
    from payforce.store.db import Store

__all__ = [
    "DEFAULT_THRESHOLD",
    "candidates",
    "normalize",
    "onet_role_titles",
    "resolve_in_store",
    "resolve_role",
]

DEFAULT_THRESHOLD = 80.0
"""Minimum score (0-100) for a phrase to resolve without asking."""
ONET_WEIGHT = 0.95
"""O*NET alternate titles count slightly less than our curated aliases."""

_EXPAND = {
    "auth": "authorization",
    "authorisation": "authorization",
    "preauth": "prior authorization",
    "precert": "precertification",
    "cert": "certification",
    "mgr": "manager",
    "mgmt": "management",
    "coord": "coordinator",
    "spec": "specialist",
    "specialists": "specialist",
    "rep": "representative",
    "asst": "assistant",
    "admin": "administrator",
    "tech": "technician",
    "techs": "technician",
    "technologist": "technologist",
    "dr": "doctor",
    "doc": "doctor",
    "informatician": "informaticist",
    "informaticists": "informaticist",
    "analytics": "analyst",
    "coding": "coder",
    "billing": "biller",
    "utilisation": "utilization",
    "rcm": "revenue cycle",
}
_DROP = {
    "senior",
    "sr",
    "junior",
    "jr",
    "lead",
    "i",
    "ii",
    "iii",
    "iv",
    "the",
    "a",
    "an",
    "of",
    "for",
    "in",
    "level",
    "certified",
}
_KEEP_S = {
    "his",
    "ccds",
    "pa",
    "ms",
    "bs",
    "rns",
    "ehrs",
    "analysis",
    "status",
    "aides",
    "services",
    "always",
}


def normalize(text: str) -> str:
    """Lower-case, expand abbreviations, drop seniority words and fold plurals."""
    text = text.lower().replace("&", " and ").replace("’", "'")
    text = re.sub(r"\bpre[\s-]+(?=cert|auth)", "pre", text)
    text = re.sub(r"[^a-z0-9+ ]+", " ", text)
    words: list[str] = []
    for raw in text.split():
        word = _EXPAND.get(raw, raw)
        for w in word.split():
            if w in _DROP:
                continue
            if len(w) > 3 and w.endswith("s") and not w.endswith("ss") and w not in _KEEP_S:
                w = w[:-1]
            words.append(w)
    return " ".join(words)


def onet_role_titles(
    profiles: Mapping[str, Mapping[str, object]], roles: Sequence[Role]
) -> dict[str, tuple[str, ...]]:
    """Role key → O*NET titles (occupation title and alternate titles) that name that role.

    An O*NET occupation is credited to the one role that *is* it: the role whose ``onet_soc``
    starts with the O*NET code and is not marked a proxy or closest match; when several roles
    qualify (RN-based roles), the one whose title is closest to the O*NET title wins. O*NET
    sub-codes (``29-1141.01``) fall back to their 6-digit SOC.
    """
    from rapidfuzz import fuzz

    def own(role: Role) -> str:
        text = role.onet_soc.lower()
        if "proxy" in text or "closest" in text or not text:
            return ""
        return text.split()[0]

    by_code: dict[str, list[Role]] = {}
    for role in roles:
        code = own(role)
        if code:
            by_code.setdefault(code, []).append(role)
    out: dict[str, list[str]] = {}
    for code, profile in sorted(profiles.items()):
        parent = code[:7] + ".00"
        owners = by_code.get(code) or by_code.get(parent) or []
        if not owners:
            continue
        title = str(profile.get("title", ""))
        # a sub-code (29-1141.01 Acute Care Nurses) goes to the owner of its parent occupation
        pick_by = title if code in by_code else str(profiles.get(parent, {}).get("title", title))
        best = max(
            owners,
            key=lambda r: (fuzz.token_sort_ratio(normalize(r.title), normalize(pick_by)), r.key),
        )
        alts = profile.get("alternate_titles") or []
        names = [title, *(str(a) for a in alts)]  # type: ignore[attr-defined]
        out.setdefault(best.key, []).extend(n for n in names if n)
    return {k: tuple(dict.fromkeys(v)) for k, v in out.items()}


def _names(
    role: Role, knowledge: Knowledge, onet_titles: Mapping[str, Sequence[str]] | None
) -> list[tuple[str, float]]:
    names = [(role.key.replace("_", " "), 1.0), (role.title, 1.0)]
    names += [(a, 1.0) for a in knowledge.aliases.get(role.key, ())]
    if onet_titles:
        names += [(t, ONET_WEIGHT) for t in onet_titles.get(role.key, ())]
    return names


def candidates(
    text: str,
    roles: list[Role],
    knowledge: Knowledge,
    limit: int = 5,
    *,
    onet_titles: Mapping[str, Sequence[str]] | None = None,
) -> list[tuple[str, float]]:
    """Role keys ranked by how well ``text`` matches their names (0..100), best first."""
    from rapidfuzz import fuzz

    query = normalize(text)
    query_words = set(query.split())
    scored: dict[str, float] = {}
    for role in roles:
        best = 0.0
        for name, weight in _names(role, knowledge, onet_titles):
            n = normalize(name)
            if not n:
                continue
            if n == query:
                score = 100.0
            else:
                # a name that covers more of the query's words beats a generic one ("nurse")
                name_words = set(n.split())
                covered = len(query_words & name_words) / max(len(query_words), 1)
                score = max(
                    float(fuzz.token_sort_ratio(query, n)),
                    float(fuzz.token_set_ratio(query, n)) * 0.9 * (0.5 + 0.5 * covered),
                )
                # short strings ("ma", "cma") must not fuzzy-match unrelated short names
                if min(len(query), len(n)) <= 4:
                    score *= 0.8
                # every word of the name is in the query: "inpatient coder" in
                # "inpatient coder specialist" scores by how much of the query it explains
                if name_words <= query_words:
                    score = max(score, 70.0 + 30.0 * covered)
            best = max(best, score * weight)
            if best >= 100.0:
                break
        scored[role.key] = round(best, 2)
    return sorted(scored.items(), key=lambda kv: (-kv[1], kv[0]))[:limit]


def resolve_role(
    text: str,
    roles: list[Role],
    knowledge: Knowledge,
    threshold: float = DEFAULT_THRESHOLD,
    *,
    onet_titles: Mapping[str, Sequence[str]] | None = None,
) -> Role:
    """The role ``text`` names; LookupFailedError with the closest matches when unsure."""
    by_key = {r.key: r for r in roles}
    if text in by_key:
        return by_key[text]
    ranked = candidates(text, roles, knowledge, onet_titles=onet_titles)
    if ranked and ranked[0][1] >= threshold and (len(ranked) == 1 or ranked[0][1] > ranked[1][1]):
        return by_key[ranked[0][0]]
    raise LookupFailedError("role", text, [f"{k} ({by_key[k].title})" for k, _ in ranked[:3]])


def resolve_in_store(
    store: Store, text: str, knowledge: Knowledge, roles: list[Role] | None = None
) -> Role:
    """:func:`resolve_role` with the store's roles and, when synced, its O*NET titles."""
    from payforce.store.queries import list_roles
    from payforce.store.workforce_tables import load_onet_profiles

    roles = roles if roles is not None else list_roles(store)
    profiles = load_onet_profiles(store)
    titles = onet_role_titles(profiles, roles) if profiles else None
    return resolve_role(text, roles, knowledge, onet_titles=titles)
