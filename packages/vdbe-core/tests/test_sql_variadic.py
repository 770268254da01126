"""Calls of the functions that take any number of arguments, against real SQLite.

EXPLAIN names such a function by its declared arity (`printf(-1)`), so the loader has
to work out how many arguments each call passes (see `vdbe.loader._guess_argc`). A
wrong count silently computes something else: ALTER TABLE ... ADD COLUMN once wrote
a broken CREATE statement into the schema this way. Every variadic built-in function
of the SQLite that compiles is called here with 0 to 5 arguments, alone and several to
a statement in orders that differ from the text's, and the rows (or the error) must be
SQLite's.
"""

from __future__ import annotations

import sqlite3

import pytest
from vdbe.engine import VM
from vdbe.errors import SqlError
from vdbe.functions import SCALARS
from vdbe.loader import compile_sql


def _variadic_builtins() -> list[str]:
    connection = sqlite3.connect(":memory:")
    try:
        rows = connection.execute(
            "SELECT DISTINCT name FROM pragma_function_list WHERE narg = -1 AND builtin"
        )
        return sorted(name for (name,) in rows)
    finally:
        connection.close()


VARIADIC = _variadic_builtins()

# Arguments that suit each function's first positions; the rest are plain values.
_FIRST = {
    "printf": ["'%s|%d|%s|%s|%s'"],
    "format": ["'%s/%s/%s/%s/%s'"],
    "strftime": ["'%Y-%m-%d %H'", "'2024-02-29 10:20:30'"],
    "date": ["'2024-02-29 10:20:30'", "'+1 day'", "'start of month'"],
    "time": ["'2024-02-29 10:20:30'", "'+1 hour'"],
    "datetime": ["'2024-02-29 10:20:30'", "'+1 day'", "'-2 hours'"],
    "julianday": ["'2024-02-29 10:20:30'", "'+1 day'"],
    "unixepoch": ["'2024-02-29 10:20:30'", "'+1 day'"],
    "char": ["72", "105", "9731"],
    "json_object": ["'a'", "1", "'b'", "'x'"],
    "json_extract": ['\'{"a":[1,2,{"b":3}]}\'', "'$.a'", "'$.a[2].b'"],
    "json_remove": ['\'{"a":1,"b":2,"c":3}\'', "'$.a'", "'$.c'"],
}
_PLAIN = ["7", "'seven'", "2.5", "NULL", "x'0a'", "-3"]


def arguments(name: str, count: int) -> list[str]:
    first = _FIRST.get(name, [])
    return [first[k] if k < len(first) else _PLAIN[k % len(_PLAIN)] for k in range(count)]


def call(name: str, count: int) -> str:
    text = f"{name}({', '.join(arguments(name, count))})"
    if name in _NOW and count == 0:  # the current time: compare its type only
        return f"typeof({text})"
    return text


# Date and time functions that read the clock when called with no arguments.
_NOW = {"date", "time", "datetime", "julianday", "unixepoch", "strftime"}


def oracle(sql: str):
    connection = sqlite3.connect(":memory:")
    try:
        return [list(row) for row in connection.execute(sql)], None
    except sqlite3.Error as exc:
        return None, str(exc)
    finally:
        connection.close()


def vm(sql: str):
    try:
        return VM(compile_sql(sql)).run(), None
    except SqlError as exc:
        return None, exc.message


def implemented(name: str) -> bool:
    return any(key == name for key, _ in SCALARS)


def test_sqlite_has_the_usual_variadic_functions():
    assert {"printf", "format", "char", "min", "max", "date", "json_object"} <= set(VARIADIC)


@pytest.mark.parametrize("name", VARIADIC)
@pytest.mark.parametrize("count", range(6))
def test_one_call(name, count):
    if not implemented(name):
        pytest.skip(f"{name}() is not implemented by the VM")
    sql = f"SELECT {call(name, count)}"
    assert vm(sql) == oracle(sql), sql


@pytest.mark.parametrize("name", VARIADIC)
def test_calls_of_every_count_in_one_statement(name):
    """Six calls, counted from their registers: the WHERE clause runs before the columns."""
    if not implemented(name):
        pytest.skip(f"{name}() is not implemented by the VM")
    # (min and max with one argument are the aggregates: two is their fewest here)
    counts = (5, 2, 3) if name in ("min", "max") else (5, 1, 3)
    columns = ", ".join(f"typeof({call(name, n)}), quote({call(name, n)})" for n in counts)
    where = " AND ".join(f"{call(name, n)} IS NOT 'never'" for n in (2, 4))
    sql = f"SELECT {columns}, x FROM (SELECT 1 AS x UNION ALL SELECT 2) WHERE {where} ORDER BY x"
    expected = oracle(sql)
    if expected[1] is not None:
        pytest.skip(f"SQLite rejects a call of {name}: {expected[1]}")
    assert vm(sql) == expected, sql


def test_calls_with_columns_as_arguments():
    """Non-constant arguments after constant ones, the shape of ALTER TABLE's own calls."""
    sql = (
        "SELECT printf('%.*s', length(a) - 1, a), printf('%s,%s', a, b), char(a, 66), "
        "max(a, b, 3), min(b, a) FROM (SELECT 65 AS a, 'z' AS b UNION ALL SELECT 70, 'y')"
    )
    assert vm(sql) == oracle(sql)
