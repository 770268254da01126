"""JSON documents as SQLite's JSON functions see them: parsed, walked by paths, edited,
and written back as text.

A document parses into a tree of `Node`s. Atoms keep their source text: SQLite writes a
number back exactly as it was written (`1.50` stays `1.50`) and a string with the escapes
it had, so only the whitespace between tokens is lost. Edits do not rebuild the tree:
like SQLite, they mark nodes (removed, replaced by an SQL value, patched by another
node) and appending adds nodes at the end; rendering honours the marks.

Text that a JSON function returns carries the JSON *subtype*: it is a `JsonText`, a
`str` that remembers it is JSON, so that `json_array(json('[1]'))` nests the array while
`json_array('[1]')` holds the string "[1]". The subtype lives only in registers: a value
stored in a table or shown to the user is a plain `str` again.
"""

from __future__ import annotations

import re

from vdbe.errors import SqlError
from vdbe.functions import json5, jsonrelease
from vdbe.functions.jsonrelease import MAX_DEPTH
from vdbe.int64 import LARGEST_INT64, SMALLEST_INT64
from vdbe.values import JsonText, Value, parse_real, real_to_text, to_text

_KEEP = object()  # Node.replacement when the node is not replaced


class Node:
    """One JSON value.

    kind      'null', 'true', 'false', 'integer', 'real', 'text', 'array' or 'object'
    text      an atom's JSON text ('"a\\n"', '1.5'), or a label's raw SQL text if `raw`
    items     an array's elements; an object's labels and values, alternating
    escaped   a string holding backslash escapes (its value must be decoded)
    raw       text that came from SQL, not from JSON: quoting it is still to do
    source    a JSON5 atom's own spelling (`0x1F`, `'a'`), which JSONB keeps; `text`
              then holds the plain JSON SQLite writes for it (`31`, `"a"`)
    width     the header size JSONB must keep for this element (see jsonb.overwrite)
    removed, replacement, patch: the marks edits leave (see the module's docstring)
    """

    __slots__ = (
        "kind",
        "text",
        "items",
        "escaped",
        "raw",
        "source",
        "width",
        "removed",
        "replacement",
        "patch",
    )

    def __init__(self, kind: str, text: str = "", items: list | None = None) -> None:
        self.kind = kind
        self.text = text
        self.items = items
        self.escaped = False
        self.raw = False
        self.source: str | None = None
        self.width: int | None = None
        self.removed = False
        self.replacement = _KEEP
        self.patch: Node | None = None

    @property
    def replaced(self) -> bool:
        return self.replacement is not _KEEP

    def pairs(self):
        """An object's (label, value) pairs."""
        items = self.items
        return zip(items[::2], items[1::2], strict=True)


# ----------------------------------------------------------------------------- parsing

# One token each, anchored where the parser stands. Whitespace is JSON's four characters.
_SPACE = re.compile(r"[ \t\n\r]*")
_STRING = re.compile(r'"(?:[^"\\\x00-\x1f]|\\(?:["\\/bfnrt]|u[0-9a-fA-F]{4}))*"')
_NUMBER = re.compile(r"-?(?:0|[1-9][0-9]*)(?:\.[0-9]+)?(?:[eE][-+]?[0-9]+)?")
_WORD = re.compile(r"(true|false|null)(?![0-9A-Za-z])")


class JsonSyntaxError(Exception):
    """The text is not JSON; `at` is where reading it stopped (json_error_position)."""

    def __init__(self, at: int = 0) -> None:
        super().__init__(at)
        self.at = at


def parse(text: str, json5_allowed: bool | None = None) -> Node:
    """The document `text` holds; raises JsonSyntaxError when it is not JSON.

    JSON5 is read where the compiling SQLite reads it (3.42 on), unless `json5_allowed`
    says otherwise (json_valid's strict check). The parser keeps a stack of the arrays
    and objects still open instead of recursing, so that nesting as deep as MAX_DEPTH
    cannot exhaust Python's stack.
    """
    if json5_allowed is None:
        json5_allowed = jsonrelease.JSON5
    if json5_allowed:
        return json5.parse(text)
    pos = _SPACE.match(text).end()
    stack: list[Node] = []
    root = None
    while True:
        node, pos = _value(text, pos)
        if node.items is not None:  # an array or object: fill it first
            if len(stack) >= MAX_DEPTH:
                raise JsonSyntaxError
            if stack:
                stack[-1].items.append(node)
            stack.append(node)
            pos = _SPACE.match(text, pos).end()
            closer = "]" if node.kind == "array" else "}"
            if text.startswith(closer, pos):  # empty
                pos += 1
                stack.pop()
                if not stack:
                    root = node
            elif node.kind == "object":
                pos = _label(text, pos, node)
                continue
            else:
                continue
        elif stack:
            stack[-1].items.append(node)
        else:
            root = node
        # after a complete value: close whatever it completes, then expect more
        while stack:
            pos = _SPACE.match(text, pos).end()
            top = stack[-1]
            closer = "]" if top.kind == "array" else "}"
            if text.startswith(closer, pos):
                pos += 1
                done = stack.pop()
                if not stack:
                    root = done
                continue
            if not text.startswith(",", pos):
                raise JsonSyntaxError
            pos = _SPACE.match(text, pos + 1).end()
            if top.kind == "object":
                pos = _label(text, pos, top)
            break
        if not stack:
            break
    if _SPACE.match(text, pos).end() != len(text):
        raise JsonSyntaxError
    return root


