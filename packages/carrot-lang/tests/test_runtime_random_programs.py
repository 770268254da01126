"""Property test: random structured programs print the same on both paths.

The programs mix assignments, ``if``/``else``, bounded ``while`` loops with ``break``
and ``continue``, ``for`` loops over a table and short-circuit conditions, so the
fast path's recovery of loops and branches from jumps meets shapes nobody wrote by
hand. Every program starts with a loop and a short-circuit condition, so the test
needs (and checks) the code of those two exercises.
"""

from __future__ import annotations

import io
import os

import pytest
from carrot.compiler import compile_program
from carrot.resolver import analyze
from carrot.runtime import CarrotRuntimeError, Interpreter
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

settings.register_profile("ci", max_examples=40, deadline=None, derandomize=True)
settings.register_profile("dev", max_examples=300, deadline=None)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "dev"))

VARIABLES = ["x", "y"]
ATOMS = st.one_of(st.sampled_from(VARIABLES), st.integers(-3, 9).map(str))


@st.composite
def expressions(draw, depth=2):
    if depth == 0 or draw(st.booleans()):
        return draw(ATOMS)
    op = draw(st.sampled_from(["+", "-", "*", "%"]))
    left = draw(expressions(depth - 1))
    if op == "%":
        return f"({left} % {draw(st.integers(1, 5))})"
    return f"({left} {op} {draw(expressions(depth - 1))})"


@st.composite
def conditions(draw, depth=2):
    if depth == 0 or draw(st.booleans()):
        op = draw(st.sampled_from(["<", "<=", "==", "!=", ">", ">="]))
        return f"{draw(expressions(1))} {op} {draw(expressions(1))}"
    kind = draw(st.sampled_from(["&&", "||", "!"]))
    if kind == "!":
        return f"!({draw(conditions(depth - 1))})"
    return f"({draw(conditions(depth - 1))}) {kind} ({draw(conditions(depth - 1))})"


@st.composite
def statements(draw, depth, loops, counter):
    """A list of statements; ``loops`` counts enclosing loops (break/continue allowed)."""
    out = []
    for _ in range(draw(st.integers(1, 3))):
        choices = ["assign", "assign", "print"]
        if depth > 0:
            choices += ["if", "while", "for"]
        if loops:
            choices += ["break", "continue"]
        kind = draw(st.sampled_from(choices))
        if kind == "assign":
            out.append(f"{draw(st.sampled_from(VARIABLES))} = {draw(expressions())};")
        elif kind == "print":
            out.append("print(x, y);")
        elif kind in ("break", "continue"):
            out.append(f"if {draw(conditions(1))} {{ {kind}; }}")
        elif kind == "if":
            then = " ".join(draw(statements(depth - 1, loops, counter)))
            if draw(st.booleans()):
                other = " ".join(draw(statements(depth - 1, loops, counter)))
                out.append(f"if {draw(conditions())} {{ {then} }} else {{ {other} }}")
            else:
                out.append(f"if {draw(conditions())} {{ {then} }}")
        elif kind == "while":
            counter[0] += 1
            i = f"i{counter[0]}"
            body = " ".join(draw(statements(depth - 1, loops + 1, counter)))
            limit = draw(st.integers(0, 3))
            out.append(f"let {i} = 0; while {i} < {limit} {{ {i} = {i} + 1; {body} }}")
        else:
            body = " ".join(draw(statements(depth - 1, loops + 1, counter)))
            out.append(f"for k, v in t {{ x = x + v; {body} }}")
    return out


@st.composite
def programs(draw):
    body = " ".join(draw(statements(3, 0, [0])))
    return (
        "fn main(x, y) {\n"
        "  let t = [3, 1, 4];\n"
        "  let n = 0; while n < 2 && x != 1000 { n = n + 1; }\n"
        f"  {body}\n"
        "  return [x, y];\n"
        "}\n"
        "let r = main(1, 2);\n"
        "print(r[0], r[1]);\n"
    )


def run(text, fast):
    compiled = compile_program(analyze(text, "random.carrot"))
    out = io.StringIO()
    try:
        Interpreter(out, fast=fast).run(compiled)
    except CarrotRuntimeError as error:
        out.write(error.render())
    return out.getvalue()


@pytest.mark.exercise("carrot-while")
@pytest.mark.exercise("carrot-short-circuit")
@settings(suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
@given(text=programs())
def test_random_programs_print_the_same_on_both_paths(text):
    assert run(text, fast=True) == run(text, fast=False), text
