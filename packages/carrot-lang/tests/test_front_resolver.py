"""The resolver: slots for locals, globals by name, and the scoping errors."""

import pytest
from carrot import ast
from carrot.diagnostics import CompileError
from carrot.extension import NO_EXTENSIONS
from carrot.resolver import analyze


def resolved(text, known=frozenset()):
    return analyze(text, "t.carrot", NO_EXTENSIONS, known)


def names(node):
    """Every Name node under ``node`` as (name, slot), in source order."""
    found = []
    if isinstance(node, ast.Name):
        found.append((node.name, node.slot))
    for child in ast.children(node):
        found.extend(names(child))
    return found


def error_of(text):
    with pytest.raises(CompileError) as info:
        resolved(text)
    return info.value


def test_params_take_the_first_slots():
    fn = resolved("fn f(a, b) { return a + b + c; }").body[0]
    assert names(fn) == [("a", 0), ("b", 1), ("c", None)]
    assert fn.n_slots == 2


def test_block_locals_reuse_slots_after_the_block():
    fn = resolved(
        """fn f(a) {
            if a { let x = 1; let y = 2; }
            let z = 3;
            while a { let w = 4; }
        }"""
    ).body[0]
    if_block = fn.body.body[0].then.body
    assert [s.slot for s in if_block] == [1, 2]
    assert fn.body.body[1].slot == 1  # z reuses x's slot
    assert fn.body.body[2].body.body[0].slot == 2
    assert fn.n_slots == 3


def test_top_level_let_is_global_but_block_let_is_local():
    program = resolved("let g = 1; if g { let l = g; print(l); }")
    assert program.body[0].slot is None
    inner = program.body[1].then.body
    assert inner[0].slot == 0
    assert names(inner[1]) == [("print", None), ("l", 0)]
    assert program.n_slots == 1
    assert program.globals == {"g"}


def test_let_may_shadow_and_its_value_sees_the_outer_variable():
    fn = resolved("fn f(x) { let x = x + 1; return x; }").body[0]
    let, ret = fn.body.body
    assert names(let.value) == [("x", 0)]
    assert let.slot == 1
    assert names(ret) == [("x", 1)]


def test_shadowing_in_a_nested_block_ends_with_the_block():
    fn = resolved("fn f(x) { if x { let x = 2; print(x); } return x; }").body[0]
    assert names(fn.body.body[0].then.body[1]) == [("print", None), ("x", 1)]
    assert names(fn.body.body[1]) == [("x", 0)]


def test_for_variables_are_locals_of_the_loop():
    fn = resolved("fn f(t) { for k, v in t { print(k, v); } }").body[0]
    loop = fn.body.body[0]
    assert (loop.key_slot, loop.value_slot) == (1, 2)
    assert names(loop.iterable) == [("t", 0)]
    assert fn.n_slots == 3


def test_functions_see_globals_declared_later():
    program = resolved("fn f() { return later; } let later = 1;")
    assert names(program.body[0]) == [("later", None)]


def test_assigning_a_global_declared_anywhere_at_top_level():
    program = resolved("fn bump() { count = count + 1; } let count = 0;")
    assign = program.body[0].body.body[0]
    assert assign.target.slot is None


def test_assigning_an_undeclared_name_is_an_error():
    error = error_of("fn f() {\n  total = 1;\n}")
    assert error.message.startswith("cannot assign to 'total': it is not declared")
    assert (error.line, error.col) == (2, 3)


def test_let_inside_a_block_does_not_declare_a_global():
    assert "not declared" in error_of("if true { let x = 1; } x = 2;").message


def test_known_globals_from_earlier_inputs_may_be_assigned():
    program = resolved("x = 2;", known={"x"})
    assert program.body[0].target.slot is None


def test_functions_do_not_see_the_callers_locals():
    program = resolved("fn f() { return y; } if true { let y = 1; f(); }")
    assert names(program.body[0]) == [("y", None)]


@pytest.mark.parametrize(
    "text, message",
    [
        ("break;", "'break' outside a loop"),
        ("continue;", "'continue' outside a loop"),
        ("fn f() { break; }", "'break' outside a loop"),
        ("return 1;", "'return' outside a function"),
        ("if true { return; }", "'return' outside a function"),
    ],
)
def test_misplaced_control_flow(text, message):
    assert error_of(text).message == message


@pytest.mark.exercise("carrot-while")
def test_break_and_continue_act_on_the_innermost_loop():
    import io

    from carrot.compiler import compile_program
    from carrot.runtime import Interpreter

    program = resolved(
        "let t = [10, 20, 30];\nlet n = 0;\n"
        "while true {\n"
        "  for k in t { if k == 2 { break; } n = n + 1; continue; n = 100; }\n"
        "  break;\n"
        "}\n"
        "print(n);"
    )
    loop = program.body[2].body.body[0]
    assert isinstance(loop, ast.ForIn) and loop.key_slot is not None
    out = io.StringIO()
    Interpreter(out).run(compile_program(program))
    assert out.getvalue() == "2\n"  # k = 0 and 1 counted; break left the for, then the while
