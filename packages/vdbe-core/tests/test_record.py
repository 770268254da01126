"""The record codec: varints, serial types, round trips, and records written by SQLite."""

from __future__ import annotations

import math
import sqlite3
import struct

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from vdbe.errors import CorruptError
from vdbe.keyinfo import KeyInfo
from vdbe.record import (
    compare_keys,
    decode_column,
    decode_fields,
    decode_record,
    decode_value,
    encode_record,
    field_offsets,
    record_header,
    serial_type_of,
    serial_type_size,
    values_as_stored,
    varint_len,
)
from vdbe.varint import get_varint, put_varint, read_varint, varint_at, varint_bytes

# ---------------------------------------------------------------------------
# Varints
# ---------------------------------------------------------------------------

VARINT_CASES = [
    (0, b"\x00"),
    (1, b"\x01"),
    (127, b"\x7f"),
    (128, b"\x81\x00"),
    (240, b"\x81\x70"),
    (16383, b"\xff\x7f"),
    (16384, b"\x81\x80\x00"),
    (2**56 - 1, b"\xff" * 7 + b"\x7f"),
    (2**56, b"\x80\xc0" + b"\x80" * 6 + b"\x00"),
    (2**63 - 1, b"\xbf" + b"\xff" * 8),
    (-1, b"\xff" * 9),
    (-(2**63), b"\xc0" + b"\x80" * 7 + b"\x00"),
]


@pytest.mark.exercise("vdbe-varint")
@pytest.mark.parametrize(("n", "encoded"), VARINT_CASES)
def test_put_varint_known_encodings(n, encoded):
    assert put_varint(n) == encoded


@pytest.mark.exercise("vdbe-varint")
@pytest.mark.parametrize(("n", "encoded"), VARINT_CASES)
def test_get_varint_known_encodings(n, encoded):
    buf = b"\xaa" + encoded + b"\xbb"
    assert get_varint(buf, 1) == (n, 1 + len(encoded))


@pytest.mark.exercise("vdbe-varint")
@settings(max_examples=300, deadline=None)
@given(st.integers(min_value=-(2**63), max_value=2**63 - 1))
def test_varint_round_trip(n):
    encoded = put_varint(n)
    assert 1 <= len(encoded) <= 9
    assert get_varint(encoded + b"\x00", 0) == (n, len(encoded))


@pytest.mark.exercise("vdbe-varint")
@settings(max_examples=200, deadline=None)
@given(st.integers(min_value=0, max_value=2**64 - 1))
def test_varint_matches_the_codec_internals(u):
    encoded = put_varint(u)
    assert encoded == varint_bytes(u)
    assert len(encoded) == varint_len(u)
    signed = u - 2**64 if u >= 2**63 else u
    assert get_varint(encoded, 0) == read_varint(encoded, 0) == (signed, len(encoded))
    assert varint_at(encoded, 0) == signed


# ---------------------------------------------------------------------------
# Serial types and the codec
# ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "serial_type", "size"),
    [
        (None, 0, 0),
        (0, 8, 0),
        (1, 9, 0),
        (2, 1, 1),
        (-1, 1, 1),
        (127, 1, 1),
        (-128, 1, 1),
        (128, 2, 2),
        (-129, 2, 2),
        (32767, 2, 2),
        (32768, 3, 3),
        (-8388608, 3, 3),
        (8388608, 4, 4),
        (2**31 - 1, 4, 4),
        (2**31, 5, 6),
        (2**47 - 1, 5, 6),
        (2**47, 6, 8),
        (-(2**63), 6, 8),
        (0.0, 7, 8),
        (1.5, 7, 8),
        ("", 13, 0),
        ("abc", 19, 3),
        ("é", 17, 2),
        (b"", 12, 0),
        (b"\x00\x01", 16, 2),
    ],
)
def test_serial_types(value, serial_type, size):
    assert serial_type_of(value) == serial_type
    assert serial_type_size(serial_type) == size
    record = encode_record([value])
    assert record_header(record) == ([serial_type], 2)
    assert len(record) == 2 + size
    decoded = decode_record(record)
    assert decoded == [value] and type(decoded[0]) is type(value)


