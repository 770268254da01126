"""SQLite's record format: how a row of values becomes bytes, and back.

A record is a header followed by a body:

    header:  varint(header size in bytes, itself included), one varint serial type per field
    body:    each field's bytes, in order, with no separators

The serial type says both the class of a field and how many bytes it takes:

    0  NULL (0 bytes)       5  int48 (6 bytes)      8  the integer 0 (0 bytes)
    1  int8 (1 byte)        6  int64 (8 bytes)      9  the integer 1 (0 bytes)
    2  int16 (2 bytes)      7  IEEE 754 double      10, 11  reserved
    3  int24 (3 bytes)         big-endian (8 bytes) N >= 12 even: BLOB of (N-12)/2 bytes
    4  int32 (4 bytes)                              N >= 13 odd:  TEXT of (N-13)/2 bytes

Integers are big-endian two's complement, stored in the smallest width that holds them.
Varints are big-endian too: 7 bits per byte with the high bit meaning "more follows",
at most 9 bytes, and the 9th byte contributes all 8 of its bits.

Decoding a record is the hot path of every table scan, so `decode_record` reads each
body with one `struct` call whose format it learned from the first record with the same
header (`RecordLayout`); `decode_fields` walks a header field by field. `decode_column`
is the plain way, one field at a time, that `Column` takes with VDBE_REFERENCE=1 (see
`vdbe.plain`).
"""

from __future__ import annotations

import struct
from collections.abc import Sequence

from vdbe.collation import get_collation
from vdbe.errors import CorruptError
from vdbe.int64 import LARGEST_INT64, SMALLEST_INT64, UINT64_MASK
from vdbe.keyinfo import KeyInfo
from vdbe.values import AFF_REAL, Value, compare
from vdbe.varint import read_varint, varint_bytes

# ---------------------------------------------------------------------------
# Varints
# ---------------------------------------------------------------------------


def varint_len(n: int) -> int:
    """How many bytes the varint of `n` takes."""
    u = n & UINT64_MASK
    if u >> 56:
        return 9
    length = 1
    while u > 0x7F:
        u >>= 7
        length += 1
    return length


# ---------------------------------------------------------------------------
# Serial types
# ---------------------------------------------------------------------------

# Body sizes of serial types 0..11 (10 and 11 are reserved and never valid).
FIXED_SIZES = (0, 1, 2, 3, 4, 6, 8, 8, 0, 0, -1, -1)

_INT8 = struct.Struct(">b")
_INT16 = struct.Struct(">h")
_INT24 = struct.Struct(">bH")  # high signed byte, then 16 low bits
_INT32 = struct.Struct(">i")
_INT48 = struct.Struct(">hI")  # high signed 16 bits, then 32 low bits
_INT64 = struct.Struct(">q")
_REAL = struct.Struct(">d")

# The one-call readers of serial types 1..7 (None: int24 and int48 need two parts).
_UNPACKERS = (
    None,
    _INT8.unpack_from,
    _INT16.unpack_from,
    None,
    _INT32.unpack_from,
    None,
    _INT64.unpack_from,
    _REAL.unpack_from,
)


def serial_type_size(serial_type: int) -> int:
    """How many body bytes a field of this serial type takes."""
    if serial_type >= 12:
        return (serial_type - 12) >> 1
    size = FIXED_SIZES[serial_type]
    if size < 0:
        raise CorruptError()
    return size


# --8<-- [start:serial_type]
def serial_type_of(v: Value) -> int:
    """The serial type SQLite picks for `v` (file format 4: 0 and 1 take no body)."""
    if v is None:
        return 0
    if isinstance(v, int):
        u = ~v if v < 0 else v
        if u <= 127:
            return 8 + v if v in (0, 1) else 1
        if u <= 0x7FFF:
            return 2
        if u <= 0x7FFFFF:
            return 3
        if u <= 0x7FFFFFFF:
            return 4
        if u <= 0x7FFFFFFFFFFF:
            return 5
        if u <= LARGEST_INT64:
            return 6
        raise ValueError(f"integer out of 64-bit range: {v}")
    if isinstance(v, float):
        return 7
    if isinstance(v, str):
        return 13 + 2 * len(v.encode("utf-8"))
    return 12 + 2 * len(v)


# --8<-- [end:serial_type]


def _int_field(v: int) -> tuple[int, bytes]:
    """Serial type and body bytes of an integer, in its smallest width."""
    u = ~v if v < 0 else v
    if u <= 127:
        if v == 0 or v == 1:
            return 8 + v, b""
        return 1, _INT8.pack(v)
    if u <= 0x7FFF:
        return 2, _INT16.pack(v)
    if u <= 0x7FFFFF:
        return 3, _INT24.pack(v >> 16, v & 0xFFFF)
    if u <= 0x7FFFFFFF:
        return 4, _INT32.pack(v)
    if u <= 0x7FFFFFFFFFFF:
        return 5, _INT48.pack(v >> 32, v & 0xFFFFFFFF)
    if u <= LARGEST_INT64:
        return 6, _INT64.pack(v)
    raise ValueError(f"integer out of 64-bit range: {v}")


