"""Mistakes in hand-written programs give clear SQL errors, never a Python exception."""

from __future__ import annotations

import sqlite3

import pytest
from vdbe.engine import VM
from vdbe.errors import CorruptError, SqlError
from vdbe.program import Program
from vdbe.storage import Database

HEADER = "addr  opcode         p1    p2    p3    p4             p5  comment\n"


def program(lines: str) -> Program:
    return Program.parse(HEADER + lines)


@pytest.fixture
def db(tmp_path):
    path = tmp_path / "e.db"
    con = sqlite3.connect(path)
    con.execute("CREATE TABLE t(a INTEGER PRIMARY KEY, b)")
    con.execute("INSERT INTO t VALUES (1, 'x')")
    con.commit()
    con.close()
    database = Database(str(path))
    yield database
    database.close()


def test_reading_a_cursor_that_is_not_open(db):
    code = program(
        "0     Init           0     3     0                    0\n"
        "1     Column         3     0     1                    0\n"
        "2     Halt           0     0     0                    0\n"
        "3     Goto           0     1     0                    0\n"
    )
    with pytest.raises(SqlError, match="cursor 3 is not open"):
        VM(code, db).run()


def test_writing_through_a_read_cursor(db):
    code = program(
        "0     Init           0     6     0                    0\n"
        "1     OpenRead       0     2     0     2              0\n"
        "2     Integer        5     1     0                    0\n"
        "3     MakeRecord     1     1     2                    0\n"
        "4     Insert         0     2     1                    0\n"
        "5     Halt           0     0     0                    0\n"
        "6     Transaction    0     1     0     0              0\n"
        "7     Goto           0     1     0                    0\n"
    )
    with pytest.raises(SqlError, match="not opened for writing"):
        VM(code, db).run()


def test_a_root_page_past_the_end_of_the_file(db):
    code = program(
        "0     Init           0     4     0                    0\n"
        "1     OpenRead       0     999   0     2              0\n"
        "2     Rewind         0     3     0                    0\n"
        "3     Halt           0     0     0                    0\n"
        "4     Transaction    0     0     0     0              0\n"
        "5     Goto           0     1     0                    0\n"
    )
    with pytest.raises(CorruptError):
        VM(code, db).run()


def test_a_scan_written_by_hand(db):
    code = program(
        "0     Init           0     7     0                    0\n"
        "1     OpenRead       0     2     0     2              0\n"
        "2     Rewind         0     6     0                    0\n"
        "3     Rowid          0     1     0                    0\n"
        "4     Column         0     1     2                    0\n"
        "5     ResultRow      1     2     0                    0\n"
        "6     Halt           0     0     0                    0\n"
        "7     Transaction    0     0     0     0              0\n"
        "8     Goto           0     1     0                    0\n"
    )
    assert VM(code, db).run() == [[1, "x"]]
