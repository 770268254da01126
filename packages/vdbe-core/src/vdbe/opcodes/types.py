"""Types and affinity: converting the value in a register to a storage class.

Affinity letters are SQLite's: 'A' BLOB (no change), 'B' TEXT, 'C' NUMERIC,
'D' INTEGER, 'E' REAL. `vdbe.values` holds the conversion rules; these opcodes apply
them to registers.
"""

from __future__ import annotations

from vdbe.errors import SqlError
from vdbe.opcodes import opcode
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
