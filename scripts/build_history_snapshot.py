"""Build the bundled history files from real public files (``make snapshot`` runs it).

    python scripts/build_history_snapshot.py [--samples ../shared/samples]

- ``src/payforce/data/mssp_results.csv``: one row per MSSP performance year, summed from the
  results PUFs in ``samples/mssp/`` by the same parser ``payforce sync mssp`` uses.
- ``src/payforce/data/rule_history.csv``: one row per Federal Register document of the CMS/HHS
  regulations.gov records in ``samples/federal_register/``, by the parser
  ``payforce sync federal-register --from-file`` uses (records without a document number are
  left out, as the sync skips them).

Each row names its source file and the file's sha256; MANIFEST.md describes the columns.
"""

from __future__ import annotations

import argparse
import csv
import hashlib
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))

from payforce.sources.fr_history import iter_history_file, parse_history  # noqa: E402
from payforce.sources.mssp import parse_file  # noqa: E402
from payforce.store.history_snapshot import (  # noqa: E402
    MSSP_COLUMNS,
    RULE_COLUMNS,
    mssp_csv_row,
    rule_csv_row,
)

RULE_HISTORY = "regulations_gov_CMS_HHS_rules_2010-2023.jsonl"

DATA = ROOT / "src" / "payforce" / "data"

MSSP_ORIGINS = {
    "2014.csv": "ericwalczyk/aco-savings-replication@4cea6439 data/2014.csv",
    "2015.csv": "ericwalczyk/aco-savings-replication@4cea6439 data/2015.csv",
    "2016.csv": "ericwalczyk/aco-savings-replication@4cea6439 data/2016.csv",
    "2017.csv": "ericwalczyk/aco-savings-replication@4cea6439 data/2017.csv",
    "2018_Shared_Savings_Program__SSP__Accountable_Care_Organizations__ACO__PUF.csv": (
        "karenmjiang/MSSP-ACO-2018@6352cbeb data/"
        "2018_Shared_Savings_Program__SSP__Accountable_Care_Organizations__ACO__PUF.csv"
    ),
    "Performance_Year_Financial_and_Quality_Results_2020.csv": (
        "rfortherestofus/rin3-fall-2022@8668f5e2 data/"
        "Performance_Year_Financial_and_Quality_Results_2020.csv"
    ),
    "Performance_Year_Financial_and_Quality_Results_2021.csv": (
        "healthactuary/ssav_puf@8a1536a2 Performance_Year_Financial_and_Quality_Results_2021.csv"
    ),
    "Performance_Year_Financial_and_Quality_Results_2022.csv": (
        "mangospace/ACO_Perf_2023@362b8eed Performance_Year_Financial_and_Quality_Results_2022.csv"
    ),
    "PY 2023 ACO Results PUF.csv": (
        "trynytyhealthSmithson/mssp-2023-dashboard@0a6b1fb7 PY 2023 ACO Results PUF.csv"
    ),
    "PY 2024 ACO Results PUF.csv": (
        "trynytyhealthSmithson/mssp-2023-dashboard@5931bed4 PY 2024 ACO Results PUF.csv"
    ),
}
"""Where each bundled PUF copy was found (``SOURCES.md`` §5 of the shared samples)."""


def build_mssp(samples: Path) -> list[dict[str, str]]:
    folder = samples / "mssp"
    paths = sorted(folder.glob("*.csv")) + sorted(folder.glob("*/*.csv"))
    rows = []
    for path in paths:
        year = parse_file(path)
        rows.append(mssp_csv_row(year, path.name, MSSP_ORIGINS.get(path.name, "")))
    rows.sort(key=lambda r: int(r["performance_year"]))
    years = [r["performance_year"] for r in rows]
    if len(set(years)) != len(years):
        raise SystemExit(f"two files for one performance year: {years}")
    return rows


def build_rules(samples: Path) -> list[dict[str, str]]:
    path = samples / "federal_register" / RULE_HISTORY
    records = list(iter_history_file(path))
    docs, skipped = parse_history(records)
    digest = hashlib.sha256(path.read_bytes()).hexdigest()
    print(
        f"{RULE_HISTORY} sha256 {digest}: {len(records)} records, {len(docs)} documents, "
        f"{len(skipped)} skipped"
    )
    return [rule_csv_row(h) for h in docs]


def write(name: str, columns: tuple[str, ...], rows: list[dict[str, str]]) -> None:
    path = DATA / name
    with path.open("w", encoding="utf-8", newline="") as fh:
        w = csv.DictWriter(fh, fieldnames=list(columns), lineterminator="\n")
        w.writeheader()
        w.writerows(rows)
    print(f"wrote {path.relative_to(ROOT)}: {len(rows)} rows")


def main() -> None:
    ap = argparse.ArgumentParser()
    default = next(
        (p for p in (ROOT.parent / "shared", ROOT.parent.parent / "shared") if p.is_dir()),
        ROOT.parent / "shared",
    )
    ap.add_argument("--samples", type=Path, default=default / "samples")
    args = ap.parse_args()
    if not (args.samples / "mssp").is_dir():
        raise SystemExit(f"{args.samples / 'mssp'}: no such folder (give --samples)")
    write("mssp_results.csv", MSSP_COLUMNS, build_mssp(args.samples))
    write("rule_history.csv", RULE_COLUMNS, build_rules(args.samples))


if __name__ == "__main__":
    main()
