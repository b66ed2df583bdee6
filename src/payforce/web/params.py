"""API parameters declared exactly as the server validates them (so the OpenAPI schema is true).

A value outside a declaration is refused with a 400 envelope naming the parameter, before any
route code runs. Routes that look something up (a role, code, family, document, program,
fee-schedule year or locality) answer 404 for a well-formed value the store does not hold.
"""

from __future__ import annotations

from typing import Annotated, Literal

from fastapi import Path, Query

from payforce.web.paging import CURSOR_PATTERN, MAX_LIMIT

__all__ = [
    "DATE_PATTERN",
    "ApiLimit",
    "AsOf",
    "CodePath",
    "Cursor",
    "DocumentPath",
    "Eligible",
    "Enrolment",
    "FamilyPath",
    "Locality",
    "Program",
    "RoleFilter",
    "RolePath",
    "SearchKind",
    "SearchLimit",
    "SearchQuery",
    "Year",
    "program_keys",
]

DATE_PATTERN = r"^[0-9]{4}-[0-9]{2}-[0-9]{2}$"
MAX_ELIGIBLE = 10_000_000
"""Largest eligible population the calculator takes (a very large health system's panel)."""


def program_keys() -> list[str]:
    """The calculator's programs (``economics.yaml``)."""
    from payforce.economics.programs import load_economics

    return sorted(load_economics().programs)


AsOf = Annotated[
    str | None,
    Query(
        description="Only evidence published by this date (YYYY-MM-DD); default today.",
        pattern=DATE_PATTERN,
        json_schema_extra={"format": "date", "example": "2026-06-30"},
    ),
]
ApiLimit = Annotated[int, Query(ge=1, le=MAX_LIMIT, description=f"Items per page (1–{MAX_LIMIT}).")]
SearchLimit = Annotated[int, Query(ge=1, le=100, description="Results per page (1–100).")]
Cursor = Annotated[
    str | None,
    Query(
        description="Where the page starts: the `cursor` of the previous page's `next` URL.",
        pattern=CURSOR_PATTERN,
    ),
]
RolePath = Annotated[
    str,
    Path(
        min_length=1,
        max_length=200,
        description="Role key (see `/api/roles`) or free text such as `care manager`.",
        openapi_examples={"care manager": {"value": "care_manager_rn"}},
    ),
]
CodePath = Annotated[
    str,
    Path(
        min_length=1,
        max_length=40,
        description="HCPCS / CPT code (see `/api/codes`).",
        openapi_examples={"chronic care management": {"value": "99490"}},
    ),
]
FamilyPath = Annotated[
    str,
    Path(
        min_length=1,
        max_length=100,
        description="Service family key (see `/api/codes`).",
        openapi_examples={"chronic care management": {"value": "ccm"}},
    ),
]
DocumentPath = Annotated[
    str,
    Path(
        min_length=1,
        max_length=100,
        description="Federal Register document number or readable key (see `/api/documents`).",
        openapi_examples={"CY2026 physician fee schedule correction": {"value": "2026-04797"}},
    ),
]
SearchQuery = Annotated[
    str,
    Query(max_length=1000, description="Words to find (prefix match, every word must match)."),
]
SearchKind = Annotated[
    Literal["document", "code", "role"] | None,
    Query(description="Only results of this kind."),
]
RoleFilter = Annotated[
    str | None,
    Query(min_length=1, max_length=200, description="Role key; every role when absent."),
]
Program = Annotated[
    str | None,
    Query(
        min_length=1,
        description="Program key; the first program when absent.",
        json_schema_extra={"enum": program_keys()},
    ),
]
Eligible = Annotated[
    float | None,
    Query(
        ge=0,
        le=MAX_ELIGIBLE,
        allow_inf_nan=False,
        description="Eligible patients (0–10,000,000); the program's default when absent.",
    ),
]
Enrolment = Annotated[
    float | None,
    Query(ge=0, le=1, allow_inf_nan=False, description="Share of eligible patients enrolled."),
]
Year = Annotated[
    int | None,
    Query(
        ge=2000,
        le=2100,
        description="Fee-schedule year; 404 when the store holds no payments for it.",
    ),
]
Locality = Annotated[
    str | None,
    Query(
        min_length=1,
        max_length=100,
        description="Payment locality (`MAC-LOC`, `ST-LOC` or a name), or `national`; "
        "404 when the store holds no such locality for the year.",
    ),
]
