"""Labour-market data as of a date: occupation series, the OEWS panel and projection vintages.

This is the one read path for BLS numbers (roles, pivots, economics, demand, forecasts and the
backtest all come through here), so a synced file is what every view reads, and ``as_of`` is
honoured in one place: a vintage counts only when its ``available_from`` (its BLS release date,
``payforce.workforce.releases``) is on or before ``as_of``.

**Series keys.** A key names one comparable occupation series across the SOC 2010 → 2018 change
(``payforce.workforce.series`` has the crosswalk and its rules):

- ``"00-0000"`` all occupations (the denominator of "relative to all occupations");
- a SOC 2018 detailed code when the occupation did not change or was only renumbered
  (``"29-1141"`` registered nurses; ``"29-1292"`` dental hygienists, 29-2021 before 2019;
  ``"31-1131"`` nursing assistants, 31-1014 before);
- a SOC 2018 broad code when OEWS prints only the group (``"31-1120"`` home health and personal
  care aides = SOC 2010 31-1011 + 39-9021; ``"29-2010"`` laboratory technologists/technicians);
- the SOC 2010 code of a group that SOC 2018 split, kept whole so it stays comparable
  (``"29-1069"`` physicians in other specialties: cardiologists, radiologists, … from 2021;
  ``"29-1067"`` surgeons; ``"29-2071"`` medical records specialists + health information
  technologists; ``"29-2040"`` EMTs and paramedics; ``"29-1199"``);
- ``"29-1060"`` physicians and surgeons together (an aggregate of other series: leave it out
  when ranking series against each other).

In each file a series is the sum of the first of its code sets that the file prints in full; if
none is printed the year is missing (never guessed). Employment Projections vintages use the same
code sets (2012-22 to 2016-26 are SOC 2010; 2019-29 on SOC 2018). Units: persons (OEWS counts
wage and salary jobs; EP counts all jobs including self-employed, so compare changes, not levels
across the two).
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date
from typing import TYPE_CHECKING, Any

from payforce.workforce.releases import projection_label
from payforce.workforce.series import TOTAL, SeriesDef, load_series_defs, series_value

if TYPE_CHECKING:
    from payforce.models import Role
    from payforce.store.db import Store

__all__ = [
    "OEWSVintage",
    "ProjectionVintage",
    "Series",
    "oews_panel",
    "oews_vintages",
    "projection_vintages",
    "roles_with_figures",
    "series_catalog",
]


@dataclass(frozen=True)
class Series:
    """One occupation series (see the module docstring for keys)."""

    key: str
    """Series key, e.g. ``29-1141``, ``29-1069``, ``00-0000``."""
    title: str
    """Readable title."""
    kind: str
    """``detailed``, ``merged``, ``aggregate`` (sums other series) or ``total``."""
    healthcare: bool
    """True for SOC 29-/31- occupations."""
    members: dict[str, tuple[str, ...]]
    """Member codes per SOC version: ``{"2018": (...), "2010": (...)}``."""
    alternatives: tuple[tuple[str, ...], ...]
    """Code sets tried in each file, in order."""
    roles: tuple[str, ...]
    """Curated role keys measured by this series (several for RNs: UR, RPM, care manager)."""
    comparable_from: int | None
    """First comparable May-year when the definition broke inside one code, else None."""
    note: str
    """What the crosswalk hides."""

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready form."""
        return {
            "key": self.key,
            "title": self.title,
            "kind": self.kind,
            "healthcare": self.healthcare,
            "members": {k: list(v) for k, v in self.members.items()},
            "roles": list(self.roles),
            "comparable_from": self.comparable_from,
            "note": self.note,
        }


@dataclass(frozen=True)
class OEWSVintage:
    """One OEWS May-year held in the store."""

    year: int
    """May reference year."""
    available_from: date
    """BLS release date (or the documented conservative rule)."""
    date_basis: str
    """Where the date comes from."""
    source: str
    """File it was loaded from."""
    origin: str
    """``bundled`` or ``synced``."""


