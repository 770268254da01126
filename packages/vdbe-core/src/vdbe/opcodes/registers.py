"""Constants and registers: loading values into registers, copying them, and output.

Registers hold plain Python values: None (NULL), int, float, str and bytes. Because
these are immutable, SQLite's distinction between a deep copy (Copy) and a shallow
one (SCopy) costs nothing here: both just store the same object.
"""

from __future__ import annotations

from collections.abc import Mapping

from vdbe.opcodes import ROW, opcode
from vdbe.values import without_subtype


# --8<-- [start:integer]
@opcode(p1="value", writes="p2", result="int", pure=True)
def Integer(vm, op):
    """Integer P1 P2 * * *

    Synopsis: r[P2]=P1

    Store the 32-bit integer P1 in register P2. Larger integers come as Int64.
    """
    vm.reg[op.p2] = op.p1


# --8<-- [end:integer]


@opcode(writes="p2", result="int", pure=True)
def Int64(vm, op):
    """Int64 * P2 * P4 *

    Synopsis: r[P2]=P4

    Store the 64-bit integer P4 in register P2. SQLite 3.54 and later carry it in P1
    (the low 32 bits) and P3 (the high 32) instead, as they do Real's numbers; the
    loader puts it back in P4.
    """
    vm.reg[op.p2] = op.p4


@opcode(writes="p2", result="float", pure=True)
def Real(vm, op):
    """Real * P2 * P4 *

    Synopsis: r[P2]=P4

    Store the floating point number P4 in register P2. SQLite 3.54 and later carry the
    number's 64 bits in P1 (the low half) and P3 (the high half) instead, leaving P4
    empty; the loader puts the number back in P4, so both run alike here.
    """
    vm.reg[op.p2] = op.p4


@opcode(writes="p2", result="str", pure=True)
def String8(vm, op):
    """String8 * P2 * P4 *

    Synopsis: r[P2]='P4'

    Store the text P4 in register P2. SQLite turns this into String (with the length
    in P1) the first time it runs; here both store the same text.
    """
    vm.reg[op.p2] = op.p4


@opcode(p1="value")
def String(vm, op):
    """String P1 P2 P3 P4 P5

    Synopsis: r[P2]='P4' (len=P1)

    Store the text P4 (P1 bytes long) in register P2. If P3 is not zero and register
    P3 equals P5, store the same bytes as a BLOB instead.
    """
    value = op.p4 if op.p4 is not None else ""
    if op.p3 and vm.reg[op.p3] == op.p5:
        value = value.encode("utf-8")
    vm.reg[op.p2] = value


@opcode(writes="p2", pure=True)
def Null(vm, op):
    """Null P1 P2 P3 * *

    Synopsis: r[P2..P3]=NULL

    Set registers P2 through P3 to NULL, or only register P2 when P3 is not greater
    than P2. A non-zero P1 also marks the registers as cleared: until something is
    copied into them, an `Eq` or `Ne` with SQLITE_NULLEQ finds them different even
    from another NULL. DISTINCT starts its "previous row" registers so, so that a
    first row of NULLs is not taken for a repeat.
    """
    reg = vm.reg
    last = max(op.p2, op.p3)
    for i in range(op.p2, last + 1):
        reg[i] = None
    if op.p1:
        vm.cleared.update(range(op.p2, last + 1))
    elif vm.cleared:
        vm.cleared.difference_update(range(op.p2, last + 1))


@opcode
def SoftNull(vm, op):
    """SoftNull P1 * * * *

    Synopsis: r[P1]=NULL

    Set register P1 to NULL. SQLite distinguishes this "soft" NULL, which keeps the
    register's memory, from Null's; for Python values they are the same.
    """
    vm.reg[op.p1] = None


@opcode(p1="value")
def Blob(vm, op):
    """Blob P1 P2 * P4 *

    Synopsis: r[P2]=P4 (len=P1)

    Store the P1-byte BLOB P4 in register P2.
    """
    vm.reg[op.p2] = bytes(op.p4) if op.p4 is not None else b""


