"""Rows the Federal Register sync writes: one ``documents`` row per document, one ``provisions``
row per extracted provision."""

from __future__ import annotations

from typing import Any

from payforce.models import PolicyDocument, Provision

__all__ = ["document_row", "provision_row"]


def document_row(doc: PolicyDocument) -> dict[str, Any]:
    """The ``documents`` row of a document."""
    return {
        "document_number": doc.document_number,
        "key": doc.key,
        "type": doc.type,
        "title": doc.title,
        "agency": doc.agency,
        "citation": doc.citation,
        "file_code": doc.file_code,
        "rin": doc.rin,
        "docket": doc.docket,
        "publication_date": doc.publication_date,
        "effective_date": doc.effective_date,
        "comments_close_date": doc.comments_close_date,
        "cfr_parts": doc.cfr_parts,
        "summary": doc.summary,
        "html_url": doc.html_url,
        "source_url": doc.source_url,
        "confidence": doc.confidence,
        "origin": doc.origin,
    }


def provision_row(p: Provision) -> dict[str, Any]:
    """The ``provisions`` row of a provision extracted from full text."""
    return {
        "document_number": p.document_number,
        "kind": p.kind,
        "subject": p.subject[:100],
        "family": p.family,
        "effective_date": p.effective_date,
        "detail": p.detail,
        "evidence_text": p.evidence_text,
        "start": p.start,
        "end": p.end,
        "origin": "extracted",
        "roles": ";".join(p.roles),
    }
