"""Build the bundled labour-market data from the real BLS files (``make snapshot`` runs it).

Reads every OEWS national file May 2011-2024 and every Employment Projections vintage in
``../shared/samples/bls`` (provenance in SOURCES.md there), through the same parsers
``payforce sync bls`` uses, and writes to ``src/payforce/data/``:

- ``oews_national.csv``: the rows of every healthcare (SOC 29-/31-) code, the non-clinical codes
  payment policy touches, the codes the crosswalk needs (e.g. 39-9021) and 00-0000, per year;
- ``ep_projections.csv``: the same codes per projection period (exports carry no 00-0000 row: it
  is derived as the sum of the detailed rows, and marked so);
- ``labour_vintages.csv``: one row per vintage with its file, sha256 and ``available_from``;
- ``occupation_series.csv``: the series catalog (``payforce.workforce.series``);
- ``occupation_roles.csv``: one role per SOC 2018 healthcare occupation no curated role covers;
- ``roles.csv`` loses the typed labour columns an older build wrote (figures now come from the
  vintages above).

Rerun: python scripts/build_labour_data.py [--samples DIR]
"""

from __future__ import annotations

import argparse
import csv
import hashlib
import re
import sys
from dataclasses import replace
from pathlib import Path

from payforce.sources.bls import OEWSFile, oews_url, parse_oews
from payforce.sources.bls_projections import ProjectionFile, parse_projections
from payforce.workforce.releases import oews_release, projection_release
from payforce.workforce.series import (
    CROSSWALK,
    NON_CLINICAL,
    TOTAL,
    SeriesDef,
    is_healthcare_code,
    series_rows,
)
from payforce.workforce.sync import with_total

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT / "src" / "payforce" / "data"
DEFAULT_SAMPLES = next(
    (
        d / "shared" / "samples" / "bls"
        for d in (ROOT.parent, ROOT.parent.parent)
        if (d / "shared" / "samples" / "bls").is_dir()
    ),
    ROOT.parent / "shared" / "samples" / "bls",
)

EP_FILES = {
    "2012-22": "Employment Projections.csv",
    "2014-24": "occupation.xlsx",
    "2016-26": "occupation.xlsx",
    "2019-29": "occupation.xlsx",
    "2020-30": "Employment Projections.csv",
    "2021-31": "Employment Projections.csv",
    "2022-32": "Employment Projections.csv",
    "2024-34": "Employment Projections.csv",
}
"""Which file of each vintage is bundled: the official workbook where we have one."""

EP_URL = "https://data.bls.gov/projections/occupationProj"
EP_WORKBOOK_URL = "https://www.bls.gov/emp/ind-occ-matrix/occupation.xlsx"

OEWS_FIELDS = [
    "year",
    "soc",
    "title",
    "occ_group",
    "employment",
    "employment_text",
    "median_wage",
    "mean_wage",
    "wage_note",
]
EP_FIELDS = [
    "period",
    "soc",
    "title",
    "occupation_type",
    "employment_base",
    "employment_target",
    "change_pct",
    "annual_openings",
    "entry_education",
]
VINTAGE_FIELDS = [
    "kind",
    "label",
    "base_year",
    "target_year",
    "available_from",
    "date_basis",
    "source",
    "sha256",
    "source_url",
]
ROLE_FIELDS = ["role_key", "title", "soc", "series", "measure", "measure_note"]
LABOUR_COLUMNS = (
    "employment",
    "median_wage",
    "wage_year",
    "projection_pct",
    "projection_period",
    "annual_openings",
)


def _num(value: float | int | None) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def _write(name: str, fields: list[str], rows: list[dict[str, object]]) -> None:
    with (DATA / name).open("w", encoding="utf-8", newline="") as fh:
        w = csv.DictWriter(fh, fieldnames=fields, lineterminator="\n")
        w.writeheader()
        w.writerows(rows)
    print(f"wrote {name}: {len(rows)} rows", file=sys.stderr)


