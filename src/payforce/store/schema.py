"""Tables and named migrations (SQLAlchemy Core; SQLite by default, PostgreSQL too).

Every table has a natural key so loading twice upserts, never duplicates. Schema changes are
registered functions in ``MIGRATIONS``, applied in order and recorded in ``migrations``.
Feature areas add their tables in their own modules (``store/<area>_tables.py``) on the same
``metadata`` and are listed in ``AREA_MODULES`` so ``create_all`` sees them.
"""

from __future__ import annotations

import importlib

from sqlalchemy import (
    Boolean,
    Column,
    Date,
    Float,
    Integer,
    MetaData,
    String,
    Table,
    Text,
)

__all__ = ["AREA_MODULES", "SCHEMA_VERSION", "metadata"]

SCHEMA_VERSION = 1

metadata = MetaData()

meta = Table(
    "meta",
    metadata,
    Column("key", String(100), primary_key=True),
    Column("value", Text, nullable=False),
)

migrations = Table(
    "migrations",
    metadata,
    Column("name", String(200), primary_key=True),
    Column("applied_at", String(40), nullable=False),
)

documents = Table(
    "documents",
    metadata,
    Column("document_number", String(40), primary_key=True),
    Column("key", String(100), nullable=False, default=""),
    Column("type", String(40), nullable=False),
    Column("title", Text, nullable=False),
    Column("agency", Text, nullable=False, default=""),
    Column("citation", String(60), nullable=False, default=""),
    Column("file_code", String(200), nullable=False, default=""),
    Column("rin", String(200), nullable=False, default=""),
    Column("docket", String(200), nullable=False, default=""),
    Column("publication_date", Date, nullable=False, index=True),
    Column("effective_date", Date, index=True),
    Column("comments_close_date", Date, index=True),
    Column("cfr_parts", Text, nullable=False, default=""),
    Column("summary", Text, nullable=False, default=""),
    Column("html_url", Text, nullable=False, default=""),
    Column("source_url", Text, nullable=False, default=""),
    Column("confidence", String(10), nullable=False, default="high"),
    Column("origin", String(30), nullable=False, default="snapshot"),
)

provisions = Table(
    "provisions",
    metadata,
    Column("document_number", String(40), primary_key=True),
    Column("kind", String(40), primary_key=True),
    Column("subject", String(100), primary_key=True),
    Column("family", String(60), nullable=False, default=""),
    Column("effective_date", Date),
    Column("detail", Text, nullable=False, default=""),
    Column("evidence_text", Text, nullable=False, default=""),
    Column("start", Integer),
    Column("end", Integer),
    Column("origin", String(30), nullable=False, default="curated"),
    Column("roles", Text, nullable=False, default=""),
)

billing_codes = Table(
    "billing_codes",
    metadata,
    Column("code", String(10), primary_key=True),
    Column("system", String(40), nullable=False),
    Column("family", String(60), nullable=False, index=True),
    Column("description", Text, nullable=False),
    Column("first_paid_year", Integer),
    Column("first_paid_date", Date),
    Column("threshold", Text, nullable=False, default=""),
    Column("performer", Text, nullable=False, default=""),
    Column("ai_category", String(20), nullable=False, default=""),
    Column("status_note", Text, nullable=False, default=""),
    Column("source_url", Text, nullable=False, default=""),
    Column("confidence", String(10), nullable=False, default="medium"),
)

code_values = Table(
    "code_values",
    metadata,
    Column("code", String(10), primary_key=True),
    Column("year", Integer, primary_key=True),
    Column("setting", String(20), primary_key=True),
    # The CMS release (RVU26A, RVU26C…) or the Federal Register document whose addendum printed
    # the value; a year's value can change between releases, each public from its own date.
    Column("release", String(40), primary_key=True, default=""),
    Column("available_from", Date, nullable=False),
    Column("work_rvu", Float),
    Column("pe_rvu", Float),
    Column("mp_rvu", Float),
    Column("total_rvu", Float),
    Column("conversion_factor", Float),
    Column("payment", Float),
    Column("approximate", Boolean, nullable=False, default=False),
    Column("source", Text, nullable=False, default=""),
)

program_metrics = Table(
    "program_metrics",
    metadata,
    Column("metric", String(100), primary_key=True),
    Column("year", Integer, primary_key=True),
    Column("source_url", String(1000), primary_key=True),
    Column("value", Float),
    Column("value_text", Text, nullable=False),
    Column("unit", Text, nullable=False, default=""),
    Column("available_from", Date, nullable=False),
    Column("approximate", Boolean, nullable=False, default=False),
    Column("confidence", String(10), nullable=False, default="medium"),
)

roles = Table(
    "roles",
    metadata,
    Column("role_key", String(60), primary_key=True),
    Column("title", Text, nullable=False),
    Column("soc", String(20), nullable=False, default=""),
    Column("onet_soc", Text, nullable=False, default=""),
    Column("onet_title", Text, nullable=False, default=""),
    Column("employment", Integer),
    Column("median_wage", Float),
    Column("wage_year", String(20), nullable=False, default=""),
    Column("projection_pct", Float),
    Column("projection_period", String(20), nullable=False, default=""),
    Column("annual_openings", Integer),
    Column("entry_education", Text, nullable=False, default=""),
    Column("certifications", Text, nullable=False, default=""),
    Column("source_url", Text, nullable=False, default=""),
    Column("confidence", String(10), nullable=False, default="medium"),
)

# Feature areas register their table modules here (imported for their side effect on metadata).
AREA_MODULES: list[str] = [
    "payforce.store.workforce_tables",
    "payforce.store.fee_tables",
    "payforce.store.fee_schema",
    "payforce.store.fr_tables",
    "payforce.store.assessment_tables",
    "payforce.store.mssp_tables",
    "payforce.store.scope_tables",
]


def schema_digest() -> str:
    """Hash of the source of every module that defines tables or migrations (no imports)."""
    import hashlib
    import importlib.util
    from pathlib import Path

    h = hashlib.sha256(str(SCHEMA_VERSION).encode())
    for name in ("payforce.store.schema", "payforce.store.migrations", *AREA_MODULES):
        spec = importlib.util.find_spec(name)
        if spec is not None and spec.origin:
            h.update(Path(spec.origin).read_bytes())
    return h.hexdigest()[:16]


def load_area_tables() -> None:
    """Import every area's table module so that ``metadata`` knows all tables."""
    for name in AREA_MODULES:
        importlib.import_module(name)
