"""Cursor opcodes: opening cursors, moving them, and reading and writing rows.

A cursor is the VM's finger on one B-tree. SQLite's compiler never touches a table
directly: it opens a cursor (`OpenRead`, `OpenWrite`, `OpenEphemeral`), moves it
(`Rewind`, `Next`, `SeekRowid`, `SeekGE`...), reads the row under it (`Column`,
`Rowid`) and writes through it (`Insert`, `Delete`). This module holds those opcodes
and `VdbeCursor`, the VM-side state of one open cursor; index-specific opcodes live in
`index.py` and the sorter in `sorter.py`.

Cursor kinds, as in SQLite's vdbe.c:

- a **B-tree cursor** wraps a storage `BtreeCursor` on a table tree (keyed by rowid)
  or an index tree (keyed by a record);
- a **pseudo cursor** reads a single row held as a record in a register (the sorter's
  output goes through one);
- a **sorter cursor** (see `sorter.py`) collects records and plays them back in order.

Two pieces of SQLite's machinery matter at this level:

- **row caches**: when one cursor writes to a tree, the decoded rows cached by every
  cursor on that tree are dropped (the storage cursors themselves save and restore
  their positions around the change, as SQLite's `saveAllCursors()` does, so `Delete`
  inside a `Next` loop lands on the right row).
- **deferred seeks**: `DeferredSeek` only records which rowid the table cursor must
  visit; the seek happens when a column that the index cannot supply is read.
"""

from __future__ import annotations

import contextlib
import math

from vdbe.errors import CorruptError, SqlError
from vdbe.int64 import LARGEST_INT64, SMALLEST_INT64
from vdbe.opcodes import opcode
from vdbe.opcodes.frames import root_registers
from vdbe.plain import PLAIN_CODECS
from vdbe.record import decode_column, decode_record, encode_record, record_header
from vdbe.values import apply_affinity, to_int

MAX_ROWID = LARGEST_INT64

# P5 flags of Insert, Delete and IdxInsert (SQLite's OPFLAG_* values).
OPFLAG_NCHANGE = 0x01
OPFLAG_ISUPDATE = 0x04
OPFLAG_LASTROWID = 0x20
OPFLAG_ISNOOP = 0x40
# P5 flag of OpenWrite: P2 names a register that holds the root page.
OPFLAG_P2ISREG = 0x10

BTREE = "btree"
PSEUDO = "pseudo"
SORTER = "sorter"
VTAB = "vtab"  # a virtual table's cursor (see vdbe.opcodes.vtab)


class TreeState:
    """What all the cursors open on one B-tree share: the list of them, for saving positions."""

    __slots__ = ("cursors",)

    def __init__(self) -> None:
        self.cursors: list[VdbeCursor] = []


class VdbeCursor:
    """One open cursor of the VM (SQLite's VdbeCursor).

    `row` caches the decoded record of the current entry, so that several `Column`
    instructions on one row decode it once; every move sets it back to None.
    """

    __slots__ = (
        "kind",
        "bt",
        "db",
        "root",
        "is_table",
        "key_info",
        "n_field",
        "row",
        "null_row",
        "seq",
        "pseudo_reg",
        "row_src",
        "deferred_rowid",
        "alt_map",
        "alt_cursor",
        "tree",
        "ephemeral",
        "no_reuse",
        "sorter",
        "seek_hit",
        "use_random_rowid",
        "pseudo_row",
        "vtab",
    )

    def __init__(self, kind: str) -> None:
        self.kind = kind
        self.bt = None  # the storage BtreeCursor (B-tree cursors only)
        self.db = None  # the Database that holds the tree
        self.root = 0
        self.is_table = True
        self.key_info = None
        self.n_field = 0
        self.row: list | None = None
        self.null_row = True
        self.seq = 0  # Sequence / SequenceTest counter
        self.pseudo_reg = 0
        self.row_src = None  # the register value `row` was decoded from (pseudo cursors)
        self.deferred_rowid: int | None = None
        self.alt_map = None
        self.alt_cursor = None
        self.tree: TreeState | None = None
        self.ephemeral = False
        self.no_reuse = False
        self.sorter = None
        self.seek_hit = 0
        self.use_random_rowid = False
        self.pseudo_row: list = []
        self.vtab = None  # the module's cursor (virtual table cursors only)

    # -- positions -------------------------------------------------------------------
    def moved(self, valid: bool) -> None:
        """Note that the storage cursor was just positioned (on an entry if `valid`)."""
        self.row = None
        self.null_row = not valid
        self.deferred_rowid = None

    def forget_rows(self) -> None:
        """This cursor is about to write: every cursor on the tree drops its cached row."""
        tree = self.tree
        if tree is None:
            self.row = None
            return
        for cur in tree.cursors:
            cur.row = None

    def ensure_position(self) -> None:
        """Carry out a pending deferred seek, if there is one."""
        if self.deferred_rowid is not None:
            rowid = self.deferred_rowid
            self.deferred_rowid = None
            if not self.bt.seek_rowid(rowid):
                raise CorruptError()
            self.null_row = False
            self.row = None

    def load_row(self) -> list:
        """Decode the current entry's record (or give an empty row for a NULL row)."""
        if self.kind != BTREE:
            return []
        if self.deferred_rowid is not None:
            self.ensure_position()
        if self.null_row:
            return []
        if self.bt.eof:
            self.null_row = True
            return []
        row = self.row = list(self.bt.key_values()) if not self.is_table else self.bt_row()
        return row

    def bt_row(self) -> list:
        """The decoded record of the current table row."""
        return decode_record(self.bt.payload())

    def close(self) -> None:
        """Release the storage cursor and leave the tree's list of cursors."""
        if self.tree is not None:
            with contextlib.suppress(ValueError):
                self.tree.cursors.remove(self)
            self.tree = None
        bt, self.bt = self.bt, None
        if bt is not None and hasattr(bt, "close"):
            bt.close()


