"""Auto-vacuum databases: random work on a FULL or INCREMENTAL file, checked by SQLite.

Real SQLite runs the same statements on a copy. After each one both files must hold
the same rows and schema, real SQLite's integrity check (which reads every pointer-map
entry) and `vdbe check` must pass on the VM's file, and outside a transaction a FULL
file must have no free page. Pages are 512 bytes so that trees split and values spill
into overflow chains; tables and indexes come and go, so roots move.
"""

from __future__ import annotations

import shutil
import sqlite3

import pytest
import test_sql_corpus as harness
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from test_vacuum import run_with_power
from vdbe.check import check
from vdbe.connection import Connection
from vdbe.storage import Database, ptrmap
from vdbe.storage.autovacuum import final_size

table = st.integers(0, 3).map("t{}".format)
size = st.sampled_from([1, 30, 400, 1500, 6000])
small = st.integers(1, 9)

STATEMENTS = st.one_of(
    st.builds("CREATE TABLE IF NOT EXISTS {}(id INTEGER PRIMARY KEY, v)".format, table),
    st.builds("CREATE INDEX IF NOT EXISTS {0}_v ON {0}(v)".format, table),
    st.builds(
        "INSERT INTO {}(v) SELECT zeroblob({}) FROM (SELECT 1 UNION ALL SELECT 2)".format,
        table,
        size,
    ),
    st.builds("INSERT INTO {}(v) VALUES (printf('%.*c', {}, 'x'))".format, table, size),
    st.builds("DELETE FROM {} WHERE id % {} = 0".format, table, small),
    st.builds("UPDATE {} SET v = zeroblob({}) WHERE id % {} = 1".format, table, size, small),
    st.builds("DROP INDEX IF EXISTS {}_v".format, table),
    st.builds("DROP TABLE IF EXISTS {}".format, table),
    st.builds("PRAGMA incremental_vacuum({})".format, st.integers(-1, 12)),
    st.just("BEGIN"),
    st.just("COMMIT"),
    st.just("ROLLBACK"),
)


def check_files(oracle, mine, mode: str, in_transaction: bool, sql: str) -> None:
    assert harness.snapshot(mine) == harness.snapshot(oracle), sql
    assert harness.integrity(mine) == "ok", sql
    assert check(str(mine)) == [], sql
    if mode == "FULL" and not in_transaction:
        con = sqlite3.connect(mine)
        assert con.execute("PRAGMA freelist_count").fetchone() == (0,), sql
        con.close()


