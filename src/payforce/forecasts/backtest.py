"""Backtest: what payforce would have said on a date vs what OEWS employment did afterwards.

For each role, the *call* is its outlook direction as of ``as_of`` (``compute_outlooks``); the
*outcome* is the role's OEWS national employment change from the base year (the last survey
year not after ``as_of``) to ``until``, minus the change of all occupations (00-0000), in
percentage points. A ``growth`` call is a hit when the role outpaced all occupations, a
``pressure`` call when it lagged; ``pivot`` and ``none`` make no claim about headcount and are
listed but not scored.

Occupation codes changed between SOC 2010 (OEWS May 2012-2018) and SOC 2018 (May 2021 on;
2019-2020 mix both). :data:`CROSSWALK` maps each role's SOC 2018 code to the codes summed in
each system, from the BLS SOC 2010-to-2018 crosswalk; where no comparable series exists the role
is reported as not comparable rather than guessed. The history is bundled in
``data/oews_history.csv`` (built by ``scripts/build_oews_history.py`` from the real BLS files,
one source file per row).
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from importlib import resources
from typing import Any

from payforce.errors import InputError, ParseError
from payforce.models import Outlook, Role

__all__ = [
    "CROSSWALK",
    "HISTORY_FILE",
    "TOTAL_SOC",
    "Backtest",
    "BacktestRow",
    "HistoryRow",
    "SeriesSpec",
    "load_history",
    "parse_history",
    "run_backtest",
    "series_employment",
]

HISTORY_FILE = "oews_history.csv"
TOTAL_SOC = "00-0000"
SCORED = ("growth", "pressure")


@dataclass(frozen=True)
class SeriesSpec:
    """How to build one comparable employment series across the SOC 2010 → 2018 change."""

    soc2010: tuple[str, ...]
    """Codes summed in SOC 2010 files (May 2012-2018; also tried for 2011, 2019-2020)."""
    soc2018: tuple[str, ...]
    """Codes summed in SOC 2018 files (May 2021 on; tried first for 2019-2020)."""
    note: str = ""
    """What the mapping hides."""
    comparable: bool = True
    """False when the definition changed too much to compare (reported, not scored)."""


CROSSWALK: dict[str, SeriesSpec] = {
    TOTAL_SOC: SeriesSpec((TOTAL_SOC,), (TOTAL_SOC,), "All occupations"),
    "29-1141": SeriesSpec(
        ("29-1141",),
        ("29-1141",),
        "Registered nurses; care-manager, UR, RPM nurses are counted inside",
    ),
    "29-2061": SeriesSpec(("29-2061",), ("29-2061",)),
    "31-9092": SeriesSpec(("31-9092",), ("31-9092",)),
    "21-1094": SeriesSpec(("21-1094",), ("21-1094",)),
    "21-1093": SeriesSpec(("21-1093",), ("21-1093",)),
    "21-1022": SeriesSpec(("21-1022",), ("21-1022",)),
    "29-1171": SeriesSpec(("29-1171",), ("29-1171",)),
    "29-1071": SeriesSpec(("29-1071",), ("29-1071",)),
    "29-1210": SeriesSpec(
        ("29-1060",),
        ("29-1210", "29-1240"),
        "SOC 2010 29-1060 Physicians and Surgeons = 29-1210 + 29-1240",
    ),
    "29-1215": SeriesSpec(
        ("29-1062",), ("29-1215",), "29-1062 Family and General Practitioners → 29-1215"
    ),
    "29-1216": SeriesSpec(("29-1063",), ("29-1216",), "29-1063 Internists, General → 29-1216"),
    "29-1224": SeriesSpec(
        ("29-1060",),
        ("29-1210", "29-1240"),
        "Radiologists sat in 29-1069 (all other) until 2018: physicians group used as proxy",
    ),
    "29-1212": SeriesSpec(
        ("29-1060",),
        ("29-1210", "29-1240"),
        "Cardiologists sat in 29-1069 (all other) until 2018: physicians group used as proxy",
    ),
    "29-2072": SeriesSpec(
        ("29-2071",),
        ("29-2072", "29-9021"),
        "29-2071 was split into 29-2072 and 29-9021: compared as one group",
    ),
    "29-9021": SeriesSpec(
        ("29-2071",),
        ("29-2072", "29-9021"),
        "29-2071 was split into 29-2072 and 29-9021: compared as one group",
    ),
    "15-1211": SeriesSpec(
        ("15-1121",),
        ("15-1211",),
        "15-1121 → 15-1211, which also absorbed health informatics specialists from 15-1199",
    ),
    "15-2051": SeriesSpec(
        (),
        ("15-2051",),
        "Data scientists had no SOC 2010 code (spread over 15-1199 and 15-2041)",
        comparable=False,
    ),
    "29-9099": SeriesSpec(
        ("29-9099",), ("29-9099",), "all-other residual; its contents changed in SOC 2018"
    ),
    "31-9099": SeriesSpec(
        ("31-9099",), ("31-9099",), "all-other residual; its contents changed in SOC 2018"
    ),
    "11-9111": SeriesSpec(("11-9111",), ("11-9111",)),
    "13-1041": SeriesSpec(("13-1041",), ("13-1041",)),
    "29-2034": SeriesSpec(("29-2034",), ("29-2034",)),
    "29-2031": SeriesSpec(("29-2031",), ("29-2031",)),
    "43-3021": SeriesSpec(("43-3021",), ("43-3021",)),
    "43-6013": SeriesSpec(
        ("43-6013",),
        ("43-6013",),
        "SOC 2018 43-6013 added medical administrative assistants from 43-6014 "
        "(530k → 831k is mostly the definition)",
        comparable=False,
    ),
}
"""Role SOC 2018 code → the series compared (BLS SOC 2010-to-2018 crosswalk)."""


@dataclass(frozen=True)
class HistoryRow:
    """One bundled OEWS figure."""

    year: int
    """Survey year (May)."""
    soc: str
    """Code as printed that year."""
    title: str
    """Title as printed."""
    employment: int | None
    """National employment."""
    source_file: str
    """The BLS file the figure was read from."""


@dataclass(frozen=True)
class BacktestRow:
    """One role's call and outcome."""

    role: str
    """Role key."""
    title: str
    """Role title."""
    soc: str
    """Role SOC 2018 code."""
    direction: str
    """What payforce would have said as of the date."""
    score: float
    """Outlook score then."""
    base_employment: int | None
    """Series employment in the base year."""
    end_employment: int | None
    """Series employment in the end year."""
    change_pct: float | None
    """Role series change, percent."""
    relative_pp: float | None
    """Role change minus all-occupation change, percentage points."""
    realised: str
    """``outpaced``, ``lagged`` or ``n/a``."""
    hit: bool | None
    """True/False for scored calls; None for pivot/none calls or missing series."""
    note: str = ""
    """Crosswalk note or why the row is not scored."""

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready form."""
        return {
            "role": self.role,
            "title": self.title,
            "soc": self.soc,
            "direction": self.direction,
            "score": round(self.score, 4),
            "base_employment": self.base_employment,
            "end_employment": self.end_employment,
            "change_pct": None if self.change_pct is None else round(self.change_pct, 2),
            "relative_pp": None if self.relative_pp is None else round(self.relative_pp, 2),
            "realised": self.realised,
            "hit": self.hit,
            "note": self.note,
        }


@dataclass(frozen=True)
class Backtest:
    """The whole comparison."""

    as_of: str
    """Date the calls are made as of."""
    base_year: int
    """OEWS year the change is measured from."""
    end_year: int
    """OEWS year it is measured to."""
    total_base: int
    """All-occupation employment in the base year."""
    total_end: int
    """All-occupation employment in the end year."""
    total_change_pct: float
    """All-occupation change, percent."""
    rows: tuple[BacktestRow, ...]
    """One per role, scored calls first."""
    sources: tuple[str, ...] = field(default_factory=tuple)
    """BLS files the figures come from."""

    @property
    def scored(self) -> list[BacktestRow]:
        """Rows with a growth/pressure call and a comparable series."""
        return [r for r in self.rows if r.hit is not None]

    @property
    def hits(self) -> int:
        """Scored calls that came true."""
        return sum(1 for r in self.scored if r.hit)

    @property
    def hit_rate(self) -> float | None:
        """Hits / scored calls."""
        return self.hits / len(self.scored) if self.scored else None

    @property
    def base_rate(self) -> float | None:
        """Share of scored roles that outpaced all occupations (what "always growth" scores)."""
        s = self.scored
        return sum(1 for r in s if r.realised == "outpaced") / len(s) if s else None

    def by_direction(self) -> dict[str, dict[str, float | int]]:
        """Per call direction: how many roles had a series, mean and median pp vs all."""
        out: dict[str, dict[str, float | int]] = {}
        for direction in ("growth", "pressure", "pivot", "none"):
            values = sorted(
                r.relative_pp
                for r in self.rows
                if r.direction == direction and r.relative_pp is not None
            )
            if not values:
                continue
            mid = len(values) // 2
            median = values[mid] if len(values) % 2 else (values[mid - 1] + values[mid]) / 2
            out[direction] = {
                "n": len(values),
                "mean_pp": round(sum(values) / len(values), 2),
                "median_pp": round(median, 2),
            }
        return out

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready form."""
        return {
            "by_direction": self.by_direction(),
            "as_of": self.as_of,
            "base_year": self.base_year,
            "end_year": self.end_year,
            "total_base": self.total_base,
            "total_end": self.total_end,
            "total_change_pct": round(self.total_change_pct, 2),
            "scored": len(self.scored),
            "hits": self.hits,
            "hit_rate": None if self.hit_rate is None else round(self.hit_rate, 4),
            "base_rate": None if self.base_rate is None else round(self.base_rate, 4),
            "rows": [r.to_dict() for r in self.rows],
            "sources": list(self.sources),
        }


