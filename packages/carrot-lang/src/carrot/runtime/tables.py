"""Carrot tables stored in the VM's in-memory B-trees.

Each Carrot table owns two ``MemTree``s of a vdbe ``MemoryDatabase``: ``ints`` maps its
int keys to their values and ``strs`` its string keys. A MemTree is a B-tree whose
pages hold Python objects, so a key and its value sit in a page as themselves: no
record encoding, no type tags, and a table stored in a table is its ``Table`` object.

Two trees, because Carrot orders every int before every string, while Python refuses
to compare an int with a string: each tree holds keys Python can order (ints by value,
strings by code point, which is Carrot's string order), and walking ``ints`` then
``strs`` visits keys in Carrot's order.

Every change goes through the database's undo log while a savepoint is open, which is
how carrot-txn's ``txn fn`` and ``abort`` undo table changes. Nothing else refers to
the trees: a table nothing reaches is freed with its trees, as Python frees any object.

``null`` is never stored: assigning ``null`` to a key removes the entry.
"""

from __future__ import annotations

from collections.abc import Iterator
from itertools import chain
from typing import Any

from carrot.runtime.errors import CarrotRuntimeError
from carrot.runtime.values import INT_MAX, INT_MIN, Builtin, Function, Table, type_name

#: the types a table may hold, besides tables (checked apart: their store matters)
_STORABLE = frozenset({int, float, str, bool, Function, Builtin})


class TableStore:
    """Creates tables and reads and writes their entries in in-memory B-trees.

    These methods are the table operations of the whole runtime: the engine's opcodes,
    the fast path's generated code and the builtins all call them.
    """

    def __init__(self, db: Any = None) -> None:
        self._db = db

    @property
    def db(self) -> Any:
        """The ``vdbe.storage.MemoryDatabase`` whose savepoints cover every table."""
        if self._db is None:
            from vdbe.storage.memory import MemoryDatabase

            self._db = MemoryDatabase()
        return self._db

    # --8<-- [start:new_table]
    def new_table(self) -> Table:
        """A new empty table: two empty trees, one per kind of key."""
        db = self.db
        return Table(0, self, db.tree(), db.tree())

    # --8<-- [end:new_table]

    # --8<-- [start:get_set]
    def get(self, table: Table, key: object) -> object:
        """``t[key]``: the stored value, or ``None`` (null) for a missing key."""
        t = type(key)
        if t is int:
            return table.ints.get(key)
        if t is str:
            return table.strs.get(key)
        return table.ints.get(table_key(key))  # a float with an integral value, or an error

    def set(self, table: Table, key: object, value: object) -> None:
        """``t[key] = value``; a null value removes the key."""
        t = type(key)
        if t is int:
            tree = table.ints
        elif t is str:
            tree = table.strs
        else:
            key, tree = table_key(key), table.ints  # an integral float, or an error
        if value is None:
            tree.remove(key)
            return
        if type(value) not in _STORABLE:
            self._check_storable(value)
        tree.put(key, value)

    # --8<-- [end:get_set]

    def _check_storable(self, value: object) -> None:
        if type(value) is not Table:
            raise CarrotRuntimeError(f"cannot store {type_name(value)} in a table")
        if value.store is not self:  # type: ignore[attr-defined]
            raise CarrotRuntimeError("a persistent table cannot be stored in a table")

    # --8<-- [start:next_key]
    def next_key(self, table: Table, after: object) -> object:
        """The smallest key greater than ``after`` (the first key when ``after`` is null).

        Returns ``None`` when there is none. A ``for`` loop asks for each next key
        afresh, so it never holds a position across the loop body: the body may add or
        remove keys, and the loop simply continues from where it was in key order:
        through the int keys, then on to the string keys.
        """
        if type(after) is str:
            return table.strs.next_key(after)
        key = table.ints.next_key(after)
        return key if key is not None else table.strs.first_key()

    # --8<-- [end:next_key]

    def entries(self, table: Table) -> Iterator[tuple[object, object]]:
        """A ``for`` loop's (key, value) pairs as the fast path walks them: the leaves of
        ``ints``, then those of ``strs``, each tree's scan re-seeking after a change.
        It visits what ``next_key`` would: the string tree's walk starts only once the
        int keys are done, at the first string key there is then."""
        return chain(table.ints.scan(), table.strs.scan())

    def length(self, table: Table) -> int:
        """The number of keys: each tree keeps its count."""
        return table.ints.count + table.strs.count

    def items(self, table: Table) -> Iterator[tuple[object, object]]:
        """Every (key, value) in key order (for printing and ``keys()``)."""
        yield from table.ints.items()
        yield from table.strs.items()


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
