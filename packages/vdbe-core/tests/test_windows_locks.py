"""The Windows lock layer, run here through a model of LockFileEx and UnlockFileEx.

The calls are compared with the ones SQLite's os_win.c makes: the same byte ranges (the
pending byte at 0x40000000, the reserved byte after it, 510 shared bytes after that), in
the same order, with the same shared or exclusive mode. Two connections in one process
exclude each other here as two processes do, since Windows locks belong to handles.
"""

from __future__ import annotations

import ctypes
import sqlite3

import pytest
from vdbe.errors import BusyError
from vdbe.record import encode_record
from vdbe.storage import Database, OsVfs
from vdbe.storage.windows_locks import OVERLAPPED
from vdbe.storage.windows_model import Kernel32Model

PENDING = ("exclusive", 0x40000000, 1)
PENDING_READ = ("shared", 0x40000000, 1)
RESERVED = ("exclusive", 0x40000001, 1)
RESERVED_TEST = ("shared", 0x40000001, 1)
READ = ("shared", 0x40000002, 510)
WRITE = ("exclusive", 0x40000002, 510)


def unlock(what):
    return ("unlock", *what[1:])


def make_table(path, rows=10):
    con = sqlite3.connect(path)
    con.execute("CREATE TABLE t(a INTEGER PRIMARY KEY, b)")
    con.executemany("INSERT INTO t VALUES (?, ?)", [(i, f"row {i}") for i in range(rows)])
    con.commit()
    con.close()


@pytest.fixture
def model():
    return Kernel32Model()


@pytest.fixture
def path(tmp_path):
    path = str(tmp_path / "win.db")
    make_table(path)
    return path


def open_db(model, path) -> Database:
    """A connection through the Windows layer; opening it reads the schema (one read
    transaction), so its calls are counted from `db.mark` on."""
    db = Database(path, vfs=OsVfs(locks=model.layer))
    db.mark = len(model.calls)
    return db


def calls_of(model, db, since=None):
    """The calls one connection made on its database file: (mode or unlock, start, length)."""
    handle = db.pager.file.locks.handle
    calls = model.calls[db.mark if since is None else since :]
    return [call[1:4] for call in calls if call[0] is handle]


def insert(db, key, text):
    db.cursor(2, writable=True).insert(key, encode_record([None, text]))


def test_a_read_transaction_takes_sqlites_ranges_in_sqlites_order(model, path):
    db = open_db(model, path)
    db.begin(write=False)
    assert db.cursor(2).count() == 10
    db.commit()
    assert calls_of(model, db) == [
        PENDING_READ,  # a reader passes the pending byte: no writer is waiting
        READ,
        unlock(PENDING_READ),
        unlock(READ),
    ]
    db.close()


def test_a_write_transaction_takes_sqlites_ranges_in_sqlites_order(model, path):
    db = open_db(model, path)
    db.begin(write=True)
    insert(db, 100, "new")
    db.commit()
    assert calls_of(model, db) == [
        PENDING_READ,
        READ,
        unlock(PENDING_READ),
        RESERVED,
        PENDING,  # from RESERVED to EXCLUSIVE: new readers are kept out first
        unlock(READ),  # an exclusive lock may not overlap the handle's own read lock
        WRITE,
        unlock(WRITE),  # back to NO_LOCK: the shared range, reserved, then pending
        unlock(RESERVED),
        unlock(PENDING),
    ]
    db.close()
    check = sqlite3.connect(path)
    assert check.execute("SELECT b FROM t WHERE a = 100").fetchone() == ("new",)
    assert check.execute("PRAGMA integrity_check").fetchone() == ("ok",)
    check.close()


def test_every_unlock_releases_a_range_that_was_locked(model, path):
    """Windows refuses an unlock that does not match a lock exactly; none is sent."""
    db = open_db(model, path)
    for key in range(100, 110):
        db.begin(write=True)
        insert(db, key, "x" * 3000)  # overflow pages, more journal
        db.savepoint("s")
        insert(db, key + 1000, "y")
        db.rollback_to("s")
        db.commit() if key % 3 else db.rollback()
    db.close()
    assert [call for call in model.calls if call[1] == "unlock" and not call[4]] == []
    assert all(locks == [] for locks in model.held.values())  # nothing left behind