def parse_history(text: str, name: str = HISTORY_FILE) -> list[HistoryRow]:
    """Parse the bundled history CSV (year, soc, title, occ_group, employment, source_file)."""
    out = []
    for line, r in enumerate(csv.DictReader(io.StringIO(text)), start=2):
        try:
            year = int(r["year"])
            emp = int(r["employment"]) if r["employment"] else None
        except (KeyError, ValueError):
            raise ParseError(
                "not a number",
                path=name,
                line=line,
                field="year/employment",
                value=f"{r.get('year')}/{r.get('employment')}",
            ) from None
        out.append(HistoryRow(year, r["soc"], r.get("title", ""), emp, r.get("source_file", "")))
    return out


def load_history() -> list[HistoryRow]:
    """The bundled OEWS history."""
    text = resources.files("payforce.data").joinpath(HISTORY_FILE).read_text(encoding="utf-8")
    return parse_history(text)


def series_employment(
    history: Iterable[HistoryRow], spec: SeriesSpec, year: int
) -> tuple[int | None, tuple[str, ...]]:
    """Employment of a series in ``year`` (sum of its codes) and the files used; None if absent.

    SOC 2018 codes are used from 2021, SOC 2010 codes up to 2018; for the hybrid years
    (2011, 2019, 2020) the SOC 2018 set is tried first, then the SOC 2010 set.
    """
    by_code = {h.soc: h for h in history if h.year == year}
    if year >= 2021:
        options = [spec.soc2018]
    elif year <= 2018:
        options = [spec.soc2010, spec.soc2018] if year <= 2011 else [spec.soc2010]
    else:
        options = [spec.soc2018, spec.soc2010]
    for codes in options:
        if codes and all(c in by_code and by_code[c].employment is not None for c in codes):
            return (
                sum(by_code[c].employment or 0 for c in codes),
                tuple(dict.fromkeys(by_code[c].source_file for c in codes)),
            )
    return None, ()


