"""One b-tree page as bytes: its header, cell pointer array, cells and free space.

A page is a `bytearray` of the page size. `h` is where the b-tree header starts: 100 on
page 1 (after the database header), 0 elsewhere. The header is followed by the cell pointer
array (2-byte offsets, in key order); cells are packed from the end of the page towards it.
Between them lies the unallocated gap; holes inside the cell area are chained freeblocks
(2-byte next offset, 2-byte size) or, below 4 bytes, counted as fragmented bytes.

These functions never create an object per cell on the read path: they return offsets
and sizes, and callers slice the bytes they need.
"""

from __future__ import annotations

from vdbe.varint import read_varint

from .format import (
    INDEX_INTERIOR,
    INDEX_LEAF,
    INTERIOR_HEADER_SIZE,
    LEAF_HEADER_SIZE,
    MAX_FRAGMENTED,
    MIN_CELL_SIZE,
    PAGE_TYPES,
    TABLE_INTERIOR,
    TABLE_LEAF,
    corrupt,
    local_payload_size,
    u16_at,
    u32_at,
)


def header_offset(pgno: int) -> int:
    """Page 1 carries the 100-byte database header before its b-tree header."""
    return 100 if pgno == 1 else 0


def header_size(ptype: int) -> int:
    return LEAF_HEADER_SIZE if ptype in (TABLE_LEAF, INDEX_LEAF) else INTERIOR_HEADER_SIZE


def page_type(data, h: int) -> int:
    ptype = data[h]
    if ptype not in PAGE_TYPES:
        raise corrupt()
    return ptype


def cell_count(data, h: int) -> int:
    return (data[h + 3] << 8) | data[h + 4]


def content_start(data, h: int) -> int:
    start = (data[h + 5] << 8) | data[h + 6]
    return 65536 if start == 0 else start


def right_child(data, h: int) -> int:
    return u32_at(data, h + 8)[0]


def cell_offset(data, h: int, hsize: int, i: int) -> int:
    p = h + hsize + 2 * i
    return (data[p] << 8) | data[p + 1]


# --8<-- [start:cell_size]
def cell_size(data, off: int, ptype: int, usable: int) -> int:
    """Bytes the cell at `off` occupies on its page (never less than 4)."""
    if ptype == TABLE_LEAF and data[off] < 0x80:
        # the common case first: a payload under 128 bytes is always held whole
        p = off + 1
        while data[p] & 0x80 and p < off + 9:
            p += 1  # to the last byte of the rowid varint
        size = p + 1 - off + data[off]
        return size if size > MIN_CELL_SIZE else MIN_CELL_SIZE
    if ptype == TABLE_INTERIOR:
        _, end = read_varint(data, off + 4)
        return end - off
    p = off + 4 if ptype == INDEX_INTERIOR else off
    payload_size, p = read_varint(data, p)
    if ptype == TABLE_LEAF:
        _, p = read_varint(data, p)  # the rowid
    local = local_payload_size(payload_size, usable, ptype == TABLE_LEAF)
    size = p - off + local + (4 if local < payload_size else 0)
    return size if size > MIN_CELL_SIZE else MIN_CELL_SIZE


# --8<-- [end:cell_size]


class CellInfo:
    """Everything a cell's first bytes say, as `vdbe dump` shows it."""

    __slots__ = (
        "size",  # bytes the cell occupies on the page (at least 4)
        "left_child",  # interior pages: the child page left of this key; else 0
        "rowid",  # table pages: the rowid (leaf) or the divider key (interior); else None
        "payload_size",  # total payload bytes (0 on table interior pages)
        "payload_offset",  # where the payload's first byte sits on the page
        "local_size",  # how much of the payload is on this page
        "overflow_page",  # first overflow page, or 0 when it all fits
    )

    def __init__(
        self,
        size: int,
        left_child: int,
        rowid: int | None,
        payload_size: int,
        payload_offset: int,
        local_size: int,
        overflow_page: int,
    ) -> None:
        self.size = size
        self.left_child = left_child
        self.rowid = rowid
        self.payload_size = payload_size
        self.payload_offset = payload_offset
        self.local_size = local_size
        self.overflow_page = overflow_page

    def __repr__(self) -> str:
        fields = ", ".join(f"{name}={getattr(self, name)}" for name in self.__slots__)
        return f"CellInfo({fields})"


