"""Arithmetic and bit operations on registers.

The rules are SQLite's, and they live in `vdbe.arith` (one function per operator, in
the SQL expression's operand order): NULL in gives NULL out; text and blobs are read
as numbers; two integers give an integer unless the result leaves the 64-bit range,
when the operation is redone in floating point; division or remainder by zero gives
NULL. These handlers read the registers, call those functions, and store the result.
The commonest case, two integers, is handled inline first, for speed.

Note the operand order of Subtract, Divide, Remainder, Concat and the shifts: the
left operand of the SQL expression is in r[P2], so `Subtract` computes `r[P2]-r[P1]`.
"""

from __future__ import annotations

from vdbe import arith
from vdbe.int64 import LARGEST_INT64 as LARGEST
from vdbe.int64 import SMALLEST_INT64 as SMALLEST
from vdbe.int64 import UINT64_MASK
from vdbe.opcodes import opcode
from vdbe.values import to_int


def _wrap64(n: int) -> int:
    """Two's-complement wrap into the signed 64-bit range (C's unsigned arithmetic)."""
    n &= UINT64_MASK
    return n - (UINT64_MASK + 1) if n > LARGEST else n


# --8<-- [start:add]
@opcode
def Add(vm, op):
    """Add P1 P2 P3 * *

    Synopsis: r[P3]=r[P1]+r[P2]

    Add registers P1 and P2 and store the sum in register P3. Two integers give an
    integer, or a REAL if the sum overflows 64 bits; NULL in either gives NULL. The
    compiler emits it for `+`.
    """
    reg = vm.reg
    a = reg[op.p1]
    b = reg[op.p2]
    if type(a) is int and type(b) is int and SMALLEST <= a + b <= LARGEST:
        reg[op.p3] = a + b
    else:
        reg[op.p3] = arith.add(a, b)


# --8<-- [end:add]


@opcode
def Subtract(vm, op):
    """Subtract P1 P2 P3 * *

    Synopsis: r[P3]=r[P2]-r[P1]

    Subtract register P1 from register P2 and store the difference in register P3,
    with Add's rules for NULL, conversion and overflow.
    """
    reg = vm.reg
    a = reg[op.p2]
    b = reg[op.p1]
    if type(a) is int and type(b) is int and SMALLEST <= a - b <= LARGEST:
        reg[op.p3] = a - b
    else:
        reg[op.p3] = arith.subtract(a, b)


@opcode
def Multiply(vm, op):
    """Multiply P1 P2 P3 * *

    Synopsis: r[P3]=r[P1]*r[P2]

    Multiply registers P1 and P2 and store the product in register P3, with Add's
    rules for NULL, conversion and overflow.
    """
    reg = vm.reg
    a = reg[op.p2]
    b = reg[op.p1]
    if type(a) is int and type(b) is int and SMALLEST <= a * b <= LARGEST:
        reg[op.p3] = a * b
    else:
        reg[op.p3] = arith.multiply(a, b)


@opcode
def Divide(vm, op):
    """Divide P1 P2 P3 * *

    Synopsis: r[P3]=r[P2]/r[P1]

    Divide register P2 by register P1 and store the quotient in register P3. Integer
    division truncates toward zero; dividing by zero gives NULL, as does NULL in.
    """
    reg = vm.reg
    a = reg[op.p2]
    b = reg[op.p1]
    if type(a) is int and type(b) is int and a >= 0 and b > 0:
        reg[op.p3] = a // b  # both non-negative: floor and truncation agree
    else:
        reg[op.p3] = arith.divide(a, b)


@opcode
def Remainder(vm, op):
    """Remainder P1 P2 P3 * *

    Synopsis: r[P3]=r[P2]%r[P1]

    Store in register P3 the remainder of dividing register P2 by register P1. Both
    are taken as integers; the result has the sign of the dividend, is NULL for a
    zero divisor, and is REAL if either operand was REAL.
    """
    reg = vm.reg
    a = reg[op.p2]
    b = reg[op.p1]
    if type(a) is int and type(b) is int and a >= 0 and b > 0:
        reg[op.p3] = a % b  # both non-negative: Python's % and C's agree
    else:
        reg[op.p3] = arith.remainder(a, b)


@opcode
def Concat(vm, op):
    """Concat P1 P2 P3 * *

    Synopsis: r[P3]=r[P2]+r[P1]

    Append the text of register P1 to the text of register P2 and store the result
    in register P3. Numbers are first rendered as text; NULL in gives NULL. This is
    SQL's `||`.
    """
    reg = vm.reg
    reg[op.p3] = arith.concat(reg[op.p2], reg[op.p1])


@opcode
def BitAnd(vm, op):
    """BitAnd P1 P2 P3 * *

    Synopsis: r[P3]=r[P1]&r[P2]

    Store the bitwise AND of registers P1 and P2, taken as 64-bit integers, in
    register P3. NULL in either gives NULL.
    """
    reg = vm.reg
    a = reg[op.p1]
    b = reg[op.p2]
    reg[op.p3] = a & b if type(a) is int and type(b) is int else arith.bit_and(a, b)


@opcode
def BitOr(vm, op):
    """BitOr P1 P2 P3 * *

    Synopsis: r[P3]=r[P1]|r[P2]

    Store the bitwise OR of registers P1 and P2, taken as 64-bit integers, in
    register P3. NULL in either gives NULL.
    """
    reg = vm.reg
    a = reg[op.p1]
    b = reg[op.p2]
    reg[op.p3] = a | b if type(a) is int and type(b) is int else arith.bit_or(a, b)


@opcode
def ShiftLeft(vm, op):
    """ShiftLeft P1 P2 P3 * *

    Synopsis: r[P3]=r[P2]<<r[P1]

    Shift the integer in register P2 left by the number of bits in register P1 and
    store the result in register P3. Bits shifted past 64 are lost; a negative count
    shifts right instead.
    """
    reg = vm.reg
    reg[op.p3] = arith.shift_left(reg[op.p2], reg[op.p1])


@opcode
def ShiftRight(vm, op):
    """ShiftRight P1 P2 P3 * *

    Synopsis: r[P3]=r[P2]>>r[P1]

    Shift the integer in register P2 right by the number of bits in register P1 and
    store the result in register P3. The sign bit is copied in from the left; a
    negative count shifts left instead.
    """
    reg = vm.reg
    reg[op.p3] = arith.shift_right(reg[op.p2], reg[op.p1])


@opcode
def BitNot(vm, op):
    """BitNot P1 P2 * * *

    Synopsis: r[P2]= ~r[P1]

    Store the ones' complement of the integer in register P1 in register P2.
    NULL stays NULL.
    """
    vm.reg[op.p2] = arith.bit_not(vm.reg[op.p1])


@opcode
def AddImm(vm, op):
    """AddImm P1 P2 * * *

    Synopsis: r[P1]=r[P1]+P2

    Add the constant P2 to register P1, first making its value an integer (NULL
    becomes 0). Counters and the result of `x IN (...)` use it.
    """
    value = vm.reg[op.p1]
    number = 0 if value is None else to_int(value)
    vm.reg[op.p1] = _wrap64(number + op.p2)


@opcode
def Not(vm, op):
    """Not P1 P2 * * *

    Synopsis: r[P2]= !r[P1]

    Store the logical negation of register P1 in register P2: 1 for false, 0 for
    true, NULL for NULL.
    """
    vm.reg[op.p2] = arith.logical_not(vm.reg[op.p1])
