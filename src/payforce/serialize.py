"""One JSON serialiser for the CLI's ``--json`` and the web API, with one success envelope."""

from __future__ import annotations

import dataclasses
from datetime import date, datetime
from typing import Any

__all__ = ["dumps", "envelope", "error_envelope", "to_jsonable"]


def to_jsonable(obj: Any) -> Any:
    """Turn models (dataclasses with ``to_dict`` or plain), dates and tuples into JSON types."""
    kind = type(obj)
    if kind is str or kind is int or kind is bool or obj is None:  # most leaves: as they are
        return obj
    if kind is dict:
        return {str(k): to_jsonable(v) for k, v in obj.items()}
    if kind is list:
        return [to_jsonable(v) for v in obj]
    if hasattr(obj, "to_dict"):
        return to_jsonable(obj.to_dict())
    if dataclasses.is_dataclass(obj) and not isinstance(obj, type):
        return {f.name: to_jsonable(getattr(obj, f.name)) for f in dataclasses.fields(obj)}
    if isinstance(obj, dict):
        return {str(k): to_jsonable(v) for k, v in obj.items()}
    if isinstance(obj, list | tuple | set | frozenset):
        return [to_jsonable(v) for v in obj]
    if isinstance(obj, datetime | date):
        return obj.isoformat()
    if isinstance(obj, float):
        return round(obj, 6)
    return obj


def envelope(data: dict[str, Any]) -> dict[str, Any]:
    """The success envelope: ``{"ok": true, ...data}``."""
    return {"ok": True, **to_jsonable(data)}


def error_envelope(message: str, status: int) -> dict[str, Any]:
    """The error envelope: ``{"ok": false, "error": "...", "status": N}``."""
    return {"ok": False, "error": message, "status": status}


def dumps(data: Any) -> str:
    """Serialise to indented JSON text (stable key order as given)."""
    import json

    return json.dumps(to_jsonable(data), indent=2, ensure_ascii=False)
