"""Build the bundled snapshot (src/payforce/data/*.csv) from the team's sourced reference files.

    python scripts/build_snapshot.py [--reference ../shared/reference] [--samples ../shared/samples]

Facts and figures carry over with their source URLs and confidence; the transformations are
listed in src/payforce/data/MANIFEST.md. Real CMS RVU files win over rounded vendor payments.
"""

from __future__ import annotations

import argparse
import csv
import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))

from payforce.economics.payment import national_values  # noqa: E402
from payforce.sources.fee_schedule import parse_pprrvu_file  # noqa: E402

sys.path.insert(0, str(ROOT / "scripts"))
import snapshot_fixes as fixes  # noqa: E402

DATA = ROOT / "src" / "payforce" / "data"

FAMILY_BY_REFERENCE = {
    "CCM": "ccm",
    "CCM (complex)": "ccm_complex",
    "CCM (historical)": "ccm",
    "PCM": "pcm",
    "PCM (historical)": "pcm",
    "RPM": "rpm",
    "RPM (physician data review)": "rpm_physician",
    "RTM": "rtm",
    "BHI (general)": "bhi",
    "CoCM": "cocm",
    "APCM": "apcm",
    "APCM behavioral add-on": "apcm_bh",
    "RHC/FQHC care management": "rhc_care_management",
    "Virtual check-in": "virtual_checkin",
    "TCM": "tcm",
    "ACP": "acp",
    "AI cardiac imaging": "ai_coronary_plaque",
    "AI cardiac imaging (retired)": "ai_coronary_plaque",
    "AI cardiac imaging (OPPS)": "ai_cardiac_calcium",
    "AI ECG": "ai_ecg",
    "Quantitative CT": "quantitative_ct",
    "AI wound imaging": "ai_wound_imaging",
}
# Codes personally performed by the billing practitioner go to their own family (the chain differs).
FAMILY_OVERRIDE = {
    "99491": "ccm_practitioner",
    "99437": "ccm_practitioner",
    "99424": "pcm_practitioner",
    "99425": "pcm_practitioner",
    "G2064": "pcm_practitioner",
    "99426": "pcm",
    "99427": "pcm",
    "G2065": "pcm",
    "99457": "rpm_management",
    "99458": "rpm_management",
    "99470": "rpm_management",
    "98979": "rtm_management",
    "98980": "rtm_management",
    "98981": "rtm_management",
    "0992T": "ai_perivascular",
}
CONFIDENCE = {"high", "medium", "low"}


def code_system(code: str) -> str:
    """Derive the code system from the code's form (the reference labels some wrongly)."""
    if re.fullmatch(r"\d{5}", code):
        return "CPT Category I"
    if re.fullmatch(r"\d{4}T", code):
        return "CPT Category III"
    if re.fullmatch(r"\d{4}F", code):
        return "CPT Category II"
    if re.fullmatch(r"[A-V]\d{4}", code):
        return "HCPCS Level II"
    raise ValueError(f"unknown code form {code!r}")


def expand(code: str) -> list[str]:
    m = re.fullmatch(r"(\d{4})T-(\d{4})T", code)
    if m:
        return [f"{n:04d}T" for n in range(int(m.group(1)), int(m.group(2)) + 1)]
    return [code]


def money(text: str) -> tuple[float | None, bool]:
    m = re.search(r"~?\s*(\d+(?:\.\d+)?)", text or "")
    if not m or re.search(r"deleted|not payable", text):
        return None, False
    approx = "~" in text or "approx" in text
    return float(m.group(1)), approx


def build_codes(ref: Path) -> tuple[list[dict], list[dict]]:
    codes, values = [], []
    for r in csv.DictReader(open(ref / "billing_codes.csv", encoding="utf-8")):
        year_text = r["first_paid_year"].strip()
        m = re.match(r"(\d{4})", year_text)
        year = m.group(1) if m else ""
        d = re.search(r"(\d{4}-\d{2}-\d{2})", year_text)
        status = ""
        for col in ("pay_2025_nonfacility", "pay_2026_nonfacility"):
            if re.search(r"deleted|not payable", r[col]):
                status = f"{r[col].strip()} ({col[4:8]})"
        conf = r["confidence"] if r["confidence"] in CONFIDENCE else "low"
        if "unconfirmed" in year_text:
            conf = "low"
        for code in expand(r["code"].strip()):
            codes.append(
                {
                    "code": code,
                    "system": code_system(code),
                    "family": FAMILY_OVERRIDE.get(code, FAMILY_BY_REFERENCE[r["family"]]),
                    "first_paid_year": year,
                    "first_paid_date": d.group(1) if d else "",
                    "description": r["description_own_words"].strip(),
                    "threshold": r["threshold"].strip(),
                    "performer": r["performer"].strip(),
                    "status_note": status,
                    "source_url": r["source_url"].strip(),
                    "confidence": conf,
                }
            )
            for year_col, yr in (("pay_2025_nonfacility", 2025), ("pay_2026_nonfacility", 2026)):
                amount, approx = money(r[year_col])
                if amount is not None and "OPPS" not in r[year_col]:
                    values.append(
                        {
                            "code": code,
                            "year": yr,
                            "setting": "nonfacility",
                            "work_rvu": "",
                            "pe_rvu": "",
                            "mp_rvu": "",
                            "total_rvu": "",
                            "conversion_factor": "",
                            "payment": f"{amount:.2f}",
                            "approximate": "true" if approx else "false",
                            "source": r["source_url"].strip(),
                        }
                    )
    for c in codes:
        c.update(fixes.CODE_FIXES.get(c["code"], {}))
    codes.extend({"system": code_system(e["code"]), **e} for e in fixes.EXTRA_CODES)
    return codes, values


