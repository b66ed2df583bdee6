"""CMS Physician Fee Schedule relative value files (``RVUyyA.zip`` and its quarterly updates).

One release zip holds the PPRRVU file (RVUs per code and modifier), the GPCI file (geographic
practice cost indices per Medicare locality), the locality/county crosswalk (``yyLOCCO``) and
other files we do not use. This module parses them (pure: bytes in, records out);
:mod:`payforce.sources.rvu_release` opens the zip and downloads it. Quirks handled, all seen in
the real files:

- PPRRVU opens with title and copyright lines, then a header stacked over several rows
  (``NON-FAC`` / ``PE RVU``). We find the row that starts with ``HCPCS,MOD`` and name each column
  by joining the non-empty cells stacked above it, stopping at the preamble. The 2026 file has
  one more column than 2025 (``PRIC IND``), so columns are found by name, never by position.
- Duplicate names on the last header row (``TOTAL`` ×2, ``SURG`` ×4) are told apart by the
  stacked cells above them; trailing spaces in header cells are stripped.
- ``NA`` indicators sit next to PE RVUs that still carry a number; GLOB DAYS is text (``XXX``).
- GPCI and locality files have title rows, blank rows, footnotes; the locality file drops the
  MAC's leading zero (``2102`` for ``02102``) and fills the state only on its first row.

Rows we cannot use are kept as :class:`Skip` records with a reason; a value that is wrong in a
row we would use raises :class:`ParseError` naming the file, line and field. Descriptions in the
PPRRVU file are AMA short descriptors: we never keep them.
"""

from payforce.sources.fee_records import (
    PAID_STATUSES,
    RVU_PAGE,
    STATUS_CODES,
    GPCIFile,
    GPCIRow,
    LocalityCounty,
    LocalityFile,
    PPRRVUFile,
    RVURow,
    Skip,
    release_label,
)
from payforce.sources.gpci import parse_gpci, parse_locality_counties
from payforce.sources.pprrvu import iter_pprrvu_rows, parse_pprrvu, parse_pprrvu_file

__all__ = [
    "PAID_STATUSES",
    "RVU_PAGE",
    "STATUS_CODES",
    "GPCIFile",
    "GPCIRow",
    "LocalityCounty",
    "LocalityFile",
    "PPRRVUFile",
    "RVURow",
    "Skip",
    "iter_pprrvu_rows",
    "parse_gpci",
    "parse_locality_counties",
    "parse_pprrvu",
    "parse_pprrvu_file",
    "release_label",
]
