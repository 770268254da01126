"""Database: one database file (or an in-memory one) as the VM sees it.

It ties together the pager (pages, cache, journal, locks), the b-tree code and the cursors,
and offers what the VM's opcodes need: transactions and savepoints, creating and dropping
b-trees, the header's meta values (schema cookie and friends), and cursors.
"""

from __future__ import annotations

import weakref

from vdbe.errors import CorruptError, VdbeError

from . import autovacuum
from . import format as fmt
from .btree import Btree
from .cursor import BtreeCursor
from .format import INDEX_LEAF, TABLE_LEAF, corrupt, guarded
from .pager import WRITE, Pager


class Database:
    """A database file in the SQLite 3 format; `path=None` gives an in-memory one."""

    def __init__(
        self,
        path: str | None,
        *,
        page_size: int = 4096,
        cache_pages: int = 2000,
        vfs=None,
    ) -> None:
        self.path = path
        self.pager = Pager(path, page_size=page_size, cache_pages=cache_pages, vfs=vfs)
        self.btree = Btree(self.pager)
        self.autocommit = True
        self._cursors: dict[int, list[weakref.ref]] = {}  # root -> cursors open on it
        # every change to a tree bumps its version; commit and rollback bump the epoch.
        # A cursor that appended rows checks both to know its remembered path still holds.
        self._versions: dict[int, int] = {}
        self._epoch = 0
        self._savepoint_started_txn = False

    @classmethod
    def memory(cls, *, page_size: int = 4096) -> Database:
        """A whole database in memory, in the file's format: pages of bytes, a schema,
        transactions. (Trees that need no schema, such as the VM's temporary tables,
        live in a `MemoryDatabase` of Python objects instead.)"""
        return cls(None, page_size=page_size)

    # --- transactions -------------------------------------------------------------------------
    @property
    def in_transaction(self) -> bool:
        return self.pager.state != 0

    @property
    def in_write_transaction(self) -> bool:
        return self.pager.state == WRITE

    def begin(self, write: bool = False) -> None:
        """Start a read (SHARED lock) or write (RESERVED lock) transaction, or upgrade one."""
        if write:
            self.pager.begin_write()
        else:
            self.pager.begin_read()

    def commit(self) -> None:
        self._save_all_cursors()
        pager = self.pager
        full = pager.autovacuum and not pager.incremental
        if full and pager.state == WRITE and (pager.dirty or pager.spilled):
            self._vacuum_at_commit()
        pager.commit()
        self._savepoint_started_txn = False

    @guarded
    def _vacuum_at_commit(self) -> None:
        autovacuum.vacuum_at_commit(self.btree)

    def rollback(self) -> None:
        self._save_all_cursors(rolling_back=True)
        self.pager.rollback()
        self._savepoint_started_txn = False

    def savepoint(self, name: str) -> None:
        """Open a savepoint (starting a write transaction if none is open)."""
        if self.pager.state != WRITE:
            self._savepoint_started_txn = not self.in_transaction
            self.pager.begin_write()
        self.pager.open_savepoint(name)

    def release(self, name: str) -> None:
        """Forget savepoint `name` and those inside it; releasing the savepoint that
        started the transaction commits it."""
        index = self.pager.find_savepoint(name)
        if index == 0 and self._savepoint_started_txn:
            self.commit()
        else:
            self.pager.release_savepoint(index)

    def rollback_to(self, name: str) -> None:
        """Undo everything since savepoint `name` began; the savepoint stays open."""
        index = self.pager.find_savepoint(name)
        self._save_all_cursors(rolling_back=True)
        self.pager.rollback_to_savepoint(index)

    def close(self) -> None:
        self.pager.close()

    # --- b-trees ------------------------------------------------------------------------------
    def _require_write(self) -> None:
        if self.pager.state != WRITE:
            raise VdbeError("cannot change the database outside a write transaction")

    @guarded
    def create_btree(self, kind: str = "table") -> int:
        """A new empty table or index b-tree; returns its root page."""
        self._require_write()
        self.pager.maybe_spill()
        if kind not in ("table", "index"):
            raise ValueError(f"b-tree kind must be 'table' or 'index', not {kind!r}")
        leaf_type = TABLE_LEAF if kind == "table" else INDEX_LEAF
        if self.pager.autovacuum:
            self._save_all_cursors()  # a page of some tree may move out of the way
            return autovacuum.create_root(self.btree, leaf_type)
        return self.btree.create(leaf_type)

    @guarded
    def clear_btree(self, root: int) -> int:
        """Delete every entry of the b-tree at `root`; returns how many were removed."""
        self._require_write()
        self._before_change(root, None)
        self.pager.maybe_spill()
        return self.btree.clear(root)

    @guarded
    def destroy_btree(self, root: int) -> int:
        """Drop the b-tree at `root`, its pages go to the freelist. Returns the page number
        of a root moved to fill the gap: in an auto-vacuum database the largest root
        moves there (the program then corrects its row of sqlite_schema); else 0."""
        self._require_write()
        if root < 2:
            raise VdbeError("cannot destroy the schema table")
        self._before_change(root, None)
        self.pager.maybe_spill()
        if not self.pager.autovacuum:
            self.btree.clear(root, keep_root=False)
            return 0
        self.btree.clear(root)
        self._save_all_cursors()
        return autovacuum.drop_root(self.btree, root)

    @guarded
    def incremental_vacuum_step(self) -> bool:
        """Give one free page back to the file system (IncrVacuum): False if there was
        none, or the database is not in auto-vacuum mode."""
        self._require_write()
        self._save_all_cursors()
        return autovacuum.incremental_step(self.btree)

    @guarded
    def cursor(self, root: int, *, writable: bool = False, index_key_info=None) -> BtreeCursor:
        """A cursor on the b-tree at `root` (a read transaction is started if needed)."""
        if not self.in_transaction:
            self.begin(write=writable)
        if writable and self.pager.state != WRITE:
            self.begin(write=True)
        if root < 1 or (
            root > self.pager.page_count and not (root == 1 and self.pager.page_count == 0)
        ):
            raise corrupt()
        return BtreeCursor(self, root, writable=writable, key_info=index_key_info)

    # --- header meta values -------------------------------------------------------------------
    @guarded
    def get_meta(self, idx: int) -> int:
        """Meta value `idx` as ReadCookie numbers them: 1 schema cookie, 2 file format,
        3 default cache size, 4 largest root (autovacuum), 5 text encoding, 6 user
        version, 7 incremental vacuum, 8 application id; 0 is the free page count."""
        if not 0 <= idx <= 15:
            raise ValueError(f"no meta value {idx}")
        if not self.in_transaction:
            self.begin(False)
        return self.pager.header_u32(fmt.OFF_META + 4 * idx)

    def set_cookie(self, idx: int, value: int) -> None:
        """Change meta value `idx` (SetCookie)."""
        if not 1 <= idx <= 15:
            raise ValueError(f"no meta value {idx}")
        self._require_write()
        self.pager.set_header_u32(fmt.OFF_META + 4 * idx, value)
        if idx == fmt.META_INCREMENTAL_VACUUM and self.pager.autovacuum:
            self.pager.incremental = value != 0  # PRAGMA auto_vacuum between FULL and INCR

    @property
    def schema_cookie(self) -> int:
        return self.get_meta(fmt.META_SCHEMA_COOKIE)

    @property
    def page_size(self) -> int:
        return self.pager.page_size

    # --- cursor bookkeeping -------------------------------------------------------------------
    def _register_cursor(self, cursor: BtreeCursor) -> None:
        refs = [r for r in self._cursors.get(cursor.root, ()) if r() is not None]
        refs.append(weakref.ref(cursor))
        self._cursors[cursor.root] = refs

    def _before_change(self, root: int, writer) -> None:
        """Every other cursor on `root` saves its key before the tree changes."""
        if self.pager.state != WRITE:
            self._require_write()  # raises the error
        self._versions[root] = self._versions.get(root, 0) + 1
        refs = self._cursors.get(root)
        if refs and len(refs) > 1:
            for ref in refs:
                c = ref()
                if c is not None and c is not writer and c._valid:
                    c._save()

    def _keep_append_hints(self, root: int, deleted: int, emptied: bool) -> None:
        """A delete that changed one leaf only leaves every path to the right-most leaf
        as it was: cursors that were appending may go on (unless their last row went, and
        then only if the tree is now empty: its largest rowid is 0, its root the leaf)."""
        version = self._versions[root]
        for ref in self._cursors.get(root, ()):
            c = ref()
            hint = c._append_hint if c is not None else None
            if not hint or hint[0] != self._epoch or hint[1] != version - 1:
                continue
            if hint[2] != deleted:
                c._append_hint = (hint[0], version, hint[2], hint[3])
            elif emptied:
                c._append_hint = (hint[0], version, 0, [[root, 0]])

    def _save_all_cursors(self, rolling_back: bool = False) -> None:
        """Every open cursor remembers its key, as the trees are about to change. A
        rollback must not fail because a damaged page hides a key: such a cursor is left
        at the end instead (SQLite "trips" the cursors a rollback cannot keep)."""
        self._epoch += 1
        for refs in self._cursors.values():
            for ref in refs:
                c = ref()
                if c is not None and c._valid:
                    try:
                        c._save()
                    except CorruptError:
                        if not rolling_back:
                            raise
                        c._forget_position()

    def __enter__(self) -> Database:
        return self

    def __exit__(self, *exc) -> None:
        self.close()
