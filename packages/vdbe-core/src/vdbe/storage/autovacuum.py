"""Auto-vacuum: moving pages so that the file shrinks as soon as pages are freed.

In an auto-vacuum database (`PRAGMA auto_vacuum = FULL` or `INCREMENTAL` before the
first table) every page's parent is written down in the pointer map (`ptrmap`), so any
page can move: copy it to its new place, rewrite the one pointer to it in its parent,
and tell the pointer map about the pages it points to. Three things use that:

    vacuum_at_commit     FULL mode, before each commit: the pages at the end of the
                         file move into the free pages before them; the file is cut
    incremental_step     INCREMENTAL mode: PRAGMA incremental_vacuum(N) does the same
                         for one page at a time, N times
    create_root,         the root pages of all trees stay together right after the
    drop_root            pointer map (the header names the largest, offset 52): a new
                         root takes the next page, moving whatever was there; dropping
                         a tree moves the largest root into the gap

Which page goes where follows SQLite's btree.c, so the files come out the same.
"""

from __future__ import annotations

from . import format as fmt
from . import page as bp
from . import ptrmap
from .format import TABLE_INTERIOR, corrupt, u32_at
from .freelist import allocate_page, free_page, take_free_page
from .ptrmap import BTREE, FREEPAGE, OVERFLOW1, OVERFLOW2, ROOTPAGE


# --8<-- [start:relocate]
def relocate(btree, pgno: int, kind: int, parent: int, new: int) -> None:
    """Move page `pgno` (of pointer-map `kind`, under `parent`) to the free page `new`."""
    pager = btree.pager
    pager.write(new)[:] = pager.get(pgno)
    if kind in (BTREE, ROOTPAGE):
        btree.adopt_page(new)  # its children and overflow chains have a new parent
    else:
        following = u32_at(pager.get(new), 0)[0]
        if following:
            ptrmap.put(pager, following, OVERFLOW2, new)
    if kind != ROOTPAGE:  # a root is found through the schema, not through a parent
        repoint(btree, parent, pgno, new, kind)
        ptrmap.put(pager, new, kind, parent)


# --8<-- [end:relocate]


def repoint(btree, parent: int, old: int, new: int, kind: int) -> None:
    """Make page `parent`'s pointer to `old` point to `new` instead."""
    pager = btree.pager
    if kind == OVERFLOW2:  # an overflow page's first 4 bytes name the next one
        if u32_at(pager.get(parent), 0)[0] != old:
            raise corrupt()
        pager.write(parent)[0:4] = new.to_bytes(4, "big")
        return
    data = pager.get(parent)
    h = bp.header_offset(parent)
    ptype = bp.page_type(data, h)
    hsize = bp.header_size(ptype)
    for i in range(bp.cell_count(data, h)):
        off = bp.cell_offset(data, h, hsize, i)
        if kind == OVERFLOW1:
            if ptype == TABLE_INTERIOR:
                continue
            cell = bp.cell_bytes(data, h, ptype, i, pager.usable)
            if btree.overflow_info(cell, ptype)[2] == old:  # the pointer ends the cell
                end = off + len(cell)
                pager.write(parent)[end - 4 : end] = new.to_bytes(4, "big")
                return
        elif u32_at(data, off)[0] == old:
            pager.write(parent)[off : off + 4] = new.to_bytes(4, "big")
            return
    if kind == BTREE and hsize == 12 and bp.right_child(data, h) == old:
        bp.set_right_child(pager.write(parent), h, new)
        return
    raise corrupt()


# --- how small the file can become ------------------------------------------------------------
def final_size(pager, pages: int, free: int) -> int:
    """The page count once all `free` pages are gone from a file of `pages` pages (the
    pointer-map pages that then describe nothing go too)."""
    entries = pager.usable // 5
    maps = (free - pages + ptrmap.map_page(pager, pages) + entries) // entries
    final = pages - free - maps
    pending = fmt.pending_byte_page(pager.page_size)
    if pages > pending and final < pending:
        final -= 1
    while final == pending or ptrmap.is_map_page(pager, final):
        final -= 1
    return final


def _free_count(pager) -> int:
    return pager.header_u32(fmt.OFF_FREELIST_COUNT)


# --8<-- [start:vacuum_at_commit]
def vacuum_at_commit(btree) -> None:
    """FULL mode: before the commit, fill the free pages with the pages from the end of
    the file, empty the freelist and cut the file after its last used page."""
    pager = btree.pager
    pages = pager.page_count
    if ptrmap.is_map_page(pager, pages) or pages == fmt.pending_byte_page(pager.page_size):
        raise corrupt()
    free = _free_count(pager)
    final = final_size(pager, pages, free)
    if final > pages:
        raise corrupt()
    if final == pages:
        return
    for last in range(pages, final, -1):
        if not _move_last(btree, final, last, at_commit=True):
            break
    if free:
        pager.set_header_u32(fmt.OFF_FREELIST_TRUNK, 0)
        pager.set_header_u32(fmt.OFF_FREELIST_COUNT, 0)
        pager.truncate(final)


