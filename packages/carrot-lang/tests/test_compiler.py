"""The compiler's output: which instructions a construct becomes, registers, positions."""

from __future__ import annotations

import pytest
from carrot import ast
from carrot.compiler import compile_program, exercises_in
from carrot.resolver import analyze


def compiled(text):
    return compile_program(analyze(text, "t.carrot"))


def opcodes(function):
    return [ins.opcode for ins in function.program.instructions]


def function_named(program, name):
    return next(f for f in program.functions if f.name == name)


def test_print_of_a_sum():
    main = compiled("print(1 + 2);").main
    assert opcodes(main) == ["Integer", "Integer", "CarrotAdd", "Print", "Null", "Halt"]
    add = main.program.instructions[2]
    assert (add.p1, add.p2) == (main.program[0].p2, main.program[1].p2)


def test_subtract_keeps_sqlites_operand_order():
    fn = function_named(compiled("fn f(a, b) { return a - b; }"), "f")
    sub = fn.program.instructions[0]
    # SQLite's Subtract computes r[P3] = r[P2] - r[P1]: the left operand goes in P2
    assert (sub.opcode, sub.p1, sub.p2) == ("CarrotSubtract", 2, 1)


def test_parameters_and_locals_live_in_registers():
    fn = function_named(compiled("fn f(a, b) { let c = a * b; return c; }"), "f")
    mul, ret = fn.program.instructions[0], fn.program.instructions[1]
    assert (mul.opcode, mul.p1, mul.p2, mul.p3) == ("CarrotMultiply", 1, 2, 3)
    assert (ret.opcode, ret.p1) == ("FnReturn", 3)
    assert fn.arity == 2 and fn.n_registers >= 3


def test_falling_off_the_end_returns_null():
    fn = function_named(compiled("fn f() { }"), "f")
    assert opcodes(fn) == ["Null", "FnReturn"]


def test_globals_are_read_and_written_by_name():
    main = compiled("let x = 1; x = x + 1;").main
    assert ("SetGlobal", "x") in [(i.opcode, i.p4) for i in main.program.instructions]
    assert ("GetGlobal", "x") in [(i.opcode, i.p4) for i in main.program.instructions]


def test_a_call_puts_the_function_then_its_arguments_in_consecutive_registers():
    main = compiled("fn f(a, b) { return a; } f(10, 20);").main
    code = main.program.instructions
    call = next(i for i in code if i.opcode == "Call")
    assert call.p2 == 2
    loads = {i.p2: i for i in code if i.opcode in ("Integer", "GetGlobal")}
    assert loads[call.p1].opcode == "GetGlobal" and loads[call.p1].p4 == "f"
    assert loads[call.p1 + 1].p1 == 10 and loads[call.p1 + 2].p1 == 20


def test_builtins_are_called_directly_unless_a_global_shadows_them():
    direct = compiled('len("abc");').main
    assert "CallBuiltin" in opcodes(direct) and "Call" not in opcodes(direct)
    shadowed = compiled('fn len(x) { return 0; } len("abc");').main
    assert "Call" in opcodes(shadowed) and "CallBuiltin" not in opcodes(shadowed)


def test_every_instruction_has_a_source_position():
    program = compiled("fn f(x) {\n  return x / 0;\n}\nprint(f(1));\n")
    for fn in program.all_functions():
        assert len(fn.positions) == len(fn.program.instructions)
    divide = function_named(program, "f")
    pc = opcodes(divide).index("CarrotDivide")
    assert divide.positions[pc] == (2, 12)


def test_if_else_jumps():
    main = compiled("let x = 1; if x { print(1); } else { print(2); }").main
    code = main.program.instructions
    test = next(i for i in code if i.opcode == "CarrotIfNot")
    goto = code[test.p2 - 1]
    assert goto.opcode == "Goto" and goto.p2 > test.p2


def test_for_loop_uses_next_key():
    main = compiled("for k, v in [1, 2] { print(k, v); }").main
    code = main.program.instructions
    head = next(i for i, ins in enumerate(code) if ins.opcode == "NextKey")
    assert code[code[head].p2 - 1].opcode == "Goto"
    assert code[code[head].p2 - 1].p2 == head


def test_explain_has_a_heading_per_function():
    text = compiled(
        "fn fibo(x) { if x < 2 { return 1; } return fibo(x - 1) + fibo(x - 2); } print(fibo(5));"
    ).explain()
    assert text.startswith("-- <main>\n")
    assert "-- fn fibo(x)\n" in text
    assert text.count("addr  opcode") == 2
    assert "CarrotAdd" in text and "FnReturn" in text and "r[P3]" not in text


@pytest.mark.exercise("carrot-while")
def test_while_compiles_to_a_test_at_the_top_and_a_jump_back():
    fn = function_named(compiled("fn f(n) { while n > 0 { n = n - 1; } return n; }"), "f")
    code = fn.program.instructions
    exit_jump = next(i for i, ins in enumerate(code) if ins.opcode == "CarrotIfNot")
    back = code[code[exit_jump].p2 - 1]
    assert back.opcode == "Goto" and back.p2 == 0
    assert code[code[exit_jump].p2].opcode == "FnReturn"


@pytest.mark.exercise("carrot-short-circuit")
def test_and_skips_its_right_operand_when_the_left_is_false():
    fn = function_named(compiled("fn f(a, b) { return a && b; }"), "f")
    names = opcodes(fn)
    assert names[:3] == ["Copy", "Truth", "CarrotIfNot"]
    jump = fn.program.instructions[2]
    assert fn.program.instructions[jump.p2 - 1].opcode == "Truth"


@pytest.mark.exercise("carrot-method-call")
def test_method_call_passes_the_table_first():
    main = compiled("let t = {}; t.m(5);").main
    code = main.program.instructions
    call = next(i for i in code if i.opcode == "Call")
    field = next(i for i in code if i.opcode == "GetField")
    assert call.p2 == 2  # the table and one argument
    assert (field.p1, field.p2, field.p4) == (call.p1 + 1, call.p1, "m")


def test_exercises_in_names_the_nodes_that_need_exercise_code():
    program = analyze("fn f(t) { while t.x(1) && true { } }", "t.carrot")
    assert exercises_in(program) == {"carrot-while", "carrot-short-circuit", "carrot-method-call"}
    assert exercises_in(analyze("print(1);", "t.carrot")) == set()
    assert isinstance(program.body[0], ast.FnDecl)


def test_interactive_inputs_call_builtins_by_name_unless_told_the_globals():
    repl_input = analyze('len("abc");', "r")
    assert "CallBuiltin" not in opcodes(compile_program(repl_input, echo=True).main)
    told = compile_program(analyze('len("abc");', "r"), echo=True, known_globals={"x"})
    assert "CallBuiltin" in opcodes(told.main)


def test_python_source_shows_each_translation():
    text = compiled("fn inc(n) { return n + 1; } print(inc(1));").python_source()
    assert text.startswith("# <main>\ndef carrot_function(depth):")
    assert "# inc\ndef carrot_function(depth, r1):" in text
    assert "(_t := r1 + 1)" in text
