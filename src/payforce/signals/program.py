"""Question 3 — a value-based program expands: which roles move its quality metrics?

For each program, each of its yearly metrics public by ``as_of`` gives a growth rate: the
compound annual change between the latest year and the year about three years before it
(or the earliest year there is). Growth above half a percent a year is a growth signal for the
program's roles, a fall below minus half a percent a pressure signal. Strength is the rate over
10 % a year, capped at 1, times the program's reach (for the MSSP: assigned beneficiaries over
Original Medicare enrolment, ``signals.labour.program_reach``).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass

from payforce.knowledge.citations import citation_fields
from payforce.knowledge.metric_names import metric_name
from payforce.knowledge.versions import why_as_of
from payforce.models import Direction, Evidence, ProgramMetric, Signal
from payforce.signals.base import EvidenceSet, conf
from payforce.signals.labour import program_reach

__all__ = ["ProgramDetector", "metric_trend"]

WINDOW_YEARS = 3
"""Look back this many years for the base of the growth rate."""
FULL_STRENGTH_RATE = 0.10
"""Annual growth at which a program signal reaches strength 1."""
NOISE_RATE = 0.005
"""Annual change below which the series counts as flat (no signal)."""


@dataclass(frozen=True)
class Trend:
    """A metric's growth between two public values."""

    metric: str
    base: ProgramMetric
    latest: ProgramMetric
    rate: float


def _one_per_year(values: list[ProgramMetric]) -> dict[int, ProgramMetric]:
    best: dict[int, ProgramMetric] = {}
    for v in values:
        if v.value is None:
            continue
        cur = best.get(v.year)
        if cur is None or (conf(v.confidence), v.available_from) > (
            conf(cur.confidence),
            cur.available_from,
        ):
            best[v.year] = v
    return best


def metric_trend(values: list[ProgramMetric]) -> Trend | None:
    """Compound annual growth of one metric's series (None with fewer than two years)."""
    by_year = _one_per_year(values)
    if len(by_year) < 2:
        return None
    latest_year = max(by_year)
    earlier = [y for y in by_year if y <= latest_year - WINDOW_YEARS]
    base_year = max(earlier) if earlier else min(by_year)
    base, latest = by_year[base_year], by_year[latest_year]
    assert base.value is not None and latest.value is not None
    if base.value <= 0:
        return None
    rate = (latest.value / base.value) ** (1 / (latest_year - base_year)) - 1
    return Trend(metric=latest.metric, base=base, latest=latest, rate=rate)


def _metric_evidence(v: ProgramMetric) -> Evidence:
    url = v.source_url.split(" | ")[0]
    return Evidence(
        kind="metric",
        ref=v.metric,
        label=f"{metric_name(v.metric)}, {v.year}: {v.value_text} {v.unit}",
        url=url,
        year=v.year,
        value=v.value_text,
        available_from=v.available_from,
        **citation_fields(url),
    )


class ProgramDetector:
    """Question 3: growing programs strengthen the roles that move their metrics."""

    name = "program"
    question = 3

    def detect(self, ev: EvidenceSet) -> Iterable[Signal]:
        """One signal per (role, program metric) with a growth rate."""
        series: dict[str, list[ProgramMetric]] = defaultdict(list)
        for m in ev.metrics:
            series[m.metric].append(m)
        for program in ev.knowledge.programs.values():
            for metric in program.metrics:
                trend = metric_trend(series.get(metric, []))
                if trend is None or abs(trend.rate) < NOISE_RATE:
                    continue
                direction: Direction = "growth" if trend.rate > 0 else "pressure"
                reach, reach_metric = program_reach(ev, program.key)
                strength = min(1.0, abs(trend.rate) / FULL_STRENGTH_RATE) * reach
                evidence: tuple[Evidence, ...] = (
                    _metric_evidence(trend.base),
                    _metric_evidence(trend.latest),
                )
                if reach_metric is not None and reach_metric.metric != metric:
                    evidence += (_metric_evidence(reach_metric),)
                confidence = (conf(trend.base.confidence) + conf(trend.latest.confidence)) / 2
                summary = (
                    f"{program.name}: {metric_name(metric)} {trend.base.value_text} "
                    f"({trend.base.year}) → {trend.latest.value_text} ({trend.latest.year}), "
                    f"{trend.rate:+.1%} per year; {why_as_of(program, ev.as_of)}"
                )
                for role in program.roles:
                    yield Signal(
                        role=role,
                        direction=direction,
                        strength=strength,
                        confidence=confidence,
                        question=3,
                        detector=self.name,
                        summary=summary,
                        published=trend.latest.available_from,
                        evidence=evidence,
                        subject=f"{program.key}:{metric}",
                        effective=None,
                    )
