"""The connection: one database, one compile side, prepared statements kept between runs."""

from __future__ import annotations

import sqlite3

import pytest
from vdbe.connection import Connection
from vdbe.errors import InterruptedError_, SqlError


@pytest.fixture
def conn():
    connection = Connection()
    yield connection
    connection.close()


def rows(connection, sql, bindings=()):
    return [list(r) for r in connection.execute(sql, bindings)]


@pytest.mark.exercise("vdbe-variable")
def test_a_repeated_statement_is_compiled_once(conn):
    conn.execute("CREATE TABLE t(a INTEGER PRIMARY KEY, b)")
    before = conn.compiled
    for i in range(20):
        conn.execute("INSERT INTO t(b) VALUES (?)", [i])
    assert conn.compiled == before + 1
    for i in range(20):
        assert rows(conn, "SELECT b FROM t WHERE a = ?", [i + 1]) == [[i]]
    assert conn.compiled == before + 2


def test_a_schema_change_compiles_again_against_the_new_schema(conn):
    conn.execute("CREATE TABLE t(a)")
    conn.execute("INSERT INTO t VALUES (1)")
    assert rows(conn, "SELECT * FROM t") == [[1]]
    conn.execute("DROP TABLE t")
    conn.execute("CREATE TABLE t(a, b)")
    conn.execute("INSERT INTO t VALUES (1, 7)")
    assert rows(conn, "SELECT * FROM t") == [[1, 7]]


def test_a_table_created_inside_begin_is_gone_after_rollback(conn):
    conn.execute("BEGIN")
    conn.execute("CREATE TABLE u(x)")
    conn.execute("INSERT INTO u VALUES (1)")
    assert rows(conn, "SELECT x FROM u") == [[1]]
    conn.execute("ROLLBACK")
    with pytest.raises(SqlError, match="no such table: u"):
        conn.execute("SELECT x FROM u")


def test_changes_total_changes_and_last_insert_rowid(conn):
    conn.execute("CREATE TABLE t(a INTEGER PRIMARY KEY, b)")
    conn.execute("INSERT INTO t(b) VALUES (1), (2), (3)")
    assert (conn.changes, conn.total_changes, conn.last_insert_rowid) == (3, 3, 3)
    conn.execute("UPDATE t SET b = b + 1 WHERE a > 1")
    assert rows(conn, "SELECT changes(), total_changes(), last_insert_rowid()") == [[2, 5, 3]]
    conn.execute("SELECT * FROM t")  # a query leaves changes() alone
    assert conn.changes == 2


def test_another_connection_changing_the_schema_is_noticed(tmp_path):
    path = str(tmp_path / "shared.db")
    conn = Connection(path)
    try:
        conn.execute("CREATE TABLE a(x)")
        conn.execute("SELECT * FROM a")
        other = sqlite3.connect(path)
        other.execute("CREATE TABLE b(y)")
        other.execute("INSERT INTO b VALUES (9)")
        other.commit()
        other.close()
        assert rows(conn, "SELECT y FROM b") == [[9]]
    finally:
        conn.close()


def test_tables_created_after_many_pages_compile_and_the_file_stays_sound(tmp_path):
    path = str(tmp_path / "big.db")
    conn = Connection(path)
    try:
        conn.execute("CREATE TABLE a(x)")
        conn.execute("INSERT INTO a VALUES (randomblob(200000))")
        conn.execute("CREATE TABLE late(y)")  # its root page is far into the file
        conn.execute("INSERT INTO late VALUES (5)")
        assert rows(conn, "SELECT y FROM late") == [[5]]
        assert rows(conn, "PRAGMA database_list") == [[0, "main", str(tmp_path / "big.db")]]
    finally:
        conn.close()
    check = sqlite3.connect(path)
    assert check.execute("PRAGMA integrity_check").fetchall() == [("ok",)]
    assert check.execute("SELECT y FROM late").fetchall() == [(5,)]
    check.close()


def test_a_session_pragma_stays_set_for_the_next_statements(conn):
    conn.execute("PRAGMA foreign_keys = ON")
    assert rows(conn, "PRAGMA foreign_keys") == [[1]]
    conn.execute("PRAGMA foreign_keys = OFF")
    assert rows(conn, "PRAGMA foreign_keys") == [[0]]


def test_a_script_runs_every_statement_in_order(conn):
    conn.executescript(
        "CREATE TABLE t(a); INSERT INTO t VALUES (1);"
        "CREATE TRIGGER IF NOT EXISTS never AFTER DELETE ON t BEGIN SELECT 1; SELECT 2; END;"
        "INSERT INTO t VALUES (2)"
    )
    assert rows(conn, "SELECT a FROM t ORDER BY a") == [[1], [2]]


def test_a_progress_handler_that_answers_true_interrupts(conn):
    calls = []
    conn.progress = (lambda: calls.append(1) or len(calls) > 3, 10)
    with pytest.raises(InterruptedError_):
        conn.execute(
            "WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c) SELECT count(*) FROM c"
        )
    assert len(calls) == 4


