"""The JSON functions of SQLite 3.40: json, json_array, json_object, json_extract and the
`->` and `->>` operators, json_set, json_insert, json_replace, json_remove, json_patch,
json_type, json_valid, json_quote, json_array_length, and the aggregates
json_group_array and json_group_object.

Every function that returns JSON returns a `JsonText` (see `vdbe.functions.jsonvalue`),
so that another JSON function given its result nests it instead of quoting it.
"""

from __future__ import annotations

from vdbe.errors import SqlError
from vdbe.functions.jsonvalue import (
    JsonText,
    Node,
    is_json,
    lookup,
    merge_patch,
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
    found = [lookup(root, _path(p))[0] for p in paths]
    return JsonText("[" + ",".join("null" if n is None else render(n) for n in found) + "]")


def _arrow_lookup(doc: Value, path: Value) -> Node | None:
    """Where `J -> P` points: P may be a full path, a label, or an array index."""
    root = parse_value(doc)
    if root is None or path is None:
        return None
    text = to_text(path)
    if not text.startswith("$"):
        if text[:1].isdigit() and text[:1].isascii():
            text = f"$[{text}]"
        else:
            text = ("$" if text.startswith("[") else "$.") + text
    return lookup(root, text)[0]


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
    root = parse_value(doc)
    if root is None:
        return None
    for path in paths:
        if path is None:
            return None
        node, _ = lookup(root, to_text(path))
        if node is not None:
            node.removed = True
    return None if root.removed else JsonText(render(root))


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
            node.replacement = args[k + 1]
    if root.replaced:
        return root.replacement
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
    return JsonText(render(merge_patch(t, p)))


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
        # a NULL label is written as nothing at all, as SQLite 3.40 does
        key = "" if label is None else quote_string(to_text(label))
        self.items.append(key + ":" + value_to_json(value))

    def inverse(self, label: Value, value: Value) -> None:  # type: ignore[override]
        del self.items[0]

    def value(self) -> JsonText:
        return JsonText("{" + ",".join(self.items) + "}")

    final = value


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
