"""Crash safety: a writer killed at any instant, or failing writes and syncs, loses nothing
that was committed and leaves nothing half done.

The workload is deterministic: transaction n inserts rows n*1000+j, deletes the even ones
of transaction n-3 and the rest of transaction n-20, and sets row 1 to n. From row 1 alone
we can rebuild exactly what the table must hold after the first n transactions, and
compare. Since old rows go, the table keeps about the same size however many transactions
have run, so the thousandth kill costs as little to check as the first.

The writer is a child forked from this process, which has already imported vdbe: a kill
costs no interpreter start-up, so there can be many. Each kill lands at a random moment of
the writer's life: while it opens the file, inside a transaction, or inside a commit
(writing the journal, syncing it, writing the database, deleting the journal).

Short mode runs in CI; CARROT_LONG_TESTS=1 runs 1,000 kills (CARROT_KILLS sets how many).
"""

from __future__ import annotations

import os
import random
import signal
import sqlite3
import time
import traceback
from typing import TextIO

import pytest
from vdbe.check import check
from vdbe.record import encode_record
from vdbe.storage import Database, FaultyVfs

LONG = os.environ.get("CARROT_LONG_TESTS") == "1"
KILLS = int(os.environ.get("CARROT_KILLS", "1000" if LONG else "15"))
FORGOTTEN_AFTER = 20  # transaction n deletes what is left of transaction n-20


def rows_of(n: int) -> dict[int, bytes]:
    """The rows transaction n inserts."""
    rng = random.Random(n)
    count = 5 + n % 40
    return {n * 1000 + j: bytes([n % 251]) * rng.choice([10, 100, 700, 3000]) for j in range(count)}


def deleted_by(n: int) -> list[int]:
    """The even rows of transaction n-3, then the odd ones of transaction n-20."""
    even = [k for k in rows_of(n - 3) if k % 2 == 0] if n > 3 else []
    odd = [k for k in rows_of(n - FORGOTTEN_AFTER) if k % 2] if n > FORGOTTEN_AFTER else []
    return even + odd


class Expected:
    """What the table holds after the first `count` transactions, kept up to date as
    the count only grows (a later kill never finds fewer transactions committed)."""

    def __init__(self) -> None:
        self.count = 0
        self.rows: dict[int, bytes] = {}

    def after(self, k: int) -> dict[int, bytes]:
        assert k >= self.count, (k, self.count)
        for n in range(self.count + 1, k + 1):
            self.rows.update(rows_of(n))
            for key in deleted_by(n):
                self.rows.pop(key, None)
        self.count = k
        return self.rows


def apply_transaction(db: Database, root: int, n: int) -> None:
    c = db.cursor(root, writable=True)
    for key, value in rows_of(n).items():
        c.insert(key, encode_record([value]))
    for key in deleted_by(n):
        if c.seek_rowid(key):
            c.delete()
    c.insert(1, encode_record([n]))


def worker_main(path: str, root: int, first: int, out) -> None:
    """The child's work: commit transactions first, first+1, ... until killed, writing
    each number to `out` once its commit has returned."""
    db = Database(path, cache_pages=15)
    print("ready", file=out, flush=True)
    n = first
    while True:
        db.begin(write=True)
        apply_transaction(db, root, n)
        db.commit()
        print(n, file=out, flush=True)
        n += 1


def fork_writer(path: str, root: int, first: int) -> tuple[int, TextIO]:
    """Start `worker_main` in a forked child; returns its pid and its lines of output."""
    read_end, write_end = os.pipe()
    pid = os.fork()
    if pid == 0:  # the child: never returns into the test runner
        try:
            os.close(read_end)
            worker_main(path, root, first, os.fdopen(write_end, "w"))
        except BaseException:
            traceback.print_exc()  # (an exercise's stub, say): the test then fails
        finally:
            os._exit(70)
    os.close(write_end)
    return pid, os.fdopen(read_end)