# --8<-- [start:parse_cell]
def parse_cell(data, off: int, ptype: int, usable: int) -> CellInfo:
    """Decode the cell at offset `off` of a page of type `ptype`.

    Table leaf:     varint payload size, varint rowid, payload, [4-byte overflow page]
    Table interior: 4-byte left child, varint rowid
    Index leaf:     varint payload size, payload, [4-byte overflow page]
    Index interior: 4-byte left child, varint payload size, payload, [overflow page]
    """
    # exercise-start: storage-cell-parse
    p = off
    left_child = 0
    if ptype in (TABLE_INTERIOR, INDEX_INTERIOR):
        left_child = u32_at(data, p)[0]
        p += 4
    if ptype == TABLE_INTERIOR:
        rowid, p = read_varint(data, p)
        return CellInfo(p - off, left_child, rowid, 0, p, 0, 0)
    payload_size, p = read_varint(data, p)
    rowid = None
    if ptype == TABLE_LEAF:
        rowid, p = read_varint(data, p)
    local = local_payload_size(payload_size, usable, ptype == TABLE_LEAF)
    overflow = u32_at(data, p + local)[0] if local < payload_size else 0
    size = p - off + local + (4 if overflow else 0)
    size = max(size, MIN_CELL_SIZE)
    return CellInfo(size, left_child, rowid, payload_size, p, local, overflow)
    # exercise-end: storage-cell-parse


# --8<-- [end:parse_cell]


def cell_bytes(data, h: int, ptype: int, i: int, usable: int) -> bytes:
    off = cell_offset(data, h, header_size(ptype), i)
    return bytes(data[off : off + cell_size(data, off, ptype, usable)])


