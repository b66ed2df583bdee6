"""The AI-governance readiness instrument: load ``instrument.yaml``, validate it, check answers.

The instrument is data (a versioned YAML file beside this module): 37 questions in five domains,
each with a 0-5 scale described level by level, the evidence an auditor asks for, a crosswalk to
the frameworks and laws, and a must-fix flag where a law makes the question one. Loading checks
all of it and names the question id of the first problem (all problems are on ``.problems``).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import Any

import yaml

from payforce.errors import AssessmentError

__all__ = [
    "CROSSWALK_KEYS",
    "DOMAIN_COUNT",
    "LEVELS",
    "QUESTION_COUNT",
    "SIDES",
    "Crosswalk",
    "Domain",
    "Instrument",
    "InstrumentError",
    "InstrumentProblem",
    "MustFix",
    "Question",
    "ReadinessArea",
    "ReadinessRequirement",
    "load_instrument",
    "parse_instrument",
    "validate_level",
]

QUESTION_COUNT = 37
"""How many questions the instrument must hold."""
DOMAIN_COUNT = 5
"""How many domains the instrument must hold."""
LEVELS = range(0, 6)
"""Allowed answers: 0 (not in place or unknown) to 5 (optimizing)."""
CROSSWALK_KEYS = ("joint_commission", "nist_ai_rmf", "chai", "iso_42001", "laws")
"""Every question's crosswalk carries exactly these keys."""
SIDES = ("provider", "payer")
"""The sides a must-fix duty can fall on (``applies_to``)."""
_QUESTION_ID = re.compile(r"^(D[1-9])\.(\d{2})$")
_DEFAULT_NAME = "instrument.yaml"
_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


@dataclass(frozen=True)
class Crosswalk:
    """Where a question sits in the frameworks and the law."""

    joint_commission: str
    """Joint Commission + CHAI RUAIH guidance element and certification area."""
    nist_ai_rmf: tuple[str, ...]
    """NIST AI RMF function and category, e.g. ``GOVERN GV1.6 (AI inventory)``."""
    chai: str
    """CHAI governance-playbook area, assurance principle or tool."""
    iso_42001: tuple[str, ...]
    """ISO/IEC 42001:2023 clause or Annex A objective."""
    laws: tuple[str, ...]
    """Statutes, rules and agency guidance that bear on the question (may be empty)."""


@dataclass(frozen=True)
class MustFix:
    """A legal duty: the team score must reach ``min_level`` or the assessment is blocked."""

    law: str
    """The law or rule that makes this a must-fix."""
    min_level: int
    """Lowest team score (1-5) that clears the gate."""
    applies_to: tuple[str, ...] = SIDES
    """Sides the duty falls on: ``provider``, ``payer`` or both (the default)."""

    def applies(self, kind: str) -> bool:
        """True when the duty binds an organization of this kind (``both`` is bound by all)."""
        return kind == "both" or kind in self.applies_to


@dataclass(frozen=True)
class Question:
    """One question of the instrument."""

    id: str
    """``D<domain>.<nn>``, e.g. ``D3.02``."""
    domain: str
    """Domain id, e.g. ``D3``."""
    title: str
    """Short name used in reports."""
    text: str
    """The question as respondents read it."""
    levels: tuple[str, ...]
    """Six concrete descriptions, for levels 0 to 5."""
    evidence: tuple[str, ...]
    """What an auditor would ask to see."""
    crosswalk: Crosswalk
    """Frameworks and laws."""
    must_fix: MustFix | None
    """Set where a law makes this question a must-fix."""


@dataclass(frozen=True)
class Domain:
    """One of the five domains (aligned with the RUAIH certification areas)."""

    id: str
    """``D1`` … ``D5``."""
    name: str
    """Domain name."""
    certification_area: str
    """Joint Commission RUAIH certification area it maps to."""
    question_ids: tuple[str, ...]
    """Its questions, in order."""


@dataclass(frozen=True)
class ReadinessRequirement:
    """A billing or operations prerequisite and the questions that govern it."""

    id: str
    """Short key, e.g. ``interpretation``."""
    label: str
    """What must be true, e.g. ``Physician interpretation documented``."""
    question_ids: tuple[str, ...]
    """Questions whose team score must reach ``min_level``."""
    min_level: int
    """Level each listed question must reach."""


