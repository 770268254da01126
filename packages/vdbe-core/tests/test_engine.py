"""The engine loop: stepping, rows, halting, the step budget and interruption."""

import pytest
from vdbe.engine import VM
from vdbe.errors import InterruptedError_, StepLimitError, UnsupportedOpcode
from vdbe.program import Instruction as I  # noqa: N817 - short, for listings
from vdbe.program import Program


def one_plus_one() -> Program:
    return Program(
        [
            I("Init", 0, 4),
            I("Add", 2, 2, 1),
            I("ResultRow", 1, 1),
            I("Halt"),
            I("Integer", 1, 2),
            I("Goto", 0, 1),
        ]
    )


def counting_loop(n: int) -> Program:
    """Rows 1..n: r1 counts up, DecrJumpZero on r2 ends the loop."""
    return Program(
        [
            I("Init", 0, 1),
            I("Integer", 0, 1),
            I("Integer", n, 2),
            I("AddImm", 1, 1),
            I("ResultRow", 1, 1),
            I("DecrJumpZero", 2, 7),
            I("Goto", 0, 3),
            I("Halt"),
        ]
    )


def test_one_plus_one_gives_two():
    assert VM(one_plus_one()).run() == [[2]]


def test_step_returns_rows_then_none():
    vm = VM(counting_loop(3))
    assert vm.step() == [1]
    assert vm.step() == [2]
    assert vm.step() == [3]
    assert vm.step() is None
    assert vm.step() is None


def test_iterating_yields_every_row():
    assert [row[0] for row in VM(counting_loop(5))] == [1, 2, 3, 4, 5]


def test_step_budget_stops_a_long_program():
    with pytest.raises(StepLimitError):
        VM(counting_loop(1000), max_steps=100).run()


def test_step_budget_large_enough_lets_it_finish():
    assert len(VM(counting_loop(10), max_steps=1000).run()) == 10


def test_interrupt_stops_at_the_next_instruction():
    vm = VM(counting_loop(1000))
    assert vm.step() == [1]
    vm.interrupt()
    with pytest.raises(InterruptedError_) as info:
        vm.step()
    assert str(info.value) == "interrupted"


def test_unknown_opcode_is_reported_by_name():
    program = Program([I("Init", 0, 1), I("Frobnicate", 1, 2, 3), I("Halt")])
    with pytest.raises(UnsupportedOpcode) as info:
        VM(program).run()
    assert "Frobnicate" in str(info.value)


def test_register_file_is_sized_from_the_program():
    vm = VM(Program([I("Integer", 7, 40), I("Halt")]))
    assert len(vm.reg) > 40
