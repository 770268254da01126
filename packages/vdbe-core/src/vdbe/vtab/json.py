"""json_each and json_tree: a JSON document as a table, one row per element.

    SELECT key, value, type FROM json_each('{"a":1,"b":[2]}')      -- a, 1 / b, [2]
    SELECT fullkey FROM json_tree('{"a":1,"b":[2]}')             -- $, $.a, $.b, $.b[0]

json_each walks the members of one array or object (the document, or what the
optional second argument, a path, selects); json_tree walks every value under it,
depth first. Both have the columns below; `json` and `root` are the hidden columns
that hold the function's two arguments.

The `id` of a row is the number SQLite's parser gives the value: in SQLite 3.40 parsed
values are counted in document order, an object member's label counting as one, so a
member's value has the label's number plus one; from 3.45 it is the byte offset of the
value in the document's JSONB (of the label, for an object member). `parent` is the id
of the enclosing array or object (json_tree only). 3.45 also names a json_tree's first
row differently (`JsonbEachCursor`).
"""

from __future__ import annotations

import re

from vdbe.errors import SqlError
from vdbe.functions import jsonb, jsonrelease
from vdbe.functions.jsonvalue import (
    JsonSyntaxError,
    Node,
    PathError,
    lookup,
    parse,
    parse_value,
    to_sql,
)
from vdbe.values import Value, to_text
from vdbe.vtab import VirtualCursor

COLUMNS = ("key", "value", "type", "atom", "id", "parent", "fullkey", "path", "json", "root")


class Entry:
    """One parsed value with its number, its label (if in an object) and its parent."""

    __slots__ = ("node", "id", "label", "up", "array_index")

    def __init__(self, node: Node, id_: int, label: Node | None, up: Entry | None) -> None:
        self.node = node
        self.id = id_
        self.label = label
        self.up = up
        self.array_index = 0  # this value's place in its parent, if that is an array


def number_values(root: Node) -> dict[int, Entry]:
    """Every value of the document by `id(node)`, numbered as SQLite numbers them."""
    entries: dict[int, Entry] = {}
    counter = 0
    work: list[tuple[Node, Node | None, Entry | None, int]] = [(root, None, None, 0)]
    while work:
        node, label, up, index = work.pop()
        if label is not None:
            counter += 1  # the label's own number
        entry = Entry(node, counter, label, up)
        entry.array_index = index
        entries[id(node)] = entry
        counter += 1
        children: list = []
        if node.kind == "array":
            children = [(child, None, entry, k) for k, child in enumerate(node.items)]
        elif node.kind == "object":
            children = [(value, label, entry, 0) for label, value in node.pairs()]
        work.extend(reversed(children))
    return entries


def label_step(label: Node) -> str:
    """`.name` for a path: the label bare when it is a simple name, quoted otherwise."""
    text = label.text
    if re.fullmatch(r'"[A-Za-z][A-Za-z0-9]*"', text):
        text = text[1:-1]
    return "." + text


class JsonEachCursor(VirtualCursor):
    """A scan of json_each (recursive=False) or json_tree (recursive=True)."""

    def __init__(self, recursive: bool, binary: bool = False) -> None:
        self.recursive = recursive
        self.binary = binary  # jsonb_each, jsonb_tree: arrays and objects as JSONB
        self.rows: list[Entry] = []
        self.at = 0
        self.doc: str | None = None
        self.root_path: str | None = None
        self.start: Entry | None = None

    # --8<-- [start:filter]
    def filter(self, idx_num: int, idx_str: str | None, args: list[Value]) -> None:
        self.rows, self.at = [], 0
        if idx_num == 0 or args[0] is None:
            return
        self.doc = args[0] if isinstance(args[0], bytes) else to_text(args[0])
        root = self.parse(args[0])
        node: Node | None = root
        self.root_path = None
        if idx_num == 3:
            if args[1] is None:
                return
            self.root_path = to_text(args[1])
            if not self.root_path.startswith("$"):
                raise PathError(self.root_path)
            node, _ = lookup(root, self.root_path)
            if node is None:
                return
        entries = self.number_values(root)
        self.start = entries[id(node)]
        if self.recursive:
            self.rows = _subtree(self.start, entries)
        elif node.items is None:
            self.rows = [self.start]
        elif node.kind == "array":
            self.rows = [entries[id(child)] for child in node.items]
        else:
            self.rows = [entries[id(value)] for _, value in node.pairs()]

    # --8<-- [end:filter]

    def parse(self, doc: Value) -> Node:
        try:
            return parse(to_text(doc))
        except JsonSyntaxError:
            raise SqlError("malformed JSON") from None

    def number_values(self, root: Node) -> dict[int, Entry]:
        return number_values(root)

    def eof(self) -> bool:
        return self.at >= len(self.rows)

    def next(self) -> None:
        self.at += 1

    def rowid(self) -> int:
        return self.at

    def column(self, i: int) -> Value:
        entry = self.rows[self.at]
        name = COLUMNS[i]
        if name == "key":
            return self._key(entry)
        if name == "value":
            if self.binary and entry.node.items is not None:
                return jsonb.encode(entry.node)
            return to_sql(entry.node)
        if name == "type":
            return entry.node.kind
        if name == "atom":
            return None if entry.node.items is not None else to_sql(entry.node)
        if name == "id":
            return entry.id
        if name == "parent":
            first = entry is self.start
            return entry.up.id if self.recursive and not first and entry.up else None
        if name == "fullkey":
            return self._fullkey(entry)
        if name == "path":
            if self.recursive:
                return self._path_to(entry.up) if entry.up else "$"
            return self.root_path or "$"
        if name == "json":
            return self.doc
        return self.root_path or "$"

    def _key(self, entry: Entry) -> Value:
        if entry.id == 0:
            return None
        container = self._container_kind(entry)
        if container == "object":
            return to_sql(entry.label)
        if container == "array":
            if self.recursive and entry is self.start:
                return None
            return entry.array_index if self.recursive else self.at
        return None

    def _container_kind(self, entry: Entry) -> str:
        """The type SQLite's cursor has in mind for this row: its parent's, except that
        a lone atom selected by the root path (or the document itself) is its own."""
        if entry is self.start:
            if entry.node.items is None:
                return entry.node.kind
            return entry.up.node.kind if entry.up else entry.node.kind
        return entry.up.node.kind

    def _fullkey(self, entry: Entry) -> str:
        if self.recursive:
            return self._path_to(entry)
        base = self.root_path or "$"
        container = self._container_kind(entry)
        if entry is self.start and entry.node.items is None:
            return base
        if container == "array":
            return f"{base}[{self.at}]"
        return base + label_step(entry.label)

    def _path_to(self, entry: Entry | None) -> str:
        """The path from the document's top to `entry`, as json_tree spells it.

        An array above the scan's starting value is always written `[0]`, as SQLite
        3.40 writes it: the index it prints is the one its cursor last walked through.
        """
        steps: list[str] = []
        while entry is not None and entry.up is not None:
            parent = entry.up
            if parent.node.kind == "array":
                index = entry.array_index if self._walked(parent) else 0
                steps.append(f"[{index}]")
            else:
                steps.append(label_step(entry.label))
            entry = parent
        return "$" + "".join(reversed(steps))

    def _walked(self, entry: Entry) -> bool:
        """Is `entry` the scan's start or inside it (json_tree)?"""
        while entry is not None:
            if entry is self.start:
                return True
            entry = entry.up
        return False


