"""O*NET database text files: occupations, alternate titles, tasks, skills, related occupations.

The O*NET database ships as ``db_<version>_text.zip``: tab-delimited UTF-8 files with a header
row, **no quoting at all** (task text contains raw ``"`` characters, so the CSV reader runs with
``QUOTE_NONE``), header names with spaces and ``*`` (``O*NET-SOC Code``) and the literal value
``n/a``. We read a zip or a folder holding (some of) these files:

| file                        | used for                                         |
|-----------------------------|--------------------------------------------------|
| Occupation Data.txt         | titles and descriptions (required)               |
| Alternate Titles.txt        | role resolution from free text                   |
| Task Statements.txt         | task overlap between a role and a pivot target   |
| Skills.txt                  | skill-importance overlap (scale IM)              |
| Related Occupations.txt     | O*NET's own related-occupation tiers             |

O*NET is licensed CC BY 4.0: any output that uses it carries :data:`ATTRIBUTION`.
"""

from __future__ import annotations

import csv
import io
import re
import zipfile
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path

import httpx

from payforce.errors import FetchError, ParseError

__all__ = [
    "ATTRIBUTION",
    "DEFAULT_RELEASE",
    "ONET_FILES",
    "AlternateTitle",
    "ONetDatabase",
    "Occupation",
    "RelatedOccupation",
    "Skill",
    "Task",
    "fetch_onet",
    "onet_url",
    "parse_alternate_titles",
    "parse_occupations",
    "parse_onet_dir",
    "parse_onet_files",
    "parse_onet_zip",
    "parse_related",
    "parse_skills",
    "parse_tasks",
]

DEFAULT_RELEASE = "30_0"
"""O*NET database release fetched by default (``db_30_0_text.zip``, August 2025)."""
ONET_URL = "https://www.onetcenter.org/dl_files/database/db_{release}_text.zip"

ATTRIBUTION = (
    "This product includes information from the O*NET Database by the U.S. Department of Labor, "
    "Employment and Training Administration (USDOL/ETA), used under the CC BY 4.0 license "
    "(https://creativecommons.org/licenses/by/4.0/). O*NET(R) is a trademark of USDOL/ETA. "
    "payforce has modified all or some of this information; USDOL/ETA has not approved, endorsed, "
    "or tested these modifications."
)
"""The credit O*NET asks for (O*NET Resource Center license page), printed wherever we use it."""

ONET_FILES = (
    "Occupation Data.txt",
    "Alternate Titles.txt",
    "Task Statements.txt",
    "Skills.txt",
    "Related Occupations.txt",
)
_CODE = re.compile(r"^\d{2}-\d{4}\.\d{2}$")


@dataclass(frozen=True)
class Occupation:
    """An O*NET-SOC occupation."""

    onet_soc: str
    """O*NET-SOC code with its 2-digit suffix, e.g. ``29-1141.00``."""
    title: str
    """Title."""
    description: str
    """Description."""


@dataclass(frozen=True)
class AlternateTitle:
    """A title people use for an occupation (the resolver's best source)."""

    onet_soc: str
    """O*NET-SOC code."""
    title: str
    """Alternate title."""
    short_title: str
    """Short title, or empty where the file says ``n/a``."""
    sources: str
    """Comma-separated 2-digit source codes, kept as text (``04,06``)."""


@dataclass(frozen=True)
class Task:
    """A task statement."""

    onet_soc: str
    """O*NET-SOC code."""
    task_id: int
    """O*NET task id."""
    task: str
    """Task text (may contain raw double quotes)."""
    task_type: str
    """``Core``, ``Supplemental`` or empty (``n/a`` for analyst rows)."""


@dataclass(frozen=True)
class Skill:
    """A skill rating for an occupation (importance and level scales joined)."""

    onet_soc: str
    """O*NET-SOC code."""
    element_id: str
    """Content-model element id, e.g. ``2.A.1.a``."""
    name: str
    """Skill name."""
    importance: float | None
    """Importance (scale IM, 1-5)."""
    level: float | None
    """Level (scale LV, 0-7)."""


@dataclass(frozen=True)
class RelatedOccupation:
    """O*NET's related-occupation link."""

    onet_soc: str
    """From code."""
    related_soc: str
    """To code."""
    tier: str
    """Relatedness tier, e.g. ``Primary-Short``."""
    rank: int | None
    """Index within the tier list."""


@dataclass(frozen=True)
class ONetDatabase:
    """The parsed O*NET files we use."""

    release: str
    """Release as printed in Read Me.txt (``O*NET 27.0 Database``) or the zip name."""
    occupations: tuple[Occupation, ...]
    """Occupation Data rows."""
    alternate_titles: tuple[AlternateTitle, ...] = field(default_factory=tuple)
    """Alternate Titles rows."""
    tasks: tuple[Task, ...] = field(default_factory=tuple)
    """Task Statements rows."""
    skills: tuple[Skill, ...] = field(default_factory=tuple)
    """Skills rows (IM and LV joined)."""
    related: tuple[RelatedOccupation, ...] = field(default_factory=tuple)
    """Related Occupations rows."""
    files: tuple[str, ...] = field(default_factory=tuple)
    """Which files were found."""


