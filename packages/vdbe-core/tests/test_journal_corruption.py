"""Hot journals with a flipped byte: recovery follows SQLite's rules, and agrees with it.

A transaction rewrites many pages and the power is cut as its journal is being deleted:
the database file holds the new pages, synced, and the journal holds the originals. One
byte of the journal is then flipped: in its header, in a record's page number, in a
page's bytes (some are covered by the checksum, most are not) or in a checksum. Real
SQLite recovers one copy of the files and this project's pager another. Playback stops at
the first record that does not check out, so the outcome may be the old database, the new
one, or (as in SQLite) a mix when the header's record count is damaged; whichever it is,
both engines must leave byte-identical files.
"""

from __future__ import annotations

import hashlib
import shutil
import sqlite3

import pytest
from test_powerloss import abandon
from vdbe.connection import Connection
from vdbe.errors import VdbeError
from vdbe.storage.crashvfs import CrashVfs, PowerCut

PAGE = 1024
SECTOR = 512
RECORD = PAGE + 8


@pytest.fixture
def hot(tmp_path_factory):
    """The database and hot journal a power cut at the journal's deletion leaves. (Per
    test, so that where fcntl is hidden the conftest's Windows locks are in place first.)"""
    root = tmp_path_factory.mktemp("hot")
    path = str(root / "t.db")
    con = sqlite3.connect(path)
    con.execute(f"PRAGMA page_size={PAGE}")
    con.executescript(
        "CREATE TABLE t(id INTEGER PRIMARY KEY, v TEXT); CREATE INDEX t_v ON t(v);"
        "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 300)"
        " INSERT INTO t(v) SELECT printf('%0*d', 40 + i % 90, i) FROM n;"
    )
    con.close()
    vfs = CrashVfs(cut_at=("delete", 1))
    conn = Connection(path, vfs=vfs)
    with pytest.raises(PowerCut):
        conn.executescript("BEGIN; UPDATE t SET v = v || 'changed' WHERE id % 4 = 0; COMMIT;")
    abandon(conn)
    after = root / "after"
    after.mkdir()
    vfs.restore(str(after))
    return after / "t.db", after / "t.db-journal"


def positions(journal_size: int) -> dict[str, int]:
    """Byte offsets worth flipping, by name."""
    spots = {f"header+{i}": i for i in range(28)}
    for r in (0, 1, 5):
        start = SECTOR + r * RECORD
        if start + RECORD > journal_size:
            break
        spots[f"record{r}.pgno"] = start + 3
        spots[f"record{r}.page-checked"] = start + 4 + PAGE - 200  # counted by the checksum
        spots[f"record{r}.page-unchecked"] = start + 4 + 10
        spots[f"record{r}.checksum"] = start + 4 + PAGE + 3
    return spots


def recover(directory, engine: str) -> tuple:
    """Open the database with one engine (which rolls the journal back) and read its
    first page; returns the file's fingerprint afterwards. An engine may also refuse to
    open: then the files are as it found them, which is part of the fingerprint."""
    path = str(directory / "t.db")
    try:
        if engine == "sqlite":
            con = sqlite3.connect(path)
            try:
                con.execute("PRAGMA schema_version").fetchall()
            finally:
                con.close()
        else:
            Connection(path).close()
    except (sqlite3.DatabaseError, VdbeError):
        pass
    return fingerprint(path), (directory / "t.db-journal").exists()


def fingerprint(path: str) -> tuple:
    """Size and leading bytes: a damaged database-size field can make rollback grow the
    file to gigabytes (sparse), in SQLite as here."""
    with open(path, "rb") as f:
        head = f.read(1 << 20)
        size = f.seek(0, 2)
        f.seek(max(0, size - PAGE))
        return size, hashlib.sha256(head + f.read()).hexdigest()


@pytest.mark.exercise("storage-journal-recovery")
def test_a_flipped_journal_byte_is_recovered_as_sqlite_recovers_it(hot, tmp_path):
    db, journal = hot
    raw = journal.read_bytes()
    assert len(raw) > SECTOR + 5 * RECORD  # a hot journal with records
    disagreements = []
    for name, offset in positions(len(raw)).items():
        damaged = bytearray(raw)
        damaged[offset] ^= 0x5A
        results = {}
        for engine in ("sqlite", "vdbe"):
            copy = tmp_path / f"{name}-{engine}"
            copy.mkdir()
            shutil.copy(db, copy / "t.db")
            (copy / "t.db-journal").write_bytes(damaged)
            results[engine] = recover(copy, engine)
        if results["vdbe"] != results["sqlite"]:
            disagreements.append(name)
    assert disagreements == []
    print(f"{len(positions(len(raw)))} flipped bytes recovered as SQLite recovers them")