# --8<-- [end:vacuum_at_commit]


def incremental_step(btree) -> bool:
    """INCREMENTAL mode: give one free page back (PRAGMA incremental_vacuum does this
    once per page asked for). False if there was none to give, or no auto-vacuum."""
    pager = btree.pager
    if not pager.autovacuum:
        return False
    pages = pager.page_count
    free = _free_count(pager)
    final = final_size(pager, pages, free)
    if pages < final or free >= pages:
        raise corrupt()
    if free == 0:
        return False
    if _move_last(btree, final, pages, at_commit=False):
        last = pages - 1
        while last == fmt.pending_byte_page(pager.page_size) or ptrmap.is_map_page(pager, last):
            last -= 1
        pager.truncate(last)
    return True


# --8<-- [start:move_last]
def _move_last(btree, final: int, last: int, at_commit: bool) -> bool:
    """Make page `last`, at the end of the file, unused: a free page is taken off the
    freelist (at commit the whole freelist goes anyway), a used one moves into a free
    page no later than `final`. False if there is no free page left."""
    pager = btree.pager
    if ptrmap.is_map_page(pager, last) or last == fmt.pending_byte_page(pager.page_size):
        return True
    if _free_count(pager) == 0:
        return False
    kind, parent = ptrmap.get(pager, last)
    if kind == ROOTPAGE:
        raise corrupt()
    if kind == FREEPAGE:
        if not at_commit:
            take_free_page(pager, last)
        return True
    if at_commit:  # any free page will do: those after `final` are dropped
        new = _pop_free(pager)
        while new > final:
            new = _pop_free(pager)
    else:
        new = take_free_page(pager, final, at_most=True)
    if new > last:
        raise corrupt()
    relocate(btree, last, kind, parent, new)
    return True


# --8<-- [end:move_last]


def _pop_free(pager) -> int:
    """Any free page, as SQLite's commit takes them: the first trunk's first leaf (the
    last leaf moves into its slot), or the trunk itself once it has none."""
    if _free_count(pager) == 0:
        raise corrupt()
    return allocate_page(pager, first=True)


# --- root pages -------------------------------------------------------------------------------
# --8<-- [start:create_root]
def create_root(btree, leaf_type: int) -> int:
    """A new tree's root: the page after the largest root, whatever was there moved away."""
    pager = btree.pager
    root = pager.header_u32(fmt.OFF_LARGEST_ROOT)
    if root > pager.page_count:
        raise corrupt()
    root += 1
    while ptrmap.is_map_page(pager, root) or root == fmt.pending_byte_page(pager.page_size):
        root += 1
    if _free_count(pager) == 0:
        got = pager.allocate_new()
    elif root <= pager.page_count and ptrmap.get(pager, root)[0] == FREEPAGE:
        got = take_free_page(pager, root)
    else:
        got = allocate_page(pager, near=root)
    if got != root:  # the page at `root` is in use: it moves to the page we got
        if root > pager.page_count:
            raise corrupt()
        kind, parent = ptrmap.get(pager, root)
        if kind in (ROOTPAGE, FREEPAGE):
            raise corrupt()
        relocate(btree, root, kind, parent, got)
    ptrmap.put(pager, root, ROOTPAGE, 0)
    pager.set_header_u32(fmt.OFF_LARGEST_ROOT, root)
    bp.init_page(pager.write(root), 0, leaf_type, pager.usable)
    return root


# --8<-- [end:create_root]


# --8<-- [start:drop_root]
def drop_root(btree, root: int) -> int:
    """Free the (emptied) tree at `root`. Unless it was the largest root, the largest
    moves into its place: returns that root's old page number (0 if none moved), for
    the program to correct in sqlite_schema."""
    pager = btree.pager
    largest = pager.header_u32(fmt.OFF_LARGEST_ROOT)
    if largest > pager.page_count or root > largest:
        raise corrupt()
    moved = 0
    if root == largest:
        free_page(pager, root)
    else:
        relocate(btree, largest, ROOTPAGE, 0, root)
        free_page(pager, largest)
        moved = largest
    largest -= 1
    while largest == fmt.pending_byte_page(pager.page_size) or ptrmap.is_map_page(pager, largest):
        largest -= 1
    pager.set_header_u32(fmt.OFF_LARGEST_ROOT, largest)
    return moved


# --8<-- [end:drop_root]
