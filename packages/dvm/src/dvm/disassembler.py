"""The disassembler: a program as text, one instruction a line.

Each line shows the address, the instruction's name, its operands in the order the
instruction stores them, and after a `;` what it does in register notation:

    0000  LoadImm  r0, 2         ; r0 = 2
    0002  Add      r0, r1, r0    ; r0 = r0 + r1

There is one small printer per shape of instruction, as in clox's debug.c.
"""

from dvm.program import Add, BinaryInstruction, Div, LoadImm, Mod, Mul, Program, Return, Sub

SYMBOL = {Add: "+", Sub: "-", Mul: "*", Div: "/", Mod: "%"}


# --8<-- [start:disassemble]
def disassemble(program: Program) -> str:
    """The whole program, one instruction a line (no trailing newline)."""
    return "\n".join(
        format_instruction(address, instruction) for address, instruction in enumerate(program)
    )


def format_instruction(address: int, instruction: object) -> str:
    operands, effect = describe(instruction)
    name = type(instruction).__name__
    return f"{address:04d}  {name:<8} {operands:<13} ; {effect}"


def describe(instruction: object) -> tuple[str, str]:
    """The operands and the effect of one instruction, as two strings."""
    match instruction:
        case LoadImm(dest, value):
            return f"r{dest}, {value}", f"r{dest} = {value}"
        case BinaryInstruction(lhs, rhs, dest):
            symbol = SYMBOL[type(instruction)]
            return f"r{lhs}, r{rhs}, r{dest}", f"r{dest} = r{lhs} {symbol} r{rhs}"
        case Return(register):
            return f"r{register}", f"return r{register}"
    raise TypeError(f"not an instruction: {instruction!r}")


# --8<-- [end:disassemble]
