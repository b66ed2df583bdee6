"""Standalone HTML workforce brief, from the same templates and chart specs as the web pages."""

from __future__ import annotations

from typing import Any

from payforce.web.pages import STATIC_CSS, environment

__all__ = ["render_html"]


def render_html(report: dict[str, Any]) -> str:
    """Render :func:`payforce.web.views.gather_report` output as one self-contained HTML file.

    The site's stylesheet is inlined and charts are inline SVG, so the file needs nothing else.
    """
    template = environment().get_template("report.html")
    return template.render(d=report, css=STATIC_CSS.read_text(encoding="utf-8"))
