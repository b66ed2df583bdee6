"""Storage: schema, named reads, snapshot loading. SQL lives only in this package."""

from payforce.store.db import Store

__all__ = ["Store"]
