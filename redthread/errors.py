"""One root exception for everything redthread raises on purpose.

Every error says what went wrong *and where*: a file and line, a record, a
field, or a URL, so that a user can fix the input and try again.

Each class carries the HTTP status the API answers with (``status_code``), so
the API maps errors in one handler (``redthread.api.app``) by type, never by
reading the message text.
"""

from __future__ import annotations


class RedthreadError(Exception):
    """Root of all deliberate redthread errors: a bad request unless a subclass says otherwise."""

    status_code: int = 400


class ConfigError(RedthreadError):
    """A setting (environment variable, URL, option) is wrong."""

    status_code = 400


class NotFound(RedthreadError):
    """The thing asked for (an entity, a dataset, a key, a document) is not in the store."""

    status_code = 404


class StoreError(RedthreadError):
    """The store cannot be opened or a write failed (and was rolled back)."""

    status_code = 503


class InputError(RedthreadError):
    """Bad input data: carries the location so the message names it.

    ``path:line: reason`` for line-oriented files, ``path: reason`` otherwise.
    """

    status_code = 422

    def __init__(
        self,
        reason: str,
        path: str | None = None,
        line: int | None = None,
        field: str | None = None,
    ) -> None:
        self.reason = reason
        self.path = path
        self.line = line
        self.field = field
        super().__init__(self.location_message())

    @property
    def location(self) -> str:
        parts = []
        if self.path is not None:
            parts.append(str(self.path))
        if self.line is not None:
            parts.append(str(self.line))
        return ":".join(parts)

    def location_message(self) -> str:
        reason = f"{self.field}: {self.reason}" if self.field else self.reason
        loc = self.location
        return f"{loc}: {reason}" if loc else reason


class BadQuery(InputError):
    """A malformed match query (shape, schema): 400, as yente answers it."""

    status_code = 400


class TooLarge(InputError):
    """An input or upload is over the configured size limit."""

    status_code = 413


class UnknownInput(InputError, NotFound):
    """A value names something the store does not hold (e.g. a dataset); 404 at the API."""

    status_code = 404


class InputErrors(RedthreadError):
    """Several bad records in one input; nothing from it was stored."""

    status_code = 422

    def __init__(self, errors: list[InputError]) -> None:
        self.errors = errors
        head = "; ".join(e.location_message() for e in errors[:5])
        more = f" (and {len(errors) - 5} more)" if len(errors) > 5 else ""
        super().__init__(f"{len(errors)} bad record(s): {head}{more}")
