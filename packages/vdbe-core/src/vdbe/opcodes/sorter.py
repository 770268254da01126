"""Sorter opcodes: collect records, sort them once, play them back in order.

ORDER BY that no index can satisfy, GROUP BY, and CREATE INDEX all go through a sorter.
The program writes one record per row into it (SorterInsert), sorts (SorterSort), then
reads the records back one by one (SorterData into a register that a pseudo cursor
decodes, SorterNext to advance). Records compare by their first `n_key_fields` fields,
with the KeyInfo's collations and directions; equal keys keep their arrival order.

SQLite's sorter spills to temporary files when the data outgrows memory and merges
them back; this one keeps the records in a Python list and sorts it with Python's
stable sort, one pass per key field, last field first.
"""

from __future__ import annotations

import functools

from vdbe.collation import COLLATIONS, connection_collations
from vdbe.opcodes import opcode
from vdbe.opcodes.cursors import SORTER, VdbeCursor, get_cursor, install, sorter_rewind
from vdbe.opcodes.index import compare_prefix
from vdbe.record import decode_record

_ASCII_LOWER = str.maketrans("ABCDEFGHIJKLMNOPQRSTUVWXYZ", "abcdefghijklmnopqrstuvwxyz")


class Sorter:
    """The records of one sorter cursor and, once sorted, the playback position."""

    __slots__ = ("key_info", "records", "rows", "pos")

    def __init__(self, key_info) -> None:
        self.key_info = key_info
        self.records: list[bytes] = []
        self.rows: list[bytes] = []  # the records in sorted order
        self.pos = 0

    def sort(self) -> None:
        """Decode every record and order them by the key fields."""
        rows = [(record, decode_record(record)) for record in self.records]
        self.records = []
        # Only the key fields take part; the decoded rows are dropped once sorted.
        info = self.key_info
        n = info.n_key_fields if info is not None else 0
        for i in reversed(range(n)):
            coll = info.collations[i] if i < len(info.collations) else None
            desc = bool(info.descending[i]) if i < len(info.descending) else False
            field_key = _field_key(coll)
            rows.sort(key=lambda row, i=i, fk=field_key: fk(_field(row[1], i)), reverse=desc)
        self.rows = [record for record, _ in rows]
        self.pos = 0

    @property
    def current(self) -> bytes | None:
        return self.rows[self.pos] if self.pos < len(self.rows) else None


def _field(values: list, i: int):
    return values[i] if i < len(values) else None


def _field_key(coll: str | None):
    """A sort-key function for one field: NULLs, then numbers, then text, then blobs."""
    upper = (coll or "BINARY").upper()
    if upper == "BINARY":
        text = None
    elif upper == "NOCASE":

        def text(s: str) -> str:
            return s.translate(_ASCII_LOWER)
    elif upper == "RTRIM":

        def text(s: str) -> str:
            return s.rstrip(" ")
    else:
        compare_text = COLLATIONS.get(upper) or connection_collations.get(upper)
        text = None if compare_text is None else functools.cmp_to_key(compare_text)

    def key(value):
        if value is None:
            return (0, 0)
        kind = type(value)
        if kind is int or kind is float:
            return (1, value)
        if kind is str:
            return (2, value if text is None else text(value))
        return (3, bytes(value))

    return key


@opcode(p1="cursor")
def SorterOpen(vm, op):
    """SorterOpen P1 P2 P3 P4 *

    Open sorter cursor P1 for records of P2 fields, ordered by the KeyInfo in P4. P3,
    when not zero, says a stable sort on the first P3 fields is enough; this sorter is
    always stable.
    """
    cur = VdbeCursor(SORTER)
    cur.key_info = op.p4
    cur.n_field = op.p2
    cur.sorter = Sorter(op.p4)
    install(vm, op.p1, cur)


@opcode
def SorterInsert(vm, op):
    """SorterInsert P1 P2 * * *

    Synopsis: key=r[P2]

    Add the record in register P2 (made by MakeRecord) to sorter P1.
    """
    cur = get_cursor(vm, op.p1)
    cur.sorter.records.append(bytes(vm.reg[op.p2]))


