"""The freelist: pages no b-tree uses, kept for reuse instead of growing the file.

The header names the first trunk page (offset 32) and counts all free pages (offset 36).
A trunk page holds: the next trunk's number, a count K, then K leaf page numbers. Leaf
pages hold nothing of value, so freeing one costs no write to it at all.
"""

from __future__ import annotations

from . import format as fmt
from .format import corrupt, u32_at


def trunk_capacity(usable: int) -> int:
    """Leaves per trunk page; SQLite stays 6 short of full for old readers' sake."""
    return usable // 4 - 8


# --8<-- [start:free_page]
def free_page(pager, pgno: int) -> None:
    """Put `pgno` on the freelist: as a leaf of the first trunk, or as a new trunk."""
    if pgno < 2 or pgno > pager.page_count:
        raise corrupt()
    count = pager.header_u32(fmt.OFF_FREELIST_COUNT)
    trunk = pager.header_u32(fmt.OFF_FREELIST_TRUNK)
    if trunk:
        if trunk > pager.page_count:
            raise corrupt()
        data = pager.get(trunk)
        leaves = u32_at(data, 4)[0]
        if leaves < trunk_capacity(pager.usable):
            data = pager.write(trunk)
            data[8 + 4 * leaves : 12 + 4 * leaves] = pgno.to_bytes(4, "big")
            data[4:8] = (leaves + 1).to_bytes(4, "big")
            pager.set_header_u32(fmt.OFF_FREELIST_COUNT, count + 1)
            return
    data = pager.write(pgno)
    data[:] = bytes(len(data))
    data[0:4] = trunk.to_bytes(4, "big")
    pager.set_header_u32(fmt.OFF_FREELIST_TRUNK, pgno)
    pager.set_header_u32(fmt.OFF_FREELIST_COUNT, count + 1)


# --8<-- [end:free_page]


def allocate_page(pager) -> int:
    """A page for new use, zero-filled: from the freelist if it has one, else a new one."""
    count = pager.header_u32(fmt.OFF_FREELIST_COUNT)
    trunk = pager.header_u32(fmt.OFF_FREELIST_TRUNK)
    if count == 0 or trunk == 0:
        return pager.allocate_new()
    if trunk > pager.page_count:
        raise corrupt()
    data = pager.get(trunk)
    leaves = u32_at(data, 4)[0]
    if leaves > pager.usable // 4 - 2:
        raise corrupt()
    if leaves:
        pgno = u32_at(data, 4 + 4 * leaves)[0]
        if pgno < 2 or pgno > pager.page_count:
            raise corrupt()
        data = pager.write(trunk)
        data[4 + 4 * leaves : 8 + 4 * leaves] = bytes(4)
        data[4:8] = (leaves - 1).to_bytes(4, "big")
    else:
        pgno = trunk
        pager.set_header_u32(fmt.OFF_FREELIST_TRUNK, u32_at(data, 0)[0])
    pager.set_header_u32(fmt.OFF_FREELIST_COUNT, count - 1)
    page = pager.write(pgno)
    page[:] = bytes(len(page))
    return pgno


def freelist_pages(pager) -> list[int]:
    """Every page on the freelist (trunks and leaves), checked for cycles and range."""
    out: list[int] = []
    seen: set[int] = set()
    trunk = pager.header_u32(fmt.OFF_FREELIST_TRUNK)
    total = pager.header_u32(fmt.OFF_FREELIST_COUNT)
    while trunk:
        if trunk in seen or trunk > pager.page_count or len(out) > total:
            raise corrupt()
        seen.add(trunk)
        out.append(trunk)
        data = pager.get(trunk)
        leaves = u32_at(data, 4)[0]
        if leaves > pager.usable // 4 - 2:
            raise corrupt()
        for i in range(leaves):
            out.append(u32_at(data, 8 + 4 * i)[0])
        trunk = u32_at(data, 0)[0]
    return out