def _base_year(history: Sequence[HistoryRow], as_of_year: int) -> int:
    years = sorted({h.year for h in history if h.soc == TOTAL_SOC and h.year <= as_of_year})
    if not years:
        raise InputError(
            f"--as-of: no OEWS history on or before {as_of_year}",
            hint="The bundled history covers May 2011-2015 and 2020-2024",
        )
    return years[-1]


def run_backtest(
    roles: Sequence[Role],
    outlooks: Sequence[Outlook],
    history: Sequence[HistoryRow],
    as_of: str,
    until: int,
) -> Backtest:
    """Compare each role's outlook direction as of ``as_of`` with realised OEWS employment.

    ``as_of`` is an ISO date; the base year is the last OEWS year in the history not after it.
    """
    base = _base_year(history, int(as_of[:4]))
    if until <= base:
        raise InputError(
            f"--until: must be after the base year {base} ({until})",
            hint="e.g. --as-of 2015-12-31 --until 2024",
        )
    total = CROSSWALK[TOTAL_SOC]
    t0, src0 = series_employment(history, total, base)
    t1, src1 = series_employment(history, total, until)
    if t0 is None or t1 is None:
        missing = base if t0 is None else until
        raise InputError(
            f"--until: no OEWS history for {missing} ({until})",
            hint="The bundled history covers May 2011-2015 and 2020-2024",
        )
    total_pct = (t1 / t0 - 1.0) * 100.0
    by_role = {o.role: o for o in outlooks}
    sources = set(src0) | set(src1)
    rows: list[BacktestRow] = []
    for role in roles:
        o = by_role.get(role.key)
        direction, score = (o.direction, o.score) if o else ("none", 0.0)
        spec = CROSSWALK.get(role.soc)
        common: dict[str, Any] = {
            "role": role.key,
            "title": role.title,
            "soc": role.soc,
            "direction": direction,
            "score": score,
        }
        if spec is None or not spec.comparable:
            rows.append(
                BacktestRow(
                    **common,
                    base_employment=None,
                    end_employment=None,
                    change_pct=None,
                    relative_pp=None,
                    realised="n/a",
                    hit=None,
                    note=(spec.note if spec else f"no crosswalk entry for {role.soc}")
                    + " (not comparable)",
                )
            )
            continue
        e0, s0 = series_employment(history, spec, base)
        e1, s1 = series_employment(history, spec, until)
        if e0 is None or e1 is None or e0 == 0:
            rows.append(
                BacktestRow(
                    **common,
                    base_employment=e0,
                    end_employment=e1,
                    change_pct=None,
                    relative_pp=None,
                    realised="n/a",
                    hit=None,
                    note="series missing in history",
                )
            )
            continue
        sources.update(s0, s1)
        change = (e1 / e0 - 1.0) * 100.0
        rel = change - total_pct
        realised = "outpaced" if rel > 0 else "lagged"
        hit = None
        if direction == "growth":
            hit = rel > 0
        elif direction == "pressure":
            hit = rel < 0
        rows.append(
            BacktestRow(
                **common,
                base_employment=e0,
                end_employment=e1,
                change_pct=change,
                relative_pp=rel,
                realised=realised,
                hit=hit,
                note=spec.note,
            )
        )
    rows.sort(key=lambda r: (r.hit is None, r.direction not in SCORED, -r.score, r.role))
    return Backtest(
        as_of=as_of,
        base_year=base,
        end_year=until,
        total_base=t0,
        total_end=t1,
        total_change_pct=total_pct,
        rows=tuple(rows),
        sources=tuple(sorted(sources)),
    )
