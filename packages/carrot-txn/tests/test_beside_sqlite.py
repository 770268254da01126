"""A Carrot program and real SQLite moving money in one database file at once.

``programs/beside.carrot`` runs under ``carrot run --db`` and moves amounts between the
accounts of ``db.bank`` in a transactional call, writing each transfer's id into
``db.log`` in the same call, and printing the id once the call has returned (committed).
Beside it, a Python process does the same through the ``sqlite3`` module, in SQL
transactions begun in all three ways, retrying when the file is busy. Both wait for each
other's locks (busy timeouts).

At the end the file passes both integrity checks (real SQLite's and this project's), the
balances sum to what they started with and are exactly what the logged transfers make of
the starting balances, and every acknowledged transfer is in the log; a killed process
may have committed one transfer more than it acknowledged, never two. The second test
kills the Carrot program or the SQLite process at random moments and starts it again.

Short by default; CARROT_LONG_TESTS=1 runs each for 60 seconds.
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
from vdbe.check import check

PROGRAM = Path(__file__).resolve().parent / "programs" / "beside.carrot"
LONG = os.environ.get("CARROT_LONG_TESTS", "0") not in ("", "0")
SECONDS = float(os.environ.get("CARROT_SOAK_SECONDS", "60" if LONG else "3"))
ACCOUNTS = 10
START = 1000
BEGINS = ("BEGIN", "BEGIN IMMEDIATE", "BEGIN EXCLUSIVE")

SQLITE_SIDE = f"""
import random, sqlite3, sys, time
path, name, acks, seconds = sys.argv[1], sys.argv[2], sys.argv[3], float(sys.argv[4])
con = sqlite3.connect(path, timeout=30, isolation_level=None)
rng = random.Random(name)
deadline = time.monotonic() + seconds
with open(acks, "w", buffering=1) as out:
    n = 0
    while time.monotonic() < deadline:
        n += 1
        source, target = rng.sample(range(10), 2)
        amount = rng.randint(1, 50)
        while True:
            try:
                con.execute(rng.choice({BEGINS!r}))
                row = con.execute("SELECT value FROM bank WHERE key = ?", (source,)).fetchone()
                balance = row[0]
                con.execute("UPDATE bank SET value = ? WHERE key = ?", (balance - amount, source))
                con.execute("UPDATE bank SET value = value + ? WHERE key = ?", (amount, target))
                entry = (f"{{name}}-{{n}}", f"{{source}} {{target}} {{amount}}")
                con.execute("INSERT INTO log VALUES (?, ?)", entry)
                con.execute("COMMIT")
                break
            except sqlite3.OperationalError as exc:
                if "locked" not in str(exc) and "busy" not in str(exc):
                    raise
                if con.in_transaction:
                    con.execute("ROLLBACK")
        out.write(f"{{name}}-{{n}}\\n")
