"""Rule lifecycle: link proposed ↔ final ↔ correction documents; lead times; comment windows.

Documents of one rulemaking are linked when they share any of:

- a Regulation Identifier Number (RIN), e.g. ``0938-AV34``;
- a CMS file code base: ``CMS-1808-P``, ``CMS-1808-F``, ``CMS-1808-FC``, ``CMS-1808-F2``,
  ``CMS-1808-CN`` all belong to rulemaking ``CMS-1808``;
- a regulations.gov docket, e.g. ``CMS-2023-0121`` (not regulations.gov's catch-all
  ``CMS_FRDOC_0001``-style buckets, which hold unrelated documents);
- the title of an annual payment rule: its program (Physician Fee Schedule, hospital outpatient
  PPS, inpatient PPS, …) and its year (``CY 2022``, ``FY 2015``), e.g. ``pfs CY2022``.

Links are transitive (a final rule carrying two file codes joins both rulemakings). A document is
a *correction* when the API says it corrects another, its action reads "correction", its
document number is a correction's (``C1-2018-14985``), its title ends in "Correction(s)", or its
file code suffix is ``CN`` (CMS's correcting notices). Every function takes ``as_of``: only
documents published by then exist. :class:`RulemakingIndex` is the one place that says which
final rule answers a proposed rule: ``payforce docs``, ``payforce rulemaking`` and the
proposed-rule signals (question 5) all read it.
"""

from __future__ import annotations

import re
from bisect import bisect_left
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date
from functools import lru_cache
from typing import TYPE_CHECKING, Any

from payforce.models import PolicyDocument

if TYPE_CHECKING:
    from payforce.store.db import Store

__all__ = [
    "CommentWindow",
    "Rulemaking",
    "RulemakingIndex",
    "comment_window",
    "link_keys",
    "link_rulemakings",
    "open_for_comment",
    "rulemaking_index",
    "rulemakings",
    "stage",
    "title_key",
]

_FILE_CODE = re.compile(r"^(CMS-\d{4,5})-([A-Z]{1,3})(\d*)$")
_SEP = re.compile(r"\s*;\s*")
_CORRECTION_NUMBER = re.compile(r"^C\d-")
_ANNUAL_RULES: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("pfs", ("physician fee schedule",)),
    ("opps", ("hospital outpatient prospective payment",)),
    ("ipps", ("hospital inpatient prospective payment", "inpatient prospective payment system")),
    (
        "snf",
        (
            "skilled nursing facility prospective payment",
            "skilled nursing facilities prospective payment",
        ),
    ),
    ("hh", ("home health prospective payment",)),
    (
        "irf",
        (
            "inpatient rehabilitation facility prospective payment",
            "inpatient rehabilitation facilities prospective payment",
        ),
    ),
    (
        "ipf",
        (
            "inpatient psychiatric facility prospective payment",
            "inpatient psychiatric facilities prospective payment",
        ),
    ),
    ("hospice", ("hospice wage index",)),
    ("esrd", ("end-stage renal disease prospective payment",)),
)
"""Annual payment rules whose title names their program and year (linked by title): the
phrases (matched in the lower-cased title) naming each program, in order of precedence."""
_RULE_YEAR = re.compile(r"\b(CY|FY|Calendar Year|Fiscal Year|Rate Year|RY)\s*(\d{4})\b", re.I)

Actions = Mapping[str, tuple[str, str]]
"""``document_number → (action, correction_of)`` from the Federal Register sync."""


def _split(text: str) -> list[str]:
    text = text or ""
    if ";" not in text:  # most fields hold one value or none
        one = text.strip()
        return [one] if one else []
    return [x.strip() for x in _SEP.split(text) if x.strip()]


def title_key(doc: PolicyDocument) -> str | None:
    """``pfs CY2022``-style key of an annual payment rule's title (None for other titles)."""
    return _title_key(doc.title)


@lru_cache(maxsize=16384)
def _title_key(title: str) -> str | None:
    lowered = title.lower()
    for key, phrases in _ANNUAL_RULES:
        if any(phrase in lowered for phrase in phrases):
            m = _RULE_YEAR.search(title)
            if m is None:
                return None
            era = "FY" if m.group(1).upper() in {"FY", "FISCAL YEAR"} else "CY"
            return f"{key} {era}{m.group(2)}"
    return None


