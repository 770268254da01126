"""Real SQLite and this VM writing one file at once, in two processes.

Each process runs the same loop through its own module: Python's `sqlite3` (real SQLite)
on one side, `vdbe.dbapi` (this project's pager, locks and journal) on the other. A
transaction moves a random amount from one account to another, reading the balance first
(so a lost update would show), and records its transfer's id in a log table in the same
transaction. The transactions begin in all three ways (deferred, immediate, exclusive), so
a deferred reader meets a writer and has to give way with `database is locked`, then
retries. After each commit returns, the process appends the id to its own file of
acknowledged transfers.

At the end the file must pass both integrity checks, the balances must sum to what they
started with and be exactly what the log's transfers make of the starting balances (each
transfer counted completely or not at all), and every acknowledged transfer must be in the
log. A killed process may have committed one transfer more than it acknowledged, never
two. The second test kills one side or the other at random moments and starts it again,
so that the survivor meets hot journals of both kinds.

Short by default; CARROT_LONG_TESTS=1 runs each for 60 seconds.
"""

from __future__ import annotations

import importlib
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
from vdbe.storage.format import JOURNAL_MAGIC, JOURNAL_SECTOR_SIZE
from vdbe.storage.journal import HEADER, journal_path, record_checksum

LONG = os.environ.get("CARROT_LONG_TESTS") == "1"
SECONDS = float(os.environ.get("CARROT_SOAK_SECONDS", "60" if LONG else "3"))
ACCOUNTS = 10
START = 1000
BEGINS = ("BEGIN", "BEGIN IMMEDIATE", "BEGIN EXCLUSIVE")
SIDES = ("sqlite3", "vdbe.dbapi")


def transfer_loop(module: str, path: str, name: str, acks: str, seconds: float) -> None:
    """One process's work: transfers until `seconds` have passed, each acknowledged in
    the file `acks` once its COMMIT has returned."""
    db = importlib.import_module(module)
    con = db.connect(path, timeout=30, isolation_level=None)
    rng = random.Random(name)
    deadline = time.monotonic() + seconds
    with open(acks, "w", buffering=1) as out:
        n = 0
        while time.monotonic() < deadline:
            n += 1
            tid = f"{name}-{n}"
            source, target = rng.sample(range(ACCOUNTS), 2)
            amount = rng.randint(1, 50)
            while not move(con, db, rng.choice(BEGINS), tid, source, target, amount):
                pass
            out.write(tid + "\n")
    con.close()


def move(con, db, begin: str, tid: str, source: int, target: int, amount: int) -> bool:
    """One transfer as one transaction; False if the file was busy (nothing done)."""
    try:
        con.execute(begin)
        (balance,) = con.execute("SELECT value FROM bank WHERE key = ?", (source,)).fetchone()
        con.execute("UPDATE bank SET value = ? WHERE key = ?", (balance - amount, source))
        con.execute("UPDATE bank SET value = value + ? WHERE key = ?", (amount, target))
        con.execute("INSERT INTO log VALUES (?, ?)", (tid, f"{source} {target} {amount}"))
        con.execute("COMMIT")
        return True
    except db.OperationalError as exc:
        if "locked" not in str(exc) and "busy" not in str(exc):
            raise
        if con.in_transaction:
            con.execute("ROLLBACK")
        return False


CHILD = """
import sys
sys.path[:0] = {paths!r}
from test_beside_sqlite import transfer_loop
transfer_loop(*sys.argv[1:5], float(sys.argv[5]))
"""


def create_bank(path: Path) -> None:
    con = sqlite3.connect(path)
    con.execute("PRAGMA page_size=1024")
    con.execute("CREATE TABLE bank(key INTEGER PRIMARY KEY, value INTEGER)")
    con.execute("CREATE TABLE log(key TEXT PRIMARY KEY, value TEXT)")
    con.executemany("INSERT INTO bank VALUES (?, ?)", [(k, START) for k in range(ACCOUNTS)])
    con.commit()
    con.close()


class Worker:
    """One process running `transfer_loop`, and the name its transfers are logged under."""

    def __init__(self, tmp: Path, path: Path, module: str, name: str, seconds: float) -> None:
        self.name = name
        self.acks = tmp / f"{name}.acks"
        code = CHILD.format(paths=[os.path.dirname(__file__)])
        argv = [sys.executable, "-c", code, module, str(path), name, str(self.acks)]
        self.proc = subprocess.Popen(
            [*argv, str(seconds)], stdout=subprocess.DEVNULL, stderr=subprocess.PIPE
        )
        self.killed = False

    def kill(self) -> None:
        self.proc.send_signal(signal.SIGKILL)
        self.killed = True

    def finish(self, timeout: float) -> None:
        _, err = self.proc.communicate(timeout=timeout)
        if not self.killed:
            assert self.proc.returncode == 0, err.decode()
        assert b"Traceback" not in err, err.decode()

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


