"""The full-text reader and extract_provisions on real rule texts (GPO XML), HTML and plain text."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from payforce.extract import KINDS, extract, extract_provisions, parse_fulltext

FIXTURES = Path(__file__).parents[1] / "fixtures" / "extract"
CORRECTIONS = "FR_2025-08676_CY2025_PFS_corrections.xml"
PFS_EXCERPT = "FR_2024-25382_CY2025_PFS_final_rule_excerpt_II-E.xml"


def _read(name: str) -> str:
    path = FIXTURES / name
    if not path.exists():
        pytest.fail(f"missing fixture file {path}")
    return path.read_text(encoding="utf-8")


def test_parse_fulltext_gpo_xml_collapses_markup_and_maps_offsets_back() -> None:
    raw = _read(PFS_EXCERPT)
    full = parse_fulltext(raw, "gpo_xml")
    assert "<" not in full.text and "  " not in full.text
    assert "(2) Hand, Wrist, & Forearm Repair & Recon (CPT Codes 25310, 25447" in full.text
    # the descriptor in <E T="03"> joins its sentence; the page break does not split it
    assert "for CPT code 25310 ( Tendon transplantation or transfer" in full.text
    i = full.text.index("25448")
    j = full.source_offset(i)
    assert raw[j : j + 5] == "25448"
    assert [p for _, p in full.pages] == list(range(97777, 97784))
    assert full.page_at(0) == 97776 and full.page_at(len(full.text) - 1) == 97783


def test_parse_fulltext_reads_document_number_and_table_cells() -> None:
    full = parse_fulltext(_read(CORRECTIONS), "gpo_xml")
    assert [d[0] for d in full.documents] == ["2025-08676"]
    assert "0938-1314 (CMS-10621)\t41,195 Clinicians" in full.text


def test_parse_fulltext_html_and_plain_text() -> None:
    html = (
        "<div><p>We finalize <em>CPT&nbsp;code</em> 99490 "
        '<span class="printed-page-inline" id="page-20802">Start Printed Page 20802</span>'
        'effective January 1, 2015.</p><script>var x = "99491";</script><td>G2211</td></div>'
    )
    full = parse_fulltext(html, "html")
    assert full.text == "We finalize CPT\xa0code 99490 effective January 1, 2015.\nG2211"
    assert full.pages == ((len("We finalize CPT\xa0code 99490"), 20802),)
    text = "[[Page 20802]]\nWe pay CPT code 99490."
    plain = parse_fulltext(text, "text")
    assert plain.text == text and plain.pages == ((0, 20802),)
    with pytest.raises(ValueError, match="unknown full-text format 'pdf'"):
        parse_fulltext(text, "pdf")  # type: ignore[arg-type]


def test_extract_provisions_from_the_pfs_corrections() -> None:
    provisions = extract_provisions(_read(CORRECTIONS), document_number="2025-08676", fmt="gpo_xml")
    by_key = {(p.kind, p.subject): p for p in provisions}
    assert {p.kind for p in provisions} <= set(KINDS)
    assert len(by_key) == len(provisions)  # one provision per (kind, subject)
    g0564 = by_key[("code_payable", "G0564")]
    assert g0564.effective_date == date(2025, 1, 1)
    assert g0564.evidence_text == (
        "HCPCS codes G0564 and G0565 are contractor priced and effective January 1, 2025."
    )
    assert g0564.origin == "extracted" and g0564.document_number == "2025-08676"
    assert ("code_mention", "G0560") in by_key
    assert {s for k, s in by_key if k == "program"} == {"pfs", "part_d", "mssp"}
    assert by_key[("effective_date", "2025-05-16")].detail.startswith("effective date")
    # page numbers, the Addendum B row and the FR document number are not codes
    codes = {s for k, s in by_key if k.startswith("code_")}
    assert codes == {"Q3014", "G0560", "0446T", "0448T", "G0564", "G0565"}


def test_extract_provisions_evidence_spans_point_into_the_text() -> None:
    raw = _read(PFS_EXCERPT)
    result = extract(raw, document_number="2024-25382", fmt="gpo_xml")
    for p in result.provisions:
        assert p.start is not None and p.end is not None
        assert result.full.text[p.start : p.end] in p.evidence_text or p.evidence_text.startswith(
            "…"
        )
    p = next(p for p in result.provisions if p.subject == "49189")
    assert p.kind == "code_payable" and "FR page 97780" in p.detail


def test_extract_provisions_fills_family_from_bundled_codes() -> None:
    text = (
        "Beginning January 1, 2015, we will pay for CPT code 99490 under the PFS. "
        "Medicare Advantage plans must decide within 72 hours (42 CFR 422.572)."
    )
    provisions = extract_provisions(text, document_number="2014-26183")
    by_key = {(p.kind, p.subject): p for p in provisions}
    assert by_key[("code_payable", "99490")].family == "ccm"
    assert ("deadline", "72 hours") in by_key and ("program", "medicare_advantage") in by_key
    custom = extract_provisions(text, document_number="x", families={"99490": "custom"})
    assert next(p for p in custom if p.subject == "99490").family == "custom"


def test_extract_provisions_narrows_a_daily_issue_to_its_document() -> None:
    raw = (
        "<FEDREG><NOTICES><NOTICE><P>CPT code 99490 is paid.</P>"
        "<FRDOC>[FR Doc. 2016-00001 Filed 4-14-16; 8:45 am]</FRDOC></NOTICE>"
        "<NOTICE><P>We pay CPT code 99491.</P>"
        "<FRDOC>[FR Doc. 2016-00002 Filed 4-14-16; 8:45 am]</FRDOC></NOTICE></NOTICES></FEDREG>"
    )
    provisions = extract_provisions(raw, document_number="2016-00002", fmt="gpo_xml")
    assert [p.subject for p in provisions] == ["99491"]
    full = parse_fulltext(raw, "gpo_xml")
    p = provisions[0]
    assert p.start is not None and full.text[p.start : p.start + 5] == "99491"


def test_extract_provisions_rejects_an_unknown_format() -> None:
    with pytest.raises(ValueError, match="unknown full-text format 'docx'"):
        extract_provisions("x", document_number="1", fmt="docx")


# constructed in the layout of FR plain text (raw_text_url): page markers, wrapped lines,
# paragraphs separated by blank lines
PLAIN = """[[Page 97780]]

    In the CY 2024 PFS final rule, we finalized CPT codes 36514, 36516,
