"""Reports: the same views rendered as Markdown (golden), HTML and PDF; the CLI around them."""

from __future__ import annotations

from datetime import date
from html.parser import HTMLParser

import pytest
from typer.testing import CliRunner

from payforce.cli import app
from payforce.cli.web import ReportFormat, render_report
from payforce.reports.html import render_html
from payforce.reports.markdown import render_markdown
from payforce.reports.pdf import render_pdf
from payforce.web.views import ViewContext, gather_report

AS_OF = date(2026, 6, 30)
GENERATED = "2026-06-30T12:00:00+00:00"


@pytest.fixture
def brief(store):
    return gather_report(ViewContext(store), AS_OF, GENERATED, role="care manager rn")


@pytest.fixture
def leadership(store):
    return gather_report(ViewContext(store), AS_OF, GENERATED)


def test_markdown_brief_matches_golden(brief, golden):
    golden("web_brief_care_manager_rn_2026-06-30.md", render_markdown(brief))


def test_markdown_leadership_brief_has_every_role(leadership):
    text = render_markdown(leadership)
    assert text.startswith("# Workforce brief: payment policy and the healthcare jobs it funds\n")
    for o in leadership["dashboard"]["outlooks"]:
        assert f"| {o['title']} | {o['direction']} |" in text
    assert "### Medicare Shared Savings Program: ACOs by year" in text
    assert "| 2026 | 511 |" in text


def test_html_brief_is_standalone(brief):
    html = render_html(brief)
    assert html.count('<svg class="chart"') == 5  # role wage chart + four dashboard charts
    assert '<link rel="stylesheet"' not in html and ":focus-visible" in html  # CSS inlined
    assert "<script" not in html
    headings = []

    class H(HTMLParser):
        def handle_starttag(self, tag, attrs):
            if tag in ("h1", "h2", "h3", "h4"):
                headings.append(int(tag[1]))

    H().feed(html)
    assert headings.count(1) == 1
    assert all(b <= a + 1 for a, b in zip(headings, headings[1:], strict=False))


def test_pdf_brief_is_a_stable_pdf(brief):
    first = render_pdf(brief)
    assert first.startswith(b"%PDF-")
    assert b"/Title (Workforce brief: Care manager / care coordinator \\(RN\\))" in first
    assert render_pdf(brief) == first  # invariant: same input, same bytes


@pytest.mark.parametrize("fmt", list(ReportFormat))
def test_every_report_format_renders(fmt, leadership):
    out = render_report(fmt, leadership)
    magic = {
        ReportFormat.HTML: b"<!doctype html>",
        ReportFormat.PDF: b"%PDF-",
        ReportFormat.MD: b"# Workforce brief",
    }
    assert out.startswith(magic[fmt])


def test_cli_report_writes_each_format(cli_env, tmp_path):
    runner = CliRunner()
    for fmt in ReportFormat:
        out = tmp_path / f"brief.{fmt.value}"
        result = runner.invoke(
            app,
            [
                "report",
                "--role",
                "medical coder",
                "--as-of",
                "2026-06-30",
                "--format",
                fmt.value,
                "--out",
                str(out),
            ],
        )
        assert result.exit_code == 0, result.output
        assert out.stat().st_size > 1000
    text = (tmp_path / "brief.md").read_text()
    assert text.startswith("# Workforce brief: Medical coder")
    assert "Evidence public as of 2026-06-30." in text


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (
            ["--as-of", "30/06/2026"],
            "Error: --as-of: not a date ('30/06/2026'). Use YYYY-MM-DD, e.g. 2026-06-30",
        ),
        (["--role", "astronaut"], "Error: unknown role 'astronaut'"),
        (
            ["--out", "/nonexistent-dir/brief.md"],
            "Error: --out: folder does not exist ('/nonexistent-dir'). Create it first",
        ),
    ],
)
def test_cli_report_errors_are_one_line(cli_env, tmp_path, args, message):
    base = {"--out": str(tmp_path / "b.md"), "--format": "md"}
    for i in range(0, len(args), 2):
        base[args[i]] = args[i + 1]
    argv = ["report", *[x for kv in base.items() for x in kv]]
    result = CliRunner().invoke(app, argv)
    assert result.exit_code == 1
    line = result.stderr.strip().splitlines()[-1]
    assert line.startswith(message)


def test_cli_report_rejects_unknown_format(cli_env, tmp_path):
    result = CliRunner().invoke(app, ["report", "--format", "docx", "--out", str(tmp_path / "x")])
    assert result.exit_code == 2
    assert "'docx' is not one of 'html', 'pdf', 'md'" in result.stderr


def test_cli_serve_runs_the_app(cli_env, monkeypatch):
    import uvicorn

    seen = {}

    def fake_run(application, host, port, log_level):
        seen.update(app=application, host=host, port=port)

    monkeypatch.setattr(uvicorn, "run", fake_run)
    result = CliRunner().invoke(app, ["serve", "--host", "127.0.0.1", "--port", "8123"])
    assert result.exit_code == 0, result.output
    assert seen["host"] == "127.0.0.1" and seen["port"] == 8123
    assert seen["app"].title == "payforce"
    assert "payforce web on http://127.0.0.1:8123/" in result.stderr
