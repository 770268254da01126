"""B-tree changes: building cells, overflow chains, inserting, deleting and balancing.

A table b-tree (intkey) keeps rows in its leaves, keyed by rowid; its interior cells are
just (left child, rowid) signposts. An index b-tree keeps records everywhere: an interior
cell is a left child pointer plus a full key. Every leaf sits at the same depth.

When a page overflows or gets too empty, `balance` takes the page and up to two neighbours,
pours all their cells (and the dividers between them in the parent) into one list, and
deals that list out again over as few pages as it needs. The parent's dividers are
replaced, which may make the parent overflow in turn: balancing then moves up the path.
A root that overflows moves its content into a new child and becomes that child's parent
(the only way a tree grows taller); a root left with no cells and one child swallows it.
"""

from __future__ import annotations

from vdbe.varint import read_varint, varint_bytes

from . import page as bp
from . import ptrmap
from .format import (
    INDEX_INTERIOR,
    INDEX_LEAF,
    INTERIOR_OF,
    LEAF_HEADER_SIZE,
    MIN_CELL_SIZE,
    TABLE_INTERIOR,
    TABLE_LEAF,
    corrupt,
    local_payload_size,
    u32_at,
)
from .freelist import allocate_page, free_page

MAX_DEPTH = 20  # deeper than this can only be a corrupt (cyclic) tree


