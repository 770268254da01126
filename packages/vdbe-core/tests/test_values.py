"""Values, conversions, affinity and comparison, checked against the real SQLite.

Each test asks Python's sqlite3 (SQLite 3.40) what an expression gives for a broad set
of values of every storage class, and compares value AND type with vdbe.values.
"""

from __future__ import annotations

import math
import sqlite3

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from vdbe import values as sv
from vdbe.collation import COLLATIONS, get_collation
from vdbe.errors import SqlError

# Text that exercises the number readers: prefixes, spaces, exponents, overflow.
NUMERIC_TEXTS = [
    "",
    " ",
    "0",
    "-0",
    "+0",
    "00012",
    "1",
    "-1",
    "+7",
    " 12",
    "12 ",
    " 12 ",
    "\t12\n",
    "12abc",
    " 12abc",
    "abc",
    "1.0",
    "1.",
    ".5",
    ".",
    "-.5",
    "1.5",
    "-1.5",
    "3.0abc",
    "12.5abc",
    "1e3",
    "1E3",
    "1e+3",
    "1e-3",
    "1e",
    "1e+",
    "1.5e",
    "1.5e+",
    "e5",
    ".e5",
    "0x10",
    "0X1F",
    "1_000",
    "1,5",
    "--1",
    "+-1",
    "- 1",
    "9223372036854775807",
    "9223372036854775808",
    "-9223372036854775808",
    "-9223372036854775809",
    "99999999999999999999",
    "99999999999999999999x",
    "123456789012345678901234567890",
    "0.1",
    "0.30000000000000004",
    "1e308",
    "1e309",
    "-1e309",
    "1e-400",
    "4.9e-324",
    "1e400x",
    "   -3.25e2  ",
    "3.0",
    "-0.0",
    "0.0",
    "1.000000000000000000001",
    "18446744073709551616",
    "9223372036854775807.5",
    "922337203685477580.7",
    "12345678901234567890.123",
    "0.000000000000000000000000123456789",
    "Inf",
    "NaN",
    "١٢",
    "½",
    "12\x00",
    "\u00a012",
    "1 2",
    "5 ",
]

NUMBERS = [
    0,
    1,
    -1,
    2,
    42,
    -42,
    127,
    128,
    255,
    256,
    32767,
    32768,
    -32769,
    2**31,
    -(2**31) - 1,
    2**47,
    2**53,
    2**53 + 1,
    -(2**53) - 1,
    2**62,
    2**63 - 1,
    -(2**63),
    -(2**63) + 1,
    0.0,
    -0.0,
    0.5,
    -0.5,
    1.0,
    -1.0,
    1.5,
    2.5,
    3.0,
    0.1,
    0.1 + 0.2,
    1e15,
    1e14,
    1e16,
    1e-4,
    1e-5,
    123.456,
    1e100,
    -1e100,
    1e308,
    5e-324,
    2.0**53,
    2.0**63,
    -(2.0**63),
    2.0**64,
    9.223372036854775e18,
    1e300,
    math.inf,
    -math.inf,
    123456789012345.5,
    123456789012344.5,
    1000000000000005.0,
    99999999999999.99,
    0.000123456789012345678,
    1 / 3,
    2 / 3,
    1e21,
    1e22,
    4503599627370497.0,
]

BLOBS = [b"", b"\x00", b"12", b" 12abc", b"1e3", b"abc", b"\xff\xfe", b"3.5", b"\x00\x01\x02"]

ALL_VALUES = [
    None,
    *NUMBERS,
    *NUMERIC_TEXTS,
    *BLOBS,
    "hello",
    "Hello",
    "HELLO",
    "héllo",
    "a ",
    "a",
    "a  ",
    "b",
    "é",
    "É",
    "\U0001f600",
]


def same(a, b) -> bool:
    """Equal value and equal storage class (and -0.0 and NaN handled)."""
    if type(a) is not type(b):
        return False
    if isinstance(a, float):
        if math.isnan(a) or math.isnan(b):
            return math.isnan(a) and math.isnan(b)
        return a == b
    return a == b


def one(db, sql, *args):
    return db.execute(sql, args).fetchone()[0]


def ids(v):
    return repr(v)[:40]


# ---------------------------------------------------------------------------
# typeof
# ---------------------------------------------------------------------------


@pytest.mark.parametrize("v", ALL_VALUES, ids=ids)
def test_type_name_matches_typeof(db, v):
    assert sv.type_name(v) == one(db, "SELECT typeof(?)", v)


# ---------------------------------------------------------------------------
# Text to number
# ---------------------------------------------------------------------------


@pytest.mark.parametrize("v", ALL_VALUES, ids=ids)
def test_to_numeric_matches_arithmetic(db, v):
    expected = one(db, "SELECT ? + 0", v)
    got = sv.to_numeric(v)
    if got is not None:
        got = got + 0  # -0.0 + 0 is 0.0, as in SQLite
    assert same(got, expected), (v, got, expected)


