"""One page: cells in and out, freeblocks, fragments and defragmentation keep the layout
exactly as SQLite's readers require it."""

from __future__ import annotations

import random

import pytest
from vdbe.storage import page as bp
from vdbe.storage.format import (
    INDEX_INTERIOR,
    INDEX_LEAF,
    TABLE_INTERIOR,
    TABLE_LEAF,
    local_payload_size,
)
from vdbe.varint import varint_bytes


def layout_problems(data, h, ptype, usable) -> list[str]:
    """SQLite's free-space rules, restated: freeblocks ascending and at least 4 bytes apart,
    nothing overlapping, and every byte of the page accounted for."""
    hsize = bp.header_size(ptype)
    n = bp.cell_count(data, h)
    start = bp.content_start(data, h)
    spans = []
    for i in range(n):
        off = bp.cell_offset(data, h, hsize, i)
        spans.append((off, bp.cell_size(data, off, ptype, usable), "cell"))
    block = int.from_bytes(data[h + 1 : h + 3], "big")
    problems = []
    while block:
        nxt = int.from_bytes(data[block : block + 2], "big")
        size = int.from_bytes(data[block + 2 : block + 4], "big")
        if size < 4:
            problems.append(f"freeblock {block} smaller than 4")
        if nxt and nxt <= block + size + 3:
            problems.append(f"freeblock {block} followed too closely by {nxt}")
        spans.append((block, size, "free"))
        block = nxt
    spans.sort()
    for (a, sa, _), (b, _, _) in zip(spans, spans[1:], strict=False):
        if a + sa > b:
            problems.append(f"overlap at {b}")
    if spans and spans[0][0] < start:
        problems.append("something below the content start")
    used = sum(s for _, s, _ in spans)
    if usable - start - used != data[h + 7]:
        problems.append(f"fragments: {usable - start - used} real, {data[h + 7]} recorded")
    return problems


def leaf_cell(rowid: int, size: int) -> bytes:
    return varint_bytes(size) + varint_bytes(rowid) + bytes([rowid % 256]) * size


@pytest.mark.parametrize("seed", range(6))
def test_random_inserts_and_drops_keep_the_layout_valid(seed):
    rng = random.Random(seed)
    usable = 1024
    h = 100 if seed % 2 else 0
    data = bytearray(usable)
    bp.init_page(data, h, TABLE_LEAF, usable)
    cells: list[bytes] = []
    for step in range(2000):
        if cells and (rng.random() < 0.45 or step % 50 == 0):
            i = rng.randrange(len(cells))
            bp.drop_cell(data, h, TABLE_LEAF, i, usable)
            del cells[i]
        else:
            cell = leaf_cell(step, rng.choice([0, 1, 2, 3, 5, 9, 30, 120]))
            i = rng.randint(0, len(cells))
            if bp.insert_cell(data, h, TABLE_LEAF, i, cell, usable):
                cells.insert(i, cell)
        assert layout_problems(data, h, TABLE_LEAF, usable) == [], step
        assert bp.all_cells(data, h, TABLE_LEAF, usable) == [
            c + bytes(max(0, 4 - len(c))) for c in cells
        ]


def test_defragment_packs_cells_and_clears_freeblocks():
    usable = 512
    data = bytearray(usable)
    bp.init_page(data, 0, INDEX_LEAF, usable)
    for i in range(20):
        assert bp.insert_cell(data, 0, INDEX_LEAF, i, bytes([9]) + bytes(9), usable)
    for i in range(0, 20, 3):
        bp.drop_cell(data, 0, INDEX_LEAF, i - i // 3, usable)
    before = bp.all_cells(data, 0, INDEX_LEAF, usable)
    assert int.from_bytes(data[1:3], "big") != 0  # there are freeblocks
    bp.defragment(data, 0, INDEX_LEAF, usable)
    assert bp.all_cells(data, 0, INDEX_LEAF, usable) == before
    assert data[1:3] == b"\x00\x00" and data[7] == 0
    assert bp.free_bytes(data, 0, INDEX_LEAF, usable) == usable - 8 - len(before) * 12


def test_interior_pages_keep_their_right_child():
    usable = 512
    data = bytearray(usable)
    bp.build_page(data, 0, TABLE_INTERIOR, [(7).to_bytes(4, "big") + b"\x05"], 9, usable)
    assert bp.child_at(data, 0, 0) == 7
    assert bp.child_at(data, 0, 1) == 9
    bp.set_right_child(data, 0, 11)
    assert bp.right_child(data, 0) == 11
    assert bp.cell_size(data, bp.cell_offset(data, 0, 12, 0), TABLE_INTERIOR, usable) == 5


@pytest.mark.exercise("storage-cell-parse")
@pytest.mark.parametrize(
    "ptype, cell, expected",
    [
        # table leaf: payload size 3, rowid 300 (two-byte varint), 3 payload bytes
        (TABLE_LEAF, b"\x03\x82\x2c" + b"abc", (6, 0, 300, 3, 3, 3, 0)),
        # table interior: left child 7, key 5
        (TABLE_INTERIOR, b"\x00\x00\x00\x07\x05", (5, 7, 5, 0, 5, 0, 0)),
        # index leaf: payload of 2 bytes, padded to the 4-byte minimum
        (INDEX_LEAF, b"\x02\x01\x09", (4, 0, None, 2, 1, 2, 0)),
        # index interior: left child 9, payload of 3 bytes
        (INDEX_INTERIOR, b"\x00\x00\x00\x09\x03\x02\x01\x07", (8, 9, None, 3, 5, 3, 0)),
    ],
)
def test_parse_cell_of_every_page_type(ptype, cell, expected):
    data = bytearray(512)
    data[100 : 100 + len(cell)] = cell
    info = bp.parse_cell(data, 100, ptype, 512)
    size, child, rowid, payload, start, local, overflow = expected
    assert info.size == size
    assert info.left_child == child
    assert info.rowid == rowid
    assert info.payload_size == payload
    assert info.payload_offset == 100 + start
    assert info.local_size == local
    assert info.overflow_page == overflow


@pytest.mark.exercise("storage-cell-parse")
@pytest.mark.parametrize("ptype", [TABLE_LEAF, INDEX_LEAF, INDEX_INTERIOR])
def test_parse_cell_of_overflowing_payloads(ptype):
    usable = 1024
    payload = 5000
    local = local_payload_size(payload, usable, ptype == TABLE_LEAF)
    head = b"\x00\x00\x00\x04" if ptype == INDEX_INTERIOR else b""
    head += varint_bytes(payload) + (varint_bytes(42) if ptype == TABLE_LEAF else b"")
    cell = head + bytes(local) + (77).to_bytes(4, "big")
    data = bytearray(usable)
    data[200 : 200 + len(cell)] = cell
    info = bp.parse_cell(data, 200, ptype, usable)
    assert (info.payload_size, info.local_size, info.overflow_page) == (payload, local, 77)
    assert info.size == len(cell) == bp.cell_size(data, 200, ptype, usable)
    assert info.rowid == (42 if ptype == TABLE_LEAF else None)
