"""Settings, read from the environment once at the edge (CLI, web) and passed down.

- ``PAYFORCE_HOME``: folder for the database, HTTP cache and outputs
  (default ``$XDG_DATA_HOME/payforce``, i.e. ``~/.local/share/payforce``).
- ``PAYFORCE_DATABASE_URL``: SQLAlchemy URL, ``sqlite:///…`` or ``postgresql://…``
  (default ``sqlite:///$PAYFORCE_HOME/payforce.db``).
- ``PAYFORCE_FR_API_URL``: Federal Register API base URL
  (default ``https://www.federalregister.gov/api/v1``).
- ``PAYFORCE_HTTP_TIMEOUT``: seconds per HTTP request (default 30).
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass, replace
from pathlib import Path

from payforce.errors import ConfigError

__all__ = ["DEFAULT_FR_API_URL", "Settings"]

DEFAULT_FR_API_URL = "https://www.federalregister.gov/api/v1"
DEFAULT_HTTP_TIMEOUT = 30.0


def _default_home(env: Mapping[str, str]) -> Path:
    base = env.get("XDG_DATA_HOME") or str(Path(env.get("HOME", "~")).expanduser() / ".local/share")
    return Path(base) / "payforce"


@dataclass(frozen=True)
class Settings:
    """Everything payforce reads from its environment."""

    home: Path
    """Folder holding the SQLite database, the HTTP cache and generated files."""
    database_url: str
    """SQLAlchemy database URL; SQLite by default, PostgreSQL for a team server."""
    fr_api_url: str = DEFAULT_FR_API_URL
    """Base URL of the Federal Register API (a mirror or a test server may stand in)."""
    http_timeout: float = DEFAULT_HTTP_TIMEOUT
    """Seconds before one HTTP request times out."""

    @property
    def cache_dir(self) -> Path:
        """On-disk HTTP cache folder."""
        return self.home / "http-cache"

    @classmethod
    def from_env(cls, env: Mapping[str, str] | None = None) -> Settings:
        """Build settings from environment variables (``os.environ`` when not given)."""
        env = os.environ if env is None else env
        home = Path(env["PAYFORCE_HOME"]).expanduser() if env.get("PAYFORCE_HOME") else None
        home = home or _default_home(env)
        url = env.get("PAYFORCE_DATABASE_URL") or f"sqlite:///{home / 'payforce.db'}"
        if "://" not in url:
            raise ConfigError(
                f"PAYFORCE_DATABASE_URL: not a database URL ({url!r})",
                hint="Use sqlite:///path/to/file.db or postgresql://user@host/dbname",
            )
        timeout_text = env.get("PAYFORCE_HTTP_TIMEOUT", str(DEFAULT_HTTP_TIMEOUT))
        try:
            timeout = float(timeout_text)
        except ValueError:
            raise ConfigError(
                f"PAYFORCE_HTTP_TIMEOUT: not a number ({timeout_text!r})",
                hint="Give seconds, e.g. 30",
            ) from None
        return cls(
            home=home,
            database_url=url,
            fr_api_url=env.get("PAYFORCE_FR_API_URL", DEFAULT_FR_API_URL).rstrip("/"),
            http_timeout=timeout,
        )

    def with_database(self, url: str) -> Settings:
        """A copy pointing at another database (the CLI's ``--db`` option)."""
        if "://" not in url:
            url = f"sqlite:///{Path(url).expanduser()}"
        return replace(self, database_url=url)
