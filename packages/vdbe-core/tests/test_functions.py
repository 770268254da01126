"""The SQL functions, checked call by call against the real SQLite.

For every scalar function, every combination of arguments from a pool of values of all
storage classes is sent to `SELECT f(?, ...)` and to our implementation; results must
agree in value and type, and errors must carry SQLite's message.
"""

from __future__ import annotations

import itertools
import math
import sqlite3

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from vdbe.errors import SqlError
from vdbe.functions import AGGREGATES, SCALARS, lookup_aggregate, lookup_scalar

POOL = [
    None,
    0,
    1,
    -1,
    2,
    3,
    -3,
    7,
    100,
    2**31,
    2**63 - 1,
    -(2**63),
    0.0,
    -0.0,
    0.5,
    1.5,
    -2.5,
    2.675,
    3.14159,
    1e100,
    -1e-7,
    math.inf,
    "abc",
    "ABC",
    "",
    " a b ",
    "héllo",
    "12",
    "1.5",
    "-3",
    " 7x",
    "a%b_c",
    "x\x00y",
    b"",
    b"abc",
    b"\x00\x01",
    b"12",
    b"\xc3\xa9t",
]

SMALL_POOL = [
    None,
    0,
    1,
    -1,
    2,
    -2,
    4,
    1.5,
    -0.5,
    "2",
    "abc",
    "",
    "é€",
    b"ab",
    b"",
    b"",
    1e100,
    -(2**63),
]


def same(a, b) -> bool:
    if type(a) is not type(b):
        return False
    if isinstance(a, float) and math.isnan(a):
        return math.isnan(b)
    return a == b


def sqlite_call(db, sql, args):
    """('ok', value) or ('error', message) from the real SQLite."""
    try:
        return "ok", db.execute(sql, args).fetchone()[0]
    except sqlite3.OperationalError as exc:
        return "error", str(exc)
    except sqlite3.DataError as exc:  # string or blob too big
        return "error", str(exc)


def our_call(func, args, **kw):
    try:
        return "ok", func(*args, **kw)
    except SqlError as exc:
        return "error", exc.message


def check(db, sql, func, args, **kw):
    want_kind, want = sqlite_call(db, sql, args)
    got_kind, got = our_call(func, args, **kw)
    assert got_kind == want_kind, (sql, args, got, want)
    if want_kind == "ok":
        assert same(got, want), (sql, args, got, want)
    else:
        assert got == want, (sql, args)


DETERMINISTIC = [
    ("abs", 1, POOL),
    ("length", 1, POOL),
    ("upper", 1, POOL),
    ("lower", 1, POOL),
    ("hex", 1, POOL),
    ("quote", 1, POOL),
    ("typeof", 1, POOL),
    ("unicode", 1, POOL),
    ("sign", 1, POOL),
    ("round", 1, POOL),
    ("trim", 1, POOL),
    ("ltrim", 1, POOL),
    ("rtrim", 1, POOL),
    ("likely", 1, POOL),
    ("zeroblob", 1, [None, 0, 1, 5, -3, 2.9, "3", "abc", b"2"]),
    ("char", 1, [None, 0, 65, 0xE9, 0x1F600, -1, 0x110000, 97.9, "66", "abc"]),
    ("round", 2, SMALL_POOL),
    ("trim", 2, SMALL_POOL),
    ("ltrim", 2, SMALL_POOL),
    ("rtrim", 2, SMALL_POOL),
    ("instr", 2, SMALL_POOL),
    ("ifnull", 2, SMALL_POOL),
    ("nullif", 2, SMALL_POOL),
    ("substr", 2, SMALL_POOL),
    ("glob", 2, SMALL_POOL),
    ("like", 2, SMALL_POOL),
    ("min", 2, SMALL_POOL),
    ("max", 2, SMALL_POOL),
    ("coalesce", 2, SMALL_POOL),
    ("char", 2, [None, 65, 0x20AC, -5]),
    ("substr", 3, [None, "héllo", b"\x01\x02\x03\x04", 12345, 0, 1, 2, -1, -2, 3, -7, 10]),
    ("replace", 3, [None, "", "aXbXc", "X", "yy", 5, 1.5, b"X", "é"]),
    ("iif", 3, [None, 0, 1, "1", "a", 0.5]),
    ("min", 3, [None, 1, 1.0, "a", "A", b"a", -1]),
    ("max", 3, [None, 1, 1.0, "a", "A", b"a", -1]),
    ("coalesce", 3, [None, 1, "x"]),
    ("soundex", 1, POOL + ["Robert", "Tymczak", "Ashcraft", "  lee", "Pfister", "héllo", "1a"]),
]

