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
from vdbe.functions import json5
from vdbe.functions.jsonvalue import Node, parse, quote_string, render
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


def encode(node: Node) -> bytes:
    """The JSONB of a parsed (and perhaps edited) document, with its edit marks applied."""
    if node.replaced:
        return value_to_jsonb(node.replacement)
    if node.patch is not None:
        node = node.patch
    if node.items is None:
        kind, payload = _atom(node)
        return header(kind, len(payload), node.width) + payload
    if node.kind == "array":
        children = [encode(element) for element in node.items if not element.removed]
        kind = ARRAY
    else:
        children = []
        for label, value in node.pairs():
            if not value.removed:
                children += [encode(label), encode(value)]
        kind = OBJECT
    payload = b"".join(children)
    return header(kind, len(payload), node.width) + payload


# ----------------------------------------------------------------------------- editing


def replace_in_place(node: Node, value: Value, appended: bool) -> None:
    """Put an SQL value where `node` is, as SQLite 3.45 edits JSONB: the document itself
    changes, so later paths of the same call see the new value. A value that takes a
    few bytes fewer than the element it overwrites is given a wider header instead of
    moving the rest of the document (`overwrite`)."""
    new = value_to_node(value)
    if not appended and new.kind not in ("null", "true", "false"):
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


def argument_node(value: Value) -> Node:
    """An argument of jsonb_array or jsonb_object as a node: text as a JSON string."""
    if isinstance(value, str) and type(value) is not JsonText:
        return parse(quote_string(value))
    return value_to_node(value)


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
    return Node("real", value_to_jsonb(value)[1:].decode())


def encode_with_offsets(node: Node) -> tuple[bytes, dict[int, int]]:
    """The document's JSONB and the byte offset of each node in it (by `id(node)`)."""
    offsets: dict[int, int] = {}
    blob = _place(node, 0, offsets)
    return blob, offsets


def _place(node: Node, at: int, offsets: dict[int, int]) -> bytes:
    """Encode `node` as if it started at byte `at`, recording every offset."""
    offsets[id(node)] = at
    if node.items is None or node.replaced or node.patch is not None:
        return encode(node)
    parts = []
    live = [n for n in node.items if not n.removed] if node.kind == "array" else None
    if live is None:
        live = []
        for label, value in node.pairs():
            if not value.removed:
                live += [label, value]
    size = sum(len(encode(child)) for child in live)
    head = header(ARRAY if node.kind == "array" else OBJECT, size)
    pos = at + len(head)
    for child in live:
        part = _place(child, pos, offsets)
        parts.append(part)
        pos += len(part)
    return head + b"".join(parts)


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
    inf = float("inf")
    text = ("9.0e+999" if value > 0 else "-9.0e+999") if value in (inf, -inf) else None
    payload = (text or real_to_text(value)).encode()
    return header(FLOAT, len(payload)) + payload


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
        node, end = _decode(blob, 0, 0, strict)
    except (ValueError, UnicodeDecodeError, json5.jsonvalue.JsonSyntaxError):
        return None
    return node if end == len(blob) else None


def _decode(blob: bytes, at: int, depth: int, strict: bool) -> tuple[Node, int]:
    found = element_at(blob, at)
    if found is None or depth > 1000:
        raise ValueError
    kind, start, end = found
    payload = blob[start:end]
    if kind in _WORDS:
        if payload and strict:
            raise ValueError
        return Node(_WORDS[kind]), end
    if kind in (INT, INT5, FLOAT, FLOAT5, TEXT, TEXTJ, TEXT5, TEXTRAW):
        text = payload.decode("utf-8", "strict" if strict else "replace")
        if kind in (INT, INT5, FLOAT, FLOAT5):
            node = _number(kind, text) if strict else _loose_number(kind, text)
        else:
            node = _text(kind, text)
        if start - at > 1 or (kind in _WORDS and payload):
            node.width = start - at
        return node, end
    if kind not in (ARRAY, OBJECT):
        raise ValueError
    items: list[Node] = []
    pos = start
    while pos < end:
        child, pos = _decode(blob, pos, depth + 1, strict)
        if kind == OBJECT and len(items) % 2 == 0 and child.kind != "text":
            raise ValueError
        items.append(child)
    if pos != end or (kind == OBJECT and len(items) % 2):
        raise ValueError
    return Node("array" if kind == ARRAY else "object", items=items), end


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
