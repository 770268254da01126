"""Finding and creating persistent tables in the file's schema.

Every SQLite database has a schema table on page 1, ``sqlite_schema``, with one row
``(type, name, tbl_name, rootpage, sql)`` per table and index. Carrot reads it with its
own B-tree cursors and writes to it the way SQLite's ``CREATE TABLE`` program does: make
a new B-tree, add its row, and bump the schema cookie so every other connection (the
sqlite3 shell included) knows to read the schema again.

A table Carrot creates is::

    CREATE TABLE name(key PRIMARY KEY, value) WITHOUT ROWID

A WITHOUT ROWID table is stored as an index B-tree whose records are the primary key
followed by the other columns, ``(key, value)``, in key order: ints before strings, each
ascending, exactly Carrot's iteration order. Tables that real SQLite created with columns
``key`` and ``value`` work too (see :class:`Layout`).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from vdbe.record import encode_record
from vdbe.storage import Database

SCHEMA_ROOT = 1
SCHEMA_COOKIE = 1  # meta value 1: bumped on every schema change


@dataclass
class Layout:
    """Where a persistent table's entries live and in what shape.

    ``kind`` is one of:

    * ``"without_rowid"``: records ``(key, value)`` in an index B-tree at ``root``;
    * ``"rowid"``: a rowid table at ``root`` whose records hold the ``key`` and ``value``
      columns at ``key_column`` and ``value_column``; ``index_root`` is a unique index
      on ``key`` (records ``(key, rowid)``), or ``None``: then lookups scan the table;
    * ``"rowid_alias"``: ``key INTEGER PRIMARY KEY``: the key *is* the rowid (ints only).
    """

    name: str
    kind: str
    root: int
    key_column: int = 0
    value_column: int = 1
    n_columns: int = 2
    index_root: int | None = None


class SchemaError(Exception):
    """A table of that name exists but is not one Carrot can use."""


def schema_rows(db: Database) -> list[list]:
    """Every row of ``sqlite_schema``: ``[type, name, tbl_name, rootpage, sql]``."""
    cursor = db.cursor(SCHEMA_ROOT)  # a new, empty file reads as an empty schema
    rows = []
    found = cursor.first()
    while found and not cursor.eof:
        rows.append((list(cursor.key_values()) + [None] * 5)[:5])
        found = cursor.next()
    return rows


def fold(name: str) -> str:
    """SQL names compare without regard to ASCII case: ``Acct`` and ``acct`` are one."""
    return name.translate(_ASCII_LOWER)


_ASCII_LOWER = str.maketrans("ABCDEFGHIJKLMNOPQRSTUVWXYZ", "abcdefghijklmnopqrstuvwxyz")


def check_name(name: str) -> None:
    """Refuse names that would make the file's schema unreadable to SQLite."""
    if not name:
        raise SchemaError("a persistent table needs a name")
    if "\0" in name:
        raise SchemaError("a persistent table's name cannot contain a NUL character")
    if fold(name).startswith("sqlite_"):
        raise SchemaError(f"table names starting with 'sqlite_' are reserved by SQLite: {name}")


def find_table(db: Database, name: str) -> Layout | None:
    """The layout of table ``name`` (case-insensitive, as SQL names are), or None."""
    rows = schema_rows(db)
    for kind, row_name, _tbl, root, sql in rows:
        if not isinstance(row_name, str) or fold(row_name) != fold(name):
            continue
        if kind != "table":
            raise SchemaError(f"'{row_name}' is the name of an {kind}, not of a table")
        indexes = [r for r in rows if r[0] == "index" and fold(str(r[2])) == fold(name)]
        return layout_of(row_name, root, sql or "", indexes)
    return None


def create_table(db: Database, name: str) -> Layout:
    """Create ``name(key PRIMARY KEY, value) WITHOUT ROWID``; the caller holds a write txn."""
    # exercise-start: txn-create-table
    sql = f"CREATE TABLE {quote_name(name)}(key PRIMARY KEY, value) WITHOUT ROWID"
    root = db.create_btree("index")
    schema = db.cursor(SCHEMA_ROOT, writable=True)
    schema.insert(None, encode_record(["table", name, name, root, sql]))
    db.set_cookie(SCHEMA_COOKIE, db.get_meta(SCHEMA_COOKIE) + 1)
    return Layout(name, "without_rowid", root)
    # exercise-end: txn-create-table


def quote_name(name: str) -> str:
    """An SQL identifier for ``name``: double quotes, inner quotes doubled."""
    return '"' + name.replace('"', '""') + '"'


# --- reading a CREATE TABLE statement ---------------------------------------------------------

_NAME = r'(?:"(?:[^"]|"")*"|\[[^\]]*\]|`[^`]*`|\w+)'


def layout_of(name: str, root: int, sql: str, indexes: list[list]) -> Layout:
    """Work out how a ``key``/``value`` table is stored from its CREATE TABLE text."""
    columns = column_definitions(sql)
    names = [unquote(column.split()[0]).lower() for column in columns if column.split()]
    if sorted(names) != ["key", "value"]:
        raise SchemaError(
            f"table '{name}' has columns {', '.join(names) or '(none)'}; "
            "Carrot uses tables with exactly the columns key and value"
        )
    key_column, value_column = names.index("key"), names.index("value")
    key_definition = columns[key_column].upper()
    if re.search(r"\bWITHOUT\s+ROWID\b", sql.upper().rsplit(")", 1)[-1]):
        return Layout(name, "without_rowid", root)
    if re.search(r"\bINTEGER\s+PRIMARY\s+KEY\b", key_definition):
        return Layout(name, "rowid_alias", root, key_column, value_column)
    index_root = key_index_root(name, indexes, key_definition)
    return Layout(name, "rowid", root, key_column, value_column, len(names), index_root)


def key_index_root(table: str, indexes: list[list], key_definition: str) -> int | None:
    """The root of a unique index on ``key`` alone; no other index may exist."""
    key_index = None
    for _kind, index_name, _tbl, index_root, index_sql in indexes:
        if index_sql is None:  # an automatic index: from PRIMARY KEY or UNIQUE on a column
            on_key = re.search(r"\b(PRIMARY\s+KEY|UNIQUE)\b", key_definition) is not None
        else:
            match = re.search(r"\((.*)\)\s*$", index_sql.strip(), re.S)
            listed = match.group(1) if match else ""
            cols = [unquote(c.split()[0]).lower() for c in listed.split(",") if c.split()]
            on_key = cols == ["key"] and "UNIQUE" in index_sql.upper().split("INDEX")[0]
        if not on_key or key_index is not None:
            raise SchemaError(
                f"table '{table}' has an index ({index_name}) that Carrot cannot keep up to date"
            )
        key_index = index_root
    return key_index


def column_definitions(sql: str) -> list[str]:
    """The comma-separated items between the outer parentheses, constraints dropped."""
    start, end = sql.find("("), sql.rfind(")")
    body = sql[start + 1 : end] if start >= 0 and end > start else ""
    items, depth, current = [], 0, []
    for ch in body:
        if ch == "," and depth == 0:
            items.append("".join(current).strip())
            current = []
            continue
        depth += (ch == "(") - (ch == ")")
        current.append(ch)
    items.append("".join(current).strip())
    constraint = re.compile(r"^(CONSTRAINT|PRIMARY|UNIQUE|CHECK|FOREIGN)\b", re.I)
    return [item for item in items if item and not constraint.match(item)]


def unquote(word: str) -> str:
    if word[:1] in '"[`' and len(word) >= 2:
        return word[1:-1].replace('""', '"')
    return word
