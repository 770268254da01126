"""Failing disks: the n-th write, sync, truncate or delete of a transaction fails with EIO or
ENOSPC, for every n. The statement must fail with SQLite's message ('disk I/O error',
'database or disk is full'), the connection must go on, its next transaction must work,
and the file must stay whole: both integrity checks pass, and it holds the transactions
that committed (the failed one may have committed if only its last step failed).

Short by default (a seeded sample of the failure points); CARROT_LONG_TESTS=1 fails every
operation of the transaction in turn, once with EIO and once with ENOSPC.
"""

from __future__ import annotations

import errno
import os
import random
import shutil
import sqlite3

import pytest
from vdbe.check import check
from vdbe.connection import Connection
from vdbe.errors import VdbeError
from vdbe.storage.crashvfs import KINDS, CrashVfs

LONG = os.environ.get("CARROT_LONG_TESTS") == "1"
SHORT_POINTS = 6  # failure points drawn per kind and error in the short run

SCHEMA = "CREATE TABLE t(id INTEGER PRIMARY KEY, v TEXT); CREATE INDEX t_v ON t(v);"
SETUP = ";".join(f"INSERT INTO t(v) VALUES ('{'ab' * (20 + i * 7 % 300)}')" for i in range(120))
RECOVERY = [pytest.mark.exercise("storage-journal-recovery")]

FAILING = {
    # more pages than the cache holds (so they spill before the commit), some freed, some split
    "spilling": "PRAGMA cache_size=10; DELETE FROM t WHERE id % 3 = 0; UPDATE t SET v = v || "
    "'xyz' || v WHERE id % 3 = 1; "
    + ";".join(f"INSERT INTO t(v) VALUES ('{'q' * 250}{i}')" for i in range(40)),
    # a few pages, all written at the commit
    "small": "UPDATE t SET v = 'short' WHERE id % 10 = 0; INSERT INTO t(v) VALUES ('new')",
}
NEXT = "INSERT INTO t(v) VALUES ('after'); DELETE FROM t WHERE id = 2"
MESSAGES = {errno.EIO: "disk I/O error", errno.ENOSPC: "database or disk is full"}


def states(failing: str) -> tuple[list, list]:
    """The table after NEXT alone, and after `failing` then NEXT, as real SQLite has them."""
    results = []
    for scripts in ([NEXT], [failing, NEXT]):
        con = sqlite3.connect(":memory:")
        con.executescript(SCHEMA + "BEGIN;" + SETUP + ";COMMIT;")
        for sql in scripts:
            con.executescript("BEGIN;" + sql + ";COMMIT;")
        results.append(con.execute("SELECT id, v FROM t ORDER BY id").fetchall())
        con.close()
    return results[0], results[1]


@pytest.fixture(scope="module")
def base(tmp_path_factory):
    path = str(tmp_path_factory.mktemp("ioerr") / "base.db")
    con = sqlite3.connect(path)
    con.execute("PRAGMA page_size=1024")
    con.executescript(SCHEMA + "BEGIN;" + SETUP + ";COMMIT;")
    con.close()
    return path


def operations(base: str, tmp_path, failing: str) -> dict[str, int]:
    """How many operations of each kind the failing transaction makes."""
    path = str(tmp_path / "dry.db")
    shutil.copy(base, path)
    conn = Connection(path, vfs=CrashVfs())
    conn.executescript("BEGIN;" + failing + ";COMMIT;")
    counts = dict(conn.db.pager.vfs.ops)
    conn.close()
    return counts


@pytest.mark.parametrize("code", [errno.EIO, errno.ENOSPC], ids=["EIO", "ENOSPC"])
# a failed truncate needs no journal playback; every other failure is recovered by it
@pytest.mark.parametrize(
    "kind",
    [pytest.param(kind, marks=[] if kind == "truncate" else RECOVERY) for kind in KINDS],
)
@pytest.mark.parametrize("transaction", sorted(FAILING))
def test_a_failed_operation_fails_the_statement_and_nothing_else(
    base, tmp_path, transaction, kind, code
):
    failing = FAILING[transaction]
    without, with_failing = states(failing)
    count = operations(base, tmp_path, failing)[kind]
    assert count >= 1
    points = range(1, count + 1)
    if not LONG:
        points = sorted(random.Random(count).sample(points, min(SHORT_POINTS, count)))
    for n in points:
        path = str(tmp_path / f"{kind}{n}.db")
        shutil.copy(base, path)
        vfs = CrashVfs(fail_at=(kind, n, code))
        conn = Connection(path, vfs=vfs)
        with pytest.raises(VdbeError) as failure:
            conn.executescript("BEGIN;" + failing + ";COMMIT;")
        assert vfs.failed
        assert str(failure.value) == MESSAGES[code]
        if conn.in_transaction:
            conn.executescript("ROLLBACK")
        conn.executescript("BEGIN;" + NEXT + ";COMMIT;")  # the connection goes on
        conn.close()
        assert check(path) == []
        con = sqlite3.connect(path)
        assert con.execute("PRAGMA integrity_check").fetchall() == [("ok",)]
        rows = con.execute("SELECT id, v FROM t ORDER BY id").fetchall()
        con.close()
        assert rows in (without, with_failing), f"{kind} {n}"
        os.remove(path)
    print(f"{kind} failed at {len(points)} of its {count} operations")
