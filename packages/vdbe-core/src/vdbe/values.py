"""SQL values: storage classes, affinities, conversions and comparison.

Registers and records hold plain Python objects, one per SQLite storage class:

    None   NULL          int    INTEGER (signed 64-bit)
    float  REAL          str    TEXT          bytes  BLOB

Everything here follows SQLite 3.40: how text turns into a number (and back), what a
column's affinity does to a value stored in it, what CAST does, and in which order values
of different classes sort. The arithmetic operators live next door in `vdbe.arith`.
"""

from __future__ import annotations

import math
import re

from vdbe import fpdecode
from vdbe.collation import get_collation
from vdbe.int64 import LARGEST_INT64, SMALLEST_INT64, UINT64_MASK
from vdbe.realfmt import decimal_to_real, format_float, format_long_double


# --8<-- [start:subtype]
class JsonText(str):
    """Text with the JSON subtype: JSON functions take it as JSON, not as a string.

    It lives with the values because registers carry it: only the JSON functions make
    it, and the register opcodes drop the subtype where SQLite does.
    """

    __slots__ = ()


def without_subtype(value: Value) -> Value:
    """`value` as it leaves the registers: JSON text becomes plain text."""
    return str(value) if type(value) is JsonText else value


# --8<-- [end:subtype]

Value = None | int | float | str | bytes

# --8<-- [start:affinities]
# Affinity letters, exactly as SQLite's EXPLAIN shows them in P4 and in the
# affinity string of MakeRecord ("DBE" = INTEGER, TEXT, REAL).
AFF_BLOB = "A"  # no conversion at all ("NONE" in the docs, "BLOB" in the source)
AFF_TEXT = "B"  # numbers become text
AFF_NUMERIC = "C"  # numeric-looking text becomes INTEGER or REAL
AFF_INTEGER = "D"  # like NUMERIC
AFF_REAL = "E"  # like NUMERIC, then integers become REAL
# --8<-- [end:affinities]


_SPACES = " \t\n\v\f\r"  # SQLite's isspace(): ASCII only


def type_name(v: Value) -> str:
    """The storage class of `v`, spelled as typeof() spells it."""
    if v is None:
        return "null"
    if isinstance(v, int):
        return "integer"
    if isinstance(v, float):
        return "real"
    if isinstance(v, str):
        return "text"
    return "blob"


# ---------------------------------------------------------------------------
# Text to number
# ---------------------------------------------------------------------------

# A number as SQLite's text-to-real reader sees it: spaces, sign, digits, an optional
# fraction, an optional exponent (whose digits may be missing), spaces.
_REAL_PREFIX = re.compile(r"[ \t\n\v\f\r]*([-+]?)([0-9]*)(\.([0-9]*))?(([eE])([-+]?)([0-9]*))?")
_INT_PREFIX = re.compile(r"[ \t\n\v\f\r]*([-+]?)0*([0-9]*)")


def _as_text(v: str | bytes) -> str:
    """Blobs are read as text by the number parsers; only ASCII bytes matter there."""
    return v if isinstance(v, str) else v.decode("latin-1")


def parse_real(text: str) -> tuple[int, float]:
    """Read a real number from the start of `text`, as SQLite's sqlite3AtoF does.

    Returns (kind, value). kind is 1 when the whole text is an integer, 2 or 3 when it
    is a well-formed real (with a point and/or an exponent), -1 when a real number is
    followed by junk, 0 when the text is no number at all (value is then the prefix's
    value, or 0.0). SQLite keeps at most about 19 significant digits; so does this.
    """
    m = _REAL_PREFIX.match(text)
    sign, whole, point, frac, exp, _, esign, edigits = m.groups()
    frac = frac or ""
    n_digits = len(whole) + len(frac)
    kind = 1 + (point is not None) + (exp is not None)
    exp_valid = exp is None or edigits != ""
    end = m.end()
    if exp is not None and not edigits:
        # SQLite stops right after the 'e' and its sign when no digit follows.
        end = m.start(5) + 1 + len(esign)
    rest = text[end:]
    complete = rest.strip(_SPACES) == "" if rest else True
    if complete and n_digits > 0 and exp_valid:
        result_kind = kind
    elif kind >= 2 and (kind == 3 or exp_valid) and n_digits > 0:
        result_kind = -1
    else:
        result_kind = 0
    if n_digits == 0:
        return result_kind, 0.0
    e = min(int(edigits), 10000) if edigits else 0
    if esign == "-":
        e = -e
    value = _digits_to_float(whole, frac, e)
    return result_kind, -value if sign == "-" else value