MATH_POOL = [
    None,
    0,
    1,
    -1,
    2,
    10,
    100,
    0.5,
    -0.5,
    2.5,
    -2.5,
    1e308,
    -1e308,
    1e-310,
    1000,
    -1000,
    math.inf,
    -math.inf,
    2**63 - 1,
    -(2**63),
    "4",
    "2.5",
    "x",
    "1e2",
    " 3 ",
    "3x",
    b"4",
    "",
    9.5,
    -9.5,
]
MATH_ONE = [
    "acos",
    "acosh",
    "asin",
    "asinh",
    "atan",
    "atanh",
    "ceil",
    "ceiling",
    "cos",
    "cosh",
    "degrees",
    "exp",
    "floor",
    "ln",
    "log",
    "log10",
    "log2",
    "radians",
    "sin",
    "sinh",
    "sqrt",
    "tan",
    "tanh",
    "trunc",
]
MATH_TWO = ["atan2", "log", "mod", "pow", "power"]
DETERMINISTIC += [(name, 1, MATH_POOL) for name in MATH_ONE]
DETERMINISTIC += [(name, 2, MATH_POOL[:20]) for name in MATH_TWO]
DETERMINISTIC += [("pi", 0, [])]


@pytest.mark.parametrize(
    ("name", "nargs", "pool"), DETERMINISTIC, ids=[f"{n}/{k}" for n, k, _ in DETERMINISTIC]
)
def test_scalar_matches_sqlite(db, name, nargs, pool):
    func = lookup_scalar(name, nargs)
    sql = f"SELECT {name}({', '.join('?' * nargs)})"
    for args in itertools.product(pool, repeat=nargs):
        check(db, sql, func, args)


@pytest.mark.parametrize("name", ["min", "max", "nullif", "instr"])
@pytest.mark.parametrize("coll", ["NOCASE", "RTRIM", "BINARY"])
def test_collation_reaches_functions(db, name, coll):
    func = lookup_scalar(name, 2)
    pool = ["a", "A", "a ", "b", "B", 1, None]
    for args in itertools.product(pool, repeat=2):
        sql = f"SELECT {name}(? COLLATE {coll}, ?)"
        if name == "instr":  # instr() ignores collations in SQLite 3.40
            check(db, sql, func, args)
        else:
            check(db, sql, func, args, coll=coll)


def test_substr_edge_positions(db):
    func = lookup_scalar("substr", 3)
    for text in ["abcdef", "héllo wörld", b"\x00\x01\x02\x03\x04\x05"]:
        for start in range(-9, 10):
            for count in range(-9, 10):
                check(db, "SELECT substr(?, ?, ?)", func, (text, start, count))
    check(db, "SELECT substr(?, ?, ?)", func, ("abc", 2**32 + 2, 1))
    check(db, "SELECT substr(?, ?, ?)", func, ("abc", 1, 2**32 + 1))


def test_round_matches_sqlite_on_many_reals(db):
    func = lookup_scalar("round", 2)
    values = [0.5, 1.5, 2.5, -0.5, -1.5, 0.125, 0.375, 1.005, 2.675, 1.45, 1.55, 1234.5678]
    values += [x / 1000 for x in range(-2000, 2000, 7)] + [1e15 + 0.5, 4503599627370497.5]
    for x in values:
        for digits in (0, 1, 2, 3, 5, 10, 15, 31, -1):
            check(db, "SELECT round(?, ?)", func, (x, digits))


@settings(max_examples=300, deadline=None)
@given(st.floats(allow_nan=False, min_value=-1e17, max_value=1e17), st.integers(-1, 20))
def test_round_property(x, digits):
    conn = _conn()
    assert same(
        lookup_scalar("round", 2)(x, digits),
        conn.execute("SELECT round(?, ?)", (x, digits)).fetchone()[0],
    )


_CONN: list[sqlite3.Connection] = []


def _conn() -> sqlite3.Connection:
    if not _CONN:
        conn = sqlite3.connect(":memory:")
        conn.text_factory = lambda b: b.decode("utf-8", "replace")
        _CONN.append(conn)
    return _CONN[0]


