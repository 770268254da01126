"""BtreeCursor: a position in one b-tree, and the reads and writes made through it.

A cursor remembers the path from the root to its current entry: for every interior page
on the way, which child it went down. Moving to the next entry is usually just the next
cell of the same leaf; at the end of a leaf the cursor climbs until a page has a further
child and goes down its leftmost edge. In an index tree the interior cells are entries too,
visited between their two children.

When a tree changes, every other cursor on it first saves its key; on its next use it seeks
that key again. If the entry was deleted, the cursor lands on the entry after it and the
next `next()` does not move (so a delete-while-scanning loop visits every row once).
"""

from __future__ import annotations

import struct
from bisect import bisect_left, bisect_right

from vdbe.errors import CorruptError
from vdbe.keyinfo import KeyInfo
from vdbe.record import (
    FIXED_SIZES,
    compare_keys,
    decode_record,
    decode_value,
    field_offsets,
    read_field,
    record_header,
)
from vdbe.varint import read_varint, varint_at

from . import page as bp
from .btree import MAX_DEPTH
from .format import (
    INDEX_INTERIOR,
    INDEX_LEAF,
    INTERIOR_HEADER_SIZE,
    LEAF_HEADER_SIZE,
    PAGE_TYPES,
    TABLE_INTERIOR,
    TABLE_LEAF,
    corrupt,
    guarded,
    u32_at,
)

_LEAVES = (TABLE_LEAF, INDEX_LEAF)
MAX_FIELDS = 32767  # more fields than any record can have


def _fast_plan(key: list, key_info) -> list | None:
    """How to compare `key` quickly: (is_int, value or UTF-8 bytes, descending) per field,
    or None when a field needs the general rules (NULL, REAL, BLOB, a collation)."""
    plan = []
    collations = key_info.collations
    descending = key_info.descending
    for j, v in enumerate(key):
        desc = j < len(descending) and bool(descending[j])
        if type(v) is int:
            plan.append((True, v, desc))
        elif type(v) is str:
            coll = collations[j] if j < len(collations) else None
            if coll not in (None, "BINARY"):
                return None
            plan.append((False, v.encode("utf-8"), desc))
        else:
            return None
    return plan


def _plain_order(key_info) -> bool:
    """Do this index's keys sort as `_sort_key` tuples do: every field ascending, text
    in BINARY order, NULLs first?"""
    return (
        not any(key_info.descending)
        and not any(key_info.nulls_last)
        and all(c in (None, "BINARY") for c in key_info.collations)
    )


_CLASS_RANK = {type(None): 0, int: 1, float: 1, str: 2, bytes: 3}
_AFTER_EVERY_FIELD = ((9, 0),)  # a field that sorts after every _sort_key field


def _sort_key(values) -> tuple:
    """A key as a tuple that Python orders the way SQLite orders keys under `_plain_order`:
    each field becomes (storage class rank, value), NULL < numbers < text < blobs, and
    numbers compare by value whether INTEGER or REAL. A shorter key sorts first."""
    return tuple((0, 0) if v is None else (_CLASS_RANK[type(v)], v) for v in values)


