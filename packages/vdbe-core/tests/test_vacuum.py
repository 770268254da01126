"""VACUUM and VACUUM INTO against real SQLite's, file by file.

Each database below is written by real SQLite at page sizes 4096 and 512 and copied;
SQLite vacuums one copy, this VM the other. The two files must then hold the same
schema rows in the same order, the same rows, the same header fields, no free page, and
as few pages as SQLite's (the same number, but one fewer for the deep index at page
size 512, where SQLite's appends leave an interior page less full); real SQLite's
integrity check must pass on the VM's file. VACUUM INTO must leave its source untouched.
Auto-vacuum databases (FULL and INCREMENTAL) are vacuumed the same way, pointer map
included, and `PRAGMA auto_vacuum = X` before a VACUUM changes the mode as in SQLite.
A power cut at a sync of a VACUUM (at every one with CARROT_LONG_TESTS=1) must leave
the old database or the new one.
"""

from __future__ import annotations

import os
import random
import shutil
import sqlite3
import subprocess
import sys

import pytest
import test_sql_corpus as harness
from hypothesis import given, settings
from hypothesis import strategies as st
from test_powerloss import abandon
from vdbe import dbapi
from vdbe.connection import Connection
from vdbe.errors import SqlError
from vdbe.storage.crashvfs import CrashVfs, PowerCut

LONG = os.environ.get("CARROT_LONG_TESTS") == "1"
SHORT_POINTS = 12  # sync points cut at in the short run (every one with CARROT_LONG_TESTS=1)
FILL = "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < {}) "

DATABASES = {
    "freed_pages": (
        "CREATE TABLE t(id INTEGER PRIMARY KEY, v TEXT); CREATE INDEX t_v ON t(v);"
        + FILL.format(800)
        + "INSERT INTO t SELECT i, printf('%.*c', i % 120 + 1, 'a') || i FROM n;"
        "DELETE FROM t WHERE id % 5 <> 0;"
    ),
    "overflow": (
        "CREATE TABLE o(k INTEGER PRIMARY KEY, b BLOB, t TEXT); CREATE INDEX o_t ON o(t);"
        + FILL.format(80)
        + "INSERT INTO o SELECT i, randomblob(i * 211), printf('%.*c', i * 37, 't') FROM n;"
        "DELETE FROM o WHERE k % 3 = 0;"
    ),
    "without_rowid": (
        "CREATE TABLE w(a TEXT, b INTEGER, c, PRIMARY KEY (a, b)) WITHOUT ROWID;"
        "CREATE INDEX w_c ON w(c DESC);"
        + FILL.format(700)
        # c: a scrambled hex string, the same on every run (page counts depend on its order)
        + "INSERT INTO w SELECT printf('k%04d', i * 13 % 701), i, substr(replace("
        "printf('%.*c', 100, 'x'), 'x', printf('%x', i * 2654435761 % 4294967296)),"
        " 1, 2 * (i % 50)) FROM n;"
        "DELETE FROM w WHERE b % 4 = 1;"
    ),
    "schema_mix": (
        "CREATE TABLE a(x INTEGER PRIMARY KEY AUTOINCREMENT, y UNIQUE, z);"
        "CREATE VIEW v AS SELECT * FROM a;"
        "CREATE INDEX a_z ON a(z) WHERE z IS NOT NULL;"
        "CREATE TABLE b(k TEXT PRIMARY KEY, u UNIQUE, w);"
        "CREATE TRIGGER tr AFTER INSERT ON a BEGIN INSERT INTO b VALUES (new.x, new.y, 1); END;"
        + FILL.format(150)
        + "INSERT INTO a(y, z) SELECT i, CASE WHEN i % 2 THEN i END FROM n;"
        "DROP TABLE b; CREATE TABLE b(k TEXT PRIMARY KEY, u UNIQUE, w);"
        "PRAGMA user_version = 7; PRAGMA application_id = 99; ANALYZE;"
    ),
    "empty": "CREATE TABLE gone(x); INSERT INTO gone VALUES (zeroblob(20000)); DROP TABLE gone;",
    "deep_index": (
        "CREATE TABLE d(s TEXT); CREATE INDEX d_s ON d(s);"
        + FILL.format(3000)
        + "INSERT INTO d SELECT printf('%.*c', i % 200 + 20, 'q') || i FROM n;"
        "DELETE FROM d WHERE rowid % 7 = 0;"
    ),
}


