"""Sorting and index order against real SQLite, on generated values of every class.

ORDER BY without an index goes through the sorter; with an index, through the
B-tree's key order and the index opcodes' comparisons. Either way the VM must order
NULLs, numbers (INTEGER and REAL compared by value), text (by collation) and blobs
exactly as SQLite does, and keep equal keys in arrival order.
"""

from __future__ import annotations

import shutil
import sqlite3

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from vdbe.engine import VM
from vdbe.loader import compile_sql
from vdbe.opcodes.transaction import end_statement
from vdbe.storage import Database

VALUES = st.one_of(
    st.none(),
    st.integers(min_value=-(2**63), max_value=2**63 - 1),
    st.floats(allow_nan=False, allow_infinity=False, width=64),
    st.sampled_from([1, 2, 2.0, 2.5, -1, 0, 0.0]),
    st.text(alphabet="aAbB _z", max_size=4),
    st.binary(max_size=3),
)

ORDERS = [
    "v",
    "v DESC",
    "v COLLATE NOCASE, id",
    "v COLLATE NOCASE DESC, id DESC",
    "v COLLATE RTRIM, id",
    "typeof(v), v DESC",
]


def run_vm(path, sql: str) -> list:
    db = Database(str(path))
    try:
        vm = VM(compile_sql(sql, str(path)), db)
        rows = vm.run()
        end_statement(vm, True)
        return [tuple(row) for row in rows]
    finally:
        db.close()


def typed(rows):
    return [tuple((type(v).__name__, v) for v in row) for row in rows]


@settings(
    max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(values=st.lists(VALUES, max_size=40), order=st.sampled_from(ORDERS))
def test_order_by_matches_sqlite(tmp_path, values, order):
    path = tmp_path / "sort.db"
    path.unlink(missing_ok=True)
    con = sqlite3.connect(path)
    con.execute("CREATE TABLE t(id INTEGER PRIMARY KEY, v)")
    con.executemany("INSERT INTO t(v) VALUES (?)", [(v,) for v in values])
    con.commit()
    sql = f"SELECT id, v FROM t ORDER BY {order}"
    expected = con.execute(sql).fetchall()
    con.close()
    assert typed(run_vm(path, sql)) == typed(expected)


@settings(
    max_examples=20, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(values=st.lists(VALUES, min_size=1, max_size=40), probe=VALUES)
def test_index_ranges_match_sqlite(tmp_path, values, probe):
    path = tmp_path / "index.db"
    path.unlink(missing_ok=True)
    con = sqlite3.connect(path)
    con.execute("CREATE TABLE t(id INTEGER PRIMARY KEY, v)")
    con.execute("CREATE INDEX t_v ON t(v)")
    con.executemany("INSERT INTO t(v) VALUES (?)", [(v,) for v in values])
    con.commit()
    con.close()
    copy = tmp_path / "index-vm.db"
    shutil.copyfile(path, copy)
    literal = _literal(probe)
    for where in (f"v = {literal}", f"v > {literal}", f"v <= {literal}"):
        for order in ("v, id", "v DESC, id DESC"):
            sql = f"SELECT id, v FROM t WHERE {where} ORDER BY {order}"
            con = sqlite3.connect(path)
            expected = con.execute(sql).fetchall()
            con.close()
            assert typed(run_vm(copy, sql)) == typed(expected), sql


def _literal(value) -> str:
    """An SQL literal for a value (blobs as X'..', text quoted, reals exactly)."""
    if value is None:
        return "NULL"
    if isinstance(value, bytes):
        return f"X'{value.hex()}'"
    if isinstance(value, str):
        return "'" + value.replace("'", "''") + "'"
    if isinstance(value, float):
        return repr(value) if value == value and abs(value) != float("inf") else "NULL"
    return str(value)


# Values of one storage class at a time, as well as mixed: the sorter compares a key
# column of one kind (numbers, text under BINARY, blobs) directly and ranks mixed
# columns by class first, and both ways must agree with SQLite.
KINDS = {
    "integers": st.integers(min_value=-300, max_value=300),
    "numbers": st.one_of(st.integers(min_value=-5, max_value=5), st.sampled_from([0.5, 2.0, -1.5])),
    "text": st.text(alphabet="aAbB _z", max_size=3),
    "blobs": st.binary(max_size=2),
    "mixed": VALUES,
}

GROUPINGS = [
    "v",
    "v COLLATE NOCASE",
    "v COLLATE RTRIM",
    "v ORDER BY v DESC",
    "typeof(v), v",
]


@settings(
    max_examples=30, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    data=st.data(),
    kind=st.sampled_from(sorted(KINDS)),
    grouping=st.sampled_from(GROUPINGS),
)
def test_group_by_and_distinct_match_sqlite(tmp_path, data, kind, grouping):
    values = data.draw(st.lists(KINDS[kind], max_size=40), label="values")
    path = tmp_path / "group.db"
    path.unlink(missing_ok=True)
    con = sqlite3.connect(path)
    con.execute("CREATE TABLE t(id INTEGER PRIMARY KEY, v)")
    con.executemany("INSERT INTO t(v) VALUES (?)", [(v,) for v in values])
    con.commit()
    queries = [
        f"SELECT count(*), min(id), max(id), sum(id), max(v) FROM t GROUP BY {grouping}",
        f"SELECT count(*), sum(n) FROM (SELECT v, count(*) AS n FROM t GROUP BY {grouping})",
        "SELECT DISTINCT v FROM t ORDER BY v",
    ]
    for sql in queries:
        expected = con.execute(sql).fetchall()
        assert typed(run_vm(path, sql)) == typed(expected), sql
    con.close()
