"""Record fresh Federal Register API responses with the same fetch code payforce uses.

    python scripts/record_fixtures.py --out tests/fixtures/federal_register/recorded

Needs network (never run in CI). Writes the raw bodies, exactly as received, plus a
``receipts.json`` with each request URL, HTTP status, time and sha256, so a reviewer can compare
them with the stored fixtures (see tests/fixtures/federal_register/PROVENANCE.md).
"""

from __future__ import annotations

import argparse
import hashlib
import json
import sys
from datetime import UTC, date, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))

from payforce.config import Settings  # noqa: E402
from payforce.sources.base import http_client  # noqa: E402
from payforce.sources.federal_register import SearchQuery, build_search_params  # noqa: E402

DOCUMENTS = ("2023-14624", "2024-17021", "2024-29463")
"""CY2024 PFS proposed rule, FY2025 IPPS final rule, and an EPA rule with a RIN."""


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, required=True)
    args = parser.parse_args()
    settings = Settings.from_env()
    out: Path = args.out
    out.mkdir(parents=True, exist_ok=True)
    base = settings.fr_api_url
    requests: list[tuple[str, str, list[tuple[str, str]] | None]] = [
        (
            "search_cms_2024-07.json",
            f"{base}/documents.json",
            build_search_params(SearchQuery(), date(2024, 7, 1), date(2024, 7, 31), per_page=20),
        ),
        (
            "search_zero_results.json",
            f"{base}/documents.json",
            build_search_params(
                SearchQuery(term="codexNoMatchingDocument987654321"),
                date(2024, 1, 1),
                date(2024, 12, 31),
            ),
        ),
    ]
    requests += [(f"document_{n}.json", f"{base}/documents/{n}.json", None) for n in DOCUMENTS]
    receipts = []
    with http_client(settings, cache=False) as client:
        for name, url, params in requests:
            response = client.get(url, params=params)
            body = response.content
            (out / name).write_bytes(body)
            receipts.append(
                {
                    "file": name,
                    "url": str(response.request.url),
                    "status": response.status_code,
                    "retrieved_at": datetime.now(UTC).replace(microsecond=0).isoformat(),
                    "sha256": hashlib.sha256(body).hexdigest(),
                }
            )
            print(f"{response.status_code} {name} ({len(body)} bytes)")
    (out / "receipts.json").write_text(json.dumps(receipts, indent=2) + "\n", encoding="utf-8")
    print(f"wrote {len(receipts)} responses and receipts.json to {out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
