"""The JSON functions: json, json_array, json_object, json_extract and the `->` and `->>`
operators, json_set, json_insert, json_replace, json_remove, json_patch, json_type,
json_valid, json_quote, json_array_length, and the aggregates json_group_array and
json_group_object; from SQLite 3.42 json_error_position, from 3.45 a `jsonb_` twin of
each function that returns JSON (it returns JSONB, see `vdbe.functions.jsonb`), from 3.46
json_pretty, from 3.54 json_array_insert. Which release's behaviour they follow is
decided in `vdbe.functions.jsonrelease`; `JSON_FUNCTIONS` at the end lists what exists.

Every function that returns JSON text returns a `JsonText` (see
`vdbe.functions.jsonvalue`), so that another JSON function given its result nests it
instead of quoting it.
"""

from __future__ import annotations

from vdbe.errors import SqlError
from vdbe.functions import jsonb, jsonrelease
from vdbe.functions.json5 import parse as parse_json5
from vdbe.functions.jsonrelease import JSONB
from vdbe.functions.jsonvalue import (
    BranchPathError,
    JsonSyntaxError,
    JsonText,
    Node,
    PathError,
    is_json,
    lookup,
    merge_patch,
    parse,
    parse_value,
    quote_string,
    render,
    to_sql,
    value_to_json,
)
from vdbe.values import Value, to_text, without_subtype


def _subtyped(func):
    """Mark a function whose result may be JSON text (the Function opcode notices)."""
    func.returns_subtype = True
    return func


def _path(value: Value) -> str | None:
    return to_text(value) if value is not None else None


@_subtyped
def json_(x: Value) -> Value:
    """json(X): X checked and minified (the whitespace between tokens removed)."""
    return json_remove(x)


def json_valid(x: Value) -> int:
    """json_valid(X): 1 if X is well-formed JSON, else 0 (also for NULL)."""
    return int(is_json(x))


@_subtyped
def json_quote(x: Value) -> JsonText:
    """json_quote(X): X as a JSON value: text becomes a JSON string, numbers stay."""
    return JsonText(value_to_json(x))


@_subtyped
def json_array(*values: Value) -> JsonText:
    """json_array(V1, V2, ...): a JSON array of the values."""
    return JsonText("[" + ",".join(map(value_to_json, values)) + "]")


@_subtyped
def json_object(*args: Value) -> JsonText:
    """json_object(K1, V1, K2, V2, ...): a JSON object; labels must be text."""
    if len(args) % 2:
        raise SqlError("json_object() requires an even number of arguments")
    members = []
    for label, value in zip(args[::2], args[1::2], strict=True):
        if not isinstance(label, str):
            raise SqlError("json_object() labels must be TEXT")
        members.append(quote_string(label) + ":" + value_to_json(value))
    return JsonText("{" + ",".join(members) + "}")


@_subtyped
def json_extract(doc: Value = None, *paths: Value) -> Value:
    """json_extract(J, P1, P2, ...): the SQL value at the path; JSON array for several."""
    if not paths:
        return None
    root = parse_value(doc)
    if root is None:
        return None
    if len(paths) == 1:
        node, _ = lookup(root, _path(paths[0]))
        return to_sql(node) if node is not None else None
    found = _found_by_each(root, paths)
    if found is None:
        return None
    return JsonText("[" + ",".join("null" if n is None else render(n) for n in found) + "]")


def _found_by_each(root: Node, paths: tuple) -> list | None:
    """What each of several paths selects, in order. From 3.45 a NULL path makes the
    whole answer NULL (a bad path before it is still an error)."""
    found = []
    for p in paths:
        if p is None and JSONB and len(paths) > 1:
            return None
        found.append(lookup(root, _path(p))[0])
    return found