def get_cursor(vm, number: int) -> VdbeCursor:
    """The open cursor `number`, or an error naming it when it is not open."""
    try:
        cur = vm.cursors[number]
    except IndexError:
        cur = None
    if cur is None:
        raise SqlError(f"cursor {number} is not open")
    return cur


def install(vm, number: int, cur: VdbeCursor) -> None:
    """Put `cur` in slot `number`, closing whatever cursor was there."""
    old = vm.cursor(number)
    if old is not None and old is not cur:
        old.close()
    vm.set_cursor(number, cur)


def join_tree(vm, cur: VdbeCursor) -> None:
    """Attach `cur` to the TreeState shared by the VM's other cursors on the same tree."""
    for other in vm.cursors:
        if (
            other is not None
            and other is not cur
            and other.kind == BTREE
            and other.db is cur.db
            and other.root == cur.root
            and other.tree is not None
        ):
            cur.tree = other.tree
            break
    else:
        cur.tree = TreeState()
    cur.tree.cursors.append(cur)


def open_btree(vm, number: int, db, root: int, key_info, writable: bool) -> VdbeCursor:
    """Open a B-tree cursor on `root` of `db` into slot `number`."""
    cur = VdbeCursor(BTREE)
    cur.db = db
    cur.root = root
    cur.key_info = key_info
    cur.is_table = key_info is None
    cur.bt = db.cursor(root, writable=writable, index_key_info=key_info)
    install(vm, number, cur)
    join_tree(vm, cur)
    return cur


def _key_info_or_columns(p4):
    """OpenRead's P4 is a KeyInfo for an index or a column count for a table."""
    if p4 is None or isinstance(p4, int | str):
        return None
    return p4


@opcode(p1="cursor")
def OpenRead(vm, op):
    """OpenRead P1 P2 P3 P4 P5

    Synopsis: root=P2 iDb=P3

    Open a read-only cursor numbered P1 on the B-tree whose root page is P2 in database
    P3 (0 is the main file). When P4 is a KeyInfo the tree is an index (or a WITHOUT
    ROWID table) and its keys compare by those rules; when P4 is a number the tree is a
    rowid table with that many columns. The cursor starts on no row: a Rewind, Last or
    seek must place it before Column can read.
    """
    cur = open_btree(vm, op.p1, vm.database(op.p3), op.p2, _key_info_or_columns(op.p4), False)
    cur.n_field = op.p4 if isinstance(op.p4, int) else 0


@opcode
def ReopenIdx(vm, op):
    """ReopenIdx P1 P2 P3 P4 P5

    Synopsis: root=P2 iDb=P3

    Like OpenRead, except that when cursor P1 is already open on the same root page it
    is left as it is. SQLite's compiler emits it for an index that an OR-optimised loop
    may open several times.
    """
    cur = vm.cursor(op.p1)
    if cur is not None and cur.kind == BTREE and cur.root == op.p2:
        return
    OpenRead(vm, op)


@opcode(p1="cursor")
def OpenWrite(vm, op):
    """OpenWrite P1 P2 P3 P4 P5

    Synopsis: root=P2 iDb=P3

    Open a read/write cursor numbered P1 on the B-tree with root page P2, as OpenRead
    does. If P5 has the OPFLAG_P2ISREG bit (0x10), P2 names a register that holds the
    root page instead: `CREATE TABLE ... AS SELECT` and `CREATE INDEX` open the tree
    that a CreateBtree made a moment before. Writes need a write transaction, which the
    program's Transaction opcode began.
    """
    root = op.p2
    if op.p5 & OPFLAG_P2ISREG:
        root = int(vm.reg[root])
    cur = open_btree(vm, op.p1, vm.database(op.p3), root, _key_info_or_columns(op.p4), True)
    cur.n_field = op.p4 if isinstance(op.p4, int) else 0


def _memory_database():
    """Where a temporary tree lives: trees of Python objects, not pages of bytes."""
    from vdbe.storage.memory import MemoryDatabase

    return MemoryDatabase()


