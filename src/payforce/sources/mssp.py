"""Medicare Shared Savings Program (MSSP) performance-year results PUFs: parse and fetch.

CMS publishes one row per ACO for each performance year ("Shared Savings Program ACO PUF",
later "Performance Year Financial and Quality Results", later "ACO Results PUF"). The columns
change every year, so a file is read by header name through a per-layout column map
(:data:`LAYOUTS`); a layout we do not know is refused with the columns it lacks. Each file gives
one :class:`MsspYear`: the year's ACO count, assigned beneficiaries (sum of ``N_AB``), savings and
losses, earned shared savings and the mean quality score, dated by the results' public release
(:data:`RELEASES`).

``parse_*`` functions are pure; ``fetch_*`` functions read data.cms.gov's data API through the
``httpx.Client`` they are given and hand the same rows to the same aggregation.
"""

from __future__ import annotations

import csv
import hashlib
import io
import re
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

import orjson

from payforce.errors import FetchError, InputError, ParseError
from payforce.sources.mssp_layouts import (
    API_ENDPOINTS,
    API_PAGE_SIZE,
    DEFAULT_API_URL,
    LAYOUTS,
    NOT_SCORED,
    RELEASES,
    Layout,
    Release,
    release_for,
)

if TYPE_CHECKING:
    import httpx

__all__ = [
    "API_ENDPOINTS",
    "DEFAULT_API_URL",
    "LAYOUTS",
    "RELEASES",
    "Layout",
    "MsspYear",
    "Release",
    "detect_layout",
    "fetch_year",
    "parse_file",
    "parse_rows",
    "parse_text",
]


