"""Persistent tables across runs, read and written by real SQLite."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest


def write(tmp_path: Path, name: str, source: str) -> str:
    path = tmp_path / name
    path.write_text(source)
    return str(path)


def rows(db: Path, sql: str) -> list[tuple]:
    with sqlite3.connect(db) as conn:
        return conn.execute(sql).fetchall()


def sqlite_file(db: Path, script: str) -> None:
    """Make (or change) ``db`` with real SQLite, as another program would."""
    with sqlite3.connect(db) as conn:
        conn.executescript(script)


def integrity(db: Path) -> str:
    with sqlite3.connect(db) as conn:
        return conn.execute("PRAGMA integrity_check").fetchone()[0]


@pytest.mark.exercise("txn-create-table")
@pytest.mark.exercise("txn-persistent-scalars")
def test_values_survive_across_runs(carrot, tmp_path):
    db = tmp_path / "bank.db"
    first = write(tmp_path, "a.carrot", 'db.accounts.alice = 100;\ndb.accounts["bob"] = 7.5;\n')
    second = write(tmp_path, "b.carrot", "print(db.accounts.alice, db.accounts.bob);\n")
    assert carrot("run", first, "--db", str(db)).returncode == 0
    result = carrot("run", second, "--db", str(db))
    assert (result.returncode, result.stdout, result.stderr) == (0, "100 7.5\n", "")


@pytest.mark.exercise("txn-create-table")
@pytest.mark.exercise("txn-persistent-scalars")
def test_sqlite_reads_what_carrot_wrote(carrot, tmp_path):
    db = tmp_path / "bank.db"
    program = write(
        tmp_path,
        "p.carrot",
        "db.accounts.alice = 100;\ndb.accounts.bob = 50;\ndb.accounts[3] = true;\n"
        'db.accounts.note = "hi";\ndb.accounts.bob = null;\n',
    )
    assert carrot("run", program, "--db", str(db)).returncode == 0
    assert integrity(db) == "ok"
    assert rows(db, "SELECT key, value FROM accounts") == [(3, 1), ("alice", 100), ("note", "hi")]


@pytest.mark.exercise("txn-persistent-scalars")
def test_carrot_uses_a_table_sqlite_created(carrot, tmp_path):
    db = tmp_path / "shop.db"
    sqlite_file(
        db,
        "CREATE TABLE stock(key TEXT PRIMARY KEY, value INTEGER);"
        "INSERT INTO stock VALUES ('apple', 3), ('pear', 5);",
    )
    program = write(
        tmp_path,
        "p.carrot",
        "print(db.stock.apple, len(db.stock));\n"
        "db.stock.apple = db.stock.apple - 1;\n"
        "db.stock.kiwi = 9;\n"
        "db.stock.pear = null;\n"
        "for k, v in db.stock { print(k, v); }\n",
    )
    result = carrot("run", program, "--db", str(db))
    assert result.stderr == ""
    assert result.stdout == "3 2\napple 2\nkiwi 9\n"
    assert integrity(db) == "ok"
    assert rows(db, "SELECT key, value FROM stock ORDER BY key") == [("apple", 2), ("kiwi", 9)]


@pytest.mark.exercise("txn-persistent-scalars")
def test_carrot_uses_a_without_rowid_table_sqlite_created(carrot, tmp_path):
    db = tmp_path / "w.db"
    sqlite_file(
        db,
        "CREATE TABLE kv(key PRIMARY KEY, value) WITHOUT ROWID;"
        "INSERT INTO kv VALUES (2, 'b'), ('x', 1.5), (1, 'a');",
    )
    program = write(tmp_path, "p.carrot", "print(db.kv);\ndb.kv[0] = 0;\n")
    result = carrot("run", program, "--db", str(db))
    assert result.stdout == '{1: "a", 2: "b", "x": 1.5}\n'
    assert rows(db, "SELECT key, value FROM kv") == [(0, 0), (1, "a"), (2, "b"), ("x", 1.5)]


def test_a_table_with_other_columns_is_a_clear_error(carrot, tmp_path):
    db = tmp_path / "o.db"
    sqlite_file(db, "CREATE TABLE people(name, age);")
    program = write(tmp_path, "p.carrot", "print(db.people.x);\n")
    result = carrot("run", program, "--db", str(db))
    assert result.returncode == 70
    assert "runtime error: table 'people' has columns name, age" in result.stderr
    assert "Traceback" not in result.stderr


@pytest.mark.exercise("txn-abort")
@pytest.mark.exercise("txn-commit-returns")
@pytest.mark.exercise("txn-create-table")
@pytest.mark.exercise("txn-persistent-scalars")
def test_committed_txn_persists_aborted_does_not(carrot, tmp_path):
    db = tmp_path / "t.db"
    program = write(
        tmp_path,
        "p.carrot",
        "txn fn set(k, v) { db.t[k] = v; }\n"
        "txn fn fail(k, v) { db.t[k] = v; abort; }\n"
        'set("kept", 1);\nfail("lost", 2);\n',
    )
    assert carrot("run", program, "--db", str(db)).returncode == 0
    assert rows(db, "SELECT key, value FROM t") == [("kept", 1)]


@pytest.mark.exercise("txn-create-table")
@pytest.mark.exercise("txn-persistent-scalars")
def test_failed_statement_is_not_committed(carrot, tmp_path):
    db = tmp_path / "f.db"
    program = write(
        tmp_path,
        "p.carrot",
        "db.t.a = 1;\nfn bad() { db.t.b = 2; return 1 / 0; }\nlet x = bad();\n",
    )
    result = carrot("run", program, "--db", str(db))
    assert result.returncode == 70
    assert rows(db, "SELECT key, value FROM t") == [("a", 1)]
    assert integrity(db) == "ok"


@pytest.mark.exercise("txn-create-table")
@pytest.mark.exercise("txn-persistent-scalars")
def test_without_db_nothing_is_written(carrot, tmp_path):
    program = write(tmp_path, "p.carrot", "db.t.a = 1;\nprint(db.t.a);\n")
    result = carrot("run", program, cwd=tmp_path)
    assert result.stdout == "1\n"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["p.carrot"]


@pytest.mark.exercise("txn-create-table")
@pytest.mark.exercise("txn-persistent-scalars")
def test_db_lists_its_tables(carrot, tmp_path):
    db = tmp_path / "l.db"
    program = write(tmp_path, "p.carrot", "db.b.x = 1;\ndb.a.y = 2;\nprint(keys(db), len(db));\n")
    result = carrot("run", program, "--db", str(db))
    assert result.stdout == '{0: "a", 1: "b"} 2\n'


def test_unopenable_database_is_a_clear_error(carrot, tmp_path):
    program = write(tmp_path, "p.carrot", "print(1);\n")
    result = carrot("run", program, "--db", str(tmp_path / "missing-dir" / "x.db"))
    assert result.returncode != 0
    assert "Traceback" not in result.stderr
    assert "x.db" in result.stderr


@pytest.mark.exercise("txn-persistent-scalars")
def test_the_name_of_an_index_is_not_a_table(carrot, tmp_path):
    db = tmp_path / "i.db"
    sqlite_file(db, "CREATE TABLE u(t, v); CREATE INDEX ub ON u(t);")
    program = write(tmp_path, "p.carrot", "db.ub.a = 1;\n")
    result = carrot("run", program, "--db", str(db))
    assert result.returncode == 70
    assert "runtime error: 'ub' is the name of an index, not of a table" in result.stderr
    assert integrity(db) == "ok"


def test_a_truncated_database_is_refused_and_left_alone(carrot, tmp_path):
    db = tmp_path / "cut.db"
    sqlite_file(
        db,
        "CREATE TABLE t(a, b);"
        "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 100) "
        "INSERT INTO t SELECT i, zeroblob(500) FROM n;",
    )
    with open(db, "r+b") as file:
        file.truncate(6000)
    program = write(tmp_path, "p.carrot", "db.a.b = 1;\n")
    result = carrot("run", program, "--db", str(db))
    assert result.returncode == 70
    assert "database disk image is malformed" in result.stderr
    assert "Traceback" not in result.stderr
    assert db.stat().st_size == 6000
