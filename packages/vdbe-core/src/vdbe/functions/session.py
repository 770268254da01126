"""Functions that report on the connection running the statement.

They read what `vdbe.connection.Connection` keeps between statements; a VM run
without a connection (`vdbe run`, a bare `VM(program)`) has nothing to report, so they
return what a fresh SQLite connection would: 0.
"""

from __future__ import annotations

from vdbe.errors import SqlError


def _connection(vm):
    return getattr(vm, "connection", None)


def changes(*, vm) -> int:
    """Rows changed by the last INSERT, UPDATE or DELETE that finished (sqlite3_changes)."""
    connection = _connection(vm)
    return connection.changes if connection is not None else 0


def total_changes(*, vm) -> int:
    """Rows changed since the connection opened (sqlite3_total_changes)."""
    connection = _connection(vm)
    return connection.total_changes if connection is not None else 0


def last_insert_rowid(*, vm) -> int:
    """The rowid of the most recent successful INSERT into a rowid table: one by this
    statement (or by the trigger running it) if there was one, as SQLite sets it at once."""
    rowid = getattr(vm, "last_rowid", None)
    if rowid is not None:
        return rowid
    connection = _connection(vm)
    return connection.last_insert_rowid if connection is not None else 0


def sqlite_attach(filename, name, key, *, vm) -> None:
    """ATTACH filename AS name: open another database on the running connection."""
    _needs_connection(vm, "ATTACH").attach(_text(filename), _text(name))


def sqlite_detach(name, *, vm) -> None:
    """DETACH name: close an attached database."""
    _needs_connection(vm, "DETACH").detach(_text(name))


def _needs_connection(vm, what: str):
    connection = _connection(vm)
    if connection is None:
        raise SqlError(f"{what} needs a connection (vdbe shell, vdbe sql or vdbe.dbapi)")
    return connection


def _text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, bytes):
        return value.decode("utf-8", "replace")
    return str(value)
