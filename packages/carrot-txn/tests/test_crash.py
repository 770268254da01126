"""Kill a Carrot program in the middle of its transfers; nothing committed is lost.

A child process runs ``programs/transfers.carrot`` on a database file and prints
``done N`` after each transfer's transactional call has returned (and so committed).
The test kills it with SIGKILL at a random moment, then checks the file: real SQLite's
``integrity_check`` says ok, the balances still sum to 1000, and the committed count
is at least the last one the child reported (a transfer may commit just before the
kill and not yet be reported, so it may be one more).

The child is forked from this process, which has already imported Carrot, and runs the
``carrot`` command's ``main()``: the same code as ``carrot run --db`` from the argument
parser down, with no interpreter start-up to wait for, so the kills can be many. One
test still starts the real command in a process of its own.
"""

from __future__ import annotations

import os
import random
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest
from carrot.cli import main

PROGRAM = Path(__file__).resolve().parent / "programs" / "transfers.carrot"
LONG = os.environ.get("CARROT_LONG_TESTS", "0") not in ("", "0")
KILLS = 200 if LONG else 8


class Child:
    """``carrot run PROGRAM --db DB`` in a forked child, its output in pipes."""

    def __init__(self, db: Path) -> None:
        out_read, out_write = os.pipe()
        err_read, err_write = os.pipe()
        self.pid = os.fork()
        if self.pid == 0:  # the child: never returns into the test runner
            status = 70
            try:
                os.close(out_read)
                os.close(err_read)
                sys.stdout = open(out_write, "w", encoding="utf-8", buffering=1)  # noqa: SIM115
                sys.stderr = open(err_write, "w", encoding="utf-8", buffering=1)  # noqa: SIM115
                sys.stdin = open(os.devnull)  # noqa: SIM115
                status = main(["run", str(PROGRAM), "--db", str(db)])
                sys.stdout.flush()
                sys.stderr.flush()
            finally:
                os._exit(status)
        os.close(out_write)
        os.close(err_write)
        self.stdout = os.fdopen(out_read, "rb")
        self.stderr = os.fdopen(err_read, "rb")

    def kill(self) -> tuple[bytes, bytes]:
        """SIGKILL it; returns what it had written to stdout and stderr."""
        os.kill(self.pid, signal.SIGKILL)
        out, err = self.stdout.read(), self.stderr.read()
        os.waitpid(self.pid, 0)
        self.stdout.close()
        self.stderr.close()
        return out, err


def last_reported(output: bytes) -> int:
    numbers = [int(line.split()[1]) for line in output.decode().splitlines() if line.strip()]
    return max(numbers, default=0)


def check(db: Path, reported: int, before: int = 0) -> int:
    """Check the file after a kill; ``reported`` is the last count the child printed,
    ``before`` the count committed before it started. Returns the committed count."""
    with sqlite3.connect(db) as conn:
        assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        tables = {row[0] for row in conn.execute("SELECT name FROM sqlite_schema")}
        if "meta" not in tables:  # killed before the first commit
            assert reported == before == 0
            return 0
        count = conn.execute("SELECT value FROM meta WHERE key = 'count'").fetchone()[0]
        total = conn.execute("SELECT sum(value) FROM bank").fetchone()[0]
    assert total == 1000
    # every reported transfer is there; at most one more committed before the kill
    assert max(reported, before) <= count <= max(reported, before) + 1
    return count


@pytest.mark.exercise("txn-commit-returns")
@pytest.mark.exercise("txn-create-table")
@pytest.mark.exercise("txn-persistent-scalars")
def test_killed_transfers_keep_every_committed_one(tmp_path):
    db = tmp_path / "bank.db"
    rng = random.Random(20261122)
    committed = 0
    for kill in range(KILLS):
        child = Child(db)
        first = b""
        if kill % 2:  # every other run: kill only once it is moving money
            first = child.stdout.readline()
            time.sleep(rng.uniform(0.0, 0.3))
        else:  # the others: at any moment, start-up and the first commit included
            time.sleep(rng.uniform(0.0, 0.3))
        out, err = child.kill()
        assert b"Traceback" not in err and b"internal error" not in err, err
        committed = check(db, last_reported(first + out), before=committed)
    print(f"{KILLS} kills, {committed} transfers committed")
    assert committed > 0


@pytest.mark.parametrize("limit", [40])
@pytest.mark.exercise("txn-commit-returns")
@pytest.mark.exercise("txn-create-table")
@pytest.mark.exercise("txn-persistent-scalars")
def test_program_runs_to_its_limit(tmp_path, limit):
    db = tmp_path / "bank.db"
    with sqlite3.connect(db) as conn:
        conn.execute("CREATE TABLE config(key PRIMARY KEY, value) WITHOUT ROWID")
        conn.execute("INSERT INTO config VALUES ('limit', ?)", (limit,))
    done = subprocess.run(
        [sys.executable, "-m", "carrot", "run", str(PROGRAM), "--db", str(db)],
        capture_output=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr
    assert check(db, last_reported(done.stdout)) == last_reported(done.stdout)