@pytest.mark.parametrize("mode", ["FULL", "INCREMENTAL"])
@settings(
    max_examples=12, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(statements=st.lists(STATEMENTS, min_size=5, max_size=25))
def test_random_work_on_an_auto_vacuum_file_is_sound(tmp_path, mode, statements):
    oracle, mine = tmp_path / "oracle.db", tmp_path / "vm.db"
    oracle.unlink(missing_ok=True)
    con = sqlite3.connect(oracle)
    con.executescript(
        f"PRAGMA page_size = 512; PRAGMA auto_vacuum = {mode};"
        "CREATE TABLE t0(id INTEGER PRIMARY KEY, v); CREATE TABLE t1(id INTEGER PRIMARY KEY, v);"
    )
    con.close()
    shutil.copyfile(oracle, mine)
    theirs = sqlite3.connect(oracle, isolation_level=None)
    vm = Connection(str(mine))
    try:
        for sql in statements:
            expected = harness.run_oracle(theirs, sql)
            got = harness.run_vm(vm, sql)
            assert got == expected, sql
            check_files(oracle, mine, mode, theirs.in_transaction, sql)
    finally:
        theirs.close()
        vm.close()


def test_incremental_vacuum_leaves_the_file_as_small_as_sqlite_computes(tmp_path):
    """The final size: every free page gone, and the pointer-map pages that would then
    describe no page (here the second one: a 512-byte page maps the 102 pages after it,
    so the next map page is page 105)."""
    path = tmp_path / "av.db"
    con = sqlite3.connect(path)
    con.executescript(
        "PRAGMA page_size = 512; PRAGMA auto_vacuum = INCREMENTAL;"
        "CREATE TABLE t(v); INSERT INTO t VALUES (zeroblob(60000)); DELETE FROM t;"
    )
    pages = con.execute("PRAGMA page_count").fetchone()[0]
    free = con.execute("PRAGMA freelist_count").fetchone()[0]
    con.close()
    db = Database(str(path))
    db.begin()
    assert pages > 105 and ptrmap.is_map_page(db.pager, 105)
    assert [p for p in range(2, 106) if ptrmap.is_map_page(db.pager, p)] == [2, 105]
    assert final_size(db.pager, pages, free) == 3  # page 1, the map, the table's root
    db.commit()
    db.close()
    vm = Connection(str(path))
    try:
        assert len(list(vm.execute("PRAGMA incremental_vacuum"))) == free
    finally:
        vm.close()
    con = sqlite3.connect(path)
    assert con.execute("PRAGMA page_count").fetchone() == (3,)
    assert con.execute("PRAGMA integrity_check").fetchone() == ("ok",)
    con.close()


def test_vdbe_check_finds_a_wrong_pointer_map_entry(tmp_path):
    path = tmp_path / "av.db"
    con = sqlite3.connect(path)
    con.executescript(
        "PRAGMA page_size = 512; PRAGMA auto_vacuum = FULL;"
        "CREATE TABLE t(v); INSERT INTO t VALUES (zeroblob(3000));"
    )
    con.close()
    data = bytearray(path.read_bytes())
    entry = 512 + 5 * (4 - 3)  # page 4, the first overflow page of the row on page 3
    assert data[entry : entry + 5] == bytes([ptrmap.OVERFLOW1, 0, 0, 0, 3])
    data[entry : entry + 5] = bytes([ptrmap.BTREE, 0, 0, 0, 3])
    path.write_bytes(data)
    assert check(str(path)) == ["Bad ptr map entry key=4 expected=(3,3) got=(5,3)"]
    assert "Bad ptr map entry key=4 expected=(3,3) got=(5,3)" in harness.integrity(path)


SCRIPT = [
    "PRAGMA auto_vacuum",
    "PRAGMA auto_vacuum = INCREMENTAL",
    "PRAGMA auto_vacuum",
    "CREATE TABLE t(x)",
    "CREATE TABLE u(y)",
    "INSERT INTO t VALUES (zeroblob(9000))",
    "DROP TABLE t",
    "PRAGMA auto_vacuum = FULL",
    "PRAGMA auto_vacuum",
    "PRAGMA auto_vacuum = NONE",
    "PRAGMA auto_vacuum",
    "INSERT INTO u VALUES (zeroblob(5000))",
    "DELETE FROM u",
]


def test_a_new_file_takes_the_mode_pragma_auto_vacuum_asked_for(tmp_path):
    """SQLite applies the PRAGMA while compiling; the file it then creates is in that
    mode (largest root at offset 52, incremental flag at 64), and the mode can switch
    between FULL and INCREMENTAL, never back to NONE without a VACUUM."""
    theirs, mine = tmp_path / "theirs.db", tmp_path / "mine.db"
    con = sqlite3.connect(theirs, isolation_level=None)
    vm = Connection(str(mine))
    try:
        for sql in SCRIPT:
            assert harness.run_vm(vm, sql) == harness.run_oracle(con, sql), sql
            for at in (52, 64):  # largest root page, incremental vacuum
                assert mine.read_bytes()[at : at + 4] == theirs.read_bytes()[at : at + 4], sql
            assert mine.stat().st_size == theirs.stat().st_size, sql
    finally:
        con.close()
        vm.close()
    assert harness.integrity(mine) == "ok"


def test_drop_while_another_statement_runs_is_refused_as_in_sqlite(tmp_path):
    """A DROP may move the largest root; a running statement could hold a cursor on it."""
    path = tmp_path / "av.db"
    con = sqlite3.connect(path)
    con.executescript(
        "PRAGMA auto_vacuum = FULL; CREATE TABLE t(x); CREATE TABLE u(y);"
        "INSERT INTO u VALUES (1), (2);"
    )
    con.close()
    vm = Connection(str(path))
    try:
        rows = vm.execute("SELECT y FROM u")
        assert harness.run_vm(vm, "DROP TABLE t") == (None, "database table is locked")
        assert list(rows) == [[1], [2]]
        assert harness.run_vm(vm, "DROP TABLE t") == ([], None)
        assert list(vm.execute("SELECT rootpage FROM sqlite_schema")) == [[3]]
        assert list(vm.execute("SELECT y FROM u")) == [[1], [2]]
    finally:
        vm.close()
    assert harness.integrity(path) == "ok"


def test_dbapi_runs_incremental_vacuum_as_the_sqlite3_module_does(tmp_path):
    """Its rows have no columns: sqlite3's execute() takes one step (one page) and
    resets the statement, executescript() runs it to the end."""
    from vdbe import dbapi

    counts = []
    for module, name in ((sqlite3, "theirs.db"), (dbapi, "mine.db")):
        con = module.connect(tmp_path / name, isolation_level=None)
        con.executescript(
            "PRAGMA auto_vacuum = INCREMENTAL; CREATE TABLE t(x);"
            "INSERT INTO t VALUES (zeroblob(50000)); DELETE FROM t;"
        )
        cursor = con.execute("PRAGMA incremental_vacuum(3)")
        seen = [cursor.description, cursor.fetchall()]
        seen.append(con.execute("PRAGMA freelist_count").fetchone())
        con.executescript("PRAGMA incremental_vacuum(3)")
        seen.append(con.execute("PRAGMA freelist_count").fetchone())
        con.close()
        counts.append(seen)
    assert counts[0] == counts[1] == [None, [], (11,), (8,)]
    assert harness.integrity(tmp_path / "mine.db") == "ok"


# a DELETE whose FULL-mode commit moves pages and cuts the file
DELETE_MOST = "DELETE FROM t WHERE id % 3 <> 0"


@pytest.mark.exercise("storage-journal-recovery")
def test_power_loss_during_an_auto_vacuum_commit_leaves_the_old_file_or_the_new(tmp_path):
    from vdbe.storage.crashvfs import CrashVfs

    base = tmp_path / "base.db"
    con = sqlite3.connect(base)
    con.executescript(
        "PRAGMA page_size = 512; PRAGMA auto_vacuum = FULL;"
        "CREATE TABLE t(id INTEGER PRIMARY KEY, v); CREATE INDEX t_v ON t(v);"
        "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 300)"
        " INSERT INTO t SELECT i, printf('%.*c', i % 50 + 1, 'v') || i FROM n;"
    )
    con.close()
    before = harness.snapshot(base)
    dry = tmp_path / "dry.db"
    shutil.copyfile(base, dry)
    vfs = CrashVfs()
    assert run_with_power(str(dry), vfs, DELETE_MOST)
    after = harness.snapshot(dry)
    assert dry.stat().st_size < base.stat().st_size
    outcomes = []
    for k in range(1, vfs.ops["sync"] + 1):
        work = tmp_path / f"cut{k}"
        work.mkdir()
        shutil.copyfile(base, work / "t.db")
        crash = CrashVfs(cut_at=("sync", k), seed=k)
        assert not run_with_power(str(work / "t.db"), crash, DELETE_MOST)
        restored = tmp_path / f"after{k}"
        restored.mkdir()
        crash.restore(str(restored))
        recovered = restored / "t.db"
        if k % 2:  # the VM rolls the hot journal back; else real SQLite does
            vm = Connection(str(recovered))
            list(vm.execute("SELECT count(*) FROM t"))
            vm.close()
        assert harness.integrity(recovered) == "ok", k
        outcomes.append(harness.snapshot(recovered) == after)
        assert outcomes[-1] or harness.snapshot(recovered) == before, k
    assert False in outcomes


PLACEMENT = [
    "DELETE FROM a",
    "INSERT INTO b VALUES (1), (2)",
    "DROP TABLE a",
    "CREATE TABLE d(q)",
    "INSERT INTO d VALUES (zeroblob(9000))",
    "DROP INDEX bi",
    "UPDATE c SET z = zeroblob(3000)",
    "CREATE INDEX cz ON c(z)",
    "DROP TABLE b",
]


@pytest.mark.parametrize("page_size", [4096, 512])
def test_pages_move_where_sqlite_moves_them(tmp_path, page_size):
    """Trees of one page and overflow chains are laid out alike by both, so every
    move (into which free page at commit, which root goes where on CREATE and DROP)
    shows in the bytes: after each statement every page but the schema table's page 1
    is the same as SQLite's, and so is the header but for the change counters."""
    theirs, mine = tmp_path / "theirs.db", tmp_path / "mine.db"
    con = sqlite3.connect(theirs)
    con.executescript(
        f"PRAGMA page_size = {page_size}; PRAGMA auto_vacuum = FULL;"
        "CREATE TABLE a(x); CREATE TABLE b(y); CREATE INDEX bi ON b(y); CREATE TABLE c(z);"
        "INSERT INTO a VALUES (zeroblob(30000)); INSERT INTO c VALUES (zeroblob(10000));"
    )
    con.close()
    shutil.copyfile(theirs, mine)
    con = sqlite3.connect(theirs, isolation_level=None)
    vm = Connection(str(mine))
    try:
        for sql in PLACEMENT:
            assert harness.run_vm(vm, sql) == harness.run_oracle(con, sql), sql
            a, b = theirs.read_bytes(), mine.read_bytes()
            assert len(a) == len(b), sql
            assert a[28:92] == b[28:92], sql  # page count, freelist, largest root, ...
            assert a[page_size:] == b[page_size:], sql
    finally:
        con.close()
        vm.close()


@pytest.mark.sqlite_shell
def test_vdbe_sql_prints_nothing_for_incremental_vacuum_as_the_sqlite3_shell(tmp_path):
    """One row per page given back, without columns: neither command prints a line."""
    import subprocess
    import sys

    outputs = []
    for command, name in (
        (["sqlite3"], "theirs.db"),
        ([sys.executable, "-m", "vdbe", "sql", "--db"], "mine.db"),
    ):
        path = tmp_path / name
        con = sqlite3.connect(path, isolation_level=None)
        con.executescript(
            "PRAGMA auto_vacuum = INCREMENTAL; CREATE TABLE t(x);"
            "INSERT INTO t VALUES (zeroblob(50000)); DELETE FROM t;"
        )
        con.close()
        done = subprocess.run(
            [*command, str(path), "PRAGMA incremental_vacuum(4); PRAGMA freelist_count"],
            capture_output=True,
            text=True,
        )
        outputs.append((done.returncode, done.stdout, done.stderr))
    assert outputs[0] == outputs[1] == (0, "8\n", "")
