"""CMS HCPCS Level II annual alpha-numeric file (``HCPCyyyy_CONTR_ANWEB.txt``): parse and fetch.

A fixed-width file, 320 characters per record, Latin-1 (the disclaimer block carries NBSP
bytes), CRLF. Positions come from the official record layout (``HCPCS2019_recordlayout.txt``):

    1-5 code (a modifier sits right-aligned in 4-5)   6-10 sequence   11 record id
    12-91 long description   92-119 short description   120-121 pricing indicator
    230 coverage   257-259 BETOS   261 type of service
    269-276 added date   277-284 action effective date   285-292 termination date   293 action

Record id ``3`` starts a procedure code and ``4`` continues its long description; ``7`` / ``8``
do the same for modifiers. Continuations are joined onto their first record. The disclaimer
block at the top is not in the layout: its lines are kept as skips with a reason. HCPCS Level II
descriptions are public (CMS), unlike CPT descriptors.
"""

from __future__ import annotations

import io
import re
import zipfile
from dataclasses import dataclass
from datetime import date
from pathlib import PurePosixPath
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import httpx

from payforce.errors import FetchError, ParseError
from payforce.sources.fee_schedule import Skip

__all__ = [
    "ACTION_CODES",
    "HCPCSFile",
    "HCPCSRecord",
    "fetch_hcpcs_zip",
    "hcpcs_zip_urls",
    "parse_hcpcs",
    "parse_hcpcs_zip",
]

HCPCS_PAGE = "https://www.cms.gov/medicare/coding-billing/healthcare-common-procedure-system/quarterly-update"
"""CMS page listing the HCPCS quarterly and annual files."""

ACTION_CODES: dict[str, str] = {
    "A": "added procedure or modifier code",
    "B": "change in both administrative data field and long description",
    "C": "change in long description",
    "D": "discontinued procedure or modifier code",
    "F": "change in administrative data field",
    "N": "no maintenance for this code",
    "P": "payment change",
    "R": "re-activated code",
    "S": "change in short description",
    "T": "miscellaneous change",
}
"""HCPCS action codes (position 293) from the record layout."""

_CODE_RE = re.compile(r"^[A-Z][0-9]{4}$")
_MOD_RE = re.compile(r"^ {3}[0-9A-Z]{2}$")


@dataclass(frozen=True)
class HCPCSRecord:
    """One HCPCS Level II code or modifier, continuation lines joined."""

    code: str
    """The code (``G0438``) or the two-character modifier (``GT``)."""
    kind: str
    """``procedure`` or ``modifier``."""
    long_description: str
    """Long description, joined over continuation records."""
    short_description: str
    """Short description (28 characters, truncated mid-word as CMS prints it)."""
    pricing_indicator: str
    """Pricing indicator code (positions 120-121), often empty."""
    coverage: str
    """Coverage code (position 230)."""
    betos: str
    """Berenson-Eggers type of service (257-259)."""
    type_of_service: str
    """Type of service (261)."""
    added: date | None
    """Date the code was added."""
    action_effective: date | None
    """Date the latest action took effect."""
    terminated: date | None
    """Termination date, for discontinued codes (still listed)."""
    action: str
    """Action code (see :data:`ACTION_CODES`), or empty."""
    line: int
    """1-based line of the first record."""


@dataclass(frozen=True)
class HCPCSFile:
    """A parsed HCPCS annual file."""

    path: str
    """File name."""
    year: int | None
    """Year from the file name (``HCPC2019_…`` → 2019)."""
    records: tuple[HCPCSRecord, ...]
    """Codes and modifiers in file order."""
    skips: tuple[Skip, ...] = ()
    """Lines not used (the disclaimer block, blank lines), with reasons."""


def _date(text: str, *, path: str, line: int, field: str) -> date | None:
    text = text.strip()
    if not text:
        return None
    if not re.fullmatch(r"\d{8}", text):
        raise ParseError("not a YYYYMMDD date", path=path, line=line, field=field, value=text)
    try:
        return date(int(text[:4]), int(text[4:6]), int(text[6:]))
    except ValueError:
        raise ParseError(
            "not a calendar date", path=path, line=line, field=field, value=text
        ) from None


def _year_from_name(path: str) -> int | None:
    m = re.search(r"HCPC\D?(\d{4})", PurePosixPath(path).name, re.IGNORECASE)
    return int(m.group(1)) if m else None