def test_random_functions():
    random = lookup_scalar("random", 0)
    values = {random() for _ in range(50)}
    assert len(values) > 40
    assert all(type(v) is int and -(2**63) <= v < 2**63 for v in values)
    blob = lookup_scalar("randomblob", 1)
    assert len(blob(16)) == 16 and type(blob(16)) is bytes
    assert len(blob(0)) == 1 and len(blob(None)) == 1


def test_errors_carry_sqlite_messages(db):
    check(db, "SELECT abs(?)", lookup_scalar("abs", 1), (-(2**63),))
    check(db, "SELECT zeroblob(?)", lookup_scalar("zeroblob", 1), (2_000_000_000,))
    with pytest.raises(SqlError, match="no such function: nosuch"):
        lookup_scalar("nosuch", 1)
    with pytest.raises(SqlError, match=r"wrong number of arguments to function abs\(\)"):
        lookup_scalar("abs", 2)
    assert lookup_scalar("UPPER", 1) is SCALARS[("upper", 1)]
    assert lookup_aggregate("Count", 0) is AGGREGATES[("count", 0)]


# ---------------------------------------------------------------------------
# LIKE and GLOB
# ---------------------------------------------------------------------------

LIKE_TEXTS = [
    "",
    "a",
    "A",
    "abc",
    "ABC",
    "aXc",
    "a_c",
    "a%c",
    "abcabc",
    "é",
    "É",
    "ab\ncd",
    "%",
    "_",
]
LIKE_PATTERNS = [
    "",
    "%",
    "_",
    "a",
    "A",
    "a%",
    "%c",
    "%b%",
    "a_c",
    "A_C",
    "a\\_c",
    "a\\%c",
    "%%",
    "_%_",
    "é",
    "É",
    "a%c%",
    "\\",
    "ab\\",
    "a%%c",
    "%a%b%c%",
    "a_",
    "__c",
    "ab%cd",
]


def test_like_matches_sqlite(db):
    like = lookup_scalar("like", 2)
    for text in LIKE_TEXTS:
        for pattern in LIKE_PATTERNS:
            check(db, "SELECT ? LIKE ?", lambda t, p: like(p, t), (text, pattern))


def test_like_with_escape_matches_sqlite(db):
    like3 = lookup_scalar("like", 3)
    for text in LIKE_TEXTS:
        for pattern in LIKE_PATTERNS:
            for esc in ["\\", "%", "_", "a", "é"]:
                check(
                    db,
                    "SELECT ? LIKE ? ESCAPE ?",
                    lambda t, p, e: like3(p, t, e),
                    (text, pattern, esc),
                )


def test_like_examples():
    like = lookup_scalar("like", 2)
    assert like("a%", "ABC") == 1
    assert like("a_c", "abc") == 1
    assert like("a_c", "abbc") == 0
    assert like("é", "É") == 0  # only ASCII letters fold
    assert like("%", None) is None
    assert lookup_scalar("like", 3)("10!%", "10%", "!") == 1


def test_like_escape_must_be_one_character(db):
    like3 = lookup_scalar("like", 3)
    for esc in ["", "ab", None]:
        check(db, "SELECT ? LIKE ? ESCAPE ?", lambda t, p, e: like3(p, t, e), ("a", "a", esc))


GLOB_PATTERNS = [
    "",
    "*",
    "?",
    "a*",
    "*c",
    "a?c",
    "[abc]",
    "[a-c]*",
    "[^a]*",
    "[]]",
    "[]a]*",
    "[^]]",
    "[z-a]",
    "[a-]",
    "[-a]",
    "[",
    "[a",
    "a[bc",
    "A*",
    "*[0-9]*",
    "é?",
    "[é]",
    "a\\*",
    "**",
]
GLOB_TEXTS = ["", "a", "b", "z", "abc", "ABC", "]", "-", "a1b", "é", "éa", "a*", "[", "a\\b"]


def test_glob_matches_sqlite(db):
    glob = lookup_scalar("glob", 2)
    for text in GLOB_TEXTS:
        for pattern in GLOB_PATTERNS:
            check(db, "SELECT ? GLOB ?", lambda t, p: glob(p, t), (text, pattern))