# ---------------------------------------------------------------------------
# Encoding
# ---------------------------------------------------------------------------


# --8<-- [start:encode_record]
def encode_record(values: Sequence[Value], affinity: str | None = None) -> bytes:
    """The record bytes of `values`.

    `affinity`, if given, is the column affinity string MakeRecord carries. It changes
    no value (apply affinities first); it only enables SQLite's space saving for REAL
    columns ('E'): a REAL with an integral value inside the int64 range is written with
    an integer serial type, and reading the column back with REAL affinity restores it.
    """
    header = bytearray()  # the serial types; most take one byte
    body = []
    for i, v in enumerate(values):
        if v is None:
            header.append(0)
            continue
        if type(v) is int:
            t, data = _int_field(v)
        elif type(v) is str:
            data = v.encode("utf-8")
            t = 13 + 2 * len(data)
        elif type(v) is float:
            if affinity is not None and i < len(affinity) and affinity[i] == AFF_REAL:
                t, data = _real_field_as_int(v)
            else:
                t, data = 7, _REAL.pack(v)
        elif isinstance(v, bytes | bytearray | memoryview):
            data = bytes(v)
            t = 12 + 2 * len(data)
        elif isinstance(v, int):  # bool and other int subclasses
            t, data = _int_field(int(v))
        elif isinstance(v, str):  # text with a subtype, which a record does not keep
            data = v.encode("utf-8")
            t = 13 + 2 * len(data)
        else:
            raise TypeError(f"not an SQL value: {v!r}")
        if t < 0x80:
            header.append(t)
        else:
            header += varint_bytes(t)
        body.append(data)
    return _header_size_bytes(len(header)) + header + b"".join(body)


# --8<-- [end:encode_record]


def _header_size_bytes(n_types: int) -> bytes:
    """The header-size varint, which counts its own bytes too."""
    if n_types <= 126:
        return varint_bytes(n_types + 1)  # one byte
    size = n_types + varint_len(n_types)
    if varint_len(size) > varint_len(n_types):
        size += 1
    return varint_bytes(size)


def _real_field_as_int(r: float) -> tuple[int, bytes]:
    if r == r and -9.223372036854775808e18 < r < 9.223372036854775808e18 and r == int(r):
        i = int(r)
        if SMALLEST_INT64 < i < LARGEST_INT64:
            return _int_field(i)
    return 7, _REAL.pack(r)


# ---------------------------------------------------------------------------
# Decoding
# ---------------------------------------------------------------------------


def record_header(buf: bytes) -> tuple[list[int], int]:
    """The serial types of a record and the offset where its body starts."""
    try:
        header_size = buf[0]
        pos = 1
        if header_size >= 0x80:
            header_size, pos = read_varint(buf, 0)
        if header_size > len(buf) or header_size < pos:
            raise CorruptError()
        serial_types = bytes(buf[pos:header_size])  # (a bytes slice is not copied again)
        if serial_types.isascii():  # every serial type below 128: one byte each
            return list(serial_types), header_size
        types = []
        append = types.append
        while pos < header_size:
            t = buf[pos]
            if t < 0x80:
                pos += 1
            else:
                t, pos = read_varint(buf, pos)
            append(t)
    except IndexError:
        raise CorruptError() from None
    if pos != header_size:
        raise CorruptError()
    return types, header_size


# --8<-- [start:decode_value]
def decode_value(buf: bytes, offset: int, serial_type: int) -> Value:
    """The value of one field whose body starts at `offset`."""
    if serial_type >= 12:
        end = offset + ((serial_type - 12) >> 1)
        if end > len(buf):
            raise CorruptError()
        if serial_type & 1:
            return str(buf[offset:end], "utf-8", "replace")
        return bytes(buf[offset:end])
    if serial_type > 9 or offset + FIXED_SIZES[serial_type] > len(buf):
        raise CorruptError()
    if serial_type == 0:
        return None
    if serial_type == 1:
        return _INT8.unpack_from(buf, offset)[0]
    if serial_type == 2:
        return _INT16.unpack_from(buf, offset)[0]
    if serial_type == 3:
        high, low = _INT24.unpack_from(buf, offset)
        return (high << 16) | low
    if serial_type == 4:
        return _INT32.unpack_from(buf, offset)[0]
    if serial_type == 5:
        high, low = _INT48.unpack_from(buf, offset)
        return (high << 32) | low
    if serial_type == 6:
        return _INT64.unpack_from(buf, offset)[0]
    if serial_type == 7:
        return _REAL.unpack_from(buf, offset)[0]
    return serial_type - 8  # 8 -> 0, 9 -> 1