@dataclass(frozen=True)
class ReadinessArea:
    """A group of requirements: AI-augmented codes, or prior-authorization automation."""

    id: str
    """``ai_codes`` or ``prior_auth``."""
    label: str
    """Heading used in reports."""
    requirements: tuple[ReadinessRequirement, ...]
    """Its requirements, in order."""


@dataclass(frozen=True)
class Instrument:
    """The whole instrument, validated."""

    version: str
    """Instrument version (answers and reports record it)."""
    title: str
    """Instrument title."""
    scale: tuple[str, ...]
    """Names of levels 0 to 5."""
    must_fix_cap: float
    """Cap on the overall and domain scores while a must-fix gate fails."""
    domains: tuple[Domain, ...]
    """The five domains, in order."""
    questions: tuple[Question, ...]
    """The 37 questions, in order."""
    readiness: tuple[ReadinessArea, ...]
    """Billing and operations readiness areas."""

    def question(self, question_id: str) -> Question:
        """The question with this id (``AssessmentError`` if unknown)."""
        for q in self.questions:
            if q.id == question_id:
                return q
        raise AssessmentError(
            f"answer {shown_id(question_id)}: unknown question id ({question_id[:40]!r})",
            hint=f"Use an id from the instrument, D1.01 to {self.questions[-1].id}",
        )

    def domain(self, domain_id: str) -> Domain:
        """The domain with this id."""
        for d in self.domains:
            if d.id == domain_id:
                return d
        raise AssessmentError(f"instrument: unknown domain ({domain_id!r})")

    @property
    def must_fix_questions(self) -> tuple[Question, ...]:
        """Questions with a must-fix flag."""
        return tuple(q for q in self.questions if q.must_fix is not None)


@dataclass(frozen=True)
class InstrumentProblem:
    """One problem found while validating the instrument file."""

    where: str
    """``question D3.02, field levels`` or ``domains``."""
    what: str
    """What is wrong."""
    got: str
    """What we found (repr)."""


class InstrumentError(AssessmentError):
    """The instrument file is invalid; the message names the first problem's question id."""

    def __init__(self, message: str, *, hint: str, problems: list[InstrumentProblem]) -> None:
        self.problems = list(problems)
        super().__init__(message, hint=hint)


class _Collector:
    def __init__(self) -> None:
        self.problems: list[InstrumentProblem] = []

    def add(self, where: str, what: str, got: object) -> None:
        self.problems.append(InstrumentProblem(where, what, repr(got)))


def shown_id(question_id: str) -> str:
    """A question id as messages name it: as typed when short and printable, else its repr
    cut to 40 characters (an id from a form or JSON body may hold a newline)."""
    if question_id.isprintable() and len(question_id) <= 40:
        return question_id
    return repr(question_id[:40])


def validate_level(question_id: str, value: object) -> int:
    """Check one answer: a whole number 0-5. Returns it as ``int``.

    Raises ``AssessmentError`` naming the question, the value and the allowed range.
    """
    level: int | None = None
    if isinstance(value, bool):
        level = None
    elif isinstance(value, int):
        level = value
    elif isinstance(value, str) and value.strip().lstrip("-").isdigit():
        level = int(value.strip())
    if level is None or level not in LEVELS:
        raise AssessmentError(
            f"answer {shown_id(question_id)}: level must be a whole number from 0 to 5 ({value!r})",
            hint="Use 0 (not in place or unknown) up to 5 (optimizing)",
        )
    return level


def _text(c: _Collector, where: str, data: dict[str, Any], key: str) -> str:
    value = data.get(key)
    if not isinstance(value, str) or not value.strip():
        c.add(f"{where}, field {key}", "missing or empty text", value)
        return ""
    return value.strip()


def _texts(
    c: _Collector, where: str, data: dict[str, Any], key: str, *, empty_ok: bool
) -> tuple[str, ...]:
    value = data.get(key)
    if not isinstance(value, list) or not all(isinstance(v, str) and v.strip() for v in value):
        c.add(f"{where}, field {key}", "expected a list of non-empty texts", value)
        return ()
    if not value and not empty_ok:
        c.add(f"{where}, field {key}", "expected at least one entry", value)
    return tuple(v.strip() for v in value)


def _level(c: _Collector, where: str, value: object) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or not 1 <= value <= 5:
        c.add(where, "min_level must be a whole number from 1 to 5", value)
        return 0
    return value


