"""Reports: the same views rendered as Markdown (golden), HTML and PDF; the CLI around them."""

from __future__ import annotations

from datetime import date
from html.parser import HTMLParser

import pytest
from typer.testing import CliRunner

from payforce.cli import app
from payforce.cli.web import ReportFormat, render_report
from payforce.models import Role
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


def _fixed_report():
    """A small brief with fixed content, so the golden file pins the renderer, not the engine."""
    evidence = [
        {
            "kind": "document",
            "ref": "2014-26183",
            "label": "2014-26183 (final rule, 2014-11-13)",
            "url": "https://www.federalregister.gov/d/2014-26183",
            "value": "CMS-1612-FC",
            "link": "/documents/2014-26183",
            "year": None,
        },
        {
            "kind": "code",
            "ref": "99490",
            "label": "99490 (ccm, CPT Category I)",
            "url": "",
            "value": "$66.13 national non-facility 2026",
            "link": "/codes/99490",
            "year": 2026,
        },
    ]
    signal = {
        "role": "care_manager_rn",
        "role_title": "Care manager / care coordinator (RN)",
        "direction": "growth",
        "summary": "99490 made payable (rule 2014-26183); this role performs the service",
        "published": "2014-11-13",
        "evidence": evidence,
    }
    wages = {
        "id": "role-wages",
        "kind": "bar",
        "x_label": "role",
        "unit": "USD per year",
        "title": "Median annual wage: Care manager / care coordinator (RN) and the roles it "
        "can pivot to",
        "series": [
            {
                "name": "median annual wage (USD)",
                "points": [["Care manager / care coordinator (RN)", 93600.0]],
            }
        ],
    }
    aco = {
        "id": "aco-count",
        "kind": "bar",
        "x_label": "year",
        "unit": "ACOs",
        "title": "Medicare Shared Savings Program: ACOs by year",
        "series": [{"name": "ACOs", "points": [[2015, 404.0], [2016, 433.0]]}],
    }
    role = Role(key="care_manager_rn", title="Care manager / care coordinator (RN)")
    return {
        "title": "Workforce brief: Care manager / care coordinator (RN)",
        "as_of": date(2016, 1, 1),
        "generated_at": GENERATED,
        "role": {
            "role": role,
            "sentence": "As of 2016-01-01, payment policy is funding more of this work: 1 signal "
            "points to growth for a Care manager / care coordinator (RN).",
            "outlook": {
                "direction_words": "growing",
                "score": 0.71,
                "growth": 0.71,
                "pressure": 0.0,
                "pivot": 0.0,
            },
            "signals": [signal],
            "pivots": [
                {
                    "title": "Remote patient monitoring nurse",
                    "skills": ("device data triage",),
                    "credentials": (),
                    "funded_by": "RPM 99457/99458",
                }
            ],
            "labour": [
                {
                    "title": role.title,
                    "median_wage": 93600.0,
                    "employment": 3282010,
                    "projection_pct": 4.9,
                    "projection_period": "2024-2034",
                    "annual_openings": 189100,
                }
            ],
            "charts": [wages],
        },
        "dashboard": {
            "as_of": date(2016, 1, 1),
            "counts": {"growth": 1, "pressure": 0, "pivot": 0, "none": 1},
            "outlooks": [
                {
                    "title": role.title,
                    "direction": "growth",
                    "score": 0.71,
                    "signal_count": 1,
                    "top_signal": signal["summary"],
                },
                {
                    "title": "Medical coder | HIM",
                    "direction": "none",
                    "score": 0.0,
                    "signal_count": 0,
                    "top_signal": "",
                },
            ],
            "newest_signals": [signal],
            "upcoming": [],
            "recent": [
                {
                    "date": date(2015, 1, 1),
                    "what": "takes effect",
                    "label": "2014-26183 (final rule, 2014-11-13)",
                }
            ],
            "charts": [aco],
        },
    }


def test_markdown_brief_matches_golden(golden):
    golden("web_brief_2016-01-01.md", render_markdown(_fixed_report()))


def test_markdown_brief_of_the_real_store(brief):
    text = render_markdown(brief)
    assert text.startswith("# Workforce brief: Care manager / care coordinator (RN)\n")
    assert "Evidence public as of 2026-06-30. Generated 2026-06-30T12:00:00+00:00" in text
    assert "<https://www.federalregister.gov/d/2013-28696>" in text
    assert "| Care manager / care coordinator (RN) | $93,600 | 3,282,010 | +4.9% 2024-2034 |" in (
        text
    )


def test_markdown_leadership_brief_has_every_role(leadership):
    text = render_markdown(leadership)
    assert text.startswith("# Workforce brief: payment policy and the healthcare jobs it funds\n")
    for o in leadership["dashboard"]["outlooks"]:
        assert f"| {o['title']} | {o['direction']} |" in text
    assert "### Medicare Shared Savings Program: ACOs by year" in text
    assert "| 2024 | 476 |" in text  # PY2024 MSSP results, public 2025-08-29


def test_html_brief_is_standalone(brief):
    html = render_html(brief)
    assert html.count('<svg class="chart"') == 5  # role wage chart + four dashboard charts
    assert '<link rel="stylesheet"' not in html and ":focus-visible" in html  # CSS inlined
    assert "<script" not in html
    assert 'href="/' not in html  # no links into a web app the reader may not have
    assert 'href="https://www.federalregister.gov/d/2013-28696"' in html
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


@pytest.mark.parametrize("flag, access_log", [([], True), (["--no-access-log"], False)])
def test_cli_serve_runs_the_app(cli_env, monkeypatch, flag, access_log):
    import uvicorn

    seen = {}

    def fake_run(server, sockets=None):
        seen.update(config=server.config)

    monkeypatch.setattr(uvicorn.Server, "run", fake_run)
    result = CliRunner().invoke(app, ["serve", "--host", "127.0.0.1", "--port", "8123", *flag])
    assert result.exit_code == 0, result.output
    config = seen["config"]
    assert config.host == "127.0.0.1" and config.port == 8123
    assert config.app.title == "payforce"
    assert config.access_log is access_log
    assert config.server_header is False  # no "server: uvicorn" header
    assert "payforce web on http://127.0.0.1:8123/" in result.stderr


def test_cli_report_on_each_backend(any_store, cli_env, tmp_path, monkeypatch):
    url = any_store.engine.url.render_as_string(hide_password=False)
    monkeypatch.setenv("PAYFORCE_DATABASE_URL", url)
    out = tmp_path / "brief.md"
    result = CliRunner().invoke(
        app,
        [
            "report",
            "--as-of",
            "2026-06-30",
            "--format",
            "md",
            "--out",
            str(out),
        ],
    )
    assert result.exit_code == 0, result.output
    text = out.read_text()
    assert "| Care manager / care coordinator (RN) | growth |" in text


def test_pdf_brief_links_its_evidence(brief):
    data = render_pdf(brief)
    assert data.count(b"/URI") >= 20  # clickable links to the sources, as in HTML and Markdown
    assert b"https://www.federalregister.gov/d/" in data
