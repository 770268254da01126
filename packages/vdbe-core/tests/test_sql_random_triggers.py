"""Random statements on tables tied by triggers and foreign keys, against real SQLite.

A parent table, a child table whose key cascades or is set to NULL, a deferred
self-reference, and triggers that log, skip (RAISE(IGNORE)) or refuse (RAISE(ABORT))
rows: every write fans out into sub-programs and foreign key counting. One real SQLite
connection and one `vdbe.connection.Connection`, both with `PRAGMA foreign_keys = ON`
(and, in a second run, `recursive_triggers`, under which REPLACE fires delete
triggers), run the same random statements (transactions included); after each, the
errors and the contents of every table must agree, and SQLite must find the VM's file
intact.
"""

from __future__ import annotations

import shutil
import sqlite3

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from vdbe.connection import Connection
from vdbe.errors import SqlError

SETUP = """
PRAGMA page_size = 512;
CREATE TABLE parent(id INTEGER PRIMARY KEY, name TEXT UNIQUE, up INTEGER
                    REFERENCES parent(id) DEFERRABLE INITIALLY DEFERRED);
CREATE TABLE child(id INTEGER PRIMARY KEY,
                   owner INTEGER REFERENCES parent(id) ON DELETE CASCADE ON UPDATE CASCADE,
                   keeper TEXT REFERENCES parent(name) ON DELETE SET NULL, qty INTEGER);
CREATE INDEX child_owner ON child(owner);
CREATE TABLE log(n INTEGER PRIMARY KEY AUTOINCREMENT, what TEXT, a, b);
CREATE TRIGGER parent_log AFTER INSERT ON parent BEGIN
  INSERT INTO log(what, a, b) VALUES ('parent+', new.id, new.name);
END;
CREATE TRIGGER child_skip BEFORE INSERT ON child WHEN new.qty % 5 = 0 BEGIN
  INSERT INTO log(what, a, b) VALUES ('skipped', new.id, new.qty);
  SELECT RAISE(IGNORE);
END;
CREATE TRIGGER child_refuse BEFORE UPDATE OF qty ON child WHEN new.qty > 90 BEGIN
  SELECT RAISE(ABORT, 'qty too large');
END;
CREATE TRIGGER parent_gone AFTER DELETE ON parent WHEN old.up IS NOT NULL BEGIN
  UPDATE parent SET up = NULL WHERE up = old.id;
END;
CREATE TRIGGER child_gone AFTER DELETE ON child BEGIN
  INSERT INTO log(what, a, b) VALUES ('child-', old.id, old.owner);
END;
"""

TABLES = ("parent", "child", "log", "sqlite_sequence")
small = st.integers(min_value=1, max_value=12)

STATEMENTS = st.one_of(
    st.builds(
        "INSERT INTO parent VALUES ({}, 'p{}', {})".format,
        small,
        small,
        st.one_of(st.just("NULL"), small),
    ),
    st.builds(
        "INSERT INTO child(owner, keeper, qty) VALUES ({}, 'p{}', {})".format,
        small,
        small,
        st.integers(0, 99),
    ),
    st.builds("UPDATE child SET qty = qty + {} WHERE owner = {}".format, st.integers(0, 60), small),
    st.builds("UPDATE parent SET id = id + 20 WHERE id = {}".format, small),
    st.builds("UPDATE parent SET up = {} WHERE id = {}".format, small, small),
    st.builds("DELETE FROM parent WHERE id = {}".format, small),
    st.builds("DELETE FROM child WHERE qty < {}".format, st.integers(0, 99)),
    st.builds("REPLACE INTO parent VALUES ({}, 'p{}', NULL)".format, small, small),
    st.sampled_from(["BEGIN", "COMMIT", "ROLLBACK", "SAVEPOINT s", "ROLLBACK TO s"]),
)


def contents(query) -> list:
    return [query(f"SELECT * FROM {table} ORDER BY 1") for table in TABLES]


@pytest.mark.parametrize("recursive", ["OFF", "ON"])
@settings(
    max_examples=10, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(statements=st.lists(STATEMENTS, min_size=5, max_size=25))
def test_random_writes_through_triggers_and_keys_match_sqlite(tmp_path, recursive, statements):
    oracle_path, mine_path = tmp_path / "oracle.db", tmp_path / "vm.db"
    oracle_path.unlink(missing_ok=True)
    con = sqlite3.connect(oracle_path)
    con.executescript(SETUP)
    con.close()
    shutil.copyfile(oracle_path, mine_path)
    oracle = sqlite3.connect(oracle_path, isolation_level=None)
    mine = Connection(str(mine_path))
    try:
        for connection_run in (oracle.execute, mine.execute):
            list(connection_run("PRAGMA foreign_keys = ON"))
            list(connection_run(f"PRAGMA recursive_triggers = {recursive}"))
        for sql in statements:
            try:
                oracle.execute(sql)
                expected = None
            except sqlite3.Error as exc:
                expected = str(exc)
            try:
                list(mine.execute(sql))
                got = None
            except SqlError as exc:
                got = exc.message
            assert got == expected, sql
            assert contents(lambda q: [tuple(r) for r in mine.execute(q)]) == contents(
                lambda q: oracle.execute(q).fetchall()
            ), sql
    finally:
        oracle.close()
        mine.close()
    con = sqlite3.connect(mine_path)
    assert con.execute("PRAGMA integrity_check").fetchall() == [("ok",)]
    con.close()
