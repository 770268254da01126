"""The math functions (SQLite's SQLITE_ENABLE_MATH_FUNCTIONS) and soundex().

Each takes numbers (INTEGER, REAL, or text that is wholly a number) and gives a REAL;
any other argument gives NULL, and so does a result that is not a number (`sqrt(-1)`,
`acos(2)`). ceil(), floor() and trunc() keep an INTEGER an INTEGER.
"""

from __future__ import annotations

import math as _m
from collections.abc import Callable

from vdbe.functions.core import numeric_value
from vdbe.functions.text import as_text
from vdbe.sqlite_library import VERSION
from vdbe.values import Value

_LN10 = 2.302585092994045684017991454684364208
_LN2 = 0.693147180559945309417232121458176568


def _real_or_null(compute: Callable[[], float]) -> float | None:
    """Run a libm-style computation: domain errors and NaN give NULL, overflow inf."""
    try:
        result = compute()
    except ValueError:
        return None
    except OverflowError:
        return _m.inf
    return None if result != result else result


def unary(fn: Callable[[float], float]) -> Callable[[Value], Value]:
    """An SQL function of one number computed by `fn`."""

    def sql_function(x: Value) -> Value:
        n = numeric_value(x)
        if n is None:
            return None
        return _real_or_null(lambda: fn(float(n)))

    sql_function.__doc__ = f"{fn.__name__}(X) for a number X, else NULL."
    return sql_function


def binary(fn: Callable[[float, float], float]) -> Callable[[Value, Value], Value]:
    """An SQL function of two numbers computed by `fn`."""

    def sql_function(x: Value, y: Value) -> Value:
        a, b = numeric_value(x), numeric_value(y)
        if a is None or b is None:
            return None
        return _real_or_null(lambda: fn(float(a), float(b)))

    sql_function.__doc__ = f"{fn.__name__}(X, Y) for numbers X and Y, else NULL."
    return sql_function


def _rounding(fn: Callable[[float], float]) -> Callable[[Value], Value]:
    def sql_function(x: Value) -> Value:
        n = numeric_value(x)
        if n is None or type(n) is int:
            return n
        return _real_or_null(lambda: float(fn(n)) if _m.isfinite(n) else n)

    sql_function.__doc__ = f"{fn.__name__}(X): an INTEGER stays as it is, a REAL is rounded."
    return sql_function


ceil = _rounding(_m.ceil)
floor = _rounding(_m.floor)
trunc = _rounding(_m.trunc)


def _divided_log10(v: float) -> float:
    return _m.log(v) / _LN10


def _divided_log2(v: float) -> float:
    return _m.log(v) / _LN2


# SQLite 3.41 computes log10() and log2() with the C library's own functions, exact at the
# powers of ten and two; 3.40 divided natural logarithms (log10(1000) = 2.9999999999999996).
_log10, _log2 = (_m.log10, _m.log2) if VERSION >= (3, 41, 0) else (_divided_log10, _divided_log2)


def log(x: Value) -> Value:
    """log(X) and log10(X): the base-10 logarithm, as the compiling SQLite computes it."""
    v = numeric_value(x)
    if v is None or v <= 0:
        return None
    return _real_or_null(lambda: _log10(v))


def log_base(b: Value, x: Value) -> Value:
    """log(B, X): the base-B logarithm of X (NULL for a base of 1 or less)."""
    base, v = numeric_value(b), numeric_value(x)
    if base is None or v is None or base <= 0 or v <= 0:
        return None
    ln_base = _m.log(base)
    if ln_base <= 0.0:
        return None
    return _real_or_null(lambda: _m.log(v) / ln_base)


def _atanh(x: float) -> float:
    if abs(x) == 1.0:  # C's pole result, where Python raises
        return _m.copysign(_m.inf, x)
    return _m.atanh(x)


def _sinh(x: float) -> float:
    try:
        return _m.sinh(x)
    except OverflowError:
        return _m.copysign(_m.inf, x)


def _pow(x: float, y: float) -> float:
    odd_integer = y == int(y) and int(y) % 2 == 1 if _m.isfinite(y) else False
    if x == 0.0 and y < 0:
        return _m.copysign(_m.inf, x) if odd_integer else _m.inf
    try:
        return _m.pow(x, y)
    except OverflowError:
        return -_m.inf if x < 0 and odd_integer else _m.inf


def log2(x: Value) -> Value:
    """The base-2 logarithm of X, as the compiling SQLite computes it."""
    v = numeric_value(x)
    if v is None or v <= 0:
        return None
    return _real_or_null(lambda: _log2(v))


def ln(x: Value) -> Value:
    """The natural logarithm of X."""
    v = numeric_value(x)
    if v is None or v <= 0:
        return None
    return _real_or_null(lambda: _m.log(v))


def pi() -> float:
    """The number pi."""
    return _m.pi


MATH_FUNCTIONS: dict[tuple[str, int], Callable] = {
    ("acos", 1): unary(_m.acos),
    ("acosh", 1): unary(_m.acosh),
    ("asin", 1): unary(_m.asin),
    ("asinh", 1): unary(_m.asinh),
    ("atan", 1): unary(_m.atan),
    ("atan2", 2): binary(_m.atan2),
    ("atanh", 1): unary(_atanh),
    ("ceil", 1): ceil,
    ("ceiling", 1): ceil,
    ("cos", 1): unary(_m.cos),
    ("cosh", 1): unary(_m.cosh),
    ("degrees", 1): unary(lambda r: r * (180.0 / _m.pi)),
    ("exp", 1): unary(_m.exp),
    ("floor", 1): floor,
    ("ln", 1): ln,
    ("log", 1): log,
    ("log", 2): log_base,
    ("log10", 1): log,
    ("log2", 1): log2,
    ("mod", 2): binary(_m.fmod),
    ("pi", 0): pi,
    ("pow", 2): binary(_pow),
    ("power", 2): binary(_pow),
    ("radians", 1): unary(lambda d: d * (_m.pi / 180.0)),
    ("sin", 1): unary(_m.sin),
    ("sinh", 1): unary(_sinh),
    ("sqrt", 1): unary(_m.sqrt),
    ("tan", 1): unary(_m.tan),
    ("tanh", 1): unary(_m.tanh),
    ("trunc", 1): trunc,
}

# soundex: the digit of each ASCII letter (vowels, H, W and Y have none)
_SOUNDEX_CODES = {
    **dict.fromkeys("BFPV", 1),
    **dict.fromkeys("CGJKQSXZ", 2),
    **dict.fromkeys("DT", 3),
    "L": 4,
    **dict.fromkeys("MN", 5),
    "R": 6,
}
_SOUNDEX_BYTES = [_SOUNDEX_CODES.get(chr(b).upper(), 0) for b in range(128)]


def soundex(x: Value) -> str:
    """The four-character Soundex code of X ('?000' when X has no ASCII letter)."""
    data = (as_text(x) or "").encode("utf-8")
    nul = data.find(b"\x00")
    if nul >= 0:
        data = data[:nul]
    i = 0
    while i < len(data) and not (65 <= data[i] <= 90 or 97 <= data[i] <= 122):
        i += 1
    if i == len(data):
        return "?000"
    out = chr(data[i]).upper()
    previous = _SOUNDEX_BYTES[data[i] & 0x7F]
    while len(out) < 4 and i < len(data):
        code = _SOUNDEX_BYTES[data[i] & 0x7F]
        if code and code != previous:
            out += str(code)
        previous = code
        i += 1
    return out.ljust(4, "0")