def _arrow_lookup(doc: Value, path: Value) -> Node | None:
    """Where `J -> P` points: P may be a full path, a label, or an array index."""
    root = parse_value(doc)
    if root is None or path is None:
        return None
    text = to_text(path)
    if JSONB and isinstance(path, int) and path < 0 and not jsonrelease.ARROW_BY_TYPE:
        raise PathError(text)  # 3.46 (3.45 looked for a label "-1")
    if jsonrelease.ARROW_BY_TYPE and not text.startswith(("$", "[")):
        # 3.47: an INTEGER is an index (negative: from the end), anything else a label
        if isinstance(path, int):
            text = f"$[{path}]" if path >= 0 else f"$[#{path}]"
        else:
            return _member(root, text)
    elif not text.startswith("$"):
        if text[:1].isdigit() and text[:1].isascii():
            text = f"$[{text}]"
        else:
            text = ("$" if text.startswith("[") else "$.") + text
    return lookup(root, text)[0]


def _member(root: Node, label: str) -> Node | None:
    """The value of the object member labelled `label` (the first, if several)."""
    if root.kind != "object":
        return None
    return next((value for key, value in root.pairs() if to_sql(key) == label), None)


@_subtyped
def arrow(doc: Value, path: Value) -> Value:
    """J -> P: the JSON text of what P selects."""
    node = _arrow_lookup(doc, path)
    return None if node is None else JsonText(render(node))


def arrow2(doc: Value, path: Value) -> Value:
    """J ->> P: the SQL value of what P selects."""
    node = _arrow_lookup(doc, path)
    return None if node is None else without_subtype(to_sql(node))


def json_type(doc: Value, path: Value = "$") -> Value:
    """json_type(J [, P]): 'null', 'true', 'false', 'integer', 'real', 'text', 'array'
    or 'object'; NULL when the path selects nothing."""
    root = parse_value(doc)
    if root is None:
        return None
    node, _ = lookup(root, _path(path))
    return None if node is None else node.kind


def json_array_length(doc: Value, path: Value = "$") -> Value:
    """json_array_length(J [, P]): the number of elements, 0 for anything but an array."""
    root = parse_value(doc)
    if root is None:
        return None
    node, _ = lookup(root, _path(path))
    if node is None:
        return None
    return len(node.items) if node.kind == "array" else 0


@_subtyped
def json_remove(doc: Value = None, *paths: Value) -> Value:
    """json_remove(J, P1, ...): J without what the paths select (NULL if J itself goes)."""
    root = _without(doc, paths)
    return None if root is None else JsonText(render(root))


def _without(doc: Value, paths: tuple) -> Node | None:
    """The parsed document with what the paths select marked removed; None for a NULL
    result (a NULL argument, or the whole document removed)."""
    root = parse_value(doc)
    if root is None:
        return None
    for path in paths:
        if path is None:
            return None
        node, _ = lookup(root, to_text(path))
        if node is not None:
            node.removed = True
    return None if root.removed else root


def _edit(name: str, args: tuple, replace: bool, insert: bool) -> Value:
    """json_set (replace and insert), json_insert and json_replace: (path, value) pairs."""
    if not args:
        return None
    if len(args) % 2 == 0:
        raise SqlError(f"json_{name}() needs an odd number of arguments")
    root = parse_value(args[0])
    if root is None:
        return None
    for k in range(1, len(args), 2):
        node, appended = lookup(root, _path(args[k]), append=insert)
        if node is not None and (appended or replace):
            if JSONB:  # 3.45 edits the document itself
                jsonb.replace_in_place(node, args[k + 1], appended)
            else:  # 3.40 marks the node; rendering puts the value in
                node.replacement = args[k + 1]
    if root.replaced and not jsonrelease.WHOLE_EDIT_AS_TEXT:
        return root.replacement  # 3.40 to 3.42 return a replaced document as it is
    return JsonText(render(root))


@_subtyped
def json_set(*args: Value) -> Value:
    """json_set(J, P1, V1, ...): each path set to its value, created when missing."""
    return _edit("set", args, replace=True, insert=True)


@_subtyped
def json_insert(*args: Value) -> Value:
    """json_insert(J, P1, V1, ...): values put where the paths select nothing yet."""
    return _edit("insert", args, replace=False, insert=True)


@_subtyped
def json_replace(*args: Value) -> Value:
    """json_replace(J, P1, V1, ...): values put only where the paths select something."""
    return _edit("replace", args, replace=True, insert=False)


