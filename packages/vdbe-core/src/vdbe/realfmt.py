"""How SQLite turns REALs into decimal digits and decimal digits into REALs.

SQLite does both with C's 80-bit `long double` (on x86-64: a 64-bit significand), so its
results are not always the correctly rounded ones that Python's float() and format()
give: `CAST(8183249781285265.0 AS TEXT)` is '8.18324978128526e+15' in SQLite, where
exact rounding says ...527. To give SQLite's very digits, this module runs SQLite's two
algorithms on an exact model of that format: a value is a pair (m, e) meaning m * 2**e,
with m rounded to 64 significant bits after every operation (ties to even), as the
x87 unit does.

    format_float(value, conv, precision, ...)   printf's %f %e %g (and %!.15g for text)
    decimal_to_real(s, e)                       s * 10**e, as SQLite's text reader scales
"""

from __future__ import annotations

import math
from functools import lru_cache

# ---------------------------------------------------------------------------
# A model of x87 long double: value = m * 2**e, m held to 64 significant bits
# ---------------------------------------------------------------------------


def _ld_normalize(n: int, e: int) -> tuple[int, int]:
    """Round the non-negative integer n * 2**e to 64 significant bits (ties to even)."""
    shift = n.bit_length() - 64
    if shift <= 0:
        return n, e
    m = n >> shift
    rest = n & ((1 << shift) - 1)
    half = 1 << (shift - 1)
    if rest > half or (rest == half and m & 1):
        m += 1
        if m >> 64:
            m >>= 1
            shift += 1
    return m, e + shift


def _ld_from_float(f: float) -> tuple[int, int]:
    num, den = f.as_integer_ratio()
    return num, -(den.bit_length() - 1)


def _ld_add(a: tuple[int, int], b: tuple[int, int]) -> tuple[int, int]:
    (ma, ea), (mb, eb) = a, b
    e = min(ea, eb)
    return _ld_normalize((ma << (ea - e)) + (mb << (eb - e)), e)


def _ld_sub(a: tuple[int, int], b: tuple[int, int]) -> tuple[int, int]:
    (ma, ea), (mb, eb) = a, b
    e = min(ea, eb)
    return _ld_normalize((ma << (ea - e)) - (mb << (eb - e)), e)


def _ld_mul(a: tuple[int, int], b: tuple[int, int]) -> tuple[int, int]:
    return _ld_normalize(a[0] * b[0], a[1] + b[1])


def _ld_div(a: tuple[int, int], b: tuple[int, int]) -> tuple[int, int]:
    (ma, ea), (mb, eb) = a, b
    if ma == 0:
        return 0, 0
    # scale the numerator so that the quotient has at least 66 bits, then round once
    extra = max(0, 66 - (ma.bit_length() - mb.bit_length()))
    q, r = divmod(ma << extra, mb)
    sticky = 1 if r else 0
    m, e = _ld_normalize((q << 1) | sticky, ea - eb - extra - 1)
    return m, e


def _ld_ge(a: tuple[int, int], b: tuple[int, int]) -> bool:
    (ma, ea), (mb, eb) = a, b
    e = min(ea, eb)
    return (ma << (ea - e)) >= (mb << (eb - e))


def _ld_floor(a: tuple[int, int]) -> int:
    m, e = a
    return m << e if e >= 0 else m >> -e


def _ld_to_float(a: tuple[int, int]) -> float:
    """Round to the nearest double (ties to even), as storing into a double does."""
    m, e = a
    if e >= 0:
        try:
            return float(m << e)
        except OverflowError:
            return math.inf
    return m / (1 << -e)


_LD_ONE = _ld_from_float(1.0)
_LD_TEN = _ld_from_float(10.0)
_LD_1E8 = _ld_from_float(1e8)
_LD_1EM8 = _ld_from_float(1e-8)
_LD_1E10 = _ld_from_float(1e10)
_LD_1E100 = _ld_from_float(1e100)
_LD_TENTH = _ld_from_float(0.1)
_LD_3EM16 = _ld_from_float(3e-16)
_ROUNDERS = (
    5.0e-01,
    5.0e-02,
    5.0e-03,
    5.0e-04,
    5.0e-05,
    5.0e-06,
    5.0e-07,
    5.0e-08,
    5.0e-09,
    5.0e-10,
)


def g_style(kind: str, exp: int, precision: int, alt: bool, alt2: bool) -> tuple:
    """How %g writes a number whose first digit is 10**exp: as %e when the exponent is
    below -4 or past the precision, else as %f with that many digits in all. Returns
    (kind, precision, strip_zeros): %g drops trailing zeros unless '#' is given, the
    others only with '!'."""
    if kind != "g":
        return kind, precision, alt2
    if exp < -4 or exp > precision:
        return "e", precision, not alt
    return "f", precision - exp, not alt


# --8<-- [start:format_float]
def format_float(
    value: float,
    conv: str,
    precision: int = 6,
    *,
    alt: bool = False,
    alt2: bool = False,
    prefix: str = "",
    zero: bool = False,
) -> str:
    """SQLite's rendering of a REAL for %f, %e, %E, %g or %G (sign included).

    `alt` is the '#' flag, `alt2` the '!' flag; `prefix` is what a positive number gets
    in front ('+', ' ' or nothing); `zero` is the '0' flag, which only 3.43 and later
    look at here (they write an infinity as 9e999 then, and NaN as 'null').
    """
    from vdbe.opcodes import compiled_since  # noqa: PLC0415

    if compiled_since(3, 43):  # newer releases decode the digits differently
        from vdbe.fpdecode import format_decoded  # noqa: PLC0415

        return format_decoded(value, conv, precision, alt=alt, alt2=alt2, prefix=prefix, zero=zero)
    return format_long_double(value, conv, precision, alt=alt, alt2=alt2, prefix=prefix)


