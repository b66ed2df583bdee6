"""Knowledge as a given document version stated it, and as of a date.

A mandate's requirements are curated from its final rule; a proposed rule may have said
something else (another compliance date, another name). ``as_stated`` gives the mandate as one
document says it, so a replay before the final rule never sees the final rule's words. A
program's ``why`` can change with a later rule (``why_from`` in programs.yaml); ``why_as_of``
gives the text public on a date.
"""

from __future__ import annotations

import re
from dataclasses import replace
from datetime import date

from payforce.knowledge.loader import Mandate, Program

__all__ = ["as_stated", "why_as_of"]

_FINAL_SUFFIX = re.compile(r"\b(CMS-\d{4})-F\b")


def as_stated(mandate: Mandate, proposed: bool) -> Mandate:
    """``mandate`` as its proposed rule stated it (``proposed``), else unchanged (final rule)."""
    if not proposed:
        return mandate
    name = mandate.proposed_name or _FINAL_SUFFIX.sub(r"\1-P", mandate.name)
    reqs = tuple(replace(r, **r.as_proposed) if r.as_proposed else r for r in mandate.requirements)
    return replace(mandate, name=name, requirements=reqs)


def why_as_of(program: Program, as_of: date) -> str:
    """The program's ``why`` text public on ``as_of``."""
    text = program.why
    for start, later in program.why_from:
        if start <= as_of:
            text = later
    return text
