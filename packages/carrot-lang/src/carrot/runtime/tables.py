"""Carrot tables stored in the VM's B-trees.

Each Carrot table is one *index* B-tree in a vdbe ``Database`` (an in-memory one
unless an extension hands the runtime another). An index B-tree holds records
ordered by their leading fields; a table entry is the three-field record

    (key, tag, payload)

compared on the key alone (``KeyInfo`` with one key field). SQLite orders an INTEGER
before any TEXT, and TEXT under the BINARY collation by its UTF-8 bytes, which is
code-point order, so the B-tree's own order is Carrot's iteration order: ints
ascending, then strings ascending.

The tag says what the payload means, so values SQLite has no type for survive the
round trip through a record:

| tag | Carrot value | payload stored as |
| --- | --- | --- |
| 1 | int | INTEGER |
| 2 | float | REAL (decoded with ``float()``, so ``2.0`` stays a float) |
| 3 | string | TEXT |
| 4 | bool | INTEGER 0 or 1 |
| 5 | table | INTEGER: the table's root page |
| 6 | function | INTEGER: the function's number in this runtime |

``null`` is never stored: assigning ``null`` to a key removes the entry.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from vdbe.keyinfo import KeyInfo
from vdbe.record import encode_record

from carrot.runtime.errors import CarrotRuntimeError
from carrot.runtime.values import INT_MAX, INT_MIN, Builtin, Function, Table, type_name

# --8<-- [start:tags]
TAG_INT = 1
TAG_FLOAT = 2
TAG_STRING = 3
TAG_BOOL = 4
TAG_TABLE = 5
TAG_FUNCTION = 6
# --8<-- [end:tags]

#: compare entries on their first field (the key) only, BINARY collation, ascending
KEY_INFO = KeyInfo(n_key_fields=1, collations=["BINARY"], descending=[False])


class TableStore:
    """Creates tables and reads and writes their entries, all inside B-trees.

    The store keeps no table contents in Python: only the map from root page to
    the one :class:`Table` object for it, and a cached cursor per table.
    """

    def __init__(self, db: Any = None) -> None:
        self._db = db
        self._by_root: dict[int, Table] = {}
        self._functions: list[Function | Builtin] = []
        self._function_ids: dict[int, int] = {}  # id(function) -> its number

    @property
    def db(self) -> Any:
        """The ``vdbe.storage.Database`` holding the B-trees (in memory unless given)."""
        if self._db is None:
            from vdbe.storage import Database

            self._db = Database.memory()
        return self._db

    # ------------------------------------------------------------------ tables
    def new_table(self) -> Table:
        """A new empty table: a fresh index B-tree."""
        db = self.db
        if not db.in_write_transaction:
            db.begin(write=True)  # B-trees change only inside a write transaction
        root = db.create_btree("index")
        table = Table(root, self)
        self._by_root[root] = table
        return table

    def table_at(self, root: int) -> Table:
        """The one ``Table`` for the B-tree rooted at ``root``."""
        table = self._by_root.get(root)
        if table is None:
            table = self._by_root[root] = Table(root, self)
        return table

    def reset_cursors(self) -> None:
        """Forget cached cursors (after a rollback rewrote the B-trees under them)."""
        for table in self._by_root.values():
            table.cursor = None

    def _cursor(self, table: Table) -> Any:
        cursor = table.cursor
        if cursor is None:
            cursor = table.cursor = self.db.cursor(
                table.root, writable=True, index_key_info=KEY_INFO
            )
        return cursor

    # --8<-- [start:get_set]
    def get(self, table: Table, key: object) -> object:
        """``t[key]``: the stored value, or ``None`` (null) for a missing key."""
        key = table_key(key)
        cursor = self._cursor(table)
        if not cursor.seek([key], "eq"):
            return None
        _key, tag, payload = cursor.key_values()
        return self.decode(tag, payload)

    def set(self, table: Table, key: object, value: object) -> None:
        """``t[key] = value``; a null value removes the key."""
        key = table_key(key)
        cursor = self._cursor(table)
        if cursor.seek([key], "eq"):
            cursor.delete()
        if value is not None:
            tag, payload = self.encode(value)
            cursor.insert_key(encode_record([key, tag, payload]))

    # --8<-- [end:get_set]

    # --8<-- [start:next_key]
    def next_key(self, table: Table, after: object) -> object:
        """The smallest key greater than ``after`` (the first key when ``after`` is null).

        Returns ``None`` when there is none. A ``for`` loop asks for each next key
        afresh, so it never holds a cursor across the loop body: the body may add or
        remove keys, and the loop simply continues from where it was in key order.
        """
        cursor = self._cursor(table)
        found = cursor.first() if after is None else cursor.seek([after], "gt")
        if not found or cursor.eof:
            return None
        return cursor.column(0)

    # --8<-- [end:next_key]

    def length(self, table: Table) -> int:
        """The number of keys."""
        return self._cursor(table).count()

    def items(self, table: Table) -> Iterator[tuple[object, object]]:
        """Every (key, value) in key order (for printing and ``keys()``)."""
        key = self.next_key(table, None)
        while key is not None:
            yield key, self.get(table, key)
            key = self.next_key(table, key)

    # --8<-- [start:encode]
    def encode(self, value: object) -> tuple[int, object]:
        """A Carrot value as (tag, payload) for a record."""
        t = type(value)
        if t is int:
            return TAG_INT, value
        if t is float:
            return TAG_FLOAT, value
        if t is str:
            return TAG_STRING, value
        if t is bool:
            return TAG_BOOL, int(value)  # type: ignore[arg-type]
        if t is Table:
            if value.store is not self:  # type: ignore[union-attr]
                raise CarrotRuntimeError("a persistent table cannot be stored in a table")
            return TAG_TABLE, value.root  # type: ignore[union-attr]
        if t is Function or t is Builtin:
            return TAG_FUNCTION, self.function_number(value)  # type: ignore[arg-type]
        raise CarrotRuntimeError(f"cannot store {type_name(value)} in a table")

    def decode(self, tag: int, payload: Any) -> object:
        """The inverse of :meth:`encode`."""
        if tag in (TAG_INT, TAG_STRING):
            return payload
        if tag == TAG_FLOAT:
            return float(payload)
        if tag == TAG_BOOL:
            return payload != 0
        if tag == TAG_TABLE:
            return self.table_at(payload)
        if tag == TAG_FUNCTION:
            return self._functions[payload]
        raise CarrotRuntimeError(f"corrupt table entry (tag {tag})")

    # --8<-- [end:encode]

    def function_number(self, fn: Function | Builtin) -> int:
        number = self._function_ids.get(id(fn))
        if number is None:
            number = self._function_ids[id(fn)] = len(self._functions)
            self._functions.append(fn)
        return number


# --8<-- [start:table_key]
def table_key(key: object) -> int | str:
    """A value used as a key: ints and strings as they are, integral floats as ints."""
    t = type(key)
    if t is int or t is str:
        return key  # type: ignore[return-value]
    if t is float and key == key and abs(key) != float("inf"):  # type: ignore[operator]
        as_int = int(key)  # type: ignore[call-overload]
        if as_int == key and INT_MIN <= as_int <= INT_MAX:
            return as_int
    raise CarrotRuntimeError(f"invalid table key: {describe(key)}")


# --8<-- [end:table_key]


def describe(value: object) -> str:
    """A short description of a value for error messages: ``float 1.5``, ``null``."""
    from carrot.runtime.printing import repr_scalar

    name = type_name(value)
    if value is None or name in ("table", "function"):
        return name
    return f"{name} {repr_scalar(value)}"
