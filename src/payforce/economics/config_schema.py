"""The schema a user's ``--config`` file (merged over economics.yaml) is checked against.

Every key must be one the bundled file knows (an unknown key is an error naming it and the
closest valid key: ``capcities`` → "did you mean capacities?"), every number must be finite and
in the range its meaning allows (capacities, minutes and panel sizes above zero, shares from 0
to 1), and every mapping must be a mapping. A program's ``staff_mix`` in the file *replaces* the
bundled mix (so a mix of your own roles can be given), instead of being merged into it.
"""

from __future__ import annotations

import difflib
import math
from typing import Any

from payforce.errors import KnowledgeError

__all__ = ["check_override"]

TOP_KEYS = ("version", "defaults", "capacities", "billing_rules", "programs", "demand")
PROGRAM_KEYS = (
    "name",
    "families",
    "unit",
    "eligible",
    "enrolment",
    "staff_mix",
    "staff_mix_source",
    "practitioner",
    "segments",
    "extras",
    "segments_source",
)
ASSUMPTION_KEYS = ("value", "unit", "source", "note", "confidence")
SEGMENT_KEYS = ("label", "share", "codes", "minutes")
PRACTITIONER_KEYS = ("role", "minutes", "source", "note", "unit", "confidence")
# (low, high, low excluded): the ranges each number may take
DEFAULT_RANGES = {
    "paid_minutes_per_fte_month": (0.0, 44_640.0, True),  # at most every minute of a month
    "loading_factor": (1.0, 10.0, False),
    "fte_increment": (0.01, 100.0, False),
    "max_panel": (1.0, 1_000_000.0, False),
}
CAPACITY_RANGE = (0.0, 1_000_000.0, True)
ELIGIBLE_RANGE = (0.0, 10_000_000.0, False)
SHARE_RANGE = (0.0, 1.0, False)
MINUTES_RANGE = (0.0, 44_640.0, False)


def _closest(key: str, valid: Any) -> str:
    match = difflib.get_close_matches(key, [str(v) for v in valid], n=1, cutoff=0.5)
    return f"did you mean {match[0]}?" if match else "valid: " + ", ".join(map(str, valid))


class _Checker:
    def __init__(self, path: str) -> None:
        self.path = path

    def fail(self, entry: str, field: str | None, message: str) -> KnowledgeError:
        shown = None if field is None else repr(field)[1:-1]  # one line, whatever the key holds
        return KnowledgeError(message, path=self.path, entry=entry, field=shown)

    def mapping(self, value: Any, entry: str, field: str | None = None) -> dict[str, Any]:
        if not isinstance(value, dict):
            raise self.fail(entry, field, f"expected a mapping, found {type(value).__name__}")
        return value

    def keys(self, data: dict[str, Any], valid: Any, entry: str) -> None:
        for key in data:
            if str(key) not in valid:
                raise self.fail(entry, str(key), f"unknown key ({_closest(str(key), valid)})")

    def number(self, raw: Any, entry: str, field: str, rng: tuple[float, float, bool]) -> None:
        if isinstance(raw, dict):
            self.keys(raw, ASSUMPTION_KEYS, f"{entry}.{field}")
            if "value" not in raw:
                raise self.fail(entry, field, "expected a value")
            raw = raw["value"]
        if isinstance(raw, bool) or not isinstance(raw, int | float):
            raise self.fail(entry, field, f"not a number ({str(raw)[:40]!r})")
        value = float(raw)
        low, high, above = rng
        if not math.isfinite(value):
            raise self.fail(entry, field, f"not a finite number ({raw!r})")
        if value < low or (above and value == low) or value > high:
            side = "above" if above else "from"
            raise self.fail(entry, field, f"must be {side} {low:g} up to {high:g} ({raw!r})")


