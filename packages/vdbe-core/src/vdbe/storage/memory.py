"""MemoryDatabase: in-memory trees with savepoints, and no pager, journal or locks.

A file database needs its pager to cache pages, its journal to survive a crash and its
locks to share the file. A database that lives in one process's memory needs none of
that: its trees are `MemTree`s, and its transactions are savepoints on one `UndoLog`
shared by every tree it made. Opening a savepoint costs a mark; rolling back costs the
changes made since; releasing the outermost one forgets the log.

The database does not keep its trees: whoever asked for a tree owns it, and when the
owner goes, the tree goes with it (the undo log refers to a tree only while a savepoint
open in its time is still open).
"""

from __future__ import annotations

from vdbe.errors import VdbeError

from .memtree import DEFAULT_CAPACITY, MemTree, UndoLog


class MemoryDatabase:
    """Trees in memory, transactional through savepoints (`savepoint`, `rollback_to`,
    `release`); `begin`, `commit` and `rollback` act on the whole stack of them."""

    path = None

    def __init__(self, *, capacity: int = DEFAULT_CAPACITY) -> None:
        self.log = UndoLog()
        self.capacity = capacity

    def tree(self) -> MemTree:
        """A new empty tree whose changes this database's savepoints can undo."""
        return MemTree(self.log, self.capacity)

    # --- transactions: savepoints on the undo log ------------------------------------------
    @property
    def in_transaction(self) -> bool:
        return bool(self.log.marks)

    in_write_transaction = in_transaction

    def begin(self, write: bool = False) -> None:
        """Nothing to lock: trees change whenever their owner changes them."""

    def savepoint(self, name: str) -> None:
        self.log.open(name)

    def release(self, name: str) -> None:
        """Forget savepoint `name` and those inside it; the changes stay."""
        self.log.release(self._find(name))

    def rollback_to(self, name: str) -> None:
        """Undo everything since savepoint `name` began; the savepoint stays open."""
        self.log.rollback_to(self._find(name))

    def commit(self) -> None:
        if self.log.marks:
            self.log.release(0)

    def rollback(self) -> None:
        if self.log.marks:
            self.log.rollback_to(0)
            self.log.release(0)

    def close(self) -> None:
        self.rollback()

    def _find(self, name: str) -> int:
        try:
            return self.log.find(name)
        except KeyError:
            raise VdbeError(f"no such savepoint: {name}") from None