@settings(max_examples=300, deadline=None)
@given(
    st.text(alphabet="ab%_\\", max_size=6),
    st.text(alphabet="abAB%_\\", max_size=6),
    st.text(alphabet="ab*?[]^-", max_size=6),
)
def test_pattern_property(text, like_pattern, glob_pattern):
    conn = _conn()
    like = lookup_scalar("like", 3)
    glob = lookup_scalar("glob", 2)
    assert (
        like(like_pattern, text, "\\")
        == conn.execute("SELECT ? LIKE ? ESCAPE '\\'", (text, like_pattern)).fetchone()[0]
    )
    assert (
        glob(glob_pattern, text)
        == conn.execute("SELECT ? GLOB ?", (text, glob_pattern)).fetchone()[0]
    )


# ---------------------------------------------------------------------------
# printf
# ---------------------------------------------------------------------------

FORMATS = [
    "%d",
    "%i",
    "%5d",
    "%-5d|",
    "%05d",
    "%+d",
    "% d",
    "%,d",
    "%.3d",
    "%u",
    "%x",
    "%X",
    "%#x",
    "%#o",
    "%o",
    "%08.3d",
    "%lld",
    "%c",
    "%3c",
    "%-3c|",
    "%.3c",
    "%s",
    "%.2s",
    "%5s",
    "%-5s|",
    "%!.2s",
    "%!5s",
    "%q",
    "%Q",
    "%w",
    "%.3q",
    "%f",
    "%.2f",
    "%10.3f",
    "%-10.1f|",
    "%010.2f",
    "%+.1f",
    "%#.0f",
    "%.0f",
    "%e",
    "%.3e",
    "%E",
    "%g",
    "%G",
    "%.3g",
    "%#g",
    "%!g",
    "%!.20g",
    "%!.15g",
    "%.30f",
    "%%",
    "%z",
    "%n",
    "%p",
    "%r",
    "%5.1e",
    "%*d",
    "%.*f",
    "%-*d|",
    "x%yz",
    "%",
    "abc",
    "%d %s %f",
    "%,.3d",
    "%#X",
    "%+5.3s",
    "% 05d",
    "%0-5d|",
    "",
    "%y",
    "a%yb",
    "%!.3q",
    "%!5c",
    "%.1s",
]
PRINTF_ARGS = [
    None,
    0,
    1,
    -1,
    42,
    -42,
    1234567,
    2**63 - 1,
    -(2**63),
    0.0,
    0.5,
    -2.5,
    3.14159,
    1e100,
    1e-5,
    123456789.123,
    math.inf,
    "",
    "abc",
    'it\'s "q"',
    "héllo",
    b"xy",
    "12",
    2.675,
    0.1 + 0.2,
]


def test_printf_matches_sqlite(db):
    printf = lookup_scalar("printf", -1)
    for fmt in FORMATS:
        # (a '*' takes its width from the argument: huge ones are tested separately)
        for arg in PRINTF_ARGS if "*" not in fmt else PRINTF_ARGS[:8]:
            check(db, "SELECT printf(?, ?)", printf, (fmt, arg))
            check(db, "SELECT printf(?, ?, ?)", printf, (fmt, 7, arg))
        check(db, "SELECT printf(?)", printf, (fmt,))


def test_printf_and_format_edges(db):
    printf = lookup_scalar("printf", -1)
    check(db, "SELECT printf(?)", printf, (None,))
    check(db, "SELECT format(?, ?)", lookup_scalar("format", -1), ("%05.1f", 2.25))
    check(db, "SELECT printf(?, ?, ?, ?)", printf, ("%s-%d-%f", "a", "12abc", "1e3"))
    check(db, "SELECT printf(?, ?, ?)", printf, ("%*.*f", 10, 3.14159))
    check(db, "SELECT printf(?, ?, ?, ?)", printf, ("%*.*f", -10, 2, 3.14159))


@settings(max_examples=400, deadline=None)
@given(
    st.floats(allow_nan=False),
    st.sampled_from(["f", "e", "g", "E", "G"]),
    st.integers(0, 25),
    st.sampled_from(["", "!", "#", "+", "-", "0", " "]),
)
def test_printf_float_property(x, conv, precision, flag):
    fmt = f"%{flag}12.{precision}{conv}"
    conn = _conn()
    expected = conn.execute("SELECT printf(?, ?)", (fmt, x)).fetchone()[0]
    assert lookup_scalar("printf", -1)(fmt, x) == expected


