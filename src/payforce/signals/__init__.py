"""The five signal detectors, registered in ``DETECTORS``, and ``compute_signals``."""

from __future__ import annotations

from datetime import date

from payforce.knowledge import Knowledge
from payforce.models import Signal
from payforce.signals.ai_codes import AICodeDetector
from payforce.signals.base import Detector, EvidenceSet, load_evidence
from payforce.signals.mandate import MandateDetector
from payforce.signals.new_code import NewCodeDetector
from payforce.signals.program import ProgramDetector
from payforce.signals.proposed_rules import ProposedRuleDetector
from payforce.store.db import Store

__all__ = ["DETECTORS", "compute_signals", "detect_all", "register"]

DETECTORS: dict[str, Detector] = {}
"""Registry: name → detector. Built-ins register exactly as a new detector would."""


def register(detector: Detector) -> Detector:
    """Add a detector to the registry (its ``name`` must be new)."""
    if detector.name in DETECTORS:
        raise ValueError(f"detector {detector.name!r} is already registered")
    DETECTORS[detector.name] = detector
    return detector


for _d in (
    NewCodeDetector(),
    MandateDetector(),
    ProgramDetector(),
    AICodeDetector(),
    ProposedRuleDetector(),
):
    register(_d)


def detect_all(ev: EvidenceSet) -> list[Signal]:
    """Run every registered detector; signals published after ``ev.as_of`` never count."""
    signals = [s for d in DETECTORS.values() for s in d.detect(ev) if s.published <= ev.as_of]
    signals.sort(key=lambda s: (s.role, s.question, s.published, s.subject, s.direction))
    return signals


def compute_signals(store: Store, as_of: date, knowledge: Knowledge | None = None) -> list[Signal]:
    """Every signal public by ``as_of``, from the store's evidence."""
    return detect_all(load_evidence(store, as_of, knowledge))
