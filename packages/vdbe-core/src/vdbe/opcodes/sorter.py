"""Sorter opcodes: collect records, sort them once, play them back in order.

ORDER BY that no index can satisfy, GROUP BY, and CREATE INDEX all go through a sorter.
The program writes one record per row into it (SorterInsert), sorts (SorterSort), then
reads the records back one by one (SorterData into a register that a pseudo cursor
decodes, SorterNext to advance). Records compare by their first `n_key_fields` fields,
with the KeyInfo's collations and directions; equal keys keep their arrival order.

SQLite's sorter spills to temporary files when the data outgrows memory and merges
them back; this one keeps the records in a Python list, each beside its decoded values, and
sorts it with Python's stable sort, one pass per key field, last field first.
"""

from __future__ import annotations

import functools

from vdbe.collation import COLLATIONS, connection_collations
from vdbe.opcodes import opcode
from vdbe.opcodes.cursors import SORTER, VdbeCursor, get_cursor, install, sorter_rewind
from vdbe.opcodes.index import compare_prefix
from vdbe.record import decode_record, values_as_stored

_ASCII_LOWER = str.maketrans("ABCDEFGHIJKLMNOPQRSTUVWXYZ", "abcdefghijklmnopqrstuvwxyz")


class Sorter:
    """The entries of one sorter cursor and, once sorted, the playback position.

    An entry is a record and its values, decoded once when it comes in: the sort reads
    the values, and SorterData hands the values to the pseudo cursor that reads the
    record, so no record is decoded again on its way out.
    """

    __slots__ = ("key_info", "entries", "pos")

    def __init__(self, key_info) -> None:
        self.key_info = key_info
        self.entries: list[tuple[list, bytes]] = []  # (values, record), in sorted order once sorted
        self.pos = 0

    def sort(self) -> None:
        """Order the entries by their key fields, keeping arrival order among equal keys."""
        info = self.key_info
        n = info.n_key_fields if info is not None else 0
        for i in reversed(range(n)):
            coll = info.collations[i] if i < len(info.collations) else None
            desc = bool(info.descending[i]) if i < len(info.descending) else False
            self.entries = _sorted_by_field(self.entries, i, coll, desc)
        self.pos = 0

    def current(self) -> tuple[list, bytes | None]:
        """The values and record of the entry played back now ([], None past the end)."""
        entries = self.entries
        return entries[self.pos] if self.pos < len(entries) else ([], None)


def _sorted_by_field(entries: list, i: int, coll: str | None, desc: bool) -> list:
    """The entries in the order of their field `i`, a stable sort.

    Under BINARY, a column whose values are all numbers, all text or all blobs is in
    Python's own order, so the values themselves are the keys. Python refuses to order
    None, or a number against text, or text against a blob: if the column mixes those,
    the sort raises TypeError and each value is ranked by its storage class first.
    """
    if coll is None or coll.upper() == "BINARY":
        try:
            return sorted(entries, key=lambda entry: entry[0][i], reverse=desc)
        except (TypeError, IndexError):  # mixed classes, NULLs, or a record shorter than i
            pass
    field_key = _field_key(coll)
    return sorted(entries, key=lambda entry: field_key(_field(entry[0], i)), reverse=desc)


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


def _sorter(vm, number: int) -> Sorter:
    """The Sorter of sorter cursor `number` (an error if the cursor is not open)."""
    try:
        return vm.cursors[number].sorter
    except (IndexError, AttributeError):
        return get_cursor(vm, number).sorter  # raises: the cursor is not open


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

    Add the record in register P2 (made by MakeRecord) to sorter P1. The sorter keeps
    its values too, to sort by and to hand out with it.
    """
    record = vm.reg[op.p2]
    made, values = vm.made_record
    if made is record:  # the values MakeRecord just encoded: no need to decode them
        values = values_as_stored(values)
    else:
        record = bytes(record)
        values = decode_record(record)
    _sorter(vm, op.p1).entries.append((values, record))


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

    Store the current record of sorter P1 in register P2. Pseudo cursor P3 reads that
    register: it is given the record's values too, so its Column decodes nothing.
    """
    sorter = _sorter(vm, op.p1)
    entries = sorter.entries
    values, record = entries[sorter.pos] if sorter.pos < len(entries) else ([], None)
    vm.reg[op.p2] = record
    pseudo = vm.cursors[op.p3] if op.p3 < len(vm.cursors) else None
    if pseudo is not None:
        pseudo.row_src = record
        pseudo.pseudo_row = values


@opcode
def SorterNext(vm, op):
    """SorterNext P1 P2 * * P5

    Advance sorter P1 to its next record and jump to P2; fall through after the last.
    """
    sorter = _sorter(vm, op.p1)
    sorter.pos += 1
    if sorter.pos < len(sorter.entries):
        vm.pc = op.p2
    else:
        get_cursor(vm, op.p1).null_row = True


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
    values, current = cur.sorter.current()
    if current is None or any(v is None for v in other):
        vm.pc = op.p2
        return
    if compare_prefix(values, other, cur.key_info) != 0:
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
