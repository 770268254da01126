"""`vdbe.dump` shows the file format; `vdbe.check` finds what breaks it."""

from __future__ import annotations

import sqlite3
import struct

import pytest
from vdbe.check import check
from vdbe.dump import dump
from vdbe.errors import CorruptError, VdbeError


def dump_exercises(test):
    """dump decodes the header and every cell: its tests belong to both exercises."""
    return pytest.mark.exercise("storage-header")(pytest.mark.exercise("storage-cell-parse")(test))


def make_db(path, page_size=1024):
    con = sqlite3.connect(path)
    con.execute(f"PRAGMA page_size={page_size}")
    con.execute("CREATE TABLE t(a INTEGER PRIMARY KEY, b TEXT)")
    con.execute("CREATE INDEX tb ON t(b)")
    con.executemany("INSERT INTO t VALUES (?, ?)", [(i, f"v{i:04d}" * 3) for i in range(1, 400)])
    con.execute("INSERT INTO t VALUES (1000, ?)", ("z" * 3000,))
    con.execute("DELETE FROM t WHERE a BETWEEN 100 AND 300")
    con.commit()
    con.close()
    return path


def patch(path, offset, data: bytes):
    with open(path, "r+b") as f:
        f.seek(offset)
        f.write(data)


@dump_exercises
def test_dump_shows_header_schema_and_page(tmp_path):
    path = make_db(str(tmp_path / "a.db"))
    text = dump(path)
    assert "page size                        1024" in text
    assert "text encoding                    1 (UTF-8)" in text
    assert "CREATE INDEX tb ON t(b)" in text
    assert "Page 1: table leaf page (type 0x0d)" in text
    assert "b-tree header at offset 100" in text
    page2 = dump(path, page=2)
    assert "Page 2: table interior page (type 0x05)" in page2
    assert "right child: page" in page2


@dump_exercises
def test_dump_recognises_overflow_and_freelist_pages(tmp_path):
    path = make_db(str(tmp_path / "b.db"))
    con = sqlite3.connect(path)
    pages = con.execute("PRAGMA page_count").fetchone()[0]
    trunk = con.execute("PRAGMA freelist_count").fetchone()[0]
    con.close()
    assert trunk > 0
    kinds = "".join(dump(path, page=p).split("\n\n")[-1].split("\n")[0] for p in range(1, pages))
    assert "overflow page" in kinds
    assert "freelist trunk page" in kinds
    assert "index leaf page" in kinds


def test_dump_of_a_missing_page_is_a_clear_error(tmp_path):
    path = make_db(str(tmp_path / "c.db"))
    with pytest.raises(VdbeError, match="does not exist"):
        dump(path, page=10_000)


def test_check_accepts_sound_files(tmp_path):
    for size in (512, 4096):
        assert check(make_db(str(tmp_path / f"ok{size}.db"), size)) == []


def test_check_finds_cells_out_of_order(tmp_path):
    path = make_db(str(tmp_path / "d.db"))
    con = sqlite3.connect(path)
    root = con.execute("SELECT rootpage FROM sqlite_schema WHERE name='t'").fetchone()[0]
    con.close()
    with open(path, "rb") as f:
        f.seek((root - 1) * 1024)
        page = f.read(1024)
    ptr = struct.unpack_from(">H", page, 12)[0]  # the root's first cell
    child = struct.unpack_from(">I", page, ptr)[0]  # its left child: the leftmost leaf
    leaf_off = (child - 1) * 1024
    with open(path, "rb") as f:
        f.seek(leaf_off + 8)
        p0, p1 = struct.unpack(">HH", f.read(4))
    patch(path, leaf_off + 8, struct.pack(">HH", p1, p0))  # swap the first two cells
    problems = check(path)
    assert any("out of order" in p for p in problems), problems


def test_check_finds_bad_freelist_count_and_unused_pages(tmp_path):
    path = make_db(str(tmp_path / "e.db"))
    patch(path, 36, struct.pack(">I", 999))
    problems = check(path)
    assert any("Freelist: size is" in p for p in problems), problems
    path2 = make_db(str(tmp_path / "f.db"))
    patch(path2, 32, struct.pack(">II", 0, 0))  # forget the freelist entirely
    problems = check(path2)
    assert any("never used" in p for p in problems), problems


