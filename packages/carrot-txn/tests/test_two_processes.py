"""Two ``carrot`` processes writing one database file."""

from __future__ import annotations

import os
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

PROGRAM = Path(__file__).resolve().parent / "programs" / "transfers.carrot"


def carrot(db: Path, env: dict | None = None) -> subprocess.Popen:
    return subprocess.Popen(
        [sys.executable, "-m", "carrot", "run", str(PROGRAM), "--db", str(db)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        stdin=subprocess.DEVNULL,
        env=dict(os.environ, **(env or {})),
    )


@pytest.mark.exercise("txn-commit-returns")
@pytest.mark.exercise("txn-create-table")
@pytest.mark.exercise("txn-persistent-scalars")
def test_two_writers_take_turns_and_lose_nothing(tmp_path):
    db = tmp_path / "shared.db"
    with sqlite3.connect(db) as conn:
        conn.execute("CREATE TABLE config(key PRIMARY KEY, value) WITHOUT ROWID")
        conn.execute("INSERT INTO config VALUES ('limit', 60)")
    patient = {"CARROT_BUSY_TIMEOUT": "120"}  # a loaded machine may keep one waiting long
    first, second = carrot(db, patient), carrot(db, patient)
    out1, err1 = first.communicate(timeout=300)
    out2, err2 = second.communicate(timeout=300)
    assert (first.returncode, second.returncode) == (0, 0), err1 + err2
    with sqlite3.connect(db) as conn:
        assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        count = conn.execute("SELECT value FROM meta WHERE key = 'count'").fetchone()[0]
        total = conn.execute("SELECT sum(value) FROM bank").fetchone()[0]
    assert total == 1000
    # every committed transfer was counted exactly once, by one of the two
    reported = [int(line.split()[1]) for line in (out1 + out2).decode().split("\n") if line]
    assert sorted(reported) == list(range(1, count + 1))


@pytest.mark.exercise("txn-persistent-scalars")
def test_a_writer_waits_then_reports_the_lock(tmp_path):
    db = tmp_path / "locked.db"
    holder = sqlite3.connect(db, isolation_level=None)
    holder.execute("CREATE TABLE t(key PRIMARY KEY, value) WITHOUT ROWID")
    holder.execute("BEGIN IMMEDIATE")
    holder.execute("INSERT INTO t VALUES ('a', 1)")
    program = tmp_path / "w.carrot"
    program.write_text("db.t.b = 2;\n")
    try:
        done = subprocess.run(
            [sys.executable, "-m", "carrot", "run", str(program), "--db", str(db)],
            capture_output=True,
            text=True,
            timeout=60,
            env=dict(os.environ, CARROT_BUSY_TIMEOUT="0.5"),
        )
    finally:
        holder.execute("COMMIT")
        holder.close()
    assert done.returncode == 70
    assert "runtime error: database is locked" in done.stderr
    assert "Traceback" not in done.stderr
    with sqlite3.connect(db) as conn:
        assert conn.execute("SELECT key, value FROM t").fetchall() == [("a", 1)]


@pytest.mark.exercise("txn-commit-returns")
@pytest.mark.exercise("txn-persistent-scalars")
def test_a_call_after_a_read_waits_for_the_writer(tmp_path):
    """The statement read the database (a shared lock) before the call: the call's write
    lock would be refused at once while SQLite writes; it starts afresh and waits."""
    db = tmp_path / "read-then-call.db"
    with sqlite3.connect(db) as conn:
        conn.execute("CREATE TABLE t(key PRIMARY KEY, value) WITHOUT ROWID")
    holder = subprocess.Popen(
        [sys.executable, "-c", HOLD_WRITE_LOCK, str(db)], stdout=subprocess.PIPE, text=True
    )
    assert holder.stdout.readline() == "held\n"
    program = tmp_path / "p.carrot"
    program.write_text("txn fn mark() { db.t.b = 2; }\nif db.t.b == null { mark(); }\n")
    done = subprocess.run(
        [sys.executable, "-m", "carrot", "run", str(program), "--db", str(db)],
        capture_output=True,
        text=True,
        timeout=60,
    )
    holder.communicate(timeout=60)
    assert done.returncode == 0, done.stderr
    with sqlite3.connect(db) as conn:
        assert conn.execute("SELECT key, value FROM t").fetchall() == [("a", 1), ("b", 2)]


HOLD_WRITE_LOCK = """
import sqlite3, sys, time
con = sqlite3.connect(sys.argv[1], isolation_level=None)
con.execute("BEGIN IMMEDIATE")
con.execute("INSERT INTO t VALUES ('a', 1)")
print("held", flush=True)
time.sleep(1.0)
con.execute("COMMIT")
"""
