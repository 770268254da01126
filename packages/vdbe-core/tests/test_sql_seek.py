"""Seeking a rowid table with a REAL key (the vdbe-seek exercise).

`WHERE id > 4.5` compiles to `SeekGT` with the REAL 4.5 in a register; rowids are
integers, so the seek must round the key the way that keeps the answer. Each query runs
both in real SQLite and in this VM, on the same file, and the rowids must agree.
"""

from __future__ import annotations

import sqlite3

import pytest
from vdbe.engine import VM
from vdbe.loader import compile_sql
from vdbe.opcodes.transaction import end_statement
from vdbe.storage import Database

pytestmark = pytest.mark.exercise("vdbe-seek")

# Each query scans in the direction in which its bound is where the scan starts, so
# SQLite compiles the bound into a seek (the other bound of a range becomes a test).
QUERIES = [
    "id > 10.5",
    "id >= 10.5",
    "id > -2.5",
    "id > 7.75",
    "id > 1e300",
    "id >= -1e300",
    "id > 9e999",
    "id > -9e999",
    "id BETWEEN 2.25 AND 5.75",
    "id < 10.5 ORDER BY id DESC",
    "id <= 10.5 ORDER BY id DESC",
    "id <= -2.5 ORDER BY id DESC",
    "id <= -0.25 ORDER BY id DESC",
    "id < 1e300 ORDER BY id DESC",
    "id < -1e300 ORDER BY id DESC",
    "id < -9e999 ORDER BY id DESC",
    "id BETWEEN 2.25 AND 5.75 ORDER BY id DESC",
]
SEEKS = {"SeekGE", "SeekGT", "SeekLE", "SeekLT"}


@pytest.fixture(scope="module")
def table(tmp_path_factory):
    path = tmp_path_factory.mktemp("seek") / "r.db"
    con = sqlite3.connect(path)
    con.execute("CREATE TABLE r(id INTEGER PRIMARY KEY, v)")
    con.executemany("INSERT INTO r VALUES (?, ?)", [(i, i * i) for i in range(-5, 21)])
    con.commit()
    con.close()
    return path


def run_vm(path, sql: str) -> list:
    program = compile_sql(sql, str(path))
    assert SEEKS & {ins.opcode for ins in program}, "the query must compile to a seek"
    db = Database(str(path))
    try:
        vm = VM(program, db)
        rows = vm.run()
        end_statement(vm, True)
        return [tuple(row) for row in rows]
    finally:
        db.close()


@pytest.mark.parametrize("where", QUERIES)
def test_real_bound_matches_sqlite(table, where):
    sql = f"SELECT id FROM r WHERE {where}"
    con = sqlite3.connect(table)
    expected = con.execute(sql).fetchall()
    con.close()
    assert run_vm(table, sql) == expected
