"""The expression corpus: table-free SELECTs compiled by real SQLite, run on this VM.

Every statement of tests/corpus/expressions*.sql must give SQLite's rows, value for
value and type for type. The same corpus runs against any executable with
tests/run_differential.py.
"""

from __future__ import annotations

import importlib.util
import sqlite3
from pathlib import Path

import pytest
from vdbe.engine import VM
from vdbe.loader import compile_sql


def _load_runner():
    path = Path(__file__).with_name("run_differential.py")
    spec = importlib.util.spec_from_file_location("run_differential", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


runner = _load_runner()
STATEMENTS = runner.read_corpus(runner.corpus_files())
SHIFTS = ("ShiftLeft", "ShiftRight")


def _case(source: str, line: int, sql: str):
    """A test parameter; statements that shift bits belong to the vdbe-shift exercise."""
    marks = []
    if any(ins.opcode in SHIFTS for ins in compile_sql(sql)):
        marks.append(pytest.mark.exercise("vdbe-shift"))
    return pytest.param(sql, id=f"{source}:{line}", marks=marks)


def test_corpus_is_large_enough():
    assert len(STATEMENTS) >= 200


@pytest.mark.parametrize("sql", [_case(*statement) for statement in STATEMENTS])
def test_statement_matches_sqlite(sql):
    expected = runner.oracle_rows(sql)
    actual = VM(compile_sql(sql)).run()
    assert runner.same_rows(expected, actual), f"expected {expected!r}, got {actual!r}"


@pytest.mark.exercise("vdbe-shift")
@pytest.mark.parametrize(
    "value, count, left, expected",
    [
        (1, 3, True, 8),
        (16, 2, False, 4),
        (-16, 2, False, -4),
        (1, 63, True, -9223372036854775808),
        (1, 64, True, 0),
        (-1, 70, False, -1),
        (5, 70, False, 0),
        (1, -2, True, 0),
        (8, -1, False, 16),
        (3, -100, False, 0),
        (None, 1, True, None),
        (1, None, False, None),
        ("12", 1, True, 24),
        (2.9, 1, True, 4),
    ],
)
def test_shift(value, count, left, expected):
    from vdbe.opcodes.arithmetic import shift

    assert shift(value, count, left=left) == expected


def test_runner_detects_a_type_difference():
    assert not runner.same_rows([[1]], [[1.0]])
    assert not runner.same_rows([[0.0]], [[-0.0]])
    assert runner.same_rows([[None, b"x", "y"]], [[None, b"x", "y"]])


def test_oracle_is_real_sqlite():
    assert runner.oracle_rows("SELECT sqlite_version()")[0][0] == sqlite3.sqlite_version
