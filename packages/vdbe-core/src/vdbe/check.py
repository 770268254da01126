"""`vdbe check`: this project's own integrity check of a database file.

Like SQLite's `PRAGMA integrity_check`, it walks every b-tree named in sqlite_schema and
the freelist, and reports what breaks the file format's rules:

- every page is a known b-tree page type, of its tree's kind (table or index);
- cells lie inside the page, do not overlap each other or the freeblocks, and the bytes
  of cells, freeblocks, fragments and the gap add up to the page;
- keys are in order inside a page and within the bounds set by the parent's dividers;
- all leaves of a tree are at the same depth;
- overflow chains have the length their payload size requires;
- every page of the file is used exactly once: by a tree, an overflow chain or the freelist
  (or, in an auto-vacuum database, as a pointer-map page);
- in an auto-vacuum database, every page's pointer-map entry names its kind and parent as
  found by the walk, and the header's largest root page is the largest root;
- the schema's SQL is what SQLite can read back: each CREATE statement of sqlite_schema
  is compiled, in order, by real SQLite on an empty database in memory (a file whose
  schema does not parse is one SQLite calls malformed, whatever its pages say).

`check(path)` returns the problems found, an empty list when the file is sound.
"""

from __future__ import annotations

from vdbe.errors import CorruptError, VdbeError
from vdbe.keyinfo import KeyInfo
from vdbe.record import compare_keys, decode_record
from vdbe.sqlite_library import sqlite3
from vdbe.storage import format as fmt
from vdbe.storage import page as bp
from vdbe.storage import ptrmap
from vdbe.storage.database import Database
from vdbe.storage.format import (
    INDEX_INTERIOR,
    INDEX_LEAF,
    TABLE_INTERIOR,
    TABLE_LEAF,
    local_payload_size,
    u16_at,
    u32_at,
)
from vdbe.varint import read_varint

MAX_PROBLEMS = 100
FREE_ENTRY = (ptrmap.FREEPAGE, 0)