@_subtyped
def json_patch(target: Value, patch: Value) -> Value:
    """json_patch(T, P): RFC 7396 MergePatch of P into T."""
    t = parse_value(target)
    if t is None:
        return None
    p = parse_value(patch)
    if p is None:
        return None
    return JsonText(render(merge_patch_members(t, p) if JSONB else merge_patch(t, p)))


def merge_patch_members(target: Node, patch: Node) -> Node:
    """RFC 7396 MergePatch as SQLite 3.45 applies it: the patch's members one after
    another, each onto the target as the ones before it left it (so of duplicate patch
    labels the last wins), matching labels by what they mean."""
    if patch.kind != "object":
        return patch
    if target.kind != "object" or target.replaced or target.patch is not None:
        target = Node("object", items=[])
    for label, value in patch.pairs():
        key = to_sql(label)
        at = next(
            (k for k in range(0, len(target.items), 2) if to_sql(target.items[k]) == key),
            None,
        )
        if value.kind == "null":
            if at is not None:
                del target.items[at : at + 2]
        elif at is None:
            target.items += [label, merge_patch_members(Node("null"), value)]
        else:
            target.items[at + 1] = merge_patch_members(target.items[at + 1], value)
    return target


class GroupArray:
    """json_group_array(X): the group's values as a JSON array."""

    returns_subtype = True

    def __init__(self) -> None:
        self.items: list[str] = []

    def step(self, value: Value) -> None:
        self.items.append(value_to_json(value))

    def inverse(self, value: Value) -> None:
        del self.items[0]

    def value(self) -> JsonText:
        return JsonText("[" + ",".join(self.items) + "]")

    final = value


class GroupObject(GroupArray):
    """json_group_object(K, V): the group's pairs as a JSON object (K taken as text)."""

    def step(self, label: Value, value: Value) -> None:  # type: ignore[override]
        if label is None and jsonrelease.GROUP_OBJECT_SKIPS_NULL_LABELS:
            self.items.append(None)  # 3.50 leaves the pair out (kept for inverse())
            return
        # a NULL label is written as nothing at all, as SQLite 3.40 does
        key = "" if label is None else quote_string(to_text(label))
        self.items.append(key + ":" + value_to_json(value))

    def inverse(self, label: Value, value: Value) -> None:  # type: ignore[override]
        del self.items[0]

    def value(self) -> JsonText:
        return JsonText("{" + ",".join(item for item in self.items if item is not None) + "}")

    final = value


# ------------------------------------------------------------------ from SQLite 3.42 on


def json_error_position(x: Value) -> Value:
    """json_error_position(X): 0 if X is well-formed JSON (or JSONB), else the 1-based
    character position where reading it failed."""
    if x is None:
        return None
    if isinstance(x, bytes) and JSONB and jsonb.looks_like_jsonb(x):
        at = jsonb.error_offset(x)
        return 0 if at is None else at + 1
    try:
        parse_json5(to_text(x))
    except JsonSyntaxError as error:
        return error.at + 1
    return 0


def json_valid_flags(x: Value, flags: Value) -> Value:
    """json_valid(X, FLAGS) (3.45): is X valid as the FLAGS allow? 1: JSON text,
    2: JSON5 text, 4: a BLOB that looks like JSONB, 8: a BLOB that is JSONB."""
    if not isinstance(flags, int) or not 1 <= flags <= 15:
        raise SqlError("FLAGS parameter to json_valid() must be between 1 and 15")
    if x is None:
        return None
    if isinstance(x, bytes):
        if flags & 4 and jsonb.looks_like_jsonb(x):
            return 1
        if flags & 8 and jsonb.decode(x, strict=True) is not None:
            return 1
    if flags & 3:
        try:
            parse(to_text(x), json5_allowed=bool(flags & 2))
        except JsonSyntaxError:
            return 0
        return 1
    return 0


def json_valid_345(x: Value) -> Value:
    """json_valid(X) from 3.45: json_valid(X, 1), so NULL gives NULL."""
    return json_valid_flags(x, 1)


# ------------------------------------------------------------------ from SQLite 3.45 on


def jsonb_(x: Value) -> Value:
    """jsonb(X): X as JSONB, JSON5 kept as written."""
    root = parse_value(x)
    return None if root is None else jsonb.encode(root)