@pytest.mark.parametrize("v", ALL_VALUES, ids=ids)
@pytest.mark.parametrize("kind", ["INTEGER", "REAL", "NUMERIC", "TEXT", "BLOB"])
def test_cast_matches_sqlite(db, v, kind):
    letter = {"INTEGER": "D", "REAL": "E", "NUMERIC": "C", "TEXT": "B", "BLOB": "A"}[kind]
    expected = one(db, f"SELECT CAST(? AS {kind})", v)
    got = sv.cast(v, letter)
    assert same(got, expected), (v, got, expected)


def test_to_int_and_to_real_are_the_casts():
    assert sv.to_int("12.9") == 12
    assert sv.to_int("1e3") == 1
    assert sv.to_int(1e300) == 2**63 - 1
    assert sv.to_int(-1e300) == -(2**63)
    assert sv.to_int(-2.9) == -2
    assert sv.to_int(None) is None
    assert sv.to_real("12abc") == 12.0
    assert sv.to_real(b"2.5") == 2.5
    assert sv.to_real(None) is None


def test_to_numeric_examples():
    assert sv.to_numeric(" 12abc") == 12
    assert same(sv.to_numeric("1e3"), 1000.0)
    assert sv.to_numeric("0x10") == 0
    assert same(sv.to_numeric(b"7"), 7)
    assert sv.to_numeric(None) is None


# ---------------------------------------------------------------------------
# Number to text
# ---------------------------------------------------------------------------


@pytest.mark.parametrize("v", ALL_VALUES, ids=ids)
def test_to_text_matches_cast(db, v):
    assert same(sv.to_text(v), one(db, "SELECT CAST(? AS TEXT)", v))


def test_real_to_text_examples():
    assert sv.real_to_text(0.1 + 0.2) == "0.3"
    assert sv.real_to_text(1e100) == "1.0e+100"
    assert sv.real_to_text(1.0) == "1.0"
    assert sv.real_to_text(float(2**63)) == "9.22337203685478e+18"
    assert sv.real_to_text(math.inf) == "Inf"
    assert sv.real_to_text(-math.inf) == "-Inf"
    assert sv.real_to_text(1e-5) == "1.0e-05"
    assert sv.real_to_text(-2.5) == "-2.5"


@settings(max_examples=300, deadline=None)
@given(st.floats(allow_nan=False))
def test_real_to_text_property(f):
    conn = _shared_conn()
    assert sv.real_to_text(f) == one(conn, "SELECT CAST(? AS TEXT)", f)


@settings(max_examples=200, deadline=None)
@given(st.integers(min_value=-(10**17), max_value=10**17), st.integers(-30, 30))
def test_real_to_text_near_ties(mantissa, exponent):
    # Values written with 16-18 digits often sit on or near a rounding tie at 15.
    f = float(f"{mantissa}e{exponent}")
    conn = _shared_conn()
    assert sv.real_to_text(f) == one(conn, "SELECT CAST(? AS TEXT)", f)


_CONN: list[sqlite3.Connection] = []


def _shared_conn() -> sqlite3.Connection:
    if not _CONN:
        conn = sqlite3.connect(":memory:")
        conn.text_factory = lambda b: b.decode("utf-8", "replace")
        _CONN.append(conn)
    return _CONN[0]


number_text = st.one_of(
    st.from_regex(
        r"[ \t]{0,2}[-+]?[0-9]{0,22}(\.[0-9]{0,22})?([eE][-+]?[0-9]{0,4})?[ a-z]{0,2}",
        fullmatch=True,
    ),
    st.integers(-(2**70), 2**70).map(str),
    st.floats(allow_nan=False).map(repr),
)


@settings(max_examples=400, deadline=None)
@given(number_text)
def test_text_to_number_property(text):
    conn = _shared_conn()
    got = sv.to_numeric(text) + 0  # SQLite's ? + 0 turns -0.0 into 0.0
    assert same(got, one(conn, "SELECT ? + 0", text))
    for kind, letter in (("INTEGER", "D"), ("REAL", "E"), ("NUMERIC", "C")):
        assert same(sv.cast(text, letter), one(conn, f"SELECT CAST(? AS {kind})", text)), kind


# ---------------------------------------------------------------------------
# Column affinity
# ---------------------------------------------------------------------------

AFFINITY_COLUMNS = {"A": "BLOB", "B": "TEXT", "C": "NUMERIC", "D": "INTEGER", "E": "REAL"}


@pytest.fixture(scope="module")
def affinity_table(db):
    db.execute("CREATE TABLE aff(a BLOB, b TEXT, c NUMERIC, d INTEGER, e REAL)")
    return "aff"


@pytest.mark.parametrize("v", ALL_VALUES, ids=ids)
def test_apply_affinity_matches_column_storage(db, affinity_table, v):
    db.execute("DELETE FROM aff")
    db.execute("INSERT INTO aff VALUES (?, ?, ?, ?, ?)", (v,) * 5)
    row = db.execute("SELECT a, b, c, d, e FROM aff").fetchone()
    for letter, expected in zip("ABCDE", row, strict=True):
        got = sv.apply_affinity(v, letter)
        assert same(got, expected), (letter, v, got, expected)


