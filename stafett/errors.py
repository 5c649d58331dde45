"""The errors a user can cause. One handler in the CLI turns each into one line and an exit code."""

from __future__ import annotations


class StafettError(Exception):
    """A problem the user can fix. `message` says what is wrong, `hint` how to fix it."""

    exit_code = 1

    def __init__(self, message: str, hint: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.hint = hint

    def __str__(self) -> str:
        return f"{self.message} ({self.hint})" if self.hint else self.message


class UsageError(StafettError):
    exit_code = 2


class FolderError(StafettError):
    """No case folder here, or its stafett.yaml/personer.yaml is broken."""


class CaseFileError(StafettError):
    """A case file cannot be read: encoding, syntax, limits, tags, duplicate keys."""

    def __init__(self, message: str, hint: str | None = None, *, path: str = "", line: int = 0, col: int = 0,
                 code: str = "Y001") -> None:
        super().__init__(message, hint)
        self.path, self.line, self.col, self.code = path, line, col, code

    def __str__(self) -> str:
        where = f"{self.path}:{self.line}:{self.col}: " if self.path else ""
        return f"{where}{self.code} {super().__str__()}"


class DomainError(StafettError):
    """The routines forbid what was asked (e.g. accepting a handover offered to someone else)."""


class NotFound(StafettError):
    """A case, meeting, tiltak or person id that does not exist."""


class LockTimeout(StafettError):
    """Another stafett process is writing the same case."""
