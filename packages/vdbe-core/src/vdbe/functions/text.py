"""Scalar functions on text: length, upper, lower, substr, replace, trim, instr.

Every argument is first seen as text the way SQLite's sqlite3_value_text() sees it:
numbers in their text form, blobs as their bytes read as UTF-8. Most functions stop at a
NUL character, as SQLite's C string handling does.
"""

from __future__ import annotations

from vdbe.int64 import LARGEST_INT64, SMALLEST_INT64, UINT64_MASK
from vdbe.values import Value, to_int, to_text

MAX_LENGTH = 1_000_000_000  # SQLite's default SQLITE_LIMIT_LENGTH


def as_text(v: Value) -> str | None:
    """sqlite3_value_text(): None for NULL, else the value as a string."""
    if v is None or type(v) is str:
        return v
    if isinstance(v, bytes):
        return v.decode("utf-8", "replace")
    return to_text(v)


def compiled_since(*release: int) -> bool:
    """Was the program compiled by SQLite `release` or newer? (see vdbe.opcodes)"""
    from vdbe.opcodes import compiled_since as since  # noqa: PLC0415

    return since(*release)


def wrap64(n: int) -> int:
    """n as C's 64-bit signed arithmetic leaves it: wrapped into -2**63 .. 2**63-1."""
    return ((n - SMALLEST_INT64) & UINT64_MASK) + SMALLEST_INT64


def as_int32(v: Value) -> int:
    """sqlite3_value_int(): the INTEGER value, wrapped to 32 bits as C's (int) cast does."""
    i = to_int(v) or 0
    i &= 0xFFFFFFFF
    return i - (1 << 32) if i >> 31 else i


def _until_nul(s: str) -> str:
    nul = s.find("\x00")
    return s if nul < 0 else s[:nul]


_ASCII_UPPER = str.maketrans("abcdefghijklmnopqrstuvwxyz", "ABCDEFGHIJKLMNOPQRSTUVWXYZ")
_ASCII_LOWER = str.maketrans("ABCDEFGHIJKLMNOPQRSTUVWXYZ", "abcdefghijklmnopqrstuvwxyz")


def length(x: Value) -> Value:
    """Characters in a text up to its first NUL; bytes in a blob; NULL for NULL."""
    if x is None:
        return None
    if isinstance(x, bytes):
        return len(x)
    return len(_until_nul(as_text(x)))


def upper(x: Value) -> Value:
    """The text with a-z made upper case (ASCII only, as SQLite without ICU)."""
    text = as_text(x)
    return None if text is None else text.translate(_ASCII_UPPER)


def lower(x: Value) -> Value:
    """The text with A-Z made lower case (ASCII only)."""
    text = as_text(x)
    return None if text is None else text.translate(_ASCII_LOWER)


# --8<-- [start:substr]
_TO_THE_END = object()  # substr(X, Y): no count given


def substr(x: Value, start: Value, count: Value = _TO_THE_END) -> Value:
    """substr(X, Y, Z): Z characters (bytes for a blob) of X from position Y.

    Positions count from 1; a negative Y counts from the end; Y = 0 is the position
    just before the first, so it takes one character less; a negative Z takes the
    |Z| characters before position Y instead of after it.
    """
    if start is None or count is None or x is None:
        return None
    if x == b"":
        return None  # SQLite sees no blob at all there
    if count is _TO_THE_END:  # the longest string allowed; from 3.54 the largest integer
        count = LARGEST_INT64 if compiled_since(3, 54) else MAX_LENGTH
    data = x if isinstance(x, bytes) else _until_nul(as_text(x))
    if compiled_since(3, 48):  # 64-bit positions, with C's wrap-around where they overflow
        p1, p2 = _substr_range_64(to_int(start) or 0, to_int(count) or 0, len(data))
    else:  # 3.47 and earlier read both as 32-bit C ints
        p1, p2 = _substr_range(as_int32(start), as_int32(count), len(data))
    return data[p1 : p1 + p2] if p1 >= 0 and p2 > 0 else data[:0]


def _substr_range(p1: int, p2: int, size: int) -> tuple[int, int]:
    """Where substr() starts (from 0) and how much it takes, as SQLite 3.47 and before."""
    negative = p2 < 0
    if negative:
        p2 = -p2
    if p1 < 0:
        p1 += size
        if p1 < 0:
            p2 = max(p2 + p1, 0)
            p1 = 0
    elif p1 > 0:
        p1 -= 1
    elif p2 > 0:
        p2 -= 1
    if negative:
        p1 -= p2
        if p1 < 0:
            p2 += p1
            p1 = 0
    return p1, p2


def _substr_range_64(p1: int, p2: int, size: int) -> tuple[int, int]:
    """The same since 3.48, on 64-bit integers: -(-2**63) stays negative and sums wrap."""
    negative = p2 < 0
    if negative:
        p2 = wrap64(-p2)
    if p1 < 0:
        p1 += size
        if p1 < 0:
            p2 = 0 if p2 < 0 else wrap64(p2 + p1)
            p1 = 0
    elif p1 > 0:
        p1 -= 1
    elif p2 > 0:
        p2 -= 1
    if negative:
        p1 = wrap64(p1 - p2)
        if p1 < 0:
            p2 = wrap64(p2 + p1)
            p1 = 0
    return p1, p2


# --8<-- [end:substr]


def replace(x: Value, pattern: Value, replacement: Value) -> Value:
    """X with every occurrence of PATTERN replaced; an empty pattern returns X as is
    (as text from 3.45 on)."""
    text = as_text(x)
    if text is None:
        return None
    pat = as_text(pattern)
    if pat is None:
        return None
    if pat == "" or pat[0] == "\x00":  # X itself; since 3.45 always as text
        return text if isinstance(x, bytes) or compiled_since(3, 45) else x
    rep = as_text(replacement)
    if rep is None:
        return None
    return text.replace(pat, rep)


_SPACE = object()  # "no character set given": trim spaces only


def _trim(x: Value, chars: Value, left: bool, right: bool) -> Value:
    text = as_text(x)
    if text is None:
        return None
    charset = " " if chars is _SPACE else as_text(chars)
    if charset is None:
        return None
    charset = _until_nul(charset)
    if left:
        text = text.lstrip(charset) if charset else text
    if right:
        text = text.rstrip(charset) if charset else text
    return text


def trim(x: Value, chars: Value = _SPACE) -> Value:
    """X without the characters of CHARS (default: spaces) at both ends."""
    return _trim(x, chars, True, True)


def ltrim(x: Value, chars: Value = _SPACE) -> Value:
    """X without the characters of CHARS (default: spaces) at its start."""
    return _trim(x, chars, True, False)


def rtrim(x: Value, chars: Value = _SPACE) -> Value:
    """X without the characters of CHARS (default: spaces) at its end."""
    return _trim(x, chars, False, True)


def instr(haystack: Value, needle: Value) -> Value:
    """1 + the position of the first NEEDLE in HAYSTACK, 0 if absent (bytes for blobs)."""
    if haystack is None or needle is None:
        return None
    if isinstance(haystack, bytes) and isinstance(needle, bytes):
        return haystack.find(needle) + 1
    return as_text(haystack).find(as_text(needle)) + 1
