"""JSONB, the binary JSON SQLite 3.45 keeps in BLOBs, to and from parsed documents.

A JSONB value is one element: a header, then a payload. The header's first byte holds
the element's type in its low four bits and, in its high four bits, the payload's size
(0 to 11), or how many bytes after it hold that size, big-endian (12: one, 13: two,
14: four, 15: eight). SQLite writes the shortest header that fits.

    type  name     payload
    0     NULL     (none)                     1, 2  TRUE, FALSE (none)
    3     INT      JSON integer text          4     INT5: JSON5 integer text (0x1F)
    5     FLOAT    JSON real text             6     FLOAT5: JSON5 real text (.5)
    7     TEXT     string needing no escapes  8     TEXTJ: string with JSON escapes
    9     TEXT5    string with JSON5 escapes  10    TEXTRAW: SQL text, still to escape
    11    ARRAY    the elements, one after another
    12    OBJECT   label, value, label, value... (labels are strings)

So `[1,"a"]` is `8B 13 31 17 61`: an array of 4 payload bytes holding an INT of 1
byte ("1") and a TEXT of 1 byte ("a"). Numbers stay text, as written: JSONB is a
parse kept, not a conversion.
"""

from __future__ import annotations

from vdbe.errors import SqlError
from vdbe.functions import json5, jsonrelease
from vdbe.functions.jsonrelease import MAX_DEPTH
from vdbe.functions.jsonvalue import Node, parse, render
from vdbe.values import JsonText, Value, real_to_text

NULL, TRUE, FALSE, INT, INT5, FLOAT, FLOAT5, TEXT, TEXTJ, TEXT5, TEXTRAW, ARRAY, OBJECT = range(13)
_WORDS = {NULL: "null", TRUE: "true", FALSE: "false"}


def header(kind: int, size: int, width: int | None = None) -> bytes:
    """The shortest header for an element of type `kind` with `size` payload bytes, or
    one of `width` bytes (2, 3, 5 or 9) where an edit made SQLite keep a wider one."""
    if width is not None and width > 1:
        code = {2: 12, 3: 13, 5: 14, 9: 15}[width]
        return bytes([code << 4 | kind]) + size.to_bytes(width - 1, "big")
    if size <= 11:
        return bytes([size << 4 | kind])
    for code, width in ((12, 1), (13, 2), (14, 4)):
        if size < 1 << (8 * width):
            return bytes([code << 4 | kind]) + size.to_bytes(width, "big")
    return bytes([15 << 4 | kind]) + size.to_bytes(8, "big")


# ---------------------------------------------------------------------------- encoding


def encode(node: Node, sizes: dict[int, int] | None = None) -> bytes:
    """The JSONB of a parsed (and perhaps edited) document, with its edit marks applied;
    `sizes` receives each node's encoded length by `id(node)` (see `offsets`).

    Children are encoded before their parent, whose header needs their total size; a
    work list instead of recursion lets documents nest as deep as SQLite allows."""
    done: list[list[bytes]] = [[]]  # the encoded children of each open container
    work: list = [node]
    while work:
        item = work.pop()
        if isinstance(item, tuple):  # a container whose children are all encoded
            container, shown = item
            payload = b"".join(done.pop())
            element = header(_CONTAINER[shown.kind], len(payload), shown.width) + payload
        elif item.replaced:  # 3.40-style mark (not made from 3.45 on, kept for safety)
            element = value_to_jsonb(item.replacement)
        else:
            shown = item.patch if item.patch is not None else item
            if shown.items is not None:
                work.append((item, shown))
                done.append([])
                work.extend(reversed(_live(shown)))
                continue
            kind, payload = _atom(shown)
            element = header(kind, len(payload), shown.width) + payload
        if sizes is not None:
            sizes[id(item[0] if isinstance(item, tuple) else item)] = len(element)
        done[-1].append(element)
    return done[0][0]


_CONTAINER = {"array": ARRAY, "object": OBJECT}


def _live(node: Node) -> list[Node]:
    """A container's children as JSONB holds them: elements, or labels and values."""
    if node.kind == "array":
        return [element for element in node.items if not element.removed]
    live: list[Node] = []
    for label, value in node.pairs():
        if not value.removed:
            live += [label, value]
    return live


def offsets(root: Node) -> dict[int, int]:
    """The byte offset of every node of the document in its JSONB, by `id(node)`:
    json_each and json_tree report them as each row's `id` from 3.45 on."""
    sizes: dict[int, int] = {}
    encode(root, sizes)
    found: dict[int, int] = {}
    work = [(root, 0)]
    while work:
        node, at = work.pop()
        found[id(node)] = at
        shown = node.patch if node.patch is not None else node
        if shown.items is None or node.replaced:
            continue
        children = _live(shown)
        pos = at + sizes[id(node)] - sum(sizes[id(child)] for child in children)
        for child in children:
            work.append((child, pos))
            pos += sizes[id(child)]
    return found


