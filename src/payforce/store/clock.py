"""Bookkeeping timestamps (never used in computations)."""

from __future__ import annotations

import datetime as dt

__all__ = ["utcnow_text"]


def utcnow_text() -> str:
    """Timestamp text for bookkeeping rows (not used in computations)."""
    return dt.datetime.now(dt.UTC).replace(microsecond=0).isoformat()
