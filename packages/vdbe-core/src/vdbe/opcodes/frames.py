"""Sub-programs: how a trigger (or a foreign key's ON DELETE/UPDATE action) runs.

SQLite compiles each trigger into a program of its own and calls it with `Program`,
once per row the statement changes. The call takes a *frame*, as a function call does
in Carrot or in any language: the caller's program, next address, registers and
cursors are put aside, and the trigger runs with fresh registers and cursors of its
own. It reads the row it fires for (OLD and NEW) from the caller's registers with
`Param`. Its closing `Halt` returns to the caller, and `RAISE(IGNORE)` returns to the
address the call named for skipping the rest of the row's work. An error inside a
trigger (a constraint, or `RAISE(ABORT, ...)`) ends the whole statement, not just
the trigger.

A frame here is a small object linked to its caller's, so the chain of frames is
the call stack; the VM's `frame` attribute is the innermost one (None in the main
program).
"""

from __future__ import annotations

from vdbe.errors import SqlError
from vdbe.opcodes import RELOAD, compiled_since, opcode

MAX_TRIGGER_DEPTH = 1000  # SQLITE_MAX_TRIGGER_DEPTH, the default limit


# --8<-- [start:frame]
class Frame:
    """What a Program instruction puts aside to run a sub-program: the caller's state."""

    __slots__ = (
        "program",
        "pc",
        "reg",
        "cursors",
        "once",
        "cleared",
        "changes",
        "last_rowid",
        "call",
        "frame",
        "depth",
    )

    def __init__(self, vm, call) -> None:
        self.program = vm.program  # the caller's program ...
        self.pc = vm.pc  # ... and the address after the call
        self.reg = vm.reg  # the caller's registers (Param reads them)
        self.cursors = vm.cursors
        self.once = vm.once
        self.cleared = vm.cleared
        self.changes = vm.changes
        self.last_rowid = getattr(vm, "last_rowid", None)  # a trigger's inserts do not last
        self.call = call  # the Program instruction that made this frame
        self.frame = vm.frame  # the caller's own frame: the chain is the call stack
        self.depth = 1 if vm.frame is None else vm.frame.depth + 1


def root_registers(vm) -> list:
    """The main program's registers, which AUTOINCREMENT's counters live in."""
    frame = vm.frame
    if frame is None:
        return vm.reg
    while frame.frame is not None:
        frame = frame.frame
    return frame.reg


# --8<-- [end:frame]


# --8<-- [start:program]
@opcode
def Program(vm, op):
    """Program P1 P2 P3 P4 P5

    Run the sub-program P4 (a trigger's program) in a new frame: fresh registers,
    no open cursors, and its own record of which Once instructions have run. P1 is
    the first of the caller's registers holding the row (OLD then NEW), which Param
    reads relative to it; P2 is where to go on when the trigger says RAISE(IGNORE).
    P3, the register SQLite keeps the frame's memory in, needs no use here. When P5
    is set and the same trigger is already running further up the chain of frames,
    nothing happens: without `PRAGMA recursive_triggers`, a trigger does not fire
    itself again.
    """
    sub = op.p4
    if op.p5:
        frame = vm.frame
        while frame is not None:
            if frame.call.p4.token == sub.token:
                return None
            frame = frame.frame
    if vm.frame is not None and vm.frame.depth >= MAX_TRIGGER_DEPTH:
        if compiled_since(3, 54):  # SQLite's words for it, as 3.54 reworded them
            raise SqlError("triggers nested too deep")
        raise SqlError("too many levels of trigger recursion")
    vm.frame = Frame(vm, op)
    if sub.n_registers is None:
        from vdbe.engine import register_count

        sub.n_registers = register_count(sub)
    vm.program, vm.pc = sub, 0
    vm.reg = [None] * sub.n_registers
    vm.cursors, vm.once, vm.cleared = [], set(), set()
    vm.changes = 0
    return RELOAD


# --8<-- [end:program]


def leave_frame(vm, ignore: bool = False) -> None:
    """Return from a sub-program to its caller (see Halt); to the call's P2 on IGNORE."""
    frame = vm.frame
    close_cursors(vm)
    vm.program, vm.pc, vm.reg = frame.program, frame.pc, frame.reg
    vm.cursors, vm.once, vm.cleared = frame.cursors, frame.once, frame.cleared
    vm.changes = frame.changes
    vm.last_rowid = frame.last_rowid
    vm.frame = frame.frame
    if ignore:
        vm.pc = frame.call.p2


def unwind_frames(vm) -> None:
    """Leave every open frame (a statement failed inside a trigger), closing cursors."""
    while vm.frame is not None:
        leave_frame(vm)


def close_cursors(vm) -> None:
    """Close every cursor of the running program (its frame's, inside a sub-program)."""
    cursors = vm.cursors
    for number, cursor in enumerate(cursors):
        if cursor is not None:
            cursor.close()
            cursors[number] = None


# --8<-- [start:param]
@opcode
def Param(vm, op):
    """Param P1 P2 * * *

    Copy into register P2 of this sub-program the caller's register at offset P1
    from the first row register its Program instruction named (that Program's P1).
    A trigger reads `OLD.x` and `NEW.x` so: the caller laid out the old row (rowid,
    then each column) and then the new one, and the compiler knows each column's
    offset.
    """
    frame = vm.frame
    vm.reg[op.p2] = frame.reg[frame.call.p1 + op.p1]


# --8<-- [end:param]


@opcode
def Trace(vm, op):
    """Trace P1 P2 * P4 *

    Mark the start of a trigger's statement; P4 is its text (`-- insert into ...`),
    which SQLite hands to a trace callback when one is set. Running it does nothing
    else.
    """
