"""Arithmetic and bit operations on registers.

The rules are SQLite's: NULL in gives NULL out; text and blobs are read as numbers
(their longest numeric prefix); two integers give an integer unless the result
leaves the 64-bit range, when the operation is redone in floating point; division
or remainder by zero gives NULL, and so does a floating result that is not a number.
Note the operand order of Subtract, Divide and Remainder: `r[P2] op r[P1]`.
"""

from __future__ import annotations

from vdbe.opcodes import opcode
from vdbe.values import to_int, to_numeric, to_real, to_text

SMALLEST = -0x8000000000000000
LARGEST = 0x7FFFFFFFFFFFFFFF


def _wrap64(n: int) -> int:
    """Two's-complement wrap into the signed 64-bit range (C's unsigned arithmetic)."""
    n &= 0xFFFFFFFFFFFFFFFF
    return n - 0x10000000000000000 if n > LARGEST else n


def _real_result(value: float):
    """A floating result, or NULL when it is not a number (inf - inf, 0 * inf)."""
    return None if value != value else value


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
    if type(a) is int and type(b) is int:
        result = a + b
        if SMALLEST <= result <= LARGEST:
            reg[op.p3] = result
            return
        reg[op.p3] = float(a) + float(b)
        return
    reg[op.p3] = _arith(a, b, _add)


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
        reg[op.p3] = _arith(a, b, _subtract)


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
        reg[op.p3] = _arith(a, b, _multiply)


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
        reg[op.p3] = a // b
    else:
        reg[op.p3] = _arith(a, b, _divide)


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
        reg[op.p3] = a % b
    else:
        reg[op.p3] = remainder(a, b)


def remainder(dividend, divisor):
    """SQLite's `%`: integer remainder, sign of the dividend, NULL for a zero divisor."""
    if dividend is None or divisor is None:
        return None
    as_real = isinstance(to_numeric(dividend), float) or isinstance(to_numeric(divisor), float)
    a, b = to_int(dividend), to_int(divisor)
    if b == 0:
        return None
    if b == -1:
        b = 1
    result = abs(a) % abs(b)
    if a < 0:
        result = -result
    return float(result) if as_real else result


@opcode
def Concat(vm, op):
    """Concat P1 P2 P3 * *

    Synopsis: r[P3]=r[P2]+r[P1]

    Append the text of register P1 to the text of register P2 and store the result
    in register P3. Numbers are first rendered as text; NULL in gives NULL. This is
    SQL's `||`.
    """
    reg = vm.reg
    reg[op.p3] = concat(reg[op.p2], reg[op.p1])


def concat(left, right):
    """SQL's `left || right`: TEXT, or NULL when either side is NULL."""
    if left is None or right is None:
        return None
    return to_text(left) + to_text(right)


def _add(a, b):
    return a + b


def _subtract(a, b):
    return a - b


def _multiply(a, b):
    return a * b


def _divide(a, b):
    if b == 0:
        return None
    if type(a) is int and type(b) is int:
        if b == -1 and a == SMALLEST:
            return -float(a)
        quotient = abs(a) // abs(b)
        return quotient if (a < 0) == (b < 0) else -quotient
    return a / b


def _arith(a, b, operation):
    """Apply `operation` to two operands with SQLite's NULL, conversion and overflow rules."""
    if a is None or b is None:
        return None
    a = to_numeric(a)
    b = to_numeric(b)
    if type(a) is int and type(b) is int:
        result = operation(a, b)
        if result is None or type(result) is float or SMALLEST <= result <= LARGEST:
            return result
        a, b = float(a), float(b)
    else:
        a, b = float(a), float(b)
    result = operation(a, b)
    return None if result is None else _real_result(result)


@opcode
def BitAnd(vm, op):
    """BitAnd P1 P2 P3 * *

    Synopsis: r[P3]=r[P1]&r[P2]

    Store the bitwise AND of registers P1 and P2, taken as 64-bit integers, in
    register P3. NULL in either gives NULL.
    """
    reg = vm.reg
    a, b = reg[op.p1], reg[op.p2]
    if type(a) is int and type(b) is int:
        reg[op.p3] = a & b
    else:
        reg[op.p3] = None if a is None or b is None else to_int(a) & to_int(b)


@opcode
def BitOr(vm, op):
    """BitOr P1 P2 P3 * *

    Synopsis: r[P3]=r[P1]|r[P2]

    Store the bitwise OR of registers P1 and P2, taken as 64-bit integers, in
    register P3. NULL in either gives NULL.
    """
    reg = vm.reg
    a, b = reg[op.p1], reg[op.p2]
    if type(a) is int and type(b) is int:
        reg[op.p3] = a | b
    else:
        reg[op.p3] = None if a is None or b is None else to_int(a) | to_int(b)


@opcode
def ShiftLeft(vm, op):
    """ShiftLeft P1 P2 P3 * *

    Synopsis: r[P3]=r[P2]<<r[P1]

    Shift the integer in register P2 left by the number of bits in register P1 and
    store the result in register P3. Bits shifted past 64 are lost; a negative count
    shifts right instead.
    """
    reg = vm.reg
    reg[op.p3] = shift(reg[op.p2], reg[op.p1], left=True)


@opcode
def ShiftRight(vm, op):
    """ShiftRight P1 P2 P3 * *

    Synopsis: r[P3]=r[P2]>>r[P1]

    Shift the integer in register P2 right by the number of bits in register P1 and
    store the result in register P3. The sign bit is copied in from the left; a
    negative count shifts left instead.
    """
    reg = vm.reg
    reg[op.p3] = shift(reg[op.p2], reg[op.p1], left=False)


def shift(value, count, *, left: bool):
    """SQLite's `<<` and `>>` on 64-bit integers (NULL in gives NULL).

    A count of 64 or more shifts every bit out: 0, or -1 for a negative value shifted
    right. A negative count shifts the other way. A left shift keeps the low 64 bits.
    """
    # exercise-start: vdbe-shift
    if value is None or count is None:
        return None
    a = to_int(value)
    n = to_int(count)
    if n < 0:
        left, n = not left, (64 if n <= -64 else -n)
    if n >= 64:
        return -1 if (not left and a < 0) else 0
    return _wrap64(a << n) if left else a >> n
    # exercise-end: vdbe-shift


@opcode
def BitNot(vm, op):
    """BitNot P1 P2 * * *

    Synopsis: r[P2]= ~r[P1]

    Store the ones' complement of the integer in register P1 in register P2.
    NULL stays NULL.
    """
    value = vm.reg[op.p1]
    vm.reg[op.p2] = None if value is None else ~to_int(value)


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
    value = vm.reg[op.p1]
    if value is None:
        vm.reg[op.p2] = None
    else:
        vm.reg[op.p2] = 0 if to_real(value) != 0.0 else 1
