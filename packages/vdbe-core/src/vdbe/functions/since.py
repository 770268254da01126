"""The functions that SQLite releases after 3.40 added, written as those releases answer.

    unhex(X[, PASS])           3.41   the blob that hexadecimal text X spells
    octet_length(X)            3.43   the bytes of X's text (or blob)
    concat(X, ...)             3.44   the non-NULL arguments, joined
    concat_ws(SEP, X, ...)     3.44   the same, with SEP between them
    string_agg(X, SEP)         3.44   group_concat() under PostgreSQL's name
    unistr(X)                  3.50   X with its \\uXXXX (and like) escapes decoded
    unistr_quote(X)            3.50   quote(), writing control characters as escapes

`vdbe.functions.releases` says which release brought each, so that the VM offers a
function only when the SQLite that compiles has it. (timediff(), 3.43, is with the
other date functions.)
"""

from __future__ import annotations

from vdbe.errors import SqlError
from vdbe.functions.text import as_text
from vdbe.values import Value

_HEX_DIGITS = "0123456789abcdefABCDEF"


def unhex(x: Value, passed: Value = "") -> Value:
    """The blob X spells in hexadecimal, two digits a byte; characters of PASSED may
    stand between the bytes (not inside one). Anything else gives NULL."""
    text, allowed = as_text(x), as_text(passed)
    if text is None or allowed is None:
        return None
    text = _until_nul(text)
    out = bytearray()
    i = 0
    while i < len(text):
        if text[i] not in _HEX_DIGITS:
            if text[i] not in allowed:
                return None
            i += 1
            continue
        if i + 1 >= len(text) or text[i + 1] not in _HEX_DIGITS:
            return None
        out.append(int(text[i : i + 2], 16))
        i += 2
    return bytes(out)


def octet_length(x: Value) -> Value:
    """The length in bytes of X: a blob's own bytes, else the UTF-8 of its text."""
    if x is None:
        return None
    if isinstance(x, bytes):
        return len(x)
    return len(as_text(x).encode("utf-8"))


def concat(*args: Value) -> str:
    """The text of every non-NULL argument, one after another ('' if all are NULL)."""
    return "".join(as_text(a) for a in args if a is not None)


def concat_ws(separator: Value, *args: Value) -> Value:
    """The non-NULL arguments joined with SEPARATOR between them; NULL separator: NULL."""
    if separator is None:
        return None
    return as_text(separator).join(as_text(a) for a in args if a is not None)


# unistr()'s escapes: after the backslash, a marker and how many hexadecimal digits follow
_UNISTR_ESCAPES = {"u": 4, "+": 6, "U": 8}


def unistr(x: Value) -> Value:
    """X with its escapes decoded: \\\\ is a backslash, and \\XXXX, \\uXXXX, \\+XXXXXX and
    \\UXXXXXXXX a code point in hexadecimal. Any other backslash is an error."""
    text = as_text(x)
    if text is None:
        return None
    out: list[str] = []
    i = 0
    while True:
        slash = text.find("\\", i)
        if slash < 0:
            out.append(text[i:])
            return "".join(out)
        out.append(text[i:slash])
        marker = text[slash + 1 : slash + 2]
        if marker == "\\":
            out.append("\\")
            i = slash + 2
            continue
        if marker and marker in _HEX_DIGITS:
            start, digits = slash + 1, 4
        elif marker in _UNISTR_ESCAPES:
            start, digits = slash + 2, _UNISTR_ESCAPES[marker]
        else:
            raise SqlError("invalid Unicode escape")
        code = text[start : start + digits]
        if len(code) < digits or any(c not in _HEX_DIGITS for c in code):
            raise SqlError("invalid Unicode escape")
        point = int(code, 16)
        out.append(chr(point) if point <= 0x10FFFF else "\ufffd")  # SQLite writes bad UTF-8
        i = start + digits


def unistr_quote(x: Value) -> str:
    """quote(X), except that text holding control characters becomes a call of
    unistr() that gives it back: unistr_quote(char(10)) is unistr('\\u000a')."""
    from vdbe.functions.core import quote  # noqa: PLC0415

    if type(x) is not str:
        return quote(x)
    text = _until_nul(x)
    if not any(c <= "\x1f" for c in text):
        return quote(text)
    return "unistr('" + "".join(_escaped(c) for c in text) + "')"


def _escaped(c: str) -> str:
    if c == "'":
        return "''"
    if c == "\\":
        return "\\\\"
    if c <= "\x1f":
        return f"\\u{ord(c):04x}"
    return c


def _until_nul(s: str) -> str:
    nul = s.find("\x00")
    return s if nul < 0 else s[:nul]
