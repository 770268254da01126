"""The fast path's bound calls with carrot-txn: the commit after each top-level
statement calls no Carrot function, so a ``fn`` declared after one is still bound; a
``txn fn`` that assigns the name, or aborts after doing so, keeps it looked up, and
both paths agree either way."""

from __future__ import annotations

import io

import pytest
from carrot.compiler import compile_program
from carrot.extension import load_extensions
from carrot.resolver import analyze
from carrot.runtime import CarrotRuntimeError, Interpreter

FIB = "fn fib(n) { if n < 2 { return n; } return fib(n - 1) + fib(n - 2); }\n"

PROGRAMS = {
    "declared after a statement": "let x = 1;\n"
    + FIB
    + "txn fn total(n) { x = fib(n); return x; }\nprint(total(10), x);\n",
    "assigned in a txn fn that aborts": "let x = 1;\n"
    + FIB
    + "txn fn swap() { fib = 5; abort; }\nprint(fib(10)); swap(); print(fib(10));\n",
    "assigned in a txn fn that returns": "let x = 1;\n"
    + FIB
    + "txn fn swap() { fib = 5; }\nprint(fib(10)); swap(); print(fib(10));\n",
}


def compiled(text: str):
    extensions = load_extensions()
    return extensions, compile_program(analyze(text, "p.carrot", extensions), extensions=extensions)


def run(text: str, fast: bool) -> str:
    extensions, program = compiled(text)
    out = io.StringIO()
    with Interpreter(out, fast=fast, extensions=extensions) as interpreter:
        try:
            interpreter.run(program)
        except CarrotRuntimeError as error:
            out.write(error.render())
    return out.getvalue()


def cases():
    """Each program, marked with the exercises whose code it reaches: every ``txn fn``
    is compiled with commits before its returns; only one program aborts."""
    commit = pytest.mark.exercise("txn-commit-returns")
    abort = pytest.mark.exercise("txn-abort")
    return [
        pytest.param(text, id=name, marks=[commit, abort] if "abort;" in text else [commit])
        for name, text in PROGRAMS.items()
    ]


@pytest.mark.parametrize("text", cases())
def test_both_paths_agree(text):
    expected = run(text, fast=False)
    assert expected
    assert run(text, fast=True) == expected


def fib_int_copy(text: str) -> str:
    extensions, program = compiled(text)
    extensions.import_opcodes()  # their translators, as an interpreter registers them
    source = program.python_source()
    return source.split("# fib\n")[1].split("\n        else:\n")[0]


@pytest.mark.exercise("txn-commit-returns")
def test_a_fn_declared_after_a_committed_statement_is_bound():
    ints = fib_int_copy(PROGRAMS["declared after a statement"])
    assert "G['fib']" not in ints and "I0(depth + 1, r3)" in ints


@pytest.mark.exercise("txn-commit-returns")
def test_a_fn_a_txn_fn_assigns_is_looked_up():
    ints = fib_int_copy(PROGRAMS["assigned in a txn fn that aborts"])
    assert "G['fib']" in ints