@dataclass(frozen=True)
class MsspYear:
    """One performance year's results, summed over its ACOs."""

    performance_year: int
    """The performance year the file reports."""
    layout: str
    """The layout it was read with."""
    source: str
    """File name or URL."""
    sha256: str
    """sha256 of the bytes read."""
    aco_count: int
    """ACOs with results (rows)."""
    assigned_beneficiaries: int
    """Sum of ``N_AB`` (assigned beneficiaries)."""
    generated_savings_losses: float
    """Sum of ``GenSaveLoss``: savings (or losses) of ACOs past their minimum savings/loss rate."""
    benchmark_minus_expenditures: float
    """Sum of ``BnchmkMinExp``: total benchmark minus total expenditures, every ACO."""
    earned_shared_savings: float
    """Sum of positive ``EarnSaveLoss``: shared savings paid to ACOs."""
    owed_shared_losses: float
    """Sum of negative ``EarnSaveLoss``, as a positive amount: shared losses ACOs owe."""
    acos_earning_shared_savings: int
    """ACOs with positive ``EarnSaveLoss``."""
    mean_quality_score: float | None
    """Mean ``QualScore`` in percent over the ACOs with a score (None when none has one)."""
    quality_scored_acos: int
    """ACOs with a numeric quality score."""
    release: Release = field(default_factory=lambda: release_for(0))
    """When these results became public."""

    def metrics(self) -> list[dict[str, Any]]:
        """The year's ``program_metrics`` values (question 3 reads ``mssp_aco_count`` and
        ``mssp_assigned_beneficiaries``)."""
        y = self.performance_year
        out: list[tuple[str, float | None, str, str]] = [
            ("mssp_aco_count", self.aco_count, f"{self.aco_count}", "ACOs with PY results"),
            (
                "mssp_assigned_beneficiaries",
                round(self.assigned_beneficiaries / 1e6, 3),
                f"{self.assigned_beneficiaries / 1e6:.3f}",
                f"million assigned beneficiaries (sum of N_AB = {self.assigned_beneficiaries:,})",
            ),
            (
                "mssp_generated_savings_losses",
                round(self.generated_savings_losses / 1e9, 3),
                f"{self.generated_savings_losses / 1e9:.3f}",
                "USD billion (sum of GenSaveLoss)",
            ),
            (
                "mssp_benchmark_minus_expenditures",
                round(self.benchmark_minus_expenditures / 1e9, 3),
                f"{self.benchmark_minus_expenditures / 1e9:.3f}",
                "USD billion (sum of BnchmkMinExp, every ACO)",
            ),
            (
                "mssp_earned_shared_savings",
                round(self.earned_shared_savings / 1e9, 3),
                f"{self.earned_shared_savings / 1e9:.3f}",
                f"USD billion paid to {self.acos_earning_shared_savings} ACOs "
                "(sum of positive EarnSaveLoss)",
            ),
            (
                "mssp_owed_shared_losses",
                round(self.owed_shared_losses / 1e6, 1),
                f"{self.owed_shared_losses / 1e6:.1f}",
                "USD million (sum of negative EarnSaveLoss)",
            ),
        ]
        if self.mean_quality_score is not None:
            out.append(
                (
                    "mssp_mean_quality_score",
                    round(self.mean_quality_score, 2),
                    f"{self.mean_quality_score:.2f}",
                    f"percent, mean QualScore of {self.quality_scored_acos} scored ACOs "
                    "(scoring rules change between years)",
                )
            )
        return [
            {
                "metric": name,
                "year": y,
                "value": float(value) if value is not None else None,
                "value_text": text,
                "unit": unit,
                "available_from": self.release.available_from,
                "approximate": False,
                "confidence": self.release.confidence,
                "source_url": self.source_url,
            }
            for name, value, text, unit in out
        ]

    @property
    def source_url(self) -> str:
        """Where the results come from: the data.cms.gov dataset, then the file read."""
        dataset = API_ENDPOINTS.get(self.performance_year)
        parts = [f"{DEFAULT_API_URL}/dataset/{dataset}/data"] if dataset else []
        parts.append(f"{Path(self.source).name} sha256:{self.sha256[:16]}")
        return " | ".join(parts)

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready form (every metric carries its ``available_from``)."""
        return {
            "performance_year": self.performance_year,
            "layout": self.layout,
            "source": self.source,
            "sha256": self.sha256,
            "aco_count": self.aco_count,
            "assigned_beneficiaries": self.assigned_beneficiaries,
            "generated_savings_losses": round(self.generated_savings_losses, 2),
            "benchmark_minus_expenditures": round(self.benchmark_minus_expenditures, 2),
            "earned_shared_savings": round(self.earned_shared_savings, 2),
            "owed_shared_losses": round(self.owed_shared_losses, 2),
            "acos_earning_shared_savings": self.acos_earning_shared_savings,
            "mean_quality_score": (
                round(self.mean_quality_score, 4) if self.mean_quality_score is not None else None
            ),
            "quality_scored_acos": self.quality_scored_acos,
            "available_from": self.release.available_from.isoformat(),
            "confidence": self.release.confidence,
            "release_note": self.release.note,
            "release_source": self.release.source,
            "metrics": [
                {**m, "available_from": m["available_from"].isoformat()} for m in self.metrics()
            ],
        }


def detect_layout(header: Sequence[str], source: str, year: int | None = None) -> Layout:
    """The layout whose columns the header has; a ParseError naming the missing ones if none
    (against the closest layout: most columns present, then the one of ``year``)."""
    have = set(header)
    for layout in LAYOUTS:
        if all(c in have for c in layout.required):
            return layout
    closest = max(
        LAYOUTS,
        key=lambda lay: (sum(c in have for c in lay.required), year in lay.years),
    )
    missing = [c for c in closest.required if c not in have]
    raise ParseError(
        f"unknown MSSP results layout; missing columns {', '.join(missing)} "
        f"(closest known layout: {closest.name})",
        path=source,
        line=1,
        hint="payforce reads the PY2014-2018 and 2020-2024 PUF layouts",
    )


_YEAR_IN_NAME = re.compile(r"(?<!\d)(20[1-4]\d)(?!\d)")


def year_from_name(source: str) -> int | None:
    """The performance year in a file name (``..._2020.csv``, ``PY 2023 ...``), if exactly one."""
    years = set(_YEAR_IN_NAME.findall(Path(source).name))
    return int(years.pop()) if len(years) == 1 else None


def _number(text: str, source: str, line: int, column: str, *, percent: bool = False) -> float:
    cleaned = text.strip().replace(",", "").replace("$", "")
    if percent and cleaned.endswith("%"):
        cleaned = cleaned[:-1]
    try:
        value = float(cleaned)
    except ValueError:
        raise ParseError("not a number", path=source, line=line, field=column, value=text) from None
    if value != value or value in (float("inf"), float("-inf")):
        raise ParseError("not a finite number", path=source, line=line, field=column, value=text)
    return value


def parse_rows(
    header: Sequence[str],
    rows: Iterable[tuple[int, Sequence[str]]],
    *,
    source: str,
    sha256: str,
    year: int | None = None,
) -> MsspYear:
    """Sum one file's ACO rows (``(line, values)`` pairs) into its :class:`MsspYear`.

    ``year`` is the performance year the caller expects (from ``--year``, the file name or the
    API endpoint); a ``year`` column that disagrees, or rows of several years, are refused.
    """
    layout = detect_layout(header, source, year)
    index = {name: i for i, name in enumerate(header)}
    width = len(header)
    col = {
        k: index[getattr(layout, k)]
        for k in ("aco_id", "beneficiaries", "generated", "earned", "quality")
    }
    col["bme"] = index[layout.benchmark_minus_expenditures]
    year_col = index[layout.year_column] if layout.year_column else None
    seen: dict[str, int] = {}
    file_year: int | None = None
    n = beneficiaries = earning = scored = 0
    generated = bme = earned = owed = quality_sum = 0.0
    for line, values in rows:
        if len(values) != width:
            raise ParseError(
                f"expected {width} fields, found {len(values)}", path=source, line=line, field="row"
            )
        aco = values[col["aco_id"]].strip()
        if not aco:
            raise ParseError("empty ACO identifier", path=source, line=line, field=layout.aco_id)
        if aco in seen:
            raise ParseError(
                f"ACO listed twice (first on line {seen[aco]})",
                path=source,
                line=line,
                field=layout.aco_id,
                value=aco,
            )
        seen[aco] = line
        if year_col is not None:
            text = values[year_col].strip()
            if not text.isdigit():
                raise ParseError(
                    "not a year", path=source, line=line, field=layout.year_column, value=text
                )
            if file_year is None:
                file_year = int(text)
            elif int(text) != file_year:
                raise ParseError(
                    f"rows of more than one year ({file_year} above)",
                    path=source,
                    line=line,
                    field=layout.year_column,
                    value=text,
                )
        nab = _number(values[col["beneficiaries"]], source, line, layout.beneficiaries)
        if nab < 0 or nab != int(nab):
            raise ParseError(
                "not a whole number of beneficiaries",
                path=source,
                line=line,
                field=layout.beneficiaries,
                value=values[col["beneficiaries"]],
            )
        gen = _number(values[col["generated"]], source, line, layout.generated)
        earn = _number(values[col["earned"]], source, line, layout.earned)
        bme += _number(values[col["bme"]], source, line, layout.benchmark_minus_expenditures)
        q = values[col["quality"]].strip()
        if q not in NOT_SCORED:
            quality_sum += (
                _number(q, source, line, layout.quality, percent=True) * layout.quality_scale
            )
            scored += 1
        n += 1
        beneficiaries += int(nab)
        generated += gen
        if earn > 0:
            earned += earn
            earning += 1
        elif earn < 0:
            owed -= earn
    if n == 0:
        raise ParseError("no ACO rows", path=source, line=2, hint="Is the file cut short?")
    if year is not None and file_year is not None and year != file_year:
        raise InputError(
            f"{source}: the file holds performance year {file_year}, not {year}",
            hint="Drop --year, or give the file of that year",
        )
    py = file_year if file_year is not None else year
    if py is None:
        raise InputError(
            f"{source}: cannot tell the performance year (no year column, none in the file name)",
            hint="Pass --year, or keep the year in the file name as CMS names it",
        )
    return MsspYear(
        performance_year=py,
        layout=layout.name,
        source=source,
        sha256=sha256,
        aco_count=n,
        assigned_beneficiaries=beneficiaries,
        generated_savings_losses=generated,
        benchmark_minus_expenditures=bme,
        earned_shared_savings=earned,
        owed_shared_losses=owed,
        acos_earning_shared_savings=earning,
        mean_quality_score=quality_sum / scored if scored else None,
        quality_scored_acos=scored,
        release=release_for(py),
    )


def _csv_rows(reader: Iterator[list[str]], line_of: Any) -> Iterator[tuple[int, list[str]]]:
    for values in reader:
        if not values or (len(values) == 1 and not values[0].strip()):
            continue  # a blank line (the last CRLF)
        yield line_of(), values


def parse_text(data: bytes, source: str, year: int | None = None) -> MsspYear:
    """Parse one PUF's bytes (CSV, UTF-8 with or without BOM, LF or CRLF)."""
    sha = hashlib.sha256(data).hexdigest()
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        try:
            text = data.decode("cp1252")
        except UnicodeDecodeError as exc:
            raise ParseError(
                f"not a text file (byte {exc.start})", path=source, hint="Give the PUF as CSV"
            ) from None
    reader = csv.reader(io.StringIO(text, newline=""))
    try:
        header = [h.strip() for h in next(reader)]
    except StopIteration:
        raise ParseError("empty file", path=source) from None
    except csv.Error as exc:
        raise ParseError(f"not CSV ({exc})", path=source, line=1) from None
    if year is None:
        year = year_from_name(source)
    try:
        return parse_rows(
            header,
            _csv_rows(reader, lambda: reader.line_num),
            source=source,
            sha256=sha,
            year=year,
        )
    except csv.Error as exc:
        raise ParseError(f"not CSV ({exc})", path=source, line=reader.line_num) from None


