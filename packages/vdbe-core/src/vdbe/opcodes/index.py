"""Index opcodes: comparing, finding, inserting and deleting index keys.

An index is a B-tree of records with no data: each key is the indexed columns followed
by the rowid of the table row (or, for a WITHOUT ROWID table, the whole row with its
PRIMARY KEY first). SQLite's compiler walks an index range with a seek (in
`cursors.py`), then tests each entry with IdxGT/IdxGE/IdxLT/IdxLE to know when the
range ends; it enforces UNIQUE with NoConflict, and answers `x IN (...)` and DISTINCT
with Found/NotFound on ephemeral indexes.

Comparisons follow SQLite's `UnpackedRecord` rules: a probe key of N values is compared
with the first N fields of an entry (field by field, with the KeyInfo's collation and
direction); when all N are equal, a "default result" decides, which is how one probe can
mean "just before every entry with this prefix" or "just after".
"""

from __future__ import annotations

import struct

from vdbe.errors import CorruptError, SqlError
from vdbe.int64 import LARGEST_INT64
from vdbe.opcodes import compiled_since, opcode
from vdbe.opcodes.cursors import OPFLAG_NCHANGE, get_cursor
from vdbe.record import decode_record, record_header
from vdbe.values import compare


# --8<-- [start:compare_prefix]
def compare_prefix(entry: list, key: list, key_info, default: int = 0) -> int:
    """Compare an index entry with a probe key over the key's fields: -1, 0 or +1.

    Field i uses the KeyInfo's collation i and is reversed when that field is
    descending. NULLs are equal to each other here (they sort first). When every field
    of the key equals the entry's, the answer is `default`.
    """
    collations = key_info.collations if key_info is not None else ()
    descending = key_info.descending if key_info is not None else ()
    for i, probe in enumerate(key):
        if i >= len(entry):
            return default
        value = entry[i]
        coll = collations[i] if i < len(collations) else None
        if type(value) is type(probe) and (coll is None or coll == "BINARY"):
            # Same storage class, byte order: Python's own comparison is SQLite's
            # (str order is UTF-8 byte order). NULL equals NULL here.
            c = (value > probe) - (value < probe) if value is not None else 0
        elif value is None or probe is None:
            c = -1 if value is None else 1
        else:
            c = compare(value, probe, coll) if coll else compare(value, probe)
        if c:
            if i < len(descending) and descending[i]:
                return -c
            return c
    return default


# --8<-- [end:compare_prefix]


def _probe(vm, op) -> list:
    """The probe key of a Found/NotFound/NoConflict: P4 registers at P3, or a record."""
    n = op.p4 if type(op.p4) is int else int(op.p4 or 0)
    if n > 0:
        return vm.reg[op.p3 : op.p3 + n]
    blob = vm.reg[op.p3]
    if not isinstance(blob, bytes | bytearray):
        raise SqlError("Found needs a record blob")
    return decode_record(bytes(blob))


def _find(cur, key: list) -> bool:
    """Seek index cursor `cur` to the first entry whose prefix equals `key`; True if found."""
    ok = cur.bt.seek(key, "ge")
    found = bool(ok) and compare_prefix(cur.bt.key_values(), key, cur.key_info) == 0
    cur.row = None
    cur.null_row = not found
    cur.deferred_rowid = None
    return found


@opcode
def Found(vm, op):
    """Found P1 P2 P3 P4 *

    Synopsis: key=r[P3@P4]

    Jump to P2 if index cursor P1 holds an entry whose first fields equal the probe key,
    leaving the cursor on it. The key is the P4 registers from P3, or, when P4 is 0, the
    fields of the record in register P3. DISTINCT uses it to skip a row already seen.
    """
    cur = get_cursor(vm, op.p1)
    if _find(cur, _probe(vm, op)):
        vm.pc = op.p2


@opcode
def IFindKey(vm, op):
    """IFindKey P1 P2 P3 P4 *

    PRAGMA integrity_check, as SQLite 3.53 and later compile it, runs this after a
    Found for a row's index key (the registers from P3) has failed. It falls through when
    index P4 (cursor P1) holds an entry that differs from the key only by rounding: a
    REAL in an expression column within two units in the last place, the other fields
    equal; the check then says the index "stores an imprecise floating-point value"
    (an older release computed the expression a little differently). Otherwise it jumps
    to P2, to say the row is missing from the index.
    """
    cur = get_cursor(vm, op.p1)
    computed = _expression_columns(vm, str(op.p4))
    found = cur.bt.first()
    while found:
        entry = cur.bt.key_values()
        key = vm.reg[op.p3 : op.p3 + len(entry)]
        if len(key) == len(entry) and all(
            _same_or_close(stored, wanted, i < len(computed) and computed[i])
            for i, (stored, wanted) in enumerate(zip(entry, key, strict=True))
        ):
            _find(cur, entry)  # leave the cursor on that entry, as Found would
            return
        found = cur.bt.next()
    vm.pc = op.p2


