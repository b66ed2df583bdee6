"""A page of terminal text that never runs past the terminal's width.

Text is wrapped at spaces only, so a word, a URL or a role key is never cut. A table is laid out
as a grid when its columns fit (wrapping long cells at spaces); when even the narrowest grid is
wider than the page, each row is printed as a small record instead (``header: value`` lines).
Links are OSC 8 hyperlinks where the terminal supports them; otherwise the label gets a number
and the URLs are listed whole at the end of the page, one per line.
"""

from __future__ import annotations

import os
import re
import shutil
import sys
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import TextIO

__all__ = [
    "MIN_WIDTH",
    "Column",
    "Page",
    "supports_hyperlinks",
    "terminal_width",
    "visible_len",
    "wrap",
]

MIN_WIDTH = 40
"""Narrowest page payforce lays out; a narrower terminal gets 40-column text."""

NBSP = "\u00a0"
"""Joins words that must stay on one line (``label [3]``); printed as a plain space."""

_ESCAPES = re.compile(r"\x1b\]8;[^\x1b\x07]*(?:\x1b\\|\x07)|\x1b\[[0-9;]*m")


def visible_len(text: str) -> int:
    """Columns ``text`` takes on screen (escape sequences take none)."""
    return len(_ESCAPES.sub("", text)) if "\x1b" in text else len(text)


def terminal_width(stream: TextIO | None = None, env: Mapping[str, str] | None = None) -> int:
    """The width to lay out for: ``COLUMNS`` if set, else the terminal's, else 80 (a pipe)."""
    env = os.environ if env is None else env
    columns = env.get("COLUMNS", "")
    if columns.isdigit() and int(columns) > 0:
        return max(MIN_WIDTH, int(columns))
    stream = stream or sys.stdout
    try:
        if stream.isatty():
            return max(MIN_WIDTH, shutil.get_terminal_size((80, 24)).columns)
    except (AttributeError, ValueError, OSError):
        pass
    return 80


def supports_hyperlinks(stream: TextIO | None = None, env: Mapping[str, str] | None = None) -> bool:
    """Whether to print OSC 8 hyperlinks: a terminal known to support them, or
    ``PAYFORCE_HYPERLINKS=1`` (``0`` turns them off). Never into a pipe or a file."""
    env = os.environ if env is None else env
    forced = env.get("PAYFORCE_HYPERLINKS", "")
    if forced in {"0", "1"}:
        return forced == "1"
    stream = stream or sys.stdout
    try:
        if not stream.isatty():
            return False
    except (AttributeError, ValueError):
        return False
    if env.get("TERM", "") in {"", "dumb", "linux"}:
        return False
    if any(env.get(k) for k in ("WT_SESSION", "KITTY_WINDOW_ID", "WEZTERM_PANE", "KONSOLE_DBUS")):
        return True
    if env.get("TERM_PROGRAM", "") in {"iTerm.app", "vscode", "WezTerm", "Hyper", "ghostty"}:
        return True
    vte = env.get("VTE_VERSION", "")
    return vte.isdigit() and int(vte) >= 5000


def _osc8(label: str, url: str) -> str:
    return " ".join(f"\x1b]8;;{url}\x1b\\{w}\x1b]8;;\x1b\\" for w in _words(label))


def _words(text: str) -> list[str]:
    return [w for w in text.split(" ") if w]


def wrap(text: str, width: int, indent: str = "", first: str | None = None) -> list[str]:
    """Greedy wrap at spaces: whole words; a word longer than the line gets a line of its own.

    ``first`` prefixes the first line (default ``indent``), ``indent`` the others. Explicit
    newlines start new lines; runs of spaces inside a line are kept (aligned columns), the run
    at a break is dropped.
    """
    lead = indent if first is None else first
    lines: list[str] = []
    for paragraph in text.split("\n"):
        line, used = lead, visible_len(lead)
        empty = True
        pending = ""
        for token in re.split(r"( +)", paragraph):
            if not token:
                continue
            if token.startswith(" "):
                pending = "" if empty else token
                continue
            n = visible_len(token)
            if not empty and used + len(pending) + n > width:
                lines.append(line)
                line, used = indent + token, visible_len(indent) + n
                pending = ""
                continue
            line = line + pending + token
            used += len(pending) + n
            pending = ""
            empty = False
        lines.append(line.rstrip() if empty else line)
        lead = indent
    return lines


@dataclass(frozen=True)
class Column:
    """One table column: its header, whether it may wrap, and its alignment."""

    header: str
    """Header text (words; wraps like a cell)."""
    align: str = "left"
    """``left`` or ``right`` (numbers)."""


def _cell_lines(text: str, width: int) -> list[str]:
    return wrap(text, width) if text else [""]


def _min_width(texts: Sequence[str]) -> int:
    return max((visible_len(w) for t in texts for w in re.split(r"[ \n]", t) if w), default=1)


def _natural_width(texts: Sequence[str]) -> int:
    return max((visible_len(line) for t in texts for line in t.split("\n")), default=1)