def _label(text: str, pos: int, obj: Node) -> int:
    """Read `"label" :` into `obj`; return where its value starts."""
    m = _STRING.match(text, pos)
    if m is None:
        raise JsonSyntaxError
    obj.items.append(_string(m.group()))
    pos = _SPACE.match(text, m.end()).end()
    if not text.startswith(":", pos):
        raise JsonSyntaxError
    return _SPACE.match(text, pos + 1).end()


def _string(token: str) -> Node:
    node = Node("text", token)
    node.escaped = "\\" in token
    return node


def _value(text: str, pos: int) -> tuple[Node, int]:
    """The value starting at `pos` (an empty array or object for '[' and '{')."""
    c = text[pos : pos + 1]
    if c == "[":
        return Node("array", items=[]), pos + 1
    if c == "{":
        return Node("object", items=[]), pos + 1
    if c == '"':
        m = _STRING.match(text, pos)
        if m:
            return _string(m.group()), m.end()
    elif c == "-" or c.isdigit():
        m = _NUMBER.match(text, pos)
        if m:
            token = m.group()
            kind = "integer" if token.strip("-0123456789") == "" else "real"
            return Node(kind, token), m.end()
    else:
        m = _WORD.match(text, pos)
        if m:
            return Node(m.group(1)), m.end()
    raise JsonSyntaxError


def parse_value(value: Value) -> Node | None:
    """The document an SQL argument holds (None for NULL); 'malformed JSON' if none.
    From 3.45 a BLOB holds JSONB."""
    if value is None:
        return None
    if isinstance(value, bytes) and jsonrelease.JSONB:
        from vdbe.functions import jsonb  # noqa: PLC0415

        node = jsonb.decode(value)
        if node is None:
            raise SqlError("malformed JSON")
        return node
    try:
        return parse(to_text(value))
    except JsonSyntaxError:
        raise SqlError("malformed JSON") from None


def is_json(value: Value) -> bool:
    """Is the SQL value well-formed JSON text (json_valid)?"""
    if value is None:
        return False
    if isinstance(value, bytes) and jsonrelease.JSONB:
        return False  # json_valid(X) asks for JSON text from 3.45 (FLAGS 1)
    try:
        parse(to_text(value), json5_allowed=False)  # JSON5 is not valid JSON, even in 3.42
    except JsonSyntaxError:
        return False
    return True


# ---------------------------------------------------------------------------- rendering

_SHORT_ESCAPES = {"\b": "\\b", "\t": "\\t", "\n": "\\n", "\f": "\\f", "\r": "\\r"}
_NEEDS_ESCAPE = re.compile(r'["\\\x00-\x1f]')


def _escape(match: re.Match) -> str:
    c = match.group()
    if c in '"\\':
        return "\\" + c
    return _SHORT_ESCAPES.get(c) or f"\\u{ord(c):04x}"


def quote_string(text: str) -> str:
    """SQL text as a JSON string: quotes, backslashes and control characters escaped."""
    return '"' + _NEEDS_ESCAPE.sub(_escape, text) + '"'


def value_to_json(value: Value) -> str:
    """An SQL value written as JSON: JSON text as it is, other text as a string."""
    if value is None:
        return "null"
    if type(value) is JsonText:
        return value
    if isinstance(value, str):
        return quote_string(value)
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        if jsonrelease.JSONB and value in (_INF, -_INF):
            return "9.0e+999" if value > 0 else "-9.0e+999"
        return real_to_text(value)
    if jsonrelease.JSONB:  # a BLOB holding JSONB is JSON
        from vdbe.functions import jsonb  # noqa: PLC0415

        node = jsonb.decode(value)
        if node is not None:
            return render(node)
    raise SqlError("JSON cannot hold BLOB values")


_INF = float("inf")


