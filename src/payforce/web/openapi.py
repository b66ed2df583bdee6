"""The published OpenAPI document, made to say exactly what the server does.

FastAPI's generated schema is post-processed once per app:

- the one error envelope ``{"ok": false, "error": "...", "status": N}`` becomes the ``Error``
  component, and every operation lists the error statuses it can give with that schema:
  400 (a parameter or body outside its declaration), 404 (a path naming nothing), 403 / 413 / 415
  (a POST from another origin, over the body cap, not JSON), 429 (the assessment token routes'
  rate limit), 503 (the store cannot be read);
  FastAPI's 422 (never sent: validation errors are 400 here) is removed;
- optional query parameters lose the ``null`` branch (a query string cannot carry null);
- the answers API gets its request body schema.
"""

from __future__ import annotations

from typing import Any

from fastapi import FastAPI
from fastapi.openapi.utils import get_openapi

from payforce.web.edges import MAX_BODY, MAX_JSON_DEPTH

__all__ = ["ERROR_SCHEMA", "install_openapi"]

ERROR_SCHEMA: dict[str, Any] = {
    "type": "object",
    "required": ["ok", "error", "status"],
    "properties": {
        "ok": {"const": False},
        "error": {"type": "string", "description": "One line: what, where, what to do."},
        "status": {"type": "integer", "description": "The HTTP status, repeated."},
    },
    "additionalProperties": False,
}
_WHY = {
    "400": "A parameter or body outside its declaration (the message names it)",
    "404": "Nothing by that name or token (the message lists close matches where it can)",
    "403": "Sent from another site (the `Origin` header names another origin)",
    "413": f"Request body larger than {MAX_BODY:,} bytes (refused before it is read)",
    "415": "Request body not sent as `Content-Type: application/json`",
    "429": "Too many requests from one address on the token routes (see `Retry-After`)",
    "503": "The database cannot be read or written right now",
}
_ANSWERS_BODY: dict[str, Any] = {
    "required": True,
    "content": {
        "application/json": {
            "schema": {
                "type": "object",
                "required": ["answers"],
                "properties": {
                    "answers": {
                        "type": "object",
                        "description": "Question id → level (0–5, see /api/assess/instrument).",
                        "additionalProperties": {"type": "integer", "minimum": 0, "maximum": 5},
                    },
                    "notes": {
                        "type": "object",
                        "description": "Question id → a note (at most 1,000 characters).",
                        "additionalProperties": {"type": "string", "maxLength": 1000},
                    },
                },
            }
        }
    },
    "description": f"JSON, at most {MAX_BODY:,} bytes and {MAX_JSON_DEPTH} levels deep.",
}


def _error(code: str) -> dict[str, Any]:
    return {
        "description": _WHY[code],
        "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}},
    }


def _drop_null(schema: dict[str, Any]) -> dict[str, Any]:
    branches = schema.get("anyOf")
    if not branches:
        return schema
    kept = [b for b in branches if b.get("type") != "null"]
    if len(kept) != 1:
        return schema
    out = {k: v for k, v in schema.items() if k != "anyOf"}
    return {**kept[0], **out}


def _statuses(path: str, method: str, op: dict[str, Any]) -> list[str]:
    params = op.get("parameters", [])
    codes = ["503"]
    if params or "requestBody" in op:
        codes.append("400")
    if "{" in path or any(p["in"] == "query" and p["name"] in _LOOKUPS for p in params):
        codes.append("404")
    if method in ("post", "put", "patch"):
        codes += ["403", "413", "415"]
    if path.startswith("/api/assess/") and "{" in path:
        codes.append("429")
    return sorted(codes)


_LOOKUPS = {"role", "program", "year", "locality", "cursor"}
"""Query parameters whose well-formed value may name nothing in the store (404)."""


def refine(schema: dict[str, Any]) -> dict[str, Any]:
    """Post-process a FastAPI schema as the module docstring says (in place, and returned)."""
    components = schema.setdefault("components", {}).setdefault("schemas", {})
    components["Error"] = ERROR_SCHEMA
    for name in ("HTTPValidationError", "ValidationError"):
        components.pop(name, None)
    for path, item in schema.get("paths", {}).items():
        for method, op in item.items():
            for param in op.get("parameters", []):
                param["schema"] = _drop_null(param.get("schema", {}))
            if path.endswith("/answers") and method == "post":
                op["requestBody"] = _ANSWERS_BODY
            responses = op.setdefault("responses", {})
            responses.pop("422", None)
            for code in _statuses(path, method, op):
                responses[code] = _error(code)
            ok = responses.get("200", {})
            content = ok.get("content", {}).get("application/json")
            if content is not None and content.get("schema") in ({}, None):
                content["schema"] = {
                    "type": "object",
                    "required": ["ok"],
                    "properties": {"ok": {"const": True}},
                }
    if not components:
        schema["components"].pop("schemas")
    return schema


def install_openapi(app: FastAPI) -> None:
    """Make ``app.openapi()`` (and ``/api/openapi.json``) return the refined schema."""

    def openapi() -> dict[str, Any]:
        if app.openapi_schema is None:
            app.openapi_schema = refine(
                get_openapi(
                    title=app.title,
                    version=app.version,
                    description=app.description,
                    routes=app.routes,
                    tags=app.openapi_tags,
                    servers=app.servers,
                )
            )
        return app.openapi_schema

    app.openapi = openapi  # type: ignore[method-assign]
