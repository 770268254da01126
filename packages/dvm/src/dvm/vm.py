"""The virtual machine: a program counter, sixteen registers, and a loop.

`run` is the whole machine. It fetches the instruction the program counter points
at, moves the counter on, and dispatches on the kind of instruction to the few lines
that carry it out, until a `Return` hands back a value. Registers hold unsigned
32-bit numbers: results are reduced modulo 2^32, so `0 - 1` is 4294967295.
"""

from dvm.errors import DvmRuntimeError
from dvm.program import (
    REGISTER_COUNT,
    Add,
    Div,
    Instruction,
    LoadImm,
    Mod,
    Mul,
    Program,
    Return,
    Sub,
)

# --8<-- [start:wrap]
WORD_MASK = 0xFFFF_FFFF  # 2^32 - 1: keeping the low 32 bits is "modulo 2^32"


def wrap(value: int) -> int:
    """Reduce any Python integer to an unsigned 32-bit one, as the hardware would."""
    return value & WORD_MASK


# --8<-- [end:wrap]


def run(program: Program) -> int:
    """Run `program` on a fresh machine and return its value."""
    return VM(program).run()


class VM:
    """One machine: the program, its program counter, and its registers."""

    def __init__(self, program: Program) -> None:
        self.program = program
        self.pc = 0
        self.registers = [0] * REGISTER_COUNT

    # --8<-- [start:run]
    def run(self) -> int:
        """Fetch, advance, dispatch, until a Return gives the program's value."""
        registers = self.registers
        while True:
            instruction = self.fetch()
            match instruction:
                case LoadImm(dest, value):
                    registers[dest] = value
                case Add(lhs, rhs, dest):
                    registers[dest] = wrap(registers[lhs] + registers[rhs])
                case Sub(lhs, rhs, dest):
                    registers[dest] = wrap(registers[lhs] - registers[rhs])
                case Mul(lhs, rhs, dest):
                    registers[dest] = wrap(registers[lhs] * registers[rhs])
                case Div(lhs, rhs, dest):
                    self.check_divisor(registers[rhs])
                    registers[dest] = registers[lhs] // registers[rhs]
                case Mod(lhs, rhs, dest):
                    # exercise-start: dvm-mod
                    self.check_divisor(registers[rhs])
                    registers[dest] = registers[lhs] % registers[rhs]
                    # exercise-end: dvm-mod
                case Return(register):
                    return registers[register]
                case _:
                    raise TypeError(f"not an instruction: {instruction!r}")

    # --8<-- [end:run]

    # --8<-- [start:fetch]
    def fetch(self) -> Instruction:
        """The instruction at the program counter; the counter moves to the next one."""
        if self.pc >= len(self.program):
            raise DvmRuntimeError(f"the program ended at address {self.pc} without a Return")
        instruction = self.program[self.pc]
        self.pc += 1
        return instruction

    # --8<-- [end:fetch]

    # --8<-- [start:check-divisor]
    def check_divisor(self, divisor: int) -> None:
        """Division and remainder by zero stop the machine, pointing at the operator."""
        if divisor == 0:
            raise DvmRuntimeError("division by zero", self.program.span_at(self.pc - 1))

    # --8<-- [end:check-divisor]
