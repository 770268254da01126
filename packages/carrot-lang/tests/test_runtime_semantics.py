"""Runtime behaviour on both paths: errors and their call stacks, limits, Ctrl-C,
the REPL's persistent world, and how tables are stored in their B-trees."""

from __future__ import annotations

import io
import os
import signal
import threading

import pytest
from carrot.compiler import compile_program
from carrot.resolver import analyze
from carrot.runtime import CarrotInterrupted, CarrotRuntimeError, Interpreter
from carrot.runtime import values as carrot_values

BOTH = pytest.mark.parametrize("fast", [False, True], ids=["engine", "fast"])


def run(text, fast, **options):
    """(output, error or None) of running ``text``."""
    out = io.StringIO()
    interpreter = Interpreter(out, fast=fast, **options)
    try:
        interpreter.run(compile_program(analyze(text, "t.carrot")))
    except CarrotRuntimeError as error:
        return out.getvalue(), error
    return out.getvalue(), None


@BOTH
def test_runtime_error_report_lists_active_calls_innermost_first(fast):
    text = "fn inner(x) {\n  return x + null;\n}\nfn outer() {\n  return inner(1);\n}\nouter();\n"
    output, error = run(text, fast)
    assert error.render().splitlines() == [
        "t.carrot:2:12: runtime error: unsupported operands for +: int and null",
        "  at inner (t.carrot:2:12)",
        "  at outer (t.carrot:5:10)",
        "  at <main> (t.carrot:7:1)",
    ]
    assert error.exit_status == 70


@BOTH
def test_undefined_global_message(fast):
    _, error = run("fn pay() { return user.balance; }\nprint(1);\npay();", fast)
    assert error.message == "name 'user' is not defined"
    assert (error.line, error.col) == (1, 19)


@BOTH
@pytest.mark.parametrize(
    "expression, message",
    [
        ("1 / 0", "division by zero"),
        ("1 % 0", "division by zero"),
        ("1.5 / 0.0", "division by zero"),
        ('"a" < 1', "unsupported operands for <: string and int"),
        ("true * 2", "unsupported operands for *: bool and int"),
        ('-"x"', "unsupported operand for -: string"),
        ("5(1)", "cannot call int"),
        ("len(1, 2)", "len() takes 1 argument but 2 were given"),
        ("(1)[0]", "cannot index int"),
        ("{}[1.5]", "invalid table key: float 1.5"),
        ("{}[null]", "invalid table key: null"),
        ('int("abc")', 'int() cannot convert "abc"'),
        ("assert(false)", "assertion failed"),
        ('assert(0, "boom")', "assertion failed: boom"),
    ],
)
def test_error_messages(expression, message, fast):
    _, error = run(f"let v = {expression};", fast)
    assert error is not None and error.message == message


@BOTH
def test_wrong_arity_of_a_carrot_function(fast):
    _, error = run("fn f(a, b) { return a; }\nf(1);", fast)
    assert error.message == "f() takes 2 arguments but 1 was given"


@BOTH
def test_call_depth_limit(fast):
    text = "fn down(n) { return down(n + 1); }\ndown(0);"
    _, error = run(text, fast)
    assert error.message == "call depth exceeded (1000)"
    assert len(error.stack) == 1001  # every active call, plus the top level
    _, error = run(text, fast, max_depth=20)
    assert error.message == "call depth exceeded (20)"


@BOTH
def test_recursion_up_to_the_limit_is_fine(fast):
    text = "fn down(n) { if n == 0 { return 0; } return down(n - 1); }\nprint(down(999));"
    assert run(text, fast) == ("0\n", None)


def test_step_limit():
    output, error = run("fn f(n) { return f(n + 1); }\nf(0);", False, max_steps=500)
    assert error.message == "step limit exceeded (500)"
    assert error.line == 1 and len(error.stack) > 100


def test_step_limit_enough():
    assert run("print(1 + 1);", True, max_steps=100) == ("2\n", None)