def check_override(over: dict[str, Any], base: dict[str, Any], path: str) -> dict[str, Any]:
    """Check a user's override against the schema; return it ready to merge (a program's
    ``staff_mix`` replaces the bundled one: the base mix is dropped from ``base`` in place)."""
    c = _Checker(path)
    c.keys(over, TOP_KEYS, "top level")
    defaults = c.mapping(over.get("defaults", {}), "defaults")
    base_defaults = base.get("defaults", {})
    c.keys(defaults, tuple(base_defaults), "defaults")
    for key, raw in defaults.items():
        if key == "year":
            if isinstance(raw, bool) or not isinstance(raw, int) or not 1900 <= raw <= 2100:
                raise c.fail("defaults", "year", f"not a year from 1900 to 2100 ({raw!r})")
        elif key == "cf_kind":
            if raw not in ("qp", "non_qp"):
                raise c.fail("defaults", key, f"must be qp or non_qp ({raw!r})")
        elif key == "setting":
            if raw not in ("facility", "nonfacility"):
                raise c.fail("defaults", key, f"must be facility or nonfacility ({raw!r})")
        else:
            c.number(raw, "defaults", key, DEFAULT_RANGES.get(key, (0.0, 1e9, False)))
    capacities = c.mapping(over.get("capacities", {}), "capacities")
    for role, raw in capacities.items():
        c.number(raw, "capacities", str(role), CAPACITY_RANGE)
    programs = c.mapping(over.get("programs", {}), "programs")
    base_programs = base.get("programs", {})
    c.keys(programs, tuple(base_programs), "programs")
    roles = set(base.get("capacities", {})) | {str(r) for r in capacities}
    for key, prog in programs.items():
        _check_program(c, str(key), c.mapping(prog, str(key)), roles)
        if "staff_mix" in prog and isinstance(base_programs.get(key), dict):
            base_programs[key].pop("staff_mix", None)
    for key in ("billing_rules",):
        if key in over and not isinstance(over[key], list):
            raise c.fail("top level", key, "expected a list")
    if "demand" in over:
        c.mapping(over["demand"], "demand")
    return over


def _check_program(c: _Checker, key: str, prog: dict[str, Any], roles: set[str]) -> None:
    c.keys(prog, PROGRAM_KEYS, key)
    for field, rng in (("eligible", ELIGIBLE_RANGE), ("enrolment", SHARE_RANGE)):
        if field in prog:
            c.number(prog[field], key, field, rng)
    if "staff_mix" in prog:
        mix = c.mapping(prog["staff_mix"], key, "staff_mix")
        for role, share in mix.items():
            if str(role) not in roles:
                raise c.fail(key, "staff_mix", f"no capacity for role {role!r} "
                             f"({_closest(str(role), sorted(roles))})")  # fmt: skip
            c.number(share, key, f"staff_mix.{role}", SHARE_RANGE)
    if "practitioner" in prog:
        prac = c.mapping(prog["practitioner"], key, "practitioner")
        c.keys(prac, PRACTITIONER_KEYS, f"{key}.practitioner")
        if "minutes" in prac:
            c.number(prac["minutes"], key, "practitioner.minutes", MINUTES_RANGE)
    for field in ("segments", "extras"):
        if field not in prog:
            continue
        if not isinstance(prog[field], list):
            raise c.fail(key, field, "expected a list of segments")
        for i, seg in enumerate(prog[field], 1):
            where = f"{field}[{i}]"
            seg = c.mapping(seg, key, where)
            c.keys(seg, SEGMENT_KEYS, f"{key}.{where}")
            c.number(seg.get("share", 0), key, f"{where}.share", SHARE_RANGE)
            c.number(seg.get("minutes", 0), key, f"{where}.minutes", MINUTES_RANGE)
            codes = c.mapping(seg.get("codes") or {}, key, f"{where}.codes")
            for code, n in codes.items():
                c.number(n, key, f"{where}.codes.{code}", (0.0, 100.0, False))
                if not isinstance(n, int) or isinstance(n, bool):
                    raise c.fail(key, f"{where}.codes.{code}", f"not a whole number ({n!r})")
