"""VACUUM: the database rebuilt compactly, then copied over the original under the journal.

Deleting rows leaves pages on the freelist and half-empty pages in the trees; the file
never shrinks by itself. SQLite's VACUUM builds a fresh copy of the database (running
the schema's CREATE statements and an INSERT ... SELECT per table into a temporary
database) and then copies that copy back over the original page by page, inside a write
transaction: the rollback journal holds every original page the copy overwrites, or
cuts off, so a crash in the middle leaves the old database whole.

This module does the same with the storage layer's own parts:

    rebuild(db)             an in-memory pager holding `db` packed: no freelist, full pages
    copy_back(db, image)    the rebuilt pages written over `db` (in its write transaction)
    write_copy(image, ...)  VACUUM INTO: the rebuilt pages written to a new file

The copy keeps SQLite's order: the tables' root pages first (each followed by its
automatic indexes, and `sqlite_sequence` after the first AUTOINCREMENT table), then the
CREATE INDEX roots, then the data; the schema table lists them in that order, with the
views and triggers last. Each tree is loaded bottom-up from its entries in key order:
leaves filled as full as they go, then each level of interior pages above them.
"""

from __future__ import annotations

from vdbe.errors import SqlError, VdbeError
from vdbe.record import encode_record
from vdbe.sqltokens import tokenize, words
from vdbe.varint import read_varint, varint_bytes

from . import autovacuum
from . import format as fmt
from . import page as bp
from .btree import Btree, cell_costs, fill_runs
from .format import INDEX_INTERIOR, INDEX_LEAF, TABLE_INTERIOR, TABLE_LEAF
from .freelist import allocate_page
from .pager import Pager

# Header fields the copy keeps from the original (SQLite's list in vacuum.c): the default
# cache size, text encoding, user version and application id. The schema cookie goes up by
# one; the freelist, the change counter and the page count are the copy's own.
KEPT_FIELDS = (48, fmt.OFF_TEXT_ENCODING, 60, 68)
NO_AUTOVACUUM, FULL, INCREMENTAL = 0, 1, 2


def parse_autovacuum(value: str) -> int:
    """The mode `PRAGMA auto_vacuum = value` names, as SQLite reads it (0 if unknown)."""
    modes = {"none": NO_AUTOVACUUM, "full": FULL, "incremental": INCREMENTAL}
    value = value.strip().lower()
    if value in modes:
        return modes[value]
    number = int(value) if value.lstrip("-+").isdigit() else 0
    return number if 0 <= number <= 2 else 0


def autovacuum_mode(pager) -> int:
    """The auto-vacuum mode of a database: 0 none, 1 full, 2 incremental."""
    if not pager.autovacuum:
        return NO_AUTOVACUUM
    return INCREMENTAL if pager.incremental else FULL


def schema_rows(db) -> list[list]:
    """Every row of `db`'s sqlite_schema, in rowid order: [type, name, tbl_name, rootpage, sql]."""
    rows = []
    cursor = db.cursor(1)
    found = cursor.first()
    while found:
        rows.append([cursor.column(i) for i in range(5)])
        found = cursor.next()
    return rows


# --8<-- [start:order]
def rebuild_order(rows: list[list]) -> list[list]:
    """The schema rows in the order SQLite's VACUUM writes them into the copy.

    First each table (its CREATE statement creates its automatic indexes, and the first
    AUTOINCREMENT table creates sqlite_sequence), then the CREATE INDEX statements, then
    everything without a b-tree (views, triggers, virtual tables).
    """
    tables, indexes, rest = [], [], []
    sequence = next((r for r in rows if r[0] == "table" and r[1] == "sqlite_sequence"), None)
    for row in rows:
        kind, name, table, root, sql = row
        if not root:
            rest.append(row)
        elif kind == "table" and row is not sequence:
            tables.append(row)
            tables += [r for r in rows if r[0] == "index" and r[4] is None and r[2] == table]
            if sequence is not None and sequence not in tables and _autoincrement(sql):
                tables.append(sequence)
        elif kind == "index" and sql is not None:
            indexes.append(row)
    if sequence is not None and sequence not in tables:
        tables.append(sequence)
    return tables + indexes + rest