def _edit_binary(name: str, replace: bool, insert: bool):
    def edit(*args: Value) -> Value:
        if not args:
            return None
        if len(args) % 2 == 0:
            raise SqlError(f"json_{name}() needs an odd number of arguments")
        root = parse_value(args[0])
        if root is None:
            return None
        for k in range(1, len(args), 2):
            node, appended = lookup(root, _path(args[k]), append=insert)
            if node is not None and (appended or replace):
                jsonb.replace_in_place(node, args[k + 1], appended)
        return jsonb.encode(root)

    edit.__doc__ = f"jsonb_{name}(J, P1, V1, ...): as json_{name}, returning JSONB."
    return edit


def jsonb_remove(doc: Value = None, *paths: Value) -> Value:
    """jsonb_remove(J, P1, ...): as json_remove, returning JSONB."""
    root = _without(doc, paths)
    return None if root is None else jsonb.encode(root)


def jsonb_extract(doc: Value = None, *paths: Value) -> Value:
    """jsonb_extract(J, P1, ...): arrays and objects as JSONB, atoms as SQL values."""
    if not paths:
        return None
    root = parse_value(doc)
    if root is None:
        return None
    found = _found_by_each(root, paths)
    if found is None:
        return None
    if len(paths) == 1:
        node = found[0]
        if node is None:
            return None
        return jsonb.encode(node) if node.items is not None else to_sql(node)
    return jsonb.encode(Node("array", items=[n or Node("null") for n in found]))


def jsonb_array(*values: Value) -> bytes:
    """jsonb_array(V1, ...): as json_array, returning JSONB. Like SQLite, it builds the
    JSON text and converts that, so a JSON5 number in a JSONB argument is spelled out."""
    return jsonb.encode(parse(json_array(*values)))


def jsonb_object(*args: Value) -> bytes:
    """jsonb_object(K1, V1, ...): as json_object, returning JSONB (built the same way)."""
    return jsonb.encode(parse(json_object(*args)))


def jsonb_patch(target: Value, patch: Value) -> Value:
    """jsonb_patch(T, P): as json_patch, returning JSONB."""
    t = parse_value(target)
    if t is None:
        return None
    p = parse_value(patch)
    if p is None:
        return None
    return jsonb.encode(merge_patch_members(t, p))


class BinaryGroupArray(GroupArray):
    """jsonb_group_array(X): the group's values as a JSONB array."""

    returns_subtype = False

    def value(self) -> bytes:  # type: ignore[override]
        return jsonb.encode(parse(super().value()))

    final = value


class BinaryGroupObject(GroupObject):
    """jsonb_group_object(K, V): the group's pairs as a JSONB object."""

    returns_subtype = False

    def value(self) -> bytes:  # type: ignore[override]
        return jsonb.encode(parse(super().value()))

    final = value


# ------------------------------------------------------------------ from SQLite 3.46 on


@_subtyped
def json_pretty(doc: Value, indent: Value = None) -> Value:
    """json_pretty(J [, INDENT]): J on several lines, each level indented by INDENT
    (four spaces unless given)."""
    root = parse_value(doc)
    if root is None:
        return None
    step = "    " if indent is None else to_text(indent)
    return JsonText(_pretty(root, step))


def _pretty(root: Node, step: str) -> str:
    out: list[str] = []
    work: list = [(root, 0)]
    while work:
        item = work.pop()
        if isinstance(item, str):
            out.append(item)
            continue
        item, depth = item
        live = _live_items(item)
        if not live:
            out.append(render(item))
            continue
        inner = "\n" + step * (depth + 1)
        opener, closer = ("[", "]") if item.kind == "array" else ("{", "}")
        parts: list = []
        for k, child in enumerate(live):
            parts.append(("," if k else "") + inner)
            if isinstance(child, tuple):
                parts += [render(child[0]) + ": ", (child[1], depth + 1)]
            else:
                parts.append((child, depth + 1))
        work.append("\n" + step * depth + closer)
        work.extend(reversed(parts))
        work.append(opener)
    return "".join(out)


def _live_items(node: Node) -> list:
    """An array's elements or an object's (label, value) pairs; [] for an atom."""
    if node.replaced or node.items is None:
        return []
    if node.patch is not None:
        return _live_items(node.patch)
    if node.kind == "array":
        return [n for n in node.items if not n.removed]
    return [(label, value) for label, value in node.pairs() if not value.removed]