def format_long_double(
    value: float,
    conv: str,
    precision: int = 6,
    *,
    alt: bool = False,
    alt2: bool = False,
    prefix: str = "",
) -> str:
    """`format_float` as SQLite up to 3.42 computes it, in long double arithmetic."""
    if value != value:
        return "NaN"
    if value < 0:
        value, prefix = -value, "-"
    kind = conv.lower()
    exp_char = "e" if conv in "eg" else "E"
    if kind == "g" and precision > 0:
        precision -= 1
    idx = precision & 0xFFF
    rounder = _ROUNDERS[idx % 10]
    while idx >= 10:
        rounder *= 1.0e-10
        idx -= 10
    real = _ld_from_float(value) if not math.isinf(value) else None
    if real is None:
        return prefix + "Inf"
    if kind == "f":
        ex = math.frexp(value)[1] - 1 if value else -1023
        if precision + int(ex / 3) < 15:
            rounder = _ld_to_float(_ld_add(_ld_from_float(rounder), _ld_mul(real, _LD_3EM16)))
        real = _ld_add(real, _ld_from_float(rounder))
    exp = 0
    if real[0] > 0:
        scale = _LD_ONE
        while _ld_ge(real, _ld_mul(_LD_1E100, scale)) and exp <= 350:
            scale = _ld_mul(scale, _LD_1E100)
            exp += 100
        while _ld_ge(real, _ld_mul(_LD_1E10, scale)) and exp <= 350:
            scale = _ld_mul(scale, _LD_1E10)
            exp += 10
        while _ld_ge(real, _ld_mul(_LD_TEN, scale)) and exp <= 350:
            scale = _ld_mul(scale, _LD_TEN)
            exp += 1
        real = _ld_div(real, scale)
        while not _ld_ge(real, _LD_1EM8):
            real = _ld_mul(real, _LD_1E8)
            exp -= 8
        while not _ld_ge(real, _LD_ONE):
            real = _ld_mul(real, _LD_TEN)
            exp -= 1
        if exp > 350:
            return prefix + "Inf"
    if kind != "f":
        real = _ld_add(real, _ld_from_float(rounder))
        if _ld_ge(real, _LD_TEN):
            real = _ld_mul(real, _LD_TENTH)
            exp += 1
    kind, precision, strip_zeros = g_style(kind, exp, precision, alt, alt2)
    e2 = 0 if kind == "e" else exp
    digits_left = 16 + 10 * alt2
    point = precision > 0 or alt or alt2
    out = [prefix]

    def next_digit() -> str:
        nonlocal real, digits_left
        if digits_left <= 0:
            return "0"
        digits_left -= 1
        d = _ld_floor(real)
        real = _ld_mul(_ld_sub(real, (d, 0)), _LD_TEN)
        return chr(48 + d)

    if e2 < 0:
        out.append("0")
    else:
        out.extend(next_digit() for _ in range(e2 + 1))
    if point:
        out.append(".")
    e2 += 1
    while e2 < 0:
        out.append("0")
        precision -= 1
        e2 += 1
    out.extend(next_digit() for _ in range(max(precision, 0)))
    text = "".join(out)
    if strip_zeros and point:
        text = text.rstrip("0")
        if text.endswith("."):
            text = text + "0" if alt2 else text[:-1]
    if kind == "e":
        sign = "-" if exp < 0 else "+"
        text += f"{exp_char}{sign}{abs(exp):02d}"
    return text


# --8<-- [end:format_float]


_LD_1E22 = _ld_from_float(1e22)


# --8<-- [start:decimal_to_real]
@lru_cache(maxsize=4096)  # the same numbers come back often; the model is slow
def decimal_to_real(s: int, e: int) -> float:
    """The REAL SQLite's text reader makes of the significand s (>= 0) times 10**e."""
    if s == 0:
        return 0.0
    # Move powers of ten between s and e while that is exact.
    while e > 0 and s < 922337203685477580:
        s *= 10
        e -= 1
    while e < 0 and s % 10 == 0:
        s //= 10
        e += 1
    if e == 0:
        return float(s)
    magnitude = abs(e)
    if magnitude >= 342:
        return 0.0 if e < 0 else math.inf
    scale = _LD_ONE
    if magnitude > 307:
        while magnitude % 308:
            scale = _ld_mul(scale, _LD_TEN)
            magnitude -= 1
        if e < 0:
            return _ld_to_float(_ld_div((s, 0), scale)) / 1.0e308
        return _ld_to_float(_ld_mul((s, 0), scale)) * 1.0e308
    while magnitude % 22:
        scale = _ld_mul(scale, _LD_TEN)
        magnitude -= 1
    while magnitude > 0:
        scale = _ld_mul(scale, _LD_1E22)
        magnitude -= 22
    if e < 0:
        return _ld_to_float(_ld_div((s, 0), scale))
    return _ld_to_float(_ld_mul((s, 0), scale))


# --8<-- [end:decimal_to_real]
