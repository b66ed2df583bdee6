"""Corrections and additions to the team's reference files, applied by build_snapshot.py.

``shared/reference`` is read-only input; what we found wrong or missing there is fixed here, each
change with the source that shows it (checked with the search tool, 2026-12-06). The list is
summarised in src/payforce/data/MANIFEST.md.
"""

from __future__ import annotations

FR = "https://www.federalregister.gov/d/"

# Field overrides for reference documents, by the reference's document number (or its key).
DOCUMENT_FIXES: dict[str, dict[str, str]] = {
    "cms0062_proposed": {
        # federalstatelaw.com/federal-register/2026-07205; frierlevitt.com (published 2026-04-14)
        "document_number": "2026-07205",
        "summary": "Would carry the 2024 electronic prior-authorization requirements over to "
        "prescription drugs, add FF-SHOP small-group QHP issuers, set drug PA decision "
        "timeframes (24 hours urgent, 72 hours standard), require reporting of API endpoints "
        "and adopt HL7 FHIR implementation guides; most provisions would start 2027-10-01. "
        "Displayed 2026-04-10. RIN not confirmed.",
        "source_url": FR + "2026-07205 | https://www.frierlevitt.com/articles/"
        "cms-electronic-prior-authorization-drugs-proposed-rule-2026/",
    },
    "2014-15948": {
        # Separate CCM payment from 2015 was finalised in the CY2014 rule (2013-28696); the CY2015
        # proposal valued it (about $42 a month, McDonald Hopkins 2014-11-03) under a G-code.
        "summary": "Annual 2015 physician payment proposal. Proposed the value (about $42 a "
        "month) and billing rules of the separately paid chronic care management service that "
        "the CY 2014 final rule (2013-28696) had adopted for 2015, still as a G-code; the final "
        "rule later adopted CPT 99490 instead. Comment close date not confirmed.",
    },
    "2019-16041": {
        "rin": "0938-AT72",  # govinfo (audit table 2b row 14)
        "summary": "2020 payment proposal introducing principal care management for patients "
        "with one serious chronic condition and more billable care-management time. Comment "
        "date from a CPA-firm summary.",
    },
    "2020-26815": {
        "file_code": "CMS-1734-F; CMS-1734-IFC; CMS-1744-F; CMS-1736-F; CMS-5531-F",
        "rin": "0938-AU10",  # justia 2021-00805 (correction of this rule) names both
        "summary": "2021 fee schedule; CPT 99439 replaced the stopgap G2058 as the add-on for "
        "extra non-complex CCM time. The rule set a conversion factor of $32.4085 (displayed "
        "2020-12-01); the Consolidated Appropriations Act of 2020-12-27 raised it to $34.8931 "
        "(announced by CMS about 2021-01-06). Effective date inferred from calendar-year scope.",
    },
    "2023-24184": {
        "file_code": "CMS-1784-F",  # McDermott+ (audit table 2b row 16)
        "summary": "2024 fee schedule; among other things it widened the RHC/FQHC general "
        "care-management code G0511 to take in RPM, RTM, community health integration and "
        "principal illness navigation, and valued new Category I code 75580 (AI-derived FFR-CT). "
        "FR citation, RIN and CFR parts not captured (unconfirmed).",
    },
    "2023-28857": {
        # 2024-02519 (2024-02-08) corrected the effective date; federal.elaws.us 89 FR 8548
        "effective_date": "2024-03-11",
        "summary": "Announced 2023-12-13. Replaced the old CDS criterion with the decision "
        "support interventions criterion 170.315(b)(11), which makes certified EHR developers "
        "disclose source attributes for predictive (AI/ML) DSIs and manage their risks; "
        "developers had to ship it by 2024-12-31 and it joined the Base EHR definition "
        "2025-01-01; USCDI v3 becomes the baseline 2026-01-01. Effective date as corrected by "
        "2024-02519 (published 2024-02-08; the rule as printed said 2024-02-08).",
    },
    "2022-23873": {
        # "(later refined in the 2024 and 2025 rules)" told a 2022 reader about later rules.
        "summary": "2023 fee schedule; per CMS, this rule created MSSP advance investment "
        "payments for new, low-revenue ACOs. Effective date not seen (unconfirmed).",
    },
}


