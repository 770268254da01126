"""Statements that depend on the ones before them in one connection, against SQLite.

The corpus runs each statement on a fresh connection, so a transaction never spans
two of them. Here one real SQLite connection and one `vdbe.connection.Connection`
each run the same statements in turn (deferred foreign keys checked at COMMIT, RAISE
inside BEGIN ... COMMIT), and after each statement the rows or the error must agree;
at the end, the committed files must hold the same rows and the VM's must pass
SQLite's integrity check.
"""

from __future__ import annotations

import shutil
import sqlite3

import pytest
from test_sql_corpus import integrity, snapshot, typed
from vdbe.connection import Connection
from vdbe.errors import SqlError


class Twins:
    """Real SQLite and the VM, each with one connection to its own copy of a file."""

    def __init__(self, tmp_path, setup: str, *pragmas: str) -> None:
        self.oracle_path, self.vm_path = tmp_path / "oracle.db", tmp_path / "vm.db"
        con = sqlite3.connect(self.oracle_path)
        con.executescript(setup)
        con.close()
        shutil.copyfile(self.oracle_path, self.vm_path)
        self.oracle = sqlite3.connect(self.oracle_path, isolation_level=None)
        self.connection = Connection(str(self.vm_path))
        for pragma in pragmas:
            self.oracle.execute(pragma)
            list(self.connection.execute(pragma))

    def expected(self, sql: str):
        try:
            return typed(self.oracle.execute(sql).fetchall()), None
        except sqlite3.Error as exc:
            return None, str(exc)

    def got(self, sql: str):
        try:
            return typed(list(self.connection.execute(sql))), None
        except SqlError as exc:
            return None, exc.message

    def run(self, script: list[str]) -> None:
        for sql in script:
            assert self.got(sql) == self.expected(sql), sql

    def close(self) -> None:
        self.oracle.close()
        self.connection.close()
        assert snapshot(self.vm_path) == snapshot(self.oracle_path)
        assert integrity(self.vm_path) == "ok"


@pytest.fixture
def twins(tmp_path):
    made = []

    def make(setup: str, *pragmas: str) -> Twins:
        made.append(Twins(tmp_path, setup, *pragmas))
        return made[-1]

    yield make
    for pair in made:
        pair.close()


NODES = """
CREATE TABLE node(id INTEGER PRIMARY KEY,
                  parent INTEGER REFERENCES node(id) DEFERRABLE INITIALLY DEFERRED);
CREATE TABLE leaf(id INTEGER PRIMARY KEY, node INTEGER REFERENCES node(id));
INSERT INTO node VALUES (1, NULL), (2, 1);
"""


def test_deferred_foreign_keys_are_checked_at_commit(twins):
    pair = twins(NODES, "PRAGMA foreign_keys = ON")
    pair.run(
        [
            "BEGIN",
            "INSERT INTO node VALUES (3, 4)",  # broken for now: no node 4 yet
            "SELECT * FROM node ORDER BY id",
            "COMMIT",  # refused, and the transaction stays open
            "INSERT INTO node VALUES (4, 1)",  # mends it
            "COMMIT",
            "BEGIN",
            "DELETE FROM node WHERE id = 1",
            "COMMIT",
            "UPDATE node SET parent = NULL WHERE parent = 1",
            "COMMIT",
            "BEGIN",
            "INSERT INTO node VALUES (9, 99)",
            "INSERT INTO leaf VALUES (1, 98)",  # an immediate key fails at once
            "ROLLBACK",
            "SELECT * FROM node ORDER BY id",
            "BEGIN",
            "INSERT INTO node VALUES (10, 11)",
            "SAVEPOINT s",
            "INSERT INTO leaf VALUES (2, 10)",
            "RELEASE s",
            "INSERT INTO node VALUES (11, NULL)",
            "COMMIT",
            "SELECT * FROM leaf ORDER BY id",
        ]
    )


def test_savepoints_keep_their_count_of_deferred_violations(twins):
    pair = twins(NODES, "PRAGMA foreign_keys = ON")
    pair.run(
        [
            "SAVEPOINT outer",
            "INSERT INTO node VALUES (3, 30)",
            "SAVEPOINT inner",
            "INSERT INTO node VALUES (4, 40)",
            "ROLLBACK TO inner",  # node 4 and its broken key are gone; node 3's remains
            "RELEASE outer",  # it would commit: refused
            "INSERT INTO node VALUES (30, NULL)",
            "RELEASE outer",
            "SELECT * FROM node ORDER BY id",
            "SAVEPOINT again",
            "DELETE FROM node WHERE id = 30",
            "ROLLBACK TO again",
            "RELEASE again",
            "SELECT count(*) FROM node",
        ]
    )


def test_a_failed_statement_takes_back_its_deferred_violations(twins):
    pair = twins(NODES, "PRAGMA foreign_keys = ON")
    pair.run(
        [
            "BEGIN",
            "INSERT INTO node VALUES (5, 50), (6, 60), (1, 0)",  # fails on the UNIQUE id
            "COMMIT",  # nothing broken is left: it commits
            "SELECT * FROM node ORDER BY id",
        ]
    )


ITEMS = """
CREATE TABLE item(id INTEGER PRIMARY KEY, qty INTEGER);
INSERT INTO item VALUES (1, 5), (2, 7);
CREATE TRIGGER item_fail BEFORE UPDATE ON item WHEN new.qty > 100 BEGIN
  SELECT RAISE(FAIL, 'too many');
END;
CREATE TRIGGER item_abort BEFORE UPDATE ON item WHEN new.qty = 50 BEGIN
  SELECT RAISE(ABORT, 'fifty');
END;
CREATE TRIGGER item_rollback BEFORE DELETE ON item BEGIN
  SELECT RAISE(ROLLBACK, 'no deleting');
END;
"""


def test_raise_inside_a_transaction_undoes_what_its_action_says(twins):
    pair = twins(ITEMS)
    pair.run(
        [
            "BEGIN",
            "UPDATE item SET qty = qty * 10 + 50 WHERE id = 1",
            "UPDATE item SET qty = qty * 20",  # FAIL: the first row's change stays
            "SELECT * FROM item ORDER BY id",
            "UPDATE item SET qty = 50 WHERE id = 2",  # ABORT: this statement is undone
            "SELECT * FROM item ORDER BY id",
            "COMMIT",
            "BEGIN",
            "INSERT INTO item VALUES (3, 3)",
            "DELETE FROM item",  # ROLLBACK: the whole transaction goes
            "COMMIT",
            "SELECT * FROM item ORDER BY id",
            "BEGIN",
            "INSERT OR FAIL INTO item VALUES (4, 4), (1, 1)",
            "INSERT OR ROLLBACK INTO item VALUES (5, 5), (2, 2)",
            "SELECT * FROM item ORDER BY id",
        ]
    )