# --8<-- [end:order]


def _autoincrement(sql) -> bool:
    return isinstance(sql, str) and any(
        t.kind == "id" and t.text.upper() == "AUTOINCREMENT" for t in words(tokenize(sql))
    )


# --8<-- [start:rebuild]
def rebuild(db, mode: int | None = None) -> Pager:
    """A compact copy of `db` (in a transaction) in a new in-memory pager, in auto-vacuum
    `mode` (by default the mode `db` has)."""
    source = db.pager
    image = Pager(None, page_size=source.page_size)
    image.new_autovacuum = autovacuum_mode(source) if mode is None else mode
    image.autovacuum = image.new_autovacuum != NO_AUTOVACUUM
    image.incremental = image.new_autovacuum == INCREMENTAL
    image.begin_write()  # page 1: an empty database's header and schema table
    image.usable = source.usable
    header = image.write(1)
    header[fmt.OFF_RESERVED] = source.page_size - source.usable
    for offset in KEPT_FIELDS:
        header[offset : offset + 4] = source.get(1)[offset : offset + 4]
    cookie = source.header_u32(fmt.OFF_SCHEMA_COOKIE)
    image.set_header_u32(fmt.OFF_SCHEMA_COOKIE, cookie + 1)
    loader = TreeLoader(image)
    rows = rebuild_order(schema_rows(db))
    roots = {row[3]: _new_root(loader, source, row[3]) for row in rows if row[3]}
    if not roots:  # no CREATE ran in SQLite's copy, so nothing set the schema format
        image.set_header_u32(fmt.OFF_SCHEMA_FORMAT, 0)
    for old, new in roots.items():
        loader.load(new, _entries(db, old), _is_table(source, old))
    schema = [
        (rowid, encode_record([kind, name, table, roots.get(root, 0), sql]))
        for rowid, (kind, name, table, root, sql) in enumerate(rows, 1)
    ]
    loader.load(1, iter(schema), table=True)
    return image


# --8<-- [end:rebuild]


def _new_root(loader, source, old: int) -> int:
    """A root page in the copy for the tree at `old`: the next page of the file (in an
    auto-vacuum copy, after the pointer map, and the largest root noted)."""
    if not loader.pager.autovacuum:
        return allocate_page(loader.pager)
    leaf = TABLE_LEAF if _is_table(source, old) else INDEX_LEAF
    return autovacuum.create_root(loader.btree, leaf)


def _is_table(pager, root: int) -> bool:
    data = pager.get(root)
    return bp.page_type(data, bp.header_offset(root)) in (TABLE_LEAF, TABLE_INTERIOR)


def _entries(db, root: int):
    """The entries of the tree at `root` in key order: (rowid, record) for a table, the
    key record for an index."""
    cursor = db.cursor(root)
    table = _is_table(db.pager, root)
    found = cursor.first()
    while found:
        yield (cursor.rowid(), cursor.payload()) if table else cursor.payload()
        found = cursor.next()


