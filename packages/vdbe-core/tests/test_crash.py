"""Crash safety: a writer killed at any instant, or failing writes and syncs, loses nothing
that was committed and leaves nothing half done.

The workload is deterministic: transaction n inserts rows n*1000+j and deletes some rows
of transaction n-3, and sets row 1 to n. From row 1 alone we can rebuild exactly what the
table must hold after the first n transactions, and compare.

Short mode runs in CI; CARROT_LONG_TESTS=1 runs 900 kills (CARROT_KILLS sets how many).
"""

from __future__ import annotations

import os
import random
import signal
import sqlite3
import subprocess
import sys
import time

import pytest
from vdbe.check import check
from vdbe.record import encode_record
from vdbe.storage import Database, FaultyVfs

LONG = os.environ.get("CARROT_LONG_TESTS") == "1"
KILLS = int(os.environ.get("CARROT_KILLS", "900" if LONG else "15"))


def rows_of(n: int) -> dict[int, bytes]:
    """The rows transaction n inserts."""
    rng = random.Random(n)
    count = 5 + n % 40
    return {n * 1000 + j: bytes([n % 251]) * rng.choice([10, 100, 700, 3000]) for j in range(count)}


def deleted_by(n: int) -> list[int]:
    if n <= 3:
        return []
    return [k for k in rows_of(n - 3) if k % 2 == 0]


def expected_after(k: int) -> dict[int, bytes]:
    state: dict[int, bytes] = {}
    for n in range(1, k + 1):
        state.update(rows_of(n))
        for key in deleted_by(n):
            state.pop(key, None)
    return state


def apply_transaction(db: Database, root: int, n: int) -> None:
    c = db.cursor(root, writable=True)
    for key, value in rows_of(n).items():
        c.insert(key, encode_record([value]))
    for key in deleted_by(n):
        if c.seek_rowid(key):
            c.delete()
    c.insert(1, encode_record([n]))


def worker_main(path: str, root: int, first: int) -> None:
    """The child process: commit transactions first, first+1, ... until killed, printing
    each number once its commit has returned."""
    db = Database(path, cache_pages=15)
    print("ready", flush=True)
    n = first
    while True:
        db.begin(write=True)
        apply_transaction(db, root, n)
        db.commit()
        print(n, flush=True)
        n += 1


CHILD = """
import sys
sys.path[:0] = {paths!r}
from test_crash import worker_main
worker_main(sys.argv[1], int(sys.argv[2]), int(sys.argv[3]))
"""


def setup_file(path: str, page_size: int = 1024) -> int:
    con = sqlite3.connect(path)
    con.execute(f"PRAGMA page_size={page_size}")
    con.execute("CREATE TABLE t(v)")
    con.execute("INSERT INTO t(rowid, v) VALUES (1, 0)")
    con.commit()
    root = con.execute("SELECT rootpage FROM sqlite_schema WHERE name='t'").fetchone()[0]
    con.close()
    return root


def committed_count(path: str) -> int:
    con = sqlite3.connect(path)
    try:
        return con.execute("SELECT v FROM t WHERE rowid=1").fetchone()[0]
    finally:
        con.close()


def verify(path: str, low: int, high: int, recover_with_sqlite: bool) -> int:
    """Open (recovering any hot journal), check integrity and that the content is exactly
    the first k transactions, low <= k <= high. Returns k."""
    if recover_with_sqlite:
        con = sqlite3.connect(path)
        assert con.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        con.close()
    else:
        db = Database(path)  # rolls a hot journal back
        db.close()
        con = sqlite3.connect(path)
        assert con.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        con.close()
    journal = path + "-journal"
    if os.path.exists(journal):
        # SQLite leaves a journal that is not hot (killed before its header was written)
        with open(journal, "rb") as f:
            assert f.read(1) in (b"", b"\x00")
    assert check(path) == []
    k = committed_count(path)
    assert low <= k <= high, (low, k, high)
    con = sqlite3.connect(path)
    got = {r: v for r, v in con.execute("SELECT rowid, v FROM t WHERE rowid > 1")}
    con.close()
    assert got == expected_after(k)
    return k


@pytest.mark.exercise("storage-journal-recovery")
def test_killed_writer_leaves_a_prefix_of_its_transactions(tmp_path):
    path = str(tmp_path / "crash.db")
    root = setup_file(path)
    rng = random.Random(2024)
    done = 0
    kills = 0
    deadline = time.monotonic() + (3000 if LONG else 60)
    while kills < KILLS and time.monotonic() < deadline:
        code = CHILD.format(paths=[os.path.dirname(__file__)])
        proc = subprocess.Popen(
            [sys.executable, "-c", code, path, str(root), str(done + 1)],
            stdout=subprocess.PIPE,
            text=True,
        )
        assert proc.stdout.readline().strip() == "ready"
        time.sleep(rng.uniform(0.0, 0.25))
        proc.send_signal(signal.SIGKILL)
        out = proc.stdout.read()
        proc.wait()
        proc.stdout.close()
        acked = [int(x) for x in out.split()]
        low = acked[-1] if acked else done
        done = verify(path, low, low + 1, recover_with_sqlite=kills % 2 == 1)
        kills += 1
    print(f"{kills} kills, {done} transactions committed")
    assert kills >= min(KILLS, 5)
    assert done > 0


@pytest.mark.exercise("storage-journal-recovery")
@pytest.mark.parametrize("what", ["write", "sync"])
def test_failed_writes_and_syncs_lose_nothing_committed(tmp_path, what):
    """Fail the Nth write or sync for N = 1, 2, 3, ...: after each failure the next open
    recovers to the last committed transaction, or the one that was committing."""
    path = str(tmp_path / f"fault-{what}.db")
    root = setup_file(path, page_size=512)
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
        done = verify(path, done, done + (1 if failed else 0), recover_with_sqlite=n % 2 == 0)
    assert done > 3