def oews_files(samples: Path) -> list[Path]:
    """One national file per May-year (the workbook where there is one)."""
    by_year: dict[int, Path] = {}
    for p in sorted(samples.glob("national_M20??_dl.*")):
        year = int(p.name[10:14])
        if year not in by_year or p.suffix != ".csv":
            by_year[year] = p
    return [by_year[y] for y in sorted(by_year)]


def finest_codes(parsed: OEWSFile) -> dict[str, str]:
    """SOC code → title of every 29-/31- occupation at the finest level the file prints."""
    codes = {r.soc: r.title for r in parsed.rows if is_healthcare_code(r.soc)}
    detailed = {c for c, _t in codes.items() if not c.endswith("0")}
    out = {}
    for code, title in codes.items():
        if code.endswith("00"):
            continue  # minor and major groups
        if code.endswith("0") and any(d.startswith(code[:6]) for d in detailed):
            continue  # a broad group whose details are printed
        out[code] = title
    return out


def build_catalog(latest: OEWSFile) -> dict[str, SeriesDef]:
    """The crosswalk plus one series per unchanged occupation of the newest file."""
    defs: dict[str, SeriesDef] = {
        TOTAL: SeriesDef(
            TOTAL,
            "All Occupations",
            ((TOTAL,),),
            (TOTAL,),
            (TOTAL,),
            kind="total",
            healthcare=False,
        )
    }
    covered = {c for s in CROSSWALK.values() for c in s.soc2018} | set(CROSSWALK)
    titles = {r.soc: r.title for r in latest.rows}
    for code, title in sorted(finest_codes(latest).items()):
        if code not in covered:
            defs[code] = SeriesDef(code, title, ((code,),), (code,), (code,))
    for code in NON_CLINICAL:
        if code not in covered:
            defs[code] = SeriesDef(code, titles[code], ((code,),), (code,), (code,))
    for key, spec in CROSSWALK.items():
        defs[key] = replace(spec, healthcare=is_healthcare_code(key))
    for key, spec in list(defs.items()):
        if key != TOTAL and not is_healthcare_code(key):
            defs[key] = replace(spec, healthcare=False)
    return dict(sorted(defs.items()))


def curated_roles() -> tuple[list[dict[str, str]], dict[str, dict[str, str]]]:
    roles = list(csv.DictReader((DATA / "roles.csv").open(encoding="utf-8")))
    series = {r["role_key"]: r for r in csv.DictReader((DATA / "role_series.csv").open())}
    return roles, series


def strip_labour_columns(roles: list[dict[str, str]]) -> None:
    """roles.csv keeps curated facts only; labour figures come from the vintages."""
    if not any(c in roles[0] for c in LABOUR_COLUMNS):
        return
    fields = [f for f in roles[0] if f not in LABOUR_COLUMNS]
    _write("roles.csv", fields, [{f: r[f] for f in fields} for r in roles])


def slug(title: str) -> str:
    text = re.sub(r"[^a-z0-9]+", "_", title.lower()).strip("_")
    return text[:60].rstrip("_")


