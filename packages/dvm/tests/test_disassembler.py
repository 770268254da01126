"""The disassembler: one aligned instruction a line, operands in stored order."""

from dvm.codegen import compile_source
from dvm.disassembler import disassemble, format_instruction
from dvm.program import Add, Div, LoadImm, Mod, Mul, Program, Return, Sub


def test_two_plus_two_listing():
    assert disassemble(compile_source("2 + 2")).splitlines() == [
        "0000  LoadImm  r0, 2         ; r0 = 2",
        "0001  LoadImm  r1, 2         ; r1 = 2",
        "0002  Add      r0, r1, r0    ; r0 = r0 + r1",
        "0003  Return   r0            ; return r0",
    ]


def test_every_instruction_prints_its_operation():
    program = Program(
        [Sub(1, 2, 3), Mul(4, 5, 6), Div(7, 8, 9), Mod(10, 11, 12), LoadImm(15, 4294967295)]
        + [Return(15)]
    )
    lines = disassemble(program).splitlines()
    assert len(lines) == len(program)
    assert lines[0].endswith("Sub      r1, r2, r3    ; r3 = r1 - r2")
    assert lines[1].endswith("; r6 = r4 * r5")
    assert lines[2].endswith("; r9 = r7 / r8")
    assert lines[3].endswith("Mod      r10, r11, r12 ; r12 = r10 % r11")
    assert lines[4] == "0004  LoadImm  r15, 4294967295 ; r15 = 4294967295"
    assert lines[5] == "0005  Return   r15           ; return r15"


def test_addresses_count_up():
    lines = disassemble(compile_source("1 + 2 + 3 + 4")).splitlines()
    assert [line[:4] for line in lines] == [f"{n:04d}" for n in range(len(lines))]


def test_format_instruction():
    assert format_instruction(12, Add(0, 1, 2)) == "0012  Add      r0, r1, r2    ; r2 = r0 + r1"
