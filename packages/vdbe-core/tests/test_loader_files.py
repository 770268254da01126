"""Compiling against a database file: the loader hands SQLite a copy of what compiling reads.

The programs must be exactly those SQLite compiles on the file itself, CHECK constraints
included, while SQLite never touches the file (nor its hot journal, which is the VM's
to roll back).
"""

from __future__ import annotations

import shutil
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest
from vdbe.errors import SqlError
from vdbe.loader import _pages_compiling_reads, compile_sql, explain_rows

LONG_DEFAULT = "'" + "d" * 60 + "'"


def make_file(path: Path, rows: int = 3000) -> None:
    """Small pages, a schema spread over several pages (one row overflows), statistics."""
    con = sqlite3.connect(path)
    con.executescript(
        f"""
        PRAGMA page_size = 1024;
        CREATE TABLE c(a INTEGER PRIMARY KEY, b INT CHECK (b > 0), c TEXT COLLATE NOCASE,
                       UNIQUE(c));
        CREATE TABLE w(k TEXT PRIMARY KEY, v) WITHOUT ROWID;
        CREATE INDEX c_b ON c(b DESC, c);
        CREATE VIEW v AS SELECT a, b FROM c WHERE b > 3;
        CREATE TRIGGER tr AFTER INSERT ON c BEGIN INSERT INTO w VALUES (new.c, new.b); END;
        CREATE TABLE auto(id INTEGER PRIMARY KEY AUTOINCREMENT, t);
        CREATE TABLE wide({", ".join(f"col{i} TEXT DEFAULT {LONG_DEFAULT}" for i in range(40))});
        """
    )
    for i in range(30):
        con.execute(f"CREATE TABLE extra{i}(x INTEGER PRIMARY KEY, y TEXT, z REAL)")
    con.executemany("INSERT INTO c VALUES (?, ?, ?)", [(i, i, f"n{i}") for i in range(1, rows)])
    con.commit()
    con.execute("ANALYZE")  # sqlite_stat1 lands after all the data
    con.commit()
    con.close()


STATEMENTS = [
    "SELECT * FROM c WHERE b > 5 AND c = 'x'",
    "SELECT c FROM c ORDER BY b DESC LIMIT 3",
    "INSERT INTO c VALUES (1, 2, 'q')",
    "UPDATE c SET b = -1 WHERE a = 7",
    "DELETE FROM w WHERE k > 'm'",
    "SELECT * FROM v",
    "INSERT INTO auto(t) VALUES (1)",
    "SELECT col39 FROM wide",
    "SELECT count(*) FROM extra29",
    "SELECT * FROM sqlite_stat1",
    "CREATE TABLE z(a)",
    "DROP TABLE c",
    "ALTER TABLE c ADD COLUMN d",
    "ANALYZE",
    "PRAGMA page_size",
    "PRAGMA cache_spill",
    "PRAGMA mmap_size",
    "PRAGMA table_info(wide)",
    "PRAGMA integrity_check",
]


