"""How SQLite 3.43 and later turn a REAL into decimal digits (its `sqlite3FpDecode`).

SQLite 3.40 drew printf's digits one at a time out of an 80-bit `long double` (that
model is in `vdbe.realfmt`). 3.43 replaced it: first find an integer of 18 or so
significant digits whose value is close to the REAL, then round that decimal string to
the precision asked for. So `round(2.675, 2)` became 2.67 (the REAL is 2.67499999...),
where 3.40 said 2.68. Two ways of finding those digits followed each other:

    decode_double_double   3.43 to 3.52: scale by powers of ten in a pair of doubles
                           (Dekker's double-double product), then truncate to an integer
    decode_power_of_ten    3.53 and later: multiply the 64-bit significand by a 96-bit
                           approximation of a power of ten, as fast float printers do

`digits_of(r, i_round, mx_round)` picks the one the compiling SQLite uses, and
`format_decoded` lays the digits out as printf's %f, %e and %g do.
"""

from __future__ import annotations

import struct
from dataclasses import dataclass

from vdbe.int64 import LARGEST_INT64, UINT64_MASK
from vdbe.realfmt import g_style


@dataclass
class Decoded:
    """A REAL as digits: value = 0.DIGITS * 10**point, with its sign; `special` is 1
    for an infinity and 2 for NaN (then there are no digits)."""

    sign: str
    digits: str
    point: int
    special: int = 0


# --8<-- [start:digits_of]
def digits_of(r: float, i_round: int, mx_round: int) -> Decoded:
    """SQLite's FpDecode of r: rounded to -i_round digits after the point when i_round
    <= 0, else to i_round significant digits; never more than mx_round digits."""
    from vdbe.opcodes import compiled_since  # noqa: PLC0415

    if compiled_since(3, 53):
        return decode_power_of_ten(r, i_round, mx_round)
    return decode_double_double(r, i_round, mx_round)


# --8<-- [end:digits_of]


# ---------------------------------------------------------------------------
# The common start and end
# ---------------------------------------------------------------------------


def _special(r: float) -> Decoded | None:
    """The sign, zero, infinities and NaN, which need no digits."""
    if r != r:
        return Decoded("+", "", 0, 2)
    if r == 0.0:
        return Decoded("+", "0", 1)
    if r in (float("inf"), float("-inf")):
        return Decoded("-" if r < 0 else "+", "", 0, 1)
    return None


def _round_digits(digits: str, point: int, i_round: int, mx_round: int) -> tuple[str, int]:
    """Round the digits as FpDecode ends (to -i_round places when i_round <= 0, else
    to i_round digits, never past mx_round); (digits without trailing zeros, point)."""
    if i_round <= 0:
        i_round = point - i_round
        if i_round == 0 and digits[0] >= "5":
            i_round = 1
            digits = "0" + digits
            point += 1
    n = len(digits)
    if i_round > 0 and (i_round < n or n > mx_round):
        i_round = min(i_round, mx_round)
        digits, point = _round_at(digits, point, i_round)
    return digits.rstrip("0") or "0", point


def _round_at(digits: str, point: int, keep: int) -> tuple[str, int]:
    """Keep `keep` digits, rounding half up on the next one (carrying into a new '1')."""
    if keep >= len(digits) or digits[keep] < "5":
        return digits[:keep], point
    kept = str(int(digits[:keep]) + 1)
    if len(kept) > keep:  # 999 -> 1000
        return kept[:keep] if keep else "1", point + 1
    return kept, point


# ---------------------------------------------------------------------------
# 3.43 to 3.52: double-double scaling
# ---------------------------------------------------------------------------

_HIGH_BITS = 0xFFFFFFFFFC000000  # a double cut to its top 26 significant bits


def _cut(x: float) -> float:
    (bits,) = struct.unpack("<Q", struct.pack("<d", x))
    return struct.unpack("<d", struct.pack("<Q", bits & _HIGH_BITS))[0]


def _dekker_mul(x: list[float], y: float, yy: float) -> None:
    """x (a double-double, x[0] + x[1]) *= y + yy, with Dekker's exact product."""
    hx = _cut(x[0])
    tx = x[0] - hx
    hy = _cut(y)
    ty = y - hy
    p = hx * hy
    q = hx * ty + tx * hy
    c = p + q
    cc = p - c + q + tx * ty
    cc = x[0] * yy + x[1] * y + cc
    x[0] = c + cc
    x[1] = c - x[0]
    x[1] += cc


