"""SQLite's varints, the codec every hot path shares: records, pages and cells.

A varint is 1 to 9 bytes, big-endian: each of the first eight bytes carries 7 bits with
the high bit set when another byte follows; a ninth byte carries all 8 of its bits.
Values are 64-bit: a nine-byte varint of 2**63 or more reads back as the negative int64
with the same bits, and a negative number is written as those 64 bits.

`put_varint` and `get_varint` are the codec written plainly, the one a learner writes
(exercise vdbe-varint); `read_varint`, `varint_at` and `varint_bytes` are its fast twins,
which the tests hold to it. With VDBE_REFERENCE=1 in the environment the fast names are
bound to the plain functions, so that every command runs the code the learner wrote.
"""

from __future__ import annotations

from vdbe.int64 import LARGEST_INT64, UINT64_MASK
from vdbe.plain import PLAIN_CODECS

_ONE_BYTE = [bytes((i,)) for i in range(128)]


def read_varint(buf, off: int) -> tuple[int, int]:
    """Decode the varint at `off`; return (value, offset after it)."""
    b = buf[off]
    if b < 0x80:
        return b, off + 1
    value = b & 0x7F
    for i in range(1, 8):
        b = buf[off + i]
        value = (value << 7) | (b & 0x7F)
        if b < 0x80:
            return value, off + i + 1
    value = (value << 8) | buf[off + 8]
    if value > LARGEST_INT64:
        value -= UINT64_MASK + 1
    return value, off + 9


def varint_at(buf, off: int) -> int:
    """The value of the varint at `off` alone, with the one-, two- and three-byte forms
    (every value below two million, so most rowids and sizes) decoded inline."""
    b = buf[off]
    if b < 0x80:
        return b
    c = buf[off + 1]
    if c < 0x80:
        return ((b & 0x7F) << 7) | c
    d = buf[off + 2]
    if d < 0x80:
        return ((b & 0x7F) << 14) | ((c & 0x7F) << 7) | d
    return read_varint(buf, off)[0]


def varint_bytes(value: int) -> bytes:
    """Encode `value` (a 64-bit integer, negative allowed) as a varint of 1 to 9 bytes."""
    if 0 <= value < 0x80:
        return _ONE_BYTE[value]
    if 0 <= value < 0x4000:
        return bytes(((value >> 7) | 0x80, value & 0x7F))
    if 0 <= value < 0x200000:
        return bytes(((value >> 14) | 0x80, ((value >> 7) & 0x7F) | 0x80, value & 0x7F))
    value &= UINT64_MASK
    if value >> 56:
        out = bytearray(9)
        out[8] = value & 0xFF
        value >>= 8
        for i in range(7, -1, -1):
            out[i] = (value & 0x7F) | 0x80
            value >>= 7
        return bytes(out)
    groups = []
    while value:
        groups.append(value & 0x7F)
        value >>= 7
    groups.reverse()
    return bytes([g | 0x80 for g in groups[:-1]] + [groups[-1]])


# --8<-- [start:put_varint]
def put_varint(n: int) -> bytes:
    """Encode a 64-bit integer as a varint of 1 to 9 bytes.

    Negative numbers are taken as their unsigned 64-bit two's complement, so they
    always need all nine bytes. Each of the first eight bytes carries 7 bits, high bit
    set when another byte follows; a ninth byte carries 8 bits.
    """
    # exercise-start: vdbe-varint
    u = n & UINT64_MASK
    if u >> 56:  # more than 8 x 7 = 56 bits: nine bytes, the last one full
        out = [u & 0xFF]
        u >>= 8
        for _ in range(8):
            out.append(0x80 | (u & 0x7F))
            u >>= 7
        return bytes(reversed(out))
    out = [u & 0x7F]
    u >>= 7
    while u:
        out.append(0x80 | (u & 0x7F))
        u >>= 7
    return bytes(reversed(out))
    # exercise-end: vdbe-varint


# --8<-- [end:put_varint]


# --8<-- [start:get_varint]
def get_varint(buf: bytes, offset: int) -> tuple[int, int]:
    """Decode the varint at `offset`: (value, offset just after it).

    A nine-byte varint can hold values of 2**63 and more; they come back as the
    negative int64 with the same bits, which is how SQLite reads a rowid.
    """
    # exercise-start: vdbe-varint
    value = 0
    for i in range(8):
        byte = buf[offset + i]
        value = (value << 7) | (byte & 0x7F)
        if byte < 0x80:
            return value, offset + i + 1
    value = (value << 8) | buf[offset + 8]
    if value > LARGEST_INT64:
        value -= UINT64_MASK + 1
    return value, offset + 9
    # exercise-end: vdbe-varint


# --8<-- [end:get_varint]


if PLAIN_CODECS:
    read_varint = get_varint  # noqa: F811
    varint_bytes = put_varint  # noqa: F811

    def varint_at(buf, off: int) -> int:  # noqa: F811
        """The value of the varint at `off`, read by the plain codec."""
        return get_varint(buf, off)[0]
