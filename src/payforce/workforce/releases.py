"""When each BLS labour-market vintage became public (its ``available_from``).

OEWS May-Y estimates are released in spring of Y+1; Employment Projections ``B``-``B+10`` in
the autumn or December of B+1. Each date below was checked against the BLS news release (or a
copy of it); a vintage not listed gets a conservative rule (a date no earlier than any observed
release for that program), and says so in ``basis``.
"""

from __future__ import annotations

from datetime import date

__all__ = [
    "EP_RELEASES",
    "OEWS_RELEASES",
    "oews_release",
    "projection_label",
    "projection_release",
]

OEWS_RELEASES: dict[int, tuple[date, str]] = {
    2011: (date(2012, 3, 27), "USDL-12-0548, bls.gov/news.release/archives/ocwage_03272012.htm"),
    2012: (date(2013, 3, 29), "USDL-13-0543, bls.gov/news.release/archives/ocwage_03292013.htm"),
    2014: (date(2015, 3, 25), "Occupational Employment and Wages, May 2014 news release"),
    2015: (date(2016, 3, 30), "USDL-16-0661, Occupational Employment and Wages, May 2015"),
    2016: (date(2017, 3, 31), "USDL-17-0376, Occupational Employment and Wages, May 2016"),
    2017: (date(2018, 3, 30), "USDL-18-0486, Occupational Employment and Wages, May 2017"),
    2018: (date(2019, 3, 29), "BLS OES May 2018 release, noted by lmi.workforcegps.org"),
    2019: (date(2020, 3, 31), "BLS OES May 2019 release, noted by lmi.workforcegps.org"),
    2021: (date(2022, 3, 31), "USDL-22-0556, Occupational Employment and Wages, May 2021"),
}
"""May-year → (release date, the release it was checked against). May 2013, 2020 and
2022-2024 could not be confirmed: they use the rule in :func:`oews_release`."""

EP_RELEASES: dict[int, tuple[date, str]] = {
    2012: (date(2013, 12, 19), "USDL-13-2393, Employment Projections 2012-2022"),
    2014: (date(2015, 12, 8), "USDL-15-2327, Employment Projections 2014-24"),
    2016: (date(2017, 10, 24), "bls.gov/emp notice: 2016-26 projections released 2017-10-24"),
    2019: (date(2020, 9, 1), "USDL-20-1646, Employment Projections 2019-2029"),
    2020: (date(2021, 9, 8), "USDL-21-1615, Employment Projections 2020-2030"),
    2021: (date(2022, 9, 8), "USDL-22-1805, Employment Projections 2021-2031"),
    2022: (date(2023, 9, 6), "USDL-23-1941, Employment Projections 2022-2032"),
    2024: (date(2025, 8, 28), "USDL-25-1324, Employment Projections 2024-2034"),
}
"""Projection base year → (release date, the release it was checked against)."""


def oews_release(year: int) -> tuple[date, str]:
    """(available_from, basis) of the OEWS May ``year`` estimates.

    Unconfirmed years use 30 June of the next year: every OEWS release 2012-2026 came out by then
    (the latest observed, May 2025, on 2026-05-15).
    """
    if year in OEWS_RELEASES:
        day, url = OEWS_RELEASES[year]
        return day, f"released {day.isoformat()} ({url})"
    return date(year + 1, 6, 30), "release date not confirmed: rule 30 June of the next year"


def projection_release(base_year: int) -> tuple[date, str]:
    """(available_from, basis) of the Employment Projections with base year ``base_year``.

    Unconfirmed vintages use 31 December of the year after the base year (BLS released every
    vintage since 2012-22 between late August and mid-December of that year).
    """
    if base_year in EP_RELEASES:
        day, url = EP_RELEASES[base_year]
        return day, f"released {day.isoformat()} ({url})"
    return (
        date(base_year + 1, 12, 31),
        "release date not confirmed: rule 31 December of the year after the base year",
    )


def projection_label(base_year: int, target_year: int) -> str:
    """``2014-24`` for 2014-2024."""
    return f"{base_year}-{target_year % 100:02d}"