class Btree:
    """The change side of every b-tree in one database (the read side is the cursor)."""

    def __init__(self, pager) -> None:
        self.pager = pager
        self.overlay: dict[int, tuple[int, list[bytes], int]] = {}

    @property
    def usable(self) -> int:
        return self.pager.usable

    # --- cells and overflow chains ----------------------------------------------------------
    # --8<-- [start:make_cell]
    def make_cell(self, ptype: int, payload: bytes, rowid: int = 0) -> bytes:
        """The cell for `payload` on a leaf of type `ptype`, spilling to overflow pages."""
        size = len(payload)
        if ptype == TABLE_LEAF:
            head = varint_bytes(size) + varint_bytes(rowid)
            if size < 0x80:
                return head + payload  # a small row is always held whole
        else:
            head = varint_bytes(size)
        local = local_payload_size(size, self.pager.usable, ptype == TABLE_LEAF)
        if local == size:
            return head + payload
        first = self.write_overflow(payload[local:])
        return head + payload[:local] + first.to_bytes(4, "big")

    # --8<-- [end:make_cell]

    def write_overflow(self, rest: bytes) -> int:
        """Store `rest` in a chain of overflow pages; return the first page number."""
        chunk = self.usable - 4
        pieces = [rest[i : i + chunk] for i in range(0, len(rest), chunk)]
        pgnos = [allocate_page(self.pager) for _ in pieces]
        for i, piece in enumerate(pieces):
            data = self.pager.write(pgnos[i])
            nxt = pgnos[i + 1] if i + 1 < len(pgnos) else 0
            data[0:4] = nxt.to_bytes(4, "big")
            data[4 : 4 + len(piece)] = piece
        if self.pager.autovacuum:
            for before, pgno in zip(pgnos, pgnos[1:], strict=False):
                ptrmap.put(self.pager, pgno, ptrmap.OVERFLOW2, before)
        return pgnos[0]

    def overflow_info(self, cell: bytes, ptype: int) -> tuple[int, int, int]:
        """(payload size, local bytes, first overflow page or 0) of a cell image."""
        p = 4 if ptype == INDEX_INTERIOR else 0
        size, p = read_varint(cell, p)
        if ptype == TABLE_LEAF:
            _, p = read_varint(cell, p)
        local = local_payload_size(size, self.usable, ptype == TABLE_LEAF)
        if local == size:
            return size, local, 0
        return size, local, u32_at(cell, p + local)[0]

    def overflow_pages(self, first: int, size: int, local: int) -> list[int]:
        """The page numbers of an overflow chain, checked against cycles and bad numbers."""
        chunk = self.usable - 4
        expected = (size - local + chunk - 1) // chunk
        out = []
        pgno = first
        while pgno:
            if len(out) >= expected or pgno < 2 or pgno > self.pager.page_count:
                raise corrupt()
            out.append(pgno)
            pgno = u32_at(self.pager.get(pgno), 0)[0]
        if len(out) != expected:
            raise corrupt()
        return out

    def free_cell_overflow(self, cell: bytes, ptype: int) -> None:
        if ptype == TABLE_INTERIOR:
            return
        size, local, first = self.overflow_info(cell, ptype)
        if first:
            for pgno in self.overflow_pages(first, size, local):
                free_page(self.pager, pgno)

    def read_payload(self, data, off: int, ptype: int) -> bytes:
        """The whole payload of the cell at `off`, overflow assembled."""
        p = off + 4 if ptype == INDEX_INTERIOR else off
        size, p = read_varint(data, p)
        if ptype == TABLE_LEAF:
            _, p = read_varint(data, p)
        local = local_payload_size(size, self.usable, ptype == TABLE_LEAF)
        if p + local > self.usable:
            raise corrupt()
        if local == size:
            return bytes(data[p : p + size])
        parts = [data[p : p + local]]
        first = u32_at(data, p + local)[0]
        for pgno in self.overflow_pages(first, size, local):
            parts.append(self.pager.get(pgno)[4 : self.usable])
        return b"".join(parts)[:size]

    # --- page contents, possibly held aside while balancing --------------------------------
    def content(self, pgno: int) -> tuple[int, list[bytes], int]:
        held = self.overlay.get(pgno)
        if held is not None:
            return held
        data = self.pager.get(pgno)
        h = bp.header_offset(pgno)
        ptype = bp.page_type(data, h)
        right = bp.right_child(data, h) if ptype in (TABLE_INTERIOR, INDEX_INTERIOR) else 0
        return ptype, bp.all_cells(data, h, ptype, self.usable), right

    def store(self, pgno: int, ptype: int, cells: list[bytes], right: int) -> None:
        """Write a page's new content, or hold it aside if it does not fit (overfull)."""
        h = bp.header_offset(pgno)
        if bp.fits(cells, ptype, h, self.usable):
            bp.build_page(self.pager.write(pgno), h, ptype, cells, right, self.usable)
            self.overlay.pop(pgno, None)
            if self.pager.autovacuum:
                self.adopt(pgno, ptype, cells, right)
        else:
            self.overlay[pgno] = (ptype, cells, right)

    # --- the pointer map (auto-vacuum databases only) ---------------------------------------
    # --8<-- [start:adopt]
    def adopt(self, pgno: int, ptype: int, cells: list[bytes], right: int = 0) -> None:
        """Page `pgno` now holds `cells` (and, if interior, `right`): the pointer map
        learns that it is the parent of their child pages and overflow chains."""
        for cell in cells:
            self.adopt_cell(pgno, ptype, cell)
        if right:
            ptrmap.put(self.pager, right, ptrmap.BTREE, pgno)

    def adopt_cell(self, pgno: int, ptype: int, cell: bytes) -> None:
        if ptype in (TABLE_INTERIOR, INDEX_INTERIOR):
            ptrmap.put(self.pager, u32_at(cell, 0)[0], ptrmap.BTREE, pgno)
            if ptype == TABLE_INTERIOR:
                return
        first = self.overflow_info(cell, ptype)[2]
        if first:
            ptrmap.put(self.pager, first, ptrmap.OVERFLOW1, pgno)

    def adopt_page(self, pgno: int) -> None:
        """Every child and overflow chain of the b-tree page `pgno`, as it is now."""
        ptype, cells, right = self.content(pgno)
        self.adopt(pgno, ptype, cells, right)

    # --8<-- [end:adopt]

    # --- creating and removing trees ---------------------------------------------------------
    def create(self, leaf_type: int) -> int:
        pgno = allocate_page(self.pager)
        bp.init_page(self.pager.write(pgno), 0, leaf_type, self.usable)
        return pgno

    def clear(self, root: int, keep_root: bool = True) -> int:
        """Free every page below `root` (and overflow chains); return the entries removed."""
        removed = 0
        pending = [(root, 0)]
        seen = set()
        leaf_type = None
        while pending:
            pgno, depth = pending.pop()
            if pgno in seen or depth > MAX_DEPTH or pgno < 1 or pgno > self.pager.page_count:
                raise corrupt()
            seen.add(pgno)
            data = self.pager.get(pgno)
            h = bp.header_offset(pgno)
            ptype = bp.page_type(data, h)
            cells = bp.all_cells(data, h, ptype, self.usable)
            if ptype in (TABLE_LEAF, INDEX_LEAF):
                leaf_type = ptype if leaf_type is None else leaf_type
            if ptype != TABLE_INTERIOR:
                removed += len(cells)
            for cell in cells:
                self.free_cell_overflow(cell, ptype)
                if ptype in (TABLE_INTERIOR, INDEX_INTERIOR):
                    pending.append((u32_at(cell, 0)[0], depth + 1))
            if ptype in (TABLE_INTERIOR, INDEX_INTERIOR):
                pending.append((bp.right_child(data, h), depth + 1))
            if pgno != root:
                free_page(self.pager, pgno)
        root_data = self.pager.get(root)
        root_type = bp.page_type(root_data, bp.header_offset(root))
        leaf = {TABLE_INTERIOR: TABLE_LEAF, INDEX_INTERIOR: INDEX_LEAF}.get(root_type, root_type)
        if keep_root:
            bp.init_page(self.pager.write(root), bp.header_offset(root), leaf, self.usable)
        else:
            free_page(self.pager, root)
        return removed

    # --- inserting --------------------------------------------------------------------------
    def insert(self, path: list[list[int]], cell: bytes, replace: bool) -> bool:
        """Put `cell` at path[-1]'s position in its leaf (or replace the cell there).
        Returns True if it fitted in place (no page of the tree was split)."""
        pgno, idx = path[-1]
        data = self.pager.get(pgno)
        h = bp.header_offset(pgno)
        ptype = bp.page_type(data, h)
        if ptype == INDEX_INTERIOR:
            # replacing the key of an interior cell of an index: keep its child pointer
            cell = bp.cell_bytes(data, h, ptype, idx, self.usable)[:4] + cell
        if replace:
            old = bp.cell_bytes(data, h, ptype, idx, self.usable)
            self.free_cell_overflow(old, ptype)
            bp.drop_cell(self.pager.write(pgno), h, ptype, idx, self.usable)
        data = self.pager.write(pgno)
        if bp.insert_cell(data, h, ptype, idx, cell, self.usable):
            if self.pager.autovacuum:
                self.adopt_cell(pgno, ptype, cell)
            return True
        n = bp.cell_count(data, h)
        if (
            ptype == TABLE_LEAF
            and idx == n
            and len(path) > 1
            and not replace
            and self._is_rightmost_child(path[-2])
        ):
            self._append_leaf(path, cell)
            return False
        ptype, cells, right = self.content(pgno)
        cells.insert(idx, cell)
        self.overlay[pgno] = (ptype, cells, right)
        self.balance(path, shrink=False)
        return False

    def append(self, path: list[list[int]], cell: bytes) -> bool:
        """Put `cell` after the last cell of the rightmost leaf at path[-1] (a table
        cursor appending rows in rowid order knows that path already). Returns True if
        it fitted in place."""
        leaf = path[-1][0]
        data = self.pager.write(leaf)
        h = 100 if leaf == 1 else 0
        n = (data[h + 3] << 8) | data[h + 4]
        path[-1][1] = n
        if bp.insert_cell(data, h, TABLE_LEAF, n, cell, self.pager.usable):
            if self.pager.autovacuum:
                self.adopt_cell(leaf, TABLE_LEAF, cell)
            return True
        return self.insert(path, cell, False)

    def _is_rightmost_child(self, step: list[int]) -> bool:
        parent, idx = step
        return idx == bp.cell_count(self.pager.get(parent), bp.header_offset(parent))

    def _append_leaf(self, path: list[list[int]], cell: bytes) -> None:
        """Rows arriving in rowid order: start a new rightmost leaf instead of splitting,
        so sequential inserts fill pages completely."""
        leaf = path[-1][0]
        data = self.pager.get(leaf)
        n = bp.cell_count(data, 0)
        last = bp.cell_offset(data, 0, LEAF_HEADER_SIZE, n - 1)
        _, p = read_varint(data, last)
        max_rowid, _ = read_varint(data, p)
        new = allocate_page(self.pager)
        bp.build_page(self.pager.write(new), 0, TABLE_LEAF, [cell], 0, self.usable)
        parent = path[-2][0]
        if self.pager.autovacuum:
            ptrmap.put(self.pager, new, ptrmap.BTREE, parent)
            self.adopt_cell(new, TABLE_LEAF, cell)
        divider = leaf.to_bytes(4, "big") + varint_bytes(max_rowid)
        h = bp.header_offset(parent)
        pdata = self.pager.write(parent)
        if bp.insert_cell(pdata, h, TABLE_INTERIOR, bp.cell_count(pdata, h), divider, self.usable):
            bp.set_right_child(pdata, h, new)
            return
        ptype, cells, _right = self.content(parent)
        cells.append(divider)
        self.overlay[parent] = (ptype, cells, new)
        self.balance(path[:-1], shrink=False)

    # --- deleting ---------------------------------------------------------------------------
    def delete(self, path: list[list[int]]) -> bool:
        """Remove the entry at path[-1] (a leaf cell, or an index interior cell).
        Returns True if only that leaf changed (no page was rebalanced)."""
        pgno, idx = path[-1]
        data = self.pager.write(pgno)
        h = 100 if pgno == 1 else 0
        ptype = bp.page_type(data, h)
        usable = self.pager.usable
        if ptype in (TABLE_LEAF, INDEX_LEAF):
            size_byte = data[bp.cell_offset(data, h, LEAF_HEADER_SIZE, idx)]
            if size_byte > bp.small_payload(ptype, usable):
                # a payload this long may own overflow pages: free them
                self.free_cell_overflow(bp.cell_bytes(data, h, ptype, idx, usable), ptype)
            bp.drop_cell(data, h, ptype, idx, usable)
            if len(path) > 1 and self._underfull_page(data, h, ptype):
                return not self.balance(path, shrink=True)
            return True  # a root leaf, or a leaf still full enough: nothing to rebalance
        if ptype != INDEX_INTERIOR:
            raise corrupt()
        old = bp.cell_bytes(data, h, ptype, idx, usable)
        # an index key in an interior cell: replace it by its predecessor from a leaf
        leaf_path = [list(step) for step in path]
        child = bp.child_at(data, h, idx)
        while True:
            if len(leaf_path) > MAX_DEPTH:
                raise corrupt()
            cdata = self.pager.get(child)
            ctype = bp.page_type(cdata, 0)
            n = bp.cell_count(cdata, 0)
            if ctype == INDEX_LEAF:
                if n == 0:
                    raise corrupt()
                leaf_path.append([child, n - 1])
                break
            if ctype != INDEX_INTERIOR:
                raise corrupt()
            leaf_path.append([child, n])
            child = bp.right_child(cdata, 0)
        leaf, lidx = leaf_path[-1]
        pred = bp.cell_bytes(self.pager.get(leaf), 0, INDEX_LEAF, lidx, self.usable)
        bp.drop_cell(self.pager.write(leaf), 0, INDEX_LEAF, lidx, self.usable)
        self.free_cell_overflow(old, ptype)
        ptype, cells, right = self.content(pgno)
        cells[idx] = old[:4] + pred
        self.store(pgno, ptype, cells, right)
        self.balance(leaf_path, shrink=True)
        return False

    # --- balancing --------------------------------------------------------------------------
    def _underfull(self, pgno: int) -> bool:
        h = bp.header_offset(pgno)
        data = self.pager.get(pgno)
        return self._underfull_page(data, h, bp.page_type(data, h))

    def _underfull_page(self, data, h: int, ptype: int) -> bool:
        """Empty, or more than two thirds free: the page should merge with a neighbour."""
        if bp.cell_count(data, h) == 0:
            return True
        return bp.free_bytes(data, h, ptype, self.usable) * 3 > self.usable * 2

    def balance(self, path: list[list[int]], shrink: bool) -> bool:
        """Walk up `path` fixing every page that is overfull (or, if `shrink`, too empty).
        Returns True if any page was rebalanced (the tree's shape changed)."""
        changed = False
        for level in range(len(path) - 1, -1, -1):
            pgno = path[level][0]
            over = pgno in self.overlay
            if level == 0:
                if over:
                    self._balance_deeper(pgno)
                    changed = True
                elif shrink:
                    changed = self._balance_shallower(pgno) or changed
                break
            if over or (shrink and self._underfull(pgno)):
                self._balance_siblings(path[level - 1][0], path[level - 1][1])
                changed = True
            elif not self.overlay:
                break  # nothing changed here, so nothing above needs fixing
        if self.overlay:
            raise AssertionError("balance left an overfull page")
        return changed

    def _balance_deeper(self, root: int) -> None:
        """The root overflows: its content moves to a new child, the root keeps one pointer."""
        ptype, cells, right = self.content(root)
        child = allocate_page(self.pager)
        self.overlay.pop(root)
        self.overlay[child] = (ptype, cells, right)
        interior = INTERIOR_OF.get(ptype, ptype)
        h = bp.header_offset(root)
        bp.build_page(self.pager.write(root), h, interior, [], child, self.usable)
        if self.pager.autovacuum:
            ptrmap.put(self.pager, child, ptrmap.BTREE, root)
        self._balance_siblings(root, 0)
        if root in self.overlay:  # cannot happen with sane page sizes, but stay correct
            self._balance_deeper(root)

    def _balance_shallower(self, root: int) -> bool:
        """An interior root with no cells left: pull its only child up into it."""
        data = self.pager.get(root)
        h = bp.header_offset(root)
        ptype = bp.page_type(data, h)
        if ptype not in (TABLE_INTERIOR, INDEX_INTERIOR) or bp.cell_count(data, h):
            return False
        child = bp.right_child(data, h)
        ctype, cells, right = self.content(child)
        if not bp.fits(cells, ctype, h, self.usable):
            return False
        bp.build_page(self.pager.write(root), h, ctype, cells, right, self.usable)
        free_page(self.pager, child)
        if self.pager.autovacuum:
            self.adopt(root, ctype, cells, right)
        return True

    # --8<-- [start:balance_siblings]
    def _balance_siblings(self, parent: int, child_idx: int) -> None:
        """Redistribute the child at `child_idx` of `parent` and up to two neighbours."""
        ptype_p, pcells, pright = self.content(parent)
        n = len(pcells)
        count = min(3, n + 1)
        first = max(0, min(child_idx - 1, n + 1 - count))
        sibs = [u32_at(pcells[i], 0)[0] if i < n else pright for i in range(first, first + count)]
        dividers = pcells[first : first + count - 1]
        overfull = any(s in self.overlay for s in sibs)
        contents = [self.content(s) for s in sibs]
        ptype = contents[0][0]
        if any(c[0] != ptype for c in contents):
            raise corrupt()
        leaf_table = ptype == TABLE_LEAF
        interior = ptype in (TABLE_INTERIOR, INDEX_INTERIOR)
        # pour every cell, and the dividers between the siblings, into one list
        combined: list[bytes] = []
        for i, (_t, cells, right) in enumerate(contents):
            combined.extend(cells)
            if i < count - 1 and not leaf_table:
                body = dividers[i][4:]
                combined.append(right.to_bytes(4, "big") + body if interior else body)
        final_right = contents[-1][2]
        runs = distribute(
            combined, self.usable - bp.header_size(ptype), not leaf_table, spare=overfull
        )
        # page numbers: reuse the siblings', allocate or free the difference
        pages = sibs[: len(runs)]
        while len(pages) < len(runs):
            pages.append(allocate_page(self.pager))
        for s in sibs[len(runs) :]:
            self.overlay.pop(s, None)
            free_page(self.pager, s)
        new_dividers = []
        for j, (start, end) in enumerate(runs):
            cells = combined[start:end]
            last = j == len(runs) - 1
            right = 0
            if interior:
                right = final_right if last else u32_at(combined[end], 0)[0]
            self.overlay.pop(pages[j], None)
            self.store(pages[j], ptype, cells, right)
            if last:
                continue
            ptr = pages[j].to_bytes(4, "big")
            if leaf_table:
                _, p = read_varint(cells[-1], 0)
                new_dividers.append(ptr + varint_bytes(read_varint(cells[-1], p)[0]))
            elif interior:
                new_dividers.append(ptr + combined[end][4:])
            else:
                new_dividers.append(ptr + combined[end])
        pcells[first : first + count - 1] = new_dividers
        after = first + len(new_dividers)
        if first + count - 1 == n:
            pright = pages[-1]
        else:
            pcells[after] = pages[-1].to_bytes(4, "big") + pcells[after][4:]
        self.store(parent, ptype_p, pcells, pright)

    # --8<-- [end:balance_siblings]