def setup_file(path: str, page_size: int = 1024) -> int:
    con = sqlite3.connect(path)
    con.execute(f"PRAGMA page_size={page_size}")
    con.execute("CREATE TABLE t(v)")
    con.execute("INSERT INTO t(rowid, v) VALUES (1, 0)")
    con.commit()
    root = con.execute("SELECT rootpage FROM sqlite_schema WHERE name='t'").fetchone()[0]
    con.close()
    return root


def verify(path: str, low: int, high: int, recover_with_sqlite: bool, expected: Expected) -> int:
    """Open (recovering any hot journal, by this project's pager or by SQLite), check
    integrity both ways and that the content is exactly the first k transactions,
    low <= k <= high. Returns k."""
    if not recover_with_sqlite:
        Database(path).close()  # rolls a hot journal back
    con = sqlite3.connect(path)  # (or SQLite rolls it back, at its first read)
    try:
        assert con.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        k = con.execute("SELECT v FROM t WHERE rowid=1").fetchone()[0]
        got = dict(con.execute("SELECT rowid, v FROM t WHERE rowid > 1"))
    finally:
        con.close()
    journal = path + "-journal"
    if os.path.exists(journal):
        # SQLite leaves a journal that is not hot (killed before its header was written)
        with open(journal, "rb") as f:
            assert f.read(1) in (b"", b"\x00")
    assert check(path) == []
    assert low <= k <= high, (low, k, high)
    assert got == expected.after(k)
    return k


def kill_at_random(pid: int, lines: TextIO, rng: random.Random) -> list[int]:
    """Kill the writer at a random moment; returns the transactions it acknowledged."""
    seen = []
    if rng.random() < 0.1:  # while it starts and opens the file
        time.sleep(rng.uniform(0.0, 0.005))
    else:  # once it is writing: in its first transaction or a few commits later
        assert lines.readline() == "ready\n", "the writer did not start"
        for _ in range(rng.randint(0, 3)):
            seen.append(lines.readline())
        time.sleep(rng.uniform(0.0, 0.06))
    os.kill(pid, signal.SIGKILL)
    seen.append(lines.read())
    os.waitpid(pid, 0)
    lines.close()
    return [int(x) for x in " ".join(seen).split() if x != "ready"]


@pytest.mark.exercise("storage-journal-recovery")
def test_killed_writer_leaves_a_prefix_of_its_transactions(tmp_path):
    path = str(tmp_path / "crash.db")
    root = setup_file(path)
    rng = random.Random(2024)
    expected = Expected()
    done = 0
    for kill in range(KILLS):
        pid, lines = fork_writer(path, root, done + 1)
        acked = kill_at_random(pid, lines, rng)
        low = acked[-1] if acked else done
        done = verify(path, low, low + 1, recover_with_sqlite=kill % 2 == 1, expected=expected)
    print(f"{KILLS} kills, {done} transactions committed")
    assert done > 0


@pytest.mark.exercise("storage-journal-recovery")
@pytest.mark.parametrize("what", ["write", "sync"])
def test_failed_writes_and_syncs_lose_nothing_committed(tmp_path, what):
    """Fail the Nth write or sync for N = 1, 2, 3, ...: after each failure the next open
    recovers to the last committed transaction, or the one that was committing."""
    path = str(tmp_path / f"fault-{what}.db")
    root = setup_file(path, page_size=512)
    expected = Expected()
    done = 0
    points = range(1, 120, 1 if LONG else 7)
    for n in points:
        vfs = FaultyVfs(**{f"fail_{what}_at": n})
        db = Database(path, vfs=vfs, cache_pages=12)
        failed = False
        try:
            for _ in range(3):
                db.begin(write=True)
                apply_transaction(db, root, done + 1)
                db.commit()
                done += 1
        except Exception as exc:  # the injected failure, as the error the pager raises
            assert vfs.failed, exc
            failed = True
        db.pager.abandon()
        high = done + (1 if failed else 0)
        done = verify(path, done, high, recover_with_sqlite=n % 2 == 0, expected=expected)
    assert done > 3