def test_reserved_serial_types_are_corrupt():
    for t in (10, 11):
        with pytest.raises(CorruptError):
            serial_type_size(t)
        with pytest.raises(CorruptError):
            decode_record(bytes([2, t]))


def test_a_serial_type_past_the_signed_range_is_corrupt():
    """A damaged header's nine-byte varint reads as a negative serial type (the fuzzing
    of damaged files found one): a corrupt record, not a failed lookup."""
    with pytest.raises(CorruptError):
        decode_record(bytes([10]) + b"\xff" * 9)


@pytest.mark.parametrize(
    "bad",
    [
        b"",  # no header at all
        b"\x05\x01",  # header longer than the record
        b"\x02\x01",  # int8 without its byte
        b"\x02\x1d",  # 8 bytes of text promised, none there
        b"\x03\x81",  # a varint running past the header
    ],
)
def test_malformed_records_raise_corrupt(bad):
    with pytest.raises(CorruptError, match="database disk image is malformed"):
        decode_record(bad)


sql_value = st.one_of(
    st.none(),
    st.integers(min_value=-(2**63), max_value=2**63 - 1),
    st.sampled_from([0, 1, 127, 128, -128, -129, 2**15, 2**23, 2**31, 2**47, 2**63 - 1]),
    st.floats(allow_nan=False),
    st.text(st.characters(blacklist_categories=("Cs",)), max_size=80),
    st.binary(max_size=80),
)


@settings(max_examples=400, deadline=None)
@given(st.lists(sql_value, max_size=70))
def test_encode_decode_round_trip(values):
    record = encode_record(values)
    decoded = decode_record(record)
    assert decoded == values
    assert [type(v) for v in decoded] == [type(v) for v in values]
    types, body = record_header(record)
    assert types == [serial_type_of(v) for v in values]
    for t, off, v in zip(types, field_offsets(types, body), values, strict=True):
        assert decode_value(record, off, t) == v
    assert decode_record(memoryview(record)) == values


@settings(max_examples=300, deadline=None)
@given(st.lists(st.lists(sql_value, max_size=6), min_size=1, max_size=8))
def test_layouts_decode_as_the_header_walk_does(rows):
    # Records of one shape share a header, so most decodes below go through a layout
    # learned from an earlier record; each must give what the field-by-field walk gives.
    for values in rows + rows:
        record = encode_record(values)
        decoded = decode_record(record)
        assert decoded == decode_fields(record) == values
        assert [type(v) for v in decoded] == [type(v) for v in values]


def test_a_known_header_on_a_short_body_is_corrupt():
    record = encode_record([None, 300, "row 1", 2.5])
    assert decode_record(record) == [None, 300, "row 1", 2.5]  # its layout is learned
    for cut in range(record[0], len(record)):
        with pytest.raises(CorruptError):
            decode_record(record[:cut])


def test_values_as_stored_lose_what_a_record_cannot_keep():
    class Json(str):  # text carrying a subtype, as the JSON functions make it
        pass

    plain = [None, 1, 2.5, "x", b"y"]
    assert values_as_stored(plain) is plain
    stored = values_as_stored([True, Json("[1]"), 3])
    assert stored == [1, "[1]", 3]
    assert [type(v) for v in stored] == [int, str, int]


@pytest.mark.exercise("vdbe-column")
@settings(max_examples=300, deadline=None)
@given(st.lists(sql_value, max_size=70))
def test_decode_column_reads_one_field(values):
    record = encode_record(values)
    for i, v in enumerate(values):
        got = decode_column(record, i)
        assert got == v and type(got) is type(v)
    assert decode_column(record, len(values)) is None
    assert decode_column(record, len(values) + 5) is None


