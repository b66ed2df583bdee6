"""Context rules for billing-code mentions, one table row per rule, on real FR sentences.

Sentences are quoted from the fixture rules (tests/fixtures/extract/) and the 2016-04-15 GPO
daily issue (shared samples); the few marked ``constructed`` show a rule no fixture exercises.
"""

from __future__ import annotations

import pytest

from payforce.extract.codes import code_system, iter_code_candidates, judge_code_mentions


def _verdicts(sentence: str) -> dict[str, tuple[bool, str]]:
    return {m.code: (m.accepted, m.reason) for m in judge_code_mentions(sentence)}


ACCEPTED = [
    # (sentence, code, reason)
    (
        "In May 2023, the CPT Editorial Panel approved a new bundled code (CPT code 25448) to "
        "report intercarpal or carpometacarpal joint suspension arthroplasty.",
        "25448",
        "cpt_word",
    ),
    (
        "The RUC recommended four different work RVUs for codes 38225, 38226, 38227, and 38228 and "
        "only recommended direct PE values for code 38228.",
        "38225",
        "code_word",
    ),
    ("This new code replaces the existing Category III code 0398T.", "0398T", "cpt_word"),
    (
        "In Addendum B, due to a typographical error, the Global indicator for HCPCS code G0560 "
        "was incorrect.",
        "G0560",
        "cpt_word",
    ),
    (
        "On page 97767, we inadvertently made a typographical error in the 2025 Facility Fee for "
        "Q3014.",
        "Q3014",
        "distinctive_shape",
    ),
]


@pytest.mark.parametrize(("sentence", "code", "reason"), ACCEPTED)
def test_judge_accepts_codes_in_code_context(sentence: str, code: str, reason: str) -> None:
    assert _verdicts(sentence)[code] == (True, reason)


REJECTED = [
    # (sentence, token, veto)
    (
        "The CY 2025 PFS final rule (89 FR 97710), there were technical errors.",
        "97710",
        "fr_citation",
    ),
    ("On page 97804, we inadvertently mischaracterized a public comment.", "97804", "page_number"),
    (
        "On pages, 98119, 98121, 98128, 98129, 98130, and 98131 we inadvertently included a former "
        "measure title.",
        "98119",
        "page_number",
    ),
    (
        "In FR Doc. 2024-25382 of December 9, 2024, the CY 2025 PFS final rule",
        "25382",
        "fr_document_number",
    ),
    (
        "§ 414.1325, 414.1335, 414.1365 Quality Payment Program\t0938-1314 (CMS-10621)",
        "10621",
        "identifier",
    ),
    (
        "Therefore in Addendum B, column L, row 13679, the Global indicator for HCPCS code G0560 "
        "that reads “ZZZ” is corrected to read “YYY”.",
        "13679",
        "table_row_or_line",
    ),
    (
        "Federal Deposit Insurance Corporation, 550 17th Street NW., Washington, DC 20429.",
        "20429",
        "geographic_code",
    ),
    (
        "c/o Alston & Bird, LLP, 950 F Street NW., Washington, DC 20004-1404, had jointly filed",
        "20004",
        "geographic_code",
    ),
    (
        "the contiguous CBSAs: CBSA 13900-Bismark, ND, CBSA 22020-Fargo, ND-MN",
        "13900",
        "geographic_code",
    ),
    (
        "Lamar County would be redesignated into the Rural Georgia Code 99911.",
        "99911",
        "geographic_code",
    ),
    ("Massachusetts is comprised of FIPS code 25007 Dukes County", "25007", "geographic_code"),
    (
        "we have prepared a regulatory impact analysis as required by Executive Order 12866 on "
        "Regulatory Planning and Review",
        "12866",
        "executive_order",
    ),
    (
        "We are finalizing as proposed this provision to implement section 11401 of the Inflation "
        "Reduction Act of 2022 (IRA)",
        "11401",
        "statute_or_cfr_section",
    ),
    (
        "One noted the item A1805, “Admitted From and thought it should be revised.",
        "A1805",
        "assessment_item",
    ),
    (
        "which states that “Depending upon responses to J2051. Symptom Impact, at Admission and the "
        "two HUV timepoints, up to three symptom follow-up visits may be required over the HOPE "
        "v1.0 timeline.",
        "J2051",
        "assessment_item",
    ),
    ("JAMA.2014;312(18): 1888-1896. doi:10.1001/jama.2014.14950.", "14950", "number_part"),
    (
        "in the Central Records Unit, Room B8024 of the main Department of Commerce building",
        "B8024",
        "building_or_room",
    ),
    # constructed: a dollar amount, a decimal and a ZIP+4 after the number
    ("The payment rate is $12345 per episode.", "12345", "dollar_amount"),
    ("the total was 12345.67 for the year", "12345", "number_part"),
    ("Baltimore, Maryland 21244-1850.", "21244", "zip_or_phone"),
    ("Sections 11001 and 11002 of the IRA direct the Secretary", "11001", "statute_or_cfr_section"),
    (
        "the wage index for rural area 99935, North Dakota, we proposed to use",
        "99935",
        "geographic_code",
    ),
    ("In the FY 2025 hospice rule 12345 hospices reported", "12345", "no_code_context"),
]


