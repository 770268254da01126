"""The code generator: walks the syntax tree and emits instructions for the VM.

Every node compiles to code that leaves its value in one register. Registers come
from a `RegisterAllocator` and go back to it as soon as their value has been used,
so a long sum like `1 + 2 + ... + 100` needs only two registers at any moment.

When both operands of an operator need registers, the one that needs more is
compiled first (the Sethi-Ullman order): while it runs, nothing else is held. So an
expression fails to compile only when it truly needs more than sixteen registers at
once, whatever the order.
"""

from dvm.ast import Binary, Expr, Negate, Number
from dvm.errors import DvmCompileError
from dvm.parser import parse
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
from dvm.span import Span

INSTRUCTION_FOR = {"+": Add, "-": Sub, "*": Mul, "/": Div, "%": Mod}


def compile_source(source: str) -> Program:
    """Parse `source` and compile it into a Program."""
    return compile_expression(parse(source))


def compile_expression(tree: Expr) -> Program:
    """Compile a syntax tree into a Program that returns its value."""
    return CodeGenerator().compile(tree)


class NoFreeRegisterError(Exception):
    """Every register is holding a value that is still needed."""


# --8<-- [start:allocator]
class RegisterAllocator:
    """Hands out register numbers and takes them back when their value is used up.

    Fresh registers come first, r0, r1, r2 and so on, like a counter. Once the
    counter has reached the last register, released ones are handed out again,
    lowest number first.
    """

    def __init__(self, count: int = REGISTER_COUNT) -> None:
        self.count = count
        self.next_fresh = 0
        self.released: set[int] = set()

    def allocate(self) -> int:
        if self.next_fresh < self.count:
            register = self.next_fresh
            self.next_fresh += 1
            return register
        # exercise-start: dvm-register-reuse
        if not self.released:
            raise NoFreeRegisterError
        register = min(self.released)
        self.released.remove(register)
        return register
        # exercise-end: dvm-register-reuse

    def release(self, register: int) -> None:
        self.released.add(register)


# --8<-- [end:allocator]


# --8<-- [start:registers-needed]
def registers_needed(node: Expr) -> int:
    """How many registers `node` holds at its busiest moment, compiled in the best order.

    A number needs one. A negation needs its operand's registers, and at least two:
    the operand's value and the zero it is subtracted from. A binary operation whose
    operands need different amounts needs the larger: compile that operand first, then
    the other one while only its result is held. If they need the same, one more.
    """
    match node:
        case Number():
            return 1
        case Negate(operand):
            return max(registers_needed(operand), 2)
        case Binary(_, left, right):
            left_needs, right_needs = registers_needed(left), registers_needed(right)
            if left_needs == right_needs:
                return left_needs + 1
            return max(left_needs, right_needs)
    raise TypeError(f"not an expression node: {node!r}")


# --8<-- [end:registers-needed]


class CodeGenerator:
    """Collects instructions (and their source spans) while walking one tree."""

    def __init__(self) -> None:
        self.instructions: list[Instruction] = []
        self.spans: list[Span | None] = []
        self.registers = RegisterAllocator()

    def compile(self, tree: Expr) -> Program:
        result = self.expression(tree)
        self.emit(Return(result), tree.span)
        return Program(self.instructions, self.spans)

    def emit(self, instruction: Instruction, span: Span) -> None:
        self.instructions.append(instruction)
        self.spans.append(span)

    def allocate(self, node: Expr) -> int:
        try:
            return self.registers.allocate()
        except NoFreeRegisterError:
            raise DvmCompileError(
                f"expression needs more than {REGISTER_COUNT} registers at once;"
                f" the machine has {REGISTER_COUNT}",
                node.span,
            ) from None

    # --8<-- [start:expression]
    def expression(self, node: Expr) -> int:
        """Emit code that leaves the value of `node` in a register; return the register."""
        match node:
            case Number(value, span):
                register = self.allocate(node)
                self.emit(LoadImm(register, value), span)
                return register
            case Negate():
                return self.negate(node)
            case Binary():
                return self.binary(node)
        raise TypeError(f"not an expression node: {node!r}")

    # --8<-- [end:expression]

    # --8<-- [start:binary]
    def binary(self, node: Binary) -> int:
        """`left op right`: both operands into registers, the result over the left one."""
        if registers_needed(node.right) > registers_needed(node.left):
            rhs = self.expression(node.right)
            lhs = self.expression(node.left)
        else:
            lhs = self.expression(node.left)
            rhs = self.expression(node.right)
        instruction = INSTRUCTION_FOR[node.operator]
        self.emit(instruction(lhs, rhs, lhs), node.span)
        self.registers.release(rhs)
        return lhs

    # --8<-- [end:binary]

    # --8<-- [start:negate]
    def negate(self, node: Negate) -> int:
        """`-operand` is `0 - operand`: there is no negate instruction."""
        # exercise-start: dvm-unary-minus
        operand = self.expression(node.operand)
        zero = self.allocate(node)
        self.emit(LoadImm(zero, 0), node.span)
        self.emit(Sub(zero, operand, operand), node.span)
        self.registers.release(zero)
        return operand
        # exercise-end: dvm-unary-minus

    # --8<-- [end:negate]
