"""Persistent tables: ``db.accounts`` is a real SQLite table in the database file.

Carrot's in-memory tables live in a :class:`carrot.runtime.tables.TableStore`; a
persistent table is the same kind of :class:`~carrot.runtime.values.Table` value, but
its store is a :class:`PersistentStore`, which keeps entries as records ``(key, value)``
that the sqlite3 shell reads with ``SELECT key, value FROM accounts``. Those records
hold plain SQL values, so a persistent table takes only ints, floats, strings and bools
(stored as 1 and 0, read back as ints).

The ``db`` global is a table too, whose store, :class:`DatabaseStore`, maps a name to
its persistent table. A table is added to the file's schema on its first write;
reading one that was never written finds it empty.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from carrot.runtime.errors import CarrotRuntimeError
from carrot.runtime.tables import table_key
from carrot.runtime.values import Table, type_name
from vdbe.keyinfo import KeyInfo
from vdbe.record import encode_record
from vdbe.storage import Database
from vdbe.values import compare

from carrot_txn.errors import database_errors
from carrot_txn.schema import (
    Layout,
    SchemaError,
    check_name,
    create_table,
    find_table,
    fold,
    schema_rows,
)

#: key-value tables' records (key, value), compared on their first field (the key) only:
#: BINARY collation, ascending, so ints come before strings, as Carrot orders keys
KEY_INFO = KeyInfo(n_key_fields=1, collations=["BINARY"], descending=[False])

#: rowid tables' unique index on key: records (key, rowid), compared on key alone
KEY_INDEX_INFO = KEY_INFO


# --8<-- [start:scalar]
def stored_value(value: object) -> int | float | str:
    """What a persistent table stores for a Carrot value: scalars only, bools as 1/0."""
    # exercise-start: txn-persistent-scalars
    t = type(value)
    if t is bool:
        return int(value)  # type: ignore[arg-type]
    if t is float and value != value:
        raise CarrotRuntimeError("persistent tables cannot hold NaN (SQLite stores it as NULL)")
    if t is int or t is float or t is str:
        return value  # type: ignore[return-value]
    raise CarrotRuntimeError(
        "persistent tables hold only ints, floats, strings and bools, not " + type_name(value)
    )
    # exercise-end: txn-persistent-scalars


# --8<-- [end:scalar]


def read_value(value: object) -> object:
    """A value read from the file as Carrot sees it: a BLOB, which SQL may have written
    there, has no Carrot value."""
    if type(value) is bytes:
        raise CarrotRuntimeError("a persistent table holds a BLOB, which Carrot cannot read")
    return value


class PersistentStore:
    """Reads and writes persistent tables' entries in one database's B-trees."""

    def __init__(self, db: Database, on_write: Any = None) -> None:
        self.db = db
        self.on_write = on_write  # called before every change: starts a write transaction
        self.handles: dict[str, Table] = {}  # name -> the one Table value for it
        self.names: list[str] = []  # a handle's `root` is its number here, not a page
        self.layouts: dict[str, Layout] = {}  # cached; forgotten after a rollback
        self.cursors: dict[tuple[int, bool], Any] = {}  # (root, writable) -> open cursor

    def table(self, name: str) -> Table:
        """The one handle for table ``name`` (so ``db.t == db.t``, and, as table names
        are in SQL, ``db.Acct == db.acct``)."""
        try:
            check_name(name)
        except SchemaError as error:
            raise CarrotRuntimeError(str(error)) from None
        handle = self.handles.get(fold(name))
        if handle is None:
            handle = self.handles[fold(name)] = Table(len(self.names), self)
            self.names.append(name)
        return handle

    def reset_cursors(self) -> None:
        """Forget cached layouts and cursors: the transaction that made them is over, and
        a rollback may even have undone a CREATE TABLE."""
        self.layouts.clear()
        self.cursors.clear()

    def cursor(self, root: int, writable: bool = False, key_info: Any = None) -> Any:
        """A cursor on the B-tree at ``root``, kept open for the rest of the transaction."""
        cursor = self.cursors.get((root, writable))
        if cursor is None:
            cursor = self.db.cursor(root, writable=writable, index_key_info=key_info)
            self.cursors[(root, writable)] = cursor
        return cursor

    # --- layouts ----------------------------------------------------------------------------
    def layout(self, table: Table, create: bool = False) -> Layout | None:
        name = self.names[table.root]
        layout = self.layouts.get(name)
        if layout is None:
            try:
                layout = find_table(self.db, name)
            except SchemaError as error:
                raise CarrotRuntimeError(str(error)) from None
            if layout is None and create:
                layout = create_table(self.db, name)
            if layout is not None:
                self.layouts[name] = layout
        return layout

    def _write_layout(self, table: Table) -> Layout:
        if self.on_write is not None:
            self.on_write()
        layout = self.layout(table, create=True)
        assert layout is not None
        return layout

    # --- the table operations Carrot's runtime calls ------------------------------------------
    @database_errors
    def get(self, table: Table, key: object) -> object:
        key = table_key(key)
        layout = self.layout(table)
        if layout is None:
            return None
        if layout.kind == "without_rowid":
            cursor = self.cursor(layout.root, key_info=KEY_INFO)
            if not cursor.seek([key], "eq"):
                return None
            values = cursor.key_values()  # a record shorter than the table reads as NULLs
            return read_value(values[1]) if len(values) > 1 else None
        row = self._find_row(layout, key)
        return None if row is None else read_value(row[1][layout.value_column])

    @database_errors
    def set(self, table: Table, key: object, value: object) -> None:
        key = table_key(key)
        if value is not None:
            value = stored_value(value)
        layout = self._write_layout(table)
        if layout.kind == "without_rowid":
            cursor = self.cursor(layout.root, writable=True, key_info=KEY_INFO)
            if cursor.seek([key], "eq"):
                cursor.delete()
            if value is not None:
                cursor.insert_key(encode_record([key, value]))
            return
        self._set_rowid(layout, key, value)

    @database_errors
    def next_key(self, table: Table, after: object) -> object:
        layout = self.layout(table)
        if layout is None:
            return None
        if layout.kind == "without_rowid":
            cursor = self.cursor(layout.root, key_info=KEY_INFO)
            found = cursor.first() if after is None else cursor.seek([after], "gt")
            return read_value(cursor.column(0)) if found and not cursor.eof else None
        keys = [k for k in self._sorted_keys(layout) if after is None or compare(k, after) > 0]
        return read_value(keys[0]) if keys else None

    @database_errors
    def length(self, table: Table) -> int:
        layout = self.layout(table)
        return 0 if layout is None else self.cursor(layout.root).count()

    def items(self, table: Table) -> Iterator[tuple[object, object]]:
        key = self.next_key(table, None)
        while key is not None:
            yield key, self.get(table, key)
            key = self.next_key(table, key)

    def new_table(self) -> Table:
        raise CarrotRuntimeError("persistent tables are made by naming them: db.NAME")

    # --- tables with rowids (created by real SQLite) -----------------------------------------
    def _rows(self, layout: Layout) -> Iterator[tuple[int, list]]:
        cursor = self.db.cursor(layout.root)
        found = cursor.first()
        while found and not cursor.eof:
            row = list(cursor.key_values()) + [None] * layout.n_columns
            if layout.kind == "rowid_alias":
                row[layout.key_column] = cursor.rowid()
            yield cursor.rowid(), row
            found = cursor.next()

    def _find_row(self, layout: Layout, key: object) -> tuple[int, list] | None:
        if layout.kind == "rowid_alias":
            if type(key) is not int:
                return None
            cursor = self.db.cursor(layout.root)
            if not cursor.seek_rowid(key):
                return None
            row = list(cursor.key_values()) + [None] * layout.n_columns
            row[layout.key_column] = key
            return key, row
        if layout.index_root is not None:
            index = self.db.cursor(layout.index_root, index_key_info=KEY_INDEX_INFO)
            if not index.seek([key], "eq"):
                return None
            rowid = index.key_values()[-1]
            cursor = self.db.cursor(layout.root)
            cursor.seek_rowid(rowid)
            return rowid, list(cursor.key_values()) + [None] * layout.n_columns
        for rowid, row in self._rows(layout):
            if type(row[layout.key_column]) is type(key) and row[layout.key_column] == key:
                return rowid, row
        return None

    def _sorted_keys(self, layout: Layout) -> list:
        keys = [row[layout.key_column] for _rowid, row in self._rows(layout)]
        keys = [k for k in keys if type(k) is int or type(k) is str]
        return sorted(keys, key=_carrot_order)

    def _set_rowid(self, layout: Layout, key: Any, value: object) -> None:
        if layout.kind == "rowid_alias" and type(key) is not int:
            raise CarrotRuntimeError(f"table '{layout.name}' takes only int keys")
        existing = self._find_row(layout, key)
        table = self.db.cursor(layout.root, writable=True)
        if existing is not None:
            rowid, row = existing
            if value is None:
                table.seek_rowid(rowid)
                table.delete()
                self._index_delete(layout, key, rowid)
                return
            row = row[: layout.n_columns]
            row[layout.value_column] = value
            if layout.kind == "rowid_alias":
                row[layout.key_column] = None
            table.insert(rowid, encode_record(row))
            return
        if value is None:
            return
        row = [None] * layout.n_columns
        row[layout.value_column] = value
        if layout.kind == "rowid_alias":
            table.insert(key, encode_record(row))
            return
        row[layout.key_column] = key
        rowid = table.insert(None, encode_record(row))
        if layout.index_root is not None:
            index = self.db.cursor(layout.index_root, writable=True, index_key_info=KEY_INDEX_INFO)
            index.insert_key(encode_record([key, rowid]))

    def _index_delete(self, layout: Layout, key: object, rowid: int) -> None:
        if layout.index_root is None:
            return
        index = self.db.cursor(layout.index_root, writable=True, index_key_info=KEY_INDEX_INFO)
        if index.seek([key, rowid], "eq"):
            index.delete()


def _carrot_order(key: int | str) -> tuple[int, int | str]:
    return (0, key) if type(key) is int else (1, key)


class DatabaseStore:
    """The store behind the ``db`` global: each key names a persistent table."""

    def __init__(self, tables: PersistentStore) -> None:
        self.tables = tables
        self.db_table = Table(0, self)

    def get(self, table: Table, key: object) -> object:
        if type(key) is not str:
            raise CarrotRuntimeError("persistent tables are named by strings: db.NAME")
        return self.tables.table(key)

    def set(self, table: Table, key: object, value: object) -> None:
        raise CarrotRuntimeError(
            f"cannot assign to db.{key}: assign to its keys instead (db.{key}[k] = v)"
        )

    def next_key(self, table: Table, after: object) -> object:
        names = sorted(self._names())
        later = [n for n in names if after is None or n > after]  # type: ignore[operator]
        return later[0] if later else None

    def length(self, table: Table) -> int:
        return len(self._names())

    def items(self, table: Table) -> Iterator[tuple[object, object]]:
        for name in sorted(self._names()):
            yield name, self.tables.table(name)

    @database_errors
    def _names(self) -> list[str]:
        return [
            row[1]
            for row in schema_rows(self.tables.db)
            if row[0] == "table" and not str(row[1]).startswith("sqlite_")
        ]
