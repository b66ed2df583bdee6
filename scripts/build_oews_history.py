"""Build src/payforce/data/oews_history.csv from the real BLS OEWS national files.

Reads every national_M<year>_dl.(xls|xlsx) in a folder (default: ../shared/samples/bls, the
files listed with provenance in SOURCES.md there), keeps the rows for the SOC codes the backtest
crosswalk needs (payforce.forecasts.backtest.CROSSWALK: both the SOC 2010 and the SOC 2018 codes,
plus 00-0000), and writes one row per (year, code) with the file it came from and that file's
sha256. Parsing goes through payforce.sources.bls.parse_oews, the same parser `payforce sync bls`
uses.

Rerun: python scripts/build_oews_history.py [--samples DIR] [--out FILE]
"""

from __future__ import annotations

import argparse
import csv
import hashlib
import sys
from pathlib import Path

from payforce.forecasts.backtest import CROSSWALK
from payforce.sources.bls import oews_url, parse_oews

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_SAMPLES = ROOT.parent / "shared" / "samples" / "bls"
DEFAULT_OUT = ROOT / "src" / "payforce" / "data" / "oews_history.csv"
FIELDS = [
    "year",
    "soc",
    "title",
    "occ_group",
    "employment",
    "employment_text",
    "source_file",
    "source_sha256",
    "source_url",
]


def wanted_codes() -> set[str]:
    """Every code any crosswalk series sums, in either SOC system."""
    codes: set[str] = set()
    for spec in CROSSWALK.values():
        codes.update(spec.soc2010, spec.soc2018)
    return codes


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--samples", type=Path, default=DEFAULT_SAMPLES)
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT)
    args = parser.parse_args(argv)
    files = sorted(p for p in args.samples.glob("national_M*_dl.xls*"))
    if not files:
        print(f"no national_M<year>_dl.xls(x) files in {args.samples}", file=sys.stderr)
        return 1
    codes = wanted_codes()
    rows = []
    for path in files:
        data = path.read_bytes()
        sha = hashlib.sha256(data).hexdigest()
        parsed = parse_oews(data, path.name)
        kept = [r for r in parsed.rows if r.soc in codes]
        rows.extend(
            {
                "year": r.year,
                "soc": r.soc,
                "title": r.title,
                "occ_group": r.occ_group,
                "employment": "" if r.employment is None else r.employment,
                "employment_text": r.employment_text,
                "source_file": path.name,
                "source_sha256": sha,
                "source_url": oews_url(r.year),
            }
            for r in kept
        )
        print(f"{path.name}: {len(kept)} of {len(parsed.rows)} rows kept", file=sys.stderr)
    rows.sort(key=lambda r: (r["year"], r["soc"]))
    with args.out.open("w", encoding="utf-8", newline="") as fh:
        writer = csv.DictWriter(fh, fieldnames=FIELDS, lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)
    print(f"wrote {len(rows)} rows to {args.out}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
