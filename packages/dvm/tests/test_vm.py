"""The VM: each instruction, wrapping, truncating division, and runtime errors."""

import pytest
from dvm.errors import DvmRuntimeError
from dvm.program import Add, Div, LoadImm, Mod, Mul, Program, Return, Sub
from dvm.span import Span
from dvm.vm import VM, run, wrap

MAX = 2**32 - 1


def binary(instruction, lhs: int, rhs: int) -> int:
    return run(Program([LoadImm(0, lhs), LoadImm(1, rhs), instruction(0, 1, 2), Return(2)]))


def test_load_and_return():
    assert run(Program([LoadImm(5, 42), Return(5)])) == 42


def test_registers_start_at_zero():
    assert run(Program([Return(15)])) == 0


@pytest.mark.parametrize(
    "instruction, lhs, rhs, result",
    [
        (Add, 2, 2, 4),
        (Add, MAX, 1, 0),
        (Add, MAX, MAX, MAX - 1),
        (Sub, 10, 3, 7),
        (Sub, 0, 1, MAX),
        (Sub, 3, 10, 2**32 - 7),
        (Mul, 6, 7, 42),
        (Mul, 65536, 65536, 0),
        (Mul, MAX, MAX, 1),
        (Div, 7, 2, 3),
        (Div, 1, 2, 0),
        (Div, MAX, 2, 2**31 - 1),
        (Div, MAX, MAX, 1),
    ],
)
def test_arithmetic_wraps_and_truncates(instruction, lhs, rhs, result):
    assert binary(instruction, lhs, rhs) == result


def test_operand_order_matters():
    program = Program([LoadImm(0, 2), LoadImm(1, 10), Sub(1, 0, 3), Div(1, 0, 4), Add(3, 4, 0)])
    assert run(Program([*program, Return(0)])) == 8 + 5


def test_run_leaves_the_machine_state_to_inspect():
    machine = VM(Program([LoadImm(3, 9), LoadImm(4, 1), Add(3, 4, 3), Return(3)]))
    assert machine.run() == 10
    assert machine.pc == 4
    assert machine.registers[3] == 10
    assert machine.registers[4] == 1
    assert len(machine.registers) == 16


def test_return_stops_the_machine():
    program = Program([LoadImm(0, 1), Return(0), LoadImm(0, 2), Return(0)])
    machine = VM(program)
    assert machine.run() == 1
    assert machine.pc == 2


def test_division_by_zero_names_the_operator():
    span = Span(1, 3)
    program = Program(
        [LoadImm(0, 1), LoadImm(1, 0), Div(0, 1, 0), Return(0)], [None, None, span, None]
    )
    with pytest.raises(DvmRuntimeError, match="division by zero") as caught:
        run(program)
    assert caught.value.span == span
    assert caught.value.exit_status == 70


def test_running_off_the_end_is_an_error():
    with pytest.raises(DvmRuntimeError, match="without a Return"):
        run(Program([LoadImm(0, 1)]))


def test_wrap():
    assert wrap(2**32) == 0
    assert wrap(-1) == MAX
    assert wrap(2**40 + 5) == 5


@pytest.mark.exercise("dvm-mod")
@pytest.mark.parametrize(
    "lhs, rhs, result", [(10, 3, 1), (9, 3, 0), (2, 5, 2), (MAX, 65536, 65535)]
)
def test_mod(lhs, rhs, result):
    assert binary(Mod, lhs, rhs) == result


@pytest.mark.exercise("dvm-mod")
def test_mod_by_zero_is_a_runtime_error():
    with pytest.raises(DvmRuntimeError, match="division by zero"):
        binary(Mod, 5, 0)
