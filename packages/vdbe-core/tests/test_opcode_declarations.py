"""Every handler does what its ``@opcode(...)`` declaration says.

The declaration is the one home of the facts tools read instead of the handler's code:
what P1 names (the engine sizes register files from it), which register the handler
writes, the type it always writes, and whether writing is all it does. These tests
hold each declaration against the synopsis and, where the handler can be run alone,
against what the handler really does.
"""

from __future__ import annotations

import re

import pytest
from vdbe.engine import VM, register_count
from vdbe.opcodes import OPCODES, load_all
from vdbe.program import Instruction, Program

load_all()
SPECS = sorted(OPCODES.values(), key=lambda spec: spec.name)
DECLARED = [spec for spec in SPECS if spec.writes is not None]
SAMPLES = [None, 0, 1, -5, 2**62, 1.5, "text", b"\x00\x01"]
RESULT_TYPES = {"int": int, "float": float, "str": str, "bool": bool}


@pytest.mark.parametrize("spec", SPECS, ids=lambda spec: spec.name)
def test_p1_declaration_agrees_with_the_synopsis(spec):
    assert spec.p1 in ("register", "cursor", "value")
    if re.search(r"r\[P1\b", spec.synopsis):
        assert spec.p1 == "register", f"{spec.name}'s synopsis reads r[P1]"
    if spec.p1 != "register":
        assert "P1" in spec.header.split()[1:2], f"{spec.name} declares a P1 it has not"


@pytest.mark.parametrize("spec", DECLARED, ids=lambda spec: spec.name)
def test_written_operand_is_what_the_synopsis_assigns(spec):
    target = spec.writes.upper()
    assert re.match(rf"r\[{target}\b", spec.synopsis), (spec.name, spec.synopsis)


def run_alone(spec, p1, p2, p3, p4, registers):
    instruction = Instruction(spec.name, p1, p2, p3, p4, 0)
    vm = VM(Program([instruction]))
    vm.reg = list(registers)
    spec.handler(vm, instruction)
    return vm.reg


@pytest.mark.parametrize("spec", [s for s in DECLARED if s.pure], ids=lambda s: s.name)
def test_pure_handlers_write_only_their_declared_registers(spec):
    for sample in SAMPLES:
        registers = [sample] * 12
        p4 = 7 if spec.result == "int" else (2.5 if spec.result == "float" else "p4")
        after = run_alone(spec, 3, 5, 6 if spec.name != "Copy" else 1, p4, registers)
        changed = {
            i for i, (old, new) in enumerate(zip(registers, after, strict=False)) if old is not new
        }
        first = {"p1": 3, "p2": 5, "p3": 6}[spec.writes]
        allowed = set(range(first, first + 2))  # Null and Copy may fill a second one
        assert changed <= allowed, (spec.name, changed)
        if spec.result is not None:
            assert type(after[first]) is RESULT_TYPES[spec.result], spec.name


def test_register_count_skips_p1_only_where_declared():
    # Integer's P1 is the value 500; Copy's P1 is register 9
    program = Program([Instruction("Integer", 500, 2, 0), Instruction("Copy", 9, 3, 0)])
    assert register_count(program) == 2 * 9 + 2