@pytest.mark.exercise("vdbe-column")
def test_decode_column_examples():
    record = encode_record([None, 7, "long text " * 20, 2.5, b"\x01"])
    assert decode_column(record, 0) is None
    assert decode_column(record, 1) == 7
    assert decode_column(record, 3) == 2.5
    assert decode_column(record, 4) == b"\x01"
    assert decode_column(record, 5) is None
    wide = encode_record(list(range(300)))  # a two-byte header size
    assert decode_column(wide, 299) == 299
    with pytest.raises(CorruptError):
        decode_column(b"\x03\x01", 1)


def test_long_headers_size_themselves():
    # 127 fields of one-byte types make a 128-byte header, whose size varint needs 2 bytes.
    for n in (125, 126, 127, 128, 200, 8191, 8192):
        values = [None] * n
        record = encode_record(values)
        size, pos = read_varint(record, 0)
        assert size == len(record)
        assert size == n + pos
        assert decode_record(record) == values


def test_real_affinity_stores_integral_reals_as_integers():
    record = encode_record([3.0, 3.5, 1e300, -0.0, 2.0**63], "EEEEE")
    types, _ = record_header(record)
    assert types == [1, 7, 7, 8, 7]
    assert decode_record(record) == [3, 3.5, 1e300, 0, 2.0**63]
    assert record_header(encode_record([3.0], "D"))[0] == [7]


def test_encode_rejects_non_sql_values():
    with pytest.raises(TypeError):
        encode_record([object()])
    with pytest.raises(ValueError):
        encode_record([2**63])


# ---------------------------------------------------------------------------
# Records written by the real SQLite
# ---------------------------------------------------------------------------


def _leaf_records(path: str, page_size: int, root: int) -> list[tuple[int, bytes]]:
    """(rowid, record) of every cell on a table leaf page, read straight off the file."""
    with open(path, "rb") as f:
        f.seek((root - 1) * page_size)
        page = f.read(page_size)
    header = 100 if root == 1 else 0
    assert page[header] == 0x0D, "expected a table leaf page"
    (n_cells,) = struct.unpack_from(">H", page, header + 3)
    cells = []
    for k in range(n_cells):
        (ptr,) = struct.unpack_from(">H", page, header + 8 + 2 * k)
        size, pos = read_varint(page, ptr)
        rowid, pos = read_varint(page, pos)
        cells.append((rowid, page[pos : pos + size]))
    return cells


ROWS = [
    (None, 0, 1, -1, 1.5, "text", b"\x00\xffblob"),
    (127, 128, -129, 2**31, 2**47, -(2**63), 2**63 - 1),
    (0.1 + 0.2, -0.0, 1e300, "é€😀", "", b"", 3.0),
    ("12", " 12 ", "1e3", "abc", 12.0, 42, b"42"),
    (32767, 32768, 8388607, 8388608, -8388609, 2**40, -(2**40)),
]


@pytest.mark.parametrize("types", ["", "INTEGER, REAL, TEXT, NUMERIC, BLOB, REAL, REAL"])
def test_records_written_by_sqlite_decode_to_its_rows(tmp_path, types):
    decl = [f"c{i} {t}" for i, t in enumerate(types.split(", ") if types else [""] * 7)]
    path = str(tmp_path / "t.db")
    conn = sqlite3.connect(path)
    conn.execute("PRAGMA page_size=4096")
    conn.execute(f"CREATE TABLE t({', '.join(decl)})")
    conn.executemany("INSERT INTO t VALUES (?, ?, ?, ?, ?, ?, ?)", ROWS)
    conn.commit()
    (root,) = conn.execute("SELECT rootpage FROM sqlite_schema WHERE name='t'").fetchone()
    expected = conn.execute("SELECT rowid, * FROM t ORDER BY rowid").fetchall()
    conn.close()
    cells = _leaf_records(path, 4096, root)
    assert [rowid for rowid, _ in cells] == [row[0] for row in expected]
    for (_, record), row in zip(cells, expected, strict=True):
        decoded = decode_record(record)
        affinity = "".join("E" if t == "REAL" else "A" for t in types.split(", ")) if types else ""
        for i, (got, want) in enumerate(zip(decoded, row[1:], strict=True)):
            if affinity and affinity[i] == "E" and type(got) is int:
                got = float(got)  # the REAL column stored an integral value as an integer
            assert got == want and type(got) is type(want), (i, got, want)
        # and our encoder writes the very same bytes
        values = [
            float(v) if a == "E" and type(v) is int else v
            for v, a in zip(decoded, affinity or "A" * 7, strict=True)
        ]
        assert encode_record(values, affinity or None) == record