# ----------------------------------------------------------------------------- editing


def replace_in_place(node: Node, value: Value, appended: bool) -> None:
    """Put an SQL value where `node` is, as SQLite 3.45 edits JSONB: the document itself
    changes, so later paths of the same call see the new value. A value that takes a
    few bytes fewer than the element it overwrites is given a wider header instead of
    moving the rest of the document (`overwrite`; from 3.50)."""
    new = value_to_node(value)
    widen = jsonrelease.JSONB_WIDENS_HEADERS and not appended
    if widen and new.kind not in ("null", "true", "false"):
        new.width = overwrite(len(encode(node)), encode(new))
    for name in Node.__slots__:
        setattr(node, name, getattr(new, name))


def overwrite(old_size: int, element: bytes) -> int | None:
    """The header size SQLite gives `element` when it overwrites `old_size` bytes:
    when the element is 1, 2, 4 or 8 bytes short and a header that much wider exists
    (2, 3, 5 or 9 bytes), that one; otherwise None (the shortest, the document moves)."""
    d = old_size - len(element)
    code = element[0] >> 4
    now = 1 if code <= 11 else {12: 2, 13: 3, 14: 5, 15: 9}[code]
    wider = now + d
    if d > 0 and wider in (2, 3, 5, 9):
        return wider
    return None


def value_to_node(value: Value) -> Node:
    """An SQL value as a document node: text as raw text, JSON text and JSONB parsed."""
    if value is None:
        return Node("null")
    if type(value) is JsonText:
        return parse(value)
    if isinstance(value, bytes):
        node = decode(value)
        if node is None:
            raise SqlError("JSON cannot hold BLOB values")
        return node
    if isinstance(value, str):
        node = Node("text", value)
        node.raw = True
        return node
    if isinstance(value, int):
        return Node("integer", str(value))
    return Node("real", _real_text(value))


def _atom(node: Node) -> tuple[int, bytes]:
    """(type, payload) of an atom."""
    kind = node.kind
    if kind in ("null", "true", "false"):
        return ("null", "true", "false").index(kind), b""
    if kind == "integer":
        return (INT5, node.source.encode()) if node.source else (INT, node.text.encode())
    if kind == "real":
        return (FLOAT5, node.source.encode()) if node.source else (FLOAT, node.text.encode())
    if node.raw:
        return TEXTRAW, node.text.encode()
    if node.source is not None:
        return TEXT5, node.source.encode()
    return (TEXTJ if node.escaped else TEXT), node.text[1:-1].encode()


def value_to_jsonb(value: Value) -> bytes:
    """An SQL value as a JSONB element, as the editing functions store it: text as
    TEXTRAW, JSON text and JSONB as the document they hold."""
    if value is None:
        return header(NULL, 0)
    if type(value) is JsonText:
        return encode(parse(value))
    if isinstance(value, bytes):
        if not looks_like_jsonb(value):
            raise SqlError("JSON cannot hold BLOB values")
        return value
    if isinstance(value, str):
        payload = value.encode()
        return header(TEXTRAW, len(payload)) + payload
    if isinstance(value, int):
        payload = str(value).encode()
        return header(INT, len(payload)) + payload
    payload = _real_text(value).encode()
    return header(FLOAT, len(payload)) + payload


def _real_text(value: float) -> str:
    """A REAL as JSON writes it (an infinity as 9.0e+999, which reads back as one)."""
    if value in (_INF, -_INF):
        return "9.0e+999" if value > 0 else "-9.0e+999"
    return real_to_text(value)


_INF = float("inf")


# ---------------------------------------------------------------------------- decoding


def element_at(blob: bytes, at: int) -> tuple[int, int, int] | None:
    """(type, payload start, payload end) of the element at `at`, None if it overruns."""
    if at >= len(blob):
        return None
    first = blob[at]
    code = first >> 4
    start = at + 1
    if code <= 11:
        size = code
    else:
        width = {12: 1, 13: 2, 14: 4, 15: 8}[code]
        start += width
        if start > len(blob):
            return None
        size = int.from_bytes(blob[at + 1 : start], "big")
    end = start + size
    if end > len(blob):
        return None
    return first & 0x0F, start, end


def looks_like_jsonb(blob: bytes) -> bool:
    """SQLite's quick test: a known type whose header and payload fill the BLOB (and
    no payload for null, true and false)."""
    found = element_at(blob, 0) if blob else None
    if found is None or found[0] > OBJECT or found[2] != len(blob):
        return False
    return found[0] > FALSE or found[1] == found[2]


