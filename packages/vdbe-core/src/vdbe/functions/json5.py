"""Reading JSON5, as SQLite does from 3.42 on.

JSON5 is JSON with what people write by hand: comments, trailing commas, unquoted
labels, 'single-quoted' strings with more escapes, hexadecimal, Infinity and NaN,
numbers with a leading '+' or a bare '.'. SQLite reads it but never writes it: every
JSON5 atom is written back as plain JSON (`0x1F` as `31`, `.5` as `0.5`, `Infinity` as
`9e999`, NaN as `null`, `'a"b'` as `"a\\"b"`). So a parsed atom's `text` is that plain
JSON, and `source` keeps its own spelling for JSONB, which stores it as written.

The parser is the strict one's twin (a stack instead of recursion), with JSON5's tokens.
"""

from __future__ import annotations

import re

from vdbe.errors import SqlError
from vdbe.functions import jsonrelease, jsonvalue
from vdbe.int64 import LARGEST_INT64, SMALLEST_INT64, UINT64_MASK

# JSON5's white space: JSON's, \v \f, the Unicode spaces and line breaks, a byte order
# mark, and /* block */ and // line comments.
_SPACE = re.compile(
    r"(?:[ \t\n\r\v\f\u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000\ufeff]+"
    r"|/\*.*?\*/|//[^\n\r]*)*",
    re.DOTALL,
)
_STRING = {
    q: re.compile(q + r"(?:[^" + q + r"\\]|\\(?:\r\n|[^x]|x[0-9a-fA-F]{2}))*" + q, re.DOTALL)
    for q in "\"'"
}
_NUMBER = re.compile(
    r"[-+]?(?:0[xX][0-9a-fA-F]+|(?:0|[1-9][0-9]*)(?:\.[0-9]*)?(?:[eE][-+]?[0-9]+)?"
    r"|\.[0-9]+(?:[eE][-+]?[0-9]+)?)(?![0-9A-Za-z.])"
)
_NUMBER_START = re.compile(_NUMBER.pattern.removesuffix("(?![0-9A-Za-z.])"))
_INFINITY = re.compile(r"([-+]?)(?:infinity|inf)(?![0-9A-Za-z])", re.IGNORECASE)
_NAN = re.compile(r"q?nan(?![0-9A-Za-z])", re.IGNORECASE)
_WORD = re.compile(r"(true|false|null)(?![0-9A-Za-z])")
# a bare label: letters, digits (not first), _ and $, and any non-ASCII character that
# is not one of JSON5's spaces
_WIDE = (
    r"\u0080-\u009f\u00a1-\u167f\u1681-\u1fff\u200b-\u2027\u202a-\u202e\u2030-\u205e"
    r"\u2060-\u2fff\u3001-\ufefe\uff00-\U0010ffff"
)
_IDENTIFIER = re.compile(rf"[A-Za-z_${_WIDE}][A-Za-z0-9_${_WIDE}]*")
# the escapes plain JSON has; any other makes the string JSON5
_JSON_ESCAPE = re.compile(r'\\(?:["\\/bfnrt]|u[0-9a-fA-F]{4})')
_ESCAPE5 = re.compile(
    r"\\(?:u[0-9a-fA-F]{4}|x[0-9a-fA-F]{2}|0(?![0-9])|\r\n|[\n\r\u2028\u2029]|[\"\\/bfnrt'v])"
)


def _Error(at: int) -> Exception:  # noqa: N802 (raised like an exception class)
    """The syntax error at `at` (jsonvalue's class, looked up once both modules exist)."""
    return jsonvalue.JsonSyntaxError(at)


_PLAIN_SPACE = re.compile(r"[ \t\n\r]*")


def space(text: str, pos: int) -> int:
    """Where the white space and comments from `pos` end (an open comment is an error)."""
    end = _SPACE.match(text, pos).end()
    if text.startswith("/*", end):
        raise _Error(end)
    return end