# ------------------------------------------------------------------ from SQLite 3.54 on


def _array_insert(args: tuple) -> Node | None:
    """json_array_insert(J, P1, V1, ...): each value put into an array before the element
    the path's last step names (`[N]`, `[#-N]`; `[#]` or one past the end appends)."""
    if len(args) % 2 == 0:
        raise SqlError("json_array_insert() needs an odd number of arguments")
    root = parse_value(args[0])
    if root is None:
        return None
    for k in range(1, len(args), 2):
        path, value = _path(args[k]), args[k + 1]
        if path is None or path == "$":
            continue
        try:
            node, appended = lookup(root, path, append=True)  # made as json_set makes it
        except BranchPathError:
            raise SqlError(f"not an array element: '{path}'") from None
        if node is None:
            continue
        if not path.endswith("]"):
            raise SqlError(f"not an array element: '{path}'")
        if appended:
            jsonb.replace_in_place(node, value, appended)
        else:
            array, _ = lookup(root, path[: path.rfind("[")])
            array.items.insert(array.items.index(node), jsonb.value_to_node(value))
    return root


@_subtyped
def json_array_insert(*args: Value) -> Value:
    """json_array_insert(J, P1, V1, ...): values inserted into arrays (see above)."""
    root = _array_insert(args)
    return None if root is None else JsonText(render(root))


def jsonb_array_insert(*args: Value) -> Value:
    """jsonb_array_insert(J, P1, V1, ...): as json_array_insert, returning JSONB."""
    root = _array_insert(args)
    return None if root is None else jsonb.encode(root)


JSON_FUNCTIONS = {
    ("json", 1): json_,
    ("json_array", -1): json_array,
    ("json_array_length", 1): json_array_length,
    ("json_array_length", 2): json_array_length,
    ("json_extract", -1): json_extract,
    ("->", 2): arrow,
    ("->>", 2): arrow2,
    ("json_insert", -1): json_insert,
    ("json_object", -1): json_object,
    ("json_patch", 2): json_patch,
    ("json_quote", 1): json_quote,
    ("json_remove", -1): json_remove,
    ("json_replace", -1): json_replace,
    ("json_set", -1): json_set,
    ("json_type", 1): json_type,
    ("json_type", 2): json_type,
    ("json_valid", 1): json_valid,
}

JSON_AGGREGATES = {
    ("json_group_array", 1): GroupArray,
    ("json_group_object", 2): GroupObject,
}

# what each release added, and what it changed
if jsonrelease.JSON5:
    JSON_FUNCTIONS[("json_error_position", 1)] = json_error_position
if JSONB:
    JSON_FUNCTIONS[("json_valid", 1)] = json_valid_345
    JSON_FUNCTIONS[("json_valid", 2)] = json_valid_flags
    JSON_FUNCTIONS.update(
        {
            ("jsonb", 1): jsonb_,
            ("jsonb_array", -1): jsonb_array,
            ("jsonb_object", -1): jsonb_object,
            ("jsonb_extract", -1): jsonb_extract,
            ("jsonb_insert", -1): _edit_binary("insert", replace=False, insert=True),
            ("jsonb_replace", -1): _edit_binary("replace", replace=True, insert=False),
            ("jsonb_set", -1): _edit_binary("set", replace=True, insert=True),
            ("jsonb_remove", -1): jsonb_remove,
            ("jsonb_patch", 2): jsonb_patch,
        }
    )
    JSON_AGGREGATES[("jsonb_group_array", 1)] = BinaryGroupArray
    JSON_AGGREGATES[("jsonb_group_object", 2)] = BinaryGroupObject
if jsonrelease.PRETTY:
    JSON_FUNCTIONS[("json_pretty", 1)] = json_pretty
    JSON_FUNCTIONS[("json_pretty", 2)] = json_pretty
if jsonrelease.ARRAY_INSERT:
    JSON_FUNCTIONS[("json_array_insert", -1)] = json_array_insert
    JSON_FUNCTIONS[("jsonb_array_insert", -1)] = jsonb_array_insert