def date_quoted_values(values: list[dict], documents: list[dict]) -> None:
    """Payments quoted by secondary sources were printed in the year's PFS final rule (Addendum
    B): their release is that rule's FR document number, public from its publication date."""
    finals = {
        int(d["key"][6:10]): (d["document_number"], d["publication_date"])
        for d in documents
        if re.fullmatch(r"pfs_cy\d{4}_final", d["key"])
    }
    for v in values:
        v["release"], v["available_from"] = finals[int(v["year"])]


def rvu_values(path: Path, codes: set[str], year: int, source: str) -> list[dict]:
    """CSV rows of the codes' national values, from the same function a fee-schedule sync uses."""
    parsed = parse_pprrvu_file(path.read_bytes(), path=path.name)
    label = parsed.label
    released = parsed.released
    rows = national_values(parsed.rows, codes, year, source, release=label, available_from=released)
    return [
        {
            **r,
            **{f: f"{r[f]:.2f}" for f in ("work_rvu", "pe_rvu", "mp_rvu", "total_rvu", "payment")},
            "conversion_factor": f"{r['conversion_factor']:.4f}",
            "approximate": "false",
            "available_from": r["available_from"].isoformat(),
        }
        for r in rows
    ]


def final_rule_values(exact: list[dict], documents: list[dict]) -> list[dict]:
    """The checked values a PFS final rule printed, released with the rule (snapshot_fixes)."""
    published = {d["document_number"]: d["publication_date"] for d in documents}
    out = [dict(v) for v in fixes.FINAL_RULE_RVUS]
    for want in fixes.FINAL_RULE_VALUES:
        for v in exact:
            if (v["code"], str(v["year"]), v["release"]) != (
                want["code"],
                want["year"],
                want["copy_from"],
            ):
                continue
            out.append(
                {
                    **v,
                    "source": f"PFS final rule {want['release']} (Addendum B); same RVUs as "
                    f"{want['copy_from']}, checked against sources of the time",
                    "release": want["release"],
                    "available_from": published[want["release"]],
                }
            )
    return out


RESULTS = ("savings", "payments", "in_results", "per_capita")


def available_from(metric: str, year: int) -> str:
    """When a yearly value first became public (our documented estimate; see MANIFEST.md)."""
    if metric.startswith("pfs_conversion_factor_proposed"):
        return f"{year - 1}-07-15"
    if metric.startswith(("pfs_conversion_factor", "pfs_anesthesia", "pfs_efficiency")):
        return f"{year - 1}-11-01"
    if metric.startswith("cpt_"):
        return f"{year - 1}-09-15"
    if metric.startswith("mssp_") and any(k in metric for k in RESULTS):
        return f"{year + 1}-09-30"
    if metric.startswith(("mssp_", "aco_", "traditional_medicare")):
        return f"{year}-01-31"
    if metric == "ccm_share_of_eligible_receiving":
        return "2024-06-30"  # Jang et al., JAGS 2024
    if metric.startswith("rpm_"):
        return f"{max(year + 1, 2024)}-09-30"  # HHS-OIG RPM reports (2024 and later)
    return f"{year + 1}-06-30"


APPROX_WORDS = ("about", "approx", "more than", "nearly", "a little over", "up to", "(less than")


def build_metrics(ref: Path) -> list[dict]:
    out = []
    for r in csv.DictReader(open(ref / "program_metrics.csv", encoding="utf-8")):
        if r["metric"].strip().startswith("mssp_"):
            continue  # MSSP figures come from the results PUFs: build_history_snapshot.py
        years = re.findall(r"\d{4}", r["year"])
        year = int(years[-1])
        text = r["value"].strip()
        value = ""
        if re.fullmatch(r"-?\d+(\.\d+)?", text):
            value = text
        approx = any(w in r["unit"].lower() for w in APPROX_WORDS) or not value
        out.append(
            {
                "metric": r["metric"].strip(),
                "year": year,
                "value": value,
                "value_text": text,
                "unit": r["unit"].strip(),
                "available_from": available_from(r["metric"].strip(), year),
                "approximate": "true" if approx else "false",
                "source_url": r["source_url"].strip(),
                "confidence": r["confidence"] if r["confidence"] in CONFIDENCE else "low",
            }
        )
    for row in out:
        row.update(fixes.METRIC_FIXES.get((row["metric"], row["year"]), {}))
    out += [{**m, "year": int(m["year"])} for m in fixes.EXTRA_METRICS]
    return out