def _open_ephemeral(vm, op) -> None:
    if op.p3 > 0:
        vm.reg[op.p3] = b""
    key_info = op.p4 if not isinstance(op.p4, int | str) else None
    cur = vm.cursor(op.p1)
    if cur is not None and cur.ephemeral and not cur.no_reuse:
        cur.db.clear_btree(cur.root)
        cur.seq = 0
        cur.moved(False)
        return
    db = _memory_database()
    root = db.create_btree("index" if key_info is not None else "table")
    cur = open_btree(vm, op.p1, db, root, key_info, True)
    cur.ephemeral = True
    cur.n_field = op.p2


@opcode(p1="cursor")
def OpenEphemeral(vm, op):
    """OpenEphemeral P1 P2 P3 P4 P5

    Synopsis: nColumn=P2

    Open cursor P1 on a new, empty, temporary B-tree that vanishes when the cursor
    closes: an index tree when P4 is a KeyInfo, else a rowid table of P2 columns. The
    tree lives in its own in-memory database, whose B-tree pages hold Python objects
    rather than the file format's bytes. If P1 is already an ephemeral cursor (and no
    OpenDup shares it) its tree is emptied instead. When P3 is positive, register P3
    becomes an empty blob, ready to be the data of an Insert. SQLite uses these trees
    for DISTINCT, IN lists, UNION, materialised subqueries and the rows of a window
    partition.
    """
    _open_ephemeral(vm, op)


@opcode
def OpenAutoindex(vm, op):
    """OpenAutoindex P1 P2 * P4 *

    Synopsis: nColumn=P2

    The same as OpenEphemeral under another name: the query planner builds a temporary
    index on the fly (an "automatic index") for a join that has no usable index, fills
    it once, then seeks in it for every row of the outer loop.
    """
    _open_ephemeral(vm, op)


@opcode
def OpenDup(vm, op):
    """OpenDup P1 P2 * * *

    Open cursor P1 on the same ephemeral tree as cursor P2, with its own position.
    Window functions read one partition through several such cursors at once (the
    current row, the start and the end of the frame), and a CTE used twice in a join is
    read through two.
    """
    orig = get_cursor(vm, op.p2)
    cur = open_btree(vm, op.p1, orig.db, orig.root, orig.key_info, True)
    cur.ephemeral = True
    cur.n_field = orig.n_field
    cur.no_reuse = orig.no_reuse = True


@opcode(p1="cursor")
def OpenPseudo(vm, op):
    """OpenPseudo P1 P2 P3 * *

    Synopsis: P3 columns in r[P2]

    Open cursor P1 as a pseudo-table of one row whose record is whatever register P2
    holds. Column on it decodes that register, so the rows a sorter plays back (into
    that register, by SorterData) can be read column by column.
    """
    cur = VdbeCursor(PSEUDO)
    cur.pseudo_reg = op.p2
    cur.n_field = op.p3
    cur.null_row = True
    install(vm, op.p1, cur)


@opcode(p1="cursor")
def Close(vm, op):
    """Close P1 * * * *

    Close cursor P1 (nothing happens if it is not open). An ephemeral tree is dropped
    with its last cursor.
    """
    cur = vm.cursor(op.p1)
    if cur is not None:
        cur.close()
        vm.set_cursor(op.p1, None)


def sorter_rewind(cur: VdbeCursor) -> bool:
    """Sort a sorter's records and stand on the first; False when there are none."""
    cur.sorter.sort()
    cur.null_row = not cur.sorter.entries
    return not cur.null_row


def _rewind(vm, cur: VdbeCursor) -> bool:
    if cur.kind == SORTER:
        return sorter_rewind(cur)
    ok = cur.bt.first()
    cur.moved(ok)
    return ok


@opcode(p1="cursor")
def Rewind(vm, op):
    """Rewind P1 P2 * * *

    Place cursor P1 on the first entry of its table or index, ready for Next. If the
    tree is empty, jump to P2. This opens every full scan.
    """
    if not _rewind(vm, get_cursor(vm, op.p1)) and op.p2:
        vm.pc = op.p2


@opcode
def IfEmpty(vm, op):
    """IfEmpty P1 P2 * * *

    Synopsis: if( empty(P1) ) goto P2

    Jump to P2 if the table or index under cursor P1 holds no entries at all; the cursor
    is left on no particular row. Newer releases than 3.40 emit it to skip work that an
    empty table makes pointless, such as filling a temporary index from it.
    """
    cur = get_cursor(vm, op.p1)
    cur.moved(False)
    if not cur.bt.first():
        vm.pc = op.p2


@opcode(p1="cursor")
def Last(vm, op):
    """Last P1 P2 * * *

    Place cursor P1 on the last entry of its table or index, ready for Prev; if the tree
    is empty and P2 is not zero, jump to P2. A descending scan starts here, and so does
    `max()` over a rowid or an indexed column.
    """
    cur = get_cursor(vm, op.p1)
    ok = cur.bt.last()
    cur.moved(ok)
    if not ok and op.p2:
        vm.pc = op.p2