def _same_or_close(stored, wanted, computed: bool) -> bool:
    """Equal, or (in an expression column) two REALs at most 2 units in the last place apart."""
    if computed and type(stored) is float and type(wanted) is float:
        return abs(_ordered_bits(stored) - _ordered_bits(wanted)) <= 2
    return type(stored) is type(wanted) and compare(stored, wanted) == 0


def _ordered_bits(x: float) -> int:
    """The REAL's 64 bits as an integer that counts the doubles in order (-0.0 is 0)."""
    (bits,) = struct.unpack("<q", struct.pack("<d", x))
    return bits if bits >= 0 else -(bits & LARGEST_INT64)


def _expression_columns(vm, index_name: str) -> list[bool]:
    """For each column of the named index, is it an expression (not a table column)?
    Read from the index's CREATE INDEX statement in the schema."""
    from vdbe.sqltokens import tokenize, words  # noqa: PLC0415
    from vdbe.storage.vacuum import schema_rows  # noqa: PLC0415

    sql = next(
        (
            row[4]
            for row in schema_rows(vm.database(0))
            if row[0] == "index" and row[1] == index_name
        ),
        None,
    )
    if not sql:
        return []
    tokens = words(tokenize(sql))
    start = next(i for i, t in enumerate(tokens) if t.text == "(") + 1
    columns, depth, term = [], 0, []
    for token in tokens[start:]:
        if token.text == "(":
            depth += 1
        elif token.text == ")":
            if depth == 0:
                columns.append(term)
                break
            depth -= 1
        elif token.text == "," and depth == 0:
            columns.append(term)
            term = []
            continue
        term.append(token)
    return [not _plain_column(term) for term in columns]


def _plain_column(term: list) -> bool:
    """A bare column name, perhaps with COLLATE name, ASC or DESC after it."""
    while term and term[-1].text.upper() in ("ASC", "DESC"):
        term = term[:-1]
    if len(term) >= 3 and term[-2].text.upper() == "COLLATE":
        term = term[:-2]
    return len(term) == 1 and term[0].kind in ("id", "string")


@opcode
def NotFound(vm, op):
    """NotFound P1 P2 P3 P4 *

    Synopsis: key=r[P3@P4]

    The opposite of Found: jump to P2 if no entry of index cursor P1 starts with the
    probe key; otherwise fall through with the cursor on the match. INTERSECT and
    EXCEPT test each row of one side against the other with it.
    """
    cur = get_cursor(vm, op.p1)
    if not _find(cur, _probe(vm, op)):
        vm.pc = op.p2


@opcode
def IfNoHope(vm, op):
    """IfNoHope P1 P2 P3 P4 *

    Synopsis: key=r[P3@P4]

    A NotFound that is skipped when the cursor's seek-hit counter (set by SeekHit)
    already reaches P4: an IN loop over a later column of a multi-column index uses it
    to give up early when an earlier column can match nothing.
    """
    cur = get_cursor(vm, op.p1)
    if cur.seek_hit >= op.p4:
        return
    if not _find(cur, _probe(vm, op)):
        vm.pc = op.p2
    else:
        cur.seek_hit = op.p4


@opcode
def SeekHit(vm, op):
    """SeekHit P1 P2 P3 * *

    Synopsis: set P2<=seekHit<=P3

    Clamp cursor P1's seek-hit counter into the range P2..P3; see IfNoHope.
    """
    cur = get_cursor(vm, op.p1)
    cur.seek_hit = min(max(cur.seek_hit, op.p2), op.p3)


@opcode
def SeekScan(vm, op):
    """SeekScan P1 P2 * * P5

    Synopsis: Scan-ahead up to P1 rows

    An optional shortcut placed before a SeekGE: step the cursor forward up to P1
    times instead of seeking when the target is probably near. Skipping it gives the
    same answer, so this VM always falls through into the SeekGE.
    """


