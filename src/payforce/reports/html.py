"""Standalone HTML workforce brief, from the same templates and chart specs as the web pages."""

from __future__ import annotations

import re
from typing import Any

from payforce.web.pages import STATIC_CSS, environment

__all__ = ["render_html"]

_SITE_LINK = re.compile(r'<a href="/[^"]*">(.*?)</a>', re.DOTALL)
"""A link to a page of the web app: meaningless in a file handed on, so it becomes its text."""


def render_html(report: dict[str, Any]) -> str:
    """Render :func:`payforce.web.views.gather_report` output as one self-contained HTML file.

    The site's stylesheet is inlined and charts are inline SVG, so the file needs nothing else;
    links to the web app's own pages are reduced to their text, links to sources are kept.
    """
    template = environment().get_template("report.html")
    html = template.render(d=report, css=STATIC_CSS.read_text(encoding="utf-8"))
    return _SITE_LINK.sub(r"\1", html)
