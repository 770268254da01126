"""MemCursor: the B-tree cursor interface of `BtreeCursor`, on a `MemTree`.

The VM's temporary trees (OpenEphemeral, OpenAutoindex: DISTINCT, IN lists, ORDER BY
into a subquery, materialised views, CTE queues) live in a `MemoryDatabase`; their
cursors answer the same calls a file's cursor does, so the opcodes cannot tell them
apart. What a cell holds differs:

- a **table tree** maps a rowid to the row's record bytes;
- an **index tree** maps a *sort key* to `(decoded values, record bytes)`. The sort key
  is built once, when the entry is inserted, so a search compares Python objects
  instead of decoding a record per comparison. With every field ascending, BINARY
  text and NULLs first (most temporary indexes), it is a tuple Python already orders
  as SQLite does (`_sort_key`); otherwise it is a `RecordKey` comparing with the
  index's `KeyInfo`, collations and all.

A cursor remembers the key it is on, and the leaf and index where it found it, until
the tree changes: then the next move searches for its key again. A cursor whose entry
was deleted moves, on `next()`, to the entry after it, as a file cursor does.
"""

from __future__ import annotations

from typing import Any

from vdbe.keyinfo import KeyInfo
from vdbe.record import compare_keys, decode_record, decode_value, field_offsets, record_header

from .cursor import _AFTER_EVERY_FIELD, _plain_order, _sort_key
from .memtree import MemTree, Page

_BEFORE, _AFTER = -1, 1 << 30  # ties of a probe: before or after every equal prefix


class RecordKey:
    """An index key compared under a `KeyInfo` (collations, DESC, NULLS LAST).

    Keys that agree on every field they both have are ordered by `tie`: a stored key's
    field count (a shorter key first, as a file's index orders them), or for a search
    probe, before or after every stored key that starts with it.
    """

    __slots__ = ("values", "key_info", "tie")

    def __init__(self, values: list, key_info: KeyInfo, tie: int) -> None:
        self.values = values
        self.key_info = key_info
        self.tie = tie

    def _compare(self, other: RecordKey) -> int:
        c = compare_keys(self.values, other.values, self.key_info)
        return c if c else (self.tie > other.tie) - (self.tie < other.tie)

    def __lt__(self, other: RecordKey) -> bool:
        return self._compare(other) < 0

    def __eq__(self, other: object) -> bool:
        return isinstance(other, RecordKey) and self._compare(other) == 0

    __hash__ = None  # type: ignore[assignment]