@dataclass
class Page:
    """Lines of text laid out for one width; links become hyperlinks or numbered references."""

    width: int = 80
    """Columns available."""
    hyperlinks: bool = False
    """Print OSC 8 hyperlinks (else a numbered link list at the end)."""
    lines: list[str] = field(default_factory=list)
    """The lines so far."""
    links: list[tuple[str, str]] = field(default_factory=list)
    """(label, URL) of each numbered link, in order."""

    @classmethod
    def for_terminal(cls, stream: TextIO | None = None) -> Page:
        """A page for stdout's terminal (width, hyperlink support)."""
        return cls(width=terminal_width(stream), hyperlinks=supports_hyperlinks(stream))

    # ------------------------------------------------------------------ links
    def link(self, label: str, url: str | None) -> str:
        """``label`` linked to ``url``: a hyperlink, or ``label [n]`` with the URL listed.

        ``url`` may hold several URLs separated by `` | `` (a fact with more than one source):
        each is linked (``label [3,4]``, or ``label`` plus ``source 2`` … as hyperlinks).
        """
        urls = [u for u in re.split(r"\s*\|\s*|\s+", url or "") if u]
        label = label.strip() or (urls[0] if urls else "")
        if not urls:
            return label
        if self.hyperlinks:
            parts = [_osc8(label, urls[0])]
            parts += [_osc8(f"source {i}", u) for i, u in enumerate(urls[1:], 2)]
            return " ".join(parts)
        numbers = [str(self._number(label, u)) for u in urls]
        return f"{label}{NBSP}[{','.join(numbers)}]"

    def _number(self, label: str, url: str) -> int:
        for i, (_label, known) in enumerate(self.links, 1):
            if known == url:
                return i
        self.links.append((label, url))
        return len(self.links)

    # ------------------------------------------------------------------ text
    def blank(self) -> None:
        """An empty line (never two in a row, never at the top)."""
        if self.lines and self.lines[-1] != "":
            self.lines.append("")

    def text(self, text: str = "", indent: str = "", first: str | None = None) -> None:
        """A paragraph wrapped to the page at spaces."""
        if not text:
            self.lines.append("")
            return
        self.lines.extend(wrap(text, self.width, indent, first))

    def item(self, label: str, text: str, indent: str = "  ") -> None:
        """``label text`` with following lines hanging under the text."""
        first = f"{indent}{label} "
        self.lines.extend(wrap(text, self.width, " " * len(first), first))

    # ------------------------------------------------------------------ tables
    def table(
        self,
        columns: Sequence[Column | str],
        rows: Sequence[Sequence[str]],
        *,
        title: str = "",
        notes: Sequence[str] | None = None,
    ) -> None:
        """A table: a grid if it fits the width (cells wrap at spaces), else one record per row.

        ``notes[i]`` (optional) is a full-width paragraph printed under row ``i``, indented:
        the place for long text (evidence) that should not squeeze the grid.
        """
        cols = [c if isinstance(c, Column) else Column(c) for c in columns]
        if title:
            self.blank()
            self.text(title)
        if not rows:
            return
        gap = 2
        texts = [[c.header, *(r[i] for r in rows)] for i, c in enumerate(cols)]
        natural = [_natural_width(t) for t in texts]
        least = [min(_min_width(t), n) for t, n in zip(texts, natural, strict=True)]
        room = self.width - gap * (len(cols) - 1)
        if sum(least) > room:
            self._records(cols, rows, notes)
            return
        widths = list(natural)
        if sum(widths) > room:
            spare = room - sum(least)
            give = [n - m for n, m in zip(natural, least, strict=True)]
            total = sum(give) or 1
            widths = [m + spare * g // total for m, g in zip(least, give, strict=True)]
        header = [_cell_lines(c.header, w) for c, w in zip(cols, widths, strict=True)]
        self._grid_row(cols, widths, header)
        self.lines.append("─" * min(self.width, sum(widths) + gap * (len(cols) - 1)))
        for i, row in enumerate(rows):
            cells = [_cell_lines(t, w) for t, w in zip(row, widths, strict=True)]
            self._grid_row(cols, widths, cells)
            if notes and notes[i]:
                self.lines.extend(wrap(notes[i], self.width, "    ", "    "))

    def _grid_row(self, cols: Sequence[Column], widths: list[int], cells: list[list[str]]) -> None:
        height = max(len(c) for c in cells)
        for k in range(height):
            parts = []
            for col, w, lines in zip(cols, widths, cells, strict=True):
                t = lines[k] if k < len(lines) else ""
                pad = " " * max(0, w - visible_len(t))
                parts.append(pad + t if col.align == "right" else t + pad)
            self.lines.append("  ".join(parts).rstrip())

    def _records(
        self, cols: Sequence[Column], rows: Sequence[Sequence[str]], notes: Sequence[str] | None
    ) -> None:
        for i, row in enumerate(rows):
            self.blank()
            self.text(row[0].replace("\n", " "))
            for col, value in zip(cols[1:], row[1:], strict=True):
                if value:
                    self.item(f"{col.header}:", value.replace("\n", " "))
            if notes and notes[i]:
                self.lines.extend(wrap(notes[i], self.width, "    ", "    "))

    # ------------------------------------------------------------------ output
    def render(self) -> str:
        """The page as text, with the numbered links listed whole at the end."""
        lines = list(self.lines)
        if self.links:
            lines.append("")
            lines.append("Links:")
            for i, (label, url) in enumerate(self.links, 1):
                ref = f"[{i}] "
                if visible_len(ref + url) <= self.width:
                    lines.append(ref + url)
                else:  # never cut a URL: give it a line of its own
                    lines.extend([*wrap(label, self.width, " " * len(ref), ref), url])
        while lines and lines[-1] == "":
            lines.pop()
        return "\n".join(line.replace(NBSP, " ") for line in lines)