@opcode
def SeekEnd(vm, op):
    """SeekEnd P1 * * * *

    Place cursor P1 at the end of its tree, where the entries about to be inserted go.
    CREATE INDEX uses it before appending the sorted keys.
    """
    cur = get_cursor(vm, op.p1)
    cur.moved(cur.bt.last())


def _step(cur: VdbeCursor, forward: bool) -> bool:
    """Move one entry forward or back; False when the cursor runs off the end."""
    if cur.deferred_rowid is not None:
        cur.ensure_position()
    elif cur.null_row:
        return False
    ok = cur.bt.next() if forward else cur.bt.prev()
    cur.row = None
    cur.null_row = not ok
    return ok


@opcode(p1="cursor")
def Next(vm, op):
    """Next P1 P2 P3 * P5

    Advance cursor P1 to the next entry and jump to P2; when there is none, fall
    through. This is the bottom of every forward loop. If the entry under the cursor
    was deleted (by `Delete` in the loop), the cursor moves to the entry that followed
    it. P3 and P5 are hints and statistics counters that this VM does not need.
    """
    try:
        cur = vm.cursors[op.p1]
        moving = cur.null_row or cur.deferred_rowid is not None
    except (IndexError, AttributeError):
        cur = get_cursor(vm, op.p1)  # raises: the cursor is not open
    if moving:
        if _step(cur, True):
            vm.pc = op.p2
        return
    cur.row = None
    if cur.bt.next():
        vm.pc = op.p2
    else:
        cur.null_row = True


@opcode(p1="cursor")
def Prev(vm, op):
    """Prev P1 P2 P3 * P5

    Move cursor P1 back to the previous entry and jump to P2; when there is none, fall
    through. The bottom of a descending loop that started at Last, SeekLT or SeekLE.
    """
    cur = get_cursor(vm, op.p1)
    if _step(cur, False):
        vm.pc = op.p2


@opcode
def NullRow(vm, op):
    """NullRow P1 * * * *

    Put cursor P1 on a row of NULLs: until it moves again, Column gives NULL for every
    column and Rowid gives NULL. A LEFT JOIN uses it to produce the row of NULLs for an
    outer row that found no partner. If P1 is not open, a pseudo cursor that only has
    NULL rows is opened there.
    """
    cur = vm.cursor(op.p1)
    if cur is None:
        cur = VdbeCursor(PSEUDO)
        install(vm, op.p1, cur)
    cur.null_row = True
    cur.row = None
    cur.row_src = None
    cur.deferred_rowid = None


@opcode
def IfNullRow(vm, op):
    """IfNullRow P1 P2 P3 * *

    Synopsis: if P1.nullRow then r[P3]=NULL, goto P2

    If cursor P1 is on a NULL row (after NullRow or a failed move), store NULL in
    register P3 and jump to P2. Used when an expression over the inner table of a LEFT
    JOIN was computed ahead of the loop.
    """
    cur = get_cursor(vm, op.p1)
    if cur.null_row and cur.deferred_rowid is None:
        vm.reg[op.p3] = None
        vm.pc = op.p2


@opcode
def IfNotOpen(vm, op):
    """IfNotOpen P1 P2 * * *

    Synopsis: if( !csr[P1] ) goto P2

    Jump to P2 if cursor P1 is not open or is on a NULL row.
    """
    cur = vm.cursor(op.p1)
    if cur is None or (cur.null_row and cur.deferred_rowid is None):
        vm.pc = op.p2


@opcode
def IfSmaller(vm, op):
    """IfSmaller P1 P2 P3 * *

    Jump to P2 if the table of cursor P1 holds fewer than about 2**(P3/10) rows (P3 is
    a "LogEst", SQLite's compact logarithm), or none at all.
    """
    cur = get_cursor(vm, op.p1)
    rows = cur.bt.count()
    if rows == 0 or 10 * math.log2(rows) < op.p3:
        vm.pc = op.p2


def log_est(n: int) -> int:
    """SQLite's LogEst of n >= 1: about 10 * log2(n), from a table of eighths, as whole
    numbers (so 1 is 0, 10 is 33, a thousand is 99, a million is 199)."""
    if n < 2:
        return 0
    y = 40
    if n < 8:
        while n < 8:
            y -= 10
            n <<= 1
    else:
        while n > 255:
            y += 40
            n >>= 4
        while n > 15:
            y += 10
            n >>= 1
    return (0, 2, 3, 5, 6, 7, 8, 9)[n & 7] + y - 10