def generated_roles(
    defs: dict[str, SeriesDef], titles: dict[str, str], curated: list[dict[str, str]]
) -> list[dict[str, object]]:
    """One role per SOC 2018 occupation in a series that no curated role already is."""
    taken = {r["soc"] for r in curated}
    keys = {r["role_key"] for r in curated}
    out: list[dict[str, object]] = []
    for spec in defs.values():
        if spec.kind in ("total", "aggregate"):
            continue
        members = spec.soc2018 if spec.key not in spec.soc2018 else (spec.key,)
        if len(spec.soc2018) > 1 and spec.key not in spec.soc2018:
            members = spec.soc2018
        for code in members:
            if code in taken or code not in titles:
                continue
            key = slug(titles[code])
            if key in keys:
                key = f"{key}_{code.replace('-', '')}"
            keys.add(key)
            own = spec.soc2018 == (code,) or spec.key == code
            out.append(
                {
                    "role_key": key,
                    "title": titles[code],
                    "soc": code,
                    "series": spec.key,
                    "measure": "own" if own else "part",
                    "measure_note": ""
                    if own
                    else f"Measured with the comparable group '{spec.title}' ({spec.key})",
                }
            )
    return out


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--samples", type=Path, default=DEFAULT_SAMPLES)
    args = parser.parse_args(argv)
    files = oews_files(args.samples)
    if not files:
        print(f"no national_M<year>_dl files in {args.samples}", file=sys.stderr)
        return 1
    parsed: list[tuple[Path, str, OEWSFile]] = []
    for path in files:
        data = path.read_bytes()
        parsed.append((path, hashlib.sha256(data).hexdigest(), parse_oews(data, path.name)))
    latest = parsed[-1][2]
    defs = build_catalog(latest)
    wanted = {c for s in defs.values() for alt in s.alternatives for c in alt}
    wanted |= {c for s in defs.values() for c in (*s.soc2010, *s.soc2018)}

    def keep(soc: str) -> bool:
        return soc in wanted or is_healthcare_code(soc) or soc[:2] in ("29", "31")

    oews_rows: list[dict[str, object]] = []
    vintages: list[dict[str, object]] = []
    for path, sha, f in parsed:
        kept = [r for r in f.rows if keep(r.soc)]
        oews_rows += [
            {
                "year": r.year,
                "soc": r.soc,
                "title": r.title,
                "occ_group": r.occ_group,
                "employment": _num(r.employment),
                "employment_text": r.employment_text,
                "median_wage": _num(r.median_wage),
                "mean_wage": _num(r.mean_wage),
                "wage_note": r.wage_note,
            }
            for r in kept
        ]
        day, basis = oews_release(f.year)
        vintages.append(
            {
                "kind": "oews",
                "label": str(f.year),
                "base_year": f.year,
                "target_year": "",
                "available_from": day.isoformat(),
                "date_basis": basis,
                "source": path.name,
                "sha256": sha,
                "source_url": oews_url(f.year),
            }
        )
        print(f"{path.name}: {len(kept)} of {len(f.rows)} rows kept", file=sys.stderr)
    ep_rows: list[dict[str, object]] = []
    for label, fname in EP_FILES.items():
        path = args.samples / "projections" / label / fname
        data = path.read_bytes()
        p: ProjectionFile = parse_projections(data, f"{label}/{fname}")
        kept_ep = [r for r in with_total(p) if keep(r.soc)]
        base_year, target_year = (int(y) for y in p.period.split("-"))
        rows = [
            {
                "period": p.period,
                "soc": r.soc,
                "title": r.title,
                "occupation_type": r.occupation_type,
                "employment_base": _num(r.employment_base),
                "employment_target": _num(r.employment_target),
                "change_pct": _num(r.change_pct),
                "annual_openings": _num(r.annual_openings),
                "entry_education": r.entry_education,
            }
            for r in kept_ep
        ]
        ep_rows += rows
        day, basis = projection_release(base_year)
        vintages.append(
            {
                "kind": "projections",
                "label": p.period,
                "base_year": base_year,
                "target_year": target_year,
                "available_from": day.isoformat(),
                "date_basis": basis,
                "source": f"{label}/{fname}",
                "sha256": hashlib.sha256(data).hexdigest(),
                "source_url": EP_WORKBOOK_URL if fname.endswith(".xlsx") else EP_URL,
            }
        )
        print(f"{label}/{fname}: {len(rows)} of {len(p.rows)} rows kept", file=sys.stderr)
    roles, series_map = curated_roles()
    strip_labour_columns(roles)
    inside: dict[str, list[str]] = {}
    for key, r in series_map.items():
        inside.setdefault(r["series"], []).append(key)
    defs = {k: replace(s, roles=tuple(sorted(inside.get(k, ())))) for k, s in defs.items()}
    titles = {r.soc: r.title for r in latest.rows}
    _write("oews_national.csv", OEWS_FIELDS, oews_rows)
    _write("ep_projections.csv", EP_FIELDS, ep_rows)
    _write("labour_vintages.csv", VINTAGE_FIELDS, vintages)
    _write("occupation_series.csv", list(series_rows(defs)[0]), list(series_rows(defs)))
    _write("occupation_roles.csv", ROLE_FIELDS, generated_roles(defs, titles, roles))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