def make(path, page_size: int, setup: str) -> None:
    con = sqlite3.connect(path)
    con.execute(f"PRAGMA page_size = {page_size}")
    con.executescript(setup)
    con.close()


def facts(path) -> dict:
    """What must agree between two vacuumed files."""
    con = sqlite3.connect(path)
    try:
        with open(path, "rb") as f:
            header = f.read(100)
        return {
            "schema": con.execute(
                "SELECT rowid, type, name, tbl_name, sql FROM sqlite_schema ORDER BY rowid"
            ).fetchall(),
            "freelist": con.execute("PRAGMA freelist_count").fetchone()[0],
            "integrity": con.execute("PRAGMA integrity_check").fetchall(),
            # change counter, freelist, cookie, format, cache size, largest root page
            # (auto-vacuum), encoding, user version, incremental vacuum, application id,
            # version-valid-for (the page count is "pages")
            "header": [header[i : i + 4] for i in (24, 32, 36, 40, 44, 48, 52, 56, 60, 64, 68, 92)],
            "pages": con.execute("PRAGMA page_count").fetchone()[0],
            "content": harness.snapshot(path),
        }
    finally:
        con.close()


def vm_run(path, sql: str) -> list:
    connection = Connection(str(path))
    try:
        return list(connection.execute(sql))
    finally:
        connection.close()


@pytest.mark.parametrize("page_size", [4096, 512])
@pytest.mark.parametrize("name", sorted(DATABASES))
def test_vacuum_gives_the_file_sqlite_gives(tmp_path, name, page_size):
    theirs, mine = tmp_path / "theirs.db", tmp_path / "mine.db"
    make(theirs, page_size, DATABASES[name])
    shutil.copyfile(theirs, mine)
    con = sqlite3.connect(theirs)
    con.execute("VACUUM")
    con.close()
    assert vm_run(mine, "VACUUM") == []
    got, expected = facts(mine), facts(theirs)
    assert got["integrity"] == [("ok",)]
    assert got["freelist"] == 0
    assert got.pop("pages") <= expected.pop("pages")  # (equal, but for deep_index at 512)
    assert got == expected


@pytest.mark.parametrize("page_size", [4096, 512])
@pytest.mark.parametrize("name", ["freed_pages", "without_rowid", "schema_mix"])
def test_vacuum_into_writes_a_copy_and_leaves_the_source(tmp_path, name, page_size):
    source = tmp_path / "source.db"
    make(source, page_size, DATABASES[name])
    before = source.read_bytes()
    con = sqlite3.connect(source)
    con.execute("VACUUM INTO ?", (str(tmp_path / "theirs.db"),))
    con.close()
    assert vm_run(source, f"VACUUM INTO '{tmp_path / 'mine.db'}'") == []
    assert source.read_bytes() == before
    assert not (tmp_path / "source.db-journal").exists()
    got, expected = facts(tmp_path / "mine.db"), facts(tmp_path / "theirs.db")
    assert got.pop("pages") <= expected.pop("pages")
    assert got == expected


def sqlite_error(path, sql: str) -> str:
    con = sqlite3.connect(path, isolation_level=None)
    try:
        con.execute("BEGIN") if sql.startswith("BEGIN;") else None
        con.execute(sql.removeprefix("BEGIN;"))
    except sqlite3.Error as exc:
        return str(exc)
    finally:
        con.close()
    return ""


@pytest.mark.parametrize(
    "sql",
    [
        "BEGIN;VACUUM",
        "VACUUM INTO '{dir}/exists.db'",
        "VACUUM INTO '{dir}/no/such/dir.db'",
        "VACUUM INTO 3.5",
        "VACUUM INTO x'00'",
        "VACUUM nosuch",
        "VACUUM main INTO '{dir}/empty.db'",
    ],
)
def test_errors_are_sqlites(tmp_path, sql):
    sql = sql.format(dir=tmp_path)
    path = tmp_path / "t.db"
    make(path, 4096, "CREATE TABLE t(a); INSERT INTO t VALUES (1);")
    make(tmp_path / "exists.db", 4096, "CREATE TABLE x(y);")
    (tmp_path / "empty.db").write_bytes(b"")
    expected = sqlite_error(path, sql)
    (tmp_path / "empty.db").write_bytes(b"")
    connection = Connection(str(path))
    try:
        if sql.startswith("BEGIN;"):
            list(connection.execute("BEGIN"))
        with pytest.raises(SqlError) if expected else _nothing() as raised:
            list(connection.execute(sql.removeprefix("BEGIN;")))
    finally:
        connection.close()
    if expected:
        assert raised.value.message == expected
    assert harness.integrity(path) == "ok"