def parse(text: str) -> jsonvalue.Node:
    """The document `text` holds, JSON5 allowed; JsonSyntaxError(at) when it is none.

    `at` is where json_error_position points, as SQLite finds it: a bad character
    where it is; a value missing at the end of the text, or a bracket or comma where a
    value should be, where the value would have begun (before any white space). Junk
    after the document is reported where SQLite's value reader last stopped at a
    bracket or comma (`stale_error`: after an opening bracket, a trailing comma, or JSON5
    white space), else at the start."""
    start, pos = 0, space(text, 0)
    stack: list[jsonvalue.Node] = []
    root = None
    stale_error = 0
    while True:
        node, pos = _value(text, pos, start, top=not stack)
        if node.items is not None:
            if len(stack) >= jsonvalue.MAX_DEPTH:
                raise _Error(pos)
            if stack:
                stack[-1].items.append(node)
            stack.append(node)
            start, pos = pos, space(text, pos)
            if _closes(text, pos, node):  # empty
                stale_error = pos
                pos += 1
                stack.pop()
                if not stack:
                    root = node
            elif node.kind == "object":
                start, pos = _label(text, pos, node)
                continue
            else:
                continue
        elif stack:
            stack[-1].items.append(node)
        else:
            root = node
        while stack:
            plain = _PLAIN_SPACE.match(text, pos).end()
            pos = space(text, pos)
            top = stack[-1]
            if pos != plain and text[pos : pos + 1] in (",", "]", "}"):
                stale_error = pos  # SQLite's value reader went past JSON5 space to it
            if _closes(text, pos, top):
                pos += 1
                done = stack.pop()
                if not stack:
                    root = done
                continue
            if not text.startswith(",", pos):
                raise _Error(plain)  # where the reader looked for a comma or a bracket
            start, pos = pos + 1, space(text, pos + 1)
            if _closes(text, pos, top):  # a trailing comma
                stale_error = pos
                continue
            if top.kind == "object":
                start, pos = _label(text, pos, top)
            break
        if not stack:
            break
    end = space(text, pos)
    if end != len(text):
        raise _Error(stale_error)
    return root


def _closes(text: str, pos: int, node: jsonvalue.Node) -> bool:
    return text.startswith("]" if node.kind == "array" else "}", pos)


def _label(text: str, pos: int, obj: jsonvalue.Node) -> tuple[int, int]:
    """Read a label (a string or a bare name) and its ':' into `obj`; return where the
    value begins, before and after the white space."""
    c = text[pos : pos + 1]
    if c in ('"', "'") and c:
        label, pos = _string(text, pos)
    else:
        m = _IDENTIFIER.match(text, pos)
        if m is None:  # SQLite reads it as a value: a broken one is reported as such
            _value(text, pos, pos, top=False)
            raise _Error(pos)
        label = jsonvalue.Node("text", '"' + m.group() + '"')
        pos = m.end()
    obj.items.append(label)
    plain = _PLAIN_SPACE.match(text, pos).end()
    pos = space(text, pos)
    if not text.startswith(":", pos):
        raise _Error(plain)  # where the reader looked for the colon
    return pos + 1, space(text, pos + 1)


def _value(text: str, pos: int, start: int, top: bool) -> tuple[jsonvalue.Node, int]:
    """The value at `pos` (an empty array or object for '[' and '{'); `start` is where
    it began, white space included (the error's place when the value is missing);
    `top`: the document's own value, not one inside an array or object."""
    c = text[pos : pos + 1]
    if c == "[":
        return jsonvalue.Node("array", items=[]), pos + 1
    if c == "{":
        return jsonvalue.Node("object", items=[]), pos + 1
    if c in ('"', "'") and c:
        return _string(text, pos)
    m = _WORD.match(text, pos)
    if m:
        return jsonvalue.Node(m.group(1)), m.end()
    m = _NUMBER.match(text, pos)
    if m:
        return _number(m.group()), m.end()
    m = _NUMBER_START.match(text, pos)
    if m and m.end() > pos:
        raise _Error(_number_error(text, m, top))
    m = _INFINITY.match(text, pos)
    if m:
        sign = "-" if m.group(1) == "-" else ""
        return jsonvalue.Node("real", sign + "9e999"), m.end()  # JSONB keeps it a FLOAT
    m = _NAN.match(text, pos)
    if m:
        return jsonvalue.Node("null"), m.end()
    if text[pos : pos + 2] in ("-.", "+.") and not text[pos + 2 : pos + 3].isdigit():
        raise _Error(pos + 2)  # a sign and a point, then no digit
    raise _Error(start if pos >= len(text) or text[pos] in "]},:" else pos)


def string_value(source: str) -> str:
    """The value of a JSON5 string, from its own spelling: `\\v` is a vertical tab
    whatever the release writes for it."""
    return jsonvalue.unescape(_plain_body(source, "'", vertical_tab="\\u000b"))


def _number_error(text: str, m: re.Match, top: bool) -> int:
    """Where a number that does not read goes wrong: at the character that cannot
    continue it (`01`, `1.5.`, `1e`, the sign of `1e+`); or, when it is whole and
    something else follows (`0x`, `1a`), where that is (0 for the document's own value:
    junk after a document is reported at its start)."""
    at = m.end()
    after = text[at : at + 1]
    if after and (after in ".eE" or after.isdigit()):
        if after.isdigit() and m.group() in ("-0", "+0"):
            return at - 1
        if after in "eE" and text[at + 1 : at + 2] in ("+", "-") and text[at + 1 : at + 2]:
            return at + 1
        return at
    return 0 if top else at


def _hex_text(value: int) -> str:
    """How SQLite writes a hexadecimal number's digits as JSON: past 64 bits as 9.0e999;
    from 3.45 as the unsigned number, before as the 64-bit signed one it wraps to."""
    if value > UINT64_MASK:
        return "9.0e999"
    return str(value if jsonrelease.JSONB else _wrapped(value))