def render(node: Node) -> str:
    """The node as minified JSON text, with every edit mark applied."""
    out: list[str] = []
    # the work list holds nodes to write and strings to write as they are
    work: list = [node]
    while work:
        item = work.pop()
        if isinstance(item, str):
            out.append(item)
            continue
        if item.replaced:
            out.append(value_to_json(item.replacement))
            continue
        if item.patch is not None:
            item = item.patch
        if item.items is None:
            if item.raw:
                out.append(quote_string(item.text))
            else:
                out.append(item.text or item.kind)
            continue
        parts: list = []
        if item.kind == "array":
            for element in item.items:
                if not element.removed:
                    parts += [",", element]
            work += ["]", *reversed(parts[1:]), "["]
        else:
            for label, value in item.pairs():
                if not value.removed:
                    parts += [",", label, ":", value]
            work += ["}", *reversed(parts[1:]), "{"]
    return "".join(out)


def to_sql(node: Node) -> Value:
    """The SQL value a node stands for: JSON text (with subtype) for arrays and objects."""
    kind = node.kind
    if kind == "null":
        return None
    if kind == "true":
        return 1
    if kind == "false":
        return 0
    if kind == "integer":
        if node.source is not None:  # JSON5 hexadecimal
            return json5.hex_value(node.source)
        number = int(node.text)
        if SMALLEST_INT64 <= number <= LARGEST_INT64:
            return number
        return parse_real(node.text)[1]
    if kind == "real":
        return parse_real(node.text)[1]
    if kind == "text":
        if node.raw:
            return node.text
        if not node.escaped:
            return node.text[1:-1]
        if node.source is not None:
            return json5.string_value(node.source)
        return unescape(node.text[1:-1])
    return JsonText(render(node))


_ESCAPED = {"b": "\b", "f": "\f", "n": "\n", "r": "\r", "t": "\t"}
_ESCAPE = re.compile(r"\\(u[dD][89abAB][0-9a-fA-F]{2}\\u[dD][c-fC-F][0-9a-fA-F]{2}|u....|.)")


def unescape(body: str) -> str:
    """A JSON string's value. `\\u0000` ends the string in SQLite 3.40, not from 3.45."""
    out: list[str] = []
    pos = 0
    for m in _ESCAPE.finditer(body):
        out.append(body[pos : m.start()])
        pos = m.end()
        escape = m.group(1)
        if escape[0] == "u":
            code = int(escape[1:5], 16)
            if code == 0 and not jsonrelease.JSONB:
                return "".join(out)
            if len(escape) > 5:  # a surrogate pair
                code = 0x10000 + ((code & 0x3FF) << 10) + (int(escape[7:], 16) & 0x3FF)
            out.append(chr(code) if not 0xD800 <= code < 0xE000 else "\ufffd")
        else:
            out.append(_ESCAPED.get(escape, escape))
    out.append(body[pos:])
    return "".join(out)


# -------------------------------------------------------------------------------- paths


class PathError(SqlError):
    """A path that is not one: `bad JSON path: '$x'` (3.45 on) or
    `JSON path error near 'x'` (before), naming the part from `at` on."""

    def __init__(self, path: str, at: int = 0) -> None:
        super().__init__(jsonrelease.bad_path_message(path, path[at:]))


class BranchPathError(PathError):
    """A bad step after an object member that a path creates (json_array_insert
    reports it as `not an array element`; the other functions as a bad path)."""


def lookup(root: Node, path: str | None, append: bool = False) -> tuple[Node | None, bool]:
    """The node `path` ('$.a[2].b') leads to in `root`: (node or None, was it appended).

    With `append`, a missing last object member or array element (`[#]` or one past
    the end) is created, with missing objects (and arrays for `[0]`) on the way; the new
    leaf is a null for the caller to replace. A NULL path finds nothing.
    """
    if path is None:
        return None, False
    if not path.startswith("$"):
        raise PathError(path)
    return _step(root, path, 1, append)


def _step(node: Node, path: str, at: int, append: bool) -> tuple[Node | None, bool]:
    while at < len(path):
        if node.replaced:
            return None, False
        c = path[at]
        if c == ".":
            if jsonrelease.JSONB:  # 3.45 reads the step before looking at the node
                key, after = _key(path, at + 1)
            if node.kind != "object":
                return None, False
            if not jsonrelease.JSONB:
                key, after = _key(path, at + 1)
            for label, value in node.pairs():
                if _label_is(label, key):
                    node, at = value, after
                    break
            else:
                if not append:
                    return None, False
                return _attach(node, path, after, key)
        elif c == "[":
            index, after = _index(node, path, at)
            if index is None:
                return None, False
            live = [n for n in node.items if not n.removed]
            if index < len(live):
                node, at = live[index], after
                continue
            if index > len(live) or not append:
                return None, False
            return _attach(node, path, after, None)
        else:
            raise PathError(path, at)
    return node, False