@opcode
def SorterSort(vm, op):
    """SorterSort P1 P2 * * *

    Sort the records of sorter P1 and stand on the first one; jump to P2 if the sorter
    is empty. From here on SorterData reads and SorterNext advances.
    """
    if not sorter_rewind(get_cursor(vm, op.p1)):
        vm.pc = op.p2


@opcode
def Sort(vm, op):
    """Sort P1 P2 * * *

    Exactly Rewind, on an ephemeral index that already holds rows in order: SQLite uses
    this name when the index serves an ORDER BY, so that its tests can count sorts.
    Jump to P2 if the index is empty.
    """
    cur = get_cursor(vm, op.p1)
    if cur.kind == SORTER:
        ok = sorter_rewind(cur)
    else:
        ok = cur.bt.first()
        cur.moved(ok)
    if not ok:
        vm.pc = op.p2


@opcode
def SorterData(vm, op):
    """SorterData P1 P2 P3 * *

    Synopsis: r[P2]=data

    Store the current record of sorter P1 in register P2, and forget what pseudo cursor
    P3 had decoded, since that cursor reads register P2.
    """
    cur = get_cursor(vm, op.p1)
    current = cur.sorter.current
    vm.reg[op.p2] = current
    pseudo = vm.cursor(op.p3)
    if pseudo is not None:
        pseudo.row_src = None


@opcode
def SorterNext(vm, op):
    """SorterNext P1 P2 * * P5

    Advance sorter P1 to its next record and jump to P2; fall through after the last.
    """
    cur = get_cursor(vm, op.p1)
    sorter = cur.sorter
    sorter.pos += 1
    if sorter.pos < len(sorter.rows):
        vm.pc = op.p2
    else:
        cur.null_row = True


@opcode
def SorterCompare(vm, op):
    """SorterCompare P1 P2 P3 P4 *

    Synopsis: if key(P1)!=trim(r[P3],P4) goto P2

    Compare the first P4 fields of sorter P1's current record with those of the record
    in register P3; jump to P2 if they differ. A NULL among those fields of register P3
    counts as different, since NULLs are distinct. CREATE UNIQUE INDEX finds duplicate
    keys this way: after sorting, duplicates are neighbours.
    """
    cur = get_cursor(vm, op.p1)
    n = op.p4 if type(op.p4) is int else int(op.p4)
    other = decode_record(bytes(vm.reg[op.p3]))[:n]
    current = cur.sorter.current
    if current is None or any(v is None for v in other):
        vm.pc = op.p2
        return
    if compare_prefix(decode_record(current), other, cur.key_info) != 0:
        vm.pc = op.p2


@opcode
def ResetSorter(vm, op):
    """ResetSorter P1 * * * *

    Empty sorter or ephemeral table P1, keeping it open. A window function program
    empties its partition table between partitions with it.
    """
    cur = get_cursor(vm, op.p1)
    if cur.kind == SORTER:
        cur.sorter = Sorter(cur.key_info)
    else:
        cur.db.clear_btree(cur.root)
        if cur.tree is not None:
            for other in cur.tree.cursors:
                other.moved(False)
    cur.null_row = True


@opcode
def SequenceTest(vm, op):
    """SequenceTest P1 P2 * * *

    Synopsis: if( cursor[P1].ctr++ ) pc = P2

    Jump to P2 if sorter P1's counter is zero, then add one to the counter either way:
    a "first time?" test on a cursor.
    """
    cur = get_cursor(vm, op.p1)
    first = cur.seq == 0
    cur.seq += 1
    if first:
        vm.pc = op.p2


@opcode
def OffsetLimit(vm, op):
    """OffsetLimit P1 P2 P3 * *

    Synopsis: if r[P1]>0 then r[P2]=r[P1]+max(0,r[P3]) else r[P2]=(-1)

    Register P1 holds a LIMIT and P3 an OFFSET. Store in P2 how many rows the sorter
    must keep: LIMIT + OFFSET, or -1 ("all") when there is no positive LIMIT. An
    `ORDER BY ... LIMIT n` then keeps only that many rows in its ephemeral index.
    """
    limit = vm.reg[op.p1]
    offset = vm.reg[op.p3]
    if limit is None or limit <= 0:
        vm.reg[op.p2] = -1
    else:
        vm.reg[op.p2] = limit + max(0, offset or 0)
