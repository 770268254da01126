"""Pointer-map pages: in an auto-vacuum database, every page's parent, written down.

An auto-vacuum database can move any page to another place, so that the free pages end
up at the end of the file and the file shrinks. Moving page P means rewriting the one
pointer to P: in its parent b-tree page, or in the overflow page before it. To find that
pointer without searching every tree, the file keeps a pointer map: for every page after
page 1, a 5-byte entry of (type, parent page number):

    1 ROOTPAGE   the root of a b-tree (parent 0)
    2 FREEPAGE   on the freelist (parent 0)
    3 OVERFLOW1  the first page of an overflow chain (parent: the b-tree page of its cell)
    4 OVERFLOW2  a later page of an overflow chain (parent: the overflow page before it)
    5 BTREE      a non-root b-tree page (parent: its parent b-tree page)

Page 2 is the first pointer-map page. It describes the `usable // 5` pages after it;
the next pointer-map page follows them, and so on through the file (the page holding
the lock bytes is skipped over, as always). The pointer-map pages have no entries.
"""

from __future__ import annotations

from . import format as fmt
from .format import corrupt, u32_at

ROOTPAGE, FREEPAGE, OVERFLOW1, OVERFLOW2, BTREE = 1, 2, 3, 4, 5
TYPE_NAMES = {
    ROOTPAGE: "root page",
    FREEPAGE: "free page",
    OVERFLOW1: "first overflow page",
    OVERFLOW2: "overflow page",
    BTREE: "b-tree page",
}


# --8<-- [start:location]
def map_page(pager, pgno: int) -> int:
    """The pointer-map page that holds the entry of page `pgno`."""
    per_map = pager.usable // 5 + 1  # a map page and the pages it describes
    first = (pgno - 2) // per_map * per_map + 2
    if first == fmt.pending_byte_page(pager.page_size):
        first += 1
    return first


def is_map_page(pager, pgno: int) -> bool:
    return pgno >= 2 and map_page(pager, pgno) == pgno


# --8<-- [end:location]


def get(pager, pgno: int) -> tuple[int, int]:
    """(type, parent) of page `pgno`'s entry."""
    where = map_page(pager, pgno)
    offset = 5 * (pgno - where - 1)
    if pgno < 3 or offset < 0 or where > pager.page_count:
        raise corrupt()
    data = pager.get(where)
    return data[offset], u32_at(data, offset + 1)[0]


# --8<-- [start:put]
def put(pager, pgno: int, kind: int, parent: int) -> None:
    """Record that page `pgno` is of `kind` under `parent` (the map page is written,
    and so journaled, only if the entry changes)."""
    where = map_page(pager, pgno)
    offset = 5 * (pgno - where - 1)
    if pgno < 3 or offset < 0 or where > pager.page_count:
        raise corrupt()
    data = pager.get(where)
    if data[offset] != kind or u32_at(data, offset + 1)[0] != parent:
        data = pager.write(where)
        data[offset] = kind
        data[offset + 1 : offset + 5] = parent.to_bytes(4, "big")


# --8<-- [end:put]