@opcode(p1="value")
def Variable(vm, op):
    """Variable P1 P2 * P4 *

    Synopsis: r[P2]=parameter(P1,P4)

    Copy bound parameter number P1 (counting from 1) into register P2. P4 is the
    parameter's name as written (`?1`, `:x`, `@y`, `$z`), used to look it up when the
    values were bound by name.
    """
    vm.reg[op.p2] = parameter(vm.bindings, op.p1, op.p4)


def parameter(bindings, number: int, name: object):
    """The value bound to parameter `number` (named `name`); NULL when unbound.

    `bindings` is a sequence (parameter N is item N-1) or a mapping: a named parameter
    (`:x`, `@x`, `$x`) is found under its name without the prefix, any parameter also
    under its whole name or its number.
    """
    # exercise-start: vdbe-variable
    if isinstance(bindings, Mapping):
        if isinstance(name, str) and name[:1] in ":@$" and name[1:] in bindings:
            return bindings[name[1:]]
        for key in (name, number, str(number)):
            if key in bindings:
                return bindings[key]
        return None
    if 0 < number <= len(bindings):
        return bindings[number - 1]
    return None
    # exercise-end: vdbe-variable


@opcode(writes="p2", pure=True)
def Copy(vm, op):
    """Copy P1 P2 P3 * P5

    Synopsis: r[P2@P3+1]=r[P1@P3+1]

    Copy the P3+1 registers starting at P1 into the registers starting at P2. The
    source registers keep their values. With bit 0x02 of P5 the copies lose their
    subtype (a subquery's JSON result is plain text to the query around it).
    """
    reg = vm.reg
    if op.p3 == 0:
        reg[op.p2] = reg[op.p1]
    else:
        reg[op.p2 : op.p2 + op.p3 + 1] = reg[op.p1 : op.p1 + op.p3 + 1]
    if vm.cleared:  # a copied value is no longer a cleared NULL (see Null)
        vm.cleared.difference_update(range(op.p2, op.p2 + op.p3 + 1))
    if op.p5 & 2:
        for r in range(op.p2, op.p2 + op.p3 + 1):
            reg[r] = without_subtype(reg[r])


@opcode(writes="p2", pure=True)
def SCopy(vm, op):
    """SCopy P1 P2 * * *

    Synopsis: r[P2]=r[P1]

    Make register P2 a shallow copy of register P1. In SQLite the copy may share the
    original's memory; Python values are immutable, so sharing is always safe here.
    """
    vm.reg[op.p2] = vm.reg[op.p1]


@opcode
def IntCopy(vm, op):
    """IntCopy P1 P2 * * *

    Synopsis: r[P2]=r[P1]

    Copy the integer in register P1 into register P2. The compiler emits it only
    when it knows the source holds an integer.
    """
    vm.reg[op.p2] = vm.reg[op.p1]


@opcode
def Move(vm, op):
    """Move P1 P2 P3 * *

    Synopsis: r[P2@P3]=r[P1@P3]

    Move the P3 values in registers P1..P1+P3-1 to registers P2..P2+P3-1, leaving
    the sources NULL. The two ranges never overlap.
    """
    reg = vm.reg
    for i in range(op.p3):
        reg[op.p2 + i] = reg[op.p1 + i]
        reg[op.p1 + i] = None


# --8<-- [start:result_row]
@opcode
def ResultRow(vm, op):
    """ResultRow P1 P2 * * *

    Synopsis: output=r[P1@P2]

    Hand the P2 values in registers P1..P1+P2-1 to the caller as one result row.
    `step()` returns it; the next `step()` resumes at the following instruction.
    Values leave without their subtype: JSON text is handed over as plain text.
    """
    row = vm.reg[op.p1 : op.p1 + op.p2]
    if vm.subtypes:
        row = [without_subtype(v) for v in row]
    vm.row = row
    return ROW


# --8<-- [end:result_row]
