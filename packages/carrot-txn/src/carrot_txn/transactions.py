"""Savepoints for transactional calls, in both databases that hold Carrot data.

Every call of a ``txn fn`` opens a savepoint in each database that holds Carrot data:
the in-memory database of ordinary tables and the database of persistent tables. A
savepoint is a mark: in the persistent database's journal (the pages as they were when
it opened), in the in-memory database's undo log (the values as they were). ``abort``
rolls both databases back to their marks and puts the globals back as they were; a
normal return releases the marks, and when the outermost call returns, the persistent
database commits, so its changes are durable.

A call pays only for what it uses. The persistent database's savepoint of a call is
opened when the call first changes a persistent table, not before: a call that changes
only ordinary tables never touches the persistent database. The one exception is a
database file, which other processes may write too: there the savepoint opens when
the call begins, taking the write lock, so that what the call reads of persistent
tables cannot change under it before it writes.

Calls nest, and so do their savepoints: the stack below holds one entry per active
transactional call, innermost last.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from vdbe.storage import Database

from carrot_txn.errors import database_errors


@dataclass
class OpenCall:
    """One active transactional call: its savepoint name, the globals it began with,
    and whether the persistent database has its savepoint yet."""

    savepoint: str
    globals: dict[str, Any]
    persistent: bool = False


class Transactions:
    """The stack of active transactional calls of one running Carrot program."""

    def __init__(self, runtime: Any, persistent: Database) -> None:
        self.runtime = runtime
        self.persistent = persistent
        self.calls: list[OpenCall] = []
        self.stores: list[Any] = []  # stores whose cursors a rollback invalidates

    @property
    def memory(self) -> Database:
        return self.runtime.store.db

    def databases(self, call: OpenCall) -> list[Database]:
        """The databases holding a savepoint of ``call``: the one in memory always, the
        persistent one once the call has marked it."""
        return [self.memory, self.persistent] if call.persistent else [self.memory]

    # --8<-- [start:calls]
    @database_errors
    def begin_call(self) -> None:
        """A transactional call starts: mark the tables in memory, remember the globals
        (and mark a persistent database file, locking it)."""
        name = f"carrot_txn_{len(self.calls)}"
        self.memory.savepoint(name)
        self.calls.append(OpenCall(name, self.runtime.snapshot_globals()))
        if self.persistent.path is not None:
            if len(self.calls) == 1:
                self.end_read()
            self.mark_persistent()

    def mark_persistent(self) -> None:
        """Open the persistent database's savepoint of every call that has none yet,
        outermost first: none of them has changed a persistent table so far."""
        for call in self.calls:
            if not call.persistent:
                self.persistent.savepoint(call.savepoint)
                call.persistent = True

    @database_errors
    def commit_call(self) -> None:
        """It returned: keep its changes; the outermost call makes them durable."""
        call = self.calls.pop()
        for db in self.databases(call):
            db.release(call.savepoint)
        if not self.calls:
            self.commit_persistent()

    @database_errors
    def abort_call(self) -> None:
        """``abort``: undo every change since the call began, in tables and globals."""
        # exercise-start: txn-abort
        call = self.calls.pop()
        for db in self.databases(call):
            db.rollback_to(call.savepoint)
            db.release(call.savepoint)
        self.runtime.restore_globals(call.globals)
        self.forget_cursors()
        # exercise-end: txn-abort

    # --8<-- [end:calls]

    def abort_all(self) -> None:
        """A runtime error unwinds every open call: undo them all, innermost first.

        The persistent changes of the failing top-level statement are not committed
        either: the statement never completed.
        """
        while self.calls:
            self.abort_call()
        if self.persistent.in_transaction:
            self.persistent.rollback()
            self.forget_cursors()

    # --8<-- [start:statement]
    @database_errors
    def end_statement(self) -> None:
        """A top-level statement completed: outside calls, commit what it changed."""
        if not self.calls:
            self.commit_persistent()

    # --8<-- [end:statement]

    def end_read(self) -> None:
        """End a read transaction the statement has left open (a loop's condition read
        the database, say). Its savepoint makes a call a writer: upgrading a reader while
        another process writes fails at once (SQLite's rule against deadlock), while a
        call that starts from no lock waits its turn."""
        if self.persistent.in_transaction and not self.persistent.in_write_transaction:
            self.commit_persistent()

    def commit_persistent(self) -> None:
        if self.persistent.in_transaction:
            self.persistent.commit()
            self.forget_cursors()

    def forget_cursors(self) -> None:
        """The persistent stores' cached layouts and cursors belong to the transaction that
        just ended (in-memory tables cache none)."""
        for store in self.stores:
            store.reset_cursors()

    @database_errors
    def start_write(self) -> None:
        """Before every change to persistent data: the open calls' savepoints, and the
        write lock."""
        if self.calls and not self.calls[-1].persistent:
            self.mark_persistent()
        if not self.persistent.in_write_transaction:
            self.persistent.begin(write=True)
