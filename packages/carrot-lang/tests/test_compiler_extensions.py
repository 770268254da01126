"""The compiler's extension hooks: node compilers, function wrappers, statement ends,
and the engine taking over when a program holds an opcode the fast path lacks."""

from __future__ import annotations

import io
from dataclasses import dataclass

import pytest
from carrot import ast
from carrot.compiler import compile_program
from carrot.extension import Extension, Extensions
from carrot.resolver import analyze
from carrot.runtime import Interpreter


@dataclass
class Shout(ast.Stmt):
    text: str


def compile_shout(compiler, node):
    register = compiler.temp()
    compiler.emit("String8", 0, register, 0, node.text.upper(), node=node)
    compiler.emit("Noop", node=node)  # an opcode the fast path does not translate
    compiler.emit("Print", register, 1, node=node)


def announce(compiler, fn_decl, compile_body):
    register = compiler.temp()
    compiler.emit("String8", 0, register, 0, f"entering {fn_decl.name}", node=fn_decl)
    compiler.emit("Print", register, 1, node=fn_decl)
    compiler.free(register)
    compile_body()


def run(program, extensions, fast):
    compiled = compile_program(program, extensions=extensions)
    out = io.StringIO()
    Interpreter(out, fast=fast, extensions=extensions).run(compiled)
    return compiled, out.getvalue()


@pytest.mark.parametrize("fast", [False, True], ids=["engine", "fast"])
def test_a_node_compiler_from_an_extension(fast):
    program = analyze('print("before");', "t.carrot")
    program.body.append(Shout("hello", line=2, col=1))
    extensions = Extensions.of([Extension(name="shout", node_compilers={Shout: compile_shout})])
    compiled, output = run(program, extensions, fast)
    assert output == "before\nHELLO\n"
    assert compiled.main.fast is None  # Noop sent the whole program to the engine


@pytest.mark.parametrize("fast", [False, True], ids=["engine", "fast"])
def test_a_function_wrapper_from_an_extension(fast):
    program = analyze("fn pay() { return 5; }\nprint(pay());", "t.carrot")
    program.body[0].is_txn = True
    extensions = Extensions.of([Extension(name="txn", fn_compilers={"txn": announce})])
    compiled, output = run(program, extensions, fast)
    assert output == "entering pay\n5\n"
    assert compiled.functions[0].kind == "txn"
    # another kind of function, but every opcode of it translates: on the fast path,
    # the translations run it
    assert (compiled.main.fast is not None) == fast


def test_statement_end_hooks_run_after_each_top_level_statement():
    seen = []

    def statement_end(compiler, statement):
        seen.append((type(statement).__name__, compiler.function.name))

    program = analyze("let a = 1;\nfn f() { let b = 2; }\nprint(a);", "t.carrot")
    extensions = Extensions.of([Extension(name="ends", statement_end=statement_end)])
    _, output = run(program, extensions, True)
    assert output == "1\n"
    assert seen == [("Let", "<main>"), ("FnDecl", "<main>"), ("ExprStmt", "<main>")]


def test_after_one_program_needs_the_engine_the_session_stays_there():
    out = io.StringIO()
    extensions = Extensions.of([Extension(name="shout", node_compilers={Shout: compile_shout})])
    interpreter = Interpreter(out, fast=True, extensions=extensions)
    first = analyze("fn f() { return 1; }", "a")
    first.body.append(Shout("x", line=1, col=1))
    interpreter.run(compile_program(first, extensions=extensions))
    second = compile_program(analyze("print(f() + 1);", "b", known_globals={"f"}))
    interpreter.run(second)
    assert out.getvalue() == "X\n2\n"
    assert second.main.fast is None