@opcode
def NoConflict(vm, op):
    """NoConflict P1 P2 P3 P4 *

    Synopsis: key=r[P3@P4]

    The UNIQUE check: jump to P2 if the probe key (P4 registers from P3) contains a
    NULL, since NULLs never conflict, or if no entry of index cursor P1 starts with it.
    Otherwise fall through with the cursor on the conflicting entry, where the program
    raises `UNIQUE constraint failed`, or replaces or ignores the row, per the ON
    CONFLICT rule.
    """
    cur = get_cursor(vm, op.p1)
    key = _probe(vm, op)
    if any(value is None for value in key):
        cur.null_row = True
        cur.row = None
        vm.pc = op.p2
        return
    if not _find(cur, key):
        vm.pc = op.p2


def _index_compare(vm, op, default: int) -> int:
    cur = get_cursor(vm, op.p1)
    if cur.deferred_rowid is not None:
        cur.ensure_position()
    entry = cur.row
    if entry is None:
        entry = cur.load_row()
    n = op.p4 if type(op.p4) is int else int(op.p4)
    return compare_prefix(entry, vm.reg[op.p3 : op.p3 + n], cur.key_info, default)


@opcode
def IdxGT(vm, op):
    """IdxGT P1 P2 P3 P4 *

    Synopsis: key=r[P3@P4]

    Compare the entry under index cursor P1, ignoring its trailing rowid, with the key of
    P4 registers from P3; jump to P2 if the entry is greater. An entry equal on all P4
    fields is not greater. This ends an ascending range such as `x <= 9` or `x = 5`.
    """
    if _index_compare(vm, op, -1) > 0:
        vm.pc = op.p2


@opcode
def IdxGE(vm, op):
    """IdxGE P1 P2 P3 P4 *

    Synopsis: key=r[P3@P4]

    Jump to P2 if the entry under index cursor P1 is greater than or equal to the key
    (P4 registers from P3), comparing only the key's fields. This ends an ascending
    range with an exclusive bound, such as `x < 9`.
    """
    if _index_compare(vm, op, 0) >= 0:
        vm.pc = op.p2


@opcode
def IdxLT(vm, op):
    """IdxLT P1 P2 P3 P4 *

    Synopsis: key=r[P3@P4]

    Jump to P2 if the entry under index cursor P1 is less than the key (P4 registers from
    P3), comparing only the key's fields. This ends a descending range such as `x >= 3`.
    """
    if _index_compare(vm, op, 0) < 0:
        vm.pc = op.p2


@opcode
def IdxLE(vm, op):
    """IdxLE P1 P2 P3 P4 *

    Synopsis: key=r[P3@P4]

    Jump to P2 if the entry under index cursor P1 is less than or equal to the key (P4
    registers from P3), an entry equal on all P4 fields counting as equal. This ends a
    descending range with an exclusive bound, such as `x > 3`; ORDER BY ... LIMIT also
    uses it to drop a row that sorts after the kept ones.
    """
    if _index_compare(vm, op, -1) <= 0:
        vm.pc = op.p2


@opcode
def IdxRowid(vm, op):
    """IdxRowid P1 P2 * * *

    Synopsis: r[P2]=rowid

    Store in register P2 the rowid at the end of the key under index cursor P1 (NULL if
    the cursor is on a NULL row). A query that needs only indexed columns and the rowid
    reads them all from the index and never touches the table.
    """
    cur = get_cursor(vm, op.p1)
    if cur.null_row:
        vm.reg[op.p2] = None
        return
    row = cur.row
    if row is None:
        row = cur.load_row()
    vm.reg[op.p2] = row[-1] if row else None


@opcode
def IdxInsert(vm, op):
    """IdxInsert P1 P2 P3 P4 P5

    Synopsis: key=r[P2]

    Insert the record in register P2 as a key of index cursor P1. P4, when not zero,
    is how many leading fields make two keys equal (they are also unpacked in registers
    from P3); an entry equal on those is replaced. A WITHOUT ROWID table uses that: its
    key is the PRIMARY KEY, so UPDATE rewrites a row by inserting it again, and DROP
    COLUMN by inserting a shorter record over the longer one. P5 flag 0x01
    counts a change. Uniqueness was checked before, by NoConflict.
    """
    cur = get_cursor(vm, op.p1)
    record = vm.reg[op.p2]
    if not isinstance(record, bytes | bytearray):
        raise SqlError("IdxInsert needs a record blob")
    record = bytes(record)
    if op.p5 & OPFLAG_NCHANGE:
        vm.changes += 1
    cur.forget_rows()
    n = op.p4 if type(op.p4) is int else 0
    try:
        if n and n < len(record_header(record)[0]) and _find(cur, vm.reg[op.p3 : op.p3 + n]):
            cur.bt.delete()  # the same key with other trailing fields: replace it
        cur.bt.insert_key(record)
    except ValueError as exc:  # a read-only cursor, or no write transaction
        raise SqlError(str(exc)) from None
    cur.null_row = False


