"""Tracing: one line per executed instruction, with the registers it changed."""

from __future__ import annotations

import io

import pytest
from vdbe.engine import VM
from vdbe.loader import compile_sql
from vdbe.trace import changed_registers, show_value


@pytest.mark.exercise("vdbe-trace")
def test_trace_shows_each_instruction_and_its_changes():
    out = io.StringIO()
    rows = VM(compile_sql("SELECT 1 + 1"), trace=out).run()
    assert rows == [[2]]
    lines = out.getvalue().splitlines()
    assert [line.split()[1] for line in lines] == [
        "Init",
        "Integer",
        "Goto",
        "Add",
        "ResultRow",
        "Halt",
    ]
    assert lines[1].endswith("r[2]=1")
    assert lines[3].endswith("r[1]=2")


@pytest.mark.exercise("vdbe-trace")
def test_trace_accepts_a_function():
    seen = []
    VM(compile_sql("SELECT 'a' || 'b'"), trace=seen.append).run()
    assert any(line.endswith("='ab'") for line in seen)


def test_no_trace_means_plain_handlers():
    vm = VM(compile_sql("SELECT 1"))
    vm.run()
    assert all(h.__name__ != "traced" for h in vm._load(vm.program)[0])


@pytest.mark.exercise("vdbe-trace")
def test_changed_registers_tells_1_from_1_0():
    assert changed_registers([None, 1], [None, 1.0]) == [(1, 1.0)]
    assert changed_registers([None, "a"], [None, "a"]) == []


def test_values_are_shown_as_sql_literals():
    assert [show_value(v) for v in (None, 3, 2.5, "it's", b"\x00\xff")] == [
        "NULL",
        "3",
        "2.5",
        "'it''s'",
        "x'00FF'",
    ]


@pytest.mark.exercise("vdbe-trace")
def test_changed_registers_finds_new_and_grown_registers():
    assert changed_registers([None, 1, "a"], [None, 2, "a", 7]) == [(1, 2), (3, 7)]
    assert changed_registers([None, 5], [None, None]) == [(1, None)]
    assert changed_registers([None, b"x"], [None, "x"]) == [(1, "x")]
