"""Terminal output: pages that fit the terminal's width, words instead of keys, whole links.

Standard library only, so the fast read path (:mod:`payforce.terminal.quick`) can render a
cached answer without importing Typer, Rich or SQLAlchemy.

- :mod:`payforce.terminal.layout`: :class:`Page` (wrapped paragraphs, tables that fall back to
  one record per row when the grid cannot fit, OSC 8 hyperlinks or a numbered link list).
- :mod:`payforce.terminal.words`: the five questions named in words, legends, score and
  confidence explained, freshness lines.
- :mod:`payforce.terminal.answers`: the text of ``outlook``, ``role`` and ``signals``.
"""