class _nothing:  # noqa: N801 - a `with` statement that expects no error
    def __enter__(self):
        return None

    def __exit__(self, *exc) -> bool:
        return False


def test_vacuum_waits_for_no_statement_as_sqlite_does(tmp_path):
    path = tmp_path / "t.db"
    make(path, 4096, "CREATE TABLE t(a); INSERT INTO t VALUES (1), (2), (3);")
    theirs = sqlite3.connect(path, isolation_level=None)
    reading = theirs.execute("SELECT a FROM t")
    reading.fetchone()
    with pytest.raises(sqlite3.OperationalError) as expected:
        theirs.execute("VACUUM")
    theirs.close()
    connection = Connection(str(path))
    try:
        run = connection.execute("SELECT a FROM t")
        assert next(run) == [1]
        with pytest.raises(SqlError) as raised:
            list(connection.execute("VACUUM"))
        assert raised.value.message == str(expected.value)
        run.close()
        assert list(connection.execute("VACUUM")) == []
    finally:
        connection.close()


def test_an_in_memory_database_is_vacuumed_and_copied_into_a_file(tmp_path):
    connection = Connection(":memory:")
    try:
        list(connection.execute("CREATE TABLE t(a INTEGER PRIMARY KEY, b)"))
        list(connection.execute(FILL.format(500) + "INSERT INTO t SELECT i, zeroblob(300) FROM n"))
        list(connection.execute("DELETE FROM t WHERE a > 20"))
        before = list(connection.execute("PRAGMA page_count"))[0][0]
        list(connection.execute("VACUUM"))
        after = list(connection.execute("PRAGMA page_count"))[0][0]
        assert list(connection.execute("PRAGMA freelist_count")) == [[0]]
        assert list(connection.execute("SELECT count(*), sum(a) FROM t")) == [[20, 210]]
        list(connection.execute(f"VACUUM INTO '{tmp_path / 'copy.db'}'"))
    finally:
        connection.close()
    assert after < before
    assert harness.integrity(tmp_path / "copy.db") == "ok"
    con = sqlite3.connect(tmp_path / "copy.db")
    assert con.execute("SELECT count(*), sum(a) FROM t").fetchone() == (20, 210)
    assert con.execute("PRAGMA page_count").fetchone()[0] == after
    con.close()