def _digits_to_float(whole: str, frac: str, e: int) -> float:
    """The value of WHOLE.FRAC x 10^e, keeping SQLite's significant digits.

    SQLite gathers digits into a 64-bit significand and stops once it reaches
    922337203685477579 (1844674407370955160, an unsigned bound, since 3.43): later
    digits of the integer part only scale it, later digits of the fraction are dropped.
    """
    bound = _UNSIGNED_BOUND if _compiled_since(3, 43) else _SIGNIFICAND_BOUND
    s = 0
    whole = whole.lstrip("0")
    for i, ch in enumerate(whole):
        s = s * 10 + ord(ch) - 48
        if s >= bound:
            return _scaled(s, e + len(whole) - i - 1)
    for ch in frac:
        if s >= bound:
            break
        s = s * 10 + ord(ch) - 48
        e -= 1
    return _scaled(s, e)


_SIGNIFICAND_BOUND = (LARGEST_INT64 - 9) // 10
_UNSIGNED_BOUND = (UINT64_MASK - 9) // 10


def _scaled(s: int, e: int) -> float:
    if e == 0 or s == 0:
        return float(s)
    if _compiled_since(3, 53):  # the nearest REAL, from a 96-bit power of ten
        return fpdecode.to_real(s, e)
    if _compiled_since(3, 43):  # scaled in a pair of doubles
        return fpdecode.to_real_double_double(s, e)
    return decimal_to_real(s, e)  # long double arithmetic, as 3.40 reads numbers


def _compiled_since(*release: int) -> bool:
    from vdbe.opcodes import compiled_since  # noqa: PLC0415

    return compiled_since(*release)


def parse_int(text: str) -> tuple[int, int]:
    """Read an integer from the start of `text`, as SQLite's sqlite3Atoi64 does.

    Returns (kind, value): kind 0 = the whole text is an integer that fits, 1 = junk
    follows the digits, -1 = no digits at all, 2 = too big (value saturated to the
    int64 bound), 3 = exactly 9223372036854775808 (fits only when negative).
    """
    m = _INT_PREFIX.match(text)
    sign, digits = m.groups()
    if m.end() == m.end(1):  # neither a zero nor any other digit
        return -1, 0
    neg = sign == "-"
    rest = text[m.end() :]
    kind = 1 if rest and rest.strip(_SPACES) else 0
    u = int(digits) if digits else 0
    if u > LARGEST_INT64:
        if u > -SMALLEST_INT64:
            return 2, SMALLEST_INT64 if neg else LARGEST_INT64
        return (kind, SMALLEST_INT64) if neg else (3, LARGEST_INT64)
    return kind, -u if neg else u


def _real_same_as_int(r: float, i: int) -> bool:
    return r == 0.0 or (float(i) == r and -2251799813685248 <= i < 2251799813685248)


def to_numeric(v: Value) -> int | float | None:
    """The number an arithmetic operator sees for operand `v` (NULL stays None).

    Text and blobs are read for their longest numeric prefix: ' 12abc' is 12, '1e3' is
    1000.0, '1.0' is 1.0, '0x10' is 0, 'abc' is 0. An integer prefix that does not fit in
    64 bits becomes REAL.
    """
    if v is None or isinstance(v, int | float):
        return v
    text = _as_text(v)
    kind, real = parse_real(text)
    if kind <= 0:
        if kind == 0:
            ikind, ivalue = parse_int(text)
            if ikind <= 1:
                return ivalue
        return real
    if kind == 1:
        ikind, ivalue = parse_int(text)
        if ikind == 0:
            return ivalue
    return real


def to_int(v: Value) -> int | None:
    """CAST(v AS INTEGER): reals truncate (saturating at the int64 bounds), text and
    blobs give their integer prefix ('12.9' -> 12, '1e3' -> 1, 'abc' -> 0)."""
    if v is None or type(v) is int:
        return v
    if isinstance(v, float):
        return real_to_int(v)
    return parse_int(_as_text(v))[1]


def real_to_int(r: float) -> int:
    """A REAL truncated toward zero, clamped to the int64 range (SQLite's doubleToInt64)."""
    if r != r:
        return 0
    if r <= -9.223372036854775808e18:
        return SMALLEST_INT64
    if r >= 9.223372036854775807e18:
        return LARGEST_INT64
    return int(r)


