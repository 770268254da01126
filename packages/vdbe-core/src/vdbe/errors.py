"""The errors the VM raises, each carrying SQLite's message text and result code.

The command line maps them to exit statuses: SqlError and its children exit 1,
UnsupportedOpcode exits 3, CorruptError exits 4.
"""

from __future__ import annotations

# SQLite's primary result codes (sqlite3.h). An extended code's name starts with its
# primary's: SQLITE_CONSTRAINT_UNIQUE is a SQLITE_CONSTRAINT.
RESULT_CODES = {
    "SQLITE_ERROR": 1,
    "SQLITE_INTERNAL": 2,
    "SQLITE_PERM": 3,
    "SQLITE_ABORT": 4,
    "SQLITE_BUSY": 5,
    "SQLITE_LOCKED": 6,
    "SQLITE_NOMEM": 7,
    "SQLITE_READONLY": 8,
    "SQLITE_INTERRUPT": 9,
    "SQLITE_IOERR": 10,
    "SQLITE_CORRUPT": 11,
    "SQLITE_FULL": 13,
    "SQLITE_CANTOPEN": 14,
    "SQLITE_SCHEMA": 17,
    "SQLITE_TOOBIG": 18,
    "SQLITE_CONSTRAINT": 19,
    "SQLITE_MISMATCH": 20,
    "SQLITE_MISUSE": 21,
    "SQLITE_RANGE": 25,
    "SQLITE_NOTADB": 26,
}


def primary_code(name: str | None) -> str:
    """The primary result code of the code named `name`; SQLITE_ERROR if none is known."""
    name = name or "SQLITE_ERROR"
    return next((p for p in RESULT_CODES if name == p or name.startswith(p + "_")), "SQLITE_ERROR")


class VdbeError(Exception):
    """Base class: `message` is what the user sees, `code` is SQLite's result code name."""

    code = "SQLITE_ERROR"

    def __init__(self, message: str, code: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        if code is not None:
            self.code = code

    def __str__(self) -> str:
        return self.message


class SqlError(VdbeError):
    """An error in the statement or its data, reported as `Error: MESSAGE` (exit 1)."""


class ConstraintError(SqlError):
    """A constraint failed, e.g. 'UNIQUE constraint failed: t.a'."""

    code = "SQLITE_CONSTRAINT"


class BusyError(SqlError):
    """Another connection holds the lock: 'database is locked'."""

    code = "SQLITE_BUSY"

    def __init__(self, message: str = "database is locked", code: str | None = None) -> None:
        super().__init__(message, code)


class UnsupportedOpcode(VdbeError):  # noqa: N818 - named for what it reports
    """The program uses an opcode this VM has no handler for (exit 3)."""

    def __init__(self, opcode: str, code: str | None = None, why: str | None = None) -> None:
        reason = f" ({why})" if why else ""
        super().__init__(f"unsupported opcode: {opcode}{reason}", code)
        self.opcode = opcode


class CorruptError(VdbeError):
    """The database file is not what the format says it must be (exit 4)."""

    code = "SQLITE_CORRUPT"

    def __init__(
        self, message: str = "database disk image is malformed", code: str | None = None
    ) -> None:
        super().__init__(message, code)


class InterruptedError_(VdbeError):  # noqa: N801, N818 - the underscore avoids the builtin name
    """`VM.interrupt()` was called while the program ran."""

    code = "SQLITE_INTERRUPT"

    def __init__(self, message: str = "interrupted", code: str | None = None) -> None:
        super().__init__(message, code)


class StepLimitError(VdbeError):
    """The program executed more instructions than its step budget allows."""

    def __init__(self, message: str = "step limit exceeded", code: str | None = None) -> None:
        super().__init__(message, code)