@settings(max_examples=200, deadline=None)
@given(
    st.integers(-(2**63), 2**63 - 1),
    st.sampled_from(["d", "u", "x", "X", "o", "i"]),
    st.sampled_from(["", "#", "+", "-", "0", " ", ","]),
    st.integers(0, 25),
)
def test_printf_integer_property(n, conv, flag, width):
    fmt = f"%{flag}{width}{conv}"
    conn = _conn()
    expected = conn.execute("SELECT printf(?, ?)", (fmt, n)).fetchone()[0]
    assert lookup_scalar("printf", -1)(fmt, n) == expected


# ---------------------------------------------------------------------------
# Aggregates
# ---------------------------------------------------------------------------

AGG_COLUMNS = [
    [],
    [None],
    [None, None],
    [1, 2, 3],
    [1, 2.5, None, 4],
    ["1", "2", "x"],
    ["3.0", 2],
    [2**63 - 1, 1],
    [2**63 - 1, 1, -5],
    [-(2**63), -1],
    [2**62, 2**62],
    [1.5, "abc", b"12", None],
    ["b", "a", "C", "B"],
    ["a", "A", "a ", 1, 1.0, b"a", None],
    ["", None, ""],
    [1e308, 1e308],
]

AGG_SQL = {
    ("count", 0): "count(*)",
    ("count", 1): "count(x)",
    ("sum", 1): "sum(x)",
    ("total", 1): "total(x)",
    ("avg", 1): "avg(x)",
    ("min", 1): "min(x)",
    ("max", 1): "max(x)",
    ("group_concat", 1): "group_concat(x)",
    ("group_concat", 2): "group_concat(x, '; ')",
}


def run_aggregate(key, values, coll=None):
    cls = lookup_aggregate(*key)
    state = cls(coll=coll) if coll else cls()
    for v in values:
        if key[1] == 0:
            state.step()
        elif key[1] == 2:
            state.step(v, "; ")
        else:
            state.step(v)
    return state.final()


@pytest.mark.parametrize("column", AGG_COLUMNS, ids=lambda c: repr(c)[:40])
@pytest.mark.parametrize("key", list(AGG_SQL), ids=lambda k: f"{k[0]}/{k[1]}")
def test_aggregate_matches_sqlite(db, key, column):
    db.execute("DROP TABLE IF EXISTS agg")
    db.execute("CREATE TABLE agg(x)")
    db.executemany("INSERT INTO agg VALUES (?)", [(v,) for v in column])
    want_kind, want = sqlite_call(db, f"SELECT {AGG_SQL[key]} FROM agg", ())
    try:
        got_kind, got = "ok", run_aggregate(key, column)
    except SqlError as exc:
        got_kind, got = "error", exc.message
    assert (got_kind, got) == (want_kind, want) and same(got, want)


@pytest.mark.parametrize("coll", ["NOCASE", "RTRIM"])
@pytest.mark.parametrize("name", ["min", "max"])
def test_aggregate_collation(db, name, coll):
    column = ["b", "a ", "A", "B", "a", None, "c "]
    db.execute("DROP TABLE IF EXISTS agg")
    db.execute("CREATE TABLE agg(x)")
    db.executemany("INSERT INTO agg VALUES (?)", [(v,) for v in column])
    want = db.execute(f"SELECT {name}(x COLLATE {coll}) FROM agg").fetchone()[0]
    assert run_aggregate((name, 1), column, coll) == want


@pytest.mark.parametrize("name", ["sum", "total", "avg", "count", "group_concat"])
def test_window_inverse_matches_sqlite(db, name):
    column = [1, 2.5, None, "4", 7, None, 2**40, "x", 3]
    db.execute("DROP TABLE IF EXISTS win")
    db.execute("CREATE TABLE win(i INTEGER PRIMARY KEY, x)")
    db.executemany("INSERT INTO win(x) VALUES (?)", [(v,) for v in column])
    rows = db.execute(
        f"SELECT {name}(x) OVER (ORDER BY i ROWS BETWEEN 2 PRECEDING AND CURRENT ROW) FROM win"
    ).fetchall()
    state = lookup_aggregate(name, 1)()
    got = []
    for k, v in enumerate(column):
        state.step(v)
        if k >= 3:
            state.inverse(column[k - 3])
        got.append(state.value())
    assert len(got) == len(rows)
    for g, (w,) in zip(got, rows, strict=True):
        assert same(g, w) or (isinstance(g, float) and math.isclose(g, w)), (got, rows)


