"""The fast path's call facts: bound callees, known results, int ranges, the depth check.

A function's global is bound (called without a lookup) only while nothing can change
it; a comparison of ints bounds them, so some arithmetic needs no overflow check; a
bound callee's result kind is inferred. Each is a way to disagree with the engine, so
every program here runs on both paths, alone or as a sequence of programs in one
interpreter (a REPL session), and must print and fail alike; the translations
(``carrot explain --python``) show which checks were dropped and which must stay.
"""

from __future__ import annotations

import io
import re

import pytest
from carrot.compiler import compile_program
from carrot.resolver import analyze
from carrot.runtime import CarrotRuntimeError, Interpreter

FIB = """
fn fib(n) {
    if n < 2 { return n; }
    return fib(n - 1) + fib(n - 2);
}
"""

PROGRAMS = {
    "fib on ints, a float, a bool and a string": FIB
    + 'print(fib(15), fib(6.5), fib(-3)); print(fib(true)); print(fib("x"));',
    "subtracting past the smallest int after a true n < 2": """
        fn down(n) { if n < 2 { return n - 1; } return 0; }
        print(down(-9223372036854775808), down(-9223372036854775807), down(1));
    """,
    "n - 2 after n > smallest + 1, at the edge": """
        fn f(n) { if n > -9223372036854775807 { return n - 2; } return [n - 2]; }
        print(f(-9223372036854775806), f(-9223372036854775807), f(5));
    """,
    "adding past the largest int after n <= 1 is false": """
        fn up(n) { if n <= 1 { return 0; } return n + 1; }
        print(up(9223372036854775807), up(9223372036854775806), up(2));
    """,
    "counting loops up to the largest int": """
        fn count(i, to) { while i < to { i = i + 1; } return i; }
        fn count_le(i, to) { while i <= to { i = i + 1; } return i; }
        print(count(9223372036854775804, 9223372036854775807), count(1.5, 3), count(-2, 0));
        print(count_le(9223372036854775806, 9223372036854775807), count_le(-2, 0));
    """,
    "a bound callee's sum overflows into a float": """
        fn big(n) { if n < 1 { return 9223372036854775807; } return big(n - 1) + big(n - 1); }
        print(big(0), big(2));
    """,
    "a result that is sometimes a string": """
        fn f(n) { if n < 1 { return "s"; } return f(n - 1) + 1; }
        print(f(0)); print(f(2));
    """,
    "results that are bools, null and tables": """
        fn even(n) { if n == 0 { return true; } return !even(n - 1); }
        fn nothing(n) { if n > 0 { return nothing(n - 1); } }
        fn wrap(n) { if n < 1 { return []; } let t = wrap(n - 1); t[n] = n; return t; }
        print(even(7), even(8), nothing(3), wrap(3));
    """,
    "a callee reassigned at the top level": FIB
    + """
        fn twice(n) { return fib(n) * 2; }
        print(twice(10));
        fib = twice;
        print(twice(3));
    """,
    "a callee reassigned inside a function": FIB
    + """
        fn swap() { fib = 7; }
        print(fib(10));
        swap();
        print(fib(10));
    """,
    "a function declared twice": """
        fn f() { return 1; }
        fn g() { return f(); }
        print(g());
        fn f() { return 2; }
        print(g());
    """,
    "a call before the callee is declared": """
        fn a() { return b(); }
        print(a());
        fn b() { return 1; }
    """,
    "a read before the declaration": """
        let early = fib;
    """
    + FIB,
    "an error deep in calls that take the int entry": """
        fn f(n, d) {
            if n < 1 { return d / n; }
            return f(n - 1, d) + 1;
        }
        print(f(2, 7.5));
        print(f(3, 7));
    """,
    "ints passed to a function that is not int-only": """
        fn g(a, b) { if a < b { return [a]; } return a - b; }
        fn h(n) { return g(n, 2); }
        print(h(5), h(1), g(true, 1));
    """,
    "recursion through tables": """
        let t = {};
        fn f(n) { if n < 1 { return 0; } return t.g(n - 1) + 1; }
        t.g = f;
        print(f(5));
    """,
    "the depth limit through bound calls": """
        fn deep(n) { return deep(n + 1); }
        print(deep(0));
    """,
    "the depth limit through mutual recursion": """
        fn ping(n) { if n < 1 { return 0; } return pong(n - 1) + 1; }
        fn pong(n) { return ping(n); }
        print(ping(10), ping(100));
    """,
}