"""


def create_bank(path: Path) -> None:
    """The tables as Carrot makes them: ``key``/``value``, WITHOUT ROWID."""
    con = sqlite3.connect(path)
    for table in ("bank", "log", "config"):
        con.execute(f"CREATE TABLE {table}(key PRIMARY KEY, value) WITHOUT ROWID")
    con.executemany("INSERT INTO bank VALUES (?, ?)", [(k, START) for k in range(ACCOUNTS)])
    con.commit()
    con.close()


class Worker:
    """A process moving money (Carrot or SQLite), acknowledging into a file of its own."""

    def __init__(self, tmp: Path, path: Path, name: str, seconds: float = 3600) -> None:
        self.name = name
        self.acks = tmp / f"{name}.acks"
        if name.startswith("carrot"):
            program = tmp / f"{name}.carrot"
            number = int(name.removeprefix("carrot"))
            program.write_text(f'let name = "{name}";\nlet seed = {number};\n{PROGRAM.read_text()}')
            argv = ["-m", "carrot", "run", str(program), "--db", str(path)]
            out = self.acks.open("w")
        else:
            argv = ["-c", SQLITE_SIDE, str(path), name, str(self.acks), str(seconds)]
            out = subprocess.DEVNULL
        env = dict(os.environ, PYTHONUNBUFFERED="1", CARROT_BUSY_TIMEOUT="30")
        self.proc = subprocess.Popen(
            [sys.executable, *argv], stdout=out, stderr=subprocess.PIPE, env=env
        )
        if out is not subprocess.DEVNULL:
            out.close()
        self.killed = False

    def kill(self) -> None:
        self.proc.send_signal(signal.SIGKILL)
        self.killed = True

    def finish(self, timeout: float) -> None:
        _, err = self.proc.communicate(timeout=timeout)
        assert b"Traceback" not in err, err.decode()
        if not self.killed:
            assert self.proc.returncode == 0, err.decode()

    def wait_for_a_transfer(self, timeout: float = 60) -> None:
        deadline = time.monotonic() + timeout
        while not self.acknowledged():
            assert self.proc.poll() is None, self.proc.stderr.read().decode()
            assert time.monotonic() < deadline, f"{self.name} made no transfer"
            time.sleep(0.02)

    def acknowledged(self) -> list[str]:
        if not self.acks.exists():
            return []
        return [line for line in self.acks.read_text().split("\n") if line]


def verify(path: Path, workers: list[Worker]) -> int:
    """Both integrity checks, the invariant, and the log against the acknowledgements.
    Returns the number of transfers committed."""
    con = sqlite3.connect(path)
    assert con.execute("PRAGMA integrity_check").fetchall() == [("ok",)]
    balances = dict(con.execute("SELECT key, value FROM bank"))
    log = dict(con.execute("SELECT key, value FROM log"))
    con.close()
    assert check(str(path)) == []
    assert sum(balances.values()) == ACCOUNTS * START
    expected = dict.fromkeys(range(ACCOUNTS), START)
    for value in log.values():
        source, target, amount = map(int, value.split())
        expected[source] -= amount
        expected[target] += amount
    assert balances == expected
    for worker in workers:
        acked = worker.acknowledged()
        assert set(acked) <= log.keys(), worker.name
        mine = {tid for tid in log if tid.rsplit("-", 1)[0] == worker.name}
        unacked = mine - set(acked)
        if worker.killed:  # the one in flight may have committed
            assert unacked <= {f"{worker.name}-{len(acked) + 1}"}, (worker.name, unacked)
        else:
            assert not unacked, (worker.name, unacked)
    return len(log)


def stop_carrot(path: Path) -> None:
    con = sqlite3.connect(path, timeout=60)
    con.execute("INSERT INTO config VALUES ('stop', 1)")
    con.commit()
    con.close()


@pytest.mark.exercise("txn-commit-returns")
@pytest.mark.exercise("txn-persistent-scalars")
def test_carrot_and_sqlite_move_money_in_one_file(tmp_path):
    path = tmp_path / "bank.db"
    create_bank(path)
    carrot = Worker(tmp_path, path, "carrot0")
    sqlite_side = Worker(tmp_path, path, "sqlite", seconds=SECONDS)
    sqlite_side.finish(timeout=SECONDS + 120)
    stop_carrot(path)
    carrot.finish(timeout=120)
    committed = verify(path, [carrot, sqlite_side])
    counts = {w.name: len(w.acknowledged()) for w in (carrot, sqlite_side)}
    print(f"{committed} transfers in {SECONDS:g} s: {counts}")
    assert all(counts.values()), counts  # both sides got to write


@pytest.mark.exercise("txn-commit-returns")
@pytest.mark.exercise("txn-persistent-scalars")
def test_either_side_killed_at_random_moments(tmp_path):
    path = tmp_path / "bank.db"
    create_bank(path)
    rng = random.Random(20261207)
    live = {side: Worker(tmp_path, path, f"{side}0") for side in ("carrot", "sqlite")}
    workers = list(live.values())
    deadline = time.monotonic() + SECONDS
    kills = 0
    while time.monotonic() < deadline or kills < 2:
        side = rng.choice(sorted(live))
        if rng.random() < 0.7:  # most kills: once it is moving money
            live[side].wait_for_a_transfer()
        time.sleep(rng.uniform(0.0, 1.0))
        live[side].kill()
        live[side].finish(timeout=60)
        kills += 1
        live[side] = Worker(tmp_path, path, f"{side}{kills}")
        workers.append(live[side])
    for worker in live.values():
        worker.wait_for_a_transfer()
        worker.kill()
        worker.finish(timeout=60)
    committed = verify(path, workers)
    print(f"{committed} transfers, {kills} kills in {SECONDS:g} s")
    assert committed > 0