class TreeLoader:
    """Fills empty b-trees of a pager from entries in key order, bottom-up."""

    def __init__(self, pager: Pager) -> None:
        self.pager = pager
        self.btree = Btree(pager)

    # --8<-- [start:load]
    def load(self, root: int, entries, table: bool) -> None:
        """Fill the empty tree at `root`: the leaves, then interior levels until one page,
        the root, holds the top.

        A table's leaf is cut where the next row does not fit, and its largest rowid
        becomes the divider above it. An index's entry that does not fit goes up itself
        as the divider (interior cells of an index hold whole keys), and so does an
        interior level's cell, its child becoming the page's right-most pointer.
        """
        make = self.btree.make_cell
        if table:
            cells = [make(TABLE_LEAF, record, rowid) for rowid, record in entries]
            level = self._level(root, cells, TABLE_LEAF, consume=False)
        else:
            cells = [make(INDEX_LEAF, record) for record in entries]
            level = self._level(root, cells, INDEX_LEAF, consume=True)
        interior = TABLE_INTERIOR if table else INDEX_INTERIOR
        while level is not None:
            children, dividers = level
            pairs = zip(children[:-1], dividers, strict=True)
            cells = [child.to_bytes(4, "big") + key for child, key in pairs]
            level = self._level(root, cells, interior, consume=True, rightmost=children[-1])

    # --8<-- [end:load]

    def _level(self, root: int, cells: list[bytes], ptype: int, consume: bool, rightmost=0):
        """Write one level of the tree: into `root` if it all fits there, else over new
        pages (an interior level's last page points right at `rightmost`). Returns
        (children, dividers) for the level above, or None when the root is written."""
        usable = self.pager.usable
        h = bp.header_offset(root)
        if bp.fits(cells, ptype, h, usable):
            self._write(root, ptype, cells, rightmost)
            return None
        capacity = usable - bp.header_size(ptype)
        runs = fill_runs(cell_costs(cells), capacity, capacity, consume)
        children, dividers = [], []
        for start, end in runs:
            last = end >= len(cells)
            right = rightmost
            if not last:
                if ptype == TABLE_LEAF:  # the largest rowid on the page, repeated above
                    dividers.append(varint_bytes(_rowid(cells[end - 1])))
                elif ptype == INDEX_LEAF:  # the next entry itself
                    dividers.append(cells[end])
                else:  # the next cell's key; its child is this page's right-most
                    right = int.from_bytes(cells[end][:4], "big")
                    dividers.append(cells[end][4:])
            pgno = allocate_page(self.pager)
            self._write(pgno, ptype, cells[start:end], right)
            children.append(pgno)
        return children, dividers

    def _write(self, pgno: int, ptype: int, cells: list[bytes], right: int) -> None:
        h = bp.header_offset(pgno)
        bp.build_page(self.pager.write(pgno), h, ptype, cells, right, self.pager.usable)
        if self.pager.autovacuum:
            self.btree.adopt(pgno, ptype, cells, right)


def _rowid(cell: bytes) -> int:
    """The rowid of a table leaf cell (it follows the payload size)."""
    _, p = read_varint(cell, 0)
    return read_varint(cell, p)[0]


# --8<-- [start:copy_back]
def copy_back(db, image: Pager) -> None:
    """Write the rebuilt pages over `db`, in its write transaction, to be committed.

    Every page that changes goes through the pager's journal first, and so does every
    page past the copy's end, which the commit cuts off: a crash before the commit ends
    leaves a hot journal that puts the old database back, as after any transaction.
    """
    pager = db.pager
    counter = pager.header_u32(fmt.OFF_CHANGE_COUNTER)
    for pgno in range(image.page_count + 1, pager.page_count + 1):
        pager.write(pgno)  # journaled: the commit truncates it
        pager.maybe_spill()
    pending = fmt.pending_byte_page(pager.page_size)
    for pgno in range(1, image.page_count + 1):
        if pgno == pending:
            continue
        if pgno > pager.page_count:
            pager.allocate_new()
        pager.write(pgno)[:] = image.get(pgno)
        pager.maybe_spill()
    pager.page_count = image.page_count
    pager.autovacuum, pager.incremental = image.autovacuum, image.incremental
    pager.set_header_u32(fmt.OFF_CHANGE_COUNTER, counter)  # the commit adds one


# --8<-- [end:copy_back]


def write_copy(image: Pager, path: str, vfs) -> None:
    """VACUUM INTO: the rebuilt pages as a new database file at `path` (which must be
    missing or empty), synced, with the header of a file written once."""
    try:
        out = vfs.open(path)
    except VdbeError as exc:
        raise SqlError(f"unable to open database: {path}", "SQLITE_CANTOPEN") from exc
    try:
        if out.size() > 0:
            raise SqlError("output file already exists")
        for offset in (fmt.OFF_CHANGE_COUNTER, fmt.OFF_VERSION_VALID_FOR):
            image.set_header_u32(offset, 1)
        image.set_header_u32(fmt.OFF_PAGE_COUNT, image.page_count)
        image.set_header_u32(fmt.OFF_SQLITE_VERSION, fmt.SQLITE_VERSION_NUMBER)
        pending = fmt.pending_byte_page(image.page_size)
        for pgno in range(1, image.page_count + 1):
            if pgno != pending:
                out.write((pgno - 1) * image.page_size, image.get(pgno))
        out.sync()
    finally:
        out.close()
