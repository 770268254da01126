"""Which SQLite release brought each SQL function that 3.40 did not have.

The VM offers a function only if the SQLite that compiles (vdbe.sqlite_library.VERSION)
has it: with 3.40 compiling, `concat()` is "no such function" on both sides, as it
is in SQLite 3.40 itself. A program run from a listing, with no SQLite, gets 3.40's set.
"""

from __future__ import annotations

# (name, argument count) -> the release that added it (-1: any number of arguments)
ADDED_IN: dict[tuple[str, int], tuple[int, int]] = {
    ("unhex", 1): (3, 41),
    ("unhex", 2): (3, 41),
    ("octet_length", 1): (3, 43),
    ("timediff", 2): (3, 43),
    ("concat", -1): (3, 44),
    ("concat_ws", -1): (3, 44),
    ("string_agg", 2): (3, 44),
    ("unistr", 1): (3, 50),
    ("unistr_quote", 1): (3, 50),
}


def present_in(release: tuple[int, ...], functions: dict) -> dict:
    """The entries of `functions` that SQLite `release` has."""
    return {key: f for key, f in functions.items() if ADDED_IN.get(key, (3, 0)) <= release[:2]}