# --8<-- [end:decode_value]


# --8<-- [start:decode_record]
def decode_record(buf: bytes) -> list:
    """All the values of a record, in column order.

    The header alone fixes where every field lies, and the rows of one table share a
    few headers, so the first record with a given header is decoded field by field
    (`decode_fields`) and leaves a `RecordLayout` that decodes the next ones in one
    `struct` call.
    """
    if type(buf) is bytes and buf and buf[0] < 0x80:  # a header of at most 127 bytes
        layout = _LAYOUTS.get(buf[: buf[0]])
        if layout is not None:
            return layout.decode(buf)
        layout = _learn_layout(buf)
        if layout is not None:
            return layout.decode(buf)
    return decode_fields(buf)


def decode_fields(buf: bytes) -> list:
    """All the values of a record, read field by field from its header."""
    types, offset = record_header(buf)
    values = []
    append = values.append
    unpackers = _UNPACKERS
    sizes = FIXED_SIZES
    try:
        for t in types:
            if t >= 12:
                end = offset + ((t - 12) >> 1)
                if t & 1:
                    append(str(buf[offset:end], "utf-8", "replace"))
                else:
                    append(bytes(buf[offset:end]))
                offset = end
            elif t >= 8:
                if t > 9:
                    raise CorruptError()
                append(t - 8)  # 8 -> 0, 9 -> 1
            elif t:
                unpack = unpackers[t]
                if unpack is None:  # int24 and int48 come in two parts
                    append(decode_value(buf, offset, t))
                else:
                    append(unpack(buf, offset)[0])
                offset += sizes[t]
            else:
                append(None)
    except struct.error:  # a number cut short by the end of the record
        raise CorruptError() from None
    if offset > len(buf):
        raise CorruptError()
    return values


# --8<-- [end:decode_record]


# --8<-- [start:record_layout]
class RecordLayout:
    """Where the fields of every record with one header lie, as one `struct` format.

    One `unpack_from` reads the body: numbers as numbers, text and blobs as bytes (text
    is then made `str`), and int24 and int48, which have no `struct` code, as 3 or 6
    bytes made `int`. Fields with no body bytes (NULL, the integers 0 and 1) are
    constants put in their places.
    """

    __slots__ = ("unpack", "body_offset", "text_fields", "odd_int_fields", "constants")

    def __init__(self, types: list[int], body_offset: int) -> None:
        codes = [">"]
        self.text_fields: list[int] = []  # positions among the unpacked values
        self.odd_int_fields: list[int] = []  # int24 and int48, also positions
        self.constants: list[tuple[int, Value]] = []  # (column, value), in column order
        for column, t in enumerate(types):
            if t in (0, 8, 9):  # NULL, 0 and 1: no body bytes
                self.constants.append((column, None if t == 0 else t - 8))
                continue
            if t >= 12 and t & 1:
                self.text_fields.append(len(codes) - 1)
            elif t in (3, 5):
                self.odd_int_fields.append(len(codes) - 1)
            codes.append(_STRUCT_CODES[t] if t < 12 else f"{(t - 12) >> 1}s")
        self.unpack = struct.Struct("".join(codes)).unpack_from
        self.body_offset = body_offset

    def decode(self, buf: bytes) -> list:
        """The values of `buf`, a record with this layout's header."""
        try:
            values = list(self.unpack(buf, self.body_offset))
        except struct.error:  # the body is shorter than its header says
            raise CorruptError() from None
        for i in self.text_fields:
            values[i] = str(values[i], "utf-8", "replace")
        for i in self.odd_int_fields:
            values[i] = int.from_bytes(values[i], "big", signed=True)
        for column, value in self.constants:
            values.insert(column, value)
        return values


# --8<-- [end:record_layout]


# The struct code of each serial type 1..7 (int24 and int48 are read as bytes).
_STRUCT_CODES = {1: "b", 2: "h", 3: "3s", 4: "i", 5: "6s", 6: "q", 7: "d"}

# Layouts by header bytes. Cleared when full: a program that makes many different
# headers decodes field by field, as if there were no layouts.
_LAYOUTS: dict[bytes, RecordLayout] = {}
_MAX_LAYOUTS = 1024


def _learn_layout(buf: bytes) -> RecordLayout | None:
    """The layout of `buf`'s header, remembered for the next records; None if it has none."""
    types, body_offset = record_header(buf)  # raises CorruptError on a bad header
    if any(t < 0 or 9 < t < 12 for t in types):  # reserved (or, from a damaged header's
        return None  # nine-byte varint, negative) serial types: a corrupt record
    if len(_LAYOUTS) >= _MAX_LAYOUTS:
        _LAYOUTS.clear()
    layout = _LAYOUTS[bytes(buf[:body_offset])] = RecordLayout(types, body_offset)
    return layout


