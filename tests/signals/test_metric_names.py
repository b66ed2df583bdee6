"""Metrics are named in words wherever people read them: no stored key in labels or summaries."""

from __future__ import annotations

import csv
from datetime import date
from importlib import resources

from payforce.knowledge.metric_names import METRIC_NAMES, metric_name
from payforce.signals import compute_signals
from payforce.store.mssp_tables import PUF_METRICS


def _bundled_keys() -> set[str]:
    text = resources.files("payforce.data").joinpath("program_metrics.csv").read_text("utf-8")
    return {row["metric"] for row in csv.DictReader(text.splitlines())} | set(PUF_METRICS)


def test_every_bundled_metric_has_a_name():
    assert _bundled_keys() - set(METRIC_NAMES) == set()
    assert metric_name("some_new_metric") == "Some new metric"


def test_signals_read_metrics_by_name_and_rates_per_year(store):
    keys = _bundled_keys()
    signals = [s for s in compute_signals(store, date(2026, 6, 30)) if s.question == 3]
    assert signals
    for s in signals:
        texts = [s.summary, *(e.label for e in s.evidence)]
        assert not [k for k in keys for t in texts if k in t], s.summary
        assert "per year" in s.summary and " a year" not in s.summary.split(";")[0]
