"""What SQLite's releases after 3.40 changed in expressions and functions, run beside
the SQLite that compiles.

Every statement of tests/corpus/releases.sql is compiled and run by the SQLite that
`vdbe.sqlite_library` loads and run by the VM; the rows (values and types) or the error
message must match. The default environment runs them against 3.40, where most of
these functions do not exist yet (both sides must then say so); the tox environments
sqlite-sqlean, sqlite-pysqlite3 and sqlite-apsw run them against 3.50, 3.51 and 3.54.
"""

from __future__ import annotations

from pathlib import Path

import pytest
import run_differential as runner
from vdbe.errors import SqlError
from vdbe.functions.releases import ADDED_IN, present_in
from vdbe.sqlite_library import VERSION, sqlite3

STATEMENTS = runner.read_corpus([Path(__file__).parent / "corpus" / "releases.sql"])


def oracle(sql: str) -> list[list]:
    """The rows of the SQLite that compiles for the VM."""
    return runner.oracle_rows(sql, sqlite3)


@pytest.fixture(scope="module")
def connection():
    from vdbe.connection import Connection

    opened = Connection()
    yield opened
    opened.close()


@pytest.mark.parametrize(
    "sql", [s for _, _, s in STATEMENTS], ids=[f"{f}:{n}" for f, n, _ in STATEMENTS]
)
def test_statement_matches_the_sqlite_that_compiles(sql, connection):
    try:
        expected = oracle(sql)
    except sqlite3.Error as exc:
        with pytest.raises(SqlError) as info:
            list(connection.execute(sql))
        assert info.value.message == str(exc)
        return
    actual = [list(row) for row in connection.execute(sql)]
    assert runner.same_rows(expected, actual), f"expected {expected!r}, got {actual!r}"


def test_the_vm_offers_a_function_only_from_the_release_that_added_it():
    functions = {("concat", -1): "concat", ("abs", 1): "abs"}
    assert present_in((3, 43, 2), functions) == {("abs", 1): "abs"}
    assert present_in((3, 44, 0), functions) == functions


@pytest.mark.parametrize("key", sorted(ADDED_IN))
def test_each_new_function_exists_exactly_from_its_release(key):
    """The table of releases agrees with the compiling SQLite: a function the table
    places at or before this release is there, a later one is not."""
    name, argc = key
    args = ", ".join(["'1'"] * (argc if argc >= 0 else 2))
    call = f"SELECT {name}({args})"
    if key == ("string_agg", 2):
        call = "SELECT string_agg(x, ',') FROM (SELECT 1 x)"
    try:
        oracle(call)
        known = True
    except sqlite3.OperationalError as exc:
        assert "no such function" in str(exc)
        known = False
    assert known == (ADDED_IN[key] <= VERSION[:2])