@opcode
def IfSizeBetween(vm, op):
    """IfSizeBetween P1 P2 P3 P4 *

    Jump to P2 if the size of the table or index of cursor P1, as a LogEst of SQLite's
    quick estimate of its rows (-1 when it is empty), lies between P3 and P4 inclusive.
    SQLite 3.46 and later compile PRAGMA optimize with it: a table analyzed before is
    analyzed again only when it has grown or shrunk about tenfold since.
    """
    bt = get_cursor(vm, op.p1).bt
    size = log_est(bt.row_count_estimate()) if bt.first() else -1
    upper = op.p4 if type(op.p4) is int else int(op.p4)
    if op.p3 <= size <= upper:
        vm.pc = op.p2


@opcode
def ColumnsUsed(vm, op):
    """ColumnsUsed P1 * * P4 *

    A hint naming, as a bit mask in P4, the columns of cursor P1 that the program reads.
    It lets a virtual table skip the others; B-tree cursors here need no hint.
    """


@opcode
def CursorHint(vm, op):
    """CursorHint P1 * * P4 *

    A hint passing the WHERE terms of cursor P1 to the storage layer, for storage
    engines that can filter rows themselves. This B-tree reads every row anyway.
    """


@opcode
def CursorLock(vm, op):
    """CursorLock P1 * * * *

    Lock the B-tree under cursor P1 against writes through other cursors, while a
    function reads it. Writes here save other cursors' positions, so no lock is needed.
    """


@opcode
def CursorUnlock(vm, op):
    """CursorUnlock P1 * * * *

    Release what CursorLock took (nothing, here).
    """


def _integer_key(value) -> int | None:
    """A register value as a rowid, or None if it has no exact integer value."""
    if type(value) is int:
        return value
    value = apply_affinity(value, "C")
    if type(value) is int:
        return value
    if type(value) is float and value.is_integer() and SMALLEST_INT64 <= value <= LARGEST_INT64:
        return int(value)
    return None


def _seek_rowid(vm, op) -> None:
    cur = get_cursor(vm, op.p1)
    key = vm.reg[op.p3]
    rowid = key if type(key) is int else _integer_key(key)
    if rowid is None:
        cur.moved(False)
        vm.pc = op.p2
        return
    found = cur.bt.seek_rowid(rowid)
    cur.moved(found)
    if not found:
        if op.p2 == 0:
            raise CorruptError()
        vm.pc = op.p2


@opcode
def SeekRowid(vm, op):
    """SeekRowid P1 P2 P3 * *

    Synopsis: intkey=r[P3]

    Move table cursor P1 to the row whose rowid is the value of register P3. If there
    is no such row, or the value is not an integer (nor text or a real that converts to
    one exactly), jump to P2. `WHERE rowid = ?` and a join on an INTEGER PRIMARY KEY
    compile to this. The cursor cannot step with Next afterwards.
    """
    _seek_rowid(vm, op)


@opcode
def NotExists(vm, op):
    """NotExists P1 P2 P3 * *

    Synopsis: intkey=r[P3]

    Like SeekRowid, but register P3 is known to hold an integer. Jump to P2 if table
    cursor P1 has no row with that rowid, otherwise land on it. INSERT checks a new
    INTEGER PRIMARY KEY for a clash with it; UPDATE and DELETE find their rows with it.
    If P2 is zero a missing row means the database is corrupt.
    """
    _seek_rowid(vm, op)


def _table_seek(vm, op, cur: VdbeCursor, kind: str) -> bool:
    """Position a rowid-table cursor for a SeekGE/GT/LE/LT; False when nothing qualifies."""
    value = vm.reg[op.p3]
    if type(value) is not int:
        value = apply_affinity(value, "C")
        if type(value) is float:
            return _table_seek_real(cur, value, kind)
        if type(value) is not int:
            if value is None or kind in ("ge", "gt"):
                return False
            # Text or a blob is greater than every number: the last row is below it.
            return cur.bt.last()
    return cur.bt.seek(value, kind)


def _table_seek_real(cur: VdbeCursor, value: float, kind: str) -> bool:
    """Seek a rowid-table cursor against a REAL key; False when no rowid qualifies.

    `kind` is 'ge', 'gt', 'le' or 'lt'. Rowids are integers, so a fractional key is
    rounded the way that keeps the answer: x > 4.5 is x >= 5, x <= 4.5 is x <= 4.
    """
    # exercise-start: vdbe-seek
    upward = kind in ("ge", "gt")
    if value != value:  # NaN compares like NULL: nothing qualifies
        return False
    if value >= 2.0**63:  # above every rowid
        return False if upward else cur.bt.last()
    if value < -(2.0**63):  # below every rowid
        return cur.bt.first() if upward else False
    if value.is_integer():
        return cur.bt.seek(int(value), kind)
    if upward:
        return cur.bt.seek(math.ceil(value), "ge")
    return cur.bt.seek(math.floor(value), "le")
    # exercise-end: vdbe-seek


def _index_seek(vm, op, cur: VdbeCursor, kind: str) -> bool:
    n = op.p4 if type(op.p4) is int else int(op.p4)
    key = vm.reg[op.p3 : op.p3 + n]
    return cur.bt.seek(key, kind)