def _rows(text: str, name: str, required: Iterable[str]) -> Iterable[tuple[int, dict[str, str]]]:
    # a lone carriage return would stop csv with an error (found by tests/fuzz): a line break
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    reader = csv.reader(io.StringIO(text), delimiter="\t", quoting=csv.QUOTE_NONE)
    try:
        header = next(reader)
    except StopIteration:
        raise ParseError("empty file", path=name) from None
    header = [h.lstrip("\ufeff").strip() for h in header]
    missing = [r for r in required if r not in header]
    if missing:
        raise ParseError(
            "missing column " + ", ".join(repr(m) for m in missing),
            path=name,
            line=1,
            value="\t".join(header)[:80],
            hint="Check this is an O*NET database text file",
        )
    for line, cells in enumerate(reader, start=2):
        if not cells or all(not c for c in cells):
            continue
        if len(cells) != len(header):
            raise ParseError(
                f"expected {len(header)} tab-separated fields, got {len(cells)}",
                path=name,
                line=line,
                value="\t".join(cells)[:60],
                hint="The file may have been re-saved with quoting; use the O*NET original",
            )
        row = dict(zip(header, cells, strict=True))
        code = row["O*NET-SOC Code"]
        if not _CODE.match(code):
            raise ParseError(
                "not an O*NET-SOC code", path=name, line=line, field="O*NET-SOC Code", value=code
            )
        yield line, row


def _na(value: str) -> str:
    return "" if value.strip().lower() == "n/a" else value.strip()


def parse_occupations(text: str, name: str = "Occupation Data.txt") -> list[Occupation]:
    """Parse ``Occupation Data.txt``."""
    return [
        Occupation(r["O*NET-SOC Code"], r["Title"], r["Description"])
        for _, r in _rows(text, name, ("O*NET-SOC Code", "Title", "Description"))
    ]


def parse_alternate_titles(text: str, name: str = "Alternate Titles.txt") -> list[AlternateTitle]:
    """Parse ``Alternate Titles.txt`` (``n/a`` short titles become empty)."""
    out: dict[tuple[str, str], AlternateTitle] = {}
    for _, r in _rows(text, name, ("O*NET-SOC Code", "Alternate Title")):
        item = AlternateTitle(
            r["O*NET-SOC Code"],
            r["Alternate Title"].strip(),
            _na(r.get("Short Title", "")),
            r.get("Source(s)", ""),
        )
        out.setdefault((item.onet_soc, item.title), item)
    return list(out.values())


def parse_tasks(text: str, name: str = "Task Statements.txt") -> list[Task]:
    """Parse ``Task Statements.txt`` (raw quotes kept; ``n/a`` task types become empty)."""
    out = []
    for line, r in _rows(text, name, ("O*NET-SOC Code", "Task ID", "Task")):
        try:
            task_id = int(r["Task ID"])
        except ValueError:
            raise ParseError(
                "not a task id", path=name, line=line, field="Task ID", value=r["Task ID"]
            ) from None
        out.append(Task(r["O*NET-SOC Code"], task_id, r["Task"], _na(r.get("Task Type", ""))))
    return out


def parse_skills(text: str, name: str = "Skills.txt") -> list[Skill]:
    """Parse ``Skills.txt``, joining the importance (IM) and level (LV) rows of each skill."""
    values: dict[tuple[str, str], dict[str, float | str]] = {}
    for line, r in _rows(
        text, name, ("O*NET-SOC Code", "Element ID", "Element Name", "Scale ID", "Data Value")
    ):
        key = (r["O*NET-SOC Code"], r["Element ID"])
        entry = values.setdefault(key, {"name": r["Element Name"]})
        try:
            entry[r["Scale ID"]] = float(r["Data Value"])
        except ValueError:
            raise ParseError(
                "not a number", path=name, line=line, field="Data Value", value=r["Data Value"]
            ) from None
    out = []
    for (code, element), v in values.items():
        im, lv = v.get("IM"), v.get("LV")
        out.append(
            Skill(
                code,
                element,
                str(v["name"]),
                im if isinstance(im, float) else None,
                lv if isinstance(lv, float) else None,
            )
        )
    return out


