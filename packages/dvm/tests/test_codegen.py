"""The code generator: instructions emitted, register allocation, Sethi-Ullman order."""

import pytest
from dvm import evaluate
from dvm.ast import Binary, Expr, Number
from dvm.codegen import (
    NoFreeRegisterError,
    RegisterAllocator,
    compile_expression,
    compile_source,
    registers_needed,
)
from dvm.errors import DvmCompileError
from dvm.parser import parse
from dvm.program import Add, Div, LoadImm, Mul, Return, Sub
from dvm.span import Span

UNARY = pytest.mark.exercise("dvm-unary-minus")


def registers_used(program) -> set[int]:
    used = set()
    for instruction in program:
        used.update(getattr(instruction, name) for name in instruction.__match_args__)
        if isinstance(instruction, LoadImm):
            used.discard(instruction.value)
            used.add(instruction.dest)
    return used


def test_two_plus_two():
    assert list(compile_source("2 + 2")) == [LoadImm(0, 2), LoadImm(1, 2), Add(0, 1, 0), Return(0)]


def test_each_operator_has_its_instruction():
    for operator, instruction in [("+", Add), ("-", Sub), ("*", Mul), ("/", Div)]:
        program = compile_source(f"9 {operator} 3")
        assert program[2] == instruction(0, 1, 0)


def test_operands_keep_their_places():
    assert list(compile_source("(1 + 2) - 3")) == [
        LoadImm(0, 1),
        LoadImm(1, 2),
        Add(0, 1, 0),
        LoadImm(2, 3),
        Sub(0, 2, 0),
        Return(0),
    ]


def test_hungrier_operand_is_compiled_first():
    # The right side needs two registers, the left one: the right goes first,
    # and the subtraction still reads the left operand as lhs.
    assert list(compile_source("1 - 2 * 3")) == [
        LoadImm(0, 2),
        LoadImm(1, 3),
        Mul(0, 1, 0),
        LoadImm(2, 1),
        Sub(2, 0, 2),
        Return(2),
    ]
    assert evaluate("10 - 2 * 3") == 4


def test_spans_follow_the_instructions():
    program = compile_source("8 / 4")
    assert program.spans == (Span(1, 1), Span(1, 5), Span(1, 3), Span(1, 3))


@pytest.mark.parametrize(
    "source, needed",
    [
        ("1", 1),
        ("1 + 2", 2),
        ("1 + 2 + 3 + 4 + 5", 2),
        ("1 + (2 + (3 + 4))", 2),
        ("(1 + 2) * (3 + 4)", 3),
        ("((1 + 2) * (3 + 4)) - ((5 + 6) * (7 + 8))", 4),
        pytest.param("-1", 2, marks=UNARY),
        pytest.param("-(1 + 2)", 2, marks=UNARY),
        pytest.param("-((1 + 2) * (3 + 4))", 3, marks=UNARY),
    ],
)
def test_registers_needed(source, needed):
    assert registers_needed(parse(source)) == needed


def test_small_expressions_use_fresh_registers_in_order():
    program = compile_source("(1 + 2) * (3 + 4)")
    assert registers_used(program) == {0, 1, 2, 3}


def test_allocator_counts_up_first():
    registers = RegisterAllocator()
    assert [registers.allocate() for _ in range(3)] == [0, 1, 2]
    registers.release(1)
    assert registers.allocate() == 3


@pytest.mark.exercise("dvm-register-reuse")
def test_allocator_reuses_released_registers_lowest_first():
    registers = RegisterAllocator(count=4)
    assert [registers.allocate() for _ in range(4)] == [0, 1, 2, 3]
    registers.release(2)
    registers.release(1)
    assert registers.allocate() == 1
    assert registers.allocate() == 2
    with pytest.raises(NoFreeRegisterError):
        registers.allocate()


@pytest.mark.exercise("dvm-register-reuse")
def test_allocator_runs_out_only_when_everything_is_held():
    registers = RegisterAllocator(count=2)
    registers.allocate(), registers.allocate()
    with pytest.raises(NoFreeRegisterError):
        registers.allocate()


@pytest.mark.exercise("dvm-register-reuse")
def test_one_to_a_hundred_fits_in_sixteen_registers():
    source = "+".join(str(n) for n in range(1, 101))
    program = compile_source(source)
    assert registers_used(program) <= set(range(16))
    assert evaluate(source) == 5050


@pytest.mark.exercise("dvm-register-reuse")
def test_right_leaning_chains_fit_too():
    source = "(".join(f"{n}+" for n in range(1, 60)) + "60" + ")" * 58
    assert registers_needed(parse(source)) == 2
    assert evaluate(source) == 60 * 61 // 2


def balanced(leaves: int) -> str:
    """A complete binary tree of additions over `leaves` ones (a power of two)."""
    return "1" if leaves == 1 else f"({balanced(leaves // 2)}+{balanced(leaves // 2)})"


@pytest.mark.exercise("dvm-register-reuse")
def test_sixteen_registers_at_once_is_the_limit():
    source = balanced(2**15)  # needs exactly 16 registers at its busiest
    assert registers_needed(parse(source)) == 16
    assert evaluate(source) == 2**15


def balanced_tree(levels: int) -> Expr:
    """The same shape as `balanced`, built directly (subtrees shared, nothing to parse)."""
    if levels == 0:
        return Number(1, Span(1, 1))
    half = balanced_tree(levels - 1)
    return Binary("+", half, half, Span(1, 2))


@pytest.mark.exercise("dvm-register-reuse")
def test_needing_seventeen_at_once_is_a_clear_error():
    tree = balanced_tree(16)  # 65536 numbers: no order of evaluation fits in 16
    assert registers_needed(tree) == 17
    with pytest.raises(DvmCompileError, match="more than 16 registers at once") as caught:
        compile_expression(tree)
    assert caught.value.exit_status == 65
    assert caught.value.span == Span(1, 1)


@pytest.mark.exercise("dvm-unary-minus")
def test_negation_subtracts_from_zero():
    assert list(compile_source("-7")) == [LoadImm(0, 7), LoadImm(1, 0), Sub(1, 0, 0), Return(0)]


@pytest.mark.exercise("dvm-unary-minus")
@pytest.mark.parametrize(
    "source, value",
    [("-1", 2**32 - 1), ("--1", 1), ("-0", 0), ("-(2 + 3) * 2", 2**32 - 10), ("5 - -5", 10)],
)
def test_negation_values(source, value):
    assert evaluate(source) == value
