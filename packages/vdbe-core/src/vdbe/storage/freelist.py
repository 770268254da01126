"""The freelist: pages no b-tree uses, kept for reuse instead of growing the file.

The header names the first trunk page (offset 32) and counts all free pages (offset 36).
A trunk page holds: the next trunk's number, a count K, then K leaf page numbers. Leaf
pages hold nothing of value, so freeing one costs no write to it at all.
"""

from __future__ import annotations

from . import format as fmt
from . import ptrmap
from .format import corrupt, u32_at


def trunk_capacity(usable: int) -> int:
    """Leaves per trunk page; SQLite stays 6 short of full for old readers' sake."""
    return usable // 4 - 8


# --8<-- [start:free_page]
def free_page(pager, pgno: int) -> None:
    """Put `pgno` on the freelist: as a leaf of the first trunk, or as a new trunk."""
    if pgno < 2 or pgno > pager.page_count:
        raise corrupt()
    if pager.autovacuum:
        ptrmap.put(pager, pgno, ptrmap.FREEPAGE, 0)
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


def allocate_page(pager, near: int = 0, first: bool = False) -> int:
    """A page for new use, zero-filled: from the freelist if it has one, else a new one.
    With `near`, the first trunk's leaf closest to page `near` is taken (as SQLite
    does); with `first`, its first leaf (SQLite's choice when nothing is near);
    otherwise its last."""
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
        slot = _closest_leaf(data, leaves, near) if near else 0 if first else leaves - 1
        pgno = u32_at(data, 8 + 4 * slot)[0]
        if pgno < 2 or pgno > pager.page_count:
            raise corrupt()
        data = pager.write(trunk)
        data[8 + 4 * slot : 12 + 4 * slot] = data[4 + 4 * leaves : 8 + 4 * leaves]
        data[4 + 4 * leaves : 8 + 4 * leaves] = bytes(4)
        data[4:8] = (leaves - 1).to_bytes(4, "big")
    else:
        pgno = trunk
        pager.set_header_u32(fmt.OFF_FREELIST_TRUNK, u32_at(data, 0)[0])
    pager.set_header_u32(fmt.OFF_FREELIST_COUNT, count - 1)
    page = pager.write(pgno)
    page[:] = bytes(len(page))
    return pgno


def _closest_leaf(data, leaves: int, near: int) -> int:
    distances = [abs(u32_at(data, 8 + 4 * i)[0] - near) for i in range(leaves)]
    return distances.index(min(distances))


# --8<-- [start:take_free_page]
def take_free_page(pager, wanted: int, at_most: bool = False) -> int:
    """Take page `wanted` off the freelist (or, with `at_most`, the first free page found
    that is not after it), searching every trunk: auto-vacuum moves pages into exact
    places. Returns the page, zero-filled and writable."""
    count = pager.header_u32(fmt.OFF_FREELIST_COUNT)
    link = (1, fmt.OFF_FREELIST_TRUNK)  # where the pointer to the current trunk lives
    trunk = pager.header_u32(fmt.OFF_FREELIST_TRUNK)
    for _ in range(count):
        if trunk < 2 or trunk > pager.page_count:
            break
        data = pager.get(trunk)
        leaves = u32_at(data, 4)[0]
        if leaves > pager.usable // 4 - 2:
            raise corrupt()
        if trunk == wanted or (at_most and trunk < wanted):
            _unlink_trunk(pager, link, trunk, data, leaves)
            return _taken(pager, trunk, count)
        numbers = [u32_at(data, 8 + 4 * i)[0] for i in range(leaves)]
        for i, pgno in enumerate(numbers):
            if pgno == wanted or (at_most and pgno <= wanted):
                data = pager.write(trunk)
                data[8 + 4 * i : 12 + 4 * i] = data[4 + 4 * leaves : 8 + 4 * leaves]
                data[4:8] = (leaves - 1).to_bytes(4, "big")
                return _taken(pager, pgno, count)
        link = (trunk, 0)
        trunk = u32_at(data, 0)[0]
    raise corrupt()


def _unlink_trunk(pager, link: tuple[int, int], trunk: int, data, leaves: int) -> None:
    """Take trunk page `trunk` out of the chain: its first leaf, if it has one, becomes
    a trunk in its place, holding the other leaves."""
    following = bytes(data[0:4])
    if leaves:
        heir = u32_at(data, 8)[0]
        if heir < 2 or heir > pager.page_count:
            raise corrupt()
        rest = bytes(data[12 : 8 + 4 * leaves])
        new = pager.write(heir)
        new[0:4] = following
        new[4:8] = (leaves - 1).to_bytes(4, "big")
        new[8 : 8 + len(rest)] = rest
        following = heir.to_bytes(4, "big")
    page, offset = link
    pager.write(page)[offset : offset + 4] = following


def _taken(pager, pgno: int, count: int) -> int:
    pager.set_header_u32(fmt.OFF_FREELIST_COUNT, count - 1)
    page = pager.write(pgno)
    page[:] = bytes(len(page))
    return pgno


# --8<-- [end:take_free_page]


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
