"""Carrot's Python API with carrot-txn: the program and the interpreter are given the
same extensions, and then transactional code runs on both paths as on the command line."""

from __future__ import annotations

import io
import sqlite3

import pytest
from carrot.compiler import compile_program
from carrot.diagnostics import CompileError
from carrot.extension import load_extensions
from carrot.resolver import analyze
from carrot.runtime import Interpreter

BANK = """\
db.balances.alice = 100;
txn fn pay(n) {
    db.balances.alice = db.balances.alice - n;
    if n > 50 { abort; }
}
pay(10);
pay(60);
print(db.balances.alice);
"""


@pytest.mark.exercise("txn-abort")
@pytest.mark.exercise("txn-commit-returns")
@pytest.mark.exercise("txn-create-table")
@pytest.mark.exercise("txn-persistent-scalars")
@pytest.mark.parametrize("fast", [False, True], ids=["engine", "fast"])
def test_a_program_compiled_with_txn_runs_on_an_interpreter_given_it(tmp_path, fast):
    extensions = load_extensions()
    compiled = compile_program(analyze(BANK, "bank.carrot", extensions), extensions=extensions)
    out = io.StringIO()
    db = tmp_path / "bank.db"
    with Interpreter(out, fast=fast, extensions=extensions, options={"db": str(db)}) as it:
        it.run(compiled)
    assert out.getvalue() == "90\n"
    with sqlite3.connect(db) as conn:
        assert conn.execute("SELECT key, value FROM balances").fetchall() == [("alice", 90)]


@pytest.mark.exercise("txn-create-table")
@pytest.mark.exercise("txn-persistent-scalars")
def test_top_level_code_with_txn_loaded_stays_on_the_fast_path():
    """TxnStatementEnd, after every top-level statement, has a translation."""
    extensions = load_extensions()
    text = "db.t.x = 1;\nlet s = db.t.x + 5;\nprint(s);"
    compiled = compile_program(analyze(text, "t.carrot", extensions), extensions=extensions)
    out = io.StringIO()
    with Interpreter(out, fast=True, extensions=extensions) as interpreter:
        interpreter.run(compiled)
    assert out.getvalue() == "6\n"
    assert compiled.main.fast is not None


def test_without_extensions_the_api_is_plain_carrot():
    with pytest.raises(CompileError, match="needs the carrot-txn package"):
        analyze("txn fn f() {}")
    out = io.StringIO()
    Interpreter(out).run(compile_program(analyze("print(1 + 1);")))
    assert out.getvalue() == "2\n"