@settings(max_examples=60, deadline=None)
@given(st.lists(st.tuples(sql_value, sql_value, sql_value), min_size=1, max_size=8))
def test_random_rows_written_by_sqlite(tmp_path_factory, rows):
    rows = [
        tuple(v for v in row)
        for row in rows
        if not any(isinstance(v, float) and math.isnan(v) for v in row)
    ]
    path = str(tmp_path_factory.mktemp("rec") / "t.db")
    conn = sqlite3.connect(path)
    conn.execute("CREATE TABLE t(a, b, c)")
    conn.executemany("INSERT INTO t VALUES (?, ?, ?)", rows)
    conn.commit()
    (root,) = conn.execute("SELECT rootpage FROM sqlite_schema WHERE name='t'").fetchone()
    (page_size,) = conn.execute("PRAGMA page_size").fetchone()
    (pages,) = conn.execute("PRAGMA page_count").fetchone()
    expected = conn.execute("SELECT * FROM t ORDER BY rowid").fetchall()
    conn.close()
    if pages != root:  # rows spilled onto more pages; this test reads one leaf only
        return
    decoded = [tuple(decode_record(record)) for _, record in _leaf_records(path, page_size, root)]
    assert decoded == expected
    assert [tuple(map(type, r)) for r in decoded] == [tuple(map(type, r)) for r in expected]
    for (_, record), row in zip(_leaf_records(path, page_size, root), expected, strict=True):
        assert encode_record(list(row)) == record


# ---------------------------------------------------------------------------
# Comparing keys
# ---------------------------------------------------------------------------


def test_compare_keys_uses_collations_and_directions():
    info = KeyInfo(2, ["NOCASE", None], [False, True])
    assert compare_keys(["abc", 1], ["ABC", 1], info) == 0
    assert compare_keys(["abc", 1], ["ABC", 2], info) == 1  # second field descending
    assert compare_keys(["a"], ["B", 5], info) == -1
    assert compare_keys(["b"], ["b", 5], info) == 0  # a prefix compares equal
    assert compare_keys([None, 1], [0, 1], info) == -1
    assert compare_keys([1, None], [1, 0], info) == 1  # descending NULL
    assert compare_keys([1, 2, "x"], [1, 2, "y"], KeyInfo(2, [None, None], [False, False])) == -1


def test_compare_keys_nulls_last():
    info = KeyInfo(1, [None], [False], [True])
    assert compare_keys([None], [5], info) == 1
    assert compare_keys([5], [None], info) == -1
    assert compare_keys([None], [None], info) == 0
    desc_nulls_first = KeyInfo(1, [None], [True], [True])
    assert compare_keys([None], [5], desc_nulls_first) == -1


