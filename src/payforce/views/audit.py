"""Replay audit: does any view at a past date show something that was not public then?

``audit`` replays a grid of dates. At each date it gathers what the commands show — every role's
outlook with its signals and evidence (``outlook --json`` / ``signals --json``), each role's labour
figures and pivots with their funding evidence (``role --json``, ``pivot``), and the code ledger
(``ledger --json``) — and walks those JSON-shaped views generically:

- a date field saying when something became public (``available_from``, ``published``,
  ``publication_date``, ``oews_available_from``, ``projection_available_from``, ``source_date``)
  later than the date → ``future``;
- an evidence item (an item of an ``evidence`` or ``funding`` list) with no ``available_from``
  → ``undated``;
- a cited URL on a host never to cite (redirectors, unrelated hosts) → ``bad host``; a secondary
  page cited on a date before it was written (``knowledge/citations.yaml``) → ``secondary
  before written``.

Facts other areas add (labour vintages, code values per release, MSSP results, forecasts) are
covered as long as their JSON carries ``available_from``: the walk does not know them by name.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from payforce.knowledge.citations import blocked_host, is_secondary, written_on
from payforce.store.db import Store

__all__ = ["DATE_KEYS", "Violation", "audit", "audit_date", "check_view", "grid"]

DATE_KEYS = frozenset(
    {
        "available_from",
        "published",
        "publication_date",
        "oews_available_from",
        "projection_available_from",
        "source_date",
    }
)
"""Fields that say when a fact became public."""
EVIDENCE_LISTS = frozenset({"evidence", "funding"})
"""List fields whose items are evidence and must each be dated."""
URL_KEYS = frozenset({"url", "source_url", "link_url"})
"""Fields holding cited URLs (``|``-separated lists allowed)."""


@dataclass(frozen=True)
class Violation:
    """One thing a replay showed that it should not have."""

    as_of: date
    view: str
    path: str
    kind: str
    detail: str

    def to_dict(self) -> dict[str, str]:
        """JSON-ready form."""
        return {
            "as_of": self.as_of.isoformat(),
            "view": self.view,
            "path": self.path,
            "kind": self.kind,
            "detail": self.detail,
        }


def _iso(value: Any) -> date | None:
    if isinstance(value, date):
        return value
    if isinstance(value, str) and len(value) >= 10:
        try:
            return date.fromisoformat(value[:10])
        except ValueError:
            return None
    return None


def _urls(value: Any) -> Iterator[str]:
    if isinstance(value, str):
        for part in value.split(" | "):
            if part.startswith("http"):
                yield part.strip()


def check_view(view: str, data: Any, as_of: date, path: str = "") -> Iterator[Violation]:
    """Every violation in one JSON-shaped view at ``as_of``."""
    if isinstance(data, dict):
        for key, value in data.items():
            here = f"{path}.{key}" if path else key
            if key in DATE_KEYS:
                when = _iso(value)
                if when is not None and when > as_of:
                    yield Violation(as_of, view, here, "future", f"{key} {when.isoformat()}")
            elif key in URL_KEYS:
                for url in _urls(value):
                    if blocked_host(url):
                        yield Violation(as_of, view, here, "bad host", url)
                    elif is_secondary(url):
                        written = written_on(url)
                        if written is not None and written > as_of:
                            yield Violation(
                                as_of,
                                view,
                                here,
                                "secondary before written",
                                f"{url} (written {written.isoformat()})",
                            )
            if key in EVIDENCE_LISTS and isinstance(value, list):
                for i, item in enumerate(value):
                    if isinstance(item, dict) and not item.get("available_from"):
                        label = item.get("label") or item.get("ref") or ""
                        yield Violation(as_of, view, f"{here}[{i}]", "undated", str(label)[:120])
            yield from check_view(view, value, as_of, here)
    elif isinstance(data, list):
        for i, item in enumerate(data):
            yield from check_view(view, item, as_of, f"{path}[{i}]")


def _views(store: Store, as_of: date) -> Iterator[tuple[str, Any]]:
    """The JSON-shaped views of every command the audit covers, at ``as_of``."""
    from payforce.economics.ledger import ledger_changes
    from payforce.knowledge import load_knowledge
    from payforce.serialize import to_jsonable
    from payforce.signals.outlook import compute_outlooks
    from payforce.store import queries
    from payforce.views.gather import labour_dict, outlook_dict
    from payforce.workforce import pivots

    knowledge = load_knowledge()
    outlooks = compute_outlooks(store, as_of, knowledge)
    roles = {r.key: r for r in queries.list_roles(store, as_of)}
    yield "outlook", [outlook_dict(o) for o in outlooks]
    sources = {e.source for e in knowledge.pivots}
    for key, role in sorted(roles.items()):
        view: dict[str, Any] = {"labour": labour_dict(role)}
        if key in sources:
            paths = pivots.pivot_paths(store, key, as_of, knowledge, outlooks=outlooks)
            view["pivots"] = [to_jsonable(p) for p in paths]
        yield f"role {key}", view
    yield "ledger", [c.to_dict() for c in ledger_changes(store, as_of)]


def audit_date(store: Store, as_of: date) -> list[Violation]:
    """Every violation in every covered view at one date."""
    return [v for name, data in _views(store, as_of) for v in check_view(name, data, as_of)]


def grid(start: date, end: date, step_days: int | None = None) -> list[date]:
    """Dates from ``start`` to ``end``: every ``step_days`` days, or the first of each month."""
    if step_days:
        n = (end - start).days // step_days
        return [start + timedelta(days=step_days * i) for i in range(n + 1)]
    out, y, m = [], start.year, start.month
    while True:
        d = date(y, m, 1)
        if d > end:
            break
        if d >= start:
            out.append(d)
        y, m = (y + 1, 1) if m == 12 else (y, m + 1)
    return out


def audit(store: Store, dates: list[date]) -> tuple[int, list[Violation]]:
    """(number of items checked, violations) over ``dates``."""
    found: list[Violation] = []
    checked = 0
    for d in dates:
        for name, data in _views(store, d):
            checked += _count(data)
            found.extend(check_view(name, data, d))
    return checked, found


def _count(data: Any) -> int:
    if isinstance(data, dict):
        own = sum(len(v) for k, v in data.items() if k in EVIDENCE_LISTS and isinstance(v, list))
        return own + sum(_count(v) for v in data.values())
    if isinstance(data, list):
        return sum(_count(v) for v in data)
    return 0