def read_with_vdbe(path: Path) -> dict[int, int]:
    from vdbe import dbapi

    con = dbapi.connect(str(path))
    try:
        return dict(con.execute("SELECT key, value FROM bank"))
    finally:
        con.close()


@pytest.mark.exercise("vdbe-variable")
@pytest.mark.system_locks
def test_sqlite_and_vdbe_move_money_in_one_file(tmp_path):
    path = tmp_path / "bank.db"
    create_bank(path)
    workers = [Worker(tmp_path, path, side, side.split(".")[0], SECONDS) for side in SIDES]
    for worker in workers:
        worker.finish(timeout=SECONDS + 120)
    committed = verify(path, workers)
    counts = {w.name: len(w.acknowledged()) for w in workers}
    print(f"{committed} transfers in {SECONDS:g} s: {counts}")
    assert all(counts.values()), counts  # both sides got to write
    assert sum(read_with_vdbe(path).values()) == ACCOUNTS * START


def leave_a_hot_journal(path: Path) -> None:
    """A transfer cut off in its commit: SQLite has written the bank's new page to the
    file, but the journal holding the old one was never deleted. Whoever opens the file
    next must roll the transfer back. (The journal is written here in SQLite's format: a
    header sector, then one record of page number, old page and checksum.)"""
    page_size, bank_root = 1024, 2
    data = path.read_bytes()
    old_page = data[(bank_root - 1) * page_size : bank_root * page_size]
    con = sqlite3.connect(path)
    con.execute("UPDATE bank SET value = value - 50 WHERE key = 0")
    con.execute("UPDATE bank SET value = value + 50 WHERE key = 1")
    con.commit()
    con.close()
    nonce, pages = 0x5EED, len(data) // page_size
    header = HEADER.pack(JOURNAL_MAGIC, 1, nonce, pages, JOURNAL_SECTOR_SIZE, page_size)
    record = (
        bank_root.to_bytes(4, "big")
        + old_page
        + record_checksum(nonce, old_page).to_bytes(4, "big")
    )
    Path(journal_path(str(path))).write_bytes(header.ljust(JOURNAL_SECTOR_SIZE, b"\0") + record)


@pytest.mark.exercise("vdbe-variable")
@pytest.mark.exercise("storage-journal-recovery")
@pytest.mark.system_locks
def test_either_side_killed_at_random_moments(tmp_path):
    path = tmp_path / "bank.db"
    create_bank(path)
    leave_a_hot_journal(path)  # this VM rolls it back first, before either side starts
    assert read_with_vdbe(path) == dict.fromkeys(range(ACCOUNTS), START)
    assert not Path(journal_path(str(path))).exists()
    rng = random.Random(20261207)
    live = {side: Worker(tmp_path, path, side, f"{side.split('.')[0]}0", 3600) for side in SIDES}
    workers = list(live.values())
    deadline = time.monotonic() + SECONDS
    kills = 0
    while time.monotonic() < deadline or kills < 2:
        side = rng.choice(SIDES)
        if rng.random() < 0.7:  # most kills: once it is moving money
            live[side].wait_for_a_transfer()
        time.sleep(rng.uniform(0.0, 1.0))
        live[side].kill()
        live[side].finish(timeout=60)
        kills += 1
        name = f"{side.split('.')[0]}{kills}"
        live[side] = Worker(tmp_path, path, side, name, 3600)
        workers.append(live[side])
    for worker in live.values():
        worker.wait_for_a_transfer()
        worker.kill()
        worker.finish(timeout=60)
    committed = verify(path, workers)
    print(f"{committed} transfers, {kills} kills in {SECONDS:g} s")
    assert committed > 0
    assert sum(read_with_vdbe(path).values()) == ACCOUNTS * START


HOLD_EXCLUSIVE = """
import sqlite3, sys, time
con = sqlite3.connect(sys.argv[1], isolation_level=None)
con.execute("BEGIN EXCLUSIVE")
con.execute("INSERT INTO bank VALUES (99, 0)")
print("held", flush=True)
time.sleep(0.5)
con.execute("COMMIT")
"""


@pytest.mark.system_locks
def test_connect_waits_while_sqlite_holds_the_file(tmp_path):
    """Opening reads the header, which needs a shared lock: the busy timeout covers it."""
    from vdbe import dbapi

    path = tmp_path / "bank.db"
    create_bank(path)
    holder = subprocess.Popen(
        [sys.executable, "-c", HOLD_EXCLUSIVE, str(path)], stdout=subprocess.PIPE, text=True
    )
    assert holder.stdout.readline() == "held\n"
    con = dbapi.connect(str(path), timeout=30)
    assert con.execute("SELECT count(*) FROM bank").fetchone() == (ACCOUNTS + 1,)
    con.close()
    holder.communicate(timeout=60)