def test_check_finds_a_second_reference_to_a_page(tmp_path):
    path = make_db(str(tmp_path / "g.db"))
    con = sqlite3.connect(path)
    root = con.execute("SELECT rootpage FROM sqlite_schema WHERE name='t'").fetchone()[0]
    con.close()
    # point the right child of the table's root at page 1's tree
    patch(path, (root - 1) * 1024 + 8, struct.pack(">I", 1))
    problems = check(path)
    assert problems


def test_check_of_garbage_raises_corrupt(tmp_path):
    path = str(tmp_path / "junk.db")
    with open(path, "wb") as f:
        f.write(b"not a database at all" * 100)
    with pytest.raises(CorruptError):
        check(path)


def test_check_accepts_auto_vacuum_files(tmp_path):
    path = str(tmp_path / "av.db")
    con = sqlite3.connect(path)
    con.execute("PRAGMA page_size=512")
    con.execute("PRAGMA auto_vacuum=FULL")
    con.execute("CREATE TABLE t(a INTEGER PRIMARY KEY, b)")
    con.executemany("INSERT INTO t VALUES (?, ?)", [(i, "x" * 90) for i in range(2000)])
    con.commit()
    con.close()
    assert check(path) == []


def test_check_reports_schema_sql_that_does_not_parse(tmp_path):
    path = tmp_path / "broken.db"
    con = sqlite3.connect(path)
    con.executescript(
        "CREATE TABLE t(a INTEGER, b TEXT); CREATE TABLE u(x INTEGER PRIMARY KEY AUTOINCREMENT);"
        "INSERT INTO u VALUES (1); CREATE INDEX t_b ON t(b DESC);"
        "CREATE VIEW v AS SELECT a FROM t; CREATE TRIGGER g AFTER INSERT ON t BEGIN"
        " DELETE FROM u; END;"
    )
    con.close()
    assert check(str(path)) == []  # sqlite_sequence, indexes, views, triggers all parse
    con = sqlite3.connect(path)
    con.execute("PRAGMA writable_schema = ON")
    # what ALTER TABLE ... ADD COLUMN wrote when printf was given too few arguments
    con.execute(
        "UPDATE sqlite_schema SET sql = ', c DEFAULT 7CREATE TABLE t(a INTEGER, b TEXT)' "
        "WHERE name = 't'"
    )
    con.commit()
    con.close()
    assert check(str(path)) == ['malformed database schema (t) - near ",": syntax error']


INTEGRITY_PROGRAM = """
0  Init         0  6  0            0
1  Integer      99 1  0            0
2  IntegrityCk  2  1  1  [1]       0
3  IntegrityCk  3  1  1  [1]       1
4  ResultRow    2  2  0            0
5  Halt         0  0  0            0
6  Transaction  0  0  0  0         0
7  Goto         0  1  0            0
"""


def test_integrity_ck_reports_what_vdbe_check_finds(tmp_path):
    from vdbe.engine import VM
    from vdbe.program import Program
    from vdbe.storage import Database

    path = tmp_path / "t.db"
    con = sqlite3.connect(path)
    con.execute("CREATE TABLE t(a, b)")
    con.commit()
    con.close()

    def integrity_ck() -> list:
        db = Database(str(path))
        try:
            return VM(Program.parse(INTEGRITY_PROGRAM), db).run()
        finally:
            db.close()

    assert integrity_ck() == [[None, None]]  # NULL: nothing wrong (TEMP is always sound)
    con = sqlite3.connect(path)
    con.execute("PRAGMA writable_schema = ON")
    con.execute("UPDATE sqlite_schema SET sql = 'CREATE TABLE t(a, b' WHERE name = 't'")
    con.commit()
    con.close()
    [[problems, temp]] = integrity_ck()
    assert problems == check(str(path))[0] and "malformed database schema (t)" in problems
    assert temp is None
