"""MSSP results PUFs: the layouts we read, each year's release date and data.cms.gov endpoints.

Data only (no parsing): :mod:`payforce.sources.mssp` reads files and API pages through these.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

__all__ = [
    "API_ENDPOINTS",
    "API_PAGE_SIZE",
    "DEFAULT_API_URL",
    "LAYOUTS",
    "NOT_SCORED",
    "RELEASES",
    "Layout",
    "Release",
    "release_for",
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
