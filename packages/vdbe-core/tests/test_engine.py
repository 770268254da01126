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


def test_step_instruction_runs_one_instruction_at_a_time():
    vm = VM(one_plus_one())
    seen = []
    while not vm.halted:
        seen.append(vm.pc)
        row = vm.step_instruction()
        if row is not None:
            seen.append(row)
    assert seen == [0, 4, 5, 1, 2, [2], 3]
    assert vm.step_instruction() is None


def test_step_instruction_leaves_the_registers_to_look_at():
    vm = VM(counting_loop(3))
    for _ in range(4):  # Init, Integer 0, Integer 3, AddImm
        vm.step_instruction()
    assert (vm.pc, vm.reg[1], vm.reg[2]) == (4, 1, 3)


def test_step_instruction_and_step_share_the_budget():
    vm = VM(counting_loop(10), max_steps=8)
    for _ in range(4):
        vm.step_instruction()
    assert vm.step() == [1]  # AddImm was stepped; ResultRow is the 5th
    with pytest.raises(StepLimitError):
        while not vm.halted:
            vm.step_instruction()
    assert vm.halted


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


def test_interrupt_from_another_thread_stops_an_endless_loop():
    import threading

    endless = Program([I("Init", 0, 1), I("Goto", 0, 1)])
    vm = VM(endless)
    outcome = []

    def run():
        try:
            vm.run()
        except InterruptedError_ as exc:
            outcome.append(str(exc))

    thread = threading.Thread(target=run)
    thread.start()
    threading.Event().wait(0.05)
    vm.interrupt()
    thread.join(timeout=10)
    assert outcome == ["interrupted"]


@pytest.mark.exercise("vdbe-variable")
def test_bound_parameters_by_position_and_name():
    from vdbe.loader import compile_sql

    program = compile_sql("SELECT ?1 + 1, ?2 || 'x'")
    assert VM(program, bindings=[41, "y"]).run() == [[42, "yx"]]
    named = compile_sql("SELECT :a * 2, $b")
    assert VM(named, bindings={"a": 21, "b": None}).run() == [[42, None]]
    assert VM(named).run() == [[None, None]]


def test_reload_lets_a_handler_switch_programs():
    """A call into another program, the way Carrot's calls use RELOAD."""
    from vdbe.opcodes import OPCODES, RELOAD, opcode

    @opcode(extension="test")
    def CallSub(vm, op):
        """CallSub * * * P4 *

        Run the program in P4 with fresh registers; its ReturnSub comes back here.
        """
        vm.frame = (vm.program, vm.pc, vm.reg, vm.frame)
        vm.program, vm.pc, vm.reg = op.p4, 0, [None] * 4
        return RELOAD

    @opcode(extension="test")
    def ReturnSub(vm, op):
        """ReturnSub P1 * * * *

        Return to the caller, handing it register P1 as its register 1.
        """
        program, pc, reg, parent = vm.frame
        reg[1] = vm.reg[op.p1]
        vm.program, vm.pc, vm.reg, vm.frame = program, pc, reg, parent
        return RELOAD

    try:
        callee = Program([I("Integer", 42, 2), I("ReturnSub", 2)], name="callee")
        caller = Program(
            [I("Init", 0, 1), I("CallSub", 0, 0, 0, callee), I("ResultRow", 1, 1), I("Halt")]
        )
        assert VM(caller).run() == [[42]]
    finally:
        del OPCODES["CallSub"], OPCODES["ReturnSub"]


def test_closing_a_running_vm_ends_it():
    vm = VM(counting_loop(10))
    assert vm.step() == [1]
    vm.close()
    assert vm.step() is None


@pytest.mark.exercise("vdbe-variable")
@pytest.mark.parametrize(
    "bindings, number, name, expected",
    [
        ([10, 20], 1, "?1", 10),
        ([10, 20], 2, "?", 20),
        ([10, 20], 3, "?3", None),
        ((), 1, "?1", None),
        ({"x": 5}, 1, ":x", 5),
        ({"x": 5}, 1, "@x", 5),
        ({"x": 5}, 1, "$x", 5),
        ({"x": 5}, 1, ":y", None),
        ({1: "one"}, 1, "?1", "one"),
        ({"?1": "text key"}, 1, "?1", "text key"),
        ({"2": "by digits"}, 2, "?2", "by digits"),
    ],
)
def test_parameter_lookup(bindings, number, name, expected):
    from vdbe.opcodes.registers import parameter

    assert parameter(bindings, number, name) == expected


@pytest.mark.exercise("vdbe-variable")
def test_variable_opcode_reads_the_bindings():
    program = Program(
        [I("Init", 0, 1), I("Variable", 1, 1, 0, "?1"), I("Variable", 2, 2, 0, ":n"),
         I("ResultRow", 1, 2), I("Halt")]
    )  # fmt: skip
    assert VM(program, bindings={"1": "a", "n": 2}).run() == [["a", 2]]
    assert VM(program, bindings=["a", 2]).run() == [["a", 2]]


@pytest.mark.parametrize(
    "value, mask, jumps",
    [
        ("Integer 7 1", 0x01, True),
        ("Integer 7 1", 0x02 | 0x04 | 0x08 | 0x10, False),
        ("Real 0 1 0 2.5", 0x02, True),
        ("String8 0 1 0 x", 0x04, True),
        ("Blob 1 1 0 x'00'", 0x08, True),
        ("Null 0 1", 0x10, True),
        ("Null 0 1", 0x0F, False),
    ],
)
def test_is_type_jumps_on_the_storage_classes_in_its_mask(value, mask, jumps):
    listing = "\n".join(
        [
            "0 Init 0 1 0",
            f"1 {value}",
            f"2 IsType -1 5 1 5 {mask}",
            "3 Integer 0 2 0",
            "4 Goto 0 6 0",
            "5 Integer 1 2 0",
            "6 ResultRow 2 1 0",
            "7 Halt 0 0 0",
        ]
    )
    assert VM(Program.parse(listing)).run() == [[int(jumps)]]
