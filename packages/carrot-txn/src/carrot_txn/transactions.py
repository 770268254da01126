"""Savepoints for transactional calls, in both databases that hold Carrot data.

Every call of a ``txn fn`` opens one savepoint in each database that holds Carrot
data: the in-memory database of ordinary tables and the database of persistent
tables. A savepoint is a mark: in the persistent database's journal (the pages as they
were when it opened), in the in-memory database's undo log (the values as they were).
``abort`` rolls both databases back to their marks and puts the globals back as they
were; a normal return releases the marks, and when the outermost call
returns, the persistent database commits, so its changes are durable.

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
    """One active transactional call: its savepoint name and the globals it began with."""

    savepoint: str
    globals: dict[str, Any]


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

    def databases(self) -> tuple[Database, Database]:
        return (self.memory, self.persistent)

    # --8<-- [start:calls]
    @database_errors
    def begin_call(self) -> None:
        """A transactional call starts: mark both databases, remember the globals."""
        name = f"carrot_txn_{len(self.calls)}"
        for db in self.databases():
            db.savepoint(name)
        self.calls.append(OpenCall(name, self.runtime.snapshot_globals()))

    @database_errors
    def commit_call(self) -> None:
        """It returned: keep its changes; the outermost call makes them durable."""
        call = self.calls.pop()
        for db in self.databases():
            db.release(call.savepoint)
        if not self.calls:
            self.commit_persistent()

    @database_errors
    def abort_call(self) -> None:
        """``abort``: undo every change since the call began, in tables and globals."""
        # exercise-start: txn-abort
        call = self.calls.pop()
        for db in self.databases():
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
        """Before the first change to persistent data: take the write lock."""
        if not self.persistent.in_write_transaction:
            self.persistent.begin(write=True)
