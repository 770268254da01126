"""Transactions across statements: BEGIN/COMMIT/ROLLBACK, savepoints, statement rollback.

Several statements run on one open Database, as a connection runs them; real SQLite
then reads the file to see what was committed.
"""

from __future__ import annotations

import sqlite3

import pytest
from vdbe.engine import VM
from vdbe.errors import SqlError
from vdbe.loader import compile_sql
from vdbe.storage import Database


class Session:
    """One open database and the statements run on it, one VM each."""

    def __init__(self, path) -> None:
        self.path = str(path)
        self.db = Database(self.path)

    def run(self, sql: str) -> list:
        return VM(compile_sql(sql, self.path), self.db).run()  # it ends its statement

    def close(self) -> None:
        self.db.close()


@pytest.fixture
def path(tmp_path):
    path = tmp_path / "txn.db"
    con = sqlite3.connect(path)
    con.execute("CREATE TABLE t(a INTEGER PRIMARY KEY, b UNIQUE)")
    con.execute("INSERT INTO t VALUES (1, 'one')")
    con.commit()
    con.close()
    return path


@pytest.fixture
def session(path):
    s = Session(path)
    yield s
    s.close()


def committed(path) -> list:
    con = sqlite3.connect(path)
    try:
        return con.execute("SELECT a, b FROM t ORDER BY a").fetchall()
    finally:
        con.close()


def test_autocommit_commits_each_statement(session, path):
    session.run("INSERT INTO t VALUES (2, 'two')")
    assert committed(path) == [(1, "one"), (2, "two")]


def test_begin_commit(session, path):
    session.run("BEGIN")
    session.run("INSERT INTO t VALUES (2, 'two')")
    session.run("INSERT INTO t VALUES (3, 'three')")
    assert session.run("SELECT count(*) FROM t") == [[3]]
    session.run("COMMIT")
    assert committed(path) == [(1, "one"), (2, "two"), (3, "three")]


def test_begin_rollback(session, path):
    session.run("BEGIN")
    session.run("INSERT INTO t VALUES (2, 'two')")
    session.run("DELETE FROM t WHERE a = 1")
    session.run("ROLLBACK")
    assert session.run("SELECT a, b FROM t") == [[1, "one"]]
    assert committed(path) == [(1, "one")]


def test_failed_statement_in_a_transaction_undoes_only_itself(session, path):
    session.run("BEGIN")
    session.run("INSERT INTO t VALUES (2, 'two')")
    with pytest.raises(SqlError, match="UNIQUE constraint failed: t.b"):
        session.run("INSERT INTO t VALUES (3, 'three'), (4, 'one')")
    session.run("COMMIT")
    assert committed(path) == [(1, "one"), (2, "two")]


def test_failed_statement_in_autocommit_leaves_nothing(session, path):
    with pytest.raises(SqlError, match="UNIQUE constraint failed: t.b"):
        session.run("INSERT INTO t VALUES (3, 'three'), (4, 'one')")
    assert committed(path) == [(1, "one")]


def test_savepoints(session, path):
    session.run("SAVEPOINT outer_sp")
    session.run("INSERT INTO t VALUES (2, 'two')")
    session.run("SAVEPOINT inner_sp")
    session.run("INSERT INTO t VALUES (3, 'three')")
    session.run("ROLLBACK TO inner_sp")
    session.run("INSERT INTO t VALUES (4, 'four')")
    session.run("RELEASE outer_sp")
    assert committed(path) == [(1, "one"), (2, "two"), (4, "four")]


@pytest.mark.parametrize(
    "statements, message",
    [
        (["COMMIT"], "cannot commit - no transaction is active"),
        (["ROLLBACK"], "cannot rollback - no transaction is active"),
        (["BEGIN", "BEGIN"], "cannot start a transaction within a transaction"),
        (["RELEASE nowhere"], "no such savepoint: nowhere"),
    ],
)
def test_transaction_errors_use_sqlites_messages(session, statements, message):
    with pytest.raises(SqlError) as caught:
        for sql in statements:
            session.run(sql)
    assert caught.value.message == message
    con = sqlite3.connect(":memory:", isolation_level=None)
    with pytest.raises(sqlite3.Error) as real:
        for sql in statements:
            con.execute(sql)
    assert str(real.value) == message


def test_a_read_transaction_becomes_a_write_transaction(session, path):
    session.run("BEGIN")
    assert session.run("SELECT count(*) FROM t") == [[1]]
    session.run("INSERT INTO t VALUES (2, 'two')")
    assert session.run("SELECT b FROM t ORDER BY a") == [["one"], ["two"]]
    session.run("COMMIT")
    assert committed(path) == [(1, "one"), (2, "two")]
