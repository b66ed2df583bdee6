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
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any

import orjson

from payforce.errors import FetchError, InputError, ParseError

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

DEFAULT_API_URL = "https://data.cms.gov/data-api/v1"
"""data.cms.gov data API (``PAYFORCE_MSSP_API_URL`` overrides it, e.g. for a mirror)."""
API_PAGE_SIZE = 5000
"""Rows per data-API request (a year has at most ~600 ACOs, so one page)."""

API_ENDPOINTS: dict[int, str] = {
    2014: "0ef9b1e2-e23b-4a01-921c-1ac7290c814b",
    2015: "156c00e2-ab42-4923-b54f-09c031f5f28d",
    2016: "a290fdd3-976a-4fc9-9139-a98193b3af82",
    2017: "3b306450-1836-417b-b779-7d70fd2fc734",
    2018: "80c86127-8839-4f35-b87b-aa37664afd19",
    2020: "8f073013-9db0-4b12-9a34-5802bdabbdfe",
    2021: "a5d74ce2-ba38-47be-8523-146e4ad41832",
    2023: "7082a8f1-6d51-4723-853d-086bf254f5fb",
    2024: "73b2ce14-351d-40ac-90ba-ec9e1f5ba80c",
}
"""data.cms.gov dataset ids per performance year, as listed in ``samstearns/mssp``
``R/cms_endpoints.R`` @ 92c4add8. That list gives 2022 the same id as 2021, so 2022 is left out
(sync it from a downloaded file); 2013 and 2019 are left out because no file of their layout has
been seen here."""

NOT_SCORED = frozenset({"", "-", "N/A", "NA", "P4R", "."})
"""Quality-score cells that mean "not scored" (P4R: a first-year ACO paid for reporting)."""


@dataclass(frozen=True)
class Release:
    """When a performance year's results became public, and how sure we are."""

    available_from: date
    """First day the results were public (``as_of`` filtering uses it)."""
    confidence: str
    """high / medium / low."""
    note: str
    """How the date was found, or the rule used when it could not be confirmed."""
    source: str = ""
    """Where the date was read."""


RELEASES: dict[int, Release] = {
    2014: Release(
        date(2015, 8, 25),
        "medium",
        "CMS announced the PY2014 results on 2015-08-25; PUF assumed posted the same day",
        "https://www.healthcare-informatics.com/news-item/cms-medicare-acos-produced-411m-savings-2014",
    ),
    2015: Release(
        date(2016, 8, 25),
        "medium",
        "CMS announced the PY2015 results on 2016-08-25; PUF assumed posted the same day",
        "https://paltc.org/publications/py-2015-medicare-aco-results",
    ),
    2016: Release(
        date(2017, 10, 31),
        "medium",
        "no announcement; CMS posted the PY2016 PUF 'without notice in late October' 2017: "
        "last day of October used",
        "https://thehealthcareblog.com/blog/2017/11/02/evaluating-aco-performance-year-2016/",
    ),
    2017: Release(
        date(2018, 8, 31),
        "medium",
        "PY2017 results released in August 2018 (exact day not confirmed): last day of August used",
        "https://www.scoperesearch.co/post/aco-results-for-performance-year-2017-top-4-insights",
    ),
    2018: Release(
        date(2019, 12, 31),
        "low",
        "release date not confirmed; conservative rule: 31 December of the year after the "
        "performance year",
    ),
    2020: Release(
        date(2021, 8, 24),
        "medium",
        "CMS announced the PY2020 results on 2021-08-24; PUF assumed posted the same day",
        "https://www.beckershospitalreview.com/finance/acos-earned-2-3b-in-shared-savings-last-year-cms.html",
    ),
    2021: Release(
        date(2022, 8, 30),
        "medium",
        "CMS press release of 2022-08-30; PUF assumed posted the same day",
        "https://beckershospitalreview.com/finance/medicare-shared-savings-program-saves-medicare-more-than-1-6b.html",
    ),
    2022: Release(
        date(2023, 8, 24),
        "medium",
        "CMS announced the PY2022 results on 2023-08-24; PUF assumed posted the same day",
        "https://www.hcinnovationgroup.com/policy-value-based-care/accountable-care-organizations-acos/article/53070388/cms-announces-mssp-savings-from-2022",
    ),
    2023: Release(
        date(2024, 10, 29),
        "high",
        "CMS Shared Savings Program news page: PY2023 results and PUF released 2024-10-29",
        "https://www.cms.gov/medicare/payment/fee-for-service-providers/shared-savings-program-ssp-acos/news",
    ),
    2024: Release(
        date(2025, 8, 29),
        "medium",
        "CMS released the PY2024 results by 2025-08-29 (Fierce Healthcare that day); the "
        "bundled file may be a later revision of the PUF",
        "https://www.fiercehealthcare.com/regulatory/mssp-acos-saved-24b-2024-setting-new-record-program",
    ),
}
"""Public release of each performance year's results (checked 2026-12-06, see the notes)."""