@pytest.mark.parametrize(("sentence", "token", "veto"), REJECTED)
def test_judge_rejects_lookalikes_with_their_reason(sentence: str, token: str, veto: str) -> None:
    assert _verdicts(sentence)[token] == (False, veto)


def test_judge_lists_and_ranges_inherit_the_first_verdict() -> None:
    codes = _verdicts(
        "(2) Hand, Wrist, & Forearm Repair & Recon (CPT Codes 25310, 25447, 25448, and 26480)"
    )
    assert all(accepted for accepted, _ in codes.values()) and len(codes) == 4
    assert codes["26480"] == (True, "list:cpt_word")
    pages = _verdicts("On page 98248, 98253, 98258, and 98308, we made technical errors.")
    assert pages["98308"] == (False, "list:page_number")
    ranges = _verdicts("the CPT Editorial Panel deleted four category III codes (0537T-0540T)")
    assert ranges == {"0537T": (True, "cpt_word"), "0540T": (True, "list:cpt_word")}


def test_judge_reads_lists_across_descriptors() -> None:
    sentence = (
        "In the CY 2024 PFS final rule, we finalized CPT codes 36514 ( Therapeutic "
        "apheresis; for plasma pheresis ), 36516 ( Therapeutic apheresis; with "
        "extracorporeal immunoadsorption (eg, tendon) ), and 36522 ( Photopheresis ) "
    )
    assert [m.code for m in judge_code_mentions(sentence) if m.accepted] == [
        "36514",
        "36516",
        "36522",
    ]


@pytest.mark.parametrize(
    ("sentence", "payable"),
    [
        ("We proposed the RUC-recommended work RVU of 1.20 for CPT code 59200.", True),
        ("HCPCS codes G0564 and G0565 are contractor priced and effective January 1, 2025.", True),
        ("CPT codes 0537T-0539T, are currently not payable under the PFS.", False),
        (
            "In September 2022, the RUC referred CPT codes 26480 and 25447 to the CPT Editorial "
            "Panel for a code bundling solution.",
            False,
        ),
    ],
)
def test_judge_marks_payment_context(sentence: str, payable: bool) -> None:
    mentions = [m for m in judge_code_mentions(sentence) if m.accepted]
    assert mentions and all(m.payable is payable for m in mentions)


@pytest.mark.parametrize(
    ("text", "tokens"),
    [
        ("CPT 99490, 0537T, G2211 and 1234F", ["99490", "0537T", "G2211", "1234F"]),
        ("years 2024 and 2025, RIN 0938-AV33, SD366, L056A, 123456, D0120, 1860D-2", []),
        ("“99490” (99491) 99492.", ["99490", "99491", "99492"]),
        ("§ 423.2267 and ZIP 20201—99490", ["20201", "99490"]),
    ],
)
def test_iter_code_candidates_finds_only_code_shapes(text: str, tokens: list[str]) -> None:
    assert [text[s:e] for s, e in iter_code_candidates(text)] == tokens


@pytest.mark.parametrize(
    ("code", "system"),
    [
        ("99490", "CPT Category I"),
        ("0537T", "CPT Category III"),
        ("1234F", "CPT Category II"),
        ("G0556", "HCPCS Level II"),
    ],
)
def test_code_system_from_shape(code: str, system: str) -> None:
    assert code_system(code) == system


# constructed, in the GPOTABLE layout of the CY 2025 PFS final rule (BOXHD headings, then rows)
TABLE_XML = """<GPOTABLE COLS="3" OPTS="L2,tp0,i1" CDEF="s50,r50,10">
<TTITLE>Table 20—CY 2025 Work RVUs for New, Revised, and Potentially Misvalued Codes</TTITLE>
<BOXHD><CHED H="1">HCPCS</CHED><CHED H="1">Descriptor</CHED><CHED H="1">Page</CHED></BOXHD>
<ROW><ENT I="01">25310</ENT><ENT>Tendon transplant/transfer</ENT><ENT>97777</ENT></ROW>
<ROW><ENT I="01">49186</ENT><ENT>Exc/dstrj intra-abdominal tumor</ENT><ENT>97780</ENT></ROW>
</GPOTABLE>"""


def test_judge_reads_codes_from_a_code_column_of_a_table() -> None:
    from payforce.extract import parse_fulltext

    text = parse_fulltext(TABLE_XML, "gpo_xml").text
    assert "HCPCS\tDescriptor\tPage\n25310\t" in text
    verdicts = [(m.code, m.accepted, m.reason) for m in judge_code_mentions(text)]
    assert verdicts == [
        ("25310", True, "table_column"),
        ("97777", False, "no_code_context"),
        ("49186", True, "table_column"),
        ("97780", False, "no_code_context"),
    ]
