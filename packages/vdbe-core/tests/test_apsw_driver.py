"""vdbe.apsw_driver: the `sqlite3` module's interface over apsw, as vdbe and its tests use it.

Where apsw is not installed (`pip install apsw`; the tox environment sqlite-apsw does)
these tests are skipped. The differential suites then run through the driver with
VDBE_SQLITE=apsw, compiling every statement and answering as the oracle.
"""

from __future__ import annotations

import pytest

apsw = pytest.importorskip("apsw")
from vdbe import apsw_driver as driver  # noqa: E402 - only once apsw is known to be there


@pytest.fixture
def con():
    connection = driver.connect(":memory:")
    connection.execute("CREATE TABLE t(a INTEGER PRIMARY KEY, b UNIQUE)")
    yield connection
    connection.close()


def test_the_module_names_the_sqlite_apsw_bundles():
    assert driver.sqlite_version == apsw.sqlite_lib_version()
    assert driver.sqlite_version_info[:2] >= (3, 0)
    assert driver.SQLITE_CONSTRAINT == 19
    assert driver.complete_statement("SELECT 1;") and not driver.complete_statement("SELECT (")


def test_one_statement_at_a_time_as_sqlite3_runs_them(con):
    with pytest.raises(driver.ProgrammingError, match="one statement at a time"):
        con.execute("INSERT INTO t VALUES (1, 'x'); INSERT INTO t VALUES (2, 'y')")
    assert con.execute("SELECT count(*) FROM t").fetchall() == [(0,)]  # nothing ran
    assert con.execute("SELECT 1; -- a comment, then blanks\n ;  ").fetchall() == [(1,)]
    con.executescript("INSERT INTO t VALUES (1, 'x'); INSERT INTO t VALUES (2, 'y');")
    assert con.execute("SELECT b FROM t ORDER BY a").fetchall() == [("x",), ("y",)]


def test_parameters_are_checked_and_looked_up_as_sqlite3_does(con):
    with pytest.raises(driver.ProgrammingError, match="uses 2, and there are 1 supplied"):
        con.execute("SELECT ?, ?", (1,))

    class AnyName(dict):
        def __missing__(self, key):
            return key.upper()

    assert con.execute("SELECT :a, $b", AnyName(a=1)).fetchall() == [(1, "B")]
    with pytest.raises(driver.ProgrammingError, match="Binding 1 has no name"):
        con.execute("SELECT ?", {"a": 1})
    with pytest.raises(driver.ProgrammingError, match="binding parameter :b"):
        con.execute("SELECT :b", {"a": 1})


def test_errors_are_the_dbapi_classes_with_sqlites_message_and_code(con):
    con.execute("INSERT INTO t VALUES (1, 'x')")
    with pytest.raises(driver.IntegrityError, match=r"^UNIQUE constraint failed: t.b$") as info:
        con.execute("INSERT INTO t VALUES (2, 'x')")
    assert info.value.sqlite_errorname == "SQLITE_CONSTRAINT_UNIQUE"
    with pytest.raises(driver.OperationalError, match=r"^no such table: nowhere$"):
        con.execute("SELECT * FROM nowhere")
    assert issubclass(driver.IntegrityError, driver.DatabaseError)


def test_inserts_open_a_transaction_unless_isolation_level_is_none(tmp_path):
    path = tmp_path / "t.db"
    con = driver.connect(path)
    con.execute("CREATE TABLE t(a)")
    con.execute("INSERT INTO t VALUES (1)")
    assert con.in_transaction
    con.rollback()
    assert con.execute("SELECT count(*) FROM t").fetchall() == [(0,)]
    con.execute("INSERT INTO t VALUES (2)")
    con.commit()
    con.close()
    auto = driver.connect(path, isolation_level=None)
    auto.execute("INSERT INTO t VALUES (3)")
    assert not auto.in_transaction
    assert auto.execute("SELECT a FROM t ORDER BY a").fetchall() == [(2,), (3,)]
    auto.close()


def test_description_is_known_before_any_row(con):
    cursor = con.execute("SELECT a AS first, b FROM t WHERE 0")
    assert [column[0] for column in cursor.description] == ["first", "b"]
    assert cursor.fetchone() is None
    assert con.execute("UPDATE t SET b = 1").description is None


def test_text_factory_gets_utf8_bytes_and_explain_shows_blob_bytes(con):
    con.text_factory = bytes
    assert con.execute("SELECT 'é', x'ff'").fetchall() == [("é".encode(), b"\xff")]
    blobs = [row for row in con.execute("EXPLAIN SELECT x'ff00', x'41'") if row[1] == b"Blob"]
    assert [row[5] for row in blobs] == [b"\xff", b"A"]  # as sqlite3 shows them


def test_functions_aggregates_windows_and_collations_are_registered(con):
    con.executescript("INSERT INTO t VALUES (1, 'b'); INSERT INTO t VALUES (2, 'a');")
    con.create_function("twice", 1, lambda x: 2 * x, deterministic=True)

    class Longest:
        def __init__(self):
            self.best = ""

        def step(self, value):
            self.best = max(self.best, value, key=len)

        def inverse(self, value):
            pass

        def value(self):
            return self.best

        def finalize(self):
            return self.best

    con.create_aggregate("longest", 1, Longest)
    con.create_window_function("longest_w", 1, Longest)
    con.create_collation("backwards", lambda x, y: (x < y) - (x > y))
    assert con.execute("SELECT twice(21), longest(b) FROM t").fetchall() == [(42, "b")]
    assert con.execute("SELECT longest_w(b) OVER () FROM t").fetchall() == [("b",), ("b",)]
    assert con.execute("SELECT b FROM t ORDER BY b COLLATE backwards").fetchall() == [
        ("b",),
        ("a",),
    ]
    assert con.getlimit(driver.SQLITE_LIMIT_LENGTH) == con.setlimit(
        driver.SQLITE_LIMIT_LENGTH, 1000
    )
    assert con.getlimit(driver.SQLITE_LIMIT_LENGTH) == 1000
