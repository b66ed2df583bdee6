"""Reading GPO XML into text: the output is pinned, so speed-ups cannot change it.

The digests below were computed from the tokenizer-and-builder reader before it was optimised
(issue #3, point 8). Each covers the whole produced text, the page markers, the document spans
and :meth:`FullText.source_offset` at every text offset (one before the start to one past the
end), so a reader that changes a single character or offset fails.
"""

from __future__ import annotations

import hashlib
import random
from pathlib import Path

import pytest

from payforce.extract import text as text_module
from payforce.extract.text import FullText, parse_fulltext

FIXTURES = Path(__file__).parents[1] / "fixtures" / "extract"

PINNED = [
    (
        "FR_2024-16910_FY2025_Hospice_final_rule.xml",
        "feec04bd3addbeef2e75a21c2c32c93d96695a21aaffccb15c47118aa9db9969",
    ),
    (
        "FR_2024-25382_CY2025_PFS_final_rule_excerpt_II-E.xml",
        "bc254a210a58af9ba5b9b50f7ee31203d415da53ec9670c5c68f7f71d2882c75",
    ),
    (
        "FR_2025-06008_CY2026_MA_PartD_policy_final_rule.xml",
        "238a81f7102484f94283b00edefd8f1977973551bc9487a4739af07d8edb5071",
    ),
    (
        "FR_2025-08676_CY2025_PFS_corrections.xml",
        "bd633bf72e7cbb9d08e3f1a647b0fccf222e61c91fc9a0775bddebcc236fad8f",
    ),
    (
        "heldout/FR_2022-14562_CY2023_PFS_proposed_rule_excerpt_discharge_ed.xml",
        "ba81384ea6863909a2859a97bed546241d962f82b22ed9e7b8ec747a1d1ea954",
    ),
    (
        "heldout/FR_2022-14562_CY2023_PFS_proposed_rule_excerpt_lab.xml",
        "69838cc690770d6ca67039827fedaa54b17f879f8745902ea352e9809d74f327",
    ),
]


def _asset(name: str) -> Path:
    path = FIXTURES / name
    if not path.is_file():
        pytest.fail(f"missing fixture {path}; see tests/fixtures/extract/PROVENANCE.md")
    return path


def _digest(full: FullText) -> str:
    h = hashlib.sha256()
    h.update(full.text.encode())
    h.update(repr(full.pages).encode())
    h.update(repr(full.documents).encode())
    offsets = [full.source_offset(i) for i in range(-1, len(full.text) + 2)]
    h.update(repr(offsets).encode())
    return h.hexdigest()


@pytest.mark.parametrize(("name", "digest"), PINNED)
def test_parse_fulltext_gpo_xml_output_is_pinned(name: str, digest: str) -> None:
    raw = _asset(name).read_text(encoding="utf-8")
    assert _digest(parse_fulltext(raw, "gpo_xml")) == digest


def _reference(raw: str) -> FullText:
    """The tokenizer-and-builder reader, which the fast GPO reader must match exactly."""
    return text_module._read_markup(raw, html_mode=False)


def _same(a: FullText, b: FullText) -> bool:
    return (a.text, a.pages, a.documents, a._seg_text, a._seg_source) == (
        b.text,
        b.pages,
        b.documents,
        b._seg_text,
        b._seg_source,
    )


@pytest.mark.parametrize(
    "raw",
    [
        "",
        "plain words only",
        "  lead and trail  ",
        "<P>one</P><P>two</P>",
        '<?xml version="1.0"?>\n<RULE>\n <P>\n  Text with <E T="03">italics</E>.\n </P>\n</RULE>',
        "<P>\u2009thin\u2009space\u2009</P><P>\u2009 \u2009</P><P>\u2003</P><P>a \u2009b</P>",
        "<P>a\u2009 b</P><P>a \u2009b</P><P>a\u2009\u2009b</P><P>a\u2009\xa0b</P>",
        "<P>\u00a7\u2009422.2 and \u00a7\u2009423.4\u2009(a)</P><P>a\u2009b\nc</P><P>a\xa0b</P>",
        "<P>tab\there</P><P>cr\r\nlf</P><P>x\x0by\x0cz</P><P>a\x1c b</P><P>\xa0</P>",
        "<P>a &amp; b &#167; &unknown; & stray &nbsp;x</P><P>&#32;s&#32;</P>",
        "<P>a < b and 3 > 2</P>",
        "<P>before<!-- a > b <P> -->after</P>",
        "<P>x</P><GID>drop <GID>nested</GID> still</GID><P>y <PGS>1, 2</PGS>z</P>",
        '<GPOTABLE><ROW><ENT>a</ENT><ENT>b</ENT></ROW><ROW><CHED H="1">c</CHED></ROW></GPOTABLE>',
        '<P>page <PRTPAGE P="97777"/>break</P><PRTPAGE/><P>more<PRTPAGE P="x"/></P>',
        "<FEDREG><RULE><P>a</P><FRDOC>[FR Doc. 2016-08515 Filed]</FRDOC></RULE>"
        "<NOTICE><P>b</P><FRDOC/>FR Doc. 16-1<FRDOC>x</FRDOC></NOTICE><RULE/></FEDREG>",
        "<P a='1'/><BR/><P\n attr=\"v\" >x</P ><P/>y<\u00e9>z",
        "<!DOCTYPE x [<!ENTITY a 'b'>]><P>t</P>",
        "<P>unclosed <E T='03' x</P>",
        "<P>x</P>\n \n<P>y</P> <E>z</E> <HD>h</HD>",
    ],
)
def test_read_gpo_matches_the_tokenizer_on_edge_cases(raw: str) -> None:
    assert _same(parse_fulltext(raw, "gpo_xml"), _reference(raw))


_FRAGMENTS = [
    "<P>", "</P>", "<E T=\"03\">", "</E>", "<ENT>", "</ENT>", "<ROW>", "</ROW>", "<GID>",
    "</GID>", "<PRTPAGE P=\"12\"/>", "<FRDOC>", "</FRDOC>", "FR Doc. 24-123", "<RULE>",
    "</RULE>", "<SU>", "</SU>", " ", "  ", "\n", "\n    ", "\t", "\u2009", "\xa0", "word",
    "a.", "&amp;", "&#167;", "&", "<", ">", "<!-- c -->", "<?pi x?>", "<FTREF/>", "\r\n",
]  # fmt: skip


@pytest.mark.parametrize("stray", [True, False])
def test_read_gpo_matches_the_tokenizer_on_random_markup(stray: bool) -> None:
    """Random GPO-like markup; without stray ``<`` and comments the fast reader reads it all."""
    fragments = _FRAGMENTS if stray else [f for f in _FRAGMENTS if f not in ("<", "<!-- c -->")]
    rng = random.Random(20261127)
    for _ in range(3000):
        raw = "".join(rng.choice(fragments) for _ in range(rng.randint(0, 30)))
        fast = text_module._read_gpo(raw)
        assert stray or fast is not None, raw
        assert _same(parse_fulltext(raw, "gpo_xml"), _reference(raw)), raw