def release_for(year: int) -> Release:
    """The year's release, or the conservative rule when it is not in :data:`RELEASES`."""
    known = RELEASES.get(year)
    if known is not None:
        return known
    return Release(
        date(year + 1, 12, 31),
        "low",
        "release date not confirmed; conservative rule: 31 December of the year after the "
        "performance year",
    )


@dataclass(frozen=True)
class Layout:
    """One PUF column layout: the columns that identify it and where each value sits."""

    name: str
    """Short name, e.g. ``pyfqr_2020``."""
    description: str
    """Which files use it."""
    markers: tuple[str, ...]
    """Columns that tell this layout from the others."""
    aco_id: str
    """ACO identifier column."""
    quality_scale: float
    """Multiply ``QualScore`` by this to get percent (100 when the file holds fractions)."""
    year_column: str = ""
    """A column holding the performance year (only the 2014–2017 copies have one)."""
    years: tuple[int, ...] = ()
    """Performance years published in this layout (names the closest layout in errors)."""
    beneficiaries: str = "N_AB"
    generated: str = "GenSaveLoss"
    earned: str = "EarnSaveLoss"
    benchmark_minus_expenditures: str = "BnchmkMinExp"
    quality: str = "QualScore"

    @property
    def required(self) -> tuple[str, ...]:
        """Every column this layout reads or is recognised by."""
        cols = [
            *self.markers,
            self.aco_id,
            self.beneficiaries,
            self.generated,
            self.earned,
            self.benchmark_minus_expenditures,
            self.quality,
        ]
        if self.year_column:
            cols.append(self.year_column)
        return tuple(dict.fromkeys(cols))


LAYOUTS: tuple[Layout, ...] = (
    Layout(
        "ssp_puf_2014",
        "PY2014 PUF (copy with an added year column); QualScore a fraction, P4R = reporting only",
        ("ACO_Num", "Track1", "ACO_NAME", "CHF_ADM"),
        "ACO_Num",
        100.0,
        "year",
        years=(2014,),
    ),
    Layout(
        "ssp_puf_2015",
        "PY2015 PUF (copy with an added year column); QualScore in percent",
        ("ACO_Num", "Track1", "ACO_Name", "chf_adm"),
        "ACO_Num",
        1.0,
        "year",
        years=(2015,),
    ),
    Layout(
        "ssp_puf_2016_2017",
        "PY2016-2017 PUFs (copies with an added year column); QualScore a fraction",
        ("ACO_Num", "Current_Track_1", "Met_QPS", "Initial_Track_3"),
        "ACO_Num",
        100.0,
        "year",
        years=(2016, 2017),
    ),
    Layout(
        "ssp_puf_2018",
        "PY2018 Shared Savings Program ACO PUF; QualScore a fraction",
        ("ACO_ID", "Initial_Track_1_Plus", "Current_Track_1_Plus", "RecvdMean", "ACO1"),
        "ACO_ID",
        100.0,
        years=(2018,),
    ),
    Layout(
        "pyfqr_2020",
        "PY2020 Performance Year Financial and Quality Results; QualScore in percent",
        ("ACO_ID", "Current_BASIC_A", "Current_ENHANCED", "RecvdMean"),
        "ACO_ID",
        1.0,
        years=(2020,),
    ),
    Layout(
        "pyfqr_2021",
        "PY2021 Performance Year Financial and Quality Results (UTF-8 BOM); QualScore in percent",
        ("ACO_ID", "Current_BASIC_A", "Recvd30p", "Report_eCQM"),
        "ACO_ID",
        1.0,
        years=(2021,),
    ),
    Layout(
        "pyfqr_2022_2023",
        "PY2022 Results and PY2023 ACO Results PUF (CRLF); QualScore text such as 70.63%",
        ("ACO_ID", "Current_Track", "Met_30pctl", "Recvd30p"),
        "ACO_ID",
        1.0,
        years=(2022, 2023),
    ),
    Layout(
        "aco_results_2024",
        "PY2024 ACO Results PUF (CRLF); QualScore in percent",
        ("ACO_ID", "Current_Track", "Met_40pctl", "Recvd40p"),
        "ACO_ID",
        1.0,
        years=(2024,),
    ),
)
"""Every layout we read, newest last."""


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
