"""The pager: page sizes, header, bounded cache, savepoints, and locks shared with SQLite."""

from __future__ import annotations

import os
import shutil
import sqlite3
import subprocess
import threading
import time

import pytest
from vdbe.errors import BusyError, VdbeError
from vdbe.record import encode_record
from vdbe.storage import Database, OsVfs

SQLITE = shutil.which("sqlite3")
needs_cli = pytest.mark.sqlite_shell


def make_table(path, rows=100, page_size=4096):
    con = sqlite3.connect(path)
    con.execute(f"PRAGMA page_size={page_size}")
    con.execute("CREATE TABLE t(a INTEGER PRIMARY KEY, b)")
    con.executemany("INSERT INTO t VALUES (?, ?)", [(i, "x" * 40) for i in range(rows)])
    con.commit()
    con.close()


class Shell:
    """A real sqlite3 process we feed commands to, one batch at a time."""

    def __init__(self, path):
        self.proc = subprocess.Popen(
            [SQLITE, path],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
        )
        self.marker = 0

    def run(self, sql: str) -> str:
        self.marker += 1
        self.proc.stdin.write(f"{sql}\nSELECT 'done{self.marker}';\n")
        self.proc.stdin.flush()
        lines = []
        while True:
            line = self.proc.stdout.readline()
            if not line or line.strip() == f"done{self.marker}":
                return "".join(lines)
            lines.append(line)

    def close(self):
        self.proc.stdin.close()
        self.proc.wait()

    def __enter__(self) -> Shell:
        return self

    def __exit__(self, *exc_info) -> None:
        self.close()