def small_payload(ptype: int, usable: int) -> int:
    """The longest payload whose size is one varint byte and that never overflows: the
    size byte alone then tells how long the cell is."""
    if ptype in (TABLE_LEAF, TABLE_INTERIOR):
        return 0x7F
    return min(0x7F, (usable - 12) * 64 // 255 - 23)


def all_cells(data, h: int, ptype: int, usable: int) -> list[bytes]:
    """Copies of every cell, in order: used by balancing, not by readers."""
    hsize = header_size(ptype)
    out = []
    append = out.append
    low = h + hsize
    # small payloads are the common case: one varint byte of size, no overflow
    small = small_payload(ptype, usable)
    skip = 4 if ptype == INDEX_INTERIOR else 0
    ptr = low
    for _ in range(cell_count(data, h)):
        off = (data[ptr] << 8) | data[ptr + 1]
        ptr += 2
        if off < low or off >= usable:
            raise corrupt()
        first = data[off + skip] if ptype != TABLE_INTERIOR else 0x80
        if first <= small:
            size = skip + 1 + first
            if ptype == TABLE_LEAF:
                p = off + 1
                while data[p] & 0x80 and p < off + 9:
                    p += 1
                size += p - off
            if size < MIN_CELL_SIZE:
                size = MIN_CELL_SIZE
        else:
            size = cell_size(data, off, ptype, usable)
        if off + size > usable:
            raise corrupt()
        append(bytes(data[off : off + size]))
    return out


def free_bytes(data, h: int, ptype: int, usable: int) -> int:
    """Unallocated gap + freeblocks + fragments: what the page could still hold."""
    n = cell_count(data, h)
    gap = content_start(data, h) - (h + header_size(ptype) + 2 * n)
    total = gap + data[h + 7]
    block = u16_at(data, h + 1)[0]
    seen = 0
    while block:
        if block + 4 > usable or seen > usable // 4:
            raise corrupt()
        nxt, size = u16_at(data, block)[0], u16_at(data, block + 2)[0]
        total += size
        seen += 1
        if nxt and nxt <= block:
            raise corrupt()
        block = nxt
    return total


def space_needed(cells: list[bytes], ptype: int) -> int:
    """Bytes a page needs to hold `cells` packed: header, pointers and cells."""
    total = header_size(ptype)
    for c in cells:
        n = len(c)
        total += 2 + (n if n > MIN_CELL_SIZE else MIN_CELL_SIZE)
    return total


def fits(cells: list[bytes], ptype: int, h: int, usable: int) -> bool:
    return space_needed(cells, ptype) <= usable - h


def init_page(data: bytearray, h: int, ptype: int, usable: int) -> None:
    """Make `data` an empty page of type `ptype`."""
    build_page(data, h, ptype, [], 0, usable)


# --8<-- [start:build_page]
def build_page(data: bytearray, h: int, ptype: int, cells: list[bytes], right: int, usable: int):
    """Write a whole page: header, pointer array, cells packed at the end, no free space holes."""
    hsize = header_size(ptype)
    top = usable
    ptr = h + hsize
    for c in cells:
        n = len(c)
        slot = n if n > MIN_CELL_SIZE else MIN_CELL_SIZE
        top -= slot
        data[top : top + n] = c
        if slot > n:
            data[top + n : top + slot] = bytes(slot - n)
        data[ptr] = top >> 8
        data[ptr + 1] = top & 0xFF
        ptr += 2
    if top < ptr:
        raise ValueError("cells do not fit on the page")
    data[ptr:top] = bytes(top - ptr)  # keep the unused gap clean
    data[h] = ptype
    data[h + 1 : h + 5] = bytes((0, 0, len(cells) >> 8, len(cells) & 0xFF))
    start = top if top < 65536 else 0
    data[h + 5] = start >> 8
    data[h + 6] = start & 0xFF
    data[h + 7] = 0
    if hsize == INTERIOR_HEADER_SIZE:
        data[h + 8 : h + 12] = right.to_bytes(4, "big")


# --8<-- [end:build_page]


def set_right_child(data: bytearray, h: int, pgno: int) -> None:
    data[h + 8 : h + 12] = pgno.to_bytes(4, "big")


def set_cell_child(data: bytearray, h: int, i: int, pgno: int) -> None:
    """Rewrite the left-child pointer of interior cell `i`."""
    off = cell_offset(data, h, INTERIOR_HEADER_SIZE, i)
    data[off : off + 4] = pgno.to_bytes(4, "big")


def child_at(data, h: int, i: int) -> int:
    """Child `i` of an interior page: the left child of cell i, or the right child if i == n."""
    n = cell_count(data, h)
    if i >= n:
        return u32_at(data, h + 8)[0]
    p = h + INTERIOR_HEADER_SIZE + 2 * i
    return u32_at(data, (data[p] << 8) | data[p + 1])[0]


def defragment(data: bytearray, h: int, ptype: int, usable: int) -> None:
    """Rewrite the page with its cells packed together and no freeblocks or fragments."""
    right = right_child(data, h) if header_size(ptype) == INTERIOR_HEADER_SIZE else 0
    build_page(data, h, ptype, all_cells(data, h, ptype, usable), right, usable)


def _allocate(data: bytearray, h: int, ptype: int, size: int, usable: int) -> int:
    """Find `size` bytes for a cell; the caller has checked room for one more pointer."""
    hsize = header_size(ptype)
    n = cell_count(data, h)
    ptr_end = h + hsize + 2 * n + 2  # after the new pointer
    top = content_start(data, h)
    if top < ptr_end - 2:
        raise corrupt()
    # first fit among the freeblocks
    prev = h + 1
    block = u16_at(data, prev)[0]
    guard = 0
    while block:
        guard += 1
        if block + 4 > usable or guard > usable // 4:
            raise corrupt()
        nxt, bsize = u16_at(data, block)[0], u16_at(data, block + 2)[0]
        if bsize >= size:
            left = bsize - size
            if left < 4:
                if data[h + 7] + left > MAX_FRAGMENTED:
                    return -1
                data[prev : prev + 2] = nxt.to_bytes(2, "big")
                data[h + 7] += left
                return block
            data[block + 2 : block + 4] = left.to_bytes(2, "big")
            return block + left
        prev, block = block, nxt
    if top - size >= ptr_end:
        top -= size
        data[h + 5] = top >> 8
        data[h + 6] = top & 0xFF
        return top
    return -1


def _allocate_anywhere(data, h, ptype, size, usable, ptr_end) -> int:
    """Space for a cell from freeblocks or the gap, defragmenting if that is the only way;
    -1 if the page cannot hold it."""
    if content_start(data, h) >= ptr_end:
        off = _allocate(data, h, ptype, size, usable)
        if off >= 0:
            return off
    if free_bytes(data, h, ptype, usable) < size + 2:
        return -1
    defragment(data, h, ptype, usable)
    return _allocate(data, h, ptype, size, usable)


def insert_cell(data: bytearray, h: int, ptype: int, i: int, cell: bytes, usable: int) -> bool:
    """Put `cell` at position `i` if it fits (defragmenting if that helps); False if not."""
    n = len(cell)
    size = n if n > MIN_CELL_SIZE else MIN_CELL_SIZE
    hsize = LEAF_HEADER_SIZE if ptype & 8 else INTERIOR_HEADER_SIZE  # leaf types have bit 3
    count = (data[h + 3] << 8) | data[h + 4]
    ptr_end = h + hsize + 2 * count + 2
    top = ((data[h + 5] << 8) | data[h + 6]) or 65536
    if data[h + 1] == 0 and data[h + 2] == 0 and top - size >= ptr_end:
        off = top - size  # the common case: no freeblocks, and room in the gap
        data[h + 5] = off >> 8
        data[h + 6] = off & 0xFF
    else:
        off = _allocate_anywhere(data, h, ptype, size, usable, ptr_end)
        if off < 0:
            return False
    data[off : off + n] = cell
    if size > n:
        data[off + n : off + size] = bytes(size - n)
    p = h + hsize + 2 * i
    end = h + hsize + 2 * count
    data[p + 2 : end + 2] = data[p:end]
    data[p] = off >> 8
    data[p + 1] = off & 0xFF
    count += 1
    data[h + 3] = count >> 8
    data[h + 4] = count & 0xFF
    return True


def drop_cell(data: bytearray, h: int, ptype: int, i: int, usable: int) -> None:
    """Remove cell `i`: its bytes become free space, its pointer leaves the array."""
    hsize = LEAF_HEADER_SIZE if ptype & 8 else INTERIOR_HEADER_SIZE  # leaf types have bit 3
    count = (data[h + 3] << 8) | data[h + 4]
    p = h + hsize + 2 * i
    end = h + hsize + 2 * count
    off = (data[p] << 8) | data[p + 1]
    size = cell_size(data, off, ptype, usable)
    if off + size > usable or off < end:
        raise corrupt()
    data[p : end - 2] = data[p + 2 : end]
    data[end - 2 : end] = b"\x00\x00"
    count -= 1
    data[h + 3] = count >> 8
    data[h + 4] = count & 0xFF
    top = ((data[h + 5] << 8) | data[h + 6]) or 65536
    if off == top and data[h + 1] == 0 and data[h + 2] == 0:
        # the cell was the first of the content area and there are no freeblocks to
        # merge with: the unallocated gap simply grows over it
        data[off : off + size] = bytes(size)
        top = off + size
        data[h + 5] = (top >> 8) & 0xFF  # 65536 is stored as 0
        data[h + 6] = top & 0xFF
        return
    free_space(data, h, off, size, usable)


def free_space(data: bytearray, h: int, off: int, size: int, usable: int) -> None:
    """Return [off, off+size) to the page: merge with neighbouring freeblocks, or the gap."""
    data[off : off + size] = bytes(size)
    prev = h + 1
    block = u16_at(data, prev)[0]
    guard = 0
    while block and block < off:
        guard += 1
        if guard > usable // 4:
            raise corrupt()
        prev, block = block, u16_at(data, block)[0]
    # merge with the following block when at most 3 bytes (fragments) lie between:
    # freeblocks must be at least 4 bytes apart, or readers call the page corrupt
    if block and block <= off + size + 3:
        gap = block - (off + size)
        if gap < 0 or gap > data[h + 7]:
            raise corrupt()
        data[h + 7] -= gap
        size = block + u16_at(data, block + 2)[0] - off
        block = u16_at(data, block)[0]
    # and the same with the previous block
    prev_end = prev + u16_at(data, prev + 2)[0] if prev != h + 1 else -10
    if prev_end + 3 >= off:
        gap = off - prev_end
        if gap < 0 or gap > data[h + 7]:
            raise corrupt()
        data[h + 7] -= gap
        size = off + size - prev
        off = prev
        data[off : off + 2] = block.to_bytes(2, "big")
        data[off + 2 : off + 4] = size.to_bytes(2, "big")
    else:
        data[off : off + 2] = block.to_bytes(2, "big")
        data[off + 2 : off + 4] = size.to_bytes(2, "big")
        data[prev : prev + 2] = off.to_bytes(2, "big")
    # a freeblock at the start of the content area simply widens the gap
    if off == content_start(data, h):
        first = u16_at(data, h + 1)[0]
        if first == off:
            data[h + 1 : h + 3] = data[off : off + 2]
            data[off : off + 4] = b"\x00\x00\x00\x00"
            top = off + size
            top = 0 if top == 65536 else top
            data[h + 5] = top >> 8
            data[h + 6] = top & 0xFF
