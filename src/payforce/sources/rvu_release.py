"""One CMS RVU release (``RVUyyA.zip`` and its quarterly B/C/D updates): unzip, sniff, fetch.

The zip's CSV members are parsed by :mod:`payforce.sources.fee_schedule` (PPRRVU non-QP and QP,
GPCI, locality/county); this module finds them, and downloads the zip through the client it is
given: first the zip linked from the release's CMS page (its name carries update dates), then
guessed names.
"""

from __future__ import annotations

import io
import re
import zipfile
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import PurePosixPath

import httpx

from payforce.errors import FetchError, ParseError
from payforce.sources.fee_schedule import (
    RVU_PAGE,
    GPCIFile,
    LocalityFile,
    PPRRVUFile,
    parse_gpci,
    parse_locality_counties,
    parse_pprrvu_file,
)

__all__ = [
    "RVURelease",
    "fetch_rvu_zip",
    "parse_rvu_release",
    "parse_rvu_zip",
    "parse_zip_links",
    "rvu_release_page",
    "rvu_zip_urls",
]


@dataclass(frozen=True)
class RVURelease:
    """The members of one RVU release that payforce uses."""

    source: str
    """Where the release came from (URL or file name)."""
    pprrvu: PPRRVUFile
    """The non-QP PPRRVU file (or the only one, before 2026)."""
    pprrvu_qp: PPRRVUFile | None = None
    """The QP PPRRVU file, where the release has one (2026 on)."""
    gpci: GPCIFile | None = None
    """The GPCI file, where present."""
    localities: LocalityFile | None = None
    """The locality/county crosswalk, where present."""
    members: tuple[str, ...] = field(default_factory=tuple)
    """Every member name of the zip (for the record)."""


def _member(names: Sequence[str], pattern: str, avoid: str | None = None) -> str | None:
    rx = re.compile(pattern, re.IGNORECASE)
    found = [
        n
        for n in names
        if rx.search(PurePosixPath(n).name) and not (avoid and re.search(avoid, n, re.IGNORECASE))
    ]
    return sorted(found)[0] if found else None


def parse_rvu_zip(data: bytes, *, source: str = "RVU.zip") -> RVURelease:
    """Parse the CSV members of an RVU release zip (PPRRVU non-QP and QP, GPCI, LOCCO)."""
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except zipfile.BadZipFile:
        raise ParseError(
            "not a zip file",
            path=source,
            hint="Give the RVUyyA.zip from the CMS RVU page, or a PPRRVU CSV",
        ) from None
    with archive:
        names = [n for n in archive.namelist() if not n.endswith("/")]
        csvs = [n for n in names if n.lower().endswith(".csv")]
        pp = _member(csvs, r"^PPRRVU.*nonQP", None) or _member(csvs, r"^PPRRVU", r"_QPP?\.csv$")
        pp = pp or _member(csvs, r"^PPRRVU")
        if pp is None:
            raise ParseError(
                "no PPRRVU CSV in the zip",
                path=source,
                value=", ".join(names[:8]),
                hint="Is this a CMS RVU release zip?",
            )
        qp = _member([n for n in csvs if n != pp], r"^PPRRVU.*_QPP?\.csv$", r"nonQP")
        gp = _member(csvs, r"^GPCI")
        lc = _member(csvs, r"LOCCO")

        def read(name: str) -> bytes:
            return archive.read(name)

        return RVURelease(
            source=source,
            pprrvu=parse_pprrvu_file(read(pp), path=PurePosixPath(pp).name),
            pprrvu_qp=parse_pprrvu_file(read(qp), path=PurePosixPath(qp).name) if qp else None,
            gpci=parse_gpci(read(gp), path=PurePosixPath(gp).name) if gp else None,
            localities=parse_locality_counties(read(lc), path=PurePosixPath(lc).name)
            if lc
            else None,
            members=tuple(names),
        )


def parse_rvu_release(data: bytes, *, source: str) -> RVURelease:
    """Parse a release given as a zip or as a single PPRRVU CSV (sniffed once, here)."""
    if data[:4] == b"PK\x03\x04":
        return parse_rvu_zip(data, source=source)
    name = PurePosixPath(source).name
    return RVURelease(source=source, pprrvu=parse_pprrvu_file(data, path=name), members=(name,))


def rvu_zip_urls(year: int, release: str = "a") -> list[str]:
    """Guessed download URLs for the RVU release of ``year`` (tried when the page has no link)."""
    yy = f"{year % 100:02d}"
    r = release.lower()
    return [
        f"https://www.cms.gov/files/zip/rvu{yy}{r}.zip",
        f"https://www.cms.gov/files/zip/rvu{yy}{r}-0.zip",
        f"https://www.cms.gov/files/zip/rvu{yy}{r}-updated.zip",
    ]


def rvu_release_page(year: int, release: str = "a") -> str:
    """The CMS page of one RVU release (it links the zip, whose name changes with updates)."""
    return f"{RVU_PAGE}/rvu{year % 100:02d}{release.lower()}"


_ZIP_LINK_RE = re.compile(
    r"""href=["']([^"']*?/files/zip/rvu(\d{2})([a-d])[^"']*?\.zip)["']""", re.IGNORECASE
)


def parse_zip_links(html: str, year: int, release: str = "a") -> list[str]:
    """Absolute URLs of the release's zip files linked from a CMS page, in page order (pure)."""
    yy, r = f"{year % 100:02d}", release.lower()
    out: list[str] = []
    for m in _ZIP_LINK_RE.finditer(html):
        href, y, rel = m.group(1), m.group(2), m.group(3).lower()
        if y != yy or rel != r:
            continue
        url = href if href.startswith("http") else f"https://www.cms.gov{href}"
        if url not in out:
            out.append(url)
    return out


def _get(client: httpx.Client, url: str) -> httpx.Response:
    try:
        return client.get(url, follow_redirects=True)
    except httpx.TimeoutException:
        raise FetchError(
            "timed out", url=url, hint="Retry, or download the zip and use --from-file"
        ) from None
    except httpx.HTTPError as exc:
        raise FetchError(
            f"request failed ({exc})", url=url, hint="Check the network, or use --from-file"
        ) from None


def fetch_rvu_zip(
    client: httpx.Client, year: int, *, urls: Sequence[str] | None = None, release: str = "a"
) -> tuple[bytes, str]:
    """Download the RVU release zip for ``year``; returns (bytes, url).

    Reads the release's CMS page for its zip link first (names carry update dates), then tries
    the guessed names. A 404 moves on to the next candidate; any other failure raises
    :class:`FetchError`.
    """
    if urls:
        candidates = list(urls)
    else:
        page = _get(client, rvu_release_page(year, release))
        links = parse_zip_links(page.text, year, release) if page.status_code == 200 else []
        candidates = links + [u for u in rvu_zip_urls(year, release) if u not in links]
    last: FetchError | None = None
    for url in candidates:
        response = _get(client, url)
        if response.status_code == 404:
            last = FetchError(
                "not found",
                url=url,
                status=404,
                hint=f"Find the zip on {RVU_PAGE} and use --url or --from-file",
            )
            continue
        if response.status_code >= 400:
            raise FetchError(
                "download failed",
                url=url,
                status=response.status_code,
                hint="Retry later, or use --from-file",
            )
        return response.content, url
    assert last is not None
    raise last