@pytest.mark.parametrize("page_size", [512, 1024, 8192, 65536])
def test_page_sizes_are_written_as_sqlite_expects(tmp_path, page_size):
    path = str(tmp_path / f"p{page_size}.db")
    db = Database(path, page_size=page_size)
    db.begin(write=True)
    root = db.create_btree("table")
    c = db.cursor(root, writable=True)
    for i in range(1, 800):
        c.insert(i, encode_record([i, "v" * (i % 700)]))
    db.cursor(1, writable=True).insert(
        1, encode_record(["table", "t", "t", root, "CREATE TABLE t(a, b)"])
    )
    db.set_cookie(1, 1)
    db.commit()
    db.close()
    con = sqlite3.connect(path)
    assert con.execute("PRAGMA page_size").fetchone()[0] == page_size
    assert con.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    assert con.execute("SELECT count(*), sum(a) FROM t").fetchone() == (799, 799 * 800 // 2)
    assert con.execute("PRAGMA encoding").fetchone()[0] == "UTF-8"
    con.close()


def test_bad_page_size_is_refused():
    with pytest.raises(VdbeError, match="power of two"):
        Database(None, page_size=1000)


def test_other_text_encodings_are_a_clear_error(tmp_path):
    path = str(tmp_path / "u16.db")
    con = sqlite3.connect(path)
    con.execute("PRAGMA encoding='UTF-16le'")
    con.execute("CREATE TABLE t(a)")
    con.commit()
    con.close()
    with pytest.raises(VdbeError, match="UTF-16le.*only UTF-8"):
        Database(path)


def test_cache_stays_bounded_while_scanning_and_writing(tmp_path):
    path = str(tmp_path / "big.db")
    make_table(path, rows=20000, page_size=512)
    db = Database(path, cache_pages=30)
    c = db.cursor(2)
    n = 0
    ok = c.first()
    while ok:
        n += 1
        assert len(db.pager.cache) <= 30
        ok = c.next()
    assert n == 20000
    db.commit()
    db.begin(write=True)
    w = db.cursor(2, writable=True)
    for i in range(20000, 30000):
        w.insert(i, encode_record([None, "y" * 30]))
        assert len(db.pager.cache) <= 40
    db.commit()
    db.close()
    con = sqlite3.connect(path)
    assert con.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    assert con.execute("SELECT count(*) FROM t").fetchone()[0] == 30000


def test_writing_needs_a_write_transaction():
    db = Database.memory()
    with pytest.raises(VdbeError):
        db.create_btree("table")
    db.begin(write=False)
    with pytest.raises(VdbeError):
        db.pager.write(1)


@pytest.mark.parametrize("where", ["memory", "file"])
def test_nested_savepoints(tmp_path, where):
    db = Database(None) if where == "memory" else Database(str(tmp_path / "sp.db"))
    db.begin(write=True)
    root = db.create_btree("table")
    c = db.cursor(root, writable=True)
    for i in range(1, 101):
        c.insert(i, encode_record([i]))
    db.commit()
    db.savepoint("outer")  # starts a transaction
    assert db.in_transaction
    for i in range(101, 2001):
        c.insert(i, encode_record([i]))
    db.savepoint("inner")
    for i in range(1, 1000):
        assert c.seek_rowid(i)
        c.delete()
    assert c.count() == 1001
    db.rollback_to("inner")
    assert c.count() == 2000
    db.savepoint("third")
    db.cursor(root, writable=True).insert(5000, encode_record(["x"]))
    db.release("third")
    assert c.count() == 2001
    db.rollback_to("outer")
    assert c.count() == 100
    c.insert(7, encode_record(["seven"]))
    db.release("outer")  # commits
    assert not db.in_transaction
    assert c.count() == 100 and c.seek_rowid(7) and c.column(0) == "seven"
    with pytest.raises(VdbeError, match="no such savepoint"):
        db.release("nope")


def test_rollback_restores_memory_database():
    db = Database.memory()
    db.begin(write=True)
    root = db.create_btree("table")
    db.commit()
    db.begin(write=True)
    c = db.cursor(root, writable=True)
    for i in range(3000):
        c.insert(i, encode_record([i]))
    db.rollback()
    assert not db.cursor(root).first()
    assert db.pager.page_count == 2


@needs_cli
@pytest.mark.system_locks
def test_sqlite_writer_makes_us_busy(tmp_path):
    path = str(tmp_path / "lock.db")
    make_table(path)
    with Shell(path) as shell:
        shell.run("BEGIN IMMEDIATE;")  # SQLite holds RESERVED
        db = Database(path)
        db.begin(write=False)  # reading is still allowed
        assert db.cursor(2).count() == 100
        db.commit()
        with pytest.raises(BusyError, match="database is locked"):
            db.begin(write=True)
        shell.run("COMMIT;")
        db.begin(write=True)
        db.cursor(2, writable=True).insert(500, encode_record([None, "ok"]))
        db.commit()
        db.close()


@needs_cli
@pytest.mark.system_locks
def test_sqlite_reader_delays_our_commit_until_it_finishes(tmp_path):
    path = str(tmp_path / "reader.db")
    make_table(path)
    with Shell(path) as shell:
        shell.run("BEGIN; SELECT count(*) FROM t;")  # SQLite holds SHARED
        db = Database(path)
        db.begin(write=True)
        db.cursor(2, writable=True).insert(500, encode_record([None, "mine"]))
        with pytest.raises(BusyError):
            db.commit()  # EXCLUSIVE is impossible while SQLite reads
        assert "1|" not in shell.run("SELECT count(*) FROM t WHERE a = 500;")
        shell.run("COMMIT;")
        db.commit()  # retrying works once the reader is gone
        db.close()
        assert shell.run("SELECT b FROM t WHERE a = 500;").strip() == "mine"


@needs_cli
@pytest.mark.system_locks
def test_our_locks_keep_sqlite_out(tmp_path):
    path = str(tmp_path / "ours.db")
    make_table(path)
    with Shell(path) as shell:
        db = Database(path)
        db.begin(write=True)
        db.cursor(2, writable=True).insert(600, encode_record([None, "pending"]))
        assert "locked" in shell.run("BEGIN IMMEDIATE;")
        assert shell.run("SELECT count(*) FROM t;").strip() == "100"  # readers still read
        db.commit()
        assert shell.run("SELECT count(*) FROM t;").strip() == "101"
        db.begin(write=False)
        db.cursor(2).count()
        assert "locked" in shell.run("INSERT INTO t VALUES (601, 'blocked');")
        db.commit()
        db.close()


@needs_cli
@pytest.mark.system_locks
def test_busy_timeout_waits_for_the_lock(tmp_path):
    path = str(tmp_path / "wait.db")
    make_table(path)
    shell = Shell(path)
    try:
        shell.run(".timeout 3000\nBEGIN IMMEDIATE;")  # its COMMIT may wait for our SHARED
        threading.Timer(0.3, lambda: shell.run("COMMIT;")).start()
        db = Database(path, vfs=OsVfs(busy_timeout=5.0))
        start = time.monotonic()
        db.begin(write=True)
        assert time.monotonic() - start >= 0.2
        db.rollback()
        db.close()
    finally:
        time.sleep(0.05)
        shell.close()


def test_read_only_file_reads_but_refuses_writes(tmp_path, monkeypatch):
    path = str(tmp_path / "ro.db")
    make_table(path, rows=10)
    real_open = os.open

    def no_write_access(name, flags, *args):
        if name == path and flags & os.O_RDWR:
            raise PermissionError(13, "Permission denied")
        return real_open(name, flags, *args)

    monkeypatch.setattr("vdbe.storage.vfs.os.open", no_write_access)
    db = Database(path)
    assert db.pager.file.readonly
    assert db.cursor(2).count() == 10
    db.commit()
    with pytest.raises(VdbeError, match="readonly"):
        db.begin(write=True)
    db.close()


def test_missing_directory_is_a_clear_error(tmp_path):
    with pytest.raises(VdbeError, match="unable to open database file"):
        Database(str(tmp_path / "no" / "such" / "dir.db"))


def test_savepoint_images_of_a_file_database_go_to_a_statement_journal(tmp_path):
    path = str(tmp_path / "stmt.db")
    make_table(path, rows=3000, page_size=1024)
    db = Database(path, cache_pages=50)
    db.begin(write=True)
    c = db.cursor(2, writable=True)
    db.savepoint("big")
    for i in range(0, 3000, 2):
        c.insert(i, encode_record([None, "z" * 60]))
    sp = db.pager.savepoints[0]
    assert len(sp.images) > 20 and all(isinstance(v, int) for v in sp.images.values())
    db.rollback_to("big")
    db.release("big")
    assert db.pager.statements is None
    db.commit()
    db.close()
    con = sqlite3.connect(path)
    assert con.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    assert con.execute("SELECT count(*), max(length(b)) FROM t").fetchone() == (3000, 40)


@pytest.mark.parametrize("where", ["memory", "file"])
def test_an_empty_database_reads_as_an_empty_schema(tmp_path, where):
    path = None if where == "memory" else str(tmp_path / "new.db")
    db = Database(path)
    schema = db.cursor(1)
    assert not schema.first() and schema.count() == 0
    assert db.get_meta(1) == 0
    db.commit()
    if path:
        assert os.path.getsize(path) == 0  # reading created nothing
    db.begin(write=True)
    root = db.create_btree("table")
    assert root == 2 and db.pager.page_count == 2
    db.rollback()
    db.close()


@pytest.mark.parametrize("mode", ["FULL", "INCREMENTAL"])
def test_auto_vacuum_files_are_written_with_their_pointer_map(tmp_path, mode):
    """Rows written and deleted through the storage layer: SQLite's integrity check
    (which reads every pointer-map entry) passes, and in FULL mode each commit leaves
    no free page behind while INCREMENTAL keeps them for PRAGMA incremental_vacuum."""
    from vdbe.record import encode_record

    path = str(tmp_path / "av.db")
    con = sqlite3.connect(path)
    con.execute("PRAGMA page_size=512")
    con.execute(f"PRAGMA auto_vacuum={mode}")
    con.execute("CREATE TABLE t(a INTEGER PRIMARY KEY, b)")
    con.commit()
    root = con.execute("SELECT rootpage FROM sqlite_schema").fetchone()[0]
    con.close()
    db = Database(path)
    cursor = db.cursor(root, writable=True)
    for i in range(500):
        cursor.insert(i, encode_record([i, ("x" * 50 if i % 7 else "y" * 3000)]))
    db.commit()
    grown = db.pager.page_count
    cursor = db.cursor(root, writable=True)
    for i in range(0, 500, 2):
        assert cursor.seek_rowid(i)
        cursor.delete()
    db.commit()
    db.close()
    con = sqlite3.connect(path)
    assert con.execute("PRAGMA integrity_check").fetchall() == [("ok",)]
    assert con.execute("SELECT count(*), sum(length(b)) FROM t").fetchone() == (
        250,
        sum(50 if i % 7 else 3000 for i in range(1, 500, 2)),
    )
    free = con.execute("PRAGMA freelist_count").fetchone()[0]
    pages = con.execute("PRAGMA page_count").fetchone()[0]
    con.close()
    if mode == "FULL":
        assert free == 0 and pages < grown
    else:
        assert free > 0 and pages == grown


def test_a_truncated_file_is_malformed_not_extended(tmp_path):
    """The header promises more pages than the file holds: SQLite calls that corrupt."""
    import sqlite3

    from vdbe.errors import CorruptError
    from vdbe.storage import Database

    path = tmp_path / "cut.db"
    with sqlite3.connect(path) as conn:
        conn.execute("CREATE TABLE t(a, b)")
        conn.executemany("INSERT INTO t VALUES (?, ?)", [(i, b"x" * 500) for i in range(100)])
    with open(path, "r+b") as file:
        file.truncate(6000)
    with pytest.raises(CorruptError):
        Database(str(path)).begin(write=True)
    assert path.stat().st_size == 6000