def test_two_connections_in_one_process_exclude_each_other(model, path):
    """Unlike POSIX locks, Windows locks belong to a handle, not to a process."""
    reader, writer, other = (open_db(model, path) for _ in range(3))
    reader.begin(write=False)
    reader.cursor(2).count()
    writer.begin(write=True)  # RESERVED sits beside readers
    insert(writer, 200, "waiting")
    with pytest.raises(BusyError, match="database is locked"):
        writer.commit()  # EXCLUSIVE needs the readers gone
    assert calls_of(model, writer)[-4:] == [
        PENDING,
        unlock(READ),
        ("exclusive", 0x40000002, 510),  # refused: the reader holds the range
        READ,  # the writer takes its read lock back
    ]
    assert [call[4] for call in model.calls[-2:]] == [False, True]
    with pytest.raises(BusyError):
        other.begin(write=False)  # the pending byte keeps new readers out
    reader.commit()
    since = len(model.calls)
    writer.commit()  # the retry does not lock the pending byte a second time
    assert calls_of(model, writer, since)[:2] == [unlock(READ), WRITE]
    other.begin(write=False)
    assert other.cursor(2).count() == 11
    other.commit()
    for db in (reader, writer, other):
        db.close()


def test_a_second_writer_waits_for_the_reserved_byte(model, path):
    first, second = open_db(model, path), open_db(model, path)
    first.begin(write=True)
    with pytest.raises(BusyError):
        second.begin(write=True)
    assert calls_of(model, second)[-2:] == [RESERVED, unlock(READ)]  # refused, gave up
    assert [call[4] for call in model.calls[-2:]] == [False, True]
    first.rollback()
    second.begin(write=True)
    second.rollback()
    first.close()
    second.close()


@pytest.mark.exercise("storage-journal-recovery")
def test_hot_journal_recovery_climbs_from_shared_to_exclusive(model, path, tmp_path):
    """A journal left by a crash: the reader that finds it tests the reserved byte, then
    takes the shared range exclusively without the pending byte (os_win.c climbs so)."""
    crashed = open_db(model, path)
    crashed.begin(write=True)
    insert(crashed, 300, "x" * 5000)
    crashed.pager._spill()  # changed pages reach the file while the journal is hot
    survivor = (tmp_path / "win.db-journal").read_bytes()
    crashed.close()  # as a crash would, minus the rollback
    (tmp_path / "win.db-journal").write_bytes(survivor)
    db = open_db(model, path)  # opening reads the schema, and finds the journal
    assert calls_of(model, db, since=0) == [
        PENDING_READ,
        READ,
        unlock(PENDING_READ),
        RESERVED_TEST,  # is another connection writing? (then the journal is not hot)
        unlock(RESERVED_TEST),
        unlock(READ),
        WRITE,
        unlock(WRITE),  # recovered: back to SHARED
        READ,
        unlock(READ),
    ]
    assert not (tmp_path / "win.db-journal").exists()
    db.begin(write=False)
    assert db.cursor(2).count() == 10
    db.commit()
    db.close()


def test_offsets_past_4_gib_travel_in_the_overlapped_high_word(model):
    seen = []

    class Recorder:
        def LockFileEx(self, handle, flags, reserved, low, high, overlapped):
            where = overlapped._obj
            seen.append((where.Offset, where.OffsetHigh, low, high, flags))
            return 1

    from vdbe.storage.windows_locks import Win32

    Win32(kernel32=Recorder(), handle_of=int).lock(7, 3, (5 << 32) + 0x40000000, 510)
    assert seen == [(0x40000000, 5, 510, 0, 3)]
    assert ctypes.sizeof(OVERLAPPED) == 2 * ctypes.sizeof(ctypes.c_size_t) + 8 + ctypes.sizeof(
        ctypes.c_void_p
    )