class Walker:
    """Visits the pages of one database, recording each page's use and every problem."""

    def __init__(self, db: Database) -> None:
        self.db = db
        self.pager = db.pager
        self.usable = db.pager.usable
        self.problems: list[str] = []
        self.use: dict[int, str] = {}  # page number -> what it is
        self.parents: dict[int, tuple[int, int]] = {}  # page -> (pointer-map kind, parent)

    def problem(self, text: str) -> None:
        if len(self.problems) < MAX_PROBLEMS:
            self.problems.append(text)

    def claim(self, pgno: int, role: str, where: str, entry: tuple[int, int] = (0, 0)) -> bool:
        """Page `pgno` is used as `role`; `entry` is the pointer-map entry that says so."""
        if pgno < 1 or pgno > self.pager.page_count:
            self.problem(f"{where}: invalid page number {pgno}")
            return False
        if pgno in self.use:
            self.problem(f"{where}: 2nd reference to page {pgno} ({self.use[pgno]})")
            return False
        self.use[pgno] = role
        self.parents[pgno] = entry
        return True

    # --- the freelist -------------------------------------------------------------------------
    def walk_freelist(self) -> None:
        trunk = self.pager.header_u32(fmt.OFF_FREELIST_TRUNK)
        expected = self.pager.header_u32(fmt.OFF_FREELIST_COUNT)
        found = 0
        while trunk:
            if not self.claim(trunk, "freelist trunk", "Freelist", FREE_ENTRY):
                return
            found += 1
            data = self.pager.get(trunk)
            leaves = u32_at(data, 4)[0]
            if leaves > self.usable // 4 - 2:
                self.problem(f"Freelist: trunk page {trunk} claims {leaves} leaves")
                return
            for i in range(leaves):
                leaf = u32_at(data, 8 + 4 * i)[0]
                if self.claim(leaf, "freelist leaf", "Freelist", FREE_ENTRY):
                    found += 1
            trunk = u32_at(data, 0)[0]
        if found != expected:
            self.problem(f"Freelist: size is {found} but the header says {expected}")

    # --- b-trees ------------------------------------------------------------------------------
    def walk_tree(self, root: int, name: str, key_info: KeyInfo | None) -> None:
        self.tree_name = name
        self.key_info = key_info
        self.leaf_depth = None
        try:
            self._walk_page(root, 0, None, None, None)
        except (CorruptError, IndexError, ValueError) as exc:
            self.problem(f"Tree {root} ({name}): unreadable: {exc}")

    def _walk_page(self, pgno, depth, kind, low, high, parent=0):
        """Check one page; `low`/`high` bound its keys (exclusive low, inclusive high)."""
        where = f"Tree {self.tree_name} page {pgno}"
        if depth > 20:
            self.problem(f"{where}: tree deeper than 20 levels")
            return
        entry = (ptrmap.BTREE, parent) if depth else (ptrmap.ROOTPAGE, 0)
        if not self.claim(pgno, f"b-tree page of {self.tree_name}", where, entry):
            return
        data = self.pager.get(pgno)
        h = bp.header_offset(pgno)
        ptype = data[h]
        if ptype not in fmt.PAGE_TYPES:
            self.problem(f"{where}: invalid page type {ptype:#04x}")
            return
        is_table = ptype in (TABLE_LEAF, TABLE_INTERIOR)
        if kind is not None and kind != is_table:
            self.problem(f"{where}: a {fmt.PAGE_TYPE_NAMES[ptype]} page in the wrong kind of tree")
            return
        cells = self._check_layout(data, h, ptype, where)
        if cells is None:
            return
        leaf = ptype in (TABLE_LEAF, INDEX_LEAF)
        if leaf:
            if self.leaf_depth is None:
                self.leaf_depth = depth
            elif self.leaf_depth != depth:
                self.problem(f"{where}: leaf at depth {depth}, others at {self.leaf_depth}")
        keys = []
        for i, off in enumerate(cells):
            key = self._check_cell(data, off, ptype, f"{where} cell {i}", pgno)
            keys.append(key)
        self._check_order(keys, is_table, leaf, low, high, where)
        if not leaf:
            bounds = [low] + keys
            for i, off in enumerate(cells):
                child = u32_at(data, off)[0]
                self._walk_page(child, depth + 1, is_table, bounds[i], keys[i], pgno)
            right = bp.right_child(data, h)
            self._walk_page(right, depth + 1, is_table, bounds[-1], high, pgno)

    def _check_layout(self, data, h, ptype, where):
        """Cell offsets and free space; returns the cell offsets, or None if unusable."""
        usable = self.usable
        hsize = bp.header_size(ptype)
        n = bp.cell_count(data, h)
        start = bp.content_start(data, h)
        ptr_end = h + hsize + 2 * n
        if ptr_end > start or start > usable:
            self.problem(f"{where}: {n} cells do not fit (content starts at {start})")
            return None
        spans = []
        offsets = []
        for i in range(n):
            off = bp.cell_offset(data, h, hsize, i)
            if off < start or off + 4 > usable:
                self.problem(f"{where}: cell {i} offset {off} out of range")
                return None
            size = bp.cell_size(data, off, ptype, usable)
            if off + size > usable:
                self.problem(f"{where}: cell {i} extends past the end of the page")
                return None
            spans.append((off, size))
            offsets.append(off)
        block = u16_at(data, h + 1)[0]
        free = 0
        guard = 0
        while block:
            guard += 1
            if block < start or block + 4 > usable or guard > usable // 4:
                self.problem(f"{where}: freeblock at {block} out of range")
                return None
            nxt, size = u16_at(data, block)[0], u16_at(data, block + 2)[0]
            if nxt and nxt <= block + size + 3:
                self.problem(f"{where}: freeblocks out of order or closer than 4 bytes at {block}")
                return None
            spans.append((block, size))
            free += size
            block = nxt
        spans.sort()
        for (a, sa), (b, _sb) in zip(spans, spans[1:], strict=False):
            if a + sa > b:
                self.problem(f"{where}: cells or freeblocks overlap at offset {b}")
                return None
        used = sum(s for _o, s in spans)
        frag = data[h + 7]
        if used + frag + (start - ptr_end) != usable - ptr_end:
            unaccounted = usable - start - used
            self.problem(f"{where}: fragmentation of {unaccounted} bytes reported as {frag}")
        return offsets

    def _check_cell(self, data, off, ptype, where, pgno):
        """The cell's key (rowid or decoded record), after checking its overflow chain."""
        if ptype == TABLE_INTERIOR:
            return read_varint(data, off + 4)[0]
        p = off + 4 if ptype == INDEX_INTERIOR else off
        size, p = read_varint(data, p)
        rowid = None
        if ptype == TABLE_LEAF:
            rowid, p = read_varint(data, p)
        local = local_payload_size(size, self.usable, ptype == TABLE_LEAF)
        if local < size:
            self._walk_overflow(u32_at(data, p + local)[0], size, local, where, pgno)
        if ptype == TABLE_LEAF:
            return rowid
        try:
            return decode_record(self.db.btree.read_payload(data, off, ptype))
        except CorruptError:
            self.problem(f"{where}: malformed record")
            return None

    def _walk_overflow(self, first, size, local, where, cell_page):
        chunk = self.usable - 4
        expected = (size - local + chunk - 1) // chunk
        pgno, count = first, 0
        entry = (ptrmap.OVERFLOW1, cell_page)
        while pgno and count <= expected:
            if not self.claim(pgno, "overflow page", where, entry):
                return
            count += 1
            entry = (ptrmap.OVERFLOW2, pgno)
            pgno = u32_at(self.pager.get(pgno), 0)[0]
        if count != expected or pgno:
            self.problem(f"{where}: overflow chain has {count} pages, expected {expected}")

    # --8<-- [start:check_pointer_map]
    def check_pointer_map(self, roots: list[int]) -> None:
        """Auto-vacuum: the pointer-map pages are where the format puts them, every
        entry says what the walk found, and the header names the largest root."""
        pager = self.pager
        for pgno in range(2, pager.page_count + 1):
            if ptrmap.is_map_page(pager, pgno):
                self.claim(pgno, "pointer map", "Pointer map")
        for pgno in range(3, pager.page_count + 1):
            expected = self.parents.get(pgno)
            if expected is None or ptrmap.is_map_page(pager, pgno):
                continue
            got = ptrmap.get(pager, pgno)
            if got != expected:
                self.problem(
                    f"Bad ptr map entry key={pgno} expected=({expected[0]},{expected[1]})"
                    f" got=({got[0]},{got[1]})"
                )
        largest = max(roots, default=1)
        in_header = pager.header_u32(fmt.OFF_LARGEST_ROOT)
        if largest != in_header:
            self.problem(f"max rootpage ({largest}) disagrees with header ({in_header})")

    # --8<-- [end:check_pointer_map]

    def _check_order(self, keys, is_table, leaf, low, high, where):
        if not is_table and self.key_info is None:
            return  # an index with collations or DESC columns we do not model here

        def cmp(a, b):
            if is_table:
                return (a > b) - (a < b)
            return compare_keys(a, b, self.key_info)

        prev = low
        for i, key in enumerate(keys):
            if key is None:
                return
            if prev is not None and cmp(key, prev) <= 0:
                self.problem(f"{where}: key {i} out of order")
                return
            # a table's divider is the largest rowid on its left; an index divider is an
            # entry itself, so everything on its left is strictly smaller
            if high is not None and cmp(key, high) > (0 if is_table else -1):
                self.problem(f"{where}: key {i} above its parent's divider")
                return
            prev = key

    # --- the whole file -----------------------------------------------------------------------
    def schema_rows(self) -> list[tuple]:
        """(type, name, root page, sql) for every row of sqlite_schema, in rowid order."""
        rows = []
        cursor = self.db.cursor(1)
        ok = cursor.first()
        while ok:
            rows.append(tuple(cursor.column(i) for i in (0, 1, 3, 4)))
            ok = cursor.next()
        return rows

    def check_schema_sql(self, rows: list[tuple]) -> None:
        """Report the first schema entry whose SQL real SQLite cannot compile."""
        scratch = sqlite3.connect(":memory:")
        try:
            scratch.execute("PRAGMA writable_schema = ON")  # allows the sqlite_ names
            for _, name, _, sql in rows:
                if not isinstance(sql, str):
                    continue  # automatic indexes have no SQL
                try:
                    scratch.execute(sql)
                except sqlite3.Error as exc:
                    if not _made_by_sqlite(str(name), str(exc)):
                        self.problem(f"malformed database schema ({name}) - {exc}")
                        return
        finally:
            scratch.close()