def run(texts: list[str], fast: bool, host: dict | None = None) -> str:
    """Run each program in turn in one interpreter, as a REPL does; the printed output
    and each error's report. ``host``: globals the host sets after the first program."""
    out = io.StringIO()
    interpreter = Interpreter(out, fast=fast, max_depth=30)
    known: set[str] = set()
    for number, text in enumerate(texts):
        program = analyze(text, "p.carrot", known_globals=known)
        known |= program.globals
        if number == 1 and host:
            interpreter.globals.update(host)
        try:
            interpreter.run(compile_program(program, known_globals=known))
        except CarrotRuntimeError as error:
            out.write(error.render())
    return out.getvalue()


# programs that reach an exercise's code carry its marker (tools/course.py)
EXERCISES = {
    "counting loops up to the largest int": "carrot-while",
    "recursion through tables": "carrot-method-call",
}


@pytest.mark.parametrize(
    "text",
    [
        pytest.param(text, id=name, marks=[pytest.mark.exercise(EXERCISES[name])])
        if name in EXERCISES
        else pytest.param(text, id=name)
        for name, text in PROGRAMS.items()
    ],
)
def test_fast_path_agrees_with_the_engine(text):
    expected = run([text], fast=False)
    assert expected
    assert run([text], fast=True) == expected


SESSIONS = {
    "a later program assigns the bound name": [
        FIB + "fn use() { return fib(10); } print(use());",
        "fib = 3;",
        "print(use());",
    ],
    "a later program declares the name again": [
        FIB + "fn use() { return fib(10); } print(use());",
        "fn fib(n) { return -n; } print(use());",
    ],
    "a later program's function assigns it": [
        FIB + "fn use() { return fib(10); } print(use());",
        "fn spoil() { fib = null; } print(use()); spoil(); print(use());",
    ],
    "an earlier program's function assigns it": [
        "let fib = 0; fn spoil() { fib = null; }",
        FIB + "fn use() { spoil(); return fib(10); } print(use());",
    ],
    "the first program fails before the declaration": [
        "fn a() { return b(2); } let x = 1 / 0; fn b(n) { return n + 1; }",
        "print(a());",
    ],
    "the same declaration run again": [
        FIB + "print(fib(12));",
        FIB + "print(fib(13));",
    ],
}


@pytest.mark.parametrize("texts", SESSIONS.values(), ids=SESSIONS.keys())
def test_sessions_agree_with_the_engine(texts):
    assert run(texts, fast=True) == run(texts, fast=False)


def test_a_global_the_host_changes_is_looked_up_again():
    texts = [FIB + "fn use() { return fib(10); } print(use());", "print(use());"]
    host = {"fib": "not a function"}
    expected = run(texts, fast=False, host=host)
    assert "cannot call string" in expected
    assert run(texts, fast=True, host=host) == expected


def python_of(text: str, name: str) -> str:
    """The translation of function ``name``, as ``carrot explain --python`` shows it."""
    source = compile_program(analyze(text, "p.carrot")).python_source()
    return source.split(f"# {name}\n")[1].split("\n# ")[0]


def int_copy(translation: str) -> str:
    return translation.split("\n        else:\n")[0]


def test_fib_calls_itself_with_no_lookup_overflow_or_type_test():
    ints = int_copy(python_of(FIB + "print(fib(5));", "fib"))
    assert "G[" not in ints and "is F0" not in ints  # no lookup, no identity test
    assert "r3 = r1 - 1" in ints and "r4 = r1 - 2" in ints  # past n < 2: no check
    assert "__class__" not in ints.split("if r1.__class__ is int:")[1]  # results are numbers
    assert "<= 9223372036854775807" in ints  # the sum may still overflow
    assert "r2 = I0(depth + 1, r3)" in ints  # n - 1 is an int: the int-only entry


def test_the_int_only_entry_is_the_int_copy_alone():
    whole = python_of(FIB + "print(fib(5));", "fib")
    ints = whole.split("def carrot_ints(depth, r1):\n")[1]
    assert "__class__" not in ints and "if r1 < 2:" in ints


@pytest.mark.parametrize(
    "text",
    [
        FIB + "fib = 1;",
        FIB + "fn swap() { fib = 1; }",
        "fn f() { return fib(3); } print(f());" + FIB,
    ],
    ids=["assigned at the top level", "assigned in a function", "called before declared"],
)
def test_a_name_that_may_change_is_looked_up_and_tested(text):
    ints = int_copy(python_of(text, "fib"))
    assert "G['fib']" in ints and re.search(r"is F\d:", ints)
    assert "r2.__class__ is int" in ints  # the result may be anything


def test_an_overflow_check_stays_where_the_range_allows_overflow():
    text = "fn down(n) { if n < 2 { return n - 1; } return n - 1; }"
    then, after = int_copy(python_of(text, "down")).split("return r3")
    assert "(_t := r1 - 1) >= -9223372036854775808" in then  # n may be the smallest int
    assert "r2 = r1 - 1\n" in after  # n >= 2 here
