#!/usr/bin/env bash
# Install everything the test suite needs: the package with its dev extras, Debian's Chromium
# (for Playwright; no browser download) and PostgreSQL. Safe to rerun.
set -euo pipefail
cd "$(dirname "$0")/.."
python3 -m pip install -q -e '.[dev]' >&2
if ! command -v chromium >/dev/null 2>&1 || ! ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1; then
  apt-get update -qq >&2
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium postgresql fonts-dejavu-core >&2
fi