def decode(blob: bytes, strict: bool = False) -> Node | None:
    """The document a JSONB BLOB holds, or None if it is not JSONB.

    Like SQLite, an argument is only checked as far as reading it needs: the element
    sizes must fit, but a number's or a string's bytes are taken as they are. `strict`
    checks those too (json_valid with FLAGS 8)."""
    if not looks_like_jsonb(blob):
        return None
    try:
        node, end = _decode(blob, 0, strict)
    except (ValueError, UnicodeDecodeError, json5.jsonvalue.JsonSyntaxError):
        return None
    return node if end == len(blob) else None


def _decode(blob: bytes, at: int, strict: bool) -> tuple[Node, int]:
    """The element at `at` and where it ends; ValueError where it is not JSONB. A stack
    of the containers still open stands in for recursion."""
    open_: list[tuple[Node, int]] = []  # (container, where its payload ends)
    pos = at
    while True:
        node, start, end = _element(blob, pos, strict)
        if node.items is not None and start < end:
            if len(open_) >= MAX_DEPTH:
                raise ValueError
            open_.append((node, end))
            pos = start
            continue
        pos = end
        while True:  # place the finished value, closing the containers it completes
            if not open_:
                return node, pos
            parent, parent_end = open_[-1]
            if parent.kind == "object" and len(parent.items) % 2 == 0 and node.kind != "text":
                raise ValueError  # a label must be a string
            parent.items.append(node)
            if pos < parent_end:
                break
            if pos > parent_end or (parent.kind == "object" and len(parent.items) % 2):
                raise ValueError
            open_.pop()
            node = parent


def _element(blob: bytes, at: int, strict: bool) -> tuple[Node, int, int]:
    """The element at `at`: (node, payload start, end); a container comes back empty."""
    found = element_at(blob, at)
    if found is None:
        raise ValueError
    kind, start, end = found
    if kind in (ARRAY, OBJECT):
        return Node("array" if kind == ARRAY else "object", items=[]), start, end
    payload = blob[start:end]
    if kind in _WORDS:
        if payload and strict:
            raise ValueError
        return Node(_WORDS[kind]), start, end
    if kind > OBJECT:
        raise ValueError
    text = payload.decode("utf-8", "strict" if strict else "replace")
    if kind in (INT, INT5, FLOAT, FLOAT5):
        node = _number(kind, text) if strict else _loose_number(kind, text)
    else:
        node = _text(kind, text)
    if start - at > 1:
        node.width = start - at  # kept as it was, should an edit leave it alone
    return node, start, end


def _number(kind: int, text: str) -> Node:
    """A number element; its text must be a number of its kind."""
    node = json5.parse(text)
    if node.kind not in ("integer", "real") or (kind in (INT, FLOAT) and node.source):
        raise ValueError
    if kind in (INT, INT5) and node.kind != "integer" and not text.lstrip("-+").startswith("0x"):
        raise ValueError
    if kind in (INT5, FLOAT5):
        node.source = text
    return node


def error_offset(blob: bytes) -> int | None:
    """Where a BLOB that looks like JSONB stops being JSONB (json_error_position): the
    offset of the first element found wrong (of its payload, for a bad number or
    string), or None if it is well-formed."""
    if decode(blob, strict=True) is not None:
        return None
    work = [0]
    while work:
        at = work.pop()
        found = element_at(blob, at)
        if found is None:
            return at
        kind, start, end = found
        if kind in (ARRAY, OBJECT):
            pos, children = start, []
            while pos < end:
                child = element_at(blob, pos)
                if child is None or child[2] > end:
                    return pos
                children.append(pos)
                pos = child[2]
            work.extend(reversed(children))
        elif decode(blob[at:end], strict=True) is None:
            return start if start < end else at
    return 0


def _loose_number(kind: int, text: str) -> Node:
    """A number element read as SQLite reads one it has not checked: its text as is."""
    try:
        return _number(kind, text)
    except (ValueError, json5.jsonvalue.JsonSyntaxError):
        node = Node("integer" if kind in (INT, INT5) else "real", text)
        node.source = text if kind in (INT5, FLOAT5) else None
        return node


def _text(kind: int, text: str) -> Node:
    if kind == TEXTRAW:
        node = Node("text", text)
        node.raw = True
        return node
    if kind == TEXT:
        return Node("text", '"' + text + '"')
    if kind == TEXTJ:
        node = Node("text", '"' + text + '"')
        node.escaped = True
        return node
    node = Node("text", '"' + json5._plain_body(text, "'") + '"')
    node.escaped = True
    node.source = text
    return node


def to_text(blob: bytes) -> str | None:
    """The JSON text of a JSONB BLOB, or None if it is not JSONB."""
    node = decode(blob)
    return None if node is None else render(node)