@dataclass(frozen=True)
class ProjectionVintage:
    """One Employment Projections vintage, in series terms."""

    label: str
    """``2014-24``."""
    base_year: int
    """Base year (employment estimated)."""
    target_year: int
    """Projected year."""
    available_from: date
    """BLS release date (or the documented conservative rule)."""
    values: dict[str, tuple[int, int]]
    """Series key → (base employment, projected employment), persons."""
    source: str = ""
    """File it was loaded from."""
    date_basis: str = ""
    """Where the date comes from."""
    origin: str = "bundled"
    """``bundled`` or ``synced``."""

    @property
    def period(self) -> str:
        """``2014-2024`` (the store's key)."""
        return f"{self.base_year}-{self.target_year}"


def series_catalog(store: Store) -> dict[str, Series]:
    """Every occupation series, by key (healthcare, the non-clinical ones, and 00-0000)."""
    from payforce.store.workforce_tables import role_series_map

    inside: dict[str, list[str]] = {}
    for key, row in sorted(role_series_map(store).items()):
        if row["origin"] == "curated":
            inside.setdefault(row["series"], []).append(key)
    return {
        d.key: Series(
            key=d.key,
            title=d.title,
            kind=d.kind,
            healthcare=d.healthcare,
            members={"2018": d.soc2018, "2010": d.soc2010},
            alternatives=d.alternatives,
            roles=tuple(inside.get(d.key, ())),
            comparable_from=d.comparable_from,
            note=d.note,
        )
        for d in load_series_defs().values()
    }


def _public(available_from: date, as_of: date | None) -> bool:
    return as_of is None or available_from <= as_of


def oews_vintages(store: Store, as_of: date | None = None) -> list[OEWSVintage]:
    """OEWS May-years public by ``as_of`` (all when None), oldest first."""
    from payforce.store.workforce_tables import list_vintages

    return [
        OEWSVintage(
            year=v["base_year"],
            available_from=v["available_from"],
            date_basis=v["date_basis"],
            source=v["source"],
            origin=v["origin"],
        )
        for v in list_vintages(store, "oews")
        if _public(v["available_from"], as_of)
    ]


def _series_values(
    defs: dict[str, SeriesDef],
    year: int,
    values: dict[str, int | None],
    *,
    across_years: bool = True,
) -> dict[str, int]:
    out: dict[str, int] = {}
    for key, spec in defs.items():
        value, _codes = series_value(spec, year, values, across_years=across_years)
        if value is not None:
            out[key] = value
    return out


def oews_panel(store: Store, as_of: date | None = None) -> dict[str, dict[int, int]]:
    """Series key → May-year → OEWS employment, from the vintages public by ``as_of``.

    Includes ``00-0000``. A year is absent for a series when no comparable code set was printed.
    """
    from payforce.store.workforce_tables import oews_rows_for

    years = [v.year for v in oews_vintages(store, as_of)]
    rows = oews_rows_for(store, years)
    defs = load_series_defs()
    panel: dict[str, dict[int, int]] = {}
    for year in years:
        values = {soc: r["employment"] for soc, r in rows[year].items()}
        for key, value in _series_values(defs, year, values).items():
            panel.setdefault(key, {})[year] = value
    return panel


def projection_vintages(store: Store, as_of: date | None = None) -> list[ProjectionVintage]:
    """Employment Projections vintages public by ``as_of`` (all when None), oldest first."""
    from payforce.store.workforce_tables import list_vintages, projection_rows_for

    held = [v for v in list_vintages(store, "projections") if _public(v["available_from"], as_of)]
    rows = projection_rows_for(store, [v["label"] for v in held])
    defs = load_series_defs()
    out: list[ProjectionVintage] = []
    for v in held:
        by_code = rows[v["label"]]
        base = _series_values(
            defs,
            v["base_year"],
            {c: r["employment_base"] for c, r in by_code.items()},
            across_years=False,
        )
        target = _series_values(
            defs,
            v["base_year"],
            {c: r["employment_target"] for c, r in by_code.items()},
            across_years=False,
        )
        out.append(
            ProjectionVintage(
                label=projection_label(v["base_year"], v["target_year"]),
                base_year=v["base_year"],
                target_year=v["target_year"],
                available_from=v["available_from"],
                values={k: (base[k], target[k]) for k in base if k in target},
                source=v["source"],
                date_basis=v["date_basis"],
                origin=v["origin"],
            )
        )
    return out


