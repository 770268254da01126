"""Collating sequences: how two TEXT values compare.

SQLite ships three collations, and so does this VM. Each is a function of two strings
returning -1, 0 or 1, registered in `COLLATIONS` under its upper-case name.

- BINARY compares the UTF-8 bytes (for Python strings: code point order, which is the same).
- NOCASE folds the 26 ASCII letters to lower case first; every other character, accented
  letters included, compares as in BINARY.
- RTRIM ignores trailing spaces (only U+0020), then compares as BINARY.
"""

from __future__ import annotations

from collections.abc import Callable

from vdbe.errors import SqlError

Collation = Callable[[str, str], int]

_ASCII_LOWER = str.maketrans(
    "ABCDEFGHIJKLMNOPQRSTUVWXYZ",
    "abcdefghijklmnopqrstuvwxyz",
)


def binary(a: str, b: str) -> int:
    """Code point order, which for UTF-8 is byte order: SQLite's memcmp()."""
    return (a > b) - (a < b)


# --8<-- [start:nocase]
def nocase(a: str, b: str) -> int:
    """BINARY after folding A-Z to a-z (ASCII only, as SQLite's NOCASE)."""
    a = a.translate(_ASCII_LOWER)
    b = b.translate(_ASCII_LOWER)
    return (a > b) - (a < b)


# --8<-- [end:nocase]


def rtrim(a: str, b: str) -> int:
    """BINARY after removing trailing spaces."""
    a = a.rstrip(" ")
    b = b.rstrip(" ")
    return (a > b) - (a < b)


COLLATIONS: dict[str, Collation] = {
    "BINARY": binary,
    "NOCASE": nocase,
    "RTRIM": rtrim,
}


# The collations that the connection whose statement is running defined in Python
# (vdbe.dbapi's create_collation): it puts its own here before it steps a program.
connection_collations: dict[str, Collation] = {}


def get_collation(name: str | None) -> Collation:
    """The collation called `name` (any case; None and "B" mean BINARY).

    An unknown name is a user's mistake, reported as SQLite does.
    """
    if name is None:
        return binary
    found = COLLATIONS.get(name.upper()) or connection_collations.get(name.upper())
    if found is None:
        if name == "B":  # EXPLAIN abbreviates BINARY to B inside key info
            return binary
        raise SqlError(f"no such collation sequence: {name}")
    return found