class MemCursor:
    """A position in one in-memory table or index tree, and the changes made through it."""

    def __init__(self, tree: MemTree, *, intkey: bool, key_info: KeyInfo | None = None) -> None:
        self.tree = tree
        self.intkey = intkey
        self.key_info = key_info if key_info is not None else KeyInfo(0)
        self._plain = not intkey and _plain_order(self.key_info)
        self.eof = True
        self._key: Any = None  # the tree key of the current entry
        self._value: Any = None  # its value when the cursor got there
        self._page: Page | None = None
        self._i = 0
        self._changes = -1  # the tree's change count when _page and _i were right

    # --- keys ------------------------------------------------------------------------------
    def _index_key(self, values: list, tie: int) -> Any:
        """The tree key for index values: stored (tie = field count) or a probe."""
        if self._plain:
            key = _sort_key(values)
            return key + _AFTER_EVERY_FIELD if tie == _AFTER else key
        return RecordKey(values, self.key_info, tie)

    # --- positioning -----------------------------------------------------------------------
    def _at(self, page: Page | None, i: int) -> bool:
        if page is None:
            self.eof = True
            self._page = None
            return False
        self.eof = False
        self._page, self._i = page, i
        self._key, self._value = page.keys[i], page.values[i]
        self._changes = self.tree.changes
        return True

    def first(self) -> bool:
        page = self.tree.first_leaf()
        return self._at(page if page.keys else None, 0)

    def last(self) -> bool:
        page = self.tree.last_leaf()
        return self._at(page if page.keys else None, len(page.keys) - 1)

    def next(self) -> bool:
        if self.eof:
            return False
        page, i = self._page, self._i + 1
        if self._changes == self.tree.changes and page is not None and i < len(page.keys):
            return self._at(page, i)
        return self._at(*self.tree.find_after(self._key, True))

    def prev(self) -> bool:
        if self.eof:
            return False
        page, i = self._page, self._i - 1
        if self._changes == self.tree.changes and page is not None and i >= 0:
            return self._at(page, i)
        return self._at(*self.tree.find_before(self._key, True))

    def seek_rowid(self, rowid: int) -> bool:
        """Position at `rowid` (or the entry after it); True if it exists."""
        return self.seek(rowid, "eq")

    def seek(self, key: Any, op: str = "ge") -> bool:
        """Position by key (a rowid, or index values that may be a prefix of the stored
        keys): op 'ge', 'gt', 'le', 'lt' or 'eq'; False if no such entry."""
        if op not in ("ge", "gt", "le", "lt", "eq"):
            raise ValueError(f"bad seek op {op!r}")
        found = self._at(*self._find(key, op))
        if op != "eq" or not found:
            return found
        return self._key == key if self.intkey else self._prefix_equal(key)

    def _find(self, key: Any, op: str) -> tuple[Page | None, int]:
        tree = self.tree
        if self.intkey:
            if op in ("ge", "gt", "eq"):
                return tree.find_after(key, op == "gt")
            return tree.find_before(key, op == "lt")
        # an index probe sorts before (ge, eq, lt) or after (gt, le) every stored key
        # that starts with it, so it never equals one, and strictness is settled
        before = op in ("ge", "eq", "lt")
        probe = self._index_key(list(key), _BEFORE if before else _AFTER)
        if op in ("ge", "gt", "eq"):
            return tree.find_after(probe, False)
        return tree.find_before(probe, True)

    def _prefix_equal(self, key: Any) -> bool:
        return compare_keys(self._value[0], list(key), self.key_info) == 0

    # --- reading the current entry ---------------------------------------------------------
    def _current(self) -> Any:
        if self.eof:
            raise ValueError("cursor is not on an entry")
        if self._changes != self.tree.changes:  # the tree changed: read the entry again
            value = self.tree.get(self._key, self._value)
            self._value = value
        return self._value

    def rowid(self) -> int:
        if self.intkey:
            self._current()
            return self._key
        return self._current()[0][-1]

    def payload(self) -> bytes:
        value = self._current()
        return value if self.intkey else value[1]

    def key_values(self) -> list:
        value = self._current()
        return decode_record(value) if self.intkey else value[0]

    def column(self, i: int) -> Any:
        if not self.intkey:
            values = self._current()[0]
            return values[i] if i < len(values) else None
        record = self._current()
        types, body = record_header(record)
        if i >= len(types):
            return None
        return decode_value(record, field_offsets(types, body)[i], types[i])

    def count(self) -> int:
        return self.tree.count

    def row_count_estimate(self) -> int:
        """An in-memory tree knows its size exactly."""
        return self.tree.count

    def max_rowid(self) -> int:
        return self.tree.last_key() or 0

    # --- changing the tree -----------------------------------------------------------------
    def insert(self, rowid: int | None, payload: bytes) -> int:
        """Insert (or replace) row `rowid` of a table tree; returns the rowid used."""
        if rowid is None:
            rowid = self.max_rowid() + 1
        self._put(rowid, bytes(payload))
        return rowid

    def insert_key(self, record: bytes) -> None:
        """Insert an index record (an equal key already present is replaced)."""
        record = bytes(record)
        values = decode_record(record)
        self._put(self._index_key(values, len(values)), (values, record))

    def _put(self, key: Any, value: Any) -> None:
        self.tree.put(key, value)
        self._key, self._value, self.eof = key, value, False
        self._changes = -1  # found again when the cursor next moves

    def delete(self) -> None:
        """Delete the current entry; the next `next()` goes to the entry after it."""
        self._current()
        self.tree.remove(self._key)
        self._changes = -1
