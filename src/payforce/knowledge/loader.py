"""Load and validate the curated knowledge files; errors name the file, entry and field."""

from __future__ import annotations

import csv
from dataclasses import dataclass, field
from datetime import date
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import Any

from payforce.errors import KnowledgeError

__all__ = [
    "DeadlineRule",
    "Family",
    "Knowledge",
    "Mandate",
    "PivotEdge",
    "Program",
    "Requirement",
    "load_knowledge",
]

CHAIN_STEPS = ("performs", "supervises", "documents", "bills")


@dataclass(frozen=True)
class Family:
    """A service family and its operational chain."""

    key: str
    """Family key, e.g. ``ccm``."""
    name: str
    """Readable name."""
    workflow: str
    """The workflow it funds."""
    minutes_per_unit: float
    """Time one unit of service takes."""
    supervision: str
    """Supervision level."""
    chain: dict[str, tuple[str, ...]]
    """Step (performs / supervises / documents / bills) → role keys."""
    source: str
    """Source URL."""

    def roles(self) -> list[tuple[str, str]]:
        """(step, role) pairs in chain order."""
        return [(step, role) for step in CHAIN_STEPS for role in self.chain.get(step, ())]


@dataclass(frozen=True)
class PivotEdge:
    """A path from one role to another."""

    source: str
    """From role key."""
    target: str
    """To role key."""
    skills: tuple[str, ...]
    """Skills to build."""
    credentials: tuple[str, ...]
    """Credentials that open the door."""
    funded_by: str
    """The codes or rules that fund the target work."""
    funded_by_from: date | None = None
    """First date the ``funded_by`` text is true of what was public (its newest rule or code)."""


@dataclass(frozen=True)
class Requirement:
    """One dated requirement of a mandate."""

    id: str
    """Requirement id."""
    detail: str
    """What is required."""
    compliance_date: date
    """When it must be met."""
    technology: str
    """The technology that makes it possible."""
    operators: tuple[str, ...]
    """Roles that operate that technology (gain)."""
    displaced: tuple[str, ...]
    """Roles whose manual work it displaces (pressure)."""
    pivots: tuple[str, ...]
    """Roles whose work shifts (pivot)."""
    as_proposed: dict[str, Any] = field(default_factory=dict)
    """What the proposed rule said where it differs (``detail``, ``compliance_date``)."""


@dataclass(frozen=True)
class Mandate:
    """A rulemaking that imposes dated requirements."""

    key: str
    """Mandate key."""
    name: str
    """Readable name."""
    proposed: tuple[str, ...]
    """Proposed-rule document numbers."""
    final: tuple[str, ...]
    """Final-rule document numbers."""
    requirements: tuple[Requirement, ...]
    """Dated requirements."""
    source: str
    """Source URL."""
    rin: str = ""
    """RIN where known."""
    reverses: str = ""
    """Key of a mandate this one would roll back."""
    proposed_name: str = ""
    """The name as the proposed rule gave it (e.g. ``CMS-0057-P``), where it differs."""


@dataclass(frozen=True)
class DeadlineRule:
    """How an extracted decision timeframe maps to roles, by words in its sentence."""

    id: str
    """Rule id."""
    match: tuple[str, ...]
    """Lower-case phrases; one must appear in the deadline's evidence sentence."""
    technology: str
    """The technology that makes the timeframe possible."""
    operators: tuple[str, ...]
    """Roles that operate it (growth)."""
    displaced: tuple[str, ...]
    """Roles whose manual work it displaces (pressure)."""
    pivots: tuple[str, ...]
    """Roles whose work shifts (pivot)."""
    source: str
    """Source URL."""


@dataclass(frozen=True)
class Program:
    """A value-based program or uptake series."""

    key: str
    """Program key."""
    name: str
    """Readable name."""
    metrics: tuple[str, ...]
    """Metric keys whose growth shows the program expanding."""
    roles: tuple[str, ...]
    """Roles that move its quality metrics or deliver its services."""
    why: str
    """Why those roles (the text public from the start)."""
    source: str
    """Source URL."""
    why_from: tuple[tuple[date, str], ...] = ()
    """Later ``why`` texts, each public from a date (a later rule changed the program)."""


