"""Power loss at every sync: the database keeps exactly the transactions that committed.

A workload of SQL transactions (inserts that split pages, updates that grow rows onto
overflow pages, deletes that free pages and merge them, and one transaction much larger
than the page cache, so that pages spill to the file before the commit) runs through
`CrashVfs`. A dry run counts its syncs; then, for every sync k, the workload runs again
from the same starting file and the power is cut just before sync k: unsynced writes are
kept or lost at random, reordered and torn at 512-byte sectors. The files the cut leaves
are opened by this project's code (which rolls the hot journal back) or by real SQLite,
alternately; both integrity checks must pass and the table must hold exactly what real
SQLite computes for the transactions whose COMMIT had returned. The long run draws several
outcomes of each cut from one run of the workload (`CrashVfs.redraw`).

Short by default (one outcome at each of 15 sync points drawn with a fixed seed);
CARROT_LONG_TESTS=1 cuts at every sync point and draws six outcomes at each: more than a
thousand power losses in all.
"""

from __future__ import annotations

import os
import random
import shutil
import sqlite3

import pytest
from vdbe.check import check
from vdbe.connection import Connection
from vdbe.storage.crashvfs import CrashVfs, PowerCut

LONG = os.environ.get("CARROT_LONG_TESTS") == "1"
OUTCOMES_PER_POINT = 6 if LONG else 1
SHORT_POINTS = 15  # sync points drawn (seeded) in the short run


def workload(seed: int) -> list[str]:
    """The transactions, as SQL scripts (deterministic for a seed)."""
    rng = random.Random(seed)

    def text(low, high):
        return "'" + "".join(rng.choice("abcdefgh") for _ in range(rng.randint(low, high))) + "'"

    inserts = ";".join(f"INSERT INTO t(v) VALUES ({text(5, 400)})" for _ in range(60))
    big = ";".join(f"INSERT INTO t(v) VALUES ({text(200, 300)})" for _ in range(150))
    return [
        inserts,  # leaf and interior splits, in the table and its index
        "UPDATE t SET v = v || " + text(300, 900) + " WHERE id % 3 = 0",  # overflow pages
        "DELETE FROM t WHERE id % 4 <> 1",  # pages freed, siblings merged
        "PRAGMA cache_size=10;" + big,  # more pages than the cache holds: they spill
        "DELETE FROM t WHERE id > 40; UPDATE t SET v = upper(v)",
    ]


SCHEMA = "CREATE TABLE t(id INTEGER PRIMARY KEY, v TEXT); CREATE INDEX t_v ON t(v);"


def expected_states(transactions: list[str]) -> list[list[tuple]]:
    """The table after 0, 1, 2, ... transactions, as real SQLite computes it."""
    con = sqlite3.connect(":memory:")
    con.executescript(SCHEMA)
    states = [[]]
    for sql in transactions:
        con.executescript("BEGIN;" + sql + ";COMMIT;")
        states.append(con.execute("SELECT id, v FROM t ORDER BY id").fetchall())
    con.close()
    return states


def make_base(path: str, page_size: int) -> None:
    con = sqlite3.connect(path)
    con.execute(f"PRAGMA page_size={page_size}")
    con.executescript(SCHEMA)
    con.close()


def run(path: str, vfs: CrashVfs, transactions: list[str]) -> int:
    """Run the transactions until they end or the power is cut; returns how many of
    them had committed (their COMMIT returned)."""
    committed = 0
    conn = Connection(path, vfs=vfs)
    try:
        for sql in transactions:
            conn.executescript("BEGIN;" + sql + ";COMMIT;")
            committed += 1
    except PowerCut:
        abandon(conn)
    else:
        conn.close()
    return committed


def abandon(conn: Connection) -> None:
    """Let go of a connection's files without writing anything: the power is off."""
    for db in conn.databases:
        db.pager.abandon()
    conn.compiler.close()


def rows_by_vdbe(path: str) -> list[tuple]:
    conn = Connection(path)
    try:
        return [tuple(r) for r in conn.execute("SELECT id, v FROM t ORDER BY id")]
    finally:
        conn.close()


