"""The long double model behind SQLite's digits: each operation rounds like x87."""

from __future__ import annotations

from fractions import Fraction

from hypothesis import given, settings
from hypothesis import strategies as st
from vdbe import realfmt


def ld_value(a: tuple[int, int]) -> Fraction:
    m, e = a
    return Fraction(m) * Fraction(2) ** e


def round64(x: Fraction) -> Fraction:
    """The nearest value with a 64-bit significand, ties to even (by brute force)."""
    if x == 0:
        return x
    e = x.numerator.bit_length() - x.denominator.bit_length() - 64
    while x / Fraction(2) ** e >= 2**64:
        e += 1
    while x / Fraction(2) ** e < 2**63:
        e -= 1
    scaled = x / Fraction(2) ** e
    m = scaled.numerator // scaled.denominator
    rest = scaled - m
    if rest > Fraction(1, 2) or (rest == Fraction(1, 2) and m % 2):
        m += 1
    return Fraction(m) * Fraction(2) ** e


positive = st.floats(min_value=1e-300, max_value=1e300, allow_nan=False, allow_infinity=False)


@settings(max_examples=300, deadline=None)
@given(positive, positive)
def test_operations_round_to_64_bits(x, y):
    a, b = realfmt._ld_from_float(x), realfmt._ld_from_float(y)
    fx, fy = Fraction(x), Fraction(y)
    assert ld_value(realfmt._ld_mul(a, b)) == round64(fx * fy)
    assert ld_value(realfmt._ld_div(a, b)) == round64(fx / fy)
    assert ld_value(realfmt._ld_add(a, b)) == round64(fx + fy)
    big, small = (a, b) if fx >= fy else (b, a)
    assert ld_value(realfmt._ld_sub(big, small)) == round64(abs(fx - fy))


@settings(max_examples=200, deadline=None)
@given(st.integers(0, 2**64 - 1), st.integers(-1100, 1100))
def test_to_float_rounds_once(m, e):
    exact = Fraction(m) * Fraction(2) ** e
    try:
        expected = float(exact)
    except OverflowError:
        expected = float("inf")
    assert realfmt._ld_to_float((m, e)) == expected


def test_decimal_to_real_examples():
    assert realfmt.decimal_to_real(15, -1) == 1.5
    assert realfmt.decimal_to_real(1, 400) == float("inf")
    assert realfmt.decimal_to_real(1, -400) == 0.0
    assert realfmt.decimal_to_real(0, 5) == 0.0
    # the smallest subnormal survives SQLite's two-step scaling
    assert realfmt.decimal_to_real(494065645841247, -338) == 5e-324


def test_format_float_examples():
    assert realfmt.format_float(0.1 + 0.2, "g", 15, alt2=True) == "0.3"
    assert realfmt.format_float(8183249781285265.0, "g", 15, alt2=True) == "8.18324978128526e+15"
    assert realfmt.format_float(-2.5, "f", 2) == "-2.50"
    assert realfmt.format_float(1e300 * 1e10, "e", 3) == "Inf"
    assert realfmt.format_float(12345.678, "e", 3, prefix="+") == "+1.235e+04"
