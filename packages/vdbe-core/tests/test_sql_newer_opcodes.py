"""The opcodes that SQLite's releases after 3.40 emit for PRAGMAs, reached through the
statements that make them: each test runs the statement on copies of one file with
real SQLite and with the VM, and the rows must match. Under a release that does not
emit the opcode the same comparison still runs (the old program must match too); the
tox environments sqlite-sqlean (3.50) and sqlite-apsw (3.54) reach the new ones.

    IfSizeBetween   3.46   PRAGMA optimize: re-analyze a table that grew tenfold
    IFindKey        3.53   PRAGMA integrity_check: an index entry is missing
    VCheck          3.44   PRAGMA integrity_check of a virtual table (programs/vcheck.vdbe:
                           no file with one loads in this VM)
"""

from __future__ import annotations

import math
import shutil

import pytest
from vdbe.engine import VM
from vdbe.loader import compile_sql
from vdbe.opcodes.cursors import log_est
from vdbe.sqlite_library import VERSION, sqlite3
from vdbe.storage import Database


def opcodes_of(path, sql: str) -> set[str]:
    """The opcodes the compiling SQLite emits for `sql` on the file `path`."""
    connection = sqlite3.connect(str(path))
    try:
        return {row[1] for row in connection.execute("EXPLAIN " + sql)}
    finally:
        connection.close()


def both(path, tmp_path, sql: str) -> tuple[list, list]:
    """(real SQLite's rows, the VM's rows) for `sql`, each on its own copy of `path`.

    The VM's program is compiled as `vdbe sql --db` compiles it, on a copy of the
    file's schema and statistics (sqlite_stat1), which PRAGMA optimize reads."""
    mine = tmp_path / "vm.db"
    shutil.copy(path, mine)
    connection = sqlite3.connect(str(path))
    try:
        expected = [list(row) for row in connection.execute(sql)]
    finally:
        connection.close()
    db = Database(str(mine))
    try:
        actual = [list(row) for row in VM(compile_sql(sql, str(mine)), db).run()]
    finally:
        db.close()
    return expected, actual


def script(path, statements: list[str]) -> None:
    connection = sqlite3.connect(str(path))
    for statement in statements:
        connection.execute(statement)
    connection.commit()
    connection.close()


def test_log_est_is_sqlites_compact_logarithm():
    assert [log_est(n) for n in (1, 2, 3, 4, 7, 8, 10, 100, 1000, 10**6)] == [
        0, 10, 16, 20, 28, 30, 33, 66, 99, 199,
    ]  # fmt: skip


def test_pragma_optimize_reanalyzes_the_tables_that_grew_tenfold(tmp_path):
    """0x10000 makes PRAGMA optimize look at every analyzed table, 0x01 return the
    ANALYZE statements it would run instead of running them: from 3.46 the size test is
    IfSizeBetween on the table's estimated rows."""
    path = tmp_path / "oracle.db"
    statements = [
        "CREATE TABLE grown(a INTEGER PRIMARY KEY, b)",
        "CREATE INDEX grown_b ON grown(b)",
        "CREATE TABLE steady(a INTEGER PRIMARY KEY, b)",
        "CREATE INDEX steady_b ON steady(b)",
        "CREATE TABLE emptied(a INTEGER PRIMARY KEY, b)",
        "CREATE INDEX emptied_b ON emptied(b)",
    ]
    for table in ("grown", "steady", "emptied"):
        statements += [f"INSERT INTO {table} VALUES ({i}, {i % 7})" for i in range(30)]
    statements.append("ANALYZE")
    statements += [f"INSERT INTO grown VALUES ({i}, 'row {i:04d}')" for i in range(30, 2000)]
    statements.append("DELETE FROM emptied")
    script(path, statements)
    sql = "PRAGMA optimize(0x10003)"
    if VERSION >= (3, 46, 0):
        assert "IfSizeBetween" in opcodes_of(path, sql)
    expected, actual = both(path, tmp_path, sql)
    assert actual == expected
    if VERSION >= (3, 46, 0):
        assert ['ANALYZE "main"."grown"'] in expected
        assert ['ANALYZE "main"."steady"'] not in expected


@pytest.mark.parametrize("without_rowid", [False, True])
def test_integrity_check_reports_rows_missing_from_an_index(tmp_path, without_rowid):
    """An index whose schema was rewritten to cover another column holds none of the
    keys the check computes: every row is missing from it (3.53 and later compile the
    check with IFindKey after the failed Found)."""
    path = tmp_path / "oracle.db"
    suffix = " WITHOUT ROWID" if without_rowid else ""
    script(
        path,
        [
            "CREATE TABLE t(k INTEGER PRIMARY KEY, a, b)" + suffix,
            "CREATE INDEX ti ON t(a)",
            "INSERT INTO t VALUES (1, 10, 0.5), (2, 20, 2.5), (3, 30, 30)",
            "PRAGMA writable_schema = ON",
            "UPDATE sqlite_schema SET sql = 'CREATE INDEX ti ON t(b)' WHERE name = 'ti'",
        ],
    )
    sql = "PRAGMA integrity_check"
    if VERSION >= (3, 53, 0):
        assert "IFindKey" in opcodes_of(path, sql)
    expected, actual = both(path, tmp_path, sql)
    assert actual == expected
    assert any("missing from index ti" in row[0] for row in actual)


@pytest.mark.parametrize("expression", [False, True])
def test_integrity_check_tells_imprecise_entries_from_missing_ones(tmp_path, expression):
    """Rows whose REAL lies 1 to 4 units in the last place from their index entry: in an
    expression column 3.53 and later call up to two units "imprecise", more "missing";
    in a plain column every difference is missing (older releases: all missing)."""
    path = tmp_path / "oracle.db"
    stored, checked = ("b + 0", "a + 0") if expression else ("b", "a")
    rows = []
    for i, steps in enumerate((1, 2, 3, -1, -2, -4)):
        a = b = 0.1 * (i + 1)
        for _ in range(abs(steps)):
            b = math.nextafter(b, math.inf if steps > 0 else -math.inf)
        rows.append(f"INSERT INTO t VALUES ({a!r}, {b!r}, {i})")
    script(
        path,
        [
            "CREATE TABLE t(a, b, c)",
            f"CREATE INDEX ti ON t({stored}, c)",
            *rows,
            "PRAGMA writable_schema = ON",
            f"UPDATE sqlite_schema SET sql = 'CREATE INDEX ti ON t({checked}, c)' "
            "WHERE name = 'ti'",
        ],
    )
    sql = "PRAGMA integrity_check"
    expected, actual = both(path, tmp_path, sql)
    assert actual == expected
    if VERSION >= (3, 53, 0) and expression:
        assert "IFindKey" in opcodes_of(path, sql)
        assert sum("imprecise" in row[0] for row in expected) == 4
