"""The MSSP results sync: parse every file (or fetch every year) first, then write.

Nothing is written until every input has parsed, so a malformed row in the last file leaves the
store as it was; then each performance year is written in its own transaction.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from payforce.errors import InputError
from payforce.sources.mssp import API_ENDPOINTS, MsspYear, fetch_year, parse_file
from payforce.store.db import Store
from payforce.store.mssp_tables import write_years

if TYPE_CHECKING:
    import httpx

__all__ = ["parse_files", "sync_mssp_api", "sync_mssp_files"]


def _one_per_year(years: Iterable[MsspYear]) -> list[MsspYear]:
    seen: dict[int, MsspYear] = {}
    for y in years:
        if y.performance_year in seen:
            raise InputError(
                f"{y.source}: performance year {y.performance_year} is also in "
                f"{seen[y.performance_year].source}",
                hint="Give one file per performance year",
            )
        seen[y.performance_year] = y
    return sorted(seen.values(), key=lambda y: y.performance_year)


def parse_files(paths: Sequence[Path], year: int | None = None) -> list[MsspYear]:
    """Parse every file (``year`` only with a single file); one year per file."""
    if year is not None and len(paths) != 1:
        raise InputError(
            f"--year: only with a single --from-file ({len(paths)} files given)",
            hint="Each file's year is read from its year column or its name",
        )
    return _one_per_year(parse_file(p, year) for p in paths)


def sync_mssp_files(store: Store, paths: Sequence[Path], year: int | None = None) -> list[MsspYear]:
    """Parse the files, then store one transaction per performance year."""
    years = parse_files(paths, year)
    write_years(store, years)
    return years


def sync_mssp_api(
    store: Store, client: httpx.Client, base_url: str, years: Sequence[int] | None = None
) -> list[MsspYear]:
    """Fetch the years from data.cms.gov (default: every year with a known dataset), then store."""
    wanted = sorted(set(years)) if years else sorted(API_ENDPOINTS)
    fetched = _one_per_year(fetch_year(client, base_url, y) for y in wanted)
    write_years(store, fetched)
    return fetched