def _seek(vm, op, kind: str) -> None:
    cur = get_cursor(vm, op.p1)
    ok = _table_seek(vm, op, cur, kind) if cur.is_table else _index_seek(vm, op, cur, kind)
    cur.moved(bool(ok))
    if not ok:
        vm.pc = op.p2


@opcode
def SeekGE(vm, op):
    """SeekGE P1 P2 P3 P4 *

    Synopsis: key=r[P3@P4]

    Move cursor P1 to the smallest entry that is greater than or equal to the key, or
    jump to P2 if there is none. On a table the key is the rowid in register P3; on an
    index it is the P4 registers from P3, compared with the first P4 fields of each
    entry. This starts a forward range scan (`WHERE x >= 5`, `WHERE x = 5` on an index),
    whose end an IdxGT/IdxGE or a comparison of the rowid decides.
    """
    _seek(vm, op, "ge")


@opcode
def SeekGT(vm, op):
    """SeekGT P1 P2 P3 P4 *

    Synopsis: key=r[P3@P4]

    Move cursor P1 to the smallest entry strictly greater than the key (given as for
    SeekGE), or jump to P2 if there is none. `WHERE x > 5` starts here.
    """
    _seek(vm, op, "gt")


@opcode
def SeekLE(vm, op):
    """SeekLE P1 P2 P3 P4 *

    Synopsis: key=r[P3@P4]

    Move cursor P1 to the largest entry less than or equal to the key, or jump to P2 if
    there is none. It starts a descending range scan, continued by Prev.
    """
    _seek(vm, op, "le")


@opcode
def SeekLT(vm, op):
    """SeekLT P1 P2 P3 P4 *

    Synopsis: key=r[P3@P4]

    Move cursor P1 to the largest entry strictly less than the key, or jump to P2 if
    there is none. It starts a descending scan with an exclusive upper bound.
    """
    _seek(vm, op, "lt")


@opcode
def DeferredSeek(vm, op):
    """DeferredSeek P1 * P3 P4 *

    Synopsis: Move P3 to P1.rowid if needed

    Index cursor P1 is on an entry; make table cursor P3 stand for the row that entry
    points at (the rowid at the end of the index key) without seeking yet. The seek
    happens when a column is read that the index does not hold. P4, when given, maps
    table columns to index columns (entry i, if not zero, says table column i is index
    column P4[i]-1), so those reads are served by the index cursor and need no seek.
    """
    idx = get_cursor(vm, op.p1)
    idx.ensure_position()
    tab = get_cursor(vm, op.p3)
    tab.deferred_rowid = idx.bt.key_values()[-1]
    tab.null_row = False
    tab.row = None
    tab.alt_map = op.p4 if isinstance(op.p4, list | tuple) else None
    tab.alt_cursor = idx


@opcode
def FinishSeek(vm, op):
    """FinishSeek P1 * * * *

    If table cursor P1 has a deferred seek pending, perform it now. DELETE uses it
    before it deletes the row an index scan found.
    """
    get_cursor(vm, op.p1).ensure_position()


# --8<-- [start:column]
@opcode(p1="cursor")
def Column(vm, op):
    """Column P1 P2 P3 P4 P5

    Synopsis: r[P3]=PX cursor P1 column P2

    Store column P2 of the row under cursor P1 in register P3: field P2 of the row's
    record (for an index, of its key). A record shorter than P2+1 fields belongs to a
    row written before `ALTER TABLE ADD COLUMN`: the column's default, P4, is used (NULL
    when there is none). On a NULL row the value is NULL. The row is decoded once and
    kept until the cursor moves, since a SELECT usually reads several columns of it.
    """
    try:
        cur = vm.cursors[op.p1]
        row = cur.row
    except (IndexError, AttributeError):
        cur = get_cursor(vm, op.p1)  # raises: the cursor is not open
        row = None
    if row is None:
        if cur.kind == PSEUDO:
            same = vm.reg[cur.pseudo_reg] is cur.row_src  # the record decoded last time?
            row = cur.pseudo_row if same else _pseudo_row(vm, cur)
        elif cur.deferred_rowid is not None:
            alt_map = cur.alt_map
            alt = alt_map[op.p2] if alt_map is not None and op.p2 < len(alt_map) else 0
            if alt:
                alt_row = cur.alt_cursor.row or cur.alt_cursor.load_row()
                vm.reg[op.p3] = alt_row[alt - 1]
                return None
            row = cur.load_row()
        elif cur.null_row or cur.bt.eof:
            row = cur.load_row()
        elif cur.is_table:  # the common case, inlined: decode the row once
            if PLAIN_CODECS:
                vm.reg[op.p3] = _plain_column(cur.bt.payload(), op)
                return None
            row = cur.row = decode_record(cur.bt.payload())
        else:
            row = cur.row = cur.bt.key_values()
    i = op.p2
    if i < len(row):
        vm.reg[op.p3] = row[i]
    elif cur.null_row or op.p4 is None or cur.kind != BTREE:
        vm.reg[op.p3] = None
    else:
        vm.reg[op.p3] = op.p4
    return None