@dataclass(frozen=True)
class Knowledge:
    """All curated knowledge, validated."""

    families: dict[str, Family]
    """Service families by key."""
    aliases: dict[str, tuple[str, ...]]
    """Role key → alias phrases."""
    pivots: tuple[PivotEdge, ...]
    """Pivot edges."""
    mandates: dict[str, Mandate]
    """Mandates by key."""
    programs: dict[str, Program]
    """Programs by key."""
    ai_weights: dict[str, float]
    """AI category → weight."""
    ai_codes: dict[str, str]
    """Code → AI category."""
    ai_sources: dict[str, str]
    """Code → source of its AI category."""
    provisions: tuple[dict[str, Any], ...]
    """Curated provisions (document, kind, subject, family, effective_date, detail)."""
    role_keys: frozenset[str] = field(default_factory=frozenset)
    """Valid role keys (from the snapshot's roles.csv)."""
    deadline_rules: tuple[DeadlineRule, ...] = ()
    """Rules for extracted decision timeframes."""


def _read_yaml(path: Path) -> dict[str, Any]:
    import yaml

    loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)  # libyaml when available: ~10× faster
    try:
        data = yaml.load(path.read_text(encoding="utf-8"), Loader=loader)  # noqa: S506 (safe loader)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        line = f" line {mark.line + 1}" if mark is not None else ""
        raise KnowledgeError(
            f"not valid YAML{line} ({exc.__class__.__name__})", path=path.name
        ) from exc
    if not isinstance(data, dict):
        raise KnowledgeError("expected a mapping at the top level", path=path.name)
    return data


def _need(entry: dict[str, Any], key: str, *, path: str, name: str) -> Any:
    if not isinstance(entry, dict) or key not in entry or entry[key] in (None, ""):
        raise KnowledgeError("missing required field", path=path, entry=name, field=key)
    return entry[key]


def _roles(value: Any, valid: frozenset[str], *, path: str, name: str, fld: str) -> tuple[str, ...]:
    if value is None:
        return ()
    if not isinstance(value, list):
        raise KnowledgeError("expected a list of role keys", path=path, entry=name, field=fld)
    for role in value:
        if role not in valid:
            raise KnowledgeError(f"unknown role {role!r}", path=path, entry=name, field=fld)
    return tuple(value)


def _date(value: Any, *, path: str, name: str, fld: str) -> date:
    if isinstance(value, date):
        return value
    try:
        return date.fromisoformat(str(value))
    except ValueError:
        raise KnowledgeError(
            f"not an ISO date ({value!r})", path=path, entry=name, field=fld
        ) from None


def _as_proposed(value: Any, *, path: str, name: str) -> dict[str, Any]:
    if value is None:
        return {}
    if not isinstance(value, dict) or set(value) - {"detail", "compliance_date"}:
        raise KnowledgeError(
            "expected a mapping of detail and/or compliance_date",
            path=path,
            entry=name,
            field="as_proposed",
        )
    out = dict(value)
    if "compliance_date" in out:
        out["compliance_date"] = _date(
            out["compliance_date"], path=path, name=name, fld="as_proposed.compliance_date"
        )
    return out


