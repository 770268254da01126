"""The fast path's control-flow recovery: tricky shapes of jumps, run on both paths.

Each program prints a trace of what it did; the fast path must print exactly what the
engine prints, and the translation must really have been used.
"""

from __future__ import annotations

import io

import pytest
from carrot.compiler import compile_program
from carrot.resolver import analyze, exercises_needed
from carrot.runtime import CarrotRuntimeError, Interpreter

PROGRAMS = {
    "nested loops, break and continue in if/else": """
        let i = 0;
        while i < 4 {
            i = i + 1;
            let j = 0;
            while true {
                j = j + 1;
                if j > i { break; } else if j == 2 { continue; } else { print(i, j); }
            }
            if i == 3 { continue; }
            print("end", i);
        }
    """,
    "for inside while, return from inside loops": """
        fn find(t, wanted) {
            let tries = 0;
            while true {
                for k, v in t {
                    tries = tries + 1;
                    if v == wanted { return [k, tries]; }
                }
                return null;
            }
        }
        print(find({a: 1, b: 2, c: 3}, 2), find([5], 7));
    """,
    "empty bodies and empty else": """
        fn f(x) { if x { } else { } while false { } for k in {} { } return x; }
        let n = 0;
        if n { } else { n = 1; }
        if n { } print(f(n), n);
    """,
    "loop at the start of a function, logical conditions": """
        fn count(n) {
            while n > 0 && n != 5 || n == 7 {
                n = n - 1;
            }
            return n;
        }
        print(count(3), count(9), count(7));
    """,
    "else-if chains in loops with bool and non-bool conditions": """
        for k, v in [0, 1, "", null, 2.5, false, {}] {
            if !v { print(k, "falsy"); } else if v == 1 { print(k, "one"); } else { print(k, v); }
            if v { print("truthy"); }
        }
    """,
    "continue in for loop and nested for": """
        let t = [1, 2, 3];
        for a in t {
            if a == 1 { continue; }
            for b in t { if b > a { break; } print(a, b); }
        }
    """,
    "locals reused across blocks, recursion": """
        fn walk(n, depth) {
            if n == 0 { return depth; }
            if true { let a = n - 1; if a % 2 == 0 { return walk(a, depth + 1); } }
            if true { let b = n - 1; return walk(b, depth + 2); }
        }
        print(walk(10, 0));
    """,
    "integer constants folded into operations": """
        let x = 9223372036854775800;
        print(x + 10, 3 - x, x * 2, 7 / 2, 7 % -3, -7 % 3, 1 < 2, 2 <= 1);
    """,
    "a comparison that fails inside an if's test is located at the comparison": """
        fn f(a, d) {
            if d - 1 { if (-9223372036854775807) <= a { print(a); } }
            return d;
        }
        print(f(1, 2));
        print(f(true, 2));
    """,
    "errors inside loops keep their stack": """
        fn f(t) { for k in t { if k == 2 { return t[k] + "x"; } } }
        let n = 0;
        while n < 3 { n = n + 1; if n == 2 { f([1, 2, 3]); } }
    """,
}


def run(text, fast):
    compiled = compile_program(analyze(text, "p.carrot"))
    out = io.StringIO()
    try:
        Interpreter(out, fast=fast).run(compiled)
    except CarrotRuntimeError as error:
        out.write(error.render())
    if fast:
        assert all(fn.fast is not None for fn in compiled.all_functions())
    return out.getvalue()


def needed(text):
    return sorted(exercises_needed(text))


def cases():
    return [
        pytest.param(
            text, id=name, marks=[pytest.mark.exercise(e) for e in sorted(exercises_needed(text))]
        )
        for name, text in PROGRAMS.items()
    ]


@pytest.mark.parametrize("text", cases())
def test_fast_path_agrees_with_the_engine(text):
    expected = run(text, fast=False)
    assert expected  # every program prints something
    assert run(text, fast=True) == expected
