"""MemoryDatabase: in-memory trees with savepoints, and no pager, journal or locks.

A file database needs its pager to cache pages, its journal to survive a crash and its
locks to share the file. A database that lives in one process's memory needs none of
that: its trees are `MemTree`s, and its transactions are savepoints on one `UndoLog`
shared by every tree it made. Opening a savepoint costs a mark; rolling back costs the
changes made since; releasing the outermost one forgets the log.

Trees come two ways. `tree()` hands one to its owner and forgets it: when the owner
goes, the tree goes with it (the undo log refers to a tree only while a savepoint open
in its time is still open); Carrot's tables are made so. `create_btree()` keeps the
tree under a root number, as a file numbers its trees by root page, because SQL
programs name trees by number: the VM's temporary tables are made so, and `cursor()`
opens a `MemCursor` on one.
"""

from __future__ import annotations

from vdbe.errors import VdbeError

from .memcursor import MemCursor
from .memtree import DEFAULT_CAPACITY, MemTree, UndoLog


class MemoryDatabase:
    """Trees in memory, transactional through savepoints (`savepoint`, `rollback_to`,
    `release`); `begin`, `commit` and `rollback` act on the whole stack of them."""

    path = None

    def __init__(self, *, capacity: int = DEFAULT_CAPACITY) -> None:
        self.log = UndoLog()
        self.capacity = capacity
        self._trees: dict[int, tuple[MemTree, bool]] = {}  # root -> (tree, is a table)
        self._next_root = 2  # as in a file, where page 1 holds the schema

    def tree(self) -> MemTree:
        """A new empty tree whose changes this database's savepoints can undo."""
        return MemTree(self.log, self.capacity)

    # --- numbered trees, for SQL programs ----------------------------------------------------
    def create_btree(self, kind: str = "table") -> int:
        """A new empty table (rowid) or index tree; returns its root number."""
        if kind not in ("table", "index"):
            raise ValueError(f"b-tree kind must be 'table' or 'index', not {kind!r}")
        root = self._next_root
        self._next_root += 1
        self._trees[root] = (self.tree(), kind == "table")
        return root

    def clear_btree(self, root: int) -> int:
        """Delete every entry of tree `root`; returns how many were removed."""
        tree = self._tree(root)[0]
        removed = tree.count
        tree.clear()
        return removed

    def destroy_btree(self, root: int) -> int:
        self.clear_btree(root)
        del self._trees[root]
        return 0

    def cursor(self, root: int, *, writable: bool = False, index_key_info=None) -> MemCursor:
        """A cursor on tree `root`."""
        tree, is_table = self._tree(root)
        return MemCursor(tree, intkey=is_table, key_info=index_key_info)

    def _tree(self, root: int) -> tuple[MemTree, bool]:
        try:
            return self._trees[root]
        except KeyError:
            raise VdbeError(f"no tree at root {root}") from None

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
