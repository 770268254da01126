"""The rollback journal: SQLite's format, hot journals left by real SQLite and by us."""

from __future__ import annotations

import os
import shutil
import signal
import sqlite3
import subprocess
import time
from pathlib import Path

import pytest
from vdbe.check import check
from vdbe.record import encode_record
from vdbe.storage import Database
from vdbe.storage.format import JOURNAL_MAGIC
from vdbe.storage.journal import HEADER, record_checksum

SQLITE = shutil.which("sqlite3")
RECOVERY = pytest.mark.exercise("storage-journal-recovery")
needs_cli = pytest.mark.sqlite_shell


def make_table(path, rows=2000, page_size=1024):
    con = sqlite3.connect(path)
    con.execute(f"PRAGMA page_size={page_size}")
    con.execute("CREATE TABLE t(a INTEGER PRIMARY KEY, b TEXT)")
    con.executemany("INSERT INTO t VALUES (?, ?)", [(i, f"row {i}" * 5) for i in range(rows)])
    con.commit()
    con.close()


def changes_on_disk(path, step: int, text: str) -> Database:
    """Change every step-th row in a write transaction, then spill: the changed pages
    are in the file and their originals in a synced journal, the transaction still open."""
    db = Database(path, cache_pages=20)
    db.begin(write=True)
    c = db.cursor(2, writable=True)
    for i in range(0, 2000, step):
        c.insert(i, encode_record([None, text]))
    db.pager._spill()
    return db


def content(path):
    con = sqlite3.connect(path)
    try:
        return con.execute("SELECT a, b FROM t ORDER BY a").fetchall()
    finally:
        con.close()


@RECOVERY
def test_journal_written_in_sqlite_format(tmp_path):
    path = str(tmp_path / "j.db")
    make_table(path)
    db = changes_on_disk(path, step=3, text="changed")
    with open(path + "-journal", "rb") as f:
        journal = f.read()
    magic, nrec, nonce, pages, sector, page_size = HEADER.unpack_from(journal)
    assert magic == JOURNAL_MAGIC
    assert page_size == 1024 and sector == 4096 and pages > 10 and nrec > 0
    assert journal[HEADER.size : sector] == bytes(sector - HEADER.size)
    first = journal[sector : sector + 4 + page_size + 4]
    pgno = int.from_bytes(first[:4], "big")
    assert 1 <= pgno <= pages
    image = first[4 : 4 + page_size]
    assert int.from_bytes(first[-4:], "big") == record_checksum(nonce, image)
    db.rollback()
    db.close()
    assert content(path) == [(i, f"row {i}" * 5) for i in range(2000)]


def test_checksum_counts_every_200th_byte_from_the_end():
    page = bytearray(1024)
    page[1024 - 200] = 5
    page[1024 - 400] = 7
    page[0] = 99  # not sampled: the loop stops before offset 0
    assert record_checksum(10, bytes(page)) == 22


@needs_cli
@RECOVERY
def test_hot_journal_left_by_a_killed_sqlite_process_is_rolled_back(tmp_path):
    path = str(tmp_path / "hot.db")
    make_table(path)
    before = content(path)
    original = Path(path).read_bytes()
    proc = subprocess.Popen(
        [SQLITE, path], stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE
    )
    # a tiny cache makes SQLite spill changed pages into the database file mid-transaction
    proc.stdin.write(
        b"PRAGMA cache_size=2;\nBEGIN;\nUPDATE t SET b = 'overwritten ' || b;\n"
        b"DELETE FROM t WHERE a % 7 = 0;\nSELECT 'spilled';\n"
    )
    proc.stdin.flush()
    assert proc.stdout.readline().strip() == b"spilled"
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait()
    assert os.path.exists(path + "-journal")
    assert Path(path).read_bytes() != original  # the crash really left the file half-changed
    journal = Path(path + "-journal").read_bytes()
    sector = HEADER.unpack_from(journal)[4]
    headers = [i for i in range(0, len(journal), sector) if journal[i : i + 8] == JOURNAL_MAGIC]
    assert len(headers) > 1  # SQLite starts a new header at each spill: all are replayed
    db = Database(path)
    assert not os.path.exists(path + "-journal")
    cursor = db.cursor(2)
    assert cursor.count() == 2000
    db.close()
    assert content(path) == before
    assert check(path) == []


def test_our_hot_journal_is_rolled_back_by_sqlite(tmp_path):
    path = str(tmp_path / "ours.db")
    make_table(path)
    before = content(path)
    db = changes_on_disk(path, step=2, text="x" * 300)
    db.pager.abandon()  # as if the process died here
    assert os.path.exists(path + "-journal")
    con = sqlite3.connect(path)
    assert con.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    con.close()
    assert content(path) == before
    assert not os.path.exists(path + "-journal")


@RECOVERY
def test_journal_with_torn_last_record_stops_there(tmp_path):
    path = str(tmp_path / "torn.db")
    make_table(path)
    before = content(path)
    db = changes_on_disk(path, step=2, text="y" * 100)
    db.pager.abandon()
    # append half a record: a crash while journaling one more page
    with open(path + "-journal", "ab") as f:
        f.write(b"\x00\x00\x00\x05" + b"\xff" * 300)
    db = Database(path)
    db.close()
    assert content(path) == before


def test_commit_deletes_the_journal_and_bumps_the_change_counter(tmp_path):
    path = str(tmp_path / "c.db")
    make_table(path, rows=10)
    with open(path, "rb") as f:
        counter = int.from_bytes(f.read(28)[24:28], "big")
    db = Database(path)
    db.begin(write=True)
    db.cursor(2, writable=True).insert(100, encode_record([None, "new"]))
    assert os.path.exists(path + "-journal")
    db.commit()
    assert not os.path.exists(path + "-journal")
    db.close()
    with open(path, "rb") as f:
        header = f.read(100)
    assert int.from_bytes(header[24:28], "big") == counter + 1
    assert header[92:96] == header[24:28]  # version-valid-for
    assert content(path)[-1] == (100, "new")


@RECOVERY
def test_empty_database_crash_before_first_commit_leaves_an_empty_file(tmp_path):
    path = str(tmp_path / "new.db")
    db = Database(path)
    db.begin(write=True)
    root = db.create_btree("table")
    c = db.cursor(root, writable=True)
    for i in range(3000):
        c.insert(i, encode_record([i]))
    db.pager._spill()
    db.pager.abandon()
    assert os.path.getsize(path) > 0
    db = Database(path)
    assert db.pager.page_count == 0
    db.close()
    assert os.path.getsize(path) == 0


@needs_cli
def test_sqlite_sees_our_commit_while_we_keep_the_file_open(tmp_path):
    path = str(tmp_path / "shared.db")
    make_table(path, rows=5)
    db = Database(path)
    db.begin(write=True)
    db.cursor(2, writable=True).insert(77, encode_record([None, "ours"]))
    db.commit()
    out = subprocess.run(
        [SQLITE, path, "SELECT b FROM t WHERE a = 77"], capture_output=True, text=True
    )
    assert out.stdout.strip() == "ours"
    # and we see a change made by SQLite after our commit
    subprocess.run([SQLITE, path, "INSERT INTO t VALUES (78, 'theirs')"], check=True)
    time.sleep(0.01)
    c = db.cursor(2)
    assert c.seek_rowid(78) and c.column(1) == "theirs"
    db.close()
