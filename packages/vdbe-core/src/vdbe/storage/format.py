"""Numbers fixed by the SQLite 3 file format: header offsets, page types, payload rules.

Everything in this module is a fact about the bytes on disk; the rest of the storage
package is built from it. Multi-byte integers in the file are big-endian.
"""

from __future__ import annotations

import functools
import struct

from vdbe.errors import CorruptError

# --- the 100-byte database header at the start of page 1 -------------------------------------

HEADER_SIZE = 100
MAGIC = b"SQLite format 3\x00"
OFF_PAGE_SIZE = 16  # u16; the value 1 means 65536
OFF_WRITE_VERSION = 18  # 1 = rollback journal, 2 = WAL
OFF_READ_VERSION = 19
OFF_RESERVED = 20  # bytes reserved at the end of every page
OFF_MAX_EMBED = 21  # always 64
OFF_MIN_EMBED = 22  # always 32
OFF_LEAF_EMBED = 23  # always 32
OFF_CHANGE_COUNTER = 24
OFF_PAGE_COUNT = 28
OFF_FREELIST_TRUNK = 32
OFF_FREELIST_COUNT = 36
OFF_META = 36  # meta value i (1..15) lives at OFF_META + 4 * i: 1 is the schema cookie
OFF_SCHEMA_COOKIE = 40
OFF_SCHEMA_FORMAT = 44
OFF_LARGEST_ROOT = 52  # auto-vacuum databases only: the largest root page number
OFF_TEXT_ENCODING = 56
OFF_INCREMENTAL_VACUUM = 64  # auto-vacuum databases: 1 if vacuuming waits for a PRAGMA
OFF_VERSION_VALID_FOR = 92
OFF_SQLITE_VERSION = 96

META_SCHEMA_COOKIE = 1
META_SCHEMA_FORMAT = 2
META_LARGEST_ROOT = 4
META_TEXT_ENCODING = 5
META_INCREMENTAL_VACUUM = 7

ENCODING_UTF8 = 1
ENCODING_NAMES = {1: "UTF-8", 2: "UTF-16le", 3: "UTF-16be"}
SQLITE_VERSION_NUMBER = 3040001  # written at offset 96, as the SQLite we are compatible with

MIN_PAGE_SIZE = 512
MAX_PAGE_SIZE = 65536

# --- b-tree pages --------------------------------------------------------------------------

INDEX_INTERIOR = 0x02
TABLE_INTERIOR = 0x05
INDEX_LEAF = 0x0A
TABLE_LEAF = 0x0D
PAGE_TYPES = (INDEX_INTERIOR, TABLE_INTERIOR, INDEX_LEAF, TABLE_LEAF)
PAGE_TYPE_NAMES = {
    INDEX_INTERIOR: "index interior",
    TABLE_INTERIOR: "table interior",
    INDEX_LEAF: "index leaf",
    TABLE_LEAF: "table leaf",
}
LEAF_OF = {TABLE_INTERIOR: TABLE_LEAF, INDEX_INTERIOR: INDEX_LEAF}
INTERIOR_OF = {TABLE_LEAF: TABLE_INTERIOR, INDEX_LEAF: INDEX_INTERIOR}

# offsets inside a b-tree page header (from the header's start: 100 on page 1, else 0)
PH_TYPE = 0
PH_FIRST_FREEBLOCK = 1
PH_CELL_COUNT = 3
PH_CONTENT_START = 5  # 0 means 65536
PH_FRAGMENTED = 7
PH_RIGHT_CHILD = 8  # interior pages only

LEAF_HEADER_SIZE = 8
INTERIOR_HEADER_SIZE = 12
MIN_CELL_SIZE = 4  # a cell always occupies at least 4 bytes so it can become a freeblock
MAX_FRAGMENTED = 60  # more fragmented bytes than this and the page is defragmented

# --- locking (SQLite's unix file layer) ----------------------------------------------------

PENDING_BYTE = 0x40000000
RESERVED_BYTE = PENDING_BYTE + 1
SHARED_FIRST = PENDING_BYTE + 2
SHARED_SIZE = 510

# --- the rollback journal -------------------------------------------------------------------

JOURNAL_MAGIC = bytes.fromhex("d9d505f920a163d7")
JOURNAL_SECTOR_SIZE = 4096  # the sector size SQLite's unix layer reports by default

U16 = struct.Struct(">H")
U32 = struct.Struct(">I")
u16_at = U16.unpack_from
u32_at = U32.unpack_from


def corrupt() -> CorruptError:
    """The one error every malformed structure turns into."""
    return CorruptError()


def guarded(method):
    """Turn the low-level errors a malformed page can provoke (reading past the end of a
    page, a bad struct unpack) into CorruptError, so users never see a traceback."""

    @functools.wraps(method)
    def wrapper(*args, **kwargs):
        try:
            return method(*args, **kwargs)
        except (IndexError, struct.error, RecursionError) as exc:
            raise CorruptError() from exc

    return wrapper


def pending_byte_page(page_size: int) -> int:
    """The page holding the lock bytes: SQLite never stores data in it."""
    return PENDING_BYTE // page_size + 1


# --- how much of a payload stays on the b-tree page -----------------------------------------


# --8<-- [start:local_payload]
def local_payload_size(payload_size: int, usable: int, table_leaf: bool) -> int:
    """Bytes of a payload kept in the cell itself; the rest goes to overflow pages.

    X is the most a cell may hold; M the least it keeps when it overflows. The spill
    is chosen so that the overflow pages are used as fully as possible.
    """
    max_local = usable - 35 if table_leaf else (usable - 12) * 64 // 255 - 23
    if payload_size <= max_local:
        return payload_size
    min_local = (usable - 12) * 32 // 255 - 23
    keep = min_local + (payload_size - min_local) % (usable - 4)
    return keep if keep <= max_local else min_local


# --8<-- [end:local_payload]
