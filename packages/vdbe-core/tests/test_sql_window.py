"""rank() and dense_rank() (the vdbe-window-rank exercise).

A window program steps the function once for every row of a peer group (rows with equal
ORDER BY values) and reads its value once per group, then once per row of the group.
These tests drive the classes the way the program does, then run real queries.
"""

from __future__ import annotations

import sqlite3

import pytest
from vdbe.engine import VM
from vdbe.loader import compile_sql
from vdbe.opcodes.transaction import end_statement
from vdbe.opcodes.window import DenseRank, Rank
from vdbe.storage import Database

pytestmark = pytest.mark.exercise("vdbe-window-rank")


def drive(cls, groups: list[int]) -> list[int]:
    """Step a function over peer groups of the given sizes, reading it once per row."""
    state = cls()
    values = []
    for size in groups:
        for _ in range(size):
            state.step()
        group_value = state.value()
        values.extend([group_value] * size)
    return values


def test_rank_leaves_gaps_after_ties():
    assert drive(Rank, [1, 2, 1, 3, 1]) == [1, 2, 2, 4, 5, 5, 5, 8]


def test_dense_rank_has_no_gaps():
    assert drive(DenseRank, [1, 2, 1, 3, 1]) == [1, 2, 2, 3, 4, 4, 4, 5]


def test_a_fresh_function_reads_zero():
    assert Rank().value() == 0
    assert DenseRank().value() == 0


@pytest.mark.parametrize(
    "sql",
    [
        "SELECT v, rank() OVER (ORDER BY v), dense_rank() OVER (ORDER BY v) FROM t",
        "SELECT g, v, rank() OVER (PARTITION BY g ORDER BY v DESC) FROM t ORDER BY g, v",
        "SELECT v, dense_rank() OVER (ORDER BY v) FROM t WHERE v > 2",
    ],
)
def test_queries_match_sqlite(tmp_path, sql):
    path = tmp_path / "r.db"
    con = sqlite3.connect(path)
    con.execute("CREATE TABLE t(g, v)")
    con.executemany("INSERT INTO t VALUES (?, ?)", [(i % 2, (i * 5) % 7) for i in range(20)])
    con.commit()
    expected = con.execute(sql).fetchall()
    con.close()
    db = Database(str(path))
    try:
        vm = VM(compile_sql(sql, str(path)), db)
        rows = [tuple(row) for row in vm.run()]
        end_statement(vm, True)
    finally:
        db.close()
    assert rows == expected