# --8<-- [start:read_field]
MISSING = object()  # what `read_field` gives for a field past the record's last

# Body sizes of the serial types held in one header byte (0..127); -1 for the reserved
# types 10 and 11 and for the first byte of a longer varint (128..255).
_SIZES = tuple(
    (FIXED_SIZES[t] if t < 12 else (t - 12) >> 1) if t < 0x80 else -1 for t in range(256)
)


def read_field(buf, start: int, end: int, i: int):
    """Field `i` of the record in `buf[start:end]`, decoding no other field.

    `buf` may be a whole page: nothing is copied. As SQLite's Column does, the
    header's serial types before field `i` give its place, and only it is decoded
    (`decode_column` is the plain form of this). A field past the last is MISSING
    (the caller knows the column's default); a header with a serial type longer
    than one byte is left to `decode_fields`.
    """
    size = buf[start]
    if size < 0x80 and start + size <= end:
        if i + 1 >= size:
            return MISSING
        sizes = _SIZES
        offset = start + size
        k = start + 1
        stop = k + i
        while k < stop:  # add up the sizes of the fields before it
            width = sizes[buf[k]]
            if width < 0:
                break
            offset += width
            k += 1
        else:
            t = buf[stop]
            width = sizes[t]
            if width >= 0:
                if offset + width > end:
                    raise CorruptError()
                if t < 8:
                    if t == 0:
                        return None
                    unpack = _UNPACKERS[t]
                    return unpack(buf, offset)[0] if unpack else decode_value(buf, offset, t)
                if t < 10:
                    return t - 8
                if t & 1:
                    return str(buf[offset : offset + width], "utf-8", "replace")
                return bytes(buf[offset : offset + width])
    values = decode_fields(bytes(buf[start:end]))
    return values[i] if i < len(values) else MISSING


# --8<-- [end:read_field]


# The Python types that a record stores as themselves: decoding gives back an equal
# value of the same type. Others (a bool, text with a subtype) come back changed.
STORED_AS_THEMSELVES = frozenset((type(None), int, float, str, bytes))


def values_as_stored(values: list) -> list:
    """`values` exactly as decoding their record would give them back.

    Usually that is `values` itself; a value of another type (a bool, JSON text with
    its subtype) goes through the record format to lose what the format cannot keep.
    """
    for value in values:
        if type(value) not in STORED_AS_THEMSELVES:
            return decode_record(encode_record(values))
    return values


# --8<-- [start:decode_column]
def decode_column(buf: bytes, i: int) -> Value:
    """Column `i` of a record, decoding nothing else (None past the last column).

    This is what SQLite's Column instruction does: walk the header, adding up the
    sizes of the fields before column i, and decode that one field only.
    """
    # exercise-start: vdbe-column
    try:
        header_size, pos = read_varint(buf, 0)
        offset = header_size
        for _ in range(i):
            if pos >= header_size:
                return None
            t, pos = read_varint(buf, pos)
            offset += serial_type_size(t)
        if pos >= header_size:
            return None
        t, _ = read_varint(buf, pos)
    except IndexError:
        raise CorruptError() from None
    return decode_value(buf, offset, t)
    # exercise-end: vdbe-column


# --8<-- [end:decode_column]


def field_offsets(types: Sequence[int], body_offset: int) -> list[int]:
    """Where each field's body starts, given `record_header`'s result."""
    offsets = []
    offset = body_offset
    for t in types:
        offsets.append(offset)
        offset += ((t - 12) >> 1) if t >= 12 else serial_type_size(t)
    return offsets


# ---------------------------------------------------------------------------
# Comparing keys
# ---------------------------------------------------------------------------


# --8<-- [start:compare_keys]
def compare_keys(a: Sequence[Value], b: Sequence[Value], key_info: KeyInfo) -> int:
    """Compare two keys field by field under `key_info`: -1, 0 or 1.

    Only the fields both keys have are compared, so a key that is a prefix of the
    other compares equal; what a tie means (SQLite's "default_rc") is the caller's
    decision. NULLs are equal to each other and smaller than everything else, unless
    the field is NULLS LAST; then DESC reverses the field's result.
    """
    collations = key_info.collations
    descending = key_info.descending
    nulls_last = key_info.nulls_last
    for i in range(min(len(a), len(b))):
        x, y = a[i], b[i]
        coll = collations[i] if i < len(collations) else None
        if coll is not None and type(x) is str and type(y) is str:
            rc = get_collation(coll)(x, y)
        else:
            rc = compare(x, y)
        if rc:
            if (x is None or y is None) and i < len(nulls_last) and nulls_last[i]:
                rc = 1 if x is None else -1
            if i < len(descending) and descending[i]:
                rc = -rc
            return rc
    return 0


# --8<-- [end:compare_keys]