and 36522 (88 FR
78848). We proposed the RUC-recommended work RVU of 1.20 for CPT code
59200.

    Plans must decide expedited requests within 72 hours. These regulations are effective
January 1, 2025.
"""


def test_extract_provisions_reads_wrapped_plain_text() -> None:
    result = extract(PLAIN, document_number="2024-25382", fmt="text")
    verdicts = {m.code: (m.accepted, m.reason) for m in result.mentions}
    assert verdicts["36522"] == (True, "list:cpt_word")
    assert verdicts["78848"] == (False, "fr_citation")
    by_key = {(p.kind, p.subject): p for p in result.provisions}
    p = by_key[("code_payable", "59200")]
    assert p.evidence_text == (
        "We proposed the RUC-recommended work RVU of 1.20 for CPT code 59200."
    )
    assert "FR page 97780" in p.detail
    assert ("deadline", "72 hours") in by_key
    assert by_key[("effective_date", "2025-01-01")].evidence_text == (  # across a line break
        "These regulations are effective January 1, 2025."
    )


def test_parse_fulltext_reads_plain_text_served_in_an_html_page() -> None:
    raw = (
        "<html>\n<head>\n<title>Federal Register, Volume 89 Issue 236</title>\n</head>\n"
        "<body><pre>\n[[Page 97780]]\n\n    We pay for CPT code 59200 &amp; CPT\ncode 61715.\n"
        "</pre></body>\n</html>\n"
    )
    full = parse_fulltext(raw, "text")
    assert "Federal Register, Volume" not in full.text
    assert "We pay for CPT code 59200 & CPT\ncode 61715." in full.text
    assert full.pages[0][1] == 97780
    i = full.text.index("61715")
    j = full.source_offset(i)
    assert raw[j : j + 5] == "61715"
    provisions = extract_provisions(raw, document_number="2024-25382", fmt="text")
    assert {p.subject for p in provisions if p.kind == "code_payable"} == {"59200", "61715"}
