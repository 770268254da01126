"""The rollback journal, byte for byte in SQLite's format.

Before a page of the database file changes for the first time in a transaction, its
original content is appended to `DBNAME-journal`. If the process dies before the commit
finishes, the next connection finds this "hot" journal and copies the originals back.

Layout: a header padded to the sector size, then page records.

    offset  size  header field
         0     8  magic d9 d5 05 f9 20 a1 63 d7
         8     4  number of page records that follow (0xffffffff: "until end of file")
        12     4  nonce: the random start value of every record's checksum
        16     4  database size in pages before the transaction (rollback truncates to it)
        20     4  sector size (the header occupies this many bytes)
        24     4  page size
    record: 4-byte page number, the page's original bytes, 4-byte checksum

The checksum is the nonce plus every 200th byte of the page, counted back from the end.
A record whose checksum does not match ends the playback: it was never completely written.
"""

from __future__ import annotations

import os
import struct

from .format import JOURNAL_MAGIC, JOURNAL_SECTOR_SIZE, pending_byte_page

HEADER = struct.Struct(">8sIIIII")
NREC_OFFSET = 8
ALL_RECORDS = 0xFFFFFFFF


# --8<-- [start:checksum]
def record_checksum(nonce: int, page: bytes) -> int:
    """SQLite's cheap page checksum: the nonce plus every 200th byte, from the end."""
    total = nonce
    i = len(page) - 200
    while i > 0:
        total += page[i]
        i -= 200
    return total & 0xFFFFFFFF


# --8<-- [end:checksum]


def journal_path(db_path: str) -> str:
    return db_path + "-journal"


class JournalWriter:
    """Appends original pages to a journal for one write transaction."""

    def __init__(self, file, page_size: int, original_pages: int) -> None:
        self.file = file
        self.page_size = page_size
        self.sector = JOURNAL_SECTOR_SIZE
        self.nonce = int.from_bytes(os.urandom(4), "big")
        self.original_pages = original_pages
        self.records = 0  # records appended
        self.sealed = 0  # records covered by the header's count (synced)
        header = HEADER.pack(JOURNAL_MAGIC, 0, self.nonce, original_pages, self.sector, page_size)
        file.truncate(0)
        file.write(0, header + bytes(self.sector - HEADER.size))
        self.end = self.sector

    def append(self, pgno: int, page: bytes) -> None:
        record = (
            pgno.to_bytes(4, "big")
            + bytes(page)
            + record_checksum(self.nonce, page).to_bytes(4, "big")
        )
        self.file.write(self.end, record)
        self.end += len(record)
        self.records += 1

    # --8<-- [start:seal]
    def seal(self) -> None:
        """Make the journal durable before any database page is overwritten.

        Sync the records, then write their count into the header and sync again: a crash
        between the two syncs leaves a count of zero, and nothing in the database file
        has been touched yet, so there is nothing to undo.
        """
        if self.sealed == self.records and self.records:
            return
        self.file.sync()
        self.file.write(NREC_OFFSET, self.records.to_bytes(4, "big"))
        self.file.sync()
        self.sealed = self.records

    # --8<-- [end:seal]


def _read_header(jfile, offset: int):
    raw = jfile.read(offset, HEADER.size)
    if len(raw) < HEADER.size:
        return None
    magic, nrec, nonce, db_pages, sector, page_size = HEADER.unpack(raw)
    if magic != JOURNAL_MAGIC:
        return None
    if sector < 32 or sector > 65536 or sector & (sector - 1):
        return None
    if page_size < 512 or page_size > 65536 or page_size & (page_size - 1):
        return None
    return nrec, nonce, db_pages, sector, page_size


# --8<-- [start:playback]
def playback(jfile, dbfile, *, own: bool = False) -> int | None:
    """Copy every valid original page from the journal back into the database file.

    Returns the page count the database had before the transaction (the file is truncated
    to it), or None if the journal holds no valid header (then nothing is changed).
    `own` is for a connection undoing its own transaction: records not yet counted in the
    header are valid too, since this process wrote them.
    """
    jsize = jfile.size()
    first = _read_header(jfile, 0)
    if first is None:
        return None
    db_pages, page_size = first[2], first[4]
    offset = 0
    while True:
        header = _read_header(jfile, offset)
        if header is None:
            break
        nrec, nonce, _pages, sector, psize = header
        if psize != page_size:
            break
        offset += sector
        record_size = page_size + 8
        if nrec == ALL_RECORDS or own:
            nrec = max(0, (jsize - offset) // record_size)
        if not _replay_records(jfile, dbfile, offset, nrec, nonce, page_size):
            break
        offset += nrec * record_size
        offset = (offset + sector - 1) // sector * sector
        if offset >= jsize:
            break
    dbfile.truncate(db_pages * page_size)
    dbfile.sync()
    return db_pages


# --8<-- [end:playback]


# --8<-- [start:replay]
def _replay_records(jfile, dbfile, offset, nrec, nonce, page_size) -> bool:
    """Write back the `nrec` page records that start at `offset` of the journal.

    Each record is a 4-byte page number, the page's original bytes and a 4-byte checksum.
    A short read, page number 0, the lock-byte page or a wrong checksum means the record
    was never completely written: stop there and return False. True if all were valid.
    """
    # exercise-start: storage-journal-recovery
    locked_page = pending_byte_page(page_size)
    for _ in range(nrec):
        raw = jfile.read(offset, page_size + 8)
        if len(raw) < page_size + 8:
            return False
        pgno = int.from_bytes(raw[:4], "big")
        page = raw[4 : 4 + page_size]
        checksum = int.from_bytes(raw[4 + page_size :], "big")
        if pgno == 0 or pgno == locked_page or record_checksum(nonce, page) != checksum:
            return False
        dbfile.write((pgno - 1) * page_size, page)
        offset += page_size + 8
    return True
    # exercise-end: storage-journal-recovery


# --8<-- [end:replay]
