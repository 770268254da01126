"""Scalar functions about values themselves: typeof, NULL handling, min/max, numbers,
hex and quote, characters and blobs."""

from __future__ import annotations

import os
import struct

from vdbe.errors import SqlError
from vdbe.functions.text import MAX_LENGTH, as_int32, as_text, compiled_since
from vdbe.sqlite_library import VERSION
from vdbe.values import (
    SMALLEST_INT64,
    Value,
    compare,
    is_true,
    numeric_text,
    parse_real,
    real_to_text,
    to_int,
    to_real,
    type_name,
)


def typeof(x: Value) -> str:
    """The storage class of X: 'null', 'integer', 'real', 'text' or 'blob'."""
    return type_name(x)


def coalesce(*args: Value) -> Value:
    """The first argument that is not NULL (NULL if all are)."""
    for v in args:
        if v is not None:
            return v
    return None


def ifnull(x: Value, y: Value) -> Value:
    """X unless it is NULL, then Y."""
    return y if x is None else x


def nullif(x: Value, y: Value, *, coll: str | None = None) -> Value:
    """X, or NULL when X equals Y."""
    return None if compare(x, y, coll) == 0 else x


def iif(cond: Value, then: Value, otherwise: Value) -> Value:
    """THEN if COND is true, else OTHERWISE (a NULL condition is not true)."""
    return then if is_true(cond) else otherwise


def _extreme(args: tuple, coll: str | None, want_max: bool) -> Value:
    best = args[0]
    if best is None:
        return None
    for v in args[1:]:
        if v is None:
            return None
        c = compare(best, v, coll)
        # min keeps the later of equal values, max the earlier, as SQLite does
        if (want_max and c < 0) or (not want_max and c >= 0):
            best = v
    return best


def min_(*args: Value, coll: str | None = None) -> Value:
    """The smallest argument, or NULL if any argument is NULL."""
    return _extreme(args, coll, False)


def max_(*args: Value, coll: str | None = None) -> Value:
    """The largest argument, or NULL if any argument is NULL."""
    return _extreme(args, coll, True)


def abs_(x: Value) -> Value:
    """|X|: INTEGER for an INTEGER (an error for the smallest one), else REAL."""
    if x is None:
        return None
    if type(x) is int:
        if x == SMALLEST_INT64:
            raise SqlError("integer overflow")
        return -x if x < 0 else x
    r = to_real(x)
    return -r if r < 0 else r


def numeric_value(x: Value) -> int | float | None:
    """sqlite3_value_numeric_type(): a number, or None unless X is (wholly) numeric."""
    if type(x) is int or type(x) is float:
        return x
    if type(x) is not str:
        return None
    n = numeric_text(x, try_for_int=False)
    return None if type(n) is str else n


def sign(x: Value) -> Value:
    """-1, 0 or 1 for a number or numeric text; NULL for anything else."""
    n = numeric_value(x)
    if n is None:
        return None
    return -1 if n < 0 else (1 if n > 0 else 0)


# --8<-- [start:round]
def round_(x: Value, digits: Value = 0) -> Value:
    """X rounded to DIGITS places after the point (0 to 30), always a REAL.

    Halves round away from zero. SQLite rounds through its own printf, so the result
    is the REAL nearest to the decimal text printf("%.Nf") writes.
    """
    if digits is None or x is None:
        return None
    from vdbe.functions.printf import format_float  # noqa: PLC0415 - printf needs values

    # 3.48 and later read DIGITS as a 64-bit integer; before, as a 32-bit C int
    places = (to_int(digits) or 0) if compiled_since(3, 48) else as_int32(digits)
    n = max(0, min(places, 30))
    r = to_real(x)
    if -4503599627370496.0 <= r <= 4503599627370496.0:
        if n == 0:
            r = float(int(r + (-0.5 if r < 0 else 0.5)))
        else:  # newer releases print with "!" ("%!.Nf"): up to 26 digits, not 16
            r = parse_real(format_float(r, "f", n, alt2=compiled_since(3, 43)))[1]
    return r


# --8<-- [end:round]


def zeroblob(n: Value) -> Value:
    """A blob of N zero bytes (none for N < 0)."""
    size = to_int(n) or 0
    if size > MAX_LENGTH:
        raise SqlError("string or blob too big")
    return bytes(max(size, 0))


def random_() -> int:
    """A random 64-bit signed INTEGER."""
    return struct.unpack("<q", os.urandom(8))[0]


def randomblob(n: Value) -> bytes:
    """N random bytes (at least one)."""
    size = to_int(n) or 0
    if size > MAX_LENGTH:
        raise SqlError("string or blob too big")
    return os.urandom(max(size, 1))


def hex_(x: Value) -> str:
    """The bytes of X (a blob, or the UTF-8 of its text form) in upper-case hexadecimal."""
    if x is None:
        return ""
    data = x if isinstance(x, bytes) else as_text(x).encode("utf-8")
    return data.hex().upper()


# Since SQLite 3.45, quote() writes an infinity as a literal that reads back as one.
INFINITY_LITERALS = {float("inf"): "9.0e+999", float("-inf"): "-9.0e+999"}


def quote(x: Value) -> str:
    """X as an SQL literal: NULL, a number, 'text' with quotes doubled, X'HEX'."""
    if x is None:
        return "NULL"
    if type(x) is int:
        return str(x)
    if type(x) is float:
        if x in INFINITY_LITERALS and VERSION >= (3, 45, 0):
            return INFINITY_LITERALS[x]
        from vdbe.functions.printf import format_float  # noqa: PLC0415

        text = real_to_text(x)  # from 3.53 on, 17 digits that always read back as x
        if parse_real(text)[1] != x:
            text = format_float(x, "e", 20, alt2=True)
        return text
    if isinstance(x, bytes):
        return "X'" + x.hex().upper() + "'"
    text = x
    nul = text.find("\x00")
    if nul >= 0:
        text = text[:nul]
    return "'" + text.replace("'", "''") + "'"


def char(*codes: Value) -> str:
    """The text made of the characters with these code points (bad ones are U+FFFD)."""
    out = []
    for c in codes:
        cp = to_int(c) or 0
        if cp < 0 or cp > 0x10FFFF or 0xD800 <= cp <= 0xDFFF:
            cp = 0xFFFD
        out.append(chr(cp))
    return "".join(out)


def unicode(x: Value) -> Value:
    """The code point of the first character of X, NULL if X is NULL or empty."""
    text = as_text(x)
    if not text or text[0] == "\x00":
        return None
    return ord(text[0])


def likely(x: Value) -> Value:
    """X itself: a hint to SQLite's planner that X is usually true."""
    return x


def likelihood(x: Value, _p: Value) -> Value:
    """X itself: a planner hint with a probability."""
    return x


def sqlite_version() -> str:
    """The version of SQLite whose semantics this VM follows: the one that compiles
    (3.40.1, the course's own, when there is none)."""
    from vdbe.sqlite_library import sqlite3  # noqa: PLC0415

    return sqlite3.sqlite_version if sqlite3 is not None else "3.40.1"
