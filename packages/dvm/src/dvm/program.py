"""The instruction set and the Program that holds a list of instructions.

The machine has sixteen registers, r0 to r15, each holding an unsigned 32-bit number.
There are three shapes of instruction:

    LoadImm  dest, value      r[dest] = value
    Add      lhs, rhs, dest   r[dest] = r[lhs] + r[rhs]   (Sub, Mul, Div, Mod alike)
    Return   register         stop; the program's value is r[register]

Instructions are small frozen dataclasses that check their operands when built, so a
Program can never hold a register number the VM does not have.
"""

from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field

from dvm.span import Span

REGISTER_COUNT = 16
WORD_MAX = 2**32 - 1


def check_register(register: int) -> None:
    if not (isinstance(register, int) and 0 <= register < REGISTER_COUNT):
        raise ValueError(f"register must be 0..{REGISTER_COUNT - 1}, got {register!r}")


# --8<-- [start:instructions]
@dataclass(frozen=True, slots=True)
class LoadImm:
    """Load an immediate value, written in the instruction itself, into r[dest]."""

    dest: int
    value: int

    def __post_init__(self) -> None:
        check_register(self.dest)
        if not (isinstance(self.value, int) and 0 <= self.value <= WORD_MAX):
            raise ValueError(f"value must be 0..{WORD_MAX}, got {self.value!r}")


@dataclass(frozen=True, slots=True)
class BinaryInstruction:
    """Read r[lhs] and r[rhs], combine them, write r[dest]. Subclasses name the operation."""

    lhs: int
    rhs: int
    dest: int

    def __post_init__(self) -> None:
        for register in (self.lhs, self.rhs, self.dest):
            check_register(register)


class Add(BinaryInstruction):
    """r[dest] = (r[lhs] + r[rhs]) mod 2^32"""

    __slots__ = ()


class Sub(BinaryInstruction):
    """r[dest] = (r[lhs] - r[rhs]) mod 2^32"""

    __slots__ = ()


class Mul(BinaryInstruction):
    """r[dest] = (r[lhs] * r[rhs]) mod 2^32"""

    __slots__ = ()


class Div(BinaryInstruction):
    """r[dest] = r[lhs] / r[rhs], rounded towards zero; an error if r[rhs] is 0"""

    __slots__ = ()


class Mod(BinaryInstruction):
    """r[dest] = the remainder of r[lhs] / r[rhs]; an error if r[rhs] is 0"""

    __slots__ = ()


@dataclass(frozen=True, slots=True)
class Return:
    """Stop the machine; the value of the program is r[register]."""

    register: int

    def __post_init__(self) -> None:
        check_register(self.register)


Instruction = LoadImm | Add | Sub | Mul | Div | Mod | Return
# --8<-- [end:instructions]


# --8<-- [start:program]
@dataclass(frozen=True)
class Program:
    """A list of instructions, and for each the source span it was compiled from.

    The spans are the machine's "line table": when instruction 7 divides by zero,
    `span_at(7)` says which `/` in the source it came from.
    """

    instructions: tuple[Instruction, ...]
    spans: tuple[Span | None, ...] = field(default=())

    def __init__(
        self, instructions: Sequence[Instruction], spans: Sequence[Span | None] = ()
    ) -> None:
        spans = tuple(spans) or (None,) * len(instructions)
        if len(spans) != len(instructions):
            raise ValueError("a program needs one span (or None) per instruction")
        object.__setattr__(self, "instructions", tuple(instructions))
        object.__setattr__(self, "spans", spans)

    def __len__(self) -> int:
        return len(self.instructions)

    def __iter__(self) -> Iterator[Instruction]:
        return iter(self.instructions)

    def __getitem__(self, address: int) -> Instruction:
        return self.instructions[address]

    def span_at(self, address: int) -> Span | None:
        return self.spans[address] if 0 <= address < len(self.spans) else None


# --8<-- [end:program]