# --8<-- [end:column]


def _plain_column(record, op):
    """Column's answer read by `decode_column` alone, as SQLite reads it (VDBE_REFERENCE=1)."""
    value = decode_column(record, op.p2)
    if value is None and op.p4 is not None and op.p2 >= len(record_header(record)[0]):
        return op.p4  # a row written before ALTER TABLE ADD COLUMN
    return value


def current_row(vm, number: int) -> list:
    """The decoded row under cursor `number` (kept until the cursor moves)."""
    cur = get_cursor(vm, number)
    if cur.row is not None:
        return cur.row
    return _pseudo_row(vm, cur) if cur.kind == PSEUDO else cur.load_row()


def _pseudo_row(vm, cur: VdbeCursor) -> list:
    """The decoded record in a pseudo cursor's register (decoded again only if it changed)."""
    if cur.pseudo_reg <= 0:
        return []
    blob = vm.reg[cur.pseudo_reg]
    # The cache is keyed on the register's value object (a new blob is a new object),
    # so `row`, which every Column trusts, stays None for pseudo cursors.
    if blob is cur.row_src:
        return cur.pseudo_row
    row = decode_record(blob) if isinstance(blob, bytes | bytearray) and blob else []
    cur.row_src = blob
    cur.pseudo_row = row
    return row


@opcode(p1="cursor")
def Rowid(vm, op):
    """Rowid P1 P2 * * *

    Synopsis: r[P2]=PX rowid of P1

    Store the rowid of the row under table cursor P1 in register P2 (NULL on a NULL
    row). An INTEGER PRIMARY KEY column is this rowid, so reading it compiles to Rowid,
    not Column.
    """
    cur = get_cursor(vm, op.p1)
    if cur.deferred_rowid is not None:
        vm.reg[op.p2] = cur.deferred_rowid
        return
    if cur.null_row or cur.kind != BTREE or cur.bt.eof:
        vtab = cur.kind == VTAB and not cur.null_row
        vm.reg[op.p2] = cur.vtab.rowid() if vtab else None
        return
    vm.reg[op.p2] = cur.bt.rowid()


@opcode
def RowData(vm, op):
    """RowData P1 P2 P3 * *

    Synopsis: r[P2]=data

    Store the whole record of the entry under cursor P1 in register P2, as a blob,
    without decoding it: the row of a table, or the key of an index. Copying rows from
    one ephemeral table to another (recursive CTEs, INTERSECT) uses it.
    """
    cur = get_cursor(vm, op.p1)
    cur.ensure_position()
    if cur.null_row:
        raise SqlError("RowData on a cursor that is not on a row")
    vm.reg[op.p2] = bytes(cur.bt.payload())


# The type of value an affinity letter surely leaves as it is: TEXT keeps text, NUMERIC
# and INTEGER keep integers (REAL changes even a REAL: an integral one is stored as an
# integer). BLOB affinity and NULL values are never changed at all.
_UNCHANGED_BY = {"B": str, "C": int, "D": int}


# --8<-- [start:makerecord]
@opcode
def MakeRecord(vm, op):
    """MakeRecord P1 P2 P3 P4 *

    Synopsis: r[P3]=mkrec(r[P1@P2])

    Encode the P2 registers starting at P1 as one record in SQLite's record format and
    store the blob in register P3: the data of a table row or the key of an index entry.
    P4, when given, is an affinity string with one letter per field (`A` BLOB, `B` TEXT,
    `C` NUMERIC, `D` INTEGER, `E` REAL); each register is first converted by its
    column's affinity, in place, as SQLite does, so `INSERT INTO t(x INTEGER) VALUES
    ('12')` stores the integer 12.
    """
    start = op.p1
    end = start + op.p2
    reg = vm.reg
    affinity = op.p4
    if affinity:
        for i, letter in enumerate(affinity[: op.p2]):
            value = reg[start + i]
            if letter != "A" and value is not None and type(value) is not _UNCHANGED_BY.get(letter):
                reg[start + i] = apply_affinity(value, letter)
    values = reg[start:end]
    record = reg[op.p3] = encode_record(values)
    vm.made_record = (record, values)  # a sorter taking this record takes its values too


# --8<-- [end:makerecord]


@opcode
def Count(vm, op):
    """Count P1 P2 P3 * *

    Synopsis: r[P2]=count()

    Store the number of entries in the tree of cursor P1 in register P2. `SELECT
    count(*) FROM t` compiles to this single instruction: it counts the cells of the
    smallest index rather than visiting the rows.
    """
    cur = get_cursor(vm, op.p1)
    vm.reg[op.p2] = cur.bt.count()