@settings(max_examples=200, deadline=None)
@given(number_text)
def test_apply_affinity_property(text):
    conn = _shared_conn()
    conn.execute("CREATE TABLE IF NOT EXISTS aff(a BLOB, b TEXT, c NUMERIC, d INTEGER, e REAL)")
    conn.execute("DELETE FROM aff")
    conn.execute("INSERT INTO aff VALUES (?, ?, ?, ?, ?)", (text,) * 5)
    row = conn.execute("SELECT a, b, c, d, e FROM aff").fetchone()
    for letter, expected in zip("ABCDE", row, strict=True):
        assert same(sv.apply_affinity(text, letter), expected), letter


def test_affinity_examples():
    assert sv.apply_affinity("3.0", sv.AFF_NUMERIC) == 3
    assert same(sv.apply_affinity(3, sv.AFF_REAL), 3.0)
    assert sv.apply_affinity("12abc", sv.AFF_INTEGER) == "12abc"
    assert sv.apply_affinity(12, sv.AFF_TEXT) == "12"
    assert sv.apply_affinity(b"12", sv.AFF_NUMERIC) == b"12"
    assert sv.apply_affinity("x", sv.AFF_BLOB) == "x"


# ---------------------------------------------------------------------------
# Comparison and truth
# ---------------------------------------------------------------------------

COMPARE_VALUES = [
    None,
    0,
    1,
    -1,
    2**53,
    2**53 + 1,
    2**63 - 1,
    -(2**63),
    0.5,
    1.0,
    2.0**53,
    2.0**63,
    -(2.0**63),
    9.223372036854775e18,
    math.inf,
    -math.inf,
    "",
    "1",
    "10",
    "9",
    "a",
    "A",
    "a ",
    "b",
    "B",
    "é",
    "É",
    b"",
    b"\x00",
    b"1",
    b"a",
    b"ab",
]


@pytest.mark.parametrize("a", COMPARE_VALUES, ids=ids)
def test_compare_matches_sqlite(db, a):
    for b in COMPARE_VALUES:
        for coll in ("BINARY", "NOCASE", "RTRIM"):
            lt, eq, gt = db.execute(
                f"SELECT ? < ? COLLATE {coll}, ? = ? COLLATE {coll}, ? > ? COLLATE {coll}",
                (a, b) * 3,
            ).fetchone()
            if a is None or b is None:
                assert lt is None
                continue
            expected = -1 if lt else (1 if gt else 0)
            assert eq == (expected == 0)
            assert sv.compare(a, b, coll) == expected, (a, b, coll)


any_value = st.one_of(
    st.none(),
    st.integers(-(2**63), 2**63 - 1),
    st.floats(allow_nan=False),
    st.text(st.characters(blacklist_categories=("Cs",)), max_size=6),
    st.binary(max_size=6),
)


@settings(max_examples=300, deadline=None)
@given(any_value, any_value, st.sampled_from(["BINARY", "NOCASE", "RTRIM"]))
def test_compare_property(a, b, coll):
    conn = _shared_conn()
    lt, gt = conn.execute(
        f"SELECT ? < ? COLLATE {coll}, ? > ? COLLATE {coll}", (a, b, a, b)
    ).fetchone()
    if a is None or b is None:
        assert lt is None
        return
    assert sv.compare(a, b, coll) == (-1 if lt else (1 if gt else 0))


def test_compare_orders_classes():
    assert sv.compare(None, -(10**9)) == -1
    assert sv.compare(10**9, "") == -1
    assert sv.compare("zzz", b"") == -1
    assert sv.compare(None, None) == 0
    assert sv.compare(2**53 + 1, 2.0**53) == 1
    assert sv.compare(1, 1.0) == 0


@pytest.mark.parametrize("v", ALL_VALUES, ids=ids)
def test_is_true_matches_sqlite(db, v):
    expected = one(db, "SELECT CASE WHEN ? THEN 1 WHEN NOT ? THEN 0 END", v, v)
    got = sv.is_true(v)
    assert (None if got is None else int(got)) == expected


# ---------------------------------------------------------------------------
# Collations
# ---------------------------------------------------------------------------


def test_collations_registered():
    assert set(COLLATIONS) == {"BINARY", "NOCASE", "RTRIM"}
    assert get_collation("nocase")("ABC", "abc") == 0
    assert get_collation("NOCASE")("É", "é") == -1  # ASCII only
    assert get_collation("RTRIM")("a  ", "a") == 0
    assert get_collation("RTRIM")("a\t", "a") == 1
    assert get_collation(None)("a", "b") == -1
    assert get_collation("B")("b", "a") == 1


def test_unknown_collation_is_an_sql_error():
    with pytest.raises(SqlError, match="no such collation sequence: FRENCH"):
        get_collation("FRENCH")
