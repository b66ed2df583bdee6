"""Is a cited URL the record itself (primary) or someone's summary (secondary), and when was the
secondary one written? Which hosts are never acceptable (redirectors, unrelated hosts)?

Primary hosts are the agencies and registries that publish the facts (Federal Register, GPO,
CMS, HHS, BLS, O*NET, the AMA for CPT, PubMed/PMC for a study's own figures). Every other host is
secondary; ``citations.yaml`` records when each secondary page we cite was written, so a replay
never shows a page as the source of a fact on a date before the page existed.
"""

from __future__ import annotations

from datetime import date
from functools import lru_cache
from importlib import resources
from typing import Any
from urllib.parse import urlsplit

__all__ = ["PRIMARY_HOSTS", "blocked_host", "citation_fields", "is_secondary", "written_on"]

PRIMARY_HOSTS = (
    "federalregister.gov",
    "govinfo.gov",
    "gpo.gov",
    "cms.gov",
    "data.cms.gov",
    "hhs.gov",
    "oig.hhs.gov",
    "healthit.gov",
    "bls.gov",
    "onetcenter.org",
    "onetonline.org",
    "reginfo.gov",
    "regulations.gov",
    "ama-assn.org",
    "ncbi.nlm.nih.gov",
    "doi.org",
)


def _host(url: str) -> str:
    try:
        return (urlsplit(url.strip()).hostname or "").lower()
    except ValueError:
        return ""


def _matches(host: str, domain: str) -> bool:
    return host == domain or host.endswith("." + domain)


@lru_cache(maxsize=1)
def _registry() -> dict[str, Any]:
    import yaml

    text = resources.files("payforce.knowledge").joinpath("citations.yaml").read_text("utf-8")
    data = yaml.safe_load(text) or {}
    written = {}
    for e in data.get("secondary") or ():
        d = e["written"]
        written[str(e["url"])] = d if isinstance(d, date) else date.fromisoformat(str(d))
    return {
        "blocked": tuple(str(h).lower() for h in data.get("blocked_hosts") or ()),
        "written": written,
    }


def is_secondary(url: str) -> bool:
    """True for a URL that is not on a primary (publishing agency or registry) host."""
    host = _host(url)
    if not host:
        return False
    return not any(_matches(host, d) for d in PRIMARY_HOSTS)


def written_on(url: str) -> date | None:
    """When a secondary page was written (longest registered prefix of ``url``), if known."""
    best: tuple[int, date] | None = None
    for prefix, d in _registry()["written"].items():
        if url.startswith(prefix) and (best is None or len(prefix) > best[0]):
            best = (len(prefix), d)
    return best[1] if best else None


def blocked_host(url: str) -> bool:
    """True for a redirector or unrelated host that must never be cited."""
    host = _host(url)
    return bool(host) and any(_matches(host, d) for d in _registry()["blocked"])


def citation_fields(url: str) -> dict[str, Any]:
    """``secondary`` and ``source_date`` for an Evidence citing ``url``."""
    if not is_secondary(url):
        return {"secondary": False, "source_date": None}
    return {"secondary": True, "source_date": written_on(url)}