def _subtree(start: Entry, entries: dict[int, Entry]) -> list[Entry]:
    """The entries of the values under `start`, itself first, depth first."""
    rows: list[Entry] = []
    work = [start.node]
    while work:
        node = work.pop()
        rows.append(entries[id(node)])
        if node.kind == "array":
            work.extend(reversed(node.items))
        elif node.kind == "object":
            work.extend(reversed(node.items[1::2]))
    return rows


class JsonbEachCursor(JsonEachCursor):
    """A scan as SQLite 3.45 and later make it: the document may be JSONB, a row's id is
    a byte offset, and the paths are the root path as written plus the steps below it."""

    def parse(self, doc: Value) -> Node:
        return parse_value(doc)

    def number_values(self, root: Node) -> dict[int, Entry]:
        self._root = root  # for the first row's key and path (_start_names)
        entries = number_values(root)
        offsets = jsonb.offsets(root)
        for entry in entries.values():
            entry.id = offsets[id(entry.label if entry.label is not None else entry.node)]
        return entries

    def column(self, i: int) -> Value:
        entry = self.rows[self.at]
        name = COLUMNS[i]
        if name == "parent":
            first = entry is self.start
            return entry.up.id if self.recursive and not first and entry.up else None
        if self.recursive and entry is self.start and name in ("key", "path"):
            key, path = self._start_names()
            return key if name == "key" else path
        if name == "key" and entry is self.start and not self.recursive:
            return None if entry.node.items is None else super().column(i)
        if name == "key" and entry.up is not None and entry.up.node.kind == "array":
            return entry.array_index
        return super().column(i)

    def _path_to(self, entry: Entry | None) -> str:
        """The root path as written, then the steps from the scan's start to `entry`."""
        steps: list[str] = []
        while entry is not None and entry is not self.start and entry.up is not None:
            parent = entry.up
            if parent.node.kind == "array":
                steps.append(f"[{entry.array_index}]")
            else:
                steps.append(label_step(entry.label))
            entry = parent
        return (self.root_path or "$") + "".join(reversed(steps))

    def _start_names(self) -> tuple[Value, str]:
        """The key and path of json_tree's first row, as 3.45 derives them from the root
        path: the path is cut after the last step whose container holds the start as
        its first member (or after the `$`), and the key is the rest, read as a step."""
        path = self.root_path or "$"
        if len(path) == 1:
            return None, path
        cut = len(path)
        while cut > 1:
            cut -= 1
            if path[cut] in "[." and self._first_member_of(path[:cut]):
                break
        rest = path[cut:]
        if rest.startswith("["):
            digits = re.match(r"\[([0-9]*)", rest).group(1)
            return int(digits or 0), path[:cut]
        if rest[1:2] == '"':
            return rest[2:-1], path[:cut]
        return rest[1:], path[:cut]

    def _first_member_of(self, prefix: str) -> bool:
        try:
            node, _ = lookup(self._root, prefix)
        except SqlError:
            return False
        if node is None or not node.items:
            return False
        first = node.items[0] if node.kind == "array" else node.items[1]
        return first is self.start.node


class JsonEach:
    """The json_each(JSON [, ROOT]) table-valued function."""

    name = "json_each"
    columns = COLUMNS
    recursive = False

    binary = False

    def open(self) -> JsonEachCursor:
        cursor = JsonbEachCursor if jsonrelease.JSONB else JsonEachCursor
        return cursor(self.recursive, self.binary)


class JsonTree(JsonEach):
    """The json_tree(JSON [, ROOT]) table-valued function."""

    name = "json_tree"
    recursive = True


class JsonbEach(JsonEach):
    """jsonb_each(JSON [, ROOT]) (SQLite 3.51): json_each with arrays and objects in the
    `value` column as JSONB."""

    name = "jsonb_each"
    binary = True


class JsonbTree(JsonTree):
    """jsonb_tree(JSON [, ROOT]) (SQLite 3.51): json_tree with JSONB values."""

    name = "jsonb_tree"
    binary = True
