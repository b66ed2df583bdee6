"""Fee-schedule tables, reads and writes: the one import for callers.

Tables and stored records are in :mod:`payforce.store.fee_schema`, reads in
:mod:`payforce.store.fee_reads`, the all-or-nothing year loads in :mod:`payforce.store.fee_sync`.
"""

from __future__ import annotations

from payforce.store.fee_reads import (
    get_conversion_factor,
    get_gpci,
    get_rvu,
    list_gpcis,
    list_hcpcs,
    list_rvus,
    locality_rows,
    release_of,
    synced_years,
)
from payforce.store.fee_schema import (
    ConversionFactorRecord,
    FeeYearSummary,
    StoredHCPCS,
    StoredRVU,
    conversion_factors,
    fee_releases,
    gpcis,
    hcpcs_codes,
    locality_counties,
    rvu_rows,
)
from payforce.store.fee_sync import (
    load_fee_year,
    load_hcpcs_year,
    release_factors,
    sync_fee_schedule,
    sync_hcpcs,
    sync_release,
)

__all__ = [
    "ConversionFactorRecord",
    "FeeYearSummary",
    "StoredRVU",
    "conversion_factors",
    "fee_releases",
    "get_conversion_factor",
    "get_gpci",
    "get_rvu",
    "release_of",
    "gpcis",
    "hcpcs_codes",
    "StoredHCPCS",
    "list_gpcis",
    "list_hcpcs",
    "list_rvus",
    "load_fee_year",
    "load_hcpcs_year",
    "locality_counties",
    "locality_rows",
    "release_factors",
    "rvu_rows",
    "sync_fee_schedule",
    "sync_hcpcs",
    "sync_release",
    "synced_years",
]