def _question(c: _Collector, raw: object, index: int, domain_ids: set[str]) -> Question | None:
    if not isinstance(raw, dict):
        c.add(f"question #{index + 1}", "expected a mapping", raw)
        return None
    qid = raw.get("id")
    if not isinstance(qid, str) or not _QUESTION_ID.match(qid):
        c.add(f"question #{index + 1}, field id", "id must look like D1.01", qid)
        return None
    where = f"question {qid}"
    domain = raw.get("domain")
    match = _QUESTION_ID.match(qid)
    assert match is not None
    if domain not in domain_ids:
        c.add(f"{where}, field domain", "unknown domain", domain)
    elif match.group(1) != domain:
        c.add(f"{where}, field domain", f"id prefix {match.group(1)} does not match domain", domain)
    levels = raw.get("levels")
    if not isinstance(levels, list) or len(levels) != len(LEVELS):
        got = len(levels) if isinstance(levels, list) else levels
        c.add(f"{where}, field levels", "expected 6 level descriptions (0 to 5)", got)
        levels = []
    elif not all(isinstance(v, str) and v.strip() for v in levels):
        c.add(f"{where}, field levels", "every level needs a description", levels)
    cw = raw.get("crosswalk")
    crosswalk = Crosswalk("", (), "", (), ())
    if not isinstance(cw, dict):
        c.add(f"{where}, field crosswalk", "expected a mapping", cw)
    else:
        missing = [k for k in CROSSWALK_KEYS if k not in cw]
        if missing:
            c.add(f"{where}, field crosswalk", "missing keys " + ", ".join(missing), sorted(cw))
        else:
            crosswalk = Crosswalk(
                joint_commission=_text(c, where + ", crosswalk", cw, "joint_commission"),
                nist_ai_rmf=_texts(c, where + ", crosswalk", cw, "nist_ai_rmf", empty_ok=False),
                chai=_text(c, where + ", crosswalk", cw, "chai"),
                iso_42001=_texts(c, where + ", crosswalk", cw, "iso_42001", empty_ok=False),
                laws=_texts(c, where + ", crosswalk", cw, "laws", empty_ok=True),
            )
    mf_raw = raw.get("must_fix")
    must_fix: MustFix | None = None
    if mf_raw is not None:
        if not isinstance(mf_raw, dict):
            c.add(
                f"{where}, field must_fix",
                "expected null or a mapping with law and min_level",
                mf_raw,
            )
        else:
            law = _text(c, where + ", must_fix", mf_raw, "law")
            level = _level(c, f"{where}, field must_fix.min_level", mf_raw.get("min_level"))
            if not crosswalk.laws and law:
                c.add(f"{where}, field must_fix", "a must-fix needs its law in crosswalk.laws", law)
            sides = mf_raw.get("applies_to", list(SIDES))
            if not isinstance(sides, list) or not sides or not set(sides) <= set(SIDES):
                c.add(
                    f"{where}, field must_fix.applies_to", "expected provider and/or payer", sides
                )
                sides = list(SIDES)
            must_fix = MustFix(law=law, min_level=level, applies_to=tuple(sides))
    return Question(
        id=qid,
        domain=str(domain),
        title=_text(c, where, raw, "title"),
        text=" ".join(_text(c, where, raw, "text").split()),
        levels=tuple(str(v).strip() for v in levels),
        evidence=_texts(c, where, raw, "evidence", empty_ok=False),
        crosswalk=crosswalk,
        must_fix=must_fix,
    )


def _readiness(c: _Collector, raw: object, ids: set[str]) -> tuple[ReadinessArea, ...]:
    if not isinstance(raw, dict) or not raw:
        c.add("readiness", "expected a mapping of areas", raw)
        return ()
    areas = []
    for area_id, area in raw.items():
        where = f"readiness {area_id}"
        if not isinstance(area, dict) or not isinstance(area.get("requirements"), list):
            c.add(where, "expected label and requirements", area)
            continue
        reqs = []
        for req in area["requirements"]:
            if not isinstance(req, dict):
                c.add(where, "expected a requirement mapping", req)
                continue
            rid = str(req.get("id", ""))
            qids = req.get("questions")
            if not isinstance(qids, list) or not qids:
                c.add(f"{where} {rid}, field questions", "expected question ids", qids)
                qids = []
            for qid in qids:
                if qid not in ids:
                    c.add(f"{where} {rid}, field questions", "unknown question id", qid)
            reqs.append(
                ReadinessRequirement(
                    id=rid,
                    label=_text(c, f"{where} {rid}", req, "label"),
                    question_ids=tuple(str(q) for q in qids),
                    min_level=_level(c, f"{where} {rid}, field min_level", req.get("min_level")),
                )
            )
        areas.append(ReadinessArea(str(area_id), _text(c, where, area, "label"), tuple(reqs)))
    return tuple(areas)