def test_sum_overflow_is_an_error():
    state = lookup_aggregate("sum", 1)()
    state.step(2**63 - 1)
    state.step(1)
    with pytest.raises(SqlError, match="integer overflow"):
        state.final()
    total = lookup_aggregate("total", 1)()
    total.step(2**63 - 1)
    total.step(1)
    assert total.final() == 9.223372036854776e18


# ---------------------------------------------------------------------------
# Dates and times
# ---------------------------------------------------------------------------

DATE_FIRSTS = [
    "2024-01-15",
    "2024-02-29 13:45:30.5",
    "2024-02-29T13:45",
    "13:45:30",
    "2000-01-01 00:00:00Z",
    "2000-01-01 10:00+05:30",
    "2024-13-01",
    "2024-02-30",
    2460325.5,
    1700000000,
    "1700000000",
    0,
    -1,
    "abc",
    None,
    "-0001-03-01",
    "9999-12-31 23:59:59",
    "2024-01-15 24:00",
    "2024-01-15 12:60",
    "2024-1-5",
    " 2024-01-15",
    "2024-01-15 ",
    "2458849.5",
    2**40,
    1.5,
    "12:30:15.123456",
    "2024-01-15 12:30:15.9999",
    1e10,
    "0000-01-01 00:00:00.9999Z",
    1.0625,
    "2024-06-30 23:59:59.9999+00:00",
]
DATE_MODIFIERS = [
    None,
    "+1 day",
    "-1 month",
    "+13 months",
    "start of month",
    "start of year",
    "start of day",
    "weekday 0",
    "weekday 3",
    "unixepoch",
    "julianday",
    "auto",
    "+1.5 days",
    "-10:30",
    "+01:02:03.5",
    "+1 year",
    "12 hours",
    "+1 fortnight",
    "+2 seconds",
    "weekday 7",
    "+1 DAYS",
    "START OF MONTH",
    "-0.5 months",
    "+25 months",
    "-1.5 years",
    "+100000000 days",
    "-3 hours",
]


@pytest.mark.parametrize("name", ["date", "time", "datetime", "julianday", "unixepoch"])
def test_date_functions_match_sqlite(db, name):
    func = lookup_scalar(name, -1)
    for first in DATE_FIRSTS:
        for modifier in DATE_MODIFIERS:
            for then in (None, "unixepoch", "+1 day"):
                args = (first,) if modifier is None else (first, modifier)
                if modifier is not None and then is not None:
                    args += (then,)
                check(db, f"SELECT {name}({', '.join('?' * len(args))})", func, args)


def test_strftime_matches_sqlite(db):
    func = lookup_scalar("strftime", -1)
    formats = ["%d %f %H %j %J %m %M %s %S %w %W %Y %%", "%x", "%", "abc", "%W", "%j"]
    for fmt in formats:
        for first in DATE_FIRSTS:
            for modifier in DATE_MODIFIERS[:12]:
                args = (fmt, first) if modifier is None else (fmt, first, modifier)
                check(db, f"SELECT strftime({', '.join('?' * len(args))})", func, args)


def test_now_is_now(db):
    ours = lookup_scalar("unixepoch", -1)("now")
    theirs = db.execute("SELECT unixepoch('now')").fetchone()[0]
    assert abs(ours - theirs) <= 2
    before = db.execute("SELECT date()").fetchone()[0]
    ours = lookup_scalar("date", -1)()
    after = db.execute("SELECT date()").fetchone()[0]
    assert ours in (before, after)  # (the day may change between the calls)


def test_now_is_one_moment_within_a_step_as_in_sqlite(monkeypatch):
    """Every 'now' of one step reads the same moment; the next statement reads the clock
    again, and so does a call from Python outside any step."""
    from vdbe import clock
    from vdbe.connection import Connection

    seconds = itertools.count(1_700_000_000)
    monkeypatch.setattr(clock.time, "time", lambda: float(next(seconds)))
    connection = Connection()
    query = "SELECT unixepoch('now'), unixepoch(), datetime('now') = datetime('now', '+0 days')"
    [[first, again, same]] = connection.execute(query)
    [[later, _, _]] = connection.execute(query)
    connection.close()
    assert first == again and same == 1
    assert later > first
    unixepoch = lookup_scalar("unixepoch", -1)
    assert unixepoch("now") < unixepoch("now")
