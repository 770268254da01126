"""The digit decoders of SQLite 3.43 and later (vdbe.fpdecode), checked on properties
any SQLite is held to, whichever release compiles here. The tox environments
sqlite-sqlean, sqlite-pysqlite3 and sqlite-apsw compare their printf(), quote(),
round() and CAST output with real SQLite 3.50, 3.51 and 3.54 (tests/corpus/releases.sql)."""

from __future__ import annotations

import math

from hypothesis import given
from hypothesis import strategies as st
from vdbe import fpdecode

FINITE = st.floats(allow_nan=False, allow_infinity=False).filter(lambda r: r != 0.0)


@given(st.integers(min_value=1, max_value=10**19 - 1), st.integers(min_value=-340, max_value=290))
def test_reading_up_to_19_digits_gives_the_nearest_real(d, p):
    """3.53's reader is exact for a significand of up to 19 digits: it gives the REAL
    nearest to d * 10**p, as Python's own correctly rounded reader does."""
    assert fpdecode.to_real(d, p) == float(f"{d}e{p}")


@given(FINITE)
def test_seventeen_digits_read_back_as_the_same_real(r):
    """%!.17g (3.53's text for a REAL) always reads back as the REAL it came from."""
    decoded = fpdecode.decode_power_of_ten(r, 17, 26)
    text = f"{decoded.sign}0.{decoded.digits}e{decoded.point}"
    assert float(text) == r


@given(FINITE, st.integers(min_value=1, max_value=15))
def test_both_decoders_agree_with_exact_rounding_short_of_ties(r, digits):
    """Rounded to 15 digits or fewer, both decoders give the correctly rounded digits,
    unless the exact value lies within a hair of a tie (their 18 digits are approximate)."""
    exact = f"{abs(r):.{digits - 1}e}"
    mantissa, exponent = exact.split("e")
    tail = f"{abs(r):.{digits + 3}e}".split("e")[0].replace(".", "")[digits:]
    if tail.startswith(("499", "500")):
        return
    for decode in (fpdecode.decode_power_of_ten, fpdecode.decode_double_double):
        decoded = decode(r, digits, 26)
        assert decoded.digits == mantissa.replace(".", "").rstrip("0") or "0"
        assert decoded.point == int(exponent) + 1
        assert decoded.sign == ("-" if r < 0 else "+")


def test_zero_infinities_and_nan_have_no_digits_to_decode():
    assert fpdecode.decode_power_of_ten(0.0, 17, 26).digits == "0"
    assert fpdecode.decode_double_double(math.inf, 17, 26).special == 1
    assert fpdecode.decode_double_double(math.nan, 17, 26).special == 2


def test_the_power_of_ten_table_is_rounded_except_for_a_tenth():
    """SQLite's 96-bit powers of ten are rounded to nearest, except 10**-1, which its
    table holds cut (0xCCCC...CCCC); computing the table must keep that exception."""
    high, low = fpdecode._power_of_ten(-1)
    assert (high, low) == (0xCCCCCCCCCCCCCCCC, 0xCCCCCCCC)
    assert fpdecode._power_of_ten(27) == (0xCECB8F27F4200F3A, 0)