class BtreeCursor:
    """Iterate, seek and change one table (rowid) or index (record key) b-tree."""

    def __init__(self, db, root: int, *, writable: bool = False, key_info=None) -> None:
        self.db = db
        self.pager = db.pager
        self.tree = db.btree
        self.root = root
        self.writable = writable
        data = self.pager.get(root)
        ptype = bp.page_type(data, bp.header_offset(root))
        self.intkey = ptype in (TABLE_LEAF, TABLE_INTERIOR)
        self.key_info = key_info if key_info is not None else KeyInfo(0)
        self._plain = not self.intkey and _plain_order(self.key_info)
        self._small = min(0x7F, (self.pager.usable - 12) * 64 // 255 - 23)
        self._path: list[list] = []  # [pgno, page, h, child index, cell count] per ancestor
        self._pg = 0
        self._data = None
        self._h = 0
        self._ptrs = 0  # where the current page's cell-pointer array starts
        self._n = 0
        self._t = ptype
        self._i = 0
        self._leaf = True
        self.eof = True
        self._valid = True
        self._saved = None
        self._skip = False
        self._after_end = False
        self._row = None
        self._types = None
        self._offs = None
        self._vals = None
        self._append_hint = None  # (epoch, tree version, rowid, path) after an append
        db._register_cursor(self)

    # --- page loading -----------------------------------------------------------------------
    def _load(self, pgno: int) -> None:
        if len(self._path) > MAX_DEPTH:
            raise corrupt()
        data = self.pager.get(pgno)
        h = 100 if pgno == 1 else 0
        t = data[h]
        if t not in PAGE_TYPES or (t in (TABLE_LEAF, TABLE_INTERIOR)) != self.intkey:
            raise corrupt()
        n = (data[h + 3] << 8) | data[h + 4]
        leaf = t in _LEAVES
        ptrs = h + (LEAF_HEADER_SIZE if leaf else INTERIOR_HEADER_SIZE)
        if ptrs + 2 * n > self.pager.usable:
            raise corrupt()
        self._pg, self._data, self._h, self._n, self._t = pgno, data, h, n, t
        self._leaf, self._ptrs = leaf, ptrs

    def _push(self, idx: int) -> None:
        """Go down to child `idx` of the current interior page (idx == n: the right child)."""
        data, h, n = self._data, self._h, self._n
        self._path.append([self._pg, data, h, idx, n])
        if idx < n:
            p = self._ptrs + 2 * idx
            self._load(u32_at(data, (data[p] << 8) | data[p + 1])[0])
        else:
            self._load(bp.right_child(data, h))

    def _pop(self) -> int:
        pg, data, h, idx, n = self._path.pop()
        self._pg, self._data, self._h, self._n = pg, data, h, n
        self._t = data[h]
        self._leaf = False
        self._ptrs = h + INTERIOR_HEADER_SIZE
        return idx

    def _moved(self) -> None:
        self._row = self._types = self._vals = None

    def _start(self) -> None:
        self._path = []
        self._valid = True
        self._skip = False
        self._after_end = False
        self._saved = None
        self.eof = False
        self._moved()
        self._load(self.root)

    def _leftmost(self) -> bool:
        while not self._leaf:
            self._push(0)
        self._i = 0
        if self._n == 0:
            if self._path:
                raise corrupt()  # only a root may be an empty leaf
            self.eof = True
            return False
        return True

    def _rightmost(self) -> bool:
        while not self._leaf:
            self._push(self._n)
        self._i = self._n - 1
        if self._n == 0:
            if self._path:
                raise corrupt()
            self.eof = True
            return False
        return True

    # --- moving -------------------------------------------------------------------------------
    @guarded
    def first(self) -> bool:
        """Go to the smallest entry; False if the tree is empty."""
        self._start()
        return self._leftmost()

    @guarded
    def last(self) -> bool:
        """Go to the largest entry; False if the tree is empty."""
        self._start()
        return self._rightmost()

    # --8<-- [start:next]
    def next(self) -> bool:
        """Go to the following entry; False (and eof) past the last one."""
        if not self._valid:
            self._restore()
        if self._skip:
            self._skip = False
            return not self.eof
        if self.eof:
            return False
        self._row = self._types = self._vals = None
        if self._leaf:
            i = self._i + 1
            if i < self._n:
                self._i = i
                return True
            return self._climb_next()
        return self._next_from_interior()

    @guarded
    def _next_from_interior(self) -> bool:
        self._push(self._i + 1)  # an index interior entry: then its right-hand subtree
        return self._leftmost()

    @guarded
    def _climb_next(self) -> bool:
        while self._path:
            idx = self._pop()
            if idx < self._n:
                if self.intkey:
                    self._push(idx + 1)
                    return self._leftmost()
                self._i = idx  # the interior cell between the two subtrees
                return True
        self.eof = True
        return False

    # --8<-- [end:next]

    @guarded
    def prev(self) -> bool:
        """Go to the preceding entry; False (and eof) before the first one."""
        if not self._valid:
            self._restore()
        self._skip = False
        if self._after_end:
            self._after_end = False
            return self.last()
        if self.eof:
            return False
        self._moved()
        if self._leaf:
            if self._i > 0:
                self._i -= 1
                return True
            while self._path:
                idx = self._pop()
                if idx > 0:
                    if self.intkey:
                        self._push(idx - 1)
                        return self._rightmost()
                    self._i = idx - 1
                    return True
            self.eof = True
            return False
        self._push(self._i)
        return self._rightmost()

    # --- seeking ------------------------------------------------------------------------------
    def _descend_rowid(self, rowid: int) -> bool:
        """Go down to the leaf position of `rowid` (first cell >= it); True if it is there.

        Interior pages are searched by bisecting the list of their divider rowids, which
        the pager keeps until the page changes (every search of the tree passes through
        them). A leaf is binary-searched in place: its rowid is the varint after each
        cell's payload size."""
        self._start()
        interior_keys = self.pager.interior_keys
        while not self._leaf:
            keys = interior_keys.get(self._pg)
            if keys is None:
                keys = self._interior_rowids()
            self._push(bisect_left(keys, rowid))
        data = self._data
        base = self._ptrs
        lo, hi = 0, self._n
        found = None  # the rowid at `hi`, the first cell known to be >= rowid
        while lo < hi:
            mid = (lo + hi) >> 1
            p = base + 2 * mid
            off = (data[p] << 8) | data[p + 1]
            while data[off] & 0x80:  # skip the payload size
                off += 1
            key = varint_at(data, off + 1)
            if key < rowid:
                lo = mid + 1
            else:
                hi, found = mid, key
        self._i = lo
        return found == rowid

    def _interior_rowids(self) -> list[int]:
        """The divider rowids of the current (table interior) page, remembered by the pager."""
        data, base = self._data, self._ptrs
        keys = []
        for p in range(base, base + 2 * self._n, 2):
            keys.append(varint_at(data, ((data[p] << 8) | data[p + 1]) + 4))
        self.pager.interior_keys[self._pg] = keys
        return keys

    def _settle(self) -> bool:
        """After a descent that ended past a leaf's last cell, move to the next entry."""
        if self._i < self._n:
            return True
        if not self._path and self._n == 0:
            self.eof = True
            return False
        self._i = self._n - 1
        return self._climb_next()

    def _fast_compare(self, i: int, plan) -> int | None:
        """Compare index cell `i` with a seek key straight from the page bytes, for the
        common fields (integers; text under BINARY). None: use the general comparison."""
        data = self._data
        p = self._ptrs + 2 * i
        r = (data[p] << 8) | data[p + 1]
        if not self._leaf:
            r += 4
        if data[r] > self._small:
            return None  # a long payload, maybe with overflow pages
        r += 1  # the record starts after the one-byte payload size
        hsize = data[r]
        if hsize >= 0x80:
            return None
        hp = r + 1
        body = r + hsize
        for is_int, want, desc in plan:
            if hp >= r + hsize:
                return None  # the record has fewer fields than the key
            t = data[hp]
            if t >= 0x80:
                return None
            hp += 1
            if is_int:
                if 1 <= t <= 6:
                    n = FIXED_SIZES[t]
                    v = int.from_bytes(data[body : body + n], "big", signed=True)
                elif t == 8 or t == 9:
                    n, v = 0, t - 8
                else:
                    return None
            elif t >= 13 and t & 1:
                n = (t - 13) >> 1
                v = bytes(data[body : body + n])
            else:
                return None
            if v != want:
                c = 1 if v > want else -1
                return -c if desc else c
            body += n
        return 0

    def _cell_key(self, i: int, fields: int = 0) -> list:
        """The decoded key of index cell `i` of the current page: its first `fields`
        values only (a seek compares no more than its key has), or all of them."""
        data = self._data
        p = self._ptrs + 2 * i
        off = (data[p] << 8) | data[p + 1]
        start = off if self._leaf else off + 4
        size = data[start]
        if size <= self._small:  # the usual case: a short key held whole in the cell
            record = data[start + 1 : start + 1 + size]
        else:
            record = self.tree.read_payload(data, off, self._t)
        if not fields:
            return decode_record(record)
        types, body = record_header(record)
        out = []
        for t in types[:fields]:
            out.append(decode_value(record, body, t))
            body += ((t - 12) >> 1) if t >= 12 else FIXED_SIZES[t] if t < 10 else 0
        return out

    def _descend_key(self, key: list, strict: bool, stop_on_equal: bool = False) -> int:
        """Go down to the first entry > key (`strict`) or >= key; return the comparison of
        the entry found (0 = equal). With `stop_on_equal`, stop at an interior equal cell."""
        self._start()
        ki = self.key_info
        nkey = len(key)
        plan = _fast_plan(key, ki)
        probe = _sort_key(key) if self._plain else None
        interior_keys = self.pager.interior_keys
        while True:
            if probe is not None and not self._leaf:
                # an interior page whose keys the pager keeps as a sorted list: bisect it
                keys, shortest = interior_keys.get(self._pg) or self._interior_index_keys()
                if shortest >= nkey:
                    if strict:
                        lo = bisect_right(keys, probe + _AFTER_EVERY_FIELD)
                    else:
                        lo = bisect_left(keys, probe)
                    if stop_on_equal and lo < self._n and keys[lo][:nkey] == probe:
                        self._i = lo
                        return 0
                    self._push(lo)
                    continue
            lo, hi = 0, self._n
            found = 1
            while lo < hi:
                mid = (lo + hi) >> 1
                c = self._fast_compare(mid, plan) if plan is not None else None
                if c is None:
                    c = compare_keys(self._cell_key(mid, nkey), key, ki)
                if c > 0 or (c == 0 and not strict):
                    hi = mid
                    found = c
                else:
                    lo = mid + 1
            if self._leaf:
                self._i = lo
                return found if lo < self._n else 1
            if stop_on_equal and found == 0 and lo < self._n:
                self._i = lo
                return 0
            self._push(lo)

    def _interior_index_keys(self) -> tuple[list[tuple], int]:
        """The `_sort_key`s of the current (index interior) page's cells and the fewest
        fields any of them has, remembered by the pager. A page with text that was not
        valid UTF-8 is not listed (its decoded order may differ from its bytes' order):
        it is searched cell by cell."""
        keys = []
        shortest = MAX_FIELDS
        for i in range(self._n):
            values = self._cell_key(i)
            if any(type(v) is str and "\ufffd" in v for v in values):
                keys, shortest = [], -1
                break
            keys.append(_sort_key(values))
            shortest = min(shortest, len(values))
        self.pager.interior_keys[self._pg] = (keys, shortest)
        return keys, shortest

    @guarded
    def seek_rowid(self, rowid: int) -> bool:
        """Position at `rowid` in a table tree; True if it exists."""
        found = self._descend_rowid(rowid)
        if not found:
            self._settle()
        return found

    # --8<-- [start:seek]
    @guarded
    def seek(self, key, op: str = "ge") -> bool:
        """Position by key: op 'ge', 'gt', 'le', 'lt' or 'eq'; False if no such entry.

        `key` is a rowid (table trees) or a list of values (index trees) that may be a
        prefix of the stored keys: then only the given fields are compared.
        """
        if op not in ("ge", "gt", "le", "lt", "eq"):
            raise ValueError(f"bad seek op {op!r}")
        strict = op in ("gt", "le")
        if self.intkey:
            exact = self._descend_rowid(key + 1 if strict else key)
        else:
            exact = self._descend_key(list(key), strict) == 0
        moved_on = self._i >= self._n  # past the leaf's last cell: _settle moves on
        positioned = self._settle()
        if op in ("ge", "gt"):
            return positioned
        if op == "eq":
            if not positioned:
                return False
            if self.intkey or not moved_on:
                return exact  # the descent compared the very entry we are on
            return self._equal_prefix(key)  # an index's interior entry: compare it now
        if not positioned:  # past the end: the answer is the last entry
            return self.last()
        return self.prev()

    # --8<-- [end:seek]

    def _equal_prefix(self, key) -> bool:
        return compare_keys(self.key_values(), list(key), self.key_info) == 0

    # --- reading the current entry ------------------------------------------------------------
    def _cell_offset(self) -> int:
        if not self._valid:
            self._restore()
        if self.eof:
            raise corrupt() if self._data is None else ValueError("cursor is not on an entry")
        p = self._ptrs + 2 * self._i
        return (self._data[p] << 8) | self._data[p + 1]

    def rowid(self) -> int:
        """The rowid of the current row (for an index: the key's last field)."""
        off = self._cell_offset()
        if not self.intkey:
            values = self.key_values()
            if not values or type(values[-1]) is not int:
                raise corrupt()  # an index key always ends with the rowid
            return values[-1]
        data = self._data
        try:
            while data[off] & 0x80:
                off += 1
            key = data[off + 1]
            if key & 0x80:
                key = read_varint(data, off + 1)[0]
        except IndexError:
            raise corrupt() from None
        return key

    def payload(self) -> bytes:
        """The current entry's record bytes, overflow pages included."""
        if self._row is None or not self._valid:
            try:  # what `guarded` does, without a wrapper call on every row of a scan
                self._row = self._read_payload()
            except (IndexError, struct.error, RecursionError) as exc:
                raise CorruptError() from exc
        return self._row

    def field(self, i: int):
        """Field `i` of the current entry's record, read where it lies (a short row of
        a table leaf, in the page itself) and decoding no other field; MISSING past
        the record's last field. One column of a scan costs no copy of the row."""
        try:
            if self._valid and not self.eof and self._t == TABLE_LEAF:
                data = self._data
                p = self._ptrs + 2 * self._i
                off = (data[p] << 8) | data[p + 1]
                size = data[off]
                if size < 0x80:  # then skip the rowid's varint, most often short
                    if data[off + 1] < 0x80:
                        p = off + 2
                    elif data[off + 2] < 0x80:
                        p = off + 3
                    else:
                        p = off + 1
                        while data[p] & 0x80 and p < off + 9:
                            p += 1
                        p += 1
                    if p + size <= len(data):
                        return read_field(data, p, p + size, i)
            payload = self.payload()
            return read_field(payload, 0, len(payload), i)
        except (IndexError, struct.error, RecursionError) as exc:
            raise CorruptError() from exc

    def _read_payload(self) -> bytes:
        off = self._cell_offset()
        data = self._data
        size = data[off]
        if self._t == TABLE_LEAF and size < 0x80:
            # a short row (always held whole in the cell): skip the rowid varint, slice
            p = off + 1
            while data[p] & 0x80 and p < off + 9:
                p += 1
            p += 1
            if p + size <= len(data):
                return bytes(data[p : p + size])
        return self.tree.read_payload(data, off, self._t)

    @guarded
    def key_values(self) -> list:
        """All fields of the current record, decoded (cached until the cursor moves)."""
        if self._vals is None or not self._valid:
            self._vals = decode_record(self.payload())
        return self._vals

    # --8<-- [start:column]
    def column(self, i: int):
        """Field `i` of the current record, decoding only that field (None past the end)."""
        if self._types is None or not self._valid:
            self._parse_record()
        if i < len(self._types):
            return decode_value(self._row, self._offs[i], self._types[i])
        return None

    # --8<-- [end:column]

    @guarded
    def _parse_record(self) -> None:
        types, body = record_header(self.payload())
        self._types = types
        self._offs = field_offsets(types, body)

    def row_count_estimate(self) -> int:
        """SQLite's quick guess at the number of entries, once first() has put the cursor
        on the leftmost leaf: that leaf's cells times the cells of each page above it."""
        estimate = self._n
        for ancestor in self._path:
            estimate *= ancestor[4]
        return estimate

    @guarded
    def count(self) -> int:
        """Number of entries, counted from the pages' cell counts."""
        total = 0
        stack = [(self.root, 0)]
        usable = self.pager.usable
        while stack:
            pgno, depth = stack.pop()
            if depth > MAX_DEPTH:
                raise corrupt()
            data = self.pager.get(pgno)
            h = 100 if pgno == 1 else 0
            t = bp.page_type(data, h)
            n = bp.cell_count(data, h)
            if t != TABLE_INTERIOR:
                total += n
            if t in (TABLE_INTERIOR, INDEX_INTERIOR):
                if h + INTERIOR_HEADER_SIZE + 2 * n > usable:
                    raise corrupt()
                stack.extend((bp.child_at(data, h, i), depth + 1) for i in range(n + 1))
        return total

    def _last_rowid(self) -> int:
        return self.rowid() if self.last() else 0

    @guarded
    def max_rowid(self) -> int:
        """The largest rowid in a table tree, 0 if it is empty."""
        hint = self._append_hint
        db = self.db
        if hint is not None and (hint[0], hint[1]) == (db._epoch, db._versions.get(self.root)):
            return hint[2]  # we appended it ourselves and nothing changed since
        return self._last_rowid()

    # --- saving and restoring around changes --------------------------------------------------
    def _save(self) -> None:
        """Remember the current key because the tree is about to change."""
        if self._valid:
            if self.eof or self._data is None:
                self._saved = None
            elif self.intkey:
                self._saved = self.rowid()
            else:
                self._saved = self.payload()
            self._valid = False

    def _forget_position(self) -> None:
        """Saved as if at the end: its key could not be read."""
        self._saved = None
        self._valid = False

    @guarded
    def _restore(self) -> None:
        key = self._saved
        self._saved = None
        self._valid = True
        self._moved()
        if key is None:
            self.eof = True
            self._data = None
            return
        if self.intkey:
            found = self._descend_rowid(key)
        else:
            values = decode_record(key)  # an index's entry may sit in an interior cell
            found = self._descend_key(values, False, stop_on_equal=True) == 0
        positioned = self._settle()
        if not found:
            self._skip = positioned
            self._after_end = not positioned

    # --- changing the tree --------------------------------------------------------------------
    def _path_to_here(self) -> list[list[int]]:
        return [[step[0], step[3]] for step in self._path] + [[self._pg, self._i]]

    def _begin_change(self) -> None:
        if not self.writable:
            raise ValueError("cursor was not opened for writing")
        self.db._before_change(self.root, self)
        self.pager.maybe_spill()

    # --8<-- [start:insert]
    @guarded
    def insert(self, rowid: int | None, payload: bytes) -> int:
        """Insert (or replace) the row `rowid` of a table tree; returns the rowid used."""
        self._begin_change()
        db = self.db
        hint = self._append_hint
        if hint is not None and (hint[0] != db._epoch or hint[1] + 1 != db._versions[self.root]):
            hint = None  # someone else changed the tree since our last append
        if rowid is None:
            rowid = hint[2] + 1 if hint is not None else self._last_rowid() + 1
        cell = self.tree.make_cell(TABLE_LEAF, payload, rowid)
        if hint is not None and rowid > hint[2]:
            # appending again: the path to the rightmost leaf is still the one we used
            path = hint[3]
            in_place = self.tree.append(path, cell)
            rightmost = True
        else:
            exact = self._descend_rowid(rowid)
            path = self._path_to_here()
            rightmost = self._i == self._n and all(s[3] == s[4] for s in self._path)
            in_place = self.tree.insert(path, cell, exact)
        self._append_hint = None
        if in_place and rightmost:
            self._append_hint = (db._epoch, db._versions[self.root], rowid, path)
        self._saved = rowid
        self._valid = False
        return rowid

    # --8<-- [end:insert]

    @guarded
    def insert_key(self, record: bytes) -> None:
        """Insert an index record (an equal key already present is replaced, and so is
        a longer one that starts with it: DROP COLUMN rewrites a WITHOUT ROWID table's
        rows shorter)."""
        self._begin_change()
        record = bytes(record)
        values = decode_record(record)
        found = self._descend_key(values, False, stop_on_equal=True) == 0
        if found and self._i < self._n:
            found = len(self._cell_key(self._i)) >= len(values)
        cell = self.tree.make_cell(INDEX_LEAF, record)
        self.tree.insert(self._path_to_here(), cell, found)
        self._saved = record
        self._valid = False

    @guarded
    def delete(self) -> None:
        """Delete the current entry; the next `next()` goes to the entry after it."""
        self._begin_change()
        if not self._valid:
            self._restore()
        if self.eof:
            raise ValueError("cursor is not on an entry")
        key = self.rowid() if self.intkey else self.payload()
        leaf_only = self.tree.delete(self._path_to_here())
        self._moved()
        if not leaf_only:
            self._saved = key
            self._valid = False
            return
        if self._leaf:
            self._data = data = self.pager.get(self._pg)  # the page as changed
            self._n = (data[self._h + 3] << 8) | data[self._h + 4]
        if self.intkey:
            emptied = self._leaf and self._n == 0 and not self._path
            self.db._keep_append_hints(self.root, key, emptied)
        if self._leaf and self._i < self._n:
            # nothing moved but this leaf's cells: the entry after the deleted one is now
            # at the same index, so stay here and let the next next() not move
            self._skip = True
            return
        self._saved = key
        self._valid = False
