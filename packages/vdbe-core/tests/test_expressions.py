"""The expression corpus: table-free SELECTs compiled by real SQLite, run on this VM.

Every statement of tests/corpus/expressions*.sql must give SQLite's rows, value for
value and type for type. The same corpus runs against any executable with
tests/run_differential.py.

Then random expressions: Hypothesis builds expression trees over literals of every
storage class (with the awkward values: 64-bit limits, negative zero, numeric text,
blobs), operators, CAST, CASE and common functions. Each becomes
`SELECT expr, typeof(expr)`; SQLite's answer (or its error message) is the expected
one. The default run draws the same examples every time (derandomized), so it never
fails by chance; set CARROT_LONG_TESTS=1 for many more, new examples on each run.
"""

from __future__ import annotations

import io
import os
import sqlite3
import sys

import pytest
import run_differential as runner
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from vdbe.engine import VM
from vdbe.errors import SqlError
from vdbe.loader import compile_sql

STATEMENTS = runner.read_corpus(runner.corpus_files())


def test_corpus_is_large_enough():
    assert len(STATEMENTS) >= 200


@pytest.fixture(scope="module")
def connection():
    """One connection runs the whole corpus, as an application would."""
    from vdbe.connection import Connection

    opened = Connection()
    yield opened
    opened.close()


@pytest.mark.parametrize(
    "sql", [s for _, _, s in STATEMENTS], ids=[f"{f}:{n}" for f, n, _ in STATEMENTS]
)
def test_statement_matches_sqlite(sql, connection):
    try:
        expected = runner.oracle_rows(sql)
    except sqlite3.Error as exc:  # SQLite fails it at run time: the VM must fail alike
        with pytest.raises(SqlError) as info:
            list(connection.execute(sql))
        assert info.value.message == str(exc)
        return
    actual = list(connection.execute(sql))
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


class Terminal(io.StringIO):
    def isatty(self):
        return True


def test_runner_shows_progress_on_a_terminal_only(tmp_path, capsys, monkeypatch):
    corpus = tmp_path / "small.sql"
    corpus.write_text("SELECT 1;\nSELECT 2;\n")
    command = ["--corpus", str(corpus), "--", sys.executable, "-m", "vdbe"]
    assert runner.main(command) == 0
    assert capsys.readouterr().err == ""  # not a terminal: nothing
    terminal = Terminal()
    monkeypatch.setattr(sys, "stderr", terminal)
    assert runner.main(command) == 0
    shown = terminal.getvalue()
    assert "\r1/2 statements, 0 failed" in shown and "\r2/2 statements, 0 failed" in shown
    assert shown.endswith("\r\033[K")  # the line is cleared before the summary


def test_runner_fails_a_wrong_executable(tmp_path, capsys):
    corpus = tmp_path / "small.sql"
    corpus.write_text("SELECT 1 + 1;\n")
    liar = tmp_path / "liar.py"
    liar.write_text("print('[3]')\n")
    status = runner.main(["--corpus", str(corpus), "--", sys.executable, str(liar)])
    assert status == 1
    assert "FAIL small.sql:1" in capsys.readouterr().out


# ----------------------------------------------------------- random expressions

LONG = bool(os.environ.get("CARROT_LONG_TESTS"))
EXAMPLES = 3000 if LONG else 200

LITERALS = st.sampled_from(
    [
        "NULL", "0", "1", "-1", "7", "-7", "2", "63", "64", "9223372036854775807",
        "-9223372036854775807", "(-9223372036854775807 - 1)", "4294967296", "0.0", "-0.0",
        "0.5", "-2.5", "1e308", "3.14159", "1e-5", "'0'", "'12'", "' 3 '", "'-4.5'",
        "'1e2'", "'abc'", "''", "'12abc'", "'0x10'", "x''", "x'00'", "x'3132'", "'é'",
        "'a%c'", "'A_C'", "'%'", "'x*y'", "'[a-c]'", "'%d'", "'%5.2f'", "'%-5s|'", "'%q'",
    ]
)  # fmt: skip
BINARY = st.sampled_from(
    ["+", "-", "*", "/", "%", "||", "&", "|", "<<", ">>", "<", "<=", ">", ">=", "=", "<>",
     "IS", "IS NOT", "AND", "OR", "LIKE", "GLOB", "NOT LIKE"]
)  # fmt: skip
UNARY = st.sampled_from(["-", "+", "~", "NOT "])
FUNCTIONS_1 = st.sampled_from(
    ["abs", "typeof", "length", "upper", "lower", "hex", "quote", "round", "sign",
     "unicode", "trim", "ltrim", "rtrim", "zeroblob", "likely"]
)  # fmt: skip
FUNCTIONS_2 = st.sampled_from(
    ["coalesce", "ifnull", "nullif", "max", "min", "instr", "substr", "round", "like",
     "glob", "printf", "char", "format", "pow", "atan2", "mod"]
)  # fmt: skip
FUNCTIONS_3 = st.sampled_from(["substr", "replace", "printf", "like", "iif", "max", "min"])
TYPES = st.sampled_from(["INTEGER", "REAL", "TEXT", "BLOB", "NUMERIC"])


def expressions():
    return st.recursive(
        LITERALS,
        lambda inner: st.one_of(
            st.builds(lambda a, op, b: f"({a} {op} {b})", inner, BINARY, inner),
            st.builds(lambda op, a: f"({op}{a})", UNARY, inner),
            st.builds(lambda f, a: f"{f}({a})", FUNCTIONS_1, inner),
            st.builds(lambda f, a, b: f"{f}({a}, {b})", FUNCTIONS_2, inner, inner),
            st.builds(lambda f, a, b, c: f"{f}({a}, {b}, {c})", FUNCTIONS_3, inner, inner, inner),
            st.builds(lambda a, t: f"CAST({a} AS {t})", inner, TYPES),
            st.builds(lambda a, b, c: f"CASE WHEN {a} THEN {b} ELSE {c} END", inner, inner, inner),
            st.builds(lambda a, b, c: f"({a} BETWEEN {b} AND {c})", inner, inner, inner),
            st.builds(lambda a, b, c: f"({a} IN ({b}, {c}))", inner, inner, inner),
        ),
        max_leaves=8,
    )


@settings(
    max_examples=EXAMPLES,
    deadline=None,
    derandomize=not LONG,
    suppress_health_check=[HealthCheck.too_slow],
)
@given(expressions())
def test_random_expression_matches_sqlite(expr):
    sql = f"SELECT {expr}, typeof({expr})"
    connection = sqlite3.connect(":memory:")
    try:
        expected = [list(row) for row in connection.execute(sql)]
    except sqlite3.Error as exc:
        if "too big" in str(exc) or "too many" in str(exc):
            return  # a limit of the compiler (e.g. zeroblob of a huge size), not of the VM
        try:
            program = compile_sql(sql)
        except SqlError as compile_error:
            assert compile_error.message == str(exc)
            return
        try:
            VM(program).run()
        except SqlError as vm_error:
            assert vm_error.message == str(exc)
            return
        raise AssertionError(f"SQLite fails with {exc!r} but the VM does not") from None
    finally:
        connection.close()
    actual = VM(compile_sql(sql)).run()
    assert runner.same_rows(expected, actual), f"{sql}\n{expected} != {actual}"
