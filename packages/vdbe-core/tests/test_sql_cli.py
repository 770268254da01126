"""`vdbe sql` end to end: files written by this VM are read back by real SQLite, and the
other way round, through the command line as a user runs it."""

from __future__ import annotations

import shutil
import sqlite3
import subprocess
import sys

import pytest


def vdbe(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "vdbe", *args], capture_output=True, text=True, timeout=120
    )


def read_back(path, sql: str) -> list[tuple]:
    """What real SQLite finds in the file (the sqlite3 shell's view, through the module)."""
    con = sqlite3.connect(path)
    try:
        return con.execute(sql).fetchall()
    finally:
        con.close()


def test_create_insert_then_sqlite_reads_it(tmp_path):
    db = tmp_path / "f.db"
    assert vdbe("sql", "--db", str(db), "CREATE TABLE t(a INTEGER PRIMARY KEY, b TEXT, c REAL)")
    done = vdbe("sql", "--db", str(db), "INSERT INTO t VALUES (1, 'one', 1.5), (2, 'two', NULL)")
    assert done.returncode == 0, done.stderr
    done = vdbe("sql", "--db", str(db), "CREATE INDEX t_b ON t(b)")
    assert done.returncode == 0, done.stderr
    assert read_back(db, "SELECT * FROM t ORDER BY a") == [(1, "one", 1.5), (2, "two", None)]
    assert read_back(db, "SELECT name FROM sqlite_schema ORDER BY name") == [("t",), ("t_b",)]
    assert read_back(db, "PRAGMA integrity_check") == [("ok",)]
    assert not (tmp_path / "f.db-journal").exists()


@pytest.mark.sqlite_shell
def test_the_sqlite3_shell_reads_the_file(tmp_path):
    db = tmp_path / "shell.db"
    vdbe("sql", "--db", str(db), "CREATE TABLE kv(k TEXT PRIMARY KEY, v) WITHOUT ROWID")
    vdbe("sql", "--db", str(db), "INSERT INTO kv VALUES ('a', 1), ('b', 2.5), ('c', NULL)")
    shell = subprocess.run(
        ["sqlite3", str(db), "SELECT k, v FROM kv ORDER BY k"], capture_output=True, text=True
    )
    assert shell.stdout == "a|1\nb|2.5\nc|\n"


def test_rows_print_as_the_sqlite3_shell_prints_them(tmp_path):
    db = tmp_path / "p.db"
    con = sqlite3.connect(db)
    con.executescript("CREATE TABLE t(a, b); INSERT INTO t VALUES (1, 'x'), (2.5, NULL);")
    con.close()
    done = vdbe("sql", "--db", str(db), "SELECT a, b FROM t ORDER BY a")
    assert done.returncode == 0, done.stderr
    assert done.stdout == "1|x\n2.5|\n"
    done = vdbe("sql", "--json", "--db", str(db), "SELECT a, b, x'01ff' FROM t ORDER BY a")
    assert done.stdout.splitlines() == [
        '[1, "x", {"blob": "01FF"}]',
        '[2.5, null, {"blob": "01FF"}]',
    ]


def test_constraint_error_leaves_the_file_unchanged(tmp_path):
    db = tmp_path / "c.db"
    vdbe("sql", "--db", str(db), "CREATE TABLE t(a INTEGER PRIMARY KEY, b UNIQUE NOT NULL)")
    vdbe("sql", "--db", str(db), "INSERT INTO t VALUES (1, 'x')")
    before = db.read_bytes()
    done = vdbe("sql", "--db", str(db), "INSERT INTO t VALUES (2, 'y'), (3, 'x')")
    assert done.returncode == 1
    assert done.stderr.strip() == "Error: UNIQUE constraint failed: t.b"
    done = vdbe("sql", "--db", str(db), "INSERT INTO t VALUES (4, NULL)")
    assert done.returncode == 1
    assert done.stderr.strip() == "Error: NOT NULL constraint failed: t.b"
    assert db.read_bytes() == before
    assert read_back(db, "SELECT * FROM t") == [(1, "x")]


def test_update_delete_and_drop(tmp_path):
    db = tmp_path / "u.db"
    con = sqlite3.connect(db)
    con.executescript(
        "CREATE TABLE t(a INTEGER PRIMARY KEY, b INT);"
        "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 500)"
        " INSERT INTO t SELECT i, i % 10 FROM n;"
        "CREATE TABLE old(x);"
    )
    con.close()
    oracle = tmp_path / "oracle.db"
    shutil.copyfile(db, oracle)
    statements = ["UPDATE t SET b = b + 100 WHERE a <= 10", "DELETE FROM t WHERE b = 5"]
    statements.append("DROP TABLE old")
    con = sqlite3.connect(oracle, isolation_level=None)
    for sql in statements:
        assert vdbe("sql", "--db", str(db), sql).returncode == 0
        con.execute(sql)
    con.close()
    query = "SELECT count(*), sum(b) FROM t"
    assert read_back(db, query) == read_back(oracle, query) == [(451, 3005)]
    assert read_back(db, "SELECT name FROM sqlite_schema") == [("t",)]
    assert read_back(db, "PRAGMA integrity_check") == [("ok",)]


def test_sql_errors_exit_1_with_sqlites_message(tmp_path):
    db = tmp_path / "e.db"
    vdbe("sql", "--db", str(db), "CREATE TABLE t(a)")
    done = vdbe("sql", "--db", str(db), "SELECT * FROM missing")
    assert done.returncode == 1
    assert done.stderr.strip() == "Error: no such table: missing"
    assert "Traceback" not in done.stderr


def test_temporary_tables_live_in_memory_and_the_file_is_untouched(tmp_path):
    db = tmp_path / "t.db"
    vdbe("sql", "--db", str(db), "CREATE TABLE keep(a)")
    before = db.read_bytes()
    done = vdbe(
        "sql",
        "--db",
        str(db),
        "CREATE TEMP TABLE scratch(a); INSERT INTO scratch VALUES (4); SELECT a * 2 FROM scratch",
    )
    assert (done.returncode, done.stdout, done.stderr) == (0, "8\n", "")
    assert db.read_bytes() == before