def link_keys(doc: PolicyDocument) -> set[str]:
    """The keys that tie ``doc`` to its rulemaking: ``rin:…``, ``file:…``, ``docket:…``,
    ``title:…``."""
    return set(_link_keys(doc.rin, doc.file_code, doc.docket, doc.title))


@lru_cache(maxsize=16384)
def _link_keys(rin: str, file_code: str, docket: str, title: str) -> frozenset[str]:
    keys = {f"rin:{r}" for r in _split(rin)}
    for code in _split(file_code):
        m = _FILE_CODE.match(code)
        keys.add(f"file:{m.group(1) if m else code}")
    keys |= {
        f"docket:{d}" for d in _split(docket) if not _FILE_CODE.match(d) and "_FRDOC_" not in d
    }
    if (key := _title_key(title)) is not None:
        keys.add(f"title:{key}")
    return frozenset(keys)


def stage(doc: PolicyDocument, action: str = "", correction_of: str = "") -> str:
    """``proposed``, ``final``, ``correction`` or ``other`` (notices)."""
    return _stage(doc.document_number, doc.type, doc.title, doc.file_code, action, correction_of)


@lru_cache(maxsize=16384)
def _stage(number: str, kind: str, title: str, file_code: str, action: str, fixes: str) -> str:
    suffixes = [m.group(2) for c in _split(file_code) if (m := _FILE_CODE.match(c))]
    lowered = title.rstrip(". ").lower()
    if (
        fixes
        or "correction" in action.lower()
        or "CN" in suffixes
        or _CORRECTION_NUMBER.match(number)
        or lowered.endswith("correction")
        or lowered.endswith("corrections")
        or "; correcting amendment" in lowered
    ):
        return "correction"
    kind = kind.lower()
    if kind.startswith("proposed"):
        return "proposed"
    if kind in {"rule", "final rule"}:
        return "final"
    return "other"


