"""Carrot's opcode handlers against their ``@opcode(...)`` declarations.

The fast path reads the declarations instead of keeping its own lists: which register
an instruction writes (for the liveness analysis that drops dead stores), that a
comparison always writes a bool (so a jump on it needs no truth test), and that an
instruction is pure (only writes, never fails, so an unread result need not be
computed). Each handler is run here on every pair of sample values, and must do
exactly what it declares.
"""

from __future__ import annotations

import itertools
import re
from types import SimpleNamespace

import pytest
from carrot.runtime import CarrotRuntimeError, Runtime, calls, opcodes  # noqa: F401 - registers the handlers
from carrot.runtime.values import Function, Table
from vdbe.opcodes import OPCODES
from vdbe.program import Instruction, Program

CARROT_SPECS = sorted(
    (spec for spec in OPCODES.values() if spec.extension == "carrot"), key=lambda s: s.name
)
JUMPS = {"CarrotIf", "CarrotIfNot", "NextKey"}
RESULT_TYPES = {"bool": bool, "table": Table}


def samples(rt: Runtime) -> list[object]:
    table = rt.store.new_table()
    rt.store.set(table, 1, "one")
    function = Function("f", [], Program([]))
    return [None, True, False, 0, 3, -(2**63), 2**63 - 1, 0.0, 2.5, "", "b", table, function]


def run(spec, rt, a, b, p4="key"):
    registers = [None, a, b, None, None]
    vm = SimpleNamespace(reg=list(registers), pc=0, carrot=rt)
    instruction = Instruction(spec.name, 1, 2, 3, p4 if spec.name != "CallBuiltin" else "len", 0)
    try:
        spec.handler(vm, instruction)
    except CarrotRuntimeError:
        return registers, None, True
    return registers, vm.reg, False


@pytest.mark.parametrize(
    "spec", [s for s in CARROT_SPECS if s.name not in ("Call", "FnReturn")], ids=lambda s: s.name
)
def test_handler_does_what_its_declaration_says(spec):
    rt = Runtime()
    values = samples(rt)
    for a, b in itertools.product(values, repeat=2):
        before, after, failed = run(spec, rt, a, b)
        if failed:
            assert not spec.pure, f"{spec.name} is declared pure but failed on {a!r}, {b!r}"
            continue
        changed = {
            i for i, (old, new) in enumerate(zip(before, after, strict=False)) if old is not new
        }
        if spec.writes is None:
            assert not changed or spec.name in JUMPS, (spec.name, changed)
            continue
        written = {"p1": 1, "p2": 2, "p3": 3}[spec.writes]
        assert changed <= {written}, (spec.name, a, b, changed)
        if spec.result is not None:
            assert type(after[written]) is RESULT_TYPES[spec.result], (spec.name, a, b)


def test_every_carrot_opcode_is_declared_or_writes_nothing():
    """An opcode that writes a register without declaring it would be invisible to the
    fast path's liveness analysis; the synopsis shows every write."""
    for spec in CARROT_SPECS:
        assigned = re.fullmatch(r"r\[(P\d)\]", spec.synopsis.split("=")[0])
        if assigned:
            assert spec.writes == assigned.group(1).lower(), spec.name