def to_real(v: Value) -> float | None:
    """CAST(v AS REAL): integers convert, text and blobs give their numeric prefix."""
    if v is None or isinstance(v, float):
        return v
    if isinstance(v, int):
        return float(v)
    return parse_real(_as_text(v))[1]


def _numerify(v: str | bytes) -> int | float:
    """CAST(text AS NUMERIC): an INTEGER when the prefix read is integral, else REAL."""
    text = _as_text(v)
    kind, real = parse_real(text)
    if kind in (0, 1):
        ikind, ivalue = parse_int(text)
        if ikind <= 1:
            return ivalue
    if math.isfinite(real):
        i = int(real)
        if _real_same_as_int(real, i):
            return i
    return real


# ---------------------------------------------------------------------------
# Number to text
# ---------------------------------------------------------------------------


# --8<-- [start:real_to_text]
def real_to_text(f: float) -> str:
    """A REAL as SQLite writes it: printf("%!.15g"), always with a decimal point
    (from 3.53 on, "%!.17g", cut short where fewer digits read back the same).

    15 significant digits, rounded half away from zero, trailing zeros dropped but one
    digit kept after the point; exponent form below 1e-4 and from 1e15 on.
    0.1 + 0.2 -> '0.3', 1.0 -> '1.0', 1e100 -> '1.0e+100', inf -> 'Inf'.
    """
    if f != f:
        return "NaN"
    if f == 0.0:
        return "0.0"
    if math.isinf(f):
        return "Inf" if f > 0 else "-Inf"
    if _compiled_since(3, 53):  # 17 digits, fewer where they read back the same
        return format_float(f, "g", 17, alt2=True)
    if _compiled_since(3, 43):  # the digits of vdbe.fpdecode, rounded to 15
        return format_float(f, "g", 15, alt2=True)
    return fifteen_digits(f)