def test_compare_keys_matches_sqlite_order_by():
    conn = sqlite3.connect(":memory:")
    conn.execute("CREATE TABLE k(a, b)")
    values = [None, 1, 2.5, "a", "B", "b ", "b", b"\x00", -3, "A"]
    conn.executemany("INSERT INTO k VALUES (?, ?)", [(v, w) for v in values for w in values[:4]])
    rows = conn.execute("SELECT a, b FROM k ORDER BY a COLLATE NOCASE DESC, b").fetchall()
    info = KeyInfo(2, ["NOCASE", None], [True, False])
    for x, y in zip(rows, rows[1:], strict=False):
        assert compare_keys(list(x), list(y), info) <= 0


def _index_leaf_keys(path: str, page_size: int, root: int) -> list[list]:
    """The decoded keys of an index leaf page, in the order SQLite keeps them."""
    with open(path, "rb") as f:
        f.seek((root - 1) * page_size)
        page = f.read(page_size)
    assert page[0] == 0x0A, "expected an index leaf page"
    (n_cells,) = struct.unpack_from(">H", page, 3)
    keys = []
    for k in range(n_cells):
        (ptr,) = struct.unpack_from(">H", page, 8 + 2 * k)
        size, pos = read_varint(page, ptr)
        keys.append(decode_record(page[pos : pos + size]))
    return keys


INDEX_VALUES = [
    None,
    0,
    1,
    -1,
    2.5,
    1.0,
    2**53 + 1,
    2.0**53,
    "a",
    "A",
    "b",
    "B",
    "a ",
    "",
    "é",
    "É",
    b"",
    b"\x00",
    b"a",
    "10",
    "9",
]


@pytest.mark.parametrize(
    ("columns", "key_info"),
    [
        ("x, y", KeyInfo(2, [None, None], [False, False])),
        ("x COLLATE NOCASE DESC, y", KeyInfo(2, ["NOCASE", None], [True, False])),
        ("x COLLATE RTRIM, y DESC", KeyInfo(2, ["RTRIM", None], [False, True])),
    ],
)
def test_compare_keys_agrees_with_sqlite_index_order(tmp_path, columns, key_info):
    path = str(tmp_path / "i.db")
    conn = sqlite3.connect(path)
    conn.execute("PRAGMA page_size=65536")
    conn.execute("CREATE TABLE t(x, y)")
    conn.executemany(
        "INSERT INTO t VALUES (?, ?)",
        [(x, y) for x in INDEX_VALUES for y in (None, 1, "a", 2.5)],
    )
    conn.execute(f"CREATE INDEX i ON t({columns})")
    conn.commit()
    (root,) = conn.execute("SELECT rootpage FROM sqlite_schema WHERE name='i'").fetchone()
    conn.close()
    keys = _index_leaf_keys(path, 65536, root)
    assert len(keys) == len(INDEX_VALUES) * 4
    for earlier, later in zip(keys, keys[1:], strict=False):
        assert compare_keys(earlier, later, key_info) < 0, (earlier, later)
        assert compare_keys(later, earlier, key_info) > 0
        assert compare_keys(earlier[:2], later[:2], key_info) <= 0


@pytest.mark.parametrize(
    ("order", "key_info"),
    [
        ("x NULLS LAST, y", KeyInfo(2, [None, None], [False, False], [True, False])),
        ("x DESC NULLS FIRST, y", KeyInfo(2, [None, None], [True, False], [True, False])),
        ("x COLLATE NOCASE DESC NULLS LAST, y", KeyInfo(2, ["NOCASE"], [True], [False])),
    ],
)
def test_compare_keys_agrees_with_sqlite_order_by(order, key_info):
    conn = sqlite3.connect(":memory:")
    conn.execute("CREATE TABLE t(x, y)")
    rows = [(x, y) for x in INDEX_VALUES for y in (None, 1, "a")]
    conn.executemany("INSERT INTO t VALUES (?, ?)", rows)
    ordered = [list(r) for r in conn.execute(f"SELECT x, y FROM t ORDER BY {order}")]
    for earlier, later in zip(ordered, ordered[1:], strict=False):
        assert compare_keys(earlier, later, key_info) <= 0, (earlier, later)
