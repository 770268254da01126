"""Bad input: damaged database files give CorruptError, never a traceback or a hang.

Real files written by SQLite are damaged at random (bytes overwritten inside pages, pages
zeroed, the file truncated), then read in every way: a scan of each tree through the
schema, seeks, counts, `check` and `dump`, and a few writes. Anything but success or a
VdbeError (CorruptError above all) fails the test, as does taking longer than a few
seconds. Then the commands themselves (`vdbe check`, `vdbe dump`, `vdbe sql` reading and
writing) take damaged files, in this process (`vdbe.harness`): only their documented exit
statuses, no traceback, no `internal error`, within 10 seconds and 1 GB each.
The seed is fixed; CARROT_LONG_TESTS=1 runs many more cases (CARROT_FUZZ_FILES sets how
many files the commands take).
"""

from __future__ import annotations

import os
import random
import signal
import sqlite3
from collections import Counter
from pathlib import Path

import pytest
from vdbe.check import check
from vdbe.cli import main
from vdbe.dump import dump
from vdbe.errors import CorruptError, VdbeError
from vdbe.harness import Hang, memory_budget, run_main
from vdbe.keyinfo import KeyInfo
from vdbe.record import encode_record
from vdbe.storage import Database

LONG = os.environ.get("CARROT_LONG_TESTS") == "1"
CASES = 1500 if LONG else 120
COMMAND_CASES = int(os.environ.get("CARROT_FUZZ_FILES", "10000" if LONG else "40"))


@pytest.fixture(scope="module")
def originals(tmp_path_factory):
    out = {}
    for page_size in (512, 4096):
        path = tmp_path_factory.mktemp("fuzz") / f"orig{page_size}.db"
        con = sqlite3.connect(path)
        con.execute(f"PRAGMA page_size={page_size}")
        con.execute("CREATE TABLE t(a INTEGER PRIMARY KEY, b TEXT, c BLOB)")
        con.execute("CREATE INDEX tb ON t(b)")
        rng = random.Random(page_size)
        con.executemany(
            "INSERT INTO t VALUES (?, ?, ?)",
            [
                (i, f"k{rng.randrange(10**6):06d}", rng.randbytes(rng.choice([0, 20, 900, 5000])))
                for i in range(1, 400)
            ],
        )
        con.execute("DELETE FROM t WHERE a % 9 = 0")
        con.commit()
        con.close()
        out[page_size] = Path(path).read_bytes()
    return out


def damage(data: bytes, rng: random.Random, page_size: int) -> bytes:
    buf = bytearray(data)
    pages = len(buf) // page_size
    how = rng.random()
    if how < 0.1:
        return bytes(buf[: rng.randrange(100, len(buf))])  # truncated
    if how < 0.2:
        p = rng.randrange(1, pages)
        buf[p * page_size : (p + 1) * page_size] = bytes(page_size)  # a zeroed page
        return bytes(buf)
    for _ in range(rng.randint(1, 6)):
        p = rng.randrange(pages)
        # aim at page headers and pointer arrays most of the time: they matter most
        if rng.random() < 0.6:
            off = p * page_size + (100 if p == 0 else 0) + rng.randrange(0, 24)
        else:
            off = p * page_size + rng.randrange(page_size)
        if p == 0 and off < 100 and rng.random() < 0.7:
            off += 100  # the database header is checked separately
        n = rng.randint(1, 4)
        buf[off : off + n] = rng.randbytes(n)[: len(buf) - off]
    return bytes(buf)


def exercise(path: str) -> None:
    """Read (and write a little) everything reachable, as the VM would."""
    db = Database(path)
    try:
        schema = db.cursor(1)
        trees = []
        ok = schema.first()
        while ok:
            trees.append((schema.column(0), schema.column(3)))
            ok = schema.next()
        for kind, root in trees:
            if not isinstance(root, int):
                continue
            key_info = KeyInfo(1, [None], [False]) if kind == "index" else None
            c = db.cursor(root, index_key_info=key_info)
            ok = c.first()
            steps = 0
            while ok and steps < 10_000:
                c.column(0)
                c.column(1)
                c.rowid()
                ok = c.next()
                steps += 1
            c.count()
            if kind == "table":
                c.seek_rowid(200)
                c.seek(50, "le")
            else:
                c.seek(["k5"], "ge")
        db.commit()
        for kind, root in trees:
            if kind == "table" and isinstance(root, int):
                db.begin(write=True)
                w = db.cursor(root, writable=True)
                for i in range(1000, 1040):
                    w.insert(i, encode_record([None, "new", b"x" * 700]))
                if w.seek_rowid(10):
                    w.delete()
                db.rollback()
    finally:
        db.close()