def build_documents(ref: Path) -> list[dict]:
    out = []
    for r in csv.DictReader(open(ref / "policy_documents.csv", encoding="utf-8")):
        number = r["fr_document_number"].strip()
        if not number:  # CMS-0062-P: only its citation is known; key it by that, marked.
            number = "FR-" + r["fr_citation"].replace(" ", "")
        row = {
            **r,
            "document_number": number,
            "citation": r["fr_citation"],
            **fixes.DOCUMENT_FIXES.get(r["key"], {}),
            **fixes.DOCUMENT_FIXES.get(number, {}),
        }
        out.append(document_row(row))
    out += [document_row(d) for d in fixes.EXTRA_DOCUMENTS]
    out.sort(key=lambda d: (d["publication_date"], d["document_number"]))
    return out


def document_row(r: dict[str, str]) -> dict[str, str]:
    """One policy_documents.csv row; ``html_url`` is the record's own page."""
    number = r["document_number"]
    if re.fullmatch(r"(\d{4}-\d{5}|E\d-\d+)", number):
        html = f"https://www.federalregister.gov/d/{number}"
    else:  # a CMS or AMA issuance: its first source is the page to check
        html = r["source_url"].split(" | ")[0]
    return {
        "key": r["key"],
        "document_number": number,
        "citation": r["citation"],
        "type": r["type"],
        "title": r["title"],
        "agency": r["agency"],
        "file_code": r["file_code"],
        "rin": r["rin"],
        "publication_date": r["publication_date"],
        "effective_date": r["effective_date"],
        "comments_close_date": r["comments_close_date"],
        "cfr_parts": r["cfr_parts"],
        "summary": r["summary"],
        "source_url": r["source_url"],
        "html_url": html,
        "confidence": r["confidence"],
    }


def build_roles(ref: Path) -> list[dict]:
    out = []
    for r in csv.DictReader(open(ref / "roles.csv", encoding="utf-8")):
        out.append(  # noqa: PERF401
            {
                "role_key": r["role_key"],
                "title": r["role_title"],
                "soc": r["soc_2018"],
                "onet_soc": r["onet_soc"],
                "onet_title": r["onet_title"],
                "employment": r["oews_employment"],
                "median_wage": r["oews_median_wage"],
                "wage_year": r["oews_year"],
                "projection_pct": r["projection_pct_change"],
                "projection_period": r["projection_period"],
                "annual_openings": r["annual_openings"],
                "entry_education": r["entry_education"],
                "certifications": r["certifications"],
                "source_url": r["source_urls"],
                "confidence": r["confidence"],
            }
        )
    return out


def write(name: str, rows: list[dict]) -> None:
    path = DATA / name
    with open(path, "w", newline="", encoding="utf-8") as fh:
        w = csv.DictWriter(fh, fieldnames=list(rows[0]), lineterminator="\n")
        w.writeheader()
        w.writerows(rows)
    print(f"wrote {path.relative_to(ROOT)}: {len(rows)} rows")


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--reference", type=Path, default=ROOT.parent / "shared" / "reference")
    ap.add_argument("--samples", type=Path, default=ROOT.parent / "shared" / "samples")
    args = ap.parse_args()
    codes, approx_values = build_codes(args.reference)
    documents = build_documents(args.reference)
    date_quoted_values(approx_values, documents)
    code_set = {c["code"] for c in codes}
    fs = args.samples / "fee_schedule"
    exact = rvu_values(
        fs / "PPRRVU2026_Jul_nonQPP.csv", code_set, 2026, "CMS RVU26C PPRRVU2026_Jul_nonQPP.csv"
    )
    exact += rvu_values(
        fs / "PPRRVU2025_Oct_sample.csv", code_set, 2025, "CMS RVU25D PPRRVU2025_Oct.csv (excerpt)"
    )
    have = {(v["code"], v["year"], v["setting"]) for v in exact}
    values = exact + [v for v in approx_values if (v["code"], v["year"], v["setting"]) not in have]
    values += final_rule_values(exact, documents)
    values.sort(key=lambda v: (v["code"], int(v["year"]), v["setting"], v["available_from"]))
    write("billing_codes.csv", codes)
    write("code_values.csv", values)
    write("program_metrics.csv", build_metrics(args.reference))
    write("policy_documents.csv", documents)
    write("roles.csv", build_roles(args.reference))


if __name__ == "__main__":
    main()