# powers of ten as double-doubles (the second part is the error of the first)
_DOWN = (
    (9.223372036854774784e118, 1.0e-100, -1.99918998026028836196e-117, 100),
    (9.223372036854774784e28, 1.0e-10, -3.6432197315497741579e-27, 10),
    (9.223372036854774784e18, 1.0e-01, -5.5511151231257827021e-18, 1),
)
_UP = (
    (9.223372036854774784e-83, 1.0e100, -1.5902891109759918046e83, 100),
    (9.223372036854774784e07, 1.0e10, 0.0, 10),
    (9.22337203685477478e17, 1.0e01, 0.0, 1),
)


def decode_double_double(r: float, i_round: int, mx_round: int) -> Decoded:
    """FpDecode of 3.43 to 3.52: scale r by powers of ten until it lies near 10**18,
    keeping the rounding error in a second double, and read the integer."""
    special = _special(r)
    if special is not None:
        return special
    sign = "-" if r < 0 else "+"
    x = [abs(r), 0.0]
    exp = 0
    if x[0] > 9.223372036854774784e18:
        for limit, y, yy, step in _DOWN:
            while x[0] > limit:
                exp += step
                _dekker_mul(x, y, yy)
    else:
        for limit, y, yy, step in _UP:
            while x[0] < limit:
                exp -= step
                _dekker_mul(x, y, yy)
    whole = int(x[0])
    v = whole - int(-x[1]) if x[1] < 0.0 else whole + int(x[1])
    digits = str(v)
    digits, point = _round_digits(digits, len(digits) + exp, i_round, mx_round)
    return Decoded(sign, digits, point)


def to_real_double_double(s: int, e: int) -> float:
    """The REAL SQLite 3.43 to 3.52 make of s * 10**e when reading text: the same
    double-double products, with the exponent first made as small as is exact."""
    while e > 0 and s < (UINT64_MASK - 0x7FF) // 10:
        s *= 10
        e -= 1
    while e < 0 and s % 10 == 0:
        s //= 10
        e += 1
    x = [float(s), 0.0]
    s2 = int(x[0])
    x[1] = float(s - s2) if s >= s2 else -float(s2 - s)
    if e > 0:
        for step, y, yy in ((100, 1.0e100, -1.5902891109759918046e83), (10, 1.0e10, 0.0),
                            (1, 1.0e01, 0.0)):  # fmt: skip
            while e >= step:
                e -= step
                _dekker_mul(x, y, yy)
    else:
        for step, y, yy in ((100, 1.0e-100, -1.99918998026028836196e-117),
                            (10, 1.0e-10, -3.6432197315497741579e-27),
                            (1, 1.0e-01, -5.5511151231257827021e-18)):  # fmt: skip
            while e <= -step:
                e += step
                _dekker_mul(x, y, yy)
    result = x[0] + x[1]
    return float("inf") if result != result else result


# ---------------------------------------------------------------------------
# 3.53 and later: a 64-bit significand times a 96-bit power of ten
# ---------------------------------------------------------------------------


def _power_of_ten_table(p: int) -> tuple[int, int]:
    """(the top 64 bits of 10**p, the next 32), rounded: 10**p = hi.lo * 2**k."""
    if p >= 0:
        n, d = 10**p, 1
    else:
        n, d = 1, 10 ** (-p)
    # scale so that the quotient has exactly 96 bits, rounding to nearest
    shift = 96 - (n.bit_length() - d.bit_length())
    q = (n << shift) // d if shift >= 0 else n // (d << -shift)
    while q.bit_length() > 96:
        shift -= 1
        q = (n << shift) // d if shift >= 0 else n // (d << -shift)
    while q.bit_length() < 96:
        shift += 1
        q = (n << shift) // d if shift >= 0 else n // (d << -shift)
    rem_num = (n << shift) - q * d if shift >= 0 else n - q * (d << -shift)
    rem_den = d if shift >= 0 else d << -shift
    if 2 * rem_num >= rem_den:
        q += 1
    return q >> 32, q & 0xFFFFFFFF