def fifteen_digits(f: float) -> str:
    """A finite, non-zero REAL as SQLite up to 3.42 writes it, printf("%!.15g") in long
    double arithmetic: the form Carrot prints floats in, whichever SQLite is installed."""
    if f != f or f == 0.0 or math.isinf(f):
        return real_to_text(f)
    # 21 correctly rounded digits show whether the 15th digit is a close call ...
    wide = "%.20e" % abs(f)  # noqa: UP031 - "d.dddd...e+XX"
    # (SQLite scales large numbers by the double 1e100, which is off by 1.6e-17: each
    # factor of it widens the doubt, measured here in 1/10000ths of the 15th digit)
    doubt = 200 + 170 * max(0, int(wide[23:]) // 100)
    if abs(int(wide[16:20]) - 5000) <= doubt:  # digits 16 to 19
        return format_long_double(f, "g", 15, alt2=True)  # ... where long double rules
    # ... otherwise exact rounding to 15 digits gives SQLite's digits
    narrow = "%.14e" % abs(f)  # noqa: UP031 - "d.dddddddddddddde+XX"
    minus = "-" if f < 0 else ""
    text = narrow[0] + narrow[2:16]  # the 15 digits
    exp10 = int(narrow[17:])  # the power of ten of the first one
    if exp10 < -4 or exp10 > 14:
        mantissa = text[1:].rstrip("0") or "0"
        esign = "-" if exp10 < 0 else "+"
        return f"{minus}{text[0]}.{mantissa}e{esign}{abs(exp10):02d}"
    if exp10 >= 0:
        whole, frac = text[: exp10 + 1], text[exp10 + 1 :]
    else:
        whole, frac = "0", "0" * (-exp10 - 1) + text
    return f"{minus}{whole}.{frac.rstrip('0') or '0'}"


# --8<-- [end:real_to_text]


def to_text(v: Value) -> str | None:
    """A value as TEXT: integers in decimal, reals per `real_to_text`, blobs as UTF-8."""
    if v is None or isinstance(v, str):
        return v
    if isinstance(v, int):
        return str(v)
    if isinstance(v, float):
        return real_to_text(v)
    return bytes(v).decode("utf-8", "replace")


def to_blob(v: Value) -> bytes | None:
    """A value as BLOB: its text form's UTF-8 bytes (CAST(v AS BLOB))."""
    if v is None or isinstance(v, bytes):
        return v
    return to_text(v).encode("utf-8")


# ---------------------------------------------------------------------------
# Affinity and CAST
# ---------------------------------------------------------------------------


def _integral_real_to_int(r: float) -> int | float:
    """A REAL with an integral value strictly inside int64 becomes INTEGER."""
    if math.isfinite(r) and r == int(r) and SMALLEST_INT64 < r <= LARGEST_INT64:
        i = int(r)
        if i < LARGEST_INT64:
            return i
    return r


# --8<-- [start:apply_affinity]
def apply_affinity(v: Value, aff: str) -> Value:
    """What storing `v` in a column of affinity `aff` makes of it (SQLite's Affinity).

    NUMERIC and INTEGER turn well-formed numeric text (the whole text, spaces allowed
    around it) into INTEGER when its value is integral, else REAL, and integral REALs
    into INTEGER. REAL does the same and then makes every INTEGER a REAL. TEXT renders
    numbers as text. BLOB changes nothing, and no affinity touches NULL or a BLOB.
    """
    if aff == AFF_BLOB or v is None or isinstance(v, bytes):
        return v
    if aff == AFF_TEXT:
        return v if isinstance(v, str) else to_text(v)
    if isinstance(v, str):
        v = numeric_text(v)
        if isinstance(v, str):
            return v
    elif isinstance(v, float):
        v = _integral_real_to_int(v)
    if aff == AFF_REAL and type(v) is int:
        return float(v)
    return v


# --8<-- [end:apply_affinity]


def numeric_text(text: str, try_for_int: bool = True) -> Value:
    """Text under NUMERIC affinity: a number if the whole text is one, else unchanged.

    An integer that fits in 64 bits becomes INTEGER, anything else numeric REAL; with
    `try_for_int`, a REAL with an integral value becomes INTEGER too ('3.0' -> 3), as
    column affinity does. sqlite3_value_numeric_type() works without it.
    """
    kind, real = parse_real(text)
    if kind <= 0:
        return text
    if kind == 1:
        if math.isfinite(real) and _real_same_as_int(real, int(real)):
            return int(real)
        ikind, ivalue = parse_int(text)
        if ikind == 0:
            return ivalue
    return _integral_real_to_int(real) if try_for_int else real


def cast(v: Value, aff: str) -> Value:
    """CAST(v AS type), the type given by its affinity letter.

    NUMERIC reads text for its numeric prefix ('3.0abc' -> 3, '1.5' -> 1.5) and leaves
    numbers as they are; INTEGER and REAL behave as `to_int` and `to_real`; TEXT renders;
    BLOB (NONE) gives the text form's bytes.
    """
    if v is None:
        return None
    if aff == AFF_TEXT:
        return to_text(v)
    if aff == AFF_BLOB:
        return to_blob(v)
    if aff == AFF_INTEGER:
        return to_int(v)
    if aff == AFF_REAL:
        return to_real(v)
    if isinstance(v, int | float):
        return v
    return _numerify(v)


# ---------------------------------------------------------------------------
# Comparison and truth
# ---------------------------------------------------------------------------


def _class_rank(v: Value) -> int:
    if v is None:
        return 0
    if isinstance(v, int | float):
        return 1
    if isinstance(v, str):
        return 2
    return 3


# --8<-- [start:compare]
def compare(a: Value, b: Value, coll: str | None = None) -> int:
    """Order two values as SQLite sorts them: -1, 0 or 1.

    NULL < INTEGER and REAL (compared by exact value, so 2**53 + 1 > 2.0**53) < TEXT
    (compared by the collation `coll`, BINARY by default) < BLOB (bytes, then length).
    Two NULLs compare equal here; SQL's `=` operator handles NULL itself.
    """
    ta, tb = type(a), type(b)
    if ta is tb and ta is not str:
        if a is None:
            return 0
        return (a > b) - (a < b)
    ra, rb = _class_rank(a), _class_rank(b)
    if ra != rb:
        return -1 if ra < rb else 1
    if ra == 2:
        if coll is None or coll == "BINARY":
            return (a > b) - (a < b)
        return get_collation(coll)(a, b)
    if a != a or b != b:  # NaN never reaches a register in SQLite; treat it as equal
        return 0
    return (a > b) - (a < b)


# --8<-- [end:compare]


def is_true(v: Value) -> bool | None:
    """SQL truth: None for NULL, otherwise whether the value is non-zero as a number.

    Text and blobs are read as REAL from their prefix, so '0.5' is true and 'abc' false.
    """
    if v is None:
        return None
    if isinstance(v, int | float):
        return v != 0
    return parse_real(_as_text(v))[1] != 0.0