@opcode
def IdxDelete(vm, op):
    """IdxDelete P1 P2 P3 * P5

    Synopsis: key=r[P2@P3]

    Remove from index cursor P1 the entry whose key starts with the P3 registers from
    P2 (the indexed columns and the rowid). UPDATE and DELETE call it for every index of
    the table before they change the row; there P5 is 1, and a missing entry means the
    index is corrupt. With P5 = 0 a missing entry is simply nothing to delete: EXCEPT
    removes the right side's rows from an ephemeral index this way.

    Newer releases name the index in P4 (3.53 does), and then a missing entry is always
    a corrupt index; from 3.54 on the key's length is in P5, and P3 flags keys with
    expressions in them, which this VM computes the same way every time.
    """
    cur = get_cursor(vm, op.p1)
    if compiled_since(3, 54):
        length, must_exist = op.p5, True
    else:
        length, must_exist = op.p3, bool(op.p5 or op.p4)
    key = vm.reg[op.p2 : op.p2 + length]
    if not _find(cur, key):
        if must_exist:
            raise CorruptError()
        return
    cur.forget_rows()
    try:
        cur.bt.delete()
    except ValueError as exc:
        raise SqlError(str(exc)) from None


@opcode
def Filter(vm, op):
    """Filter P1 P2 P3 P4 *

    Synopsis: if key(P3@P4) not in filter(P1) goto P2

    Jump to P2 if the key of P4 registers from P3 is surely absent from the Bloom filter
    in register P1. A Bloom filter may say "maybe" for a key it never saw, never "no"
    for one it did, so answering "maybe" every time, as this VM does, is always correct:
    the seek that follows decides.
    """


@opcode
def FilterAdd(vm, op):
    """FilterAdd P1 * P3 P4 *

    Synopsis: filter(P1) += key(P3@P4)

    Add the key of P4 registers from P3 to the Bloom filter in register P1. Since this
    VM's Filter never rules a key out, there is nothing to record.
    """


class RowSet:
    """A set of rowids held in a register (SQLite's RowSet object)."""

    __slots__ = ("members", "pending")

    def __init__(self) -> None:
        self.members: set[int] = set()
        self.pending: list[int] | None = None

    def __repr__(self) -> str:
        return f"RowSet({sorted(self.members)})"


def _rowset(vm, register: int) -> RowSet:
    value = vm.reg[register]
    if not isinstance(value, RowSet):
        value = vm.reg[register] = RowSet()
    return value


@opcode
def RowSetAdd(vm, op):
    """RowSetAdd P1 P2 * * *

    Synopsis: rowset(P1)=r[P2]

    Add the integer in register P2 to the set of rowids in register P1 (making register
    P1 a set if it is not one). An OR of terms on different indexes collects the rowids
    each index finds into such a set.
    """
    _rowset(vm, op.p1).members.add(int(vm.reg[op.p2]))


@opcode
def RowSetRead(vm, op):
    """RowSetRead P1 P2 P3 * *

    Synopsis: r[P3]=rowset(P1)

    Take the smallest rowid out of the set in register P1 into register P3; when the
    set is empty, jump to P2 (and the set is gone).
    """
    rowset = vm.reg[op.p1]
    if isinstance(rowset, RowSet):
        if rowset.pending is None:
            rowset.pending = sorted(rowset.members, reverse=True)
        if rowset.pending:
            vm.reg[op.p3] = rowset.pending.pop()
            return
    vm.reg[op.p1] = None
    vm.pc = op.p2


@opcode
def RowSetTest(vm, op):
    """RowSetTest P1 P2 P3 P4 *

    Synopsis: if r[P3] in rowset(P1) goto P2

    Jump to P2 if the integer in register P3 is in the set in register P1; otherwise
    add it (unless P4 is -1, which says it will never be tested again). This is how an
    OR over several indexes avoids returning a row twice.
    """
    rowset = _rowset(vm, op.p1)
    value = int(vm.reg[op.p3])
    if value in rowset.members:
        vm.pc = op.p2
    elif op.p4 != -1:
        rowset.members.add(value)
