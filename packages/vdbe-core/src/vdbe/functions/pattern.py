"""LIKE and GLOB: SQL's two pattern matchers.

    LIKE   %  any run of characters      _  any one character
           case-insensitive for the 26 ASCII letters only; ESCAPE c makes c quote the
           next pattern character
    GLOB   *  any run of characters      ?  any one character
           [abc] [a-z] [^a-z]  one character in (or not in) a set; case-sensitive

`X LIKE P` calls the SQL function like(P, X): the pattern comes first.
Each pattern is translated once into a Python regular expression and cached.
"""

from __future__ import annotations

import re
from functools import lru_cache

from vdbe.errors import SqlError
from vdbe.functions.text import as_text
from vdbe.sqlite_library import COMPILE_OPTIONS
from vdbe.values import Value

# A SQLite built with SQLITE_LIKE_DOESNT_MATCH_BLOBS (Debian's and apsw's are) answers 0
# whenever an operand of LIKE or GLOB is a BLOB, even NULL LIKE x''; others match a BLOB
# as the text it holds, and NULL gives NULL. The VM follows the SQLite that compiles.
BLOBS_MATCH_AS_TEXT = "LIKE_DOESNT_MATCH_BLOBS" not in COMPILE_OPTIONS

MAX_PATTERN_LENGTH = 50_000  # SQLite's SQLITE_LIMIT_LIKE_PATTERN_LENGTH
_NEVER = "(?!)"


def _until_nul(s: str) -> str:
    nul = s.find("\x00")
    return s if nul < 0 else s[:nul]


# --8<-- [start:like]
@lru_cache(maxsize=512)
def like_regex(pattern: str, escape: str | None, case_sensitive: bool = False) -> re.Pattern | None:
    """The regular expression for a LIKE pattern, or None if the pattern can match
    nothing (it ends with a lone escape character). LIKE ignores the case of ASCII
    letters unless `PRAGMA case_sensitive_like` is on."""
    parts = []
    chars = iter(pattern)
    for ch in chars:
        if ch == escape:
            quoted = next(chars, None)
            if quoted is None:
                return None
            parts.append(re.escape(quoted))
        elif ch == "%":
            parts.append(".*")
        elif ch == "_":
            parts.append(".")
        else:
            parts.append(re.escape(ch))
    flags = re.DOTALL if case_sensitive else re.DOTALL | re.IGNORECASE | re.ASCII
    return re.compile("".join(parts), flags)


# --8<-- [end:like]


def like(pattern: Value, text: Value) -> Value:
    """like(P, X): 1 if X matches the LIKE pattern P, else 0 (NULL if either is).

    A blob never matches where SQLite is built with SQLITE_LIKE_DOESNT_MATCH_BLOBS.
    """
    return _like(pattern, text, None, False)


def like_escape(pattern: Value, text: Value, escape: Value) -> Value:
    """like(P, X, E): LIKE with an ESCAPE character."""
    return _like(pattern, text, escape, True)


def _as_texts(pattern: Value, text: Value) -> tuple[str | None, str | None]:
    """Pattern and subject as text; a pattern longer than SQLite allows is an error."""
    p = as_text(pattern)
    if p is not None and len(p.encode("utf-8")) > MAX_PATTERN_LENGTH:
        raise SqlError("LIKE or GLOB pattern too complex")
    return p, as_text(text)


def like_case_sensitive(pattern: Value, text: Value) -> Value:
    """like(P, X) under `PRAGMA case_sensitive_like = ON`."""
    return _like(pattern, text, None, False, True)


def like_escape_case_sensitive(pattern: Value, text: Value, escape: Value) -> Value:
    """like(P, X, E) under `PRAGMA case_sensitive_like = ON`."""
    return _like(pattern, text, escape, True, True)


def _like(
    pattern: Value, text: Value, escape: Value, has_escape: bool, case_sensitive: bool = False
) -> Value:
    if not BLOBS_MATCH_AS_TEXT and (isinstance(pattern, bytes) or isinstance(text, bytes)):
        return 0
    p, s = _as_texts(pattern, text)
    esc = None
    if has_escape:
        esc = as_text(escape)
        if esc is None:
            return None
        if len(_until_nul(esc)) != 1:
            raise SqlError("ESCAPE expression must be a single character")
    if p is None or s is None:
        return None
    regex = like_regex(_until_nul(p), esc, case_sensitive)
    if regex is None:
        return 0
    return int(regex.fullmatch(_until_nul(s)) is not None)


@lru_cache(maxsize=512)
def glob_regex(pattern: str) -> re.Pattern | None:
    """The regular expression for a GLOB pattern (None: it can match nothing)."""
    parts = []
    i, n = 0, len(pattern)
    while i < n:
        ch = pattern[i]
        i += 1
        if ch == "*":
            parts.append(".*")
        elif ch == "?":
            parts.append(".")
        elif ch == "[":
            charset, i = _glob_set(pattern, i)
            if charset is None:
                return None
            parts.append(charset)
        else:
            parts.append(re.escape(ch))
    return re.compile("".join(parts), re.DOTALL)


def _glob_set(pattern: str, i: int) -> tuple[str | None, int]:
    """Translate the set after a '[' into a regex; returns (regex, index after ']')."""
    n = len(pattern)
    negate = i < n and pattern[i] == "^"
    if negate:
        i += 1
    members: list[str] = []
    if i < n and pattern[i] == "]":
        members.append(re.escape("]"))
        i += 1
    prior = None
    while i < n and pattern[i] != "]":
        ch = pattern[i]
        if ch == "-" and prior is not None and i + 1 < n and pattern[i + 1] != "]":
            high = pattern[i + 1]
            if prior <= high:  # a reversed range matches nothing (its start still does)
                members.pop()
                members.append(f"{re.escape(prior)}-{re.escape(high)}")
            prior = None
            i += 2
            continue
        members.append(re.escape(ch))
        prior = ch
        i += 1
    if i >= n:
        return None, i  # no closing bracket: the pattern matches nothing
    i += 1
    if not members:
        return ("." if negate else _NEVER), i
    return "[" + ("^" if negate else "") + "".join(members) + "]", i


def glob(pattern: Value, text: Value) -> Value:
    """glob(P, X): 1 if X matches the GLOB pattern P, else 0 (NULL if either is)."""
    if not BLOBS_MATCH_AS_TEXT and (isinstance(pattern, bytes) or isinstance(text, bytes)):
        return 0
    p, s = _as_texts(pattern, text)
    if p is None or s is None:
        return None
    regex = glob_regex(_until_nul(p))
    if regex is None:
        return 0
    return int(regex.fullmatch(_until_nul(s)) is not None)