def total_key() -> str:
    """The all-occupations series key."""
    return TOTAL


def _newest(vintages: list[dict[str, Any]], kind: str, as_of: date | None) -> dict[str, Any] | None:
    public = [v for v in vintages if v["kind"] == kind and _public(v["available_from"], as_of)]
    return max(public, key=lambda v: v["base_year"]) if public else None


def _code_title(row: dict[str, Any]) -> str:
    return f"{row['title']} ({row['soc']})"


def roles_with_figures(store: Store, roles: list[Role], as_of: date | None = None) -> list[Role]:
    """``roles`` with employment, wage and projection from the vintages public on ``as_of``.

    Figures come from the role's own SOC code when the vintage prints it, else from its series
    (e.g. radiologists before 2021 from 29-1069); a role measured by another occupation's
    statistics carries a ``proxy_note`` saying so.
    """
    from payforce.store.workforce_tables import (
        list_vintages,
        oews_rows_for,
        projection_rows_for,
        role_series_map,
    )

    vintages = list_vintages(store)
    oews_v = _newest(vintages, "oews", as_of)
    ep_v = _newest(vintages, "projections", as_of)
    oews = oews_rows_for(store, [oews_v["base_year"]] if oews_v else [])
    eps = projection_rows_for(store, [ep_v["label"]] if ep_v else [])
    o_rows = oews[oews_v["base_year"]] if oews_v else {}
    p_rows = eps[ep_v["label"]] if ep_v else {}
    defs = load_series_defs()
    measures = role_series_map(store)
    out = []
    for role in roles:
        m = measures.get(role.key, {})
        key = m.get("series") or role.soc
        spec = defs.get(key)
        fields: dict[str, Any] = {
            "series": key,
            "measure": m.get("measure", "own"),
            "employment": None,
            "median_wage": None,
            "wage_year": "",
            "projection_pct": None,
            "projection_period": "",
            "annual_openings": None,
            "measured_as": "",
            "wage_available_from": None,
            "projection_available_from": None,
        }
        notes: list[str] = []
        if m.get("measure", "own") != "own" and m.get("measure_note"):
            notes.append(m["measure_note"])
        if oews_v:
            year = oews_v["base_year"]
            fields["wage_year"] = f"{year}-05"
            fields["wage_available_from"] = oews_v["available_from"]
            row = o_rows.get(role.soc)
            if row is not None and row["employment"] is not None:
                fields.update(employment=row["employment"], median_wage=row["median_wage"])
                fields["measured_as"] = _code_title(row)
            elif spec is not None:
                values = {c: r["employment"] for c, r in o_rows.items()}
                value, codes = series_value(spec, year, values, across_years=False)
                if value is not None:
                    fields["employment"] = value
                    single = o_rows[codes[0]] if len(codes) == 1 else None
                    fields["median_wage"] = single["median_wage"] if single else None
                    fields["measured_as"] = (
                        _code_title(single) if single else f"{spec.title} ({'+'.join(codes)})"
                    )
                    notes.append(f"May {year} OEWS does not print {role.soc} on its own")
        if ep_v:
            fields["projection_period"] = f"{ep_v['base_year']}-{ep_v['target_year']}"
            fields["projection_available_from"] = ep_v["available_from"]
            prow = p_rows.get(role.soc)
            if prow is not None and prow["change_pct"] is not None:
                fields["projection_pct"] = prow["change_pct"]
                fields["annual_openings"] = prow["annual_openings"]
            elif spec is not None:
                base, _c = series_value(
                    spec,
                    ep_v["base_year"],
                    {c: r["employment_base"] for c, r in p_rows.items()},
                    across_years=False,
                )
                target, _c = series_value(
                    spec,
                    ep_v["base_year"],
                    {c: r["employment_target"] for c, r in p_rows.items()},
                    across_years=False,
                )
                if base and target is not None:
                    fields["projection_pct"] = round((target / base - 1) * 100, 1)
        fields["proxy_note"] = "; ".join(dict.fromkeys(notes))
        out.append(replace(role, **fields))
    return out