@pytest.mark.exercise("carrot-while")
@BOTH
def test_ctrl_c_interrupts(fast):
    compiled = compile_program(analyze("let i = 0; while true { i = i + 1; }", "t.carrot"))
    interpreter = Interpreter(io.StringIO(), fast=fast)
    timer = threading.Timer(0.3, lambda: os.kill(os.getpid(), signal.SIGINT))
    timer.start()  # only now: the signal must land while the program runs
    try:
        with pytest.raises(CarrotInterrupted) as caught:
            interpreter.run(compiled)
    finally:
        timer.cancel()
    error = caught.value
    assert error.exit_status == 130 and error.render() == "interrupted"


@BOTH
def test_string_length_limit(fast, monkeypatch):
    monkeypatch.setattr(carrot_values, "MAX_STRING_BYTES", 64)
    _, error = run('fn grow(s) { return grow(s + s); }\ngrow("x");', fast)
    assert error.message == "string too long"


@BOTH
@pytest.mark.exercise("carrot-while")
def test_running_out_of_memory_is_a_runtime_error(fast):
    """Strings under the length limit can still outgrow the memory the process may have
    (a loop doubling one, say): that is the program's runtime error, not Carrot's."""
    from vdbe.harness import memory_budget

    pytest.importorskip("resource", reason="the memory limit needs the resource module")
    with memory_budget(64 << 20):
        _, error = run('let s = "x"; while true { s = s + s; }', fast)
    assert error.message == "out of memory"
    assert (error.line, error.col) == (1, 33)


@BOTH
@pytest.mark.exercise("carrot-while")
def test_a_list_that_outgrows_memory_is_a_runtime_error(fast):
    """Not only strings: a list that grows without end fails at the store that found no
    memory, in the function that made it, with the caller named too."""
    from vdbe.harness import memory_budget

    pytest.importorskip("resource", reason="the memory limit needs the resource module")
    source = "fn fill(t) { let i = 0; while true { t[i] = [i]; i = i + 1; } }\nfill([]);"
    with memory_budget(64 << 20):
        _, error = run(source, fast)
    assert error.message == "out of memory"
    assert error.stack[0][0] == "fill" and error.stack[-1][:2] == ("<main>", 2)


@BOTH
def test_globals_and_tables_persist_across_runs_like_a_repl(fast):
    out = io.StringIO()
    interpreter = Interpreter(out, fast=fast)
    interpreter.run(compile_program(analyze("let t = {n: 1}; fn inc() { t.n = t.n + 1; }", "a")))
    second = analyze("inc(); t.n;", "b", known_globals={"t", "inc"})
    interpreter.run(compile_program(second, echo=True, known_globals={"t", "inc"}))
    assert out.getvalue() == "2\n"


@BOTH
def test_echo_quotes_strings_and_skips_null(fast):
    out = io.StringIO()
    interpreter = Interpreter(out, fast=fast)
    program = analyze('"hi"; null; 1 + 1; print("x");', "r")
    interpreter.run(compile_program(program, echo=True))
    assert out.getvalue() == '"hi"\n2\nx\n'


@BOTH
def test_equality_and_identity(fast):
    text = (
        "let a = {}; let b = a; fn f() {}\n"
        'print(a == b, a == {}, f == f, 1 == 1.0, true == 1, null == false, "1" == 1);'
    )
    assert run(text, fast) == ("true false true true false false false\n", None)


@BOTH
def test_table_iteration_tolerates_changes(fast):
    text = "let t = [0, 1, 2, 3];\nfor k in t { if k == 1 { t[2] = null; t[10] = 1; } print(k); }"
    assert run(text, fast) == ("0\n1\n3\n10\n", None)


@BOTH
def test_values_survive_the_tagged_encoding(fast):
    text = (
        "fn f(self) { return 7; }\n"
        "let inner = {};\n"
        'let t = {b: true, x: 2.0, f: f, t: inner, s: "s", i: 3};\n'
        "let g = t.f;\n"
        "print(type(t.b), type(t.x), t.x, g(t), t.t == inner, t.s, t.i);"
    )
    assert run(text, fast) == ("bool float 2.0 7 true s 3\n", None)


