"""SQL arithmetic, concatenation and bit operators on values, as SQLite computes them.

Operands are in the natural order of the SQL expression: `subtract(a, b)` is `a - b`.
(SQLite's Subtract instruction reads its operands the other way round, `r[P2]-r[P1]`;
the opcode handlers take care of that.)

The rules, all SQLite 3.40's:
- NULL in, NULL out.
- Text and blobs are read as numbers first (`values.to_numeric`: '12abc' is 12).
- Two INTEGERs give an INTEGER unless the result leaves the 64-bit range; then the
  operation is redone in floating point and gives a REAL.
- Division and remainder by zero give NULL. INTEGER division truncates toward zero.
- A floating point result that is not a number (inf - inf) becomes NULL.
"""

from __future__ import annotations

from vdbe.int64 import UINT64_MASK
from vdbe.values import (
    LARGEST_INT64,
    SMALLEST_INT64,
    Value,
    to_int,
    to_numeric,
    to_real,
    to_text,
)


def _operands(a: Value, b: Value) -> tuple[int | float, int | float] | None:
    """Both operands as numbers, or None if either is NULL."""
    if a is None or b is None:
        return None
    if type(a) is not int and type(a) is not float:
        a = to_numeric(a)
    if type(b) is not int and type(b) is not float:
        b = to_numeric(b)
    return a, b


def _real_result(r: float) -> float | None:
    return None if r != r else r


# --8<-- [start:add]
def add(a: Value, b: Value) -> Value:
    """a + b; INTEGER overflow falls back to REAL arithmetic."""
    ops = _operands(a, b)
    if ops is None:
        return None
    x, y = ops
    if type(x) is int and type(y) is int:
        r = x + y
        if SMALLEST_INT64 <= r <= LARGEST_INT64:
            return r
    return _real_result(float(x) + float(y))


# --8<-- [end:add]


def subtract(a: Value, b: Value) -> Value:
    """a - b; INTEGER overflow falls back to REAL arithmetic."""
    ops = _operands(a, b)
    if ops is None:
        return None
    x, y = ops
    if type(x) is int and type(y) is int:
        r = x - y
        if SMALLEST_INT64 <= r <= LARGEST_INT64:
            return r
    return _real_result(float(x) - float(y))


def multiply(a: Value, b: Value) -> Value:
    """a * b; INTEGER overflow falls back to REAL arithmetic."""
    ops = _operands(a, b)
    if ops is None:
        return None
    x, y = ops
    if type(x) is int and type(y) is int:
        r = x * y
        if SMALLEST_INT64 <= r <= LARGEST_INT64:
            return r
    return _real_result(float(x) * float(y))


def divide(a: Value, b: Value) -> Value:
    """a / b: INTEGERs divide truncating toward zero; dividing by zero gives NULL."""
    ops = _operands(a, b)
    if ops is None:
        return None
    x, y = ops
    if type(x) is int and type(y) is int:
        if y == 0:
            return None
        if not (y == -1 and x == SMALLEST_INT64):  # the one quotient that overflows
            q = abs(x) // abs(y)
            return q if (x < 0) == (y < 0) else -q
    fy = float(y)
    if fy == 0.0:
        return None
    return _real_result(float(x) / fy)


# --8<-- [start:remainder]
def remainder(a: Value, b: Value) -> Value:
    """a % b, with the sign of a. Unless both operands are INTEGERs, both are first
    CAST to INTEGER and the result is a REAL (5.5 % 2 is 1.0). A zero divisor gives
    NULL."""
    ops = _operands(a, b)
    if ops is None:
        return None
    x, y = ops
    both_int = type(x) is int and type(y) is int
    if both_int:
        ix, iy = x, y
    else:  # SQLite re-reads the original operands as INTEGERs: '1e3' is 1 here
        ix, iy = to_int(a), to_int(b)
    if iy == 0:
        return None
    if iy == -1:
        iy = 1  # avoids the overflow of SMALLEST_INT64 % -1; the answer is 0 anyway
    r = abs(ix) % abs(iy)
    if ix < 0:
        r = -r
    return r if both_int else float(r)


# --8<-- [end:remainder]


def negate(a: Value) -> Value:
    """-a, as SQLite compiles it: 0 - a."""
    return subtract(0, a)


def concat(a: Value, b: Value) -> Value:
    """a || b: both rendered as text (blobs as their bytes); NULL if either is NULL."""
    if a is None or b is None:
        return None
    if type(a) is str and type(b) is str:
        return a + b
    if isinstance(a, bytes) or isinstance(b, bytes):
        joined = _as_bytes(a) + _as_bytes(b)
        return joined.decode("utf-8", "replace")
    return to_text(a) + to_text(b)


def _as_bytes(v: Value) -> bytes:
    return v if isinstance(v, bytes) else to_text(v).encode("utf-8")


# ---------------------------------------------------------------------------
# Bits: operands are read as INTEGERs (CAST semantics), results wrap at 64 bits
# ---------------------------------------------------------------------------


def _signed(u: int) -> int:
    u &= UINT64_MASK
    return u - (UINT64_MASK + 1) if u > LARGEST_INT64 else u


def bit_and(a: Value, b: Value) -> Value:
    """a & b."""
    if a is None or b is None:
        return None
    return to_int(a) & to_int(b)


def bit_or(a: Value, b: Value) -> Value:
    """a | b."""
    if a is None or b is None:
        return None
    return to_int(a) | to_int(b)


def bit_not(a: Value) -> Value:
    """~a."""
    if a is None:
        return None
    return ~to_int(a)


# --8<-- [start:shift]
def shift_left(a: Value, b: Value) -> Value:
    """a << b. A negative b shifts right instead; shifting by 64 or more leaves 0
    (or -1 for a negative a shifted right). Bits shifted past bit 63 are lost."""
    if a is None or b is None:
        return None
    return _shift(to_int(a), to_int(b))


def shift_right(a: Value, b: Value) -> Value:
    """a >> b, an arithmetic shift (the sign is kept); negative b shifts left."""
    if a is None or b is None:
        return None
    return _shift(to_int(a), -to_int(b))


def _shift(value: int, amount: int) -> int:
    if amount >= 64:
        return 0
    if amount <= -64:
        return -1 if value < 0 else 0
    if amount >= 0:
        return _signed(value << amount)
    return value >> -amount


# --8<-- [end:shift]


def logical_not(a: Value) -> Value:
    """NOT a: NULL stays NULL, otherwise 1 if a is false, else 0."""
    if a is None:
        return None
    if type(a) is int or type(a) is float:
        return int(a == 0)
    return int(to_real(a) == 0.0)
