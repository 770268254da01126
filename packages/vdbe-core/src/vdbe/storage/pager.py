"""The pager: pages of the database file, a bounded cache, transactions and savepoints.

The b-tree layer asks for page N with `get(n)` (to read) or `write(n)` (to change it).
The pager reads pages on demand, keeps at most `cache_pages` of them in memory, and makes
changes atomic: before a page changes for the first time in a transaction its original goes
to the rollback journal; commit syncs the journal, writes the pages, syncs the database and
deletes the journal (that deletion is the moment of commit). An in-memory pager keeps the
originals in a dict instead, so rollback works the same way.

Savepoints nest inside a transaction. Each keeps the image of every page as it was when the
savepoint began, the first time that page changes afterwards; rolling back to it puts those
images back and forgets pages allocated since.
"""

from __future__ import annotations

import tempfile
import time

from vdbe.errors import BusyError, VdbeError

from . import format as fmt
from . import ptrmap
from .format import corrupt
from .journal import JournalWriter, journal_path, playback
from .locking import EXCLUSIVE, NO_LOCK, RESERVED, SHARED
from .vfs import OsVfs

NONE, READ, WRITE = 0, 1, 2


class Savepoint:
    __slots__ = ("name", "pages", "images")

    def __init__(self, name: str, pages: int) -> None:
        self.name = name
        self.pages = pages  # database size when the savepoint began
        # page number -> its content when the savepoint began: the bytes themselves
        # (in-memory databases) or their offset in the pager's statement journal
        self.images: dict[int, bytes | int] = {}


class PageCache(dict):
    """The cached pages (page number -> bytes) and, beside them, `interior_keys`: the keys
    cursors decoded once from an interior page to bisect (the divider rowids of a table
    page; for an index page, see BtreeCursor._interior_index_keys).

    One rule keeps the two true to each other, and this class is its only keeper: a
    page's keys go when the page leaves the cache or is replaced in it, and when its
    bytes are about to change (`changing`)."""

    def __init__(self) -> None:
        super().__init__()
        self.interior_keys: dict[int, object] = {}

    def __setitem__(self, pgno: int, page: bytearray) -> None:
        self.interior_keys.pop(pgno, None)
        super().__setitem__(pgno, page)

    def __delitem__(self, pgno: int) -> None:
        self.interior_keys.pop(pgno, None)
        super().__delitem__(pgno)

    def pop(self, pgno: int, *default):
        self.interior_keys.pop(pgno, None)
        return super().pop(pgno, *default)

    def clear(self) -> None:
        self.interior_keys.clear()
        super().clear()

    def changing(self, pgno: int) -> None:
        """Page `pgno`'s bytes are about to change: what was decoded from them goes."""
        self.interior_keys.pop(pgno, None)


class StatementJournal:
    """Page images for savepoints of a file database, kept in a temporary file (as
    SQLite's statement journal) so that a big statement does not fill the memory."""

    def __init__(self, page_size: int) -> None:
        self.page_size = page_size
        self.file = tempfile.TemporaryFile(prefix="vdbe-stmt-")  # noqa: SIM115 - kept open
        self.end = 0

    def save(self, page) -> int:
        offset = self.end
        self.file.seek(offset)
        self.file.write(page)
        self.end += self.page_size
        return offset

    def load(self, offset: int) -> bytes:
        self.file.seek(offset)
        return self.file.read(self.page_size)

    def close(self) -> None:
        self.file.close()


