"""The terminal page: whole words, tables that fit or fall back to records, links kept whole."""

from __future__ import annotations

from payforce.terminal.layout import Column, Page, supports_hyperlinks, visible_len, wrap
from payforce.terminal.words import QUESTION_LEGEND, freshness_lines, question_name


def test_wrap_keeps_words_and_urls_whole():
    text = "this role performs remote monitoring https://www.federalregister.gov/d/2025-19787 ok"
    lines = wrap(text, 30)
    assert all(len(line) <= 30 for line in lines if "https://" not in line)
    assert "https://www.federalregister.gov/d/2025-19787" in lines  # a line of its own, whole
    assert " ".join(lines) == text


def test_table_grid_fits_and_wraps_long_cells_at_spaces():
    page = Page(width=40)
    page.table(
        ["Role", Column("Score", "right")],
        [["Care manager / care coordinator (RN)\ncare_manager_rn", "+4.10"]],
    )
    text = page.render()
    assert all(len(line) <= 40 for line in text.splitlines())
    assert "care_manager_rn" in text.split()  # the key is never cut
    assert "+4.10" in text


def test_table_too_wide_for_a_grid_becomes_records():
    page = Page(width=40)
    cols = ["Document", "Type", "Published", "File code", "Linked", "Lead time (days)"]
    row = ["2014-15948", "Proposed", "2014-07-11", "CMS-1612-P", "2014-26183", "125"]
    page.table(cols, [row, row])
    lines = page.render().splitlines()
    assert all(len(line) <= 40 for line in lines)
    assert lines[0] == "2014-15948" and "  File code: CMS-1612-P" in lines


def test_links_are_numbered_and_listed_whole_without_hyperlinks():
    page = Page(width=40)
    label = page.link("CY2026 PFS final rule", "https://www.federalregister.gov/d/2025-19787")
    again = page.link("the same rule", "https://www.federalregister.gov/d/2025-19787")
    page.text(f"Evidence: {label}; {again}")
    text = page.render()
    assert "CY2026 PFS final rule [1]" in text and "same rule [1]" in text
    assert "[2]" not in text  # one URL, one number
    assert text.splitlines()[-1] == "https://www.federalregister.gov/d/2025-19787"


def test_hyperlinks_use_osc8_and_take_no_width():
    page = Page(width=40, hyperlinks=True)
    label = page.link("final rule", "https://example.org/x")
    assert label.startswith("\x1b]8;;https://example.org/x\x1b\\")
    assert visible_len(label) == len("final rule")
    assert page.links == []


def test_hyperlink_detection_never_writes_escapes_into_a_pipe():
    class Pipe:
        def isatty(self) -> bool:
            return False

    assert supports_hyperlinks(Pipe(), {"TERM_PROGRAM": "iTerm.app"}) is False  # type: ignore[arg-type]
    assert supports_hyperlinks(Pipe(), {"PAYFORCE_HYPERLINKS": "1"}) is True  # type: ignore[arg-type]


def test_questions_are_named_in_words_with_a_legend():
    assert [question_name(q) for q in range(1, 6)] == [
        "new code",
        "mandate",
        "value-based",
        "AI code",
        "proposed rule",
    ]
    assert all(question_name(q) in QUESTION_LEGEND for q in range(1, 6))


def test_freshness_warns_when_stale_and_names_the_sync():
    fresh = {
        "newest_evidence": "2026-04-17",
        "source": "Federal Register document",
        "compared_with": "today, 2026-12-06",
        "age_days": 233,
        "stale": True,
        "update_with": "payforce sync federal-register",
    }
    statement, warning = freshness_lines(fresh)
    assert statement.startswith("Newest evidence in the store: 2026-04-17")
    assert warning is not None and "233 days before today, 2026-12-06" in warning
    assert "`payforce sync federal-register`" in warning
    assert freshness_lines({**fresh, "stale": False, "age_days": 3})[1] is None
