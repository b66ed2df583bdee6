"""Curated knowledge (YAML): families and chains, roles and pivots, mandates, programs, AI codes."""

from payforce.knowledge.loader import Knowledge, load_knowledge

__all__ = ["Knowledge", "load_knowledge"]
