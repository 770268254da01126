"""The expression corpus: table-free SELECTs compiled by real SQLite, run on this VM.

Every statement of tests/corpus/expressions*.sql must give SQLite's rows, value for
value and type for type. The same corpus runs against any executable with
tests/run_differential.py.
"""

from __future__ import annotations

import importlib.util
import sqlite3
import sys
from pathlib import Path

import pytest
from vdbe.engine import VM
from vdbe.errors import SqlError
from vdbe.loader import compile_sql


def _load_runner():
    path = Path(__file__).with_name("run_differential.py")
    spec = importlib.util.spec_from_file_location("run_differential", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


runner = _load_runner()
STATEMENTS = runner.read_corpus(runner.corpus_files())


def test_corpus_is_large_enough():
    assert len(STATEMENTS) >= 200


@pytest.mark.parametrize(
    "sql", [s for _, _, s in STATEMENTS], ids=[f"{f}:{n}" for f, n, _ in STATEMENTS]
)
def test_statement_matches_sqlite(sql):
    try:
        expected = runner.oracle_rows(sql)
    except sqlite3.Error as exc:  # SQLite fails it at run time: the VM must fail alike
        with pytest.raises(SqlError) as info:
            VM(compile_sql(sql)).run()
        assert info.value.message == str(exc)
        return
    actual = VM(compile_sql(sql)).run()
    assert runner.same_rows(expected, actual), f"expected {expected!r}, got {actual!r}"


def test_runner_detects_a_type_difference():
    assert not runner.same_rows([[1]], [[1.0]])
    assert not runner.same_rows([[0.0]], [[-0.0]])
    assert runner.same_rows([[None, b"x", "y"]], [[None, b"x", "y"]])


def test_oracle_is_real_sqlite():
    assert runner.oracle_rows("SELECT sqlite_version()")[0][0] == sqlite3.sqlite_version


def test_runner_passes_a_correct_executable(tmp_path, capsys):
    corpus = tmp_path / "small.sql"
    corpus.write_text("SELECT 1 + 1, 'a';\n-- a comment\nSELECT abs(-9223372036854775808);\n")
    status = runner.main(["--corpus", str(corpus), "--", sys.executable, "-m", "vdbe"])
    assert status == 0
    assert "2 of 2 statements match SQLite" in capsys.readouterr().out


def test_runner_fails_a_wrong_executable(tmp_path, capsys):
    corpus = tmp_path / "small.sql"
    corpus.write_text("SELECT 1 + 1;\n")
    liar = tmp_path / "liar.py"
    liar.write_text("print('[3]')\n")
    status = runner.main(["--corpus", str(corpus), "--", sys.executable, str(liar)])
    assert status == 1
    assert "FAIL small.sql:1" in capsys.readouterr().out