def parse_file(path: Path, year: int | None = None) -> MsspYear:
    """Read and parse one PUF file."""
    try:
        data = path.read_bytes()
    except IsADirectoryError:
        raise InputError(f"{path}: is a folder", hint="Give the PUF's CSV file") from None
    except OSError as exc:
        raise InputError(f"{path}: cannot read ({exc.strerror})", hint="Check the path") from None
    return parse_text(data, str(path), year)


def fetch_year(client: httpx.Client, base_url: str, year: int) -> MsspYear:
    """Fetch one performance year from data.cms.gov's data API and parse it like a file."""
    import httpx

    dataset = API_ENDPOINTS.get(year)
    if dataset is None:
        known = ", ".join(str(y) for y in sorted(API_ENDPOINTS))
        raise InputError(
            f"--year {year}: no known data.cms.gov dataset for this performance year "
            f"(known: {known})",
            hint="Download the PUF and run payforce sync mssp --from-file FILE",
        )
    url = f"{base_url.rstrip('/')}/dataset/{dataset}/data"
    records: list[dict[str, Any]] = []
    digest = hashlib.sha256()
    offset = 0
    while True:
        try:
            resp = client.get(url, params={"size": API_PAGE_SIZE, "offset": offset})
        except httpx.HTTPError as exc:
            raise FetchError(f"request failed ({exc})", url=url) from None
        if resp.status_code != 200:
            raise FetchError("unexpected response", url=url, status=resp.status_code)
        digest.update(resp.content)
        try:
            page = orjson.loads(resp.content)
        except orjson.JSONDecodeError:
            raise ParseError("not JSON", path=url, value=resp.content[:40]) from None
        if not isinstance(page, list) or not all(isinstance(r, dict) for r in page):
            raise ParseError("expected a JSON array of rows", path=url)
        records.extend(page)
        if len(page) < API_PAGE_SIZE:
            break
        offset += API_PAGE_SIZE
    if not records:
        raise ParseError("no ACO rows", path=url)
    header = list(records[0])
    rows = (
        (i, ["" if r.get(h) is None else str(r.get(h)) for h in header])
        for i, r in enumerate(records, start=1)
    )
    return parse_rows(header, rows, source=url, sha256=digest.hexdigest(), year=year)