@dataclass(frozen=True)
class CommentWindow:
    """When the public may comment on a document."""

    document: PolicyDocument
    """The document open for comment."""
    opens: date
    """Publication date."""
    closes: date
    """Comments close (inclusive)."""

    @property
    def days(self) -> int:
        """Length of the window in days."""
        return (self.closes - self.opens).days

    def days_left(self, as_of: date) -> int:
        """Days from ``as_of`` until the window closes (0 on the last day)."""
        return (self.closes - as_of).days

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready form."""
        d = self.document
        return {
            "document_number": d.document_number,
            "title": d.title,
            "type": d.type,
            "opens": self.opens.isoformat(),
            "closes": self.closes.isoformat(),
            "days": self.days,
            "url": d.url,
        }


@dataclass(frozen=True)
class Rulemaking:
    """The documents of one rulemaking, in publication order, with its lead times."""

    key: str
    """The rulemaking's readable key: a CMS file code base, else a RIN, else a docket."""
    documents: tuple[PolicyDocument, ...]
    """Every linked document, oldest first."""
    stages: tuple[str, ...]
    """Each document's stage, same order."""
    corrects: tuple[tuple[str, str], ...] = field(default_factory=tuple)
    """``(correction, corrected)`` document-number pairs."""

    def _first(self, wanted: str) -> PolicyDocument | None:
        return next(
            (d for d, s in zip(self.documents, self.stages, strict=True) if s == wanted), None
        )

    @property
    def proposed(self) -> PolicyDocument | None:
        """The first proposed rule."""
        return self._first("proposed")

    @property
    def final(self) -> PolicyDocument | None:
        """The first final rule (interim final rules count)."""
        return self._first("final")

    @property
    def proposed_to_final_days(self) -> int | None:
        """Days from the proposed rule's publication to the final rule's."""
        p, f = self.proposed, self.final
        return (f.publication_date - p.publication_date).days if p and f else None

    @property
    def final_to_effective_days(self) -> int | None:
        """Days from the final rule's publication to its effective date."""
        f = self.final
        if f is None or f.effective_date is None:
            return None
        return (f.effective_date - f.publication_date).days

    @property
    def proposed_to_effective_days(self) -> int | None:
        """Days from the proposed rule's publication to the final rule's effective date."""
        p, f = self.proposed, self.final
        if p is None or f is None or f.effective_date is None:
            return None
        return (f.effective_date - p.publication_date).days

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready form."""
        return {
            "key": self.key,
            "documents": [
                {
                    "document_number": d.document_number,
                    "stage": s,
                    "type": d.type,
                    "publication_date": d.publication_date.isoformat(),
                    "effective_date": d.effective_date.isoformat() if d.effective_date else None,
                    "file_code": d.file_code,
                    "rin": d.rin,
                    "title": d.title,
                    "url": d.url,
                }
                for d, s in zip(self.documents, self.stages, strict=True)
            ],
            "corrects": [{"correction": c, "corrected": o} for c, o in self.corrects],
            "proposed_to_final_days": self.proposed_to_final_days,
            "final_to_effective_days": self.final_to_effective_days,
            "proposed_to_effective_days": self.proposed_to_effective_days,
        }


_KEY_RANK = {"file": 0, "rin": 1, "docket": 2, "title": 3}


@lru_cache(maxsize=16384)
def _rulemaking_key(keys: frozenset[str]) -> str:
    best = min(keys, key=lambda k: (_KEY_RANK[k.split(":")[0]], k), default="")
    return best.split(":", 1)[1] if best else ""


def link_rulemakings(
    documents: Iterable[PolicyDocument], actions: Actions | None = None
) -> list[Rulemaking]:
    """Group documents into rulemakings (union of shared keys); unlinked documents stand alone."""
    actions = actions or {}
    docs = sorted(documents, key=lambda d: (d.publication_date, d.document_number))
    parent = list(range(len(docs)))

    def find(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    owner: dict[str, int] = {}
    doc_keys: list[frozenset[str]] = []
    for i, d in enumerate(docs):
        keys = _link_keys(d.rin, d.file_code, d.docket, d.title)
        doc_keys.append(keys)
        for k in keys:
            if k in owner:
                a, b = find(owner[k]), find(i)
                if a != b:
                    parent[max(a, b)] = min(a, b)
            else:
                owner[k] = i
    groups: dict[int, list[int]] = {}
    for i in range(len(docs)):
        groups.setdefault(find(i), []).append(i)
    out = []
    no_action = ("", "")
    for members in groups.values():
        group_docs = [docs[i] for i in members]
        stages = [stage(d, *actions.get(d.document_number, no_action)) for d in group_docs]
        if len(members) == 1:  # most documents: no correction pairs, the key of its own keys
            key = _rulemaking_key(doc_keys[members[0]]) or group_docs[0].document_number
            corrects: list[tuple[str, str]] = []
            named = actions.get(group_docs[0].document_number, no_action)[1]
            if stages[0] == "correction" and named:
                corrects = [(group_docs[0].document_number, named)]
        else:
            corrects = _corrections(group_docs, stages, actions)
            keys = frozenset().union(*(doc_keys[i] for i in members))
            key = _rulemaking_key(keys) or group_docs[0].document_number
        out.append(Rulemaking(key, tuple(group_docs), tuple(stages), tuple(corrects)))
    out.sort(key=lambda r: (r.documents[0].publication_date, r.key))
    return out


def _corrections(
    docs: list[PolicyDocument], stages: list[str], actions: Actions
) -> list[tuple[str, str]]:
    pairs = []
    latest: dict[str, PolicyDocument] = {}  # the latest proposed / final rule seen so far
    for d, s in zip(docs, stages, strict=True):
        if s != "correction":
            latest[s] = d
            continue
        named = actions.get(d.document_number, ("", ""))[1]
        if named:
            pairs.append((d.document_number, named))
            continue
        earlier = latest.get("proposed" if d.is_proposed else "final")
        if earlier is not None:
            pairs.append((d.document_number, earlier.document_number))
    return pairs


class RulemakingIndex:
    """Which rulemaking each document belongs to, and its stage there (one linking for all)."""

    def __init__(self, groups: Iterable[Rulemaking]) -> None:
        self.rulemakings = list(groups)
        self._of: dict[str, tuple[Rulemaking, str]] = {}
        self._finals: dict[int, tuple[list[date], list[PolicyDocument]]] = {}
        """Per rulemaking (by ``id``): its final rules' publication dates and the rules, in
        order, so :meth:`final_for` is a binary search, not a walk of the rulemaking."""
        self._corrects: dict[str, str] = {}
        for r in self.rulemakings:
            finals = [d for d, s in zip(r.documents, r.stages, strict=True) if s == "final"]
            self._finals[id(r)] = ([d.publication_date for d in finals], finals)
            for d, s in zip(r.documents, r.stages, strict=True):
                self._of[d.document_number] = (r, s)
            for c, o in r.corrects:
                self._corrects.setdefault(c, o)

    @classmethod
    def build(
        cls, documents: Iterable[PolicyDocument], actions: Actions | None = None
    ) -> RulemakingIndex:
        """Link ``documents`` (see :func:`link_rulemakings`)."""
        return cls(link_rulemakings(documents, actions))

    def rulemaking_of(self, doc: PolicyDocument) -> Rulemaking | None:
        """The rulemaking ``doc`` belongs to."""
        found = self._of.get(doc.document_number)
        return found[0] if found else None

    def stage_of(self, doc: PolicyDocument) -> str:
        """``doc``'s stage in its rulemaking (``other`` when unknown)."""
        found = self._of.get(doc.document_number)
        return found[1] if found else "other"

    def final_for(self, doc: PolicyDocument) -> PolicyDocument | None:
        """For a proposed rule: the first final rule of its rulemaking published on or after it."""
        found = self._of.get(doc.document_number)
        if found is None or found[1] != "proposed":
            return None
        days, finals = self._finals[id(found[0])]
        i = bisect_left(days, doc.publication_date)  # finals are in publication order
        return finals[i] if i < len(finals) else None

    def proposed_for(self, doc: PolicyDocument) -> PolicyDocument | None:
        """For a final rule: its rulemaking's first proposed rule published on or before it."""
        found = self._of.get(doc.document_number)
        if found is None or found[1] != "final":
            return None
        first = found[0].proposed  # documents are in publication order: the earliest one
        return (
            first if first is not None and first.publication_date <= doc.publication_date else None
        )

    def corrected_by(self, doc: PolicyDocument) -> str | None:
        """For a correction: the document number it corrects, when known."""
        return self._corrects.get(doc.document_number)

    def lead_time_pairs(self) -> list[tuple[PolicyDocument, PolicyDocument]]:
        """(proposed, final) cycles of every rulemaking: each final rule with the first proposed
        rule published since the previous final. A rulemaking that spans two annual cycles (a
        final rule also finalising last year's file code) gives both pairs."""
        pairs = []
        for r in self.rulemakings:
            pending: PolicyDocument | None = None
            for d, s in zip(r.documents, r.stages, strict=True):
                if s == "proposed" and pending is None:
                    pending = d
                elif s == "final" and pending is not None:
                    pairs.append((pending, d))
                    pending = None
        return pairs


