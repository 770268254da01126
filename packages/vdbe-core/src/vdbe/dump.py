"""`vdbe dump`: a database file laid open, for learning the file format.

`dump(path, page=None)` returns text in three parts: the 100-byte header field by field,
the schema (the rows of sqlite_schema, read through this project's own b-tree code), and
one page decoded: its b-tree header, cell pointer array, every cell, the freeblocks and
the unallocated gap. Pages that are not b-tree pages (overflow and freelist pages) are
recognised by walking the file and shown for what they are.
"""

from __future__ import annotations

from vdbe.check import walk
from vdbe.errors import CorruptError, VdbeError
from vdbe.record import decode_record
from vdbe.storage import format as fmt
from vdbe.storage import page as bp
from vdbe.storage import ptrmap
from vdbe.storage.database import Database
from vdbe.storage.format import (
    INDEX_INTERIOR,
    TABLE_INTERIOR,
    TABLE_LEAF,
    u16_at,
    u32_at,
)

HEADER_FIELDS = [
    # (offset, size, label)
    (16, 2, "page size"),
    (18, 1, "write version"),
    (19, 1, "read version"),
    (20, 1, "reserved bytes per page"),
    (24, 4, "file change counter"),
    (28, 4, "database size in pages"),
    (32, 4, "first freelist trunk page"),
    (36, 4, "freelist pages"),
    (40, 4, "schema cookie"),
    (44, 4, "schema format"),
    (48, 4, "default cache size"),
    (52, 4, "largest root page (autovacuum)"),
    (56, 4, "text encoding"),
    (60, 4, "user version"),
    (64, 4, "incremental vacuum"),
    (68, 4, "application id"),
    (92, 4, "version-valid-for"),
    (96, 4, "SQLite version number"),
]


def _show(value, limit: int = 40) -> str:
    """A value as a short SQL-ish literal: blobs in hex, long text cut."""
    if isinstance(value, bytes):
        if len(value) > 16:
            return f"x'{value[:16].hex()}...' ({len(value)} bytes)"
        return f"x'{value.hex()}'"
    text = repr(value)
    if len(text) > limit:
        text = text[: limit - 5] + "...'" + f" ({len(value)} chars)"
    return text


# --8<-- [start:read_header]
def read_header(page1: bytes) -> list[tuple[int, str, int]]:
    """(offset, label, value) for each field of HEADER_FIELDS, read big-endian from the
    first bytes of page 1; a stored page size of 1 means 65536."""
    # exercise-start: storage-header
    fields = []
    for offset, size, label in HEADER_FIELDS:
        value = int.from_bytes(page1[offset : offset + size], "big")
        if offset == fmt.OFF_PAGE_SIZE and value == 1:
            value = 65536
        fields.append((offset, label, value))
    return fields
    # exercise-end: storage-header


# --8<-- [end:read_header]


def header_lines(page1: bytes) -> list[str]:
    lines = ["Database header (first 100 bytes of page 1)"]
    lines.append(f"  {'offset':>6}  {'field':<32} value")
    lines.append(f"  {0:>6}  {'magic string':<32} {page1[:15].decode('ascii', 'replace')!r}")
    for offset, label, value in read_header(page1):
        note = ""
        if offset == fmt.OFF_TEXT_ENCODING:
            note = f" ({fmt.ENCODING_NAMES.get(value, 'unset')})"
        lines.append(f"  {offset:>6}  {label:<32} {value}{note}")
    return lines


def schema_lines(db: Database) -> list[str]:
    lines = ["Schema (sqlite_schema, b-tree rooted at page 1)"]
    rows = []
    cursor = db.cursor(1)
    ok = cursor.first()
    while ok:
        rows.append([cursor.column(i) for i in range(5)])
        ok = cursor.next()
    if not rows:
        return lines + ["  (empty)"]
    lines.append(f"  {'type':<8} {'name':<20} {'root':>5}  sql")
    for kind, name, _table, root, sql in rows:
        sql_text = " ".join(str(sql).split()) if sql is not None else ""
        lines.append(f"  {kind!s:<8} {name!s:<20} {root!s:>5}  {sql_text}")
    return lines


# --8<-- [start:cell_lines]
def cell_line(db: Database, data, off: int, ptype: int, i: int) -> str:
    """One cell in words: child pointer, key, payload size, local bytes, overflow, values."""
    cell = bp.parse_cell(data, off, ptype, db.pager.usable)
    head = f"  cell {i:<3} @{off:<5} {cell.size:>4} bytes: "
    if ptype == TABLE_INTERIOR:
        return head + f"left child {cell.left_child}, rowid <= {cell.rowid}"
    parts = []
    if ptype == INDEX_INTERIOR:
        parts.append(f"left child {cell.left_child}")
    if ptype == TABLE_LEAF:
        parts.append(f"rowid {cell.rowid}")
    parts.append(f"payload {cell.payload_size}")
    if cell.overflow_page:
        parts.append(f"local {cell.local_size}, overflow page {cell.overflow_page}")
    try:
        values = decode_record(db.btree.read_payload(data, off, ptype))
        parts.append("[" + ", ".join(_show(v) for v in values) + "]")
    except CorruptError:
        parts.append("(malformed record)")
    return head + ", ".join(parts)