def rows_by_sqlite(path: str) -> list[tuple]:
    con = sqlite3.connect(path)
    try:
        assert con.execute("PRAGMA integrity_check").fetchall() == [("ok",)]
        return con.execute("SELECT id, v FROM t ORDER BY id").fetchall()
    finally:
        con.close()


def verify_after_cut(path: str, expected: list[tuple], recover_with_sqlite: bool) -> None:
    """Recover the files a power cut left, with one engine; both must then agree."""
    if recover_with_sqlite:
        first = rows_by_sqlite(path)
        second = rows_by_vdbe(path)
    else:
        first = rows_by_vdbe(path)
        second = rows_by_sqlite(path)
    assert check(path) == []
    assert first == second
    assert first == expected


def power_loss_points(tmp_path, page_size: int, seed: int) -> int:
    """Cut the power at every sync of the workload; returns how many cuts were made."""
    transactions = workload(seed)
    states = expected_states(transactions)
    base = str(tmp_path / "base.db")
    make_base(base, page_size)

    dry = tmp_path / "dry"
    dry.mkdir()
    shutil.copy(base, dry / "t.db")
    vfs = CrashVfs()
    assert run(str(dry / "t.db"), vfs, transactions) == len(transactions)
    assert rows_by_vdbe(str(dry / "t.db")) == states[-1]
    syncs = vfs.ops["sync"]
    assert syncs > 3 * len(transactions)  # each commit syncs three times; spills add more

    cuts = 0
    points = range(1, syncs + 1)
    if not LONG:
        points = sorted(random.Random(seed).sample(points, min(SHORT_POINTS, syncs)))
    for k in points:
        work = tmp_path / f"cut{k}"
        work.mkdir()
        shutil.copy(base, work / "t.db")
        vfs = CrashVfs(cut_at=("sync", k), seed=seed * 1000 + k * 50)
        committed = run(str(work / "t.db"), vfs, transactions)
        assert vfs.images is not None, f"no sync {k}"
        for outcome in range(OUTCOMES_PER_POINT):
            if outcome:  # the same cut, other writes kept, reordered, torn
                vfs.redraw(seed * 1000 + k * 50 + outcome)
            after = tmp_path / f"after{k}-{outcome}"
            after.mkdir()
            vfs.restore(str(after))
            verify_after_cut(str(after / "t.db"), states[committed], (k + outcome) % 2 == 1)
            shutil.rmtree(after)
            cuts += 1
        shutil.rmtree(work)
    return cuts


@pytest.mark.exercise("storage-journal-recovery")
@pytest.mark.parametrize("page_size", [512, 4096])
def test_power_loss_at_every_sync_keeps_exactly_the_committed_transactions(tmp_path, page_size):
    cuts = power_loss_points(tmp_path, page_size, seed=page_size)
    print(f"page size {page_size}: {cuts} power losses")
    assert cuts >= 10


def test_a_redrawn_outcome_is_the_one_its_seed_gives(tmp_path, monkeypatch):
    """The long run draws several outcomes of one cut with `redraw`: each must be what a
    run of the workload cut with that seed leaves, and the seeds must make a difference.
    (The journal's nonce is random: fixed here, so that two runs write the same bytes.)"""
    monkeypatch.setattr(os, "urandom", lambda size: bytes(size))
    transactions = workload(1)[:2]
    base = str(tmp_path / "base.db")
    make_base(base, 4096)

    def cut(name: str, seed: int) -> CrashVfs:
        (tmp_path / name).mkdir()
        shutil.copy(base, tmp_path / name / "t.db")
        vfs = CrashVfs(cut_at=("sync", 6), seed=seed)
        run(str(tmp_path / name / "t.db"), vfs, transactions)
        return vfs

    def images(vfs: CrashVfs) -> dict[str, bytes]:
        return {os.path.basename(name): image for name, image in vfs.images.items()}

    redrawn = cut("redrawn", seed=10)
    first = images(redrawn)
    redrawn.redraw(11)
    assert images(redrawn) == images(cut("fresh", seed=11))
    assert images(redrawn) != first