def parse_hcpcs(data: bytes | str, *, path: str = "HCPC_CONTR_ANWEB.txt") -> HCPCSFile:
    """Parse the fixed-width annual file; raises :class:`ParseError` naming line and field."""
    text = data.decode("latin-1") if isinstance(data, bytes) else data
    records: list[HCPCSRecord] = []
    skips: list[Skip] = []
    current: dict[str, object] | None = None
    parts: list[str] = []

    def flush() -> None:
        nonlocal current
        if current is not None:
            current["long_description"] = " ".join(p for p in parts if p)
            records.append(HCPCSRecord(**current))  # type: ignore[arg-type]
        current = None
        parts.clear()

    for line_no, raw in enumerate(text.splitlines(), start=1):
        if not raw.strip():
            skips.append(Skip(path, line_no, "blank line"))
            continue
        head = raw[:5]
        rec = raw[10:11]
        is_code = _CODE_RE.match(head) is not None
        is_mod = _MOD_RE.match(head) is not None
        if not (is_code or is_mod) or rec not in {"3", "4", "7", "8"} or not raw[5:10].isdigit():
            skips.append(Skip(path, line_no, f"not a HCPCS record ({raw[:20].strip()!r})"))
            continue
        code = head.strip()
        if rec in {"4", "8"}:
            if current is None or current["code"] != code:
                raise ParseError(
                    "continuation record without its first record",
                    path=path,
                    line=line_no,
                    field="record id",
                    value=rec,
                    hint="Check that the file is complete and in its original order",
                )
            parts.append(raw[11:91].strip())
            continue
        if len(raw.rstrip("\r\n")) < 293:
            raise ParseError(
                f"record is {len(raw)} characters, expected 320",
                path=path,
                line=line_no,
                field="record",
                hint="Fixed-width lines must not be trimmed",
            )
        if (rec == "3") != is_code:
            raise ParseError(
                "record id does not match the code",
                path=path,
                line=line_no,
                field="record id",
                value=rec,
            )
        flush()
        action = raw[292:293].strip()
        if action and action not in ACTION_CODES:
            raise ParseError(
                "unknown action code", path=path, line=line_no, field="action code", value=action
            )
        current = {
            "code": code,
            "kind": "procedure" if rec == "3" else "modifier",
            "short_description": raw[91:119].strip(),
            "pricing_indicator": raw[119:121].strip(),
            "coverage": raw[229:230].strip(),
            "betos": raw[256:259].strip(),
            "type_of_service": raw[260:261].strip(),
            "added": _date(raw[268:276], path=path, line=line_no, field="added date"),
            "action_effective": _date(
                raw[276:284], path=path, line=line_no, field="action effective date"
            ),
            "terminated": _date(raw[284:292], path=path, line=line_no, field="termination date"),
            "action": action,
            "line": line_no,
        }
        parts.append(raw[11:91].strip())
    flush()
    if not records:
        raise ParseError(
            "no HCPCS records",
            path=path,
            hint="Is this the HCPCyyyy_CONTR_ANWEB.txt file from the annual zip?",
        )
    return HCPCSFile(
        path=path, year=_year_from_name(path), records=tuple(records), skips=tuple(skips)
    )


def parse_hcpcs_zip(data: bytes, *, source: str = "HCPC.zip") -> HCPCSFile:
    """Parse the fixed-width member (``*ANWEB*.txt``) of the annual HCPCS zip."""
    if data[:4] != b"PK\x03\x04":
        return parse_hcpcs(data, path=PurePosixPath(source).name)
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except zipfile.BadZipFile:
        raise ParseError("not a zip file", path=source) from None
    with archive:
        names = [n for n in archive.namelist() if re.search(r"ANWEB.*\.txt$", n, re.IGNORECASE)]
        if not names:
            raise ParseError(
                "no HCPC…ANWEB….txt member in the zip",
                path=source,
                value=", ".join(archive.namelist()[:8]),
            )
        name = sorted(names)[0]
        return parse_hcpcs(archive.read(name), path=PurePosixPath(name).name)


def hcpcs_zip_urls(year: int) -> list[str]:
    """Candidate URLs of the January annual HCPCS file for ``year`` (CMS names vary)."""
    return [
        f"https://www.cms.gov/files/zip/january-{year}-alpha-numeric-hcpcs-file.zip",
        f"https://www.cms.gov/files/zip/{year}-alpha-numeric-hcpcs-file.zip",
    ]


def fetch_hcpcs_zip(
    client: httpx.Client, year: int, *, urls: list[str] | None = None
) -> tuple[bytes, str]:
    """Download the annual HCPCS zip; tries each candidate URL; returns (bytes, url)."""
    import httpx

    candidates = urls or hcpcs_zip_urls(year)
    last: FetchError | None = None
    for url in candidates:
        try:
            response = client.get(url, follow_redirects=True)
        except httpx.TimeoutException:
            raise FetchError("timed out", url=url, hint="Retry, or use --from-file") from None
        except httpx.HTTPError as exc:
            raise FetchError(f"request failed ({exc})", url=url, hint="Use --from-file") from None
        if response.status_code == 404:
            last = FetchError(
                "not found",
                url=url,
                status=404,
                hint=f"Find the file on {HCPCS_PAGE} and use --from-file",
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