def _doc(**kw: str) -> dict[str, str]:
    base = {
        "citation": "",
        "agency": "CMS (HHS)",
        "file_code": "",
        "rin": "",
        "effective_date": "",
        "comments_close_date": "",
        "cfr_parts": "",
        "confidence": "high",
    }
    return {**base, **kw}


PFS = "Medicare Program; Revisions to Payment Policies Under the Physician Fee Schedule"

# Documents the reference leaves out (audit table 1c / 2a), each checked against the FR text.
EXTRA_DOCUMENTS: list[dict[str, str]] = [
    _doc(
        key="ehr_incentive_final_2010",
        document_number="2010-17207",
        citation="75 FR 44314",
        type="Rule",
        title="Medicare and Medicaid Programs; Electronic Health Record Incentive Program",
        file_code="CMS-0033-F",
        rin="0938-AP78",
        publication_date="2010-07-28",
        cfr_parts="42 CFR 412; 413; 422; 495",
        summary="HITECH Stage 1 final rule: criteria eligible professionals, hospitals and "
        "critical access hospitals must meet to earn Medicare and Medicaid incentive payments "
        "for adopting and meaningfully using certified EHR technology, the payment amounts, and "
        "the Medicare payment adjustments for those who do not.",
        source_url="https://www.govinfo.gov/content/pkg/FR-2010-07-28/html/2010-17207.htm",
    ),
    _doc(
        key="pfs_cy2013_final",
        document_number="2012-26900",
        citation="77 FR 68892",
        type="Rule",
        title=PFS + ", DME Face-to-Face Encounters, Elimination of the Requirement for "
        "Termination of Non-Random Prepayment Complex Medical Review and Other Revisions to "
        "Part B for CY 2013",
        file_code="CMS-1590-FC",
        rin="0938-AR11",
        publication_date="2012-11-16",
        effective_date="2013-01-01",
        cfr_parts="42 CFR 410; 414; 415; 421; 423; 425; 486; 495",
        summary="2013 fee schedule; began paying transitional care management after a "
        "hospital or facility discharge (CPT 99495, 99496).",
        source_url="https://www.govinfo.gov/content/pkg/FR-2012-11-16/html/2012-26900.htm",
    ),
    _doc(
        key="pfs_cy2014_proposed",
        document_number="2013-16547",
        citation="78 FR 43282",
        type="Proposed Rule",
        title=PFS + ", Clinical Laboratory Fee Schedule & Other Revisions to Part B for CY 2014",
        file_code="CMS-1600-P",
        rin="0938-AR56",
        publication_date="2013-07-19",
        comments_close_date="2013-09-06",
        cfr_parts="42 CFR 405; 410; 411; 414; 423; 425",
        summary="2014 payment proposal; proposed separate payment, from 2015, for "
        "non-face-to-face complex chronic care management of patients with two or more "
        "significant chronic conditions (two G-codes, one per 90 days).",
        source_url="http://www.gpo.gov/fdsys/pkg/FR-2013-07-19/html/2013-16547.htm | "
        "https://www.annfammed.org/content/11/5/486",
    ),
    _doc(
        key="pfs_cy2014_final",
        document_number="2013-28696",
        citation="78 FR 74230",
        type="Rule",
        title=PFS + ", Clinical Laboratory Fee Schedule & Other Revisions to Part B for CY 2014",
        file_code="CMS-1600-FC",
        rin="0938-AR56",
        publication_date="2013-12-10",
        effective_date="2014-01-01",
        summary="2014 fee schedule; adopted separate monthly payment for chronic care "
        "management from 2015-01-01 (the CY 2015 rules set its value and code).",
        source_url="https://regulations.justia.com/regulations/fedreg/2013/12/10/2013-28696.html"
        " | https://mcdonaldhopkins.com/Insights/Blog/Healthcare-Prescriptions/2014/11/03/"
        "cms-revises-chronic-care-management-policy",
    ),
    _doc(
        key="pfs_cy2016_final",
        document_number="2015-28005",
        citation="80 FR 70886",
        type="Rule",
        title=PFS + " and Other Revisions to Part B for CY 2016",
        file_code="CMS-1631-FC",
        rin="0938-AS40",
        publication_date="2015-11-16",
        effective_date="2016-01-01",
        comments_close_date="2015-12-29",
        cfr_parts="42 CFR 405; 410; 411; 414; 425; 495",
        summary="2016 fee schedule; began paying advance care planning (CPT 99497, 99498).",
        source_url="https://thefederalregister.org/80-FR/70885",
    ),
    _doc(
        key="pfs_cy2017_proposed",
        document_number="2016-16097",
        citation="81 FR 46162",
        type="Proposed Rule",
        title=PFS + " and Other Revisions to Part B for CY 2017; Medicare Advantage Pricing "
        "Data Release; Medicare Advantage and Part D Medical Low Ratio Data Release; Medicare "
        "Advantage Provider Network Requirements; Expansion of Medicare Diabetes Prevention "
        "Program Model",
        file_code="CMS-1654-P",
        rin="0938-AS81",
        publication_date="2016-07-15",
        cfr_parts="42 CFR 405; 410; 411; 414; 417; 422; 423; 424; 425; 460",
        summary="2017 payment proposal; proposed paying behavioral health integration "
        "(psychiatric collaborative care and general BHI G-codes) and complex chronic care "
        "management (CPT 99487, 99489).",
        source_url="https://www.gpo.gov/fdsys/pkg/FR-2016-07-15/html/2016-16097.htm",
        confidence="medium",
    ),
    _doc(
        key="pfs_cy2017_final",
        document_number="2016-26668",
        citation="81 FR 80170",
        type="Rule",
        title=PFS + " and Other Revisions to Part B for CY 2017; Medicare Advantage Bid "
        "Pricing Data Release; Medicare Advantage and Part D Medical Loss Ratio Data Release; "
        "Medicare Advantage Provider Network Requirements; Expansion of Medicare Diabetes "
        "Prevention Program Model; Medicare Shared Savings Program Requirements",
        file_code="CMS-1654-F",
        rin="0938-AS81",
        publication_date="2016-11-15",
        effective_date="2017-01-01",
        cfr_parts="42 CFR 405; 410; 411; 414; 417; 422; 423; 424; 425; 460",
        summary="2017 fee schedule; began paying behavioral health integration under G-codes "
        "G0502-G0504 (psychiatric collaborative care) and G0507 (general BHI), and complex "
        "chronic care management (CPT 99487, 99489).",
        source_url="https://www.gpo.gov/fdsys/pkg/FR-2016-11-15/html/2016-26668.htm",
    ),
    _doc(
        key="pfs_cy2018_proposed",
        document_number="2017-14639",
        citation="82 FR 33950",
        type="Proposed Rule",
        title=PFS + " and Other Revisions to Part B for CY 2018; Medicare Shared Savings "
        "Program Requirements; and Medicare Diabetes Prevention Program",
        file_code="CMS-1676-P",
        rin="0938-AT02",
        publication_date="2017-07-21",
        cfr_parts="42 CFR 405; 410; 414; 424; 425",
        summary="2018 payment proposal.",
        source_url="https://thefederalregister.org/82-FR/33950",
    ),
    _doc(
        key="pfs_cy2018_final",
        document_number="2017-23953",
        citation="82 FR 52976",
        type="Rule",
        title=PFS + " and Other Revisions to Part B for CY 2018; Medicare Shared Savings "
        "Program Requirements; and Medicare Diabetes Prevention Program",
        file_code="CMS-1676-F",
        rin="0938-AT02",
        publication_date="2017-11-15",
        effective_date="2018-01-01",
        cfr_parts="42 CFR 405; 410; 414; 424; 425",
        summary="2018 fee schedule; the behavioral health integration G-codes became CPT "
        "99484 and 99492-99494, remote physiologic data review 99091 was paid separately, and "
        "RHCs and FQHCs got a general care-management code G0511 (codes from their first paid "
        "year; the rule's text on each was not read here).",
        source_url="https://www.govinfo.gov/content/pkg/FR-2017-11-15/html/2017-23953.htm",
        confidence="medium",
    ),
    _doc(
        key="pfs_cy2019_proposed",
        document_number="2018-14985",
        citation="83 FR 35704",
        type="Proposed Rule",
        title=PFS + " and Other Revisions to Part B for CY 2019; Medicare Shared Savings "
        "Program Requirements; Quality Payment Program; and Medicaid Promoting "
        "Interoperability Program",
        file_code="CMS-1693-P",
        rin="0938-AT31",
        publication_date="2018-07-27",
        cfr_parts="42 CFR 405; 410; 411; 414; 415; 495",
        summary="2019 payment proposal; proposed paying remote physiologic monitoring, "
        "practitioner-time chronic care management and brief virtual check-ins.",
        source_url="https://www.govinfo.gov/content/pkg/FR-2018-07-27/html/2018-14985.htm",
    ),
    # Not Federal Register documents: the CMS or AMA issuance that made a code payable or
    # billable. Dated by the code's effective date where the earlier release date is unknown,
    # so that no replay sees them early.
    _doc(
        key="opps_2026_04_update",
        document_number="CMS-OPPS-2026-04",
        type="CMS release",
        title="April 2026 update of the Hospital Outpatient Prospective Payment System "
        "(new HCPCS code G0680, APC 1492)",
        publication_date="2026-04-01",
        effective_date="2026-04-01",
        summary="Quarterly OPPS update that added G0680 (algorithmic coronary artery and "
        "aortic valve calcium analysis on chest CT), about $15.50 under APC 1492. The change "
        "request number and release date were not confirmed; dated by its effective date.",
        source_url="https://www.cms.gov/medicare/payment/prospective-payment-systems/"
        "hospital-outpatient | https://healthcareaiinsights.com/regulatory-policy/"
        "cms-ai-reimbursement-policy-coverage-decisions-ai-assisted-diagnostics",
        confidence="low",
    ),
    _doc(
        key="cpt_cat3_2022_07",
        document_number="AMA-CPT3-2022-07",
        agency="AMA CPT Editorial Panel",
        type="CPT release",
        title="CPT Category III codes effective 2022-07-01 (incl. 0721T, 0722T quantitative "
        "CT tissue characterization)",
        publication_date="2022-07-01",
        effective_date="2022-07-01",
        summary="Category III codes 0721T and 0722T took effect 2022-07-01. Medicare has no "
        "national value for them: contractors price claims. Dated by the effective date (the "
        "AMA posts Category III codes about six months earlier; that date was not confirmed).",
        source_url="https://www.ama-assn.org/practice-management/cpt/category-iii-codes | "
        "https://aapc.com/codes/coding-newsletters/my-radiology-coding-alert/"
        "2022-updates-4-new-ct-and-mr-category-iii-cpt-codes-take-effect-july-1-172354-article",
        confidence="medium",
    ),
    _doc(
        key="cpt_2026",
        document_number="AMA-CPT-2026",
        agency="AMA CPT Editorial Panel",
        type="CPT release",
        title="CPT 2026 code set (288 new codes, incl. Category III AI codes 0972T, 0992T, 0993T)",
        publication_date="2025-09-11",
        effective_date="2026-01-01",
        summary="The AMA released the CPT 2026 code set on 2025-09-11. Its Category III codes "
        "(e.g. 0972T burn imaging, 0992T/0993T perivascular fat analysis) have no national "
        "Medicare value: contractors price them (no RVUs in RVU26A).",
        source_url="https://www.ama-assn.org/practice-management/cpt/category-iii-codes | "
        "https://www.techtarget.com/revcyclemanagement/news/366630633/"
        "AMA-releases-CPT-2026-code-set-adds-codes-for-health-AI",
        confidence="medium",
    ),
]