def _key(path: str, at: int) -> tuple[str, int]:
    """The object key starting at `at` (quoted or bare) and where the path goes on.
    From 3.45 a quoted key's escapes are read (`$."a\\u0062"` is `$.ab`)."""
    if path.startswith('"', at):
        end = path.find('"', at + 1)
        if jsonrelease.JSONB:  # 3.45 skips escaped characters: `\"` does not close it
            m = _QUOTED_KEY.match(path, at)
            end = m.end() - 1 if m else -1
        if end < 0:
            raise PathError(path, at)
        key = path[at + 1 : end]
        if jsonrelease.JSONB and "\\" in key:
            key = unescape(key)
        return key, end + 1
    end = at
    while end < len(path) and path[end] not in ".[":
        end += 1
    if end == at:
        raise PathError(path, at)
    return path[at:end], end


def _index(node: Node, path: str, at: int) -> tuple[int | None, int]:
    """The array index of `[N]`, `[#]` or `[#-N]` at `at` (None: not an array here).
    3.45 looks at the node before reading the step; 3.40 reads `[N]` first."""
    if jsonrelease.JSONB and node.kind != "array":
        return None, 0
    m = _ARRAY_INDEX.match(path, at)
    if m:
        if node.kind != "array":
            return None, 0
        return int(m.group(1)), m.end()
    if not path.startswith("[#", at):
        raise PathError(path, at)
    m = _FROM_END.match(path, at)
    if jsonrelease.JSONB and not path.startswith("]", m.end()):
        raise PathError(path, at)
    if node.kind != "array":
        return None, 0
    count = sum(1 for n in node.items if not n.removed)
    back = int(m.group(1)) if m.group(1) else 0
    if back > count:
        return None, 0
    if not path.startswith("]", m.end()):
        raise PathError(path, at)
    return count - back, m.end() + 1


_QUOTED_KEY = re.compile(r'"(?:[^"\\]|\\.)*"', re.DOTALL)
_WHOLE_INDEX = re.compile(r"\[(?:[0-9]+|#(?:-[0-9]+)?)\]")
_ARRAY_INDEX = re.compile(r"\[([0-9]+)\]")
_FROM_END = re.compile(r"\[#(?:-([0-9]+))?")


def _label_is(label: Node, key: str) -> bool:
    """Does the object label match the path's key? SQLite 3.40 compares the label as
    written; 3.45 compares what it means (`"a\\u0062"` is the label `ab`)."""
    if label.raw:
        return label.text == key
    if jsonrelease.JSONB and label.escaped:
        return unescape(label.text[1:-1]) == key
    return label.text[1:-1] == key


def _attach(parent: Node, path: str, at: int, key: str | None) -> tuple[Node | None, bool]:
    """Create what the rest of the path from `at` names, under `parent` (key or element)."""
    try:
        child = _new_branch(path, at)
    except BranchPathError:
        raise
    except PathError:
        if key is None:
            raise
        raise BranchPathError(path, at) from None  # the bad step follows a new member
    if child is None:
        return None, False
    top, leaf = child
    if key is None:
        parent.items.append(top)
    else:
        label = Node("text", key)
        label.raw = True
        parent.items += [label, top]
    return leaf, True


def _new_branch(path: str, at: int) -> tuple[Node, Node] | None:
    """(new top node, new leaf) for the rest of the path, or None if it cannot be made."""
    if at == len(path):
        leaf = Node("null")
        return leaf, leaf
    if path[at] == ".":
        top = Node("object", items=[])
    elif path.startswith("[0]", at) or (jsonrelease.JSONB and path.startswith("[#]", at)):
        top = Node("array", items=[])  # 3.45 makes one for `[#]` too
    else:
        if jsonrelease.JSONB and not _WHOLE_INDEX.match(path, at):
            raise PathError(path, at)  # 3.45 reads the rest of the path even here
        return None
    leaf, _ = _step(top, path, at, True)
    return (top, leaf) if leaf is not None else None


# -------------------------------------------------------------------------------- patch


def merge_patch(target: Node, patch: Node) -> Node:
    """RFC 7396 MergePatch of `patch` into `target`, as SQLite 3.40 applies it.

    Keys compare as written. The first of duplicate keys in the target takes the patch;
    members new to the target are appended with the nulls inside them dropped.
    """
    if patch.kind != "object":
        return patch
    if target.kind != "object":
        _drop_nulls(patch)
        return patch
    original = list(target.pairs())
    for label, value in patch.pairs():
        for old_label, old_value in original:
            if old_label.text == label.text:
                if old_value.removed or old_value.patch is not None:
                    break
                if value.kind == "null":
                    old_value.removed = True
                else:
                    merged = merge_patch(old_value, value)
                    if merged is not old_value:
                        old_value.patch = merged
                break
        else:
            if value.kind != "null":
                _drop_nulls(patch)
                target.items += [label, value]
    return target


def _drop_nulls(obj: Node) -> None:
    for _, value in obj.pairs():
        if value.kind == "null":
            value.removed = True
        elif value.kind == "object":
            _drop_nulls(value)
