"""Instructions check their operands; a Program pairs instructions with spans."""

import pytest
from dvm.program import Add, Div, LoadImm, Mod, Mul, Program, Return, Sub
from dvm.span import Span


def test_instructions_are_values():
    assert LoadImm(dest=3, value=7) == LoadImm(3, 7)
    assert Add(0, 1, 2) != Sub(0, 1, 2)
    assert Add(0, 1, 2).dest == 2
    assert repr(Mul(1, 2, 3)) == "Mul(lhs=1, rhs=2, dest=3)"


@pytest.mark.parametrize(
    "build",
    [
        lambda: LoadImm(16, 0),
        lambda: LoadImm(-1, 0),
        lambda: LoadImm(0, 2**32),
        lambda: LoadImm(0, -1),
        lambda: Add(0, 16, 0),
        lambda: Div(0, 0, 99),
        lambda: Mod(0, 0, -1),
        lambda: Return(16),
    ],
)
def test_operands_out_of_range_are_refused(build):
    with pytest.raises(ValueError):
        build()


def test_instructions_are_immutable():
    instruction = Add(0, 1, 0)
    with pytest.raises(AttributeError):
        instruction.dest = 5


def test_program_holds_instructions_and_spans():
    program = Program([LoadImm(0, 1), Return(0)], [Span(1, 1), None])
    assert len(program) == 2
    assert list(program) == [LoadImm(0, 1), Return(0)]
    assert program[1] == Return(0)
    assert program.span_at(0) == Span(1, 1)
    assert program.span_at(1) is None
    assert program.span_at(5) is None


def test_program_without_spans():
    program = Program([Return(0)])
    assert program.spans == (None,)


def test_program_needs_one_span_per_instruction():
    with pytest.raises(ValueError):
        Program([Return(0)], [None, None])