def _made_by_sqlite(name: str, error: str) -> bool:
    """Is this error only the scratch database lacking what the file's schema had?

    SQLite creates sqlite_sequence itself with the first AUTOINCREMENT table, and a
    virtual table's module (an extension) need not be loaded to read the schema.
    """
    if error.startswith("no such module"):
        return True
    return name.lower().startswith("sqlite_") and error.endswith("already exists")


def _trees(rows: list[tuple]) -> list[tuple]:
    """(root, name, key info or None) for every b-tree in sqlite_schema."""
    trees = [(1, "sqlite_schema", None)]
    for kind, name, root, sql in rows:
        if isinstance(root, int) and root > 0:
            trees.append((root, str(name), _key_info_for(kind, sql)))
    return trees


def _key_info_for(kind, sql) -> KeyInfo | None:
    """Binary ascending order for plain indexes; None (order not checked) when the SQL
    asks for collations or descending columns, which only a SQL compiler could resolve."""
    text = (sql or "").upper()
    if kind == "table" and "WITHOUT ROWID" not in text:
        return KeyInfo(0)
    if "COLLATE" in text or " DESC" in text or "WITHOUT ROWID" in text:
        return None
    return KeyInfo(0)


def walk(db: Database) -> Walker:
    """Walk every structure of `db` (inside a read transaction)."""
    w = Walker(db)
    try:
        rows = w.schema_rows()
    except CorruptError:
        w.problem("sqlite_schema is unreadable")
        rows = []
    w.check_schema_sql(rows)
    trees = _trees(rows)
    for root, name, key_info in trees:
        w.walk_tree(root, name, key_info)
    try:
        w.walk_freelist()
    except CorruptError:
        w.problem("Freelist: unreadable")
    if db.pager.autovacuum:
        try:
            w.check_pointer_map([root for root, _, _ in trees])
        except CorruptError:
            w.problem("Pointer map: unreadable")
    elif db.pager.header_u32(fmt.OFF_INCREMENTAL_VACUUM):
        w.problem("incremental_vacuum enabled with a max rootpage of zero")
    locked = fmt.pending_byte_page(db.pager.page_size)
    for pgno in range(1, db.pager.page_count + 1):
        if pgno not in w.use and pgno != locked:
            w.problem(f"Page {pgno}: never used")
    return w


# --8<-- [start:check]
def check(path: str) -> list[str]:
    """Check the database file at `path`; return the problems found ([] means ok)."""
    db = Database(path)
    try:
        db.begin(write=False)
        if db.pager.page_count == 0:
            return []
        size = db.pager.file.size()
        if size < db.pager.page_count * db.pager.page_size:
            return [
                f"File is {size} bytes but the header says "
                f"{db.pager.page_count} pages of {db.pager.page_size}"
            ]
        return walk(db).problems
    except VdbeError:
        raise
    except (IndexError, ValueError) as exc:
        raise CorruptError() from exc
    finally:
        db.close()


# --8<-- [end:check]
