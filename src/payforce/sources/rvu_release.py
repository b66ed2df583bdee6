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
from payforce.sources.pprrvu_fixed import is_fixed_width, parse_pprrvu_fixed

__all__ = [
    "RVURelease",
    "fetch_rvu_zip",
    "file_kind",
    "is_qp_name",
    "parse_rvu_files",
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
    pprrvu: PPRRVUFile | None
    """The non-QP PPRRVU file (or the only one, before 2026); None when only GPCI, locality or
    QP files were given."""
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


_QP_NAME = re.compile(r"_QPP?\.(csv|txt)$", re.IGNORECASE)
_NON_QP_NAME = re.compile(r"non_?QPP?", re.IGNORECASE)


def is_qp_name(name: str) -> bool:
    """True for the QP variant's file name (``PPRRVU2026_Jan_QPP.csv``), not ``…_nonQPP``."""
    base = PurePosixPath(name).name
    return bool(_QP_NAME.search(base)) and not _NON_QP_NAME.search(base)


def _pprrvu(data: bytes, name: str) -> PPRRVUFile:
    """The CSV or the fixed-width ``.txt`` PPRRVU file, told apart by content."""
    if is_fixed_width(data):
        return parse_pprrvu_fixed(data, path=name)
    return parse_pprrvu_file(data, path=name)


def parse_rvu_zip(data: bytes, *, source: str = "RVU.zip") -> RVURelease:
    """Parse the members of an RVU release zip (PPRRVU non-QP and QP, GPCI, LOCCO).

    CSV members are preferred; a zip with only the fixed-width PPRRVU ``.txt`` is read too.
    """
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
        txts = [n for n in names if n.lower().endswith(".txt")]
        pp = None
        for group in (csvs, txts):
            firsts = [n for n in group if PurePosixPath(n).name.upper().startswith("PPRRVU")]
            non_qp = [n for n in firsts if not is_qp_name(n)]
            if non_qp:
                pp = sorted(non_qp)[0]
                qp = next((n for n in sorted(firsts) if is_qp_name(n)), None)
                break
        if pp is None:
            raise ParseError(
                "no PPRRVU file in the zip",
                path=source,
                value=", ".join(names[:8]),
                hint="Is this a CMS RVU release zip?",
            )
        gp = _member(csvs, r"^GPCI")
        lc = _member(csvs, r"LOCCO")

        def read(name: str) -> bytes:
            return archive.read(name)

        return RVURelease(
            source=source,
            pprrvu=_pprrvu(read(pp), PurePosixPath(pp).name),
            pprrvu_qp=_pprrvu(read(qp), PurePosixPath(qp).name) if qp else None,
            gpci=parse_gpci(read(gp), path=PurePosixPath(gp).name) if gp else None,
            localities=parse_locality_counties(read(lc), path=PurePosixPath(lc).name)
            if lc
            else None,
            members=tuple(names),
        )


def file_kind(data: bytes, name: str) -> str:
    """``zip``, ``pprrvu``, ``pprrvu_qp``, ``gpci`` or ``locality``: sniffed once, here."""
    if data[:4] == b"PK\x03\x04":
        return "zip"
    base = PurePosixPath(name).name.upper()
    if is_fixed_width(data) or base.startswith("PPRRVU"):
        return "pprrvu_qp" if is_qp_name(base) else "pprrvu"
    head = data[:4000].decode("latin-1").lower()
    if "locality number" in head and "gpci" in head:
        return "gpci"
    if "locality number" in head and "count" in head:
        return "locality"
    return "pprrvu_qp" if is_qp_name(base) else "pprrvu"


def parse_rvu_files(files: Sequence[tuple[str, bytes]], *, source: str = "") -> RVURelease:
    """One release from the files CMS ships (a zip, PPRRVU CSV or ``.txt``, QP variant, GPCI,
    locality/county), given together or alone. Raises ParseError for two files of one kind."""
    pprrvu: PPRRVUFile | None = None
    qp: PPRRVUFile | None = None
    gpci: GPCIFile | None = None
    localities: LocalityFile | None = None
    zipped: RVURelease | None = None
    seen: dict[str, str] = {}
    for name, data in files:
        kind = file_kind(data, name)
        base = PurePosixPath(name).name
        if kind in seen:
            raise ParseError(
                f"two files of one kind ({kind}; the other is {seen[kind]})",
                path=base,
                hint="Give one file per kind: PPRRVU, QP PPRRVU, GPCI, locality",
            )
        seen[kind] = base
        if kind == "zip":
            zipped = parse_rvu_zip(data, source=base)
        elif kind == "pprrvu":
            pprrvu = _pprrvu(data, base)
        elif kind == "pprrvu_qp":
            qp = _pprrvu(data, base)
        elif kind == "gpci":
            gpci = parse_gpci(data, path=base)
        else:
            localities = parse_locality_counties(data, path=base)
    if zipped is not None:
        pprrvu = pprrvu or zipped.pprrvu
        qp = qp or zipped.pprrvu_qp
        gpci = gpci or zipped.gpci
        localities = localities or zipped.localities
    return RVURelease(
        source=source or ", ".join(seen.values()),
        pprrvu=pprrvu,
        pprrvu_qp=qp,
        gpci=gpci,
        localities=localities,
        members=(zipped.members if zipped else ()) + tuple(seen.values()),
    )


def parse_rvu_release(data: bytes, *, source: str) -> RVURelease:
    """Parse a release given as a zip or as one of its files (sniffed once, in ``file_kind``)."""
    name = PurePosixPath(source).name
    if data[:4] == b"PK\x03\x04":
        return parse_rvu_zip(data, source=source)
    return parse_rvu_files([(name, data)], source=source)


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