# Billing-code changes: (code → field overrides) and new codes.
CODE_FIXES: dict[str, dict[str, str]] = {
    "0992T": {
        "description": "Software analysis of perivascular (pericoronary) fat combined with "
        "clinical data to estimate cardiac event risk, interpreted and reported by a clinician; "
        "0993T is its add-on companion reported with a cardiac CT",
        "source_url": "https://www.openpayer.com/billing-codes/"
        "cpt-0992t-perivascular-fat-analysis-cardiac-risk-assessment",
    },
}
EXTRA_CODES: list[dict[str, str]] = [
    {
        "code": "75580",
        "family": "ai_ffr_ct",
        "first_paid_year": "2024",
        "first_paid_date": "",
        "description": "AI-derived (augmentative software) estimate of coronary fractional "
        "flow reserve from a coronary CT angiogram, with interpretation and report; replaced "
        "Category III 0501T-0504T",
        "threshold": "per study",
        "performer": "physician interprets software output",
        "status_note": "",
        "source_url": "https://www.keyamedical.com/deepvessel-ct-ffr-transitions-code-75580/",
        "confidence": "medium",
    },
    {
        "code": "0993T",
        "family": "ai_perivascular",
        "first_paid_year": "2026",
        "first_paid_date": "",
        "description": "Add-on to 0992T: the perivascular fat risk analysis when reported with "
        "a cardiac CT in the same session",
        "threshold": "per study",
        "performer": "QHP interprets software output",
        "status_note": "",
        "source_url": "https://www.ama-assn.org/practice-management/cpt/category-iii-codes",
        "confidence": "low",
    },
]