# --8<-- [start:distribute]
def distribute(
    cells: list[bytes], capacity: int, consume: bool, spare: bool = False
) -> list[tuple[int, int]]:
    """Split `cells` into runs [start, end), one per page, each fitting `capacity` bytes.

    With `consume`, the cell right after each run (except the last) is a divider that goes
    up to the parent instead of into a page. Runs are filled greedily left to right, then
    evened out from the right so the last page is not left nearly empty. With `spare`
    (a page overflowed), pages that would all be nearly full get one more page, so the
    next inserts do not overflow them again at once.
    """
    costs = cell_costs(cells)
    runs = fill_runs(costs, capacity, capacity, consume)
    total = sum(costs)
    if spare and total > 0.9 * capacity * len(runs):
        runs = fill_runs(costs, capacity, total // (len(runs) + 1) + 1, consume)
    return _even_out(runs, costs, capacity, consume)


def cell_costs(cells: list[bytes]) -> list[int]:
    """The bytes each cell takes on a page: itself (at least 4) and its 2-byte pointer."""
    return [(len(c) if len(c) > MIN_CELL_SIZE else MIN_CELL_SIZE) + 2 for c in cells]


def fill_runs(costs: list[int], capacity: int, target: int, consume: bool) -> list[list[int]]:
    """Greedy runs: each takes cells while it stays within `target` (and `capacity`)."""
    n = len(costs)
    runs: list[list[int]] = []
    start = 0
    while start < n or not runs:
        total, end = 0, start
        while (
            end < n
            and total + costs[end] <= capacity
            and (total + costs[end] <= target or end == start)
        ):
            total += costs[end]
            end += 1
        if end == start and n:
            raise corrupt()
        if consume and end == n - 1 and end - start > 1:
            end -= 1  # a divider needs a page after it
        runs.append([start, end])
        start = end + 1 if consume and end < n else end
        if start == n and consume and end < n:
            runs.append([n, n])  # only for absurdly large cells: keep a page after the divider
    return runs


def _even_out(runs, costs, capacity, consume) -> list[tuple[int, int]]:
    """Move cells from each run to the next (right to left) while that evens them out."""
    sizes = [sum(costs[s:e]) for s, e in runs]
    for j in range(len(runs) - 1, 0, -1):
        left, right = runs[j - 1], runs[j]
        while left[1] - left[0] > 1:
            last = left[1] - 1
            moving = costs[left[1]] if consume else costs[last]
            if sizes[j] + moving > capacity or sizes[j] + moving > sizes[j - 1] - costs[last]:
                break
            sizes[j] += moving
            sizes[j - 1] -= costs[last]
            left[1] -= 1
            right[0] -= 1
    return [(s, e) for s, e in runs]


# --8<-- [end:distribute]
