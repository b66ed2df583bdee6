"""Workforce: role resolution from free text, pivot paths and labour-market history."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from payforce.store.db import Store

__all__ = ["onet_attribution"]


def onet_attribution(store: Store) -> str | None:
    """The O*NET CC BY 4.0 notice when the store holds O*NET data (print it under such output)."""
    from payforce.sources.onet import ATTRIBUTION
    from payforce.store.workforce_tables import onet_counts

    return ATTRIBUTION if onet_counts(store)["onet_occupations"] else None