def parse_instrument(text: str, source: str = _DEFAULT_NAME) -> Instrument:
    """Parse and validate instrument YAML text; ``source`` names the file in messages."""
    try:
        data = yaml.load(text, Loader=_LOADER)  # noqa: S506 - a safe loader (C if available)
    except yaml.YAMLError as exc:
        raise AssessmentError(f"{source}: not valid YAML ({exc})") from exc
    if not isinstance(data, dict):
        raise AssessmentError(f"{source}: expected a mapping at the top ({type(data).__name__})")
    c = _Collector()
    version = data.get("version")
    if not isinstance(version, str) or not version:
        c.add("field version", "missing instrument version", version)
    scale = data.get("scale")
    if not isinstance(scale, dict) or sorted(scale) != list(LEVELS):
        c.add("field scale", "expected names for levels 0 to 5", scale)
        scale = {i: str(i) for i in LEVELS}
    cap = data.get("must_fix_cap")
    if isinstance(cap, bool) or not isinstance(cap, int | float) or not 0 <= cap <= 5:
        c.add("field must_fix_cap", "expected a number from 0 to 5", cap)
        cap = 0.0
    raw_domains = data.get("domains")
    if not isinstance(raw_domains, list) or len(raw_domains) != DOMAIN_COUNT:
        c.add("field domains", f"expected {DOMAIN_COUNT} domains", raw_domains)
        raw_domains = raw_domains if isinstance(raw_domains, list) else []
    domain_ids = {d.get("id") for d in raw_domains if isinstance(d, dict)}
    raw_questions = data.get("questions")
    if not isinstance(raw_questions, list):
        c.add("field questions", "expected a list of questions", raw_questions)
        raw_questions = []
    if len(raw_questions) != QUESTION_COUNT:
        c.add("field questions", f"expected {QUESTION_COUNT} questions", len(raw_questions))
    questions: list[Question] = []
    seen: set[str] = set()
    for i, raw in enumerate(raw_questions):
        q = _question(c, raw, i, {str(d) for d in domain_ids})
        if q is None:
            continue
        if q.id in seen:
            c.add(f"question {q.id}, field id", "duplicate question id", q.id)
        seen.add(q.id)
        questions.append(q)
    domains = []
    for raw in raw_domains:
        if not isinstance(raw, dict):
            c.add("field domains", "expected a mapping", raw)
            continue
        did = str(raw.get("id"))
        qids = tuple(q.id for q in questions if q.domain == did)
        if raw.get("questions") != len(qids):
            c.add(
                f"domain {did}, field questions",
                f"declares {raw.get('questions')} questions",
                len(qids),
            )
        domains.append(
            Domain(
                id=did,
                name=_text(c, f"domain {did}", raw, "name"),
                certification_area=_text(c, f"domain {did}", raw, "certification_area"),
                question_ids=qids,
            )
        )
    readiness = _readiness(c, data.get("readiness"), seen)
    if c.problems:
        first = c.problems[0]
        more = len(c.problems)
        raise InstrumentError(
            f"{source} {first.where}: {first.what} ({first.got})",
            hint=f"Fix the instrument file ({more} problem{'s' if more != 1 else ''} in all)",
            problems=c.problems,
        )
    return Instrument(
        version=str(version),
        title=str(data.get("title") or "AI-governance readiness assessment"),
        scale=tuple(str(scale[i]) for i in LEVELS),
        must_fix_cap=float(cap),
        domains=tuple(domains),
        questions=tuple(questions),
        readiness=readiness,
    )


def load_instrument(path: Path | None = None) -> Instrument:
    """Load and validate the instrument (the bundled ``instrument.yaml`` when ``path`` is None)."""
    if path is None:
        text = resources.files("payforce.assessment").joinpath(_DEFAULT_NAME).read_text("utf-8")
        return parse_instrument(text, _DEFAULT_NAME)
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as exc:
        raise AssessmentError(f"{path}: cannot read the instrument ({exc.strerror})") from exc
    return parse_instrument(text, path.name)