def parse_knowledge(folder: Path, role_keys: frozenset[str]) -> Knowledge:
    """Read and validate every knowledge file in ``folder`` against the known role keys."""
    fam_path = "families.yaml"
    families: dict[str, Family] = {}
    for key, e in (_read_yaml(folder / fam_path).get("families") or {}).items():
        chain_raw = _need(e, "chain", path=fam_path, name=key)
        chain = {}
        for step, roles in chain_raw.items():
            if step not in CHAIN_STEPS:
                raise KnowledgeError(
                    f"unknown chain step {step!r} (expected one of {', '.join(CHAIN_STEPS)})",
                    path=fam_path,
                    entry=key,
                    field="chain",
                )
            chain[step] = _roles(roles, role_keys, path=fam_path, name=key, fld=f"chain.{step}")
        minutes = _need(e, "minutes_per_unit", path=fam_path, name=key)
        if not isinstance(minutes, int | float) or minutes <= 0:
            raise KnowledgeError(
                f"must be a positive number ({minutes!r})",
                path=fam_path,
                entry=key,
                field="minutes_per_unit",
            )
        families[key] = Family(
            key=key,
            name=_need(e, "name", path=fam_path, name=key),
            workflow=e.get("workflow", ""),
            minutes_per_unit=float(minutes),
            supervision=e.get("supervision", ""),
            chain=chain,
            source=_need(e, "source", path=fam_path, name=key),
        )

    roles_path = "roles.yaml"
    rdata = _read_yaml(folder / roles_path)
    aliases = {}
    for key, phrases in (rdata.get("aliases") or {}).items():
        if key not in role_keys:
            raise KnowledgeError("unknown role key", path=roles_path, entry=key, field="aliases")
        aliases[key] = tuple(str(p).lower() for p in phrases)
    pivots = []
    for i, e in enumerate(rdata.get("pivots") or []):
        name = f"pivots[{i}]"
        src = _need(e, "from", path=roles_path, name=name)
        dst = _need(e, "to", path=roles_path, name=name)
        for fld, val in (("from", src), ("to", dst)):
            if val not in role_keys:
                raise KnowledgeError(
                    f"unknown role {val!r}", path=roles_path, entry=name, field=fld
                )
        pivots.append(
            PivotEdge(
                source=src,
                target=dst,
                skills=tuple(e.get("skills") or ()),
                credentials=tuple(e.get("credentials") or ()),
                funded_by=_need(e, "funded_by", path=roles_path, name=name),
                funded_by_from=_date(
                    e["funded_by_from"], path=roles_path, name=name, fld="funded_by_from"
                )
                if e.get("funded_by_from")
                else None,
            )
        )

    man_path = "mandates.yaml"
    mandates = {}
    mdata = _read_yaml(folder / man_path)
    deadline_rules = []
    for i, e in enumerate(mdata.get("deadline_rules") or []):
        name = str(e.get("id") or f"deadline_rules[{i}]") if isinstance(e, dict) else str(i)
        deadline_rules.append(
            DeadlineRule(
                id=_need(e, "id", path=man_path, name=name),
                match=tuple(str(m).lower() for m in _need(e, "match", path=man_path, name=name)),
                technology=_need(e, "technology", path=man_path, name=name),
                operators=_roles(
                    e.get("operators"), role_keys, path=man_path, name=name, fld="operators"
                ),
                displaced=_roles(
                    e.get("displaced"), role_keys, path=man_path, name=name, fld="displaced"
                ),
                pivots=_roles(e.get("pivots"), role_keys, path=man_path, name=name, fld="pivots"),
                source=_need(e, "source", path=man_path, name=name),
            )
        )
    for key, e in (mdata.get("mandates") or {}).items():
        reqs = []
        for r in _need(e, "requirements", path=man_path, name=key):
            rid = _need(r, "id", path=man_path, name=key)
            name = f"{key}.{rid}"
            reqs.append(
                Requirement(
                    id=rid,
                    detail=_need(r, "detail", path=man_path, name=name),
                    compliance_date=_date(
                        _need(r, "compliance_date", path=man_path, name=name),
                        path=man_path,
                        name=name,
                        fld="compliance_date",
                    ),
                    technology=r.get("technology", ""),
                    operators=_roles(
                        r.get("operators"), role_keys, path=man_path, name=name, fld="operators"
                    ),
                    displaced=_roles(
                        r.get("displaced"), role_keys, path=man_path, name=name, fld="displaced"
                    ),
                    pivots=_roles(
                        r.get("pivots"), role_keys, path=man_path, name=name, fld="pivots"
                    ),
                    as_proposed=_as_proposed(r.get("as_proposed"), path=man_path, name=name),
                )
            )
        mandates[key] = Mandate(
            key=key,
            name=_need(e, "name", path=man_path, name=key),
            proposed=tuple(str(x) for x in e.get("proposed") or ()),
            final=tuple(str(x) for x in e.get("final") or ()),
            requirements=tuple(reqs),
            source=_need(e, "source", path=man_path, name=key),
            rin=str(e.get("rin", "")),
            reverses=str(e.get("reverses", "")),
            proposed_name=str(e.get("proposed_name", "")),
        )
    for m in mandates.values():
        if m.reverses and m.reverses not in mandates:
            raise KnowledgeError(
                f"unknown mandate {m.reverses!r}", path=man_path, entry=m.key, field="reverses"
            )

    prog_path = "programs.yaml"
    programs = {}
    for key, e in (_read_yaml(folder / prog_path).get("programs") or {}).items():
        programs[key] = Program(
            key=key,
            name=_need(e, "name", path=prog_path, name=key),
            metrics=tuple(_need(e, "metrics", path=prog_path, name=key)),
            roles=_roles(
                _need(e, "roles", path=prog_path, name=key),
                role_keys,
                path=prog_path,
                name=key,
                fld="roles",
            ),
            why=e.get("why", ""),
            source=_need(e, "source", path=prog_path, name=key),
            why_from=tuple(
                sorted(
                    (
                        _date(
                            _need(w, "from", path=prog_path, name=key),
                            path=prog_path,
                            name=key,
                            fld="why_from.from",
                        ),
                        str(_need(w, "why", path=prog_path, name=key)),
                    )
                    for w in e.get("why_from") or ()
                )
            ),
        )

    ai_path = "ai_categories.yaml"
    adata = _read_yaml(folder / ai_path)
    weights = {}
    for cat, e in (adata.get("categories") or {}).items():
        weights[cat] = float(_need(e, "weight", path=ai_path, name=cat))
    ai_codes, ai_sources = {}, {}
    for code, e in (adata.get("codes") or {}).items():
        cat = _need(e, "category", path=ai_path, name=str(code))
        if cat not in weights:
            raise KnowledgeError(
                f"unknown AI category {cat!r}", path=ai_path, entry=str(code), field="category"
            )
        ai_codes[str(code)] = cat
        ai_sources[str(code)] = _need(e, "source", path=ai_path, name=str(code))

    prov_path = "provisions.yaml"
    provisions = []
    for i, e in enumerate(_read_yaml(folder / prov_path).get("provisions") or []):
        name = f"provisions[{i}]"
        for fld in ("document", "kind", "subject", "detail"):
            _need(e, fld, path=prov_path, name=name)
        fam = e.get("family", "")
        if fam and fam not in families:
            raise KnowledgeError(
                f"unknown family {fam!r}", path=prov_path, entry=name, field="family"
            )
        eff = e.get("effective_date")
        provisions.append(
            {
                "document_number": str(e["document"]),
                "kind": e["kind"],
                "subject": str(e["subject"]),
                "family": fam,
                "detail": e["detail"],
                "effective_date": _date(eff, path=prov_path, name=name, fld="effective_date")
                if eff
                else None,
                "roles": ";".join(
                    _roles(e.get("roles"), role_keys, path=prov_path, name=name, fld="roles")
                ),
            }
        )

    return Knowledge(
        families=families,
        aliases=aliases,
        pivots=tuple(pivots),
        mandates=mandates,
        programs=programs,
        ai_weights=weights,
        ai_codes=ai_codes,
        ai_sources=ai_sources,
        provisions=tuple(provisions),
        role_keys=role_keys,
        deadline_rules=tuple(deadline_rules),
    )


def bundled_role_keys() -> frozenset[str]:
    """Role keys of the bundled snapshot's roles.csv."""
    text = resources.files("payforce.data").joinpath("roles.csv").read_text(encoding="utf-8")
    return frozenset(r["role_key"] for r in csv.DictReader(text.splitlines()))


@lru_cache(maxsize=1)
def load_knowledge() -> Knowledge:
    """The bundled knowledge, validated (cached for the process)."""
    folder = Path(str(resources.files("payforce.knowledge")))
    return parse_knowledge(folder, bundled_role_keys())