# Program metrics: (metric, year) → overrides of the built row; EXTRA_METRICS are added rows.
# Conversion factors are dated by the act or rule that set them (its FR publication, or the
# day CMS announced a statute's new value); study figures by the study's publication.
OIG_RPM = (
    "https://oig.hhs.gov/reports/all/2024/"
    "additional-oversight-of-remote-patient-monitoring-in-medicare-is-needed/"
)
ONC_BRIEF = "https://www.healthit.gov/sites/default/files/pdf/0512_ONCDataBrief2_JobPostings.pdf"
JANG_2024 = "https://pubmed.ncbi.nlm.nih.gov/38979879/"  # JAGS, Epub 2024-07-09
AGARWAL = "https://pmc.ncbi.nlm.nih.gov/articles/PMC6354932"
AGARWAL_NOTE = (
    "research letter on 2012-2016 claims; publication date not confirmed (probably JAMA "
    "2018;320(24), 2018-12-25), dated then"
)
METRIC_FIXES: dict[tuple[str, int], dict[str, str]] = {
    ("pfs_conversion_factor", 2015): {
        "available_from": "2014-11-13",
        "source_url": FR + "2014-26183",
    },
    ("pfs_conversion_factor", 2019): {
        "available_from": "2018-11-23",
        "source_url": FR + "2018-24170",
    },
    ("pfs_conversion_factor", 2020): {
        "available_from": "2019-11-15",
        "source_url": FR + "2019-24086",
    },
    ("pfs_conversion_factor", 2021): {
        # CAA 2021 (2020-12-27); CMS announced the recalculated CF about 2021-01-06 (ASCO)
        "available_from": "2021-01-06",
        "unit": "USD per RVU (recalculated after the Consolidated Appropriations Act, 2021)",
        "source_url": "https://www.asco.org/practice-policy/policy-issues-statements/"
        "asco-in-action/medicare-physician-fee-schedule-conversion",
    },
    ("pfs_conversion_factor", 2022): {
        "available_from": "2021-11-19",
        "unit": "USD per RVU (as finalised; replaced by 34.6062 after S. 610)",
        "source_url": FR + "2021-23972",
    },
    ("pfs_conversion_factor", 2025): {
        "available_from": "2024-12-09",
        "source_url": FR + "2024-25382",
    },
    ("pfs_conversion_factor_non_qp", 2026): {
        "available_from": "2025-11-05",
        "source_url": FR + "2025-19787",
    },
    ("pfs_conversion_factor_qp", 2026): {
        "available_from": "2025-11-05",
        "source_url": FR + "2025-19787",
    },
    ("pfs_anesthesia_conversion_factor_non_qp", 2026): {
        "available_from": "2025-11-05",
        "source_url": FR + "2025-19787",
    },
    ("pfs_efficiency_adjustment", 2026): {
        "available_from": "2025-11-05",
        "source_url": FR + "2025-19787",
    },
    ("pfs_conversion_factor_proposed_non_qp", 2026): {
        "available_from": "2025-07-16",
        "source_url": FR + "2025-13271",
    },
    ("pfs_conversion_factor_proposed_qp", 2026): {
        "available_from": "2025-07-16",
        "source_url": FR + "2025-13271",
    },
    ("ccm_share_of_eligible_receiving", 2015): {
        "available_from": "2024-07-09",
        "source_url": JANG_2024,
    },
    ("ccm_share_of_eligible_receiving", 2019): {
        "available_from": "2024-07-09",
        "source_url": JANG_2024,
    },
    ("ccm_share_of_eligible_receiving_20pct_sample", 2015): {
        "available_from": "2018-12-25",
        "confidence": "low",
        "unit": "percent of eligible beneficiaries (20% FFS sample, code 99490; "
        + AGARWAL_NOTE
        + ")",
    },
    ("ccm_share_of_eligible_receiving_20pct_sample", 2016): {
        "available_from": "2018-12-25",
        "confidence": "low",
        "unit": "percent of eligible beneficiaries (110,197 in 20% sample; " + AGARWAL_NOTE + ")",
    },
    ("tcm_share_of_eligible_receiving", 2013): {
        "available_from": "2018-12-25",
        "confidence": "low",
    },
    ("tcm_share_of_eligible_receiving", 2016): {
        "available_from": "2018-12-25",
        "confidence": "low",
    },
    ("ccm_beneficiaries_medicare_estimate", 2015): {
        # J Gen Intern Med article of 2018 (DOI 10.1007/s11606-018-...); day not confirmed
        "available_from": "2018-12-31",
        "confidence": "low",
    },
    # ONC Data Brief No. 2 (file 0512_...: May 2012); before, the 2009 value sat at 2010-06-30
    ("health_it_job_postings_per_month", 2009): {
        "available_from": "2012-05-31",
        "source_url": ONC_BRIEF,
    },
    ("health_it_job_postings_per_month", 2012): {
        "available_from": "2012-05-31",
        "source_url": ONC_BRIEF,
    },
    ("rpm_medicare_enrollees", 2019): {"source_url": OIG_RPM},
    ("rpm_medicare_enrollees", 2022): {"source_url": OIG_RPM},
    ("rpm_medicare_payments", 2019): {"source_url": OIG_RPM},
    ("rpm_medicare_payments", 2022): {"source_url": OIG_RPM},
    ("rpm_avg_payment_per_enrollee", 2019): {"source_url": OIG_RPM},
    ("rpm_avg_payment_per_enrollee", 2022): {"source_url": OIG_RPM},
    ("rpm_share_for_chronic_conditions", 2022): {"source_url": OIG_RPM},
}
EXTRA_METRICS: list[dict[str, str]] = [
    {
        "metric": "pfs_conversion_factor",
        "year": "2021",
        "value": "32.4085",
        "value_text": "32.4085",
        "unit": "USD per RVU (as finalised; replaced by 34.8931 after the Consolidated "
        "Appropriations Act, 2021)",
        "available_from": "2020-12-28",
        "approximate": "false",
        "source_url": FR + "2020-26815",
        "confidence": "high",
    },
    {
        "metric": "pfs_conversion_factor",
        "year": "2022",
        "value": "34.6062",
        "value_text": "34.6062",
        "unit": "USD per RVU (recalculated after S. 610, the Protecting Medicare and American "
        "Farmers from Sequester Cuts Act)",
        "available_from": "2021-12-16",
        "approximate": "false",
        "source_url": "https://www.mcdermottplus.com/insights/cms-updates-cy-2022-physician-cf-34-6062/",
        "confidence": "high",
    },
]