def parse_related(text: str, name: str = "Related Occupations.txt") -> list[RelatedOccupation]:
    """Parse ``Related Occupations.txt``."""
    out = []
    for _, r in _rows(text, name, ("O*NET-SOC Code", "Related O*NET-SOC Code")):
        index = r.get("Index", "").strip()
        out.append(
            RelatedOccupation(
                r["O*NET-SOC Code"],
                r["Related O*NET-SOC Code"],
                r.get("Relatedness Tier", ""),
                int(index) if index.isdigit() else None,
            )
        )
    return out


_PARSERS: dict[str, Callable[[str, str], list]] = {  # type: ignore[type-arg]
    "Alternate Titles.txt": parse_alternate_titles,
    "Task Statements.txt": parse_tasks,
    "Skills.txt": parse_skills,
    "Related Occupations.txt": parse_related,
}


def _release(readme: str | None, fallback: str) -> str:
    if readme:
        first = readme.strip().splitlines()[0].strip()
        if first:
            return first
    return fallback


def parse_onet_files(files: dict[str, str], source: str) -> ONetDatabase:
    """Parse O*NET files given as {file name: text}. ``Occupation Data.txt`` is required.

    File names are matched case-insensitively on their start, so trimmed excerpts named like
    ``Occupation Data_healthcare.txt`` are read too.
    """

    def pick(base: str) -> tuple[str, str] | None:
        stem = base[: -len(".txt")].lower()
        for name, text in sorted(files.items()):
            leaf = name.rsplit("/", 1)[-1]
            if leaf.lower().startswith(stem) and leaf.lower().endswith(".txt"):
                return leaf, text
        return None

    occ = pick("Occupation Data.txt")
    if occ is None:
        raise ParseError(
            "no 'Occupation Data.txt'",
            path=source,
            value=", ".join(sorted(files))[:80],
            hint="Pass the O*NET db_<version>_text.zip or its extracted folder",
        )
    found = [occ[0]]
    parsed: dict[str, list] = {}  # type: ignore[type-arg]
    for base, parser in _PARSERS.items():
        hit = pick(base)
        if hit is not None:
            parsed[base] = parser(hit[1], hit[0])
            found.append(hit[0])
    readme = pick("Read Me.txt")
    return ONetDatabase(
        release=_release(readme[1] if readme else None, source),
        occupations=tuple(parse_occupations(occ[1], occ[0])),
        alternate_titles=tuple(parsed.get("Alternate Titles.txt", ())),
        tasks=tuple(parsed.get("Task Statements.txt", ())),
        skills=tuple(parsed.get("Skills.txt", ())),
        related=tuple(parsed.get("Related Occupations.txt", ())),
        files=tuple(found),
    )


def _decode(data: bytes, name: str = "O*NET file") -> str:
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        pass
    try:
        return data.decode("cp1252")
    except UnicodeDecodeError:  # neither: say so in one line (sources/validate.py)
        from payforce.sources.validate import decode_utf8

        return decode_utf8(data, path=name, what="an O*NET text file")


def parse_onet_zip(data: bytes, name: str) -> ONetDatabase:
    """Parse the O*NET text zip (``db_30_0_text.zip``) from bytes."""
    try:
        zf = zipfile.ZipFile(io.BytesIO(data))
    except zipfile.BadZipFile:
        raise ParseError(
            "not a zip file",
            path=name,
            hint="Pass the O*NET db_<version>_text.zip or its extracted folder",
        ) from None
    with zf:
        wanted = {*(f.lower() for f in ONET_FILES), "read me.txt"}
        files = {
            n: _decode(zf.read(n), n)
            for n in zf.namelist()
            if n.rsplit("/", 1)[-1].lower() in wanted
        }
    return parse_onet_files(files, name)


def parse_onet_dir(folder: Path) -> ONetDatabase:
    """Parse O*NET text files in a folder (the extracted zip, or trimmed excerpts)."""
    files = {p.name: _decode(p.read_bytes(), str(p)) for p in sorted(folder.glob("*.txt"))}
    return parse_onet_files(files, str(folder))


def onet_url(release: str = DEFAULT_RELEASE) -> str:
    """Download URL of the O*NET text database for ``release`` (``30_0``)."""
    return ONET_URL.format(release=release)


def fetch_onet(client: httpx.Client, release: str = DEFAULT_RELEASE) -> tuple[bytes, str]:
    """Download the O*NET text database zip; returns (bytes, url)."""
    url = onet_url(release)
    try:
        response = client.get(url)
    except httpx.TimeoutException as exc:
        raise FetchError("timed out", url=url, hint="Retry later or pass --from-file") from exc
    except httpx.HTTPError as exc:
        raise FetchError(
            f"request failed ({exc.__class__.__name__})",
            url=url,
            hint="Check the network, or pass --from-file",
        ) from exc
    if response.status_code != 200:
        raise FetchError(
            "unexpected response",
            url=url,
            status=response.status_code,
            hint="Check the release (e.g. 30_0), or pass --from-file",
        )
    return response.content, url