@pytest.fixture(scope="module")
def rich_file(tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("files") / "rich.db"
    make_file(path)
    return path


def sqlite_on_the_file(path: Path, sql: str, tmp_path: Path) -> list[tuple]:
    """What SQLite compiles when it opens the file itself (a copy, writable)."""
    copy = tmp_path / "copy.db"
    shutil.copyfile(path, copy)
    con = sqlite3.connect(copy)
    con.text_factory = bytes
    try:
        return con.execute("EXPLAIN " + sql).fetchall()
    finally:
        con.close()


@pytest.mark.parametrize("sql", STATEMENTS)
def test_programs_are_those_sqlite_compiles_on_the_file(rich_file, sql, tmp_path):
    assert explain_rows(sql, str(rich_file)) == sqlite_on_the_file(rich_file, sql, tmp_path)


def test_check_constraints_are_compiled(rich_file):
    program = compile_sql("INSERT INTO c VALUES (1, -1, 'x')", str(rich_file))
    checks = [ins for ins in program if ins.opcode == "Halt" and ins.p1 == 275]
    assert [ins.p4 for ins in checks] == ["b > 0"]


def test_database_list_names_the_file_not_the_copy(rich_file):
    rows = explain_rows("PRAGMA database_list", str(rich_file))
    names = [row[5] for row in rows if row[1] == b"String8"]
    assert names == [b"main", str(rich_file.resolve()).encode()]


def test_only_the_schema_and_statistics_pages_are_copied(rich_file):
    pages = _pages_compiling_reads(str(rich_file))
    total = rich_file.stat().st_size // 1024
    con = sqlite3.connect(rich_file)
    stat1_root = con.execute(
        "SELECT rootpage FROM sqlite_schema WHERE name = 'sqlite_stat1'"
    ).fetchone()[0]
    con.close()
    assert 1 in pages and stat1_root in pages
    assert stat1_root > total // 2  # made last: a copy up to it would be most of the file
    assert 3 < len(pages) < 20 < total


def test_files_with_virtual_tables_are_copied_whole(tmp_path):
    path = tmp_path / "fts.db"
    con = sqlite3.connect(path)
    try:
        con.execute("CREATE VIRTUAL TABLE doc USING fts5(body)")
    except sqlite3.OperationalError:
        pytest.skip("this SQLite has no FTS5")
    con.executemany("INSERT INTO doc VALUES (?)", [(f"word{i} text",) for i in range(500)])
    con.commit()
    con.close()
    assert _pages_compiling_reads(str(path)) is None
    sql = "SELECT * FROM doc WHERE doc MATCH 'word7'"
    ours, theirs = explain_rows(sql, str(path)), sqlite_on_the_file(path, sql, tmp_path)
    assert without_addresses(ours) == without_addresses(theirs)


def without_addresses(rows: list[tuple]) -> list[tuple]:
    """VOpen's P4 is `vtab:` and the address of an object in memory."""
    return [row[:5] + (b"vtab",) + row[6:] if row[1] == b"VOpen" else row for row in rows]


def test_errors_are_sqlites_own(tmp_path):
    junk = tmp_path / "junk.db"
    junk.write_bytes(b"this is not a database" * 100)
    with pytest.raises(SqlError, match="file is not a database"):
        compile_sql("SELECT * FROM t", str(junk))
    empty = tmp_path / "empty.db"
    empty.write_bytes(b"")
    with pytest.raises(SqlError, match="no such table: t"):
        compile_sql("SELECT * FROM t", str(empty))
    assert compile_sql("SELECT 1", str(empty)).instructions


# A process that changes every row with a tiny page cache, so that SQLite writes changed
# pages into the file before committing, then waits to be killed: a hot journal is left.
CRASHING_WRITER = """
import sqlite3, sys
con = sqlite3.connect(sys.argv[1], isolation_level=None)
con.execute("PRAGMA cache_size = 2")
con.execute("BEGIN")
con.execute("UPDATE t SET b = 'overwritten ' || b")
print("spilled", flush=True)
sys.stdin.read()
"""


def make_hot_journal(path: Path) -> list[tuple]:
    """Leave a hot journal next to `path`; return the rows the file held before."""
    con = sqlite3.connect(path)
    con.execute("PRAGMA page_size = 1024")
    con.execute("CREATE TABLE t(a INTEGER PRIMARY KEY, b TEXT CHECK (length(b) < 100))")
    con.executemany("INSERT INTO t VALUES (?, ?)", [(i, f"row {i}" * 5) for i in range(2000)])
    con.commit()
    rows = con.execute("SELECT * FROM t ORDER BY a").fetchall()
    con.close()
    original = path.read_bytes()
    writer = subprocess.Popen(
        [sys.executable, "-c", CRASHING_WRITER, str(path)],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
    )
    try:
        assert writer.stdout.readline().strip() == b"spilled"
    finally:
        writer.kill()
        writer.wait()
    assert path.read_bytes() != original  # the file really is half-changed
    assert Path(f"{path}-journal").stat().st_size > 0
    return rows


def test_compiling_leaves_a_hot_journal_alone(tmp_path):
    path = tmp_path / "hot.db"
    make_hot_journal(path)
    journal = Path(f"{path}-journal")
    before = (path.read_bytes(), journal.read_bytes())
    program = compile_sql("INSERT INTO t VALUES (5000, 'new')", str(path))
    assert [ins.p4 for ins in program if ins.opcode == "Halt" and ins.p1 == 275] == [
        "length(b) < 100"
    ]
    explain = subprocess.run(
        [sys.executable, "-m", "vdbe", "explain", "--db", str(path), "SELECT b FROM t"],
        capture_output=True,
        timeout=60,
    )
    assert explain.returncode == 0, explain.stderr
    assert (path.read_bytes(), journal.read_bytes()) == before


@pytest.mark.exercise("storage-journal-recovery")
def test_vdbe_sql_rolls_the_hot_journal_back_itself(tmp_path):
    path = tmp_path / "hot.db"
    rows = make_hot_journal(path)
    done = subprocess.run(
        [sys.executable, "-m", "vdbe", "sql", "--db", str(path), "SELECT a, b FROM t ORDER BY a"],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout == "".join(f"{a}|{b}\n" for a, b in rows)
    assert not Path(f"{path}-journal").exists()