def test_temp_tables_views_and_indexes_live_in_the_temp_database(conn):
    conn.execute("CREATE TABLE t(a)")
    conn.execute("INSERT INTO t VALUES (1)")
    conn.execute("CREATE TEMP TABLE tt(x, y)")
    conn.execute("INSERT INTO tt VALUES (1, 2), (3, 4)")
    conn.execute("CREATE INDEX temp.tt_y ON tt(y)")
    conn.execute("CREATE TEMP VIEW v AS SELECT a, x FROM t, tt")
    assert rows(conn, "SELECT x FROM tt WHERE y = 4") == [[3]]
    assert rows(conn, "SELECT * FROM v ORDER BY x") == [[1, 1], [1, 3]]
    assert rows(conn, "SELECT name FROM temp.sqlite_schema ORDER BY name") == [
        ["tt"],
        ["tt_y"],
        ["v"],
    ]
    assert rows(conn, "SELECT name FROM main.sqlite_schema") == [["t"]]
    conn.execute("CREATE TEMP TABLE t(z)")  # hides main.t
    assert rows(conn, "SELECT * FROM t") == []
    assert rows(conn, "SELECT * FROM main.t") == [[1]]


def test_a_pragma_of_the_temp_database_before_any_temp_table(conn):
    """SQLite will not EXPLAIN such a pragma while the temp database is unopened; run,
    the pragma opens it, and PRAGMA database_list shows it from then on."""
    script = ["PRAGMA temp.page_size", 'PRAGMA "temp".user_version', "PRAGMA database_list"]
    oracle = sqlite3.connect(":memory:")
    expected = [[list(row) for row in oracle.execute(sql)] for sql in script]
    oracle.close()
    assert [rows(conn, sql) for sql in script] == expected
    assert expected[0] == [[4096]] and len(expected[2]) == 2


def test_temp_changes_follow_the_main_transaction(conn):
    conn.execute("CREATE TEMP TABLE tt(x UNIQUE)")
    conn.execute("BEGIN")
    conn.execute("INSERT INTO tt VALUES (1)")
    conn.execute("ROLLBACK")
    assert rows(conn, "SELECT count(*) FROM tt") == [[0]]
    conn.execute("BEGIN")
    conn.execute("INSERT INTO tt VALUES (2)")
    with pytest.raises(SqlError, match="UNIQUE constraint failed: tt.x"):
        conn.execute("INSERT INTO tt VALUES (3), (2)")  # the 3 goes with the statement
    conn.execute("COMMIT")
    assert rows(conn, "SELECT x FROM tt") == [[2]]


def test_temp_tables_never_reach_the_file(tmp_path):
    path = str(tmp_path / "main.db")
    conn = Connection(path)
    try:
        conn.execute("CREATE TABLE kept(a)")
        conn.execute("CREATE TEMP TABLE scratch(b)")
        conn.execute("INSERT INTO scratch VALUES (1)")
        assert rows(conn, "SELECT b FROM scratch") == [[1]]
    finally:
        conn.close()
    check = sqlite3.connect(path)
    assert check.execute("SELECT name FROM sqlite_schema").fetchall() == [("kept",)]
    assert check.execute("PRAGMA integrity_check").fetchall() == [("ok",)]
    check.close()


def test_attach_a_second_file_and_both_files_stay_sound(tmp_path):
    main, other = str(tmp_path / "main.db"), str(tmp_path / "other.db")
    conn = Connection(main)
    try:
        conn.execute("CREATE TABLE t(a)")
        conn.execute("INSERT INTO t VALUES (1)")
        conn.execute(f"ATTACH '{other}' AS aux")
        conn.execute("CREATE TABLE aux.u(b, c)")
        conn.execute("CREATE INDEX aux.u_b ON u(b)")
        conn.execute("BEGIN")
        conn.execute("INSERT INTO t VALUES (2)")
        conn.execute("INSERT INTO aux.u VALUES (7, 8), (9, 10)")
        conn.execute("COMMIT")
        assert rows(conn, "SELECT a, b FROM t, u WHERE b > 7 ORDER BY a") == [[1, 9], [2, 9]]
        with pytest.raises(SqlError, match="database aux is already in use"):
            conn.execute(f"ATTACH '{other}' AS aux")
        conn.execute("DETACH aux")
        with pytest.raises(SqlError, match="no such table: u"):
            conn.execute("SELECT * FROM u")
    finally:
        conn.close()
    for path, expected in ((main, [(1,), (2,)]), (other, [(7, 8), (9, 10)])):
        check = sqlite3.connect(path)
        assert check.execute("PRAGMA integrity_check").fetchall() == [("ok",)]
        table = "t" if path == main else "u"
        assert check.execute(f"SELECT * FROM {table} ORDER BY 1").fetchall() == expected
        check.close()


def test_attach_in_memory_and_roll_back_across_databases(conn):
    conn.execute("CREATE TABLE t(a)")
    conn.execute("ATTACH ':memory:' AS scratch")
    conn.execute("CREATE TABLE scratch.s(x)")
    conn.execute("BEGIN")
    conn.execute("INSERT INTO t VALUES (1)")
    conn.execute("INSERT INTO s VALUES (2)")
    conn.execute("ROLLBACK")
    assert rows(conn, "SELECT (SELECT count(*) FROM t), (SELECT count(*) FROM s)") == [[0, 0]]
