"""Random sequences of INSERT, UPDATE and DELETE, run by real SQLite and by this VM.

Small pages (512 bytes) and rows of very different sizes make the trees split, merge and
overflow, while the statements scan, seek and write through several cursors at once
(a table, its indexes, UPDATE's and DELETE's own scans). After every statement both
files must hold the same rows, and real SQLite must find the VM's file intact.
"""

from __future__ import annotations

import shutil
import sqlite3

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from vdbe.engine import VM
from vdbe.errors import SqlError
from vdbe.loader import compile_sql
from vdbe.opcodes.transaction import end_statement
from vdbe.storage import Database

SETUP = """
PRAGMA page_size = 512;
CREATE TABLE t(id INTEGER PRIMARY KEY, k INT, body TEXT, u UNIQUE);
CREATE INDEX t_k ON t(k);
CREATE INDEX t_body ON t(substr(body, 1, 3), k);
CREATE TABLE w(name TEXT PRIMARY KEY, n INT, pad BLOB) WITHOUT ROWID;
"""

small = st.integers(min_value=0, max_value=60)
size = st.sampled_from([0, 5, 40, 300, 1200])

STATEMENTS = st.one_of(
    st.builds(
        "INSERT INTO t(k, body, u) VALUES ({}, printf('%.*c', {}, 'x') || {}, {})".format,
        small,
        size,
        small,
        st.one_of(st.just("NULL"), small),
    ),
    st.builds(
        "INSERT OR REPLACE INTO t(id, k, body, u) VALUES ({}, {}, 'r{}', {})".format,
        small,
        small,
        small,
        small,
    ),
    st.builds("UPDATE t SET k = k + {} WHERE k % 7 = {}".format, small, st.integers(0, 6)),
    st.builds(
        "UPDATE t SET body = printf('%.*c', {}, 'y') WHERE id BETWEEN {} AND {} + 5".format,
        size,
        small,
        small,
    ),
    st.builds("DELETE FROM t WHERE k > {} AND k < {} + 8".format, small, small),
    st.builds("DELETE FROM t WHERE id % {} = 0".format, st.integers(2, 9)),
    st.builds(
        "INSERT INTO w VALUES ('n{}', {}, zeroblob({}))"
        " ON CONFLICT(name) DO UPDATE SET n = n + 1".format,
        small,
        small,
        size,
    ),
    st.builds("DELETE FROM w WHERE n < {}".format, small),
    st.builds("UPDATE w SET pad = zeroblob({}) WHERE name > 'n{}'".format, size, small),
)


def contents(path) -> list:
    con = sqlite3.connect(path)
    try:
        return [
            con.execute("SELECT * FROM t ORDER BY id").fetchall(),
            con.execute("SELECT name, n, length(pad) FROM w ORDER BY name").fetchall(),
        ]
    finally:
        con.close()


def run_vm(path, sql: str) -> str | None:
    db = Database(str(path))
    try:
        vm = VM(compile_sql(sql, str(path)), db)
        try:
            vm.run()
        except SqlError as exc:
            end_statement(vm, False)
            return exc.message
        end_statement(vm, True)
        return None
    finally:
        db.close()


@settings(
    max_examples=8, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(statements=st.lists(STATEMENTS, min_size=5, max_size=20))
def test_random_writes_match_sqlite(tmp_path, statements):
    oracle, mine = tmp_path / "oracle.db", tmp_path / "vm.db"
    oracle.unlink(missing_ok=True)
    con = sqlite3.connect(oracle)
    con.executescript(SETUP)
    con.close()
    shutil.copyfile(oracle, mine)
    for sql in statements:
        con = sqlite3.connect(oracle, isolation_level=None)
        try:
            con.execute(sql)
            expected_error = None
        except sqlite3.Error as exc:
            expected_error = str(exc)
        con.close()
        assert run_vm(mine, sql) == expected_error, sql
        assert contents(mine) == contents(oracle), sql
    con = sqlite3.connect(mine)
    assert con.execute("PRAGMA integrity_check").fetchall() == [("ok",)]
    con.close()