def _wrapped(value: int) -> int:
    """The 64-bit two's complement integer `value` wraps to."""
    return (value - SMALLEST_INT64) % (UINT64_MASK + 1) + SMALLEST_INT64


def hex_value(source: str) -> int | float:
    """The SQL value of a hexadecimal JSON5 number (json_extract of `0x1F`): up to 3.50 the
    64 bits as a signed integer, then negated if written with '-'; from 3.51 the number
    itself, a REAL if no INTEGER holds it. Past 64 bits: 0.0 before 3.45, then an error."""
    negative = source.startswith("-")
    value = int(source.lstrip("+-")[2:], 16)
    if value > UINT64_MASK:
        if jsonrelease.JSONB:
            raise SqlError("malformed JSON")
        return 0.0
    if jsonrelease.HEX_BEYOND_INT64_AS_REAL:
        number = -value if negative else value
        return number if SMALLEST_INT64 <= number <= LARGEST_INT64 else float(number)
    return _wrapped(-_wrapped(value) if negative else _wrapped(value))


def _number(token: str) -> jsonvalue.Node:
    """A number: plain JSON keeps its text; hex, '.5' and '5.' are spelled out."""
    body = token[1:] if token[0] == "+" else token
    sign, digits = ("-", body[1:]) if body[0] == "-" else ("", body)
    if digits[:2] in ("0x", "0X"):
        node = jsonvalue.Node("integer", sign + _hex_text(int(digits[2:], 16)))
        node.source = body
        return node
    is_real = any(ch in digits for ch in ".eE")
    if not (digits.startswith(".") or re.search(r"\.(?![0-9])", digits)):
        return jsonvalue.Node("real" if is_real else "integer", body)
    plain = re.sub(r"\.(?![0-9])", ".0", "0" + digits if digits.startswith(".") else digits)
    node = jsonvalue.Node("real", sign + plain)
    node.source = body
    return node


def _string(text: str, pos: int) -> tuple[jsonvalue.Node, int]:
    """A string in either quotes; JSON5's escapes and raw control characters allowed."""
    quote = text[pos]
    m = _STRING[quote].match(text, pos)
    body = m.group()[1:-1] if m else ""
    if m is None or "\\" in _ESCAPE5.sub("", body):
        raise _Error(_string_error(text, pos + 1, quote))
    if not jsonrelease.CONTROLS_IN_JSON5_STRINGS:
        control = re.search(r"[\x00-\x1f]", body)
        if control:
            raise _Error(pos + 1 + control.start())
    # SQLite keeps a string JSONB's TEXT or TEXTJ if plain JSON can hold it as it is
    plain = not any(ord(ch) < 0x20 or ch == '"' for ch in _JSON_ESCAPE.sub("", body))
    if plain and "\\" not in _JSON_ESCAPE.sub("", body):
        node = jsonvalue.Node("text", '"' + body + '"')
        node.escaped = "\\" in body
        return node, m.end()
    node = jsonvalue.Node("text", '"' + _plain_body(body, quote) + '"')
    node.escaped = True
    node.source = body
    return node, m.end()


def _string_error(text: str, at: int, quote: str) -> int:
    """Where a string that does not read stops: after a bad escape's backslash, or at
    the end of the text for a string never closed."""
    while at < len(text) and text[at] != quote:
        if text[at] == "\\":
            m = _ESCAPE5.match(text, at)
            if m is None:
                return at + 1
            at = m.end()
        else:
            at += 1
    return at


_CONTROL = {"\b": "\\b", "\t": "\\t", "\n": "\\n", "\f": "\\f", "\r": "\\r"}


def _plain_body(body: str, quote: str, vertical_tab: str = "") -> str:
    """A JSON5 string's content as plain JSON string content. `\\v` becomes what the
    release writes for it, or `vertical_tab` (to read the string's value)."""
    out: list[str] = []
    pos = 0
    for m in re.finditer(r"\\(\r\n|x..|.)|[\x00-\x1f\"]", body, re.DOTALL):
        out.append(body[pos : m.start()])
        pos = m.end()
        escape = m.group(1)
        if escape is None:  # a raw character JSON must escape
            ch = m.group()
            out.append('\\"' if ch == '"' else _CONTROL.get(ch) or f"\\u{ord(ch):04x}")
        elif escape == "'":
            out.append("'")
        elif escape == "v":
            out.append(vertical_tab or jsonrelease.VERTICAL_TAB)
        elif escape == "0":
            out.append("\\u0000")
        elif escape[0] == "x":
            out.append("\\u00" + escape[1:])
        elif escape in ("\r\n", "\n", "\r", "\u2028", "\u2029"):
            pass  # a line continuation
        else:
            out.append(m.group())
    out.append(body[pos:])
    return "".join(out)
