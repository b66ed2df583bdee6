"""The one exception hierarchy of payforce.

Every error a user can cause derives from :class:`PayforceError`; the CLI and the web app catch
it at the edge and print its one-line message. Anything else is a bug and keeps its traceback.

    PayforceError
    ├── SourceError            an outside source could not be used
    │   ├── FetchError         the network request failed (url, status)
    │   └── ParseError         a file or response is malformed (path, line, field)
    ├── StoreError             the database could not be read or written
    │   └── StoreUnavailableError  the store cannot be used now (``reason``: disk_full,
    │                              read_only, corrupt, empty, connection_lost, busy, cannot_open);
    │                              CLI exit code 3, web 503
    ├── KnowledgeError         a curated knowledge file is invalid (path, entry, field)
    ├── ConfigError            a setting is missing or malformed
    ├── LookupFailedError      an unknown role, code, family or document (with close matches)
    ├── InputError             a bad argument value, e.g. a malformed date
    └── AssessmentError        the AI-governance instrument or an answer sheet is invalid
"""

from __future__ import annotations

from collections.abc import Sequence

__all__ = [
    "AssessmentError",
    "ConfigError",
    "FetchError",
    "InputError",
    "KnowledgeError",
    "LookupFailedError",
    "ParseError",
    "PayforceError",
    "SourceError",
    "StoreError",
    "StoreUnavailableError",
]


class PayforceError(Exception):
    """Base class: a problem the user can act on, described in one line."""

    def __init__(self, message: str, *, hint: str | None = None) -> None:
        self.detail = message
        self.hint = hint
        super().__init__(self.message)

    @property
    def message(self) -> str:
        """The whole one-line message: ``<where>: <what> (<got>). <what to do>``."""
        if self.hint:
            return f"{self.detail}. {self.hint}"
        return self.detail


class SourceError(PayforceError):
    """An outside source (Federal Register, CMS, BLS, O*NET) could not be used."""


class FetchError(SourceError):
    """A network request failed after retries."""

    def __init__(
        self, message: str, *, url: str, status: int | None = None, hint: str | None = None
    ) -> None:
        self.url = url
        self.status = status
        where = f"{url}" + (f" (HTTP {status})" if status is not None else "")
        super().__init__(f"{where}: {message}", hint=hint)


class ParseError(SourceError):
    """A file or response is malformed. Names the file, line and field, and quotes the value."""

    def __init__(
        self,
        message: str,
        *,
        path: str,
        line: int | None = None,
        field: str | None = None,
        value: object = None,
        hint: str | None = None,
    ) -> None:
        self.path = path
        self.line = line
        self.field = field
        self.value = value
        where = path
        if line is not None:
            where += f" line {line}"
        if field is not None:
            where += f", field {field}"
        got = f" ({value!r})" if value is not None else ""
        super().__init__(f"{where}: {message}{got}", hint=hint)


class StoreError(PayforceError):
    """The database could not be opened, read or written."""


class StoreUnavailableError(StoreError):
    """The store cannot be used right now: disk full, read-only, corrupt, empty file, or the
    database server connection was lost. Nothing was written by the failing command.

    ``reason`` is one of :data:`STORE_FAULTS`; the web app answers 503, the CLI exits with 3.
    """

    def __init__(self, message: str, *, reason: str, hint: str | None = None) -> None:
        self.reason = reason
        super().__init__(message, hint=hint)


STORE_FAULTS = (
    "disk_full",
    "read_only",
    "corrupt",
    "empty",
    "connection_lost",
    "busy",
    "cannot_open",
)
"""Values of :attr:`StoreUnavailableError.reason`."""


class KnowledgeError(PayforceError):
    """A curated knowledge file is invalid."""

    def __init__(
        self, message: str, *, path: str, entry: str | None = None, field: str | None = None
    ) -> None:
        self.path = path
        self.entry = entry
        self.field = field
        where = path
        if entry is not None:
            where += f" entry {entry!r}"
        if field is not None:
            where += f", field {field}"
        super().__init__(f"{where}: {message}")


class ConfigError(PayforceError):
    """A setting is missing or malformed."""


class InputError(PayforceError):
    """A command-line or API argument is malformed."""


class LookupFailedError(PayforceError):
    """An unknown role, code, family or document; carries the closest matches."""

    def __init__(self, kind: str, query: str, suggestions: Sequence[str] = ()) -> None:
        self.kind = kind
        self.query = query
        self.suggestions = list(suggestions)
        hint = ("Closest matches: " + ", ".join(self.suggestions)) if self.suggestions else None
        super().__init__(f"unknown {kind} {query!r}", hint=hint)


class AssessmentError(PayforceError):
    """The AI-governance instrument or an answer sheet is invalid."""
