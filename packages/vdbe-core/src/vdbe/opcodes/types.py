"""Types and affinity: converting the value in a register to a storage class.

Affinity letters are SQLite's: 'A' BLOB (no change), 'B' TEXT, 'C' NUMERIC,
'D' INTEGER, 'E' REAL. `vdbe.values` holds the conversion rules; these opcodes apply
them to registers.
"""

from __future__ import annotations

from vdbe.errors import ConstraintError, SqlError
from vdbe.opcodes import compiled_since, opcode
from vdbe.values import apply_affinity, cast


@opcode
def Cast(vm, op):
    """Cast P1 P2 * * *

    Synopsis: affinity(r[P1])

    Convert register P1, in place, as `CAST(x AS type)` does; P2 is the affinity
    letter's character code ('A' BLOB, 'B' TEXT, 'C' NUMERIC, 'D' INTEGER, 'E' REAL).
    NULL stays NULL.
    """
    vm.reg[op.p1] = cast(vm.reg[op.p1], chr(op.p2))


@opcode
def Affinity(vm, op):
    """Affinity P1 P2 * P4 *

    Synopsis: affinity(r[P1@P2])

    Apply column affinities to the P2 registers starting at P1: the N-th letter of the
    string P4 is the affinity for the N-th register. Unlike Cast, an affinity only
    converts when nothing is lost ('12' becomes 12, 'abc' stays text).
    """
    reg = vm.reg
    for i, letter in enumerate(op.p4 or ""):
        if i >= op.p2:
            break
        reg[op.p1 + i] = apply_affinity(reg[op.p1 + i], letter)


@opcode
def RealAffinity(vm, op):
    """RealAffinity P1 * * * *

    If register P1 holds an integer, make it a REAL. Columns of REAL affinity may
    store integral values as integers to save space; this restores their type.
    """
    value = vm.reg[op.p1]
    if type(value) is int:
        vm.reg[op.p1] = float(value)


@opcode
def MustBeInt(vm, op):
    """MustBeInt P1 P2 * * *

    Make register P1 an integer if that loses nothing ('7', 7.0); if it cannot be
    one, jump to P2, or when P2 is 0 fail with 'datatype mismatch'. LIMIT and rowid
    lookups use it.
    """
    value = vm.reg[op.p1]
    if type(value) is int:
        return
    converted = apply_affinity(value, "C")
    if type(converted) is int:
        vm.reg[op.p1] = converted
    elif op.p2:
        vm.pc = op.p2
    else:
        raise SqlError("datatype mismatch", "SQLITE_MISMATCH")


class StrictTable:
    """TypeCheck's P4: a STRICT table's name and, per column, its name, type and kind.

    EXPLAIN prints only the table's name; the loader reads the columns from the schema
    (`PRAGMA table_xinfo`). `generated` is 0 for a plain column, 2 for a VIRTUAL
    generated one (never stored), 3 for a STORED one.
    """

    __slots__ = ("name", "columns")

    def __init__(self, name: str, columns: list[tuple[str, str, int]]) -> None:
        self.name = name
        self.columns = columns

    def __str__(self) -> str:
        return self.name

    def __eq__(self, other: object) -> bool:
        if other.__class__ is not self.__class__:
            return NotImplemented
        return (self.name, self.columns) == (other.name, other.columns)

    __hash__ = None


# A STRICT column's type: the affinity it applies, and the Python type a value must
# then have (None: any value is accepted).
_STRICT_TYPES = {
    "INT": ("D", int),
    "INTEGER": ("D", int),
    "REAL": ("E", (int, float)),
    "TEXT": ("B", str),
    "BLOB": ("A", bytes),
    "ANY": ("A", None),
}
_TYPE_NAMES = {type(None): "NULL", int: "INT", float: "REAL", str: "TEXT", bytes: "BLOB"}


# --8<-- [start:typecheck]
@opcode
def TypeCheck(vm, op):
    """TypeCheck P1 P2 P3 P4 *

    Synopsis: typecheck(r[P1@P2])

    Enforce a STRICT table's column types on the P2 registers starting at P1, one per
    stored column of the table P4: apply the column's affinity ('12' becomes 12 for
    an INTEGER column), then fail with `cannot store TEXT value in INTEGER column
    t.a` if the value is still not of the column's type. NULL passes (NOT NULL is
    checked elsewhere), and so does anything in an ANY column. VIRTUAL generated
    columns have no register; STORED ones are skipped when P3 is set. From SQLite 3.51
    on, a P3 of 2 or more checks one VIRTUAL column, number P3-2, in register P1 (3.50
    and earlier may leave any number in P3 where they mean "set").
    """
    table, reg, at = op.p4, vm.reg, op.p1
    if op.p3 >= 2 and compiled_since(3, 51):
        name, declared, _ = table.columns[op.p3 - 2]
        reg[at] = _strict_value(table, name, declared, reg[at])
        return
    for name, declared, generated in table.columns:
        if generated == 2 or (generated == 3 and op.p3):
            at += generated == 3
            continue
        reg[at] = _strict_value(table, name, declared, reg[at])
        at += 1


def _strict_value(table: StrictTable, name: str, declared: str, value):
    """`value` with the affinity of a STRICT column applied, if it is of the column's type."""
    affinity, wanted = _STRICT_TYPES[declared]
    value = apply_affinity(value, affinity)
    if value is not None and wanted is not None and not isinstance(value, wanted):
        raise ConstraintError(
            f"cannot store {_TYPE_NAMES[type(value)]} value in {declared} column "
            f"{table.name}.{name}"
        )
    return value


# --8<-- [end:typecheck]


# The bit IsType's mask gives each storage class (SQLITE_INTEGER is 1, ..., NULL 5).
_TYPE_BITS = {int: 0x01, float: 0x02, str: 0x04, bytes: 0x08, type(None): 0x10}


@opcode
def IsType(vm, op):
    """IsType P1 P2 P3 P4 P5

    Synopsis: if typeof(P1.P3) in P5 goto P2

    Jump to P2 if the storage class of a value is one of those in the mask P5 (0x01
    INTEGER, 0x02 REAL, 0x04 TEXT, 0x08 BLOB, 0x10 NULL). The value is column P3 of
    the row under cursor P1, as stored (a prior Column decoded the row), or, when the
    row has fewer columns, a value of type P4 (1 to 5, as `sqlite3_column_type`
    numbers them); when P1 is -1 it is register P3. `PRAGMA integrity_check` checks
    NOT NULL and STRICT column types with it.
    """
    if op.p1 < 0:
        bit = _TYPE_BITS[type(vm.reg[op.p3])]
    else:
        from vdbe.opcodes.cursors import current_row

        row = current_row(vm, op.p1)
        bit = _TYPE_BITS[type(row[op.p3])] if op.p3 < len(row) else 1 << (int(op.p4) - 1)
    if bit & op.p5:
        vm.pc = op.p2