@opcode
def Sequence(vm, op):
    """Sequence P1 P2 * * *

    Synopsis: r[P2]=cursor[P1].ctr++

    Store cursor P1's counter in register P2, then add one to it. The numbers are
    unique within the cursor, which makes otherwise equal sorter keys distinct and
    keeps rows in their arrival order.
    """
    cur = get_cursor(vm, op.p1)
    vm.reg[op.p2] = cur.seq
    cur.seq += 1


@opcode
def NewRowid(vm, op):
    """NewRowid P1 P2 P3 * *

    Synopsis: r[P2]=rowid

    Choose a rowid not used in the table of cursor P1 and store it in register P2: one
    more than the largest rowid, or 1 for an empty table. Once the largest rowid is
    the maximum 9223372036854775807, random rowids are tried instead (`database or disk
    is full` if none is free). With P3 (AUTOINCREMENT), register P3 holds the largest
    rowid ever used; the new one is larger and is stored back there.
    """
    cur = get_cursor(vm, op.p1)
    bt = cur.bt
    if not cur.use_random_rowid:
        largest = bt.max_rowid()
        if largest >= MAX_ROWID:
            cur.use_random_rowid = True
        else:
            rowid = largest + 1  # an empty table reports 0, giving rowid 1
    if op.p3:
        root = root_registers(vm)  # inside a trigger, P3 is the main program's register
        ever = int(root[op.p3] or 0)
        if ever >= MAX_ROWID or cur.use_random_rowid:
            raise SqlError("database or disk is full", "SQLITE_FULL")
        rowid = max(rowid, ever + 1)
        root[op.p3] = rowid
    if cur.use_random_rowid:
        import random  # only needed once the largest rowid is taken

        for _ in range(100):
            rowid = random.getrandbits(62) + 1
            if not bt.seek_rowid(rowid):
                break
        else:
            raise SqlError("database or disk is full", "SQLITE_FULL")
    cur.row = None
    vm.reg[op.p2] = rowid


@opcode
def MemMax(vm, op):
    """MemMax P1 P2 * * *

    Synopsis: r[P1]=max(r[P1],r[P2])

    Make register P1 the larger of itself and register P2, both taken as integers. An
    INSERT into an AUTOINCREMENT table keeps the largest rowid ever used in register P1
    (read from and written back to `sqlite_sequence`) and raises it past every rowid
    that NewRowid hands out or that the statement supplies.
    """
    root = root_registers(vm)  # inside a trigger, P1 is a register of the main program
    current = to_int(root[op.p1]) or 0
    other = to_int(vm.reg[op.p2]) or 0
    root[op.p1] = other if other > current else current


@opcode
def Insert(vm, op):
    """Insert P1 P2 P3 P4 P5

    Synopsis: intkey=r[P3] data=r[P2]

    Write a row into the table of cursor P1: rowid from register P3, record from
    register P2. A row with that rowid is replaced. P4 names the table (SQLite passes
    it to update hooks). P5 flags: 0x01 counts the row as a change, 0x20 makes it the
    last insert rowid, 0x40 marks an index cursor's no-op Insert that only exists for
    hooks. The constraint checks came earlier in the program: Insert never fails on
    a duplicate.
    """
    flags = op.p5
    if flags & OPFLAG_ISNOOP:
        return
    cur = get_cursor(vm, op.p1)
    rowid = vm.reg[op.p3]
    data = vm.reg[op.p2]
    if type(data) is not bytes:
        if data is None:
            data = b""
        elif isinstance(data, bytearray):
            data = bytes(data)
        else:
            raise SqlError("Insert needs a record blob")
    if type(rowid) is not int:
        raise SqlError("Insert needs an integer rowid")
    cur.forget_rows()
    try:
        cur.bt.insert(rowid, data)
    except ValueError as exc:  # a read-only cursor, or no write transaction
        raise SqlError(str(exc)) from None
    cur.deferred_rowid = None
    cur.null_row = False
    if flags & OPFLAG_NCHANGE:
        vm.changes += 1
        if flags & OPFLAG_LASTROWID:
            vm.last_rowid = rowid


@opcode
def Delete(vm, op):
    """Delete P1 P2 P3 P4 P5

    Delete the entry under cursor P1. P2 holds flags: 0x01 counts a change, 0x04 says
    the row is being updated (an Insert of the same row follows), 0x40 says the delete
    is a no-op kept only for hooks, because the Insert that follows overwrites the row.
    A later Next moves to the entry that followed the deleted one, so DELETE can remove
    rows inside its own scan.
    """
    cur = get_cursor(vm, op.p1)
    if op.p2 & OPFLAG_ISNOOP:
        return  # the Insert that follows overwrites the row (a hook-only delete)
    cur.ensure_position()
    if cur.null_row or cur.bt.eof:
        raise SqlError("Delete on a cursor that is not on a row")
    cur.forget_rows()
    try:
        cur.bt.delete()
    except ValueError as exc:
        raise SqlError(str(exc)) from None
    if op.p2 & OPFLAG_NCHANGE:
        vm.changes += 1