def test_table_entries_are_values_in_two_in_memory_btrees():
    out = io.StringIO()
    interpreter = Interpreter(out, fast=False)
    text = 'fn f() {}\nlet inner = {};\nlet t = {1: true, 2: 2.0, 3: inner, 4: f, s: "x"};'
    interpreter.run(compile_program(analyze(text, "t.carrot")))
    rt = interpreter.runtime
    table, inner = rt.globals["t"], rt.globals["inner"]
    ints = list(table.ints.items())
    assert ints[:2] == [(1, True), (2, 2.0)]
    assert ints[2][1] is inner and ints[3][1] is rt.globals["f"]  # stored as themselves
    assert list(table.strs.items()) == [("s", "x")]
    assert rt.store.length(table) == 5


@BOTH
def test_printing(fast):
    text = (
        'let t = {"k": [1, "x"], 0: 10};\n'
        "t.me = t;\n"
        "print(t, 0.1 + 0.2, 1.0, 100000000000000000000.0, -0.0, print);"
    )
    output, error = run(text, fast)
    assert error is None
    assert output == ('{0: 10, "k": {0: 1, 1: "x"}, "me": {...}} 0.3 1.0 1.0e+20 0.0 <fn print>\n')


@BOTH
def test_int_and_float_conversions(fast):
    text = 'print(int("42"), int(" -7 "), int(3.9), int(-3.9), float("2"), float(3), str(1.5));'
    assert run(text, fast) == ("42 -7 3 -3 2.0 3.0 1.5\n", None)


@BOTH
@pytest.mark.parametrize(
    "call, message",
    [
        ("int(true)", "int() expects a number or a string, not bool"),
        ('int("3.9")', 'int() cannot convert "3.9"'),
        ('float("nan")', 'float() cannot convert "nan"'),
        ("float(null)", "float() expects a number or a string, not null"),
    ],
)
def test_conversions_refuse_what_is_not_a_number(call, message, fast):
    assert run(f"print({call});", fast)[1].message == message


@pytest.mark.exercise("carrot-while")
@BOTH
def test_while_loop_with_break_and_continue(fast):
    text = (
        "let i = 0;\n"
        "while i < 10 {\n"
        "  i = i + 1;\n"
        "  if i % 2 == 0 { continue; }\n"
        "  if i > 7 { break; }\n"
        "  print(i);\n"
        "}\n"
        'while false { print("never"); }\n'
        'print("end", i);'
    )
    assert run(text, fast) == ("1\n3\n5\n7\nend 9\n", None)


@pytest.mark.exercise("carrot-short-circuit")
@BOTH
def test_short_circuit_skips_the_right_operand_and_yields_bools(fast):
    text = (
        'fn loud(v) { print("ran", v); return v; }\n'
        "print(false && loud(1));\n"
        "print(1 || loud(2));\n"
        'print("a" && loud(0));\n'
        'print(null || loud("x"));\n'
        "let x = 5; x = x > 1 && x;\n"
        "print(x);"
    )
    assert run(text, fast) == ("false\ntrue\nran 0\nfalse\nran x\ntrue\ntrue\n", None)


@pytest.mark.exercise("carrot-method-call")
@BOTH
def test_method_call_passes_the_table_as_first_argument(fast):
    text = (
        "fn balance(self) { return self.cash; }\n"
        "fn deposit(self, n) { self.cash = self.cash + n; return self; }\n"
        "let user = {cash: 5, balance: balance, deposit: deposit};\n"
        "print(user.deposit(10).balance());\n"
        "user.missing(1);"
    )
    output, error = run(text, fast)
    assert output == "15\n"
    assert error.message == "cannot call null" and (error.line, error.col) == (5, 6)


@BOTH
def test_printing_a_deeply_nested_table_needs_no_recursion(fast):
    text = (
        "let t = null;\n"
        "fn build(t, n) { if n == 0 { return t; } return build({next: t}, n - 1); }\n"
        "t = build(null, 900);\n"
        "print(len(str(t)));"
    )
    assert run(text, fast, max_depth=2000) == ("8992\n", None)