class HangError(Exception):
    pass


def _alarm(signum, frame):
    raise HangError()


def test_damaged_files_give_corrupt_errors(originals, tmp_path):
    rng = random.Random(20241122)
    old = signal.signal(signal.SIGALRM, _alarm)
    outcomes = {"ok": 0, "corrupt": 0, "other sql error": 0}
    try:
        for case in range(CASES):
            page_size = rng.choice([512, 4096])
            data = damage(originals[page_size], rng, page_size)
            path = str(tmp_path / f"case{case}.db")
            Path(path).write_bytes(data)
            for action in (exercise, check):
                signal.setitimer(signal.ITIMER_REAL, 10.0)
                try:
                    action(path)
                    outcomes["ok"] += 1
                except CorruptError as exc:
                    assert str(exc) == "database disk image is malformed"
                    outcomes["corrupt"] += 1
                except VdbeError as exc:
                    assert str(exc)  # a clear message (an unsupported encoding, say)
                    outcomes["other sql error"] += 1
                except HangError:
                    pytest.fail(f"case {case}: {action} did not finish")
                finally:
                    signal.setitimer(signal.ITIMER_REAL, 0)
            os.unlink(path)
    finally:
        signal.signal(signal.SIGALRM, old)
    print(outcomes)
    assert outcomes["corrupt"] > CASES // 10, outcomes


@pytest.mark.exercise("storage-header")
@pytest.mark.exercise("storage-cell-parse")
def test_dump_of_damaged_files_never_fails_badly(originals, tmp_path):
    rng = random.Random(7)
    for case in range(CASES // 4):
        page_size = rng.choice([512, 4096])
        path = tmp_path / f"dump{case}.db"
        path.write_bytes(damage(originals[page_size], rng, page_size))
        for page in (1, 2, 3):
            try:
                assert dump(str(path), page=page).startswith("Database header")
            except CorruptError:
                pass
            except VdbeError as exc:
                assert "does not exist" in str(exc)


SQL_ON_DAMAGED = """
SELECT count(*), sum(length(c)) FROM t;
SELECT a, b FROM t WHERE b >= 'k5' ORDER BY b LIMIT 5;
UPDATE t SET b = b || 'x' WHERE a % 7 = 0;
DELETE FROM t WHERE a % 11 = 0;
INSERT INTO t(b, c) VALUES ('new', zeroblob(700));
SELECT count(*) FROM t
"""


@pytest.mark.exercise("storage-header")
@pytest.mark.exercise("storage-cell-parse")
def test_damaged_files_through_the_commands(originals, tmp_path):
    rng = random.Random(20261207)
    statuses = Counter()
    path = tmp_path / "case.db"
    with memory_budget():
        for case in range(COMMAND_CASES):
            page_size = rng.choice([512, 4096])
            path.write_bytes(damage(originals[page_size], rng, page_size))
            for argv in (
                ["check", str(path)],
                ["dump", str(path), "--page", str(rng.randint(1, 6))],
                ["sql", "--db", str(path), SQL_ON_DAMAGED],
            ):
                try:
                    outcome = run_main(main, argv)
                except Hang:
                    pytest.fail(f"case {case}: vdbe {argv[0]} ran over 10 seconds")
                assert outcome.status in (0, 1, 4) and outcome.clean, (case, argv[0], outcome)
                statuses[argv[0], outcome.status] += 1
            Path(f"{path}-journal").unlink(missing_ok=True)
    print(COMMAND_CASES, "files:", dict(statuses))
    assert statuses["sql", 4] and statuses["check", 1] and statuses["sql", 0], statuses


def test_rollback_with_a_cursor_on_a_damaged_record(tmp_path):
    """A rollback saves every open cursor's key first; a key it cannot read (its overflow
    pages are gone) must not stop the rollback: the cursor is left at its end."""
    path = tmp_path / "overflow.db"
    con = sqlite3.connect(path)
    con.execute("PRAGMA page_size=512")
    con.execute("CREATE TABLE kv(key PRIMARY KEY, value) WITHOUT ROWID")
    con.execute("INSERT INTO kv VALUES ('a', ?)", ("x" * 3000,))
    con.commit()
    root = con.execute("SELECT rootpage FROM sqlite_schema WHERE name = 'kv'").fetchone()[0]
    con.close()
    data = bytearray(path.read_bytes())
    data[root * 512 :] = bytes(len(data) - root * 512)  # the overflow pages, zeroed
    path.write_bytes(data)
    db = Database(str(path))
    db.begin(write=True)
    cursor = db.cursor(root, index_key_info=KeyInfo(1, [None], [False]))
    assert cursor.first()
    db.rollback()
    assert not db.in_transaction
    db.close()