@pytest.mark.exercise("vdbe-variable")  # VACUUM INTO ? binds the file name
def test_vacuum_through_the_command_line_and_dbapi(tmp_path):
    path = tmp_path / "t.db"
    make(path, 4096, DATABASES["freed_pages"])
    pages = sqlite3.connect(path).execute("PRAGMA page_count").fetchone()[0]
    done = subprocess.run(
        [sys.executable, "-m", "vdbe", "sql", "--db", str(path), "VACUUM"],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr
    compact = sqlite3.connect(path).execute("PRAGMA page_count").fetchone()[0]
    assert compact < pages
    done = subprocess.run(
        [sys.executable, "-m", "vdbe", "sql", "--db", str(path), "BEGIN; VACUUM"],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode != 0
    assert "cannot VACUUM from within a transaction" in done.stderr
    assert "Traceback" not in done.stderr
    connection = dbapi.connect(str(path), isolation_level=None)
    try:
        connection.execute("DELETE FROM t WHERE id > 400")
        connection.execute("VACUUM")
        connection.execute("VACUUM INTO ?", (str(tmp_path / "copy.db"),))
        with pytest.raises(dbapi.OperationalError, match="output file already exists"):
            connection.execute("VACUUM INTO ?", (str(tmp_path / "copy.db"),))
    finally:
        connection.close()
    assert sqlite3.connect(path).execute("PRAGMA page_count").fetchone()[0] < compact
    assert harness.snapshot(path) == harness.snapshot(tmp_path / "copy.db")
    assert harness.integrity(tmp_path / "copy.db") == "ok"


def test_a_statement_prepared_before_vacuum_runs_after_it():
    connection = Connection(":memory:")
    try:
        connection.executescript("CREATE TABLE a(x); CREATE TABLE b(y)")
        list(connection.execute("INSERT INTO b VALUES (1), (2)"))
        list(connection.execute("DROP TABLE a"))
        query = "SELECT sum(y) FROM b"
        assert list(connection.execute(query)) == [[3]]
        list(connection.execute("VACUUM"))  # b's root page moves from 3 to 2
        assert list(connection.execute(query)) == [[3]]
    finally:
        connection.close()


# --------------------------------------------------------------------------- power loss


def run_with_power(path: str, vfs: CrashVfs, statement: str) -> bool:
    """`statement` through `vfs` with a cache of 10 pages, so that pages spill mid-way;
    True if it finished, False if the power went."""
    connection = Connection(path, vfs=vfs)
    try:
        list(connection.execute("PRAGMA cache_size = 10"))
        list(connection.execute(statement))
    except PowerCut:
        abandon(connection)
        return False
    connection.close()
    return True


@pytest.mark.exercise("storage-journal-recovery")
@pytest.mark.parametrize("page_size", [4096, 512])
def test_power_loss_during_vacuum_leaves_the_old_database_or_the_new(tmp_path, page_size):
    base = tmp_path / "base.db"
    make(base, page_size, DATABASES["freed_pages"])
    expected = harness.snapshot(base)
    old_pages = sqlite3.connect(base).execute("PRAGMA page_count").fetchone()[0]
    dry = tmp_path / "dry.db"
    shutil.copyfile(base, dry)
    vfs = CrashVfs()
    assert run_with_power(str(dry), vfs, "VACUUM")
    new_pages = sqlite3.connect(dry).execute("PRAGMA page_count").fetchone()[0]
    assert new_pages < old_pages
    syncs = vfs.ops["sync"]
    assert syncs >= 3
    outcomes = set()
    points = range(1, syncs + 1)
    if not LONG and syncs > SHORT_POINTS:  # the first, the last and some between
        between = random.Random(page_size).sample(range(2, syncs), SHORT_POINTS - 2)
        points = [1, *sorted(between), syncs]
    for k in points:
        work = tmp_path / f"cut{k}"
        work.mkdir()
        shutil.copyfile(base, work / "t.db")
        vfs = CrashVfs(cut_at=("sync", k), seed=k)
        assert not run_with_power(str(work / "t.db"), vfs, "VACUUM")
        after = tmp_path / f"after{k}"
        after.mkdir()
        vfs.restore(str(after))
        recovered = after / "t.db"
        count = [[len(expected["tables"]["t"])]]
        if k % 2:  # the VM rolls the hot journal back; else real SQLite does
            assert vm_run(recovered, "SELECT count(*) FROM t") == count
        assert harness.integrity(recovered) == "ok"
        assert vm_run(recovered, "SELECT count(*) FROM t") == count
        assert harness.snapshot(recovered) == expected
        pages = sqlite3.connect(recovered).execute("PRAGMA page_count").fetchone()[0]
        assert pages in (old_pages, new_pages)
        outcomes.add(pages)
    assert old_pages in outcomes


def test_an_attached_database_is_vacuumed_like_sqlites(tmp_path):
    aux, theirs = tmp_path / "aux.db", tmp_path / "theirs.db"
    make(aux, 1024, DATABASES["overflow"])
    shutil.copyfile(aux, theirs)
    con = sqlite3.connect(":memory:")
    con.execute("ATTACH ? AS aux", (str(theirs),))
    con.execute("VACUUM aux")
    con.close()
    connection = Connection(str(tmp_path / "main.db"))
    try:
        list(connection.execute(f"ATTACH '{aux}' AS aux"))
        list(connection.execute("VACUUM aux"))
        list(connection.execute(f"VACUUM aux INTO '{tmp_path / 'copy.db'}'"))
    finally:
        connection.close()
    got, expected = facts(aux), facts(theirs)
    assert got.pop("pages") <= expected.pop("pages")
    assert got == expected
    assert harness.snapshot(tmp_path / "copy.db") == expected["content"]


# --------------------------------------------------------------------------- properties

_VALUES = st.one_of(
    st.none(),
    st.integers(-(2**63), 2**63 - 1),
    st.floats(allow_nan=False),
    st.text(max_size=300),
    st.binary(max_size=2500),
)


@settings(max_examples=40 if LONG else 8, deadline=None)
@given(
    page_size=st.sampled_from([512, 1024, 4096]),
    rows=st.lists(st.tuples(_VALUES, _VALUES), min_size=0, max_size=120),
    keep=st.integers(1, 4),
    without_rowid=st.booleans(),
)
def test_any_database_vacuums_as_sqlites_does(
    tmp_path_factory, page_size, rows, keep, without_rowid
):
    """Random rows (overflowing ones too) in a rowid table and an index, or a WITHOUT
    ROWID table, some of them deleted: the VM's VACUUM gives SQLite's file."""
    work = tmp_path_factory.mktemp("vacuum")
    theirs, mine = work / "theirs.db", work / "mine.db"
    con = sqlite3.connect(theirs)
    con.execute(f"PRAGMA page_size = {page_size}")
    if without_rowid:
        con.execute("CREATE TABLE t(k INTEGER PRIMARY KEY, a, b) WITHOUT ROWID")
    else:
        con.execute("CREATE TABLE t(k INTEGER PRIMARY KEY, a, b)")
    con.execute("CREATE INDEX t_ab ON t(a, b)")
    con.executemany("INSERT INTO t VALUES (?, ?, ?)", [(i, a, b) for i, (a, b) in enumerate(rows)])
    con.execute("DELETE FROM t WHERE k % ? <> 0", (keep,))
    con.commit()
    con.close()
    shutil.copyfile(theirs, mine)
    con = sqlite3.connect(theirs)
    con.execute("VACUUM")
    con.close()
    vm_run(mine, "VACUUM")
    got, expected = facts(mine), facts(theirs)
    assert got.pop("pages") <= expected.pop("pages")
    assert got == expected


@pytest.mark.parametrize("page_size", [4096, 512])
@pytest.mark.parametrize("name", sorted(DATABASES))
@pytest.mark.parametrize("mode", ["FULL", "INCREMENTAL"])
def test_an_auto_vacuum_database_vacuums_as_sqlites_does(tmp_path, mode, name, page_size):
    """The copy keeps the mode: the roots right after the pointer map, every page's entry
    written, the largest root and the incremental flag in the header as SQLite's."""
    theirs, mine = tmp_path / "theirs.db", tmp_path / "mine.db"
    make(theirs, page_size, f"PRAGMA auto_vacuum = {mode};" + DATABASES[name])
    shutil.copyfile(theirs, mine)
    con = sqlite3.connect(theirs)
    con.execute("VACUUM")
    con.close()
    assert vm_run(mine, "VACUUM") == []
    got, expected = facts(mine), facts(theirs)
    assert got["integrity"] == [("ok",)]
    assert got.pop("pages") <= expected.pop("pages")  # (equal, but for deep_index at 512)
    assert got == expected


def vm_script(path, script: str) -> None:
    connection = Connection(str(path))
    try:
        connection.executescript(script)
    finally:
        connection.close()


@pytest.mark.parametrize("page_size", [4096, 512])
@pytest.mark.parametrize(
    "before, after",
    [("NONE", "FULL"), ("NONE", "INCREMENTAL"), ("FULL", "NONE"), ("INCREMENTAL", "FULL")],
)
def test_pragma_auto_vacuum_then_vacuum_changes_the_mode(tmp_path, before, after, page_size):
    theirs, mine = tmp_path / "theirs.db", tmp_path / "mine.db"
    make(theirs, page_size, f"PRAGMA auto_vacuum = {before};" + DATABASES["freed_pages"])
    shutil.copyfile(theirs, mine)
    script = f"PRAGMA auto_vacuum = {after}; VACUUM;"
    con = sqlite3.connect(theirs)
    con.executescript(script)
    con.close()
    vm_script(mine, script)
    got, expected = facts(mine), facts(theirs)
    assert got["integrity"] == [("ok",)]
    assert got == expected
    assert vm_run(mine, "PRAGMA auto_vacuum") == [[{"NONE": 0, "FULL": 1}.get(after, 2)]]


@pytest.mark.parametrize("mode", ["FULL", "INCREMENTAL"])
def test_vacuum_into_copies_an_auto_vacuum_database(tmp_path, mode):
    source = tmp_path / "source.db"
    make(source, 512, f"PRAGMA auto_vacuum = {mode};" + DATABASES["overflow"])
    before = source.read_bytes()
    con = sqlite3.connect(source)
    con.execute("VACUUM INTO ?", (str(tmp_path / "theirs.db"),))
    con.close()
    assert vm_run(source, f"VACUUM INTO '{tmp_path / 'mine.db'}'") == []
    assert source.read_bytes() == before
    got, expected = facts(tmp_path / "mine.db"), facts(tmp_path / "theirs.db")
    assert got["integrity"] == [("ok",)]
    assert got == expected