class Pager:
    """Pages of one database: `path=None` keeps them all in memory."""

    def __init__(
        self, path: str | None, *, page_size: int = 4096, cache_pages: int = 2000, vfs=None
    ) -> None:
        if (
            page_size < fmt.MIN_PAGE_SIZE
            or page_size > fmt.MAX_PAGE_SIZE
            or page_size & (page_size - 1)
        ):
            raise VdbeError(f"page size must be a power of two from 512 to 65536: {page_size}")
        self.path = path
        self.vfs = vfs or OsVfs()
        self.page_size = page_size
        self.usable = page_size
        self.cache_pages = max(10, cache_pages)
        self.page_count = 0
        self.cache = PageCache()
        self.interior_keys = self.cache.interior_keys  # read and filled by cursors
        self.dirty: set[int] = set()
        self.state = NONE
        self.savepoints: list[Savepoint] = []
        self.statements: StatementJournal | None = None
        self.original_pages = 0
        self.journal: JournalWriter | None = None
        self.jfile = None
        self.journaled: set[int] = set()
        self.originals: dict[int, bytes] = {}  # in-memory databases: pre-transaction images
        self.spilled = False
        self.change_counter = -1
        # auto-vacuum: the header's largest-root-page field (offset 52) is not zero, and
        # the file keeps pointer-map pages; `incremental` (offset 64) leaves the vacuuming
        # to PRAGMA incremental_vacuum. A new file takes `new_autovacuum` (0, 1 full,
        # 2 incremental: what PRAGMA auto_vacuum asked for before the file existed).
        self.autovacuum = False
        self.incremental = False
        self.new_autovacuum = 0
        self.file = None
        if path is not None:
            self.file = self.vfs.open(path)
            try:
                self.begin_read()
            finally:
                self.end_read()

    @property
    def in_memory(self) -> bool:
        return self.file is None

    # --- reading --------------------------------------------------------------------------
    # --8<-- [start:get]
    def get(self, pgno: int) -> bytearray:
        """Page `pgno` for reading (do not modify: call write() first)."""
        page = self.cache.get(pgno)
        if page is not None:
            return page
        if pgno == 1 and self.page_count == 0:
            return self._empty_page1()  # a zero-length file is an empty database
        if pgno < 1 or pgno > self.page_count:
            raise corrupt()
        if self.file is None:
            page = bytearray(self.page_size)
        else:
            raw = self.file.read((pgno - 1) * self.page_size, self.page_size)
            page = bytearray(raw)
            if len(page) < self.page_size:
                page.extend(bytes(self.page_size - len(page)))
        if len(self.cache) >= self.cache_pages and self.file is not None:
            self._evict_clean()
        self.cache[pgno] = page
        return page

    # --8<-- [end:get]

    def _forget_cache(self) -> None:
        """Drop every cached page (they are read again from the file when needed)."""
        self.cache.clear()

    def _evict_clean(self) -> None:
        """Forget the oldest clean pages (they can be read again from the file)."""
        target = self.cache_pages * 7 // 8
        drop = []
        excess = len(self.cache) - target
        for pgno in self.cache:
            if excess <= 0:
                break
            if pgno not in self.dirty and pgno != 1:
                drop.append(pgno)
                excess -= 1
        for pgno in drop:
            del self.cache[pgno]

    def maybe_spill(self) -> None:
        """Called between b-tree operations (never while one holds pages): if too many
        pages are dirty, write them out so the cache stays bounded."""
        if self.file is not None and len(self.dirty) > self.cache_pages // 2:
            self._spill()

    def _spill(self) -> None:
        """Write dirty pages to the database file mid-transaction (journal synced first)."""
        if self.journal is None:
            self._open_journal()
        self._seal_journal()
        self.file.lock(EXCLUSIVE)
        self.spilled = True  # before the first write: if one fails, rollback needs the journal
        self._write_dirty()

    def _write_dirty(self) -> None:
        ps = self.page_size
        for pgno in sorted(self.dirty):
            if pgno <= self.page_count:
                self.file.write((pgno - 1) * ps, self.cache[pgno])
        self.dirty.clear()

    # --- transactions ---------------------------------------------------------------------
    def begin_read(self) -> None:
        """Take a SHARED lock, recover a hot journal, notice changes by other processes."""
        if self.state != NONE:
            return
        if self.file is not None:
            self.file.lock(SHARED)
            try:
                self._recover_hot_journal()
                self._load_header()
            except BaseException:
                self.file.unlock(NO_LOCK)
                raise
        self.state = READ

    def end_read(self) -> None:
        if self.state == READ:
            self.state = NONE
            if self.file is not None:
                self.file.unlock(NO_LOCK)

    def _recover_hot_journal(self) -> None:
        jpath = journal_path(self.path)
        if not self.vfs.exists(jpath):
            return
        if self.file.reserved_elsewhere():
            return  # another process is writing: its journal is live, not hot
        if self.file.readonly:
            raise VdbeError(
                "attempt to write a readonly database (a hot journal needs rolling back)",
                "SQLITE_READONLY",
            )
        self.file.lock(EXCLUSIVE)
        jfile = self.vfs.open(jpath)
        try:
            if jfile.size() > 0 and self.file.size() > 0:
                playback(jfile, self.file)
        finally:
            jfile.close()
        self.vfs.delete(jpath)
        self._forget_cache()
        self.change_counter = -1
        self.file.unlock(SHARED)

    def _load_header(self) -> None:
        size = self.file.size()
        if size == 0:
            self.page_count = 0
            self._forget_cache()
            self.change_counter = -1
            self.autovacuum = self.new_autovacuum != 0
            self.incremental = self.new_autovacuum == 2
            return
        header = self.file.read(0, fmt.HEADER_SIZE)
        if len(header) < fmt.HEADER_SIZE or header[:16] != fmt.MAGIC:
            raise corrupt()
        counter = fmt.u32_at(header, fmt.OFF_CHANGE_COUNTER)[0]
        if counter != self.change_counter:
            self._forget_cache()
        self.change_counter = counter
        page_size = fmt.u16_at(header, fmt.OFF_PAGE_SIZE)[0]
        page_size = 65536 if page_size == 1 else page_size
        if page_size < 512 or page_size & (page_size - 1):
            raise corrupt()
        encoding = fmt.u32_at(header, fmt.OFF_TEXT_ENCODING)[0]
        if encoding not in (0, fmt.ENCODING_UTF8):
            name = fmt.ENCODING_NAMES.get(encoding, str(encoding))
            raise VdbeError(f"unsupported text encoding {name}: only UTF-8 databases are supported")
        if header[fmt.OFF_WRITE_VERSION] == 2:
            raise VdbeError("WAL-mode databases are not supported (use journal_mode=DELETE)")
        self.page_size = page_size
        self.usable = page_size - header[fmt.OFF_RESERVED]
        if self.usable < 480:
            raise corrupt()
        pages = fmt.u32_at(header, fmt.OFF_PAGE_COUNT)[0]
        valid_for = fmt.u32_at(header, fmt.OFF_VERSION_VALID_FOR)[0]
        file_pages = -(-size // page_size)  # a partial last page still counts, as in SQLite
        if pages == 0 or valid_for != counter:
            pages = file_pages
        if pages > file_pages:  # the header promises pages the file does not have: truncated
            raise corrupt()
        self.page_count = pages
        self._load_autovacuum(header)

    def _load_autovacuum(self, header) -> None:
        self.autovacuum = fmt.u32_at(header, fmt.OFF_LARGEST_ROOT)[0] != 0
        self.incremental = fmt.u32_at(header, fmt.OFF_INCREMENTAL_VACUUM)[0] != 0

    def begin_write(self) -> None:
        """Start (or upgrade to) a write transaction: RESERVED lock; journal opened lazily."""
        if self.state == WRITE:
            return
        if self.file is not None and self.file.readonly:
            raise VdbeError("attempt to write a readonly database", "SQLITE_READONLY")
        if self.file is not None:
            if self.state == READ:
                # upgrading a read transaction: waiting could deadlock with a writer that
                # waits for our SHARED lock to go, so one attempt only (as SQLite does)
                if not self.file.try_lock(RESERVED):
                    raise BusyError()
            else:
                self._lock_reserved_from_nothing()
        self.state = WRITE
        self.original_pages = self.page_count
        self.spilled = False
        self.journaled.clear()
        self.originals.clear()
        if self.page_count == 0:
            self._init_page1()

    def _lock_reserved_from_nothing(self) -> None:
        """SHARED then RESERVED; while busy, let go of SHARED between attempts so the
        writer in the way can finish its commit."""
        deadline = time.monotonic() + self.vfs.busy_timeout
        while True:
            self.begin_read()
            if self.file.try_lock(RESERVED):
                return
            self.end_read()
            if time.monotonic() >= deadline:
                raise BusyError()
            time.sleep(0.002)

    def _empty_page1(self) -> bytearray:
        """What page 1 of an empty database reads as: the header and an empty schema table.
        Nothing is written until a write transaction creates it for real."""
        page = bytearray(self.page_size)
        self._format_page1(page)
        return page

    def _init_page1(self) -> None:
        """A brand-new database: page 1 holds the header and an empty sqlite_schema leaf."""
        self.page_count = 1
        self.autovacuum = self.new_autovacuum != 0
        self.incremental = self.new_autovacuum == 2
        self._format_page1(self.write(1))

    def _format_page1(self, page: bytearray) -> None:
        page[:] = bytes(self.page_size)
        page[:16] = fmt.MAGIC
        ps = self.page_size
        stored = 1 if ps == 65536 else ps  # 65536 does not fit in two bytes
        page[fmt.OFF_PAGE_SIZE : fmt.OFF_PAGE_SIZE + 2] = stored.to_bytes(2, "big")
        page[fmt.OFF_WRITE_VERSION] = 1
        page[fmt.OFF_READ_VERSION] = 1
        page[fmt.OFF_MAX_EMBED] = 64
        page[fmt.OFF_MIN_EMBED] = 32
        page[fmt.OFF_LEAF_EMBED] = 32
        page[fmt.OFF_SCHEMA_FORMAT : fmt.OFF_SCHEMA_FORMAT + 4] = (4).to_bytes(4, "big")
        page[fmt.OFF_TEXT_ENCODING : fmt.OFF_TEXT_ENCODING + 4] = (1).to_bytes(4, "big")
        # an empty table leaf page after the 100-byte header
        page[100] = fmt.TABLE_LEAF
        start = ps if ps < 65536 else 0
        page[105:107] = start.to_bytes(2, "big")
        if self.new_autovacuum:  # largest root page 1: no tree but the schema yet
            page[fmt.OFF_LARGEST_ROOT : fmt.OFF_LARGEST_ROOT + 4] = (1).to_bytes(4, "big")
            incremental = int(self.new_autovacuum == 2).to_bytes(4, "big")
            page[fmt.OFF_INCREMENTAL_VACUUM : fmt.OFF_INCREMENTAL_VACUUM + 4] = incremental

    def _open_journal(self) -> None:
        self.jfile = self.vfs.open(journal_path(self.path))
        self.journal = JournalWriter(self.jfile, self.page_size, self.original_pages)
        self.journal_dir_synced = False

    def _seal_journal(self) -> None:
        """Sync the journal (and, the first time, its directory entry, so that the journal
        itself cannot vanish in a power cut) before any database page is overwritten."""
        self.journal.seal()
        if not self.journal_dir_synced:
            self.vfs.sync_directory(journal_path(self.path))
            self.journal_dir_synced = True

    # --8<-- [start:write]
    def write(self, pgno: int) -> bytearray:
        """Page `pgno` for changing: its original is journaled first (once per transaction)."""
        if self.state != WRITE:
            raise VdbeError("attempt to write a readonly database", "SQLITE_READONLY")
        page = self.get(pgno)
        self.cache.changing(pgno)
        if pgno <= self.original_pages:
            if self.file is not None:
                if pgno not in self.journaled:
                    if self.journal is None:
                        self._open_journal()
                    self.journal.append(pgno, page)
                    self.journaled.add(pgno)
            elif pgno not in self.originals:
                self.originals[pgno] = bytes(page)
        image = None
        for sp in self.savepoints:
            if pgno <= sp.pages and pgno not in sp.images:
                if image is None:
                    image = self._save_image(page)
                sp.images[pgno] = image
        self.dirty.add(pgno)
        return page

    # --8<-- [end:write]

    def allocate_new(self) -> int:
        """Grow the file by one page (zero-filled) and return its number."""
        if self.state != WRITE:
            raise VdbeError("attempt to write a readonly database", "SQLITE_READONLY")
        pgno = self._grow()
        if self.autovacuum and ptrmap.is_map_page(self, pgno):
            pgno = self._grow()  # that page starts a new stretch of the pointer map
        return pgno

    def _grow(self) -> int:
        pgno = self.page_count + 1
        if pgno == fmt.pending_byte_page(self.page_size):
            pgno += 1  # the page holding the lock bytes is never used
        self.page_count = pgno
        if len(self.cache) >= self.cache_pages and self.file is not None:
            self._evict_clean()
        self.cache[pgno] = bytearray(self.page_size)
        self.dirty.add(pgno)
        return pgno

    def truncate(self, pages: int) -> None:
        """Cut the database to its first `pages` pages (auto-vacuum). The pages cut off
        are journaled first, as the commit removes them from the file."""
        for pgno in range(pages + 1, self.page_count + 1):
            if pgno != fmt.pending_byte_page(self.page_size):
                self.write(pgno)
        for pgno in [p for p in self.cache if p > pages]:
            del self.cache[pgno]
            self.dirty.discard(pgno)
        self.page_count = pages

    # --- header fields --------------------------------------------------------------------
    def header_u32(self, offset: int) -> int:
        if self.page_count == 0:
            return 0
        return fmt.u32_at(self.get(1), offset)[0]

    def set_header_u32(self, offset: int, value: int) -> None:
        page = self.write(1)
        page[offset : offset + 4] = (value & 0xFFFFFFFF).to_bytes(4, "big")

    # --- commit and rollback --------------------------------------------------------------
    # --8<-- [start:commit]
    def commit(self) -> None:
        """Make the transaction durable: journal synced, pages written and synced, journal
        deleted (the commit point), locks released."""
        if self.state != WRITE:
            self.savepoints.clear()
            self.end_read()
            return
        if self.file is not None and (self.dirty or self.spilled):
            counter = (self.header_u32(fmt.OFF_CHANGE_COUNTER) + 1) & 0xFFFFFFFF
            self.set_header_u32(fmt.OFF_CHANGE_COUNTER, counter)
            self.set_header_u32(fmt.OFF_PAGE_COUNT, self.page_count)
            self.set_header_u32(fmt.OFF_VERSION_VALID_FOR, counter)
            self.set_header_u32(fmt.OFF_SQLITE_VERSION, fmt.SQLITE_VERSION_NUMBER)
            if self.journal is None:
                self._open_journal()
            self._seal_journal()
            self.file.lock(EXCLUSIVE)
            self.spilled = True  # the file is being written: a failure from here on
            self._write_dirty()  # is undone from the journal by rollback()
            if self.file.size() > self.page_count * self.page_size:
                self.file.truncate(self.page_count * self.page_size)
            self.file.sync()
            self._delete_journal()  # the transaction is committed at this instant
            self.change_counter = counter
        else:
            self._delete_journal()
        if self.page_count < self.original_pages:  # the database shrank (VACUUM)
            for pgno in [p for p in self.cache if p > self.page_count]:
                del self.cache[pgno]
        self._end_write()

    # --8<-- [end:commit]

    def _delete_journal(self) -> None:
        if self.jfile is not None:
            self.jfile.close()
            self.jfile = None
            self.journal = None
            self.vfs.delete(journal_path(self.path))

    def _end_write(self) -> None:
        self.dirty.clear()
        self.journaled.clear()
        self.originals.clear()
        self.savepoints.clear()
        self._forget_images()
        self.spilled = False
        self.state = NONE
        if self.file is not None:
            self.file.unlock(NO_LOCK)

    def rollback(self) -> None:
        """Undo the whole transaction."""
        if self.state != WRITE:
            self.savepoints.clear()
            self.end_read()
            return
        if self.file is None:
            for pgno, image in self.originals.items():
                page = self.cache.get(pgno)
                if page is None:  # an auto-vacuum cut it off
                    self.cache[pgno] = bytearray(image)
                else:
                    self.cache.changing(pgno)
                    page[:] = image
            for pgno in [p for p in self.cache if p > self.original_pages]:
                del self.cache[pgno]
        elif self.spilled:
            if self.jfile is None:  # the commit failed deleting its journal: still there
                self.jfile = self.vfs.open(journal_path(self.path))
            self.jfile.sync()
            playback(self.jfile, self.file, own=True)
            self._forget_cache()
        else:
            for pgno in self.dirty:
                self.cache.pop(pgno, None)
        self.page_count = self.original_pages
        if self.file is not None:
            self._delete_journal()
        self._end_write()
        if self.file is None and self.page_count:  # (a file's header is read again)
            self._load_autovacuum(self.get(1))

    def abandon(self) -> None:
        """Close without touching anything (after an I/O error): a journal stays hot."""
        if self.jfile is not None:
            self.jfile.close()
            self.jfile = None
        if self.file is not None:
            self.file.close()
            self.file = None
        self.state = NONE

    # --- savepoints -----------------------------------------------------------------------
    def _save_image(self, page) -> bytes | int:
        if self.file is None:
            return bytes(page)
        if self.statements is None:
            self.statements = StatementJournal(self.page_size)
        return self.statements.save(page)

    def _load_image(self, image: bytes | int) -> bytes:
        return image if isinstance(image, bytes) else self.statements.load(image)

    def _forget_images(self) -> None:
        if not self.savepoints and self.statements is not None:
            self.statements.close()
            self.statements = None

    def open_savepoint(self, name: str) -> None:
        self.savepoints.append(Savepoint(name, self.page_count))

    def find_savepoint(self, name: str) -> int:
        for i in range(len(self.savepoints) - 1, -1, -1):
            if self.savepoints[i].name.lower() == name.lower():
                return i
        raise VdbeError(f"no such savepoint: {name}")

    def release_savepoint(self, index: int) -> None:
        del self.savepoints[index:]
        self._forget_images()

    def rollback_to_savepoint(self, index: int) -> None:
        """Put every page back as it was when savepoint `index` began; keep the savepoint."""
        sp = self.savepoints[index]
        del self.savepoints[index + 1 :]
        self.page_count = max(self.page_count, sp.pages)  # pages cut off since come back
        for pgno, image in sp.images.items():
            page = self.write(pgno)  # the page's keys go as it changes back
            page[:] = self._load_image(image)
        for pgno in [p for p in self.cache if p > sp.pages]:
            del self.cache[pgno]
            self.dirty.discard(pgno)
        self.page_count = sp.pages
        sp.images = {}

    def close(self) -> None:
        if self.state == WRITE:
            try:
                self.rollback()
            except VdbeError:
                self.abandon()
                return
        self.end_read()
        if self.file is not None:
            self.file.close()
            self.file = None
