"""Arithmetic, concatenation and bit operators, checked against the real SQLite."""

from __future__ import annotations

import math
import sqlite3

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from vdbe import arith

OPERANDS = [
    None,
    0,
    1,
    -1,
    2,
    3,
    -7,
    7,
    63,
    64,
    65,
    -63,
    -64,
    -65,
    2**62,
    2**63 - 1,
    -(2**63),
    -(2**63) + 1,
    0.0,
    -0.0,
    0.5,
    2.5,
    -2.5,
    5.5,
    1e18,
    1e19,
    -1e19,
    1e308,
    math.inf,
    -math.inf,
    "12",
    " 12abc",
    "abc",
    "1.5",
    "1e3",
    "-3",
    "",
    "0x10",
    "9223372036854775808",
    b"7",
    b"\x00",
    b"2.5x",
    "é",
]

BINARY = {
    "+": arith.add,
    "-": arith.subtract,
    "*": arith.multiply,
    "/": arith.divide,
    "%": arith.remainder,
    "||": arith.concat,
    "&": arith.bit_and,
    "|": arith.bit_or,
    "<<": arith.shift_left,
    ">>": arith.shift_right,
}


def same(a, b) -> bool:
    if type(a) is not type(b):
        return False
    if isinstance(a, float) and math.isnan(a):
        return math.isnan(b)
    return a == b


@pytest.mark.parametrize("op", list(BINARY))
@pytest.mark.parametrize("a", OPERANDS, ids=lambda v: repr(v)[:30])
def test_binary_operators_match_sqlite(db, op, a):
    fn = BINARY[op]
    for b in OPERANDS:
        expected = db.execute(f"SELECT ? {op} ?", (a, b)).fetchone()[0]
        got = fn(a, b)
        assert same(got, expected), (a, op, b, got, expected)


@pytest.mark.parametrize("a", OPERANDS, ids=lambda v: repr(v)[:30])
def test_unary_operators_match_sqlite(db, a):
    neg, inv, lnot = db.execute("SELECT -?, ~?, NOT ?", (a, a, a)).fetchone()
    assert same(arith.negate(a), neg)
    assert same(arith.bit_not(a), inv)
    assert same(arith.logical_not(a), lnot)


_CONN: list[sqlite3.Connection] = []


def _conn() -> sqlite3.Connection:
    if not _CONN:
        _CONN.append(sqlite3.connect(":memory:"))
    return _CONN[0]


numbers = st.one_of(
    st.integers(-(2**63), 2**63 - 1),
    st.integers(-100, 100),
    st.floats(allow_nan=False, allow_infinity=False),
)


@settings(max_examples=300, deadline=None)
@given(numbers, numbers, st.sampled_from(["+", "-", "*", "/", "%", "&", "|", "<<", ">>"]))
def test_operator_property(a, b, op):
    expected = _conn().execute(f"SELECT ? {op} ?", (a, b)).fetchone()[0]
    assert same(BINARY[op](a, b), expected)


def test_examples():
    assert arith.add(2**63 - 1, 1) == 9.223372036854776e18
    assert arith.divide(-7, 2) == -3
    assert arith.divide(1, 0) is None
    assert arith.remainder(-7, 3) == -1
    assert arith.remainder(5.5, 2) == 1.0
    assert arith.shift_left(1, 64) == 0
    assert arith.shift_right(-8, 100) == -1
    assert arith.shift_left(-8, -1) == -4
    assert arith.concat(1.0, "x") == "1.0x"
    assert arith.subtract(math.inf, math.inf) is None