# Values printed with a PFS final rule (Addendum B), public from the rule's FR publication, that
# we could check against sources written at the time (audit 2c; rvudoc, cptcodecalculator,
# remetric, humworld 2025-12-03: "about $47"). Where the checked value equals a later CMS file's
# (RVU25D / RVU26C) the RVUs are copied from it; 99454 and 99445 changed in July 2026 (RVU26C:
# 1.56 RVU, $52.11), so their final-rule RVUs are given here. Codes not listed get their year's
# values only from the CMS file's own release date (no replay sees them earlier).
FINAL_RULE_VALUES: list[dict[str, str]] = [
    {"code": c, "year": "2026", "copy_from": "RVU26C", "release": "2025-19787"}
    for c in ("99453", "99457", "99458", "99470", "99490")
] + [
    {"code": c, "year": "2025", "copy_from": "RVU25D", "release": "2024-25382"}
    for c in ("99453", "99454", "99457")
]
FINAL_RULE_RVUS: list[dict[str, str]] = [
    {
        "code": code,
        "year": "2026",
        "setting": "nonfacility",
        "work_rvu": "0.00",
        "pe_rvu": "1.41",
        "mp_rvu": "0.01",
        "total_rvu": "1.42",
        "conversion_factor": "33.4009",
        "payment": "47.43",
        "approximate": "false",
        "source": "CY2026 PFS final rule 2025-19787 (Addendum B), as quoted by rvudoc.com and "
        "cptcodecalculator.com; RVU26C (July 2026) later raised it to 1.56 RVU",
        "release": "2025-19787",
        "available_from": "2025-11-05",
    }
    for code in ("99454", "99445")
]