_U64 = UINT64_MASK
_U32 = (1 << 32) - 1
# 10**p for p = 0..26 is exact in 64 bits; other powers come from 10**(27*g) times one
# of these, as SQLite's tables hold them (-1, whose rounded value SQLite does not use,
# is the one exception: truncated)
_BASE = [_power_of_ten_table(p)[0] for p in range(27)]
_SCALE = {g: _power_of_ten_table(27 * g) for g in range(-13, 13)}
_SCALE_MINUS_ONE = (0xCCCCCCCCCCCCCCCC, 0xCCCCCCCC)


def _power_of_ten(p: int) -> tuple[int, int]:
    """SQLite's powerOfTen(): the top 64 bits of 10**p and the 32 after them."""
    if p == -1:
        return _SCALE_MINUS_ONE
    if 0 <= p < 27:
        return _BASE[p], 0
    g, n = divmod(p, 27)
    s, s_lo = _SCALE[g]
    if n == 0:
        return s, s_lo
    r = s * _BASE[n] + ((s_lo * _BASE[n]) >> 32)  # the top of a 96 x 64-bit product
    lo = (r >> 32) & _U32
    x = (r >> 64) & _U64
    if not x >> 63:
        x = ((x << 1) | (lo >> 31)) & _U64
        lo = ((lo << 1) | 1) & _U32
    return x, lo


def _pow10_to_pow2(p: int) -> int:
    """floor(log2(10**p)), as SQLite approximates it."""
    return (p * 108853) >> 15


def _pow2_to_pow10(e: int) -> int:
    """floor(log10(2**e)), likewise."""
    return (e * 78913) >> 18


def _to_decimal(m: int, e: int, n: int) -> tuple[int, int]:
    """(d, p) with m * 2**e about d * 10**p and d of at least n digits (m's top bit set)."""
    p = n - 1 - _pow2_to_pow10(e + 63)
    h = (m * _power_of_ten(p)[0]) >> 64
    shift = -(e + _pow10_to_pow2(p) + 1)
    if n == 18:  # one bit more, to round the last digit half up
        h >>= shift - 1
        d = (h + ((h << 1) & 2)) >> 1
    else:
        d = h >> shift
    return d, -p


def to_real(d: int, p: int) -> float:
    """SQLite 3.53's reading of d * 10**p as a REAL (its sqlite3Fp10Convert2)."""
    if d == 0:
        return 0.0
    if p < -348:
        return 0.0
    if p > 347:
        return float("inf")
    b = d.bit_length()
    lp = _pow10_to_pow2(p)
    e = 53 - b - lp
    if e > 1074:
        if e >= 1130:
            return 0.0
        e = 1074
    s = -(e - (64 - b) + lp + 3)
    high, low = _power_of_ten(p)
    if low != 0:
        high += 1
        low = ~low & _U32
    x = (d << (64 - b)) & _U64
    product = x * high
    hi, lo = product >> 64, product & _U64
    mid1 = lo >> 32
    sticky = 1
    if hi & ((1 << s) - 1) == 0:
        mid2 = ((x * (low << 32)) >> 64) >> 32
        sticky = 1 if ((mid1 - mid2) & _U32) > 1 else 0
        hi -= 1 if mid1 < mid2 else 0
    u = (hi >> s) | sticky
    if u >= (1 << 55) - 2:
        u = (u >> 1) | (u & 1)
        e -= 1
    m = (u + 1 + ((u >> 2) & 1)) >> 2
    if e <= -972:
        return float("inf")
    if m & (1 << 52):
        m = (m & ~(1 << 52)) | ((1075 - e) << 52)
    return struct.unpack("<d", struct.pack("<Q", m))[0]


def decode_power_of_ten(r: float, i_round: int, mx_round: int) -> Decoded:
    """FpDecode of 3.53 and later: the significand times a 64-bit power of ten gives
    18 digits (fewer when fewer are asked for), which are then rounded."""
    special = _special(r)
    if special is not None:
        return special
    sign = "-" if r < 0 else "+"
    (bits,) = struct.unpack("<Q", struct.pack("<d", abs(r)))
    e = (bits >> 52) & 0x7FF
    v = bits & ((1 << 52) - 1)
    if e == 0:  # subnormal: shift the significand up to its top bit
        shift = 64 - v.bit_length()
        v <<= shift
        e = -1074 - shift
    else:
        v = (v << 11) | (LARGEST_INT64 + 1)  # the leading bit, made explicit
        e -= 1086
    wanted = 18 if i_round <= 0 or i_round >= 18 else i_round + 1
    d, exp = _to_decimal(v, e, wanted)
    digits = str(d)
    n = len(digits)
    point = n + exp
    if i_round <= 0:
        i_round = point - i_round
        if i_round == 0 and digits[0] >= "5":
            i_round = 1
            digits = "0" + digits
            n += 1
            point += 1
    if i_round > 0 and (i_round < n or n > mx_round):
        i_round = min(i_round, mx_round)
        if i_round == 17:
            i_round = _shortest_of_17(abs(r), digits, exp, i_round)
        digits, point = _round_at(digits, point, i_round)
    return Decoded(sign, digits.rstrip("0") or "0", point)