def rulemaking_index(store: Store, as_of: date) -> RulemakingIndex:
    """The rulemakings of the store as of ``as_of`` (documents published by then)."""
    from payforce.store import fr_tables
    from payforce.store.queries import list_documents

    return RulemakingIndex.build(list_documents(store, as_of), fr_tables.list_actions(store))


def rulemakings(store: Store, as_of: date) -> list[Rulemaking]:
    """Every rulemaking in the store as of ``as_of`` (documents published by then)."""
    from payforce.store import fr_tables
    from payforce.store.queries import list_documents

    return link_rulemakings(list_documents(store, as_of), fr_tables.list_actions(store))


def comment_window(doc: PolicyDocument) -> CommentWindow | None:
    """The document's comment window, when it has a closing date."""
    if doc.comments_close_date is None:
        return None
    return CommentWindow(doc, doc.publication_date, doc.comments_close_date)


def open_for_comment(store: Store, as_of: date) -> list[CommentWindow]:
    """Documents published by ``as_of`` whose comment period is still open, closing soonest first.

    The lead's ``payforce docs --open-for-comment`` calls this.
    """
    from payforce.store.queries import list_documents

    windows = [w for d in list_documents(store, as_of) if (w := comment_window(d))]
    return sorted(
        (w for w in windows if w.opens <= as_of <= w.closes),
        key=lambda w: (w.closes, w.document.document_number),
    )
