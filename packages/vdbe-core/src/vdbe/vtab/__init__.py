"""Virtual tables: tables whose rows a Python object computes instead of a B-tree.

SQLite's table-valued functions (`SELECT * FROM json_each('[1,2]')`) are virtual tables:
the compiler plans the query by asking the module which constraints it can use, and
the program then drives a cursor through five calls, one per opcode:

    VOpen      module.open()                  a new cursor
    VFilter    cursor.filter(idx_num, args)   start a scan with the function's arguments
    VColumn    cursor.column(i)               a column of the current row
    VNext      cursor.next()                  move on; cursor.eof() says when it is done
    Rowid      cursor.rowid()                 the current row's rowid

This is the place to add a table-valued function: write a class with a `name`, the
`columns` SQLite declared for it (the hidden argument columns last), and an `open()`
returning a `VirtualCursor`; then list it in `MODULES`. Real SQLite must know the
function too, since it compiles the statements: it names the module in VOpen's P4
(`vtab:json_each`).
"""

from __future__ import annotations

from vdbe.values import Value


# --8<-- [start:interface]
class VirtualCursor:
    """A scan over a virtual table; the methods SQLite's sqlite3_module has for cursors."""

    def filter(self, idx_num: int, idx_str: str | None, args: list[Value]) -> None:
        """Start a scan. `idx_num` and `idx_str` are the plan the compiler chose, `args`
        the values of the constraints that plan uses (for a table-valued function, the
        arguments of the call)."""
        raise NotImplementedError

    def eof(self) -> bool:
        """Is the scan past its last row?"""
        raise NotImplementedError

    def next(self) -> None:
        """Move to the next row."""
        raise NotImplementedError

    def column(self, i: int) -> Value:
        """The value of column `i` of the current row."""
        raise NotImplementedError

    def rowid(self) -> int:
        """The rowid of the current row."""
        raise NotImplementedError


# --8<-- [end:interface]


# The modules, by the name SQL calls them (imported last: they build on VirtualCursor).
from vdbe.functions import jsonrelease  # noqa: E402
from vdbe.vtab.json import JsonbEach, JsonbTree, JsonEach, JsonTree  # noqa: E402

_JSON_TABLES = (JsonEach, JsonTree) + ((JsonbEach, JsonbTree) if jsonrelease.JSONB_EACH else ())
MODULES: dict[str, object] = {module.name: module() for module in _JSON_TABLES}
