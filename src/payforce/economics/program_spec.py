"""Program economics inputs: ``knowledge/economics.yaml`` parsed into typed specs; billing rules.

Every default carries its source (or ``assumption``). Billing rules are checked on a program's
mix (one segment = one patient-period) and on a claims file (per patient, period, practitioner).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, replace
from functools import lru_cache
from importlib import resources
from typing import Any

import yaml

from payforce.errors import KnowledgeError

__all__ = [
    "CLAIM_COLUMNS",
    "Assumption",
    "BillingRule",
    "Claim",
    "Conflict",
    "Economics",
    "ProgramSpec",
    "Segment",
    "check_claims",
    "check_segments",
    "load_economics",
    "load_economics_with",
    "parse_claims",
    "parse_economics",
    "read_assumption",
]

_PATH = "knowledge/economics.yaml"


@dataclass(frozen=True)
class Assumption:
    """One input value with its unit and source."""

    key: str
    """What it is, e.g. ``enrolment``."""
    value: float
    """The value."""
    unit: str = ""
    """Unit as words."""
    source: str = "assumption"
    """URL, or ``assumption`` when no public source gives it."""
    note: str = ""
    """How the value was read or derived."""
    confidence: str = "medium"
    """high / medium / low."""


@dataclass(frozen=True)
class Segment:
    """A kind of patient-month: the share of months like it, the codes billed, staff minutes."""

    label: str
    """What the month looks like (data days, minutes)."""
    share: float
    """Share of patient-months (0..1)."""
    codes: dict[str, int]
    """Code → units billed."""
    minutes: float
    """Staff minutes spent (the codes' time thresholds)."""
    extra: bool = False
    """True for add-on items that stack on the mix (onboarding)."""


@dataclass(frozen=True)
class BillingRule:
    """A rule two codes must respect in one period."""

    id: str
    """Rule id."""
    kind: str
    """``exclusive`` (not together) or ``requires_same_practitioner``."""
    codes: tuple[str, ...]
    """Codes the rule is about."""
    requires: tuple[str, ...]
    """Base codes one of which must be present (``requires_same_practitioner``)."""
    period: str
    """The period the rule applies to."""
    detail: str
    """The rule in words."""
    source: str
    """Source URL."""


@dataclass(frozen=True)
class ProgramSpec:
    """One program's defaults from economics.yaml."""

    key: str
    """Program key, e.g. ``rpm``."""
    name: str
    """Readable name."""
    families: tuple[str, ...]
    """Service families it bills."""
    unit: str
    """``patient-month`` or ``discharge``."""
    eligible: Assumption
    """Eligible patients (or discharges a month)."""
    enrolment: Assumption
    """Share enrolled."""
    staff_mix: dict[str, float]
    """Hired role → share of staff minutes."""
    staff_mix_source: str
    """Source of the staff mix."""
    practitioner: Assumption
    """Practitioner minutes per billed unit (``key`` is the role)."""
    segments: tuple[Segment, ...]
    """The mix of patient-months, plus extras."""
    segments_source: str
    """Source of the mix."""


@dataclass(frozen=True)
class Economics:
    """All of economics.yaml, validated."""

    defaults: dict[str, Assumption]
    """Global defaults (paid minutes, loading factor, FTE increment, max panel)."""
    capacities: dict[str, Assumption]
    """Role → billed minutes per FTE-month."""
    rules: tuple[BillingRule, ...]
    """Billing rules."""
    programs: dict[str, ProgramSpec]
    """Programs by key."""
    demand: dict[str, dict[str, Any]]
    """National demand entries by family key (raw, read by ``payforce.economics.demand``)."""
    year: int = 2026
    """Default year."""
    cf_kind: str = "non_qp"
    """Default CF kind."""
    setting: str = "nonfacility"
    """Default setting."""


def read_assumption(key: str, raw: Any, where: str, path: str = _PATH) -> Assumption:
    """Read ``{value, unit, source, note, confidence}`` (or a bare number) as an Assumption."""
    if isinstance(raw, int | float):
        return Assumption(key, float(raw))
    if not isinstance(raw, dict) or "value" not in raw:
        raise KnowledgeError(
            "expected a mapping with value and source", path=path, entry=where, field=key
        )
    try:
        value = float(raw["value"])
    except (TypeError, ValueError):
        raise KnowledgeError(
            f"not a number ({raw['value']!r})", path=path, entry=where, field=key
        ) from None
    return Assumption(
        key,
        value,
        str(raw.get("unit", "")),
        str(raw.get("source", "assumption")),
        str(raw.get("note", "")),
        str(raw.get("confidence", "medium")),
    )


def _yaml(text: str, path: str) -> dict[str, Any]:
    try:
        data = yaml.safe_load(text)
    except RecursionError:
        raise KnowledgeError("not valid YAML (nested too deeply)", path=path) from None
    except (ValueError, TypeError, OverflowError) as exc:  # e.g. a date like 2024-13-45
        raise KnowledgeError(f"not valid YAML ({exc})", path=path) from None
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f" at line {mark.line + 1}" if mark is not None else ""
        raise KnowledgeError(f"not valid YAML{where}", path=path) from None
    if not isinstance(data, dict):
        raise KnowledgeError("not a mapping", path=path)
    return data


def _merge(base: dict[str, Any], over: dict[str, Any]) -> dict[str, Any]:
    """Deep-merge mappings; any other value (lists included) replaces the base value."""
    out = dict(base)
    for key, value in over.items():
        if isinstance(value, dict) and isinstance(out.get(key), dict):
            out[key] = _merge(out[key], value)
        else:
            out[key] = value
    return out


def parse_economics(
    text: str, *, override: str | None = None, override_path: str = "overrides.yaml"
) -> Economics:
    """Validate economics.yaml text (with an optional override file merged on top).

    Errors name the file, entry and field.
    """
    path = _PATH
    data = _yaml(text, path)
    if override is not None:
        from payforce.economics.config_schema import check_override  # the --config schema

        data = _merge(data, check_override(_yaml(override, override_path), data, override_path))
        path = f"{_PATH} + {override_path}"
    d = data.get("defaults", {})
    defaults = {
        k: read_assumption(k, v, "defaults", path)
        for k, v in d.items()
        if k not in {"year", "cf_kind", "setting"}
    }
    caps = {
        k: read_assumption(k, v, "capacities", path) for k, v in data.get("capacities", {}).items()
    }
    rules = tuple(
        BillingRule(
            r["id"],
            r["kind"],
            tuple(r["codes"]),
            tuple(r.get("requires", ())),
            r.get("period", ""),
            r.get("detail", ""),
            r.get("source", ""),
        )
        for r in data.get("billing_rules", [])
    )
    programs = {}
    for key, p in data.get("programs", {}).items():
        for required in ("name", "eligible", "enrolment", "segments", "staff_mix"):
            if not isinstance(p, dict) or required not in p:
                raise KnowledgeError("missing field", path=path, entry=key, field=required)
        segs = []
        for i, s in enumerate(list(p.get("segments", [])) + list(p.get("extras", []))):
            extra = i >= len(p.get("segments", []))
            try:
                segs.append(
                    Segment(
                        str(s["label"]),
                        float(s["share"]),
                        {str(c): int(n) for c, n in (s.get("codes") or {}).items()},
                        float(s["minutes"]),
                        extra,
                    )
                )
            except KeyError as exc:
                raise KnowledgeError(
                    f"segment {i + 1} has no {exc.args[0]}",
                    path=path,
                    entry=key,
                    field="segments",
                ) from None
            except (TypeError, ValueError, AttributeError) as exc:
                raise KnowledgeError(
                    f"segment {i + 1}: not a number ({exc})", path=path, entry=key, field="segments"
                ) from None
        total = sum(s.share for s in segs if not s.extra)
        if abs(total - 1.0) > 1e-6:
            raise KnowledgeError(
                f"segment shares sum to {total:.3f}, not 1", path=path, entry=key, field="segments"
            )
        mix = {str(r): float(v) for r, v in p.get("staff_mix", {}).items()}
        if abs(sum(mix.values()) - 1.0) > 1e-6:
            raise KnowledgeError(
                "staff_mix shares must sum to 1", path=path, entry=key, field="staff_mix"
            )
        for role in mix:
            if role not in caps:
                raise KnowledgeError(
                    f"no capacity for role {role!r}", path=path, entry=key, field="staff_mix"
                )
        prac = p.get("practitioner", {})
        practitioner = read_assumption(
            "minutes", {**prac, "value": prac.get("minutes", 0)}, key, path
        )
        practitioner = replace(practitioner, key=str(prac.get("role", "")))
        programs[key] = ProgramSpec(
            key=key,
            name=str(p["name"]),
            families=tuple(p.get("families", ())),
            unit=str(p.get("unit", "patient-month")),
            eligible=read_assumption("eligible", p["eligible"], key, path),
            enrolment=read_assumption("enrolment", p["enrolment"], key, path),
            staff_mix=mix,
            staff_mix_source=str(p.get("staff_mix_source", "")),
            practitioner=practitioner,
            segments=tuple(segs),
            segments_source=str(p.get("segments_source", "")),
        )
    return Economics(
        defaults=defaults,
        capacities=caps,
        rules=rules,
        programs=programs,
        demand=dict(data.get("demand", {})),
        year=int(d.get("year", 2026)),
        cf_kind=str(d.get("cf_kind", "non_qp")),
        setting=str(d.get("setting", "nonfacility")),
    )


def _bundled_text() -> str:
    return resources.files("payforce.knowledge").joinpath("economics.yaml").read_text("utf-8")


@lru_cache(maxsize=1)
def load_economics() -> Economics:
    """The bundled economics.yaml, validated (cached)."""
    return parse_economics(_bundled_text())


def load_economics_with(override: str, path: str) -> Economics:
    """The bundled defaults with a user's YAML merged on top (same layout, any subset)."""
    return parse_economics(_bundled_text(), override=override, override_path=path)


@dataclass(frozen=True)
class Conflict:
    """A billing-rule violation found in a mix or a claims file."""

    rule: str
    """Rule id."""
    where: str
    """Segment label, or ``patient P, period M``."""
    codes: tuple[str, ...]
    """The codes involved."""
    detail: str
    """The rule in words."""
    source: str
    """Source URL."""


def check_segments(segments: Iterable[Segment], rules: Iterable[BillingRule]) -> list[Conflict]:
    """Billing-rule conflicts within each segment of a mix (one segment = one patient-period)."""
    out: list[Conflict] = []
    rule_list = list(rules)
    for seg in segments:
        out.extend(replace(c, where=seg.label) for c in _violations(set(seg.codes), rule_list))
    return out


def _violations(codes: set[str], rules: list[BillingRule]) -> list[Conflict]:
    out = []
    for r in rules:
        hit = tuple(c for c in r.codes if c in codes)
        if r.kind == "exclusive" and len(hit) >= 2:
            out.append(Conflict(r.id, "", hit, r.detail, r.source))
        elif r.kind == "requires_same_practitioner" and hit and not codes & set(r.requires):
            out.append(Conflict(r.id, "", hit, r.detail, r.source))
    return out


@dataclass(frozen=True)
class Claim:
    """One billed line of a claims file."""

    patient: str
    """Patient identifier."""
    period: str
    """Billing period (``2026-03``)."""
    code: str
    """Code billed."""
    practitioner: str
    """Billing practitioner (NPI or name)."""


def check_claims(claims: Iterable[Claim], rules: Iterable[BillingRule]) -> list[Conflict]:
    """Conflicts per patient and period; ``requires_same_practitioner`` groups by practitioner."""
    rules = list(rules)
    by_period: dict[tuple[str, str], set[str]] = {}
    by_prac: dict[tuple[str, str, str], set[str]] = {}
    for c in claims:
        by_period.setdefault((c.patient, c.period), set()).add(c.code)
        by_prac.setdefault((c.patient, c.period, c.practitioner), set()).add(c.code)
    out = []
    excl = [r for r in rules if r.kind == "exclusive"]
    same = [r for r in rules if r.kind == "requires_same_practitioner"]
    for (patient, period), codes in sorted(by_period.items()):
        out += [
            replace(v, where=f"patient {patient}, period {period}")
            for v in _violations(codes, excl)
        ]
    for (patient, period, prac), codes in sorted(by_prac.items()):
        out += [
            replace(v, where=f"patient {patient}, period {period}, practitioner {prac}")
            for v in _violations(codes, same)
        ]
    return out


CLAIM_COLUMNS = ("patient", "period", "code", "practitioner")
"""Columns a claims CSV must have (more are ignored)."""


def parse_claims(text: str, *, path: str = "claims.csv") -> list[Claim]:
    """Read a claims CSV (patient, period, code, practitioner); errors name line and field."""
    import csv

    from payforce.errors import ParseError

    try:
        return _parse_claims(text, path=path)
    except csv.Error as exc:  # a broken CSV (found by tests/fuzz): one line
        raise ParseError(f"not a readable CSV ({exc})", path=path) from None


def _parse_claims(text: str, *, path: str) -> list[Claim]:
    import csv
    import io

    from payforce.errors import ParseError

    reader = csv.DictReader(io.StringIO(text))
    missing = [c for c in CLAIM_COLUMNS if c not in (reader.fieldnames or [])]
    if missing:
        raise ParseError(
            f"missing column {missing[0]!r}",
            path=path,
            line=1,
            hint="Columns: " + ", ".join(CLAIM_COLUMNS),
        )
    out = []
    for line, row in enumerate(reader, start=2):
        for col in CLAIM_COLUMNS:
            if not (row.get(col) or "").strip():
                raise ParseError("empty value", path=path, line=line, field=col)
        out.append(
            Claim(
                row["patient"].strip(),
                row["period"].strip(),
                row["code"].strip().upper(),
                row["practitioner"].strip(),
            )
        )
    return out