# --8<-- [end:cell_lines]


def btree_page_lines(db: Database, pgno: int, data) -> list[str]:
    h = bp.header_offset(pgno)
    ptype = data[h]
    usable = db.pager.usable
    name = fmt.PAGE_TYPE_NAMES[ptype]
    hsize = bp.header_size(ptype)
    n = bp.cell_count(data, h)
    start = bp.content_start(data, h)
    lines = [f"Page {pgno}: {name} page (type {ptype:#04x})"]
    if h:
        lines.append(f"  b-tree header at offset {h} (after the database header)")
    lines.append(
        f"  header: first freeblock {u16_at(data, h + 1)[0]}, cells {n}, "
        f"cell content from {start}, fragmented bytes {data[h + 7]}"
    )
    if hsize == 12:
        lines.append(f"  right child: page {bp.right_child(data, h)}")
    offsets = [bp.cell_offset(data, h, hsize, i) for i in range(n)]
    lines.append("  cell pointers: " + (" ".join(str(o) for o in offsets) or "(none)"))
    for i, off in enumerate(offsets):
        if off < start or off + 4 > usable:
            lines.append(f"  cell {i:<3} @{off:<5} out of range")
            continue
        lines.append(cell_line(db, data, off, ptype, i))
    blocks = []
    block = u16_at(data, h + 1)[0]
    while block and len(blocks) < usable // 4 and block + 4 <= usable:
        blocks.append(f"{block} ({u16_at(data, block + 2)[0]} bytes)")
        block = u16_at(data, block)[0]
    lines.append("  freeblocks: " + (", ".join(blocks) or "none"))
    gap_start = h + hsize + 2 * n
    lines.append(f"  unallocated: offsets {gap_start}..{start} ({start - gap_start} bytes)")
    return lines


def other_page_lines(pgno: int, data, role: str | None, pages: int = 0) -> list[str]:
    if role == "pointer map":
        return pointer_map_lines(pgno, data, pages)
    if role == "overflow page":
        return [
            f"Page {pgno}: overflow page",
            f"  next overflow page: {u32_at(data, 0)[0]}",
            f"  content starts with: {bytes(data[4:36]).hex()}",
        ]
    if role == "freelist trunk":
        leaves = u32_at(data, 4)[0]
        shown = [str(u32_at(data, 8 + 4 * i)[0]) for i in range(min(leaves, 64))]
        return [
            f"Page {pgno}: freelist trunk page",
            f"  next trunk page: {u32_at(data, 0)[0]}",
            f"  leaf pages ({leaves}): " + (" ".join(shown) or "(none)"),
        ]
    if role == "freelist leaf":
        return [f"Page {pgno}: freelist leaf page (content unused)"]
    return [f"Page {pgno}: not a b-tree page and not reachable from any tree or the freelist"]


def pointer_map_lines(pgno: int, data, pages: int) -> list[str]:
    """A pointer-map page: the kind and parent of each page after it (the first 60)."""
    lines = [f"Page {pgno}: pointer-map page"]
    for i in range(min(60, pages - pgno, len(data) // 5)):
        kind, parent = data[5 * i], u32_at(data, 5 * i + 1)[0]
        name = ptrmap.TYPE_NAMES.get(kind, f"unknown type {kind}")
        lines.append(f"  page {pgno + 1 + i}: {name}" + (f", parent {parent}" if parent else ""))
    return lines


# --8<-- [start:dump]
def dump(path: str, page: int | None = None) -> str:
    """The header, the schema and page `page` (default 1) of the database at `path`."""
    db = Database(path)
    try:
        db.begin(write=False)
        if db.pager.page_count == 0:
            return "Empty database (0 pages)\n"
        pgno = 1 if page is None else page
        if pgno < 1 or pgno > db.pager.page_count:
            raise VdbeError(
                f"page {pgno} does not exist (the database has {db.pager.page_count} pages)"
            )
        lines = header_lines(db.pager.get(1))
        lines.append("")
        lines += schema_lines(db)
        lines.append("")
        data = db.pager.get(pgno)
        h = bp.header_offset(pgno)
        role = walk(db).use.get(pgno) if pgno != 1 else "b-tree"
        if data[h] in fmt.PAGE_TYPES and (role is None or role.startswith("b-tree")):
            lines += btree_page_lines(db, pgno, data)
        else:
            lines += other_page_lines(pgno, data, role, db.pager.page_count)
        return "\n".join(lines) + "\n"
    except (IndexError, KeyError) as exc:
        raise CorruptError() from exc
    finally:
        db.close()


# --8<-- [end:dump]
