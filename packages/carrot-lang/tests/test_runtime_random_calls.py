"""Property test: random programs of functions, calls and 64-bit arithmetic agree on
both paths, output and errors alike.

The fast path specialises code for ints, drops overflow checks it can prove needless,
calls functions of the program directly and finds an error's position from the Python
traceback. Each of those is a way to disagree with the engine, so the programs here
mix: functions calling each other and themselves (with and without a base case, so
the depth limit is met too), arithmetic on values near the ends of the 64-bit range,
floats, strings, bools and null as operands (runtime errors), comparisons,
``if``/``else``, ``while`` with ``break`` and ``continue``, and globals reassigned to
other functions or to non-functions. The engine is the reference: everything printed,
and the rendered error with its call stack, must be the same.
"""

from __future__ import annotations

import io
import os

import pytest
from carrot.compiler import compile_program
from carrot.extension import NO_EXTENSIONS
from carrot.resolver import analyze
from carrot.runtime import CarrotRuntimeError, Interpreter
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

settings.register_profile("ci", max_examples=60, deadline=None, derandomize=True)
settings.register_profile("dev", max_examples=300, deadline=None)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "dev"))

BIG = 9223372036854775807
NUMBERS = [0, 1, 2, 3, -1, 7, 100, BIG, BIG - 1, -BIG, 4611686018427387904, 3037000500]
OTHERS = ["1.5", "-0.0", '"s"', "true", "null", "2.0e18"]
FUNCTIONS = ["f", "g", "h"]


@st.composite
def atoms(draw, names):
    choice = draw(st.integers(0, 9))
    if choice < 5 and names:
        return draw(st.sampled_from(names))
    if choice < 9:
        value = draw(st.sampled_from(NUMBERS))
        return str(value) if value >= 0 else f"({value})"
    return draw(st.sampled_from(OTHERS))


@st.composite
def expressions(draw, names, callees, depth=2):
    """An expression; inside a function, calls go only to functions defined after it,
    with ``d - 1`` as the depth argument, so every program ends."""
    if depth == 0 or draw(st.integers(0, 2)) == 0:
        return draw(atoms(names))
    kinds = ["+", "-", "*", "/", "%", "compare", "neg"] + (["call"] if callees else [])
    kind = draw(st.sampled_from(kinds))
    left = draw(expressions(names, callees, depth - 1))
    if kind == "call":
        callee = draw(st.sampled_from(callees))
        inside = "d" in names and callees != FUNCTIONS
        right = "d - 1" if inside else draw(expressions(names, callees, depth - 1))
        return f"{callee}({left}, {right})"
    if kind == "compare":
        op = draw(st.sampled_from(["<", "<=", ">", ">=", "==", "!="]))
        return f"({left} {op} {draw(expressions(names, callees, depth - 1))})"
    if kind == "neg":
        return f"(-{left})"
    return f"({left} {kind} {draw(expressions(names, callees, depth - 1))})"


@st.composite
def statements(draw, names, callees, depth, loops, returns=True):
    out = []
    for _ in range(draw(st.integers(1, 3))):
        choices = ["assign", "assign", "print"]
        if depth > 0:
            choices += ["if", "while"]
        if loops:
            choices += ["break", "continue"]
        if returns:
            choices.append("return")
        kind = draw(st.sampled_from(choices))
        if kind == "assign":
            out.append(f"{draw(st.sampled_from(names))} = {draw(expressions(names, callees))};")
        elif kind == "print":
            out.append(f"print({draw(expressions(names, callees))});")
        elif kind == "return":
            condition = draw(expressions(names, callees, 1))
            out.append(f"if {condition} {{ return {draw(expressions(names, callees))}; }}")
        elif kind in ("break", "continue"):
            out.append(f"if {draw(expressions(names, callees, 1))} {{ {kind}; }}")
        elif kind == "if":
            then = " ".join(draw(statements(names, callees, depth - 1, loops, returns)))
            other = " ".join(draw(statements(names, callees, depth - 1, loops, returns)))
            out.append(f"if {draw(expressions(names, callees, 1))} {{ {then} }} else {{ {other} }}")
        else:
            counter = f"n{depth}"
            body = " ".join(draw(statements(names, callees, depth - 1, loops + 1, returns)))
            limit = draw(st.integers(0, 4))
            bound = draw(st.sampled_from(["<", "<="]))
            out.append(
                f"let {counter} = 0; while {counter} {bound} {limit} {{ "
                f"{counter} = {counter} + 1; {body} }}"
            )
    return out


@st.composite
def functions(draw, name):
    """A two-parameter function that stops when ``d`` reaches 0; it may call itself and
    the functions after it. A large ``d`` from the caller meets the depth limit."""
    callees = FUNCTIONS[FUNCTIONS.index(name) + 1 :]
    body = " ".join(draw(statements(["a", "d", "x"], callees, 2, 0)))
    recurse = draw(st.sampled_from(["", f"x = {name}(a + 1, d - 1);"]))
    return f"fn {name}(a, d) {{ if d <= 0 {{ return a; }} let x = a; {recurse} {body} return x; }}"


@st.composite
def programs(draw):
    parts = [draw(functions(name)) for name in FUNCTIONS]
    if draw(st.integers(0, 4)) == 0:
        parts.append(draw(st.sampled_from(["g = f;", "h = 3;", "h = print;"])))
    main = " ".join(draw(statements(["a", "d", "x"], FUNCTIONS, 2, 1, returns=False)))
    parts.append(f"let a = 1; let d = 3; let x = 0; let m = 0; while m < 2 {{ m = m + 1; {main} }}")
    depth = draw(st.sampled_from(["3", "2", "50", "d"]))
    parts.append(f"print(f({draw(expressions(['a', 'd'], [], 1))}, {depth}), g(a, d), h(x, 2));")
    return "\n".join(parts) + "\n"


def run(text: str, fast: bool) -> str:
    program = analyze(text, "random.carrot", extensions=NO_EXTENSIONS)
    compiled = compile_program(program, extensions=NO_EXTENSIONS)
    out = io.StringIO()
    interpreter = Interpreter(out, fast=fast, max_depth=40)
    try:
        interpreter.run(compiled)
    except CarrotRuntimeError as error:
        out.write(error.render())
    if fast:  # the translation must really have run
        assert all(fn.fast is not None for fn in compiled.all_functions())
    return out.getvalue()


@pytest.mark.exercise("carrot-while")
@settings(suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
@given(text=programs())
def test_random_programs_with_calls_agree_on_both_paths(text):
    assert run(text, fast=True) == run(text, fast=False), text


@pytest.mark.exercise("carrot-while")
def test_the_generator_reaches_errors_overflow_and_the_depth_limit():
    """The programs above are not all dull: some overflow into floats, some fail with
    a runtime error, some hit the depth limit."""
    seen = {"float": False, "error": False, "depth": False}

    @settings(max_examples=200, deadline=None, derandomize=True, database=None)
    @given(text=programs())
    def collect(text):
        output = run(text, fast=False)
        seen["float"] |= "e+18" in output
        seen["error"] |= "runtime error" in output
        seen["depth"] |= "call depth exceeded" in output

    collect()
    assert all(seen.values()), seen