def _shortest_of_17(r: float, z: str, exp: int, i_round: int) -> int:
    """For %!.17g: when the digits end in a run of 9s (or 0s) that a shorter number
    would round away and still read back as r, keep only the digits before the run,
    so that 49.47 prints as 49.47 and not 49.469999999999999."""
    n = len(z)
    if z[15] == "9" and z[14] == "9":
        jj = 14
        while jj > 0 and z[jj - 1] == "9":
            jj -= 1
        v2 = 1 if jj == 0 else int(z[:jj]) + 1
        if r == to_real(v2, exp + n - jj):
            return jj + 1
    elif n + exp >= n or (z[15] == "0" and z[14] == "0" and z[13] == "0"):
        jj = 13
        while z[jj - 1] == "0":
            jj -= 1
        if r == to_real(int(z[:jj]), exp + n - jj):
            return jj + 1
    return i_round


# ---------------------------------------------------------------------------
# printf's layout of the digits


def _negative_zero_unsigned(decoded: Decoded, conv: str, precision: int, alt: bool,
                            prefix: str) -> bool:  # fmt: skip
    """3.54 writes a negative %#f that rounds to nothing but zeros without its minus
    sign (printf('%#.0f', -0.25) is '0.'), unless a '+' or ' ' flag asks for a sign."""
    from vdbe.opcodes import compiled_since  # noqa: PLC0415

    if not (alt and prefix == "" and conv.lower() == "f" and compiled_since(3, 54)):
        return False
    return decoded.digits == "0" or decoded.point <= -precision


# ---------------------------------------------------------------------------


def format_decoded(
    value: float, conv: str, precision: int, *, alt: bool, alt2: bool, prefix: str,
    zero: bool = False,
) -> str:  # fmt: skip
    """%f, %e, %E, %g or %G of value as SQLite 3.43 and later write it (sign included).
    With the '0' flag an infinity is written as the number 9e999 and NaN as 'null'."""
    kind = conv.lower()
    if kind == "f":
        i_round = -precision
    elif kind == "g":
        precision = precision or 1
        i_round = precision
    else:
        i_round = precision + 1
    decoded = digits_of(value, i_round, 26 if alt2 else 16)
    if decoded.special == 2:
        return "null" if zero else "NaN"
    if decoded.special == 1 and zero:
        decoded = Decoded(decoded.sign, "9", 1000)
    elif decoded.special == 1:
        return "-Inf" if decoded.sign == "-" else prefix + "Inf"
    if decoded.sign == "-" and not _negative_zero_unsigned(decoded, conv, precision, alt, prefix):
        prefix = "-"
    exp = decoded.point - 1
    if kind == "g" and precision > 0:
        precision -= 1
    kind, precision, strip_zeros = g_style(kind, exp, precision, alt, alt2)
    e2 = 0 if kind == "e" else decoded.point - 1
    digits = iter(decoded.digits)
    point = precision > 0 or alt or alt2
    out = [prefix]
    if e2 < 0:
        out.append("0")
    else:
        out.extend(next(digits, "0") for _ in range(e2 + 1))
    if point:
        out.append(".")
    e2 += 1
    while e2 < 0 and precision > 0:
        out.append("0")
        precision -= 1
        e2 += 1
    out.extend(next(digits, "0") for _ in range(max(precision, 0)))
    text = "".join(out)
    if strip_zeros and point:
        text = text.rstrip("0")
        if text.endswith("."):
            text = text + "0" if alt2 else text[:-1]
    if kind == "e":
        sign = "-" if exp < 0 else "+"
        text += f"{'e' if conv in 'eg' else 'E'}{sign}{abs(exp):02d}"
    return text
