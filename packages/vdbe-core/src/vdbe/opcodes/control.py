"""Control flow: where the program goes next.

Jumps assign `vm.pc`; subroutines (Gosub/Return) and coroutines (InitCoroutine/Yield)
keep their return addresses in ordinary registers, as SQLite does, so the VM needs
no separate call stack for them.
"""

from __future__ import annotations

from vdbe.errors import ConstraintError, SqlError
from vdbe.int64 import SMALLEST_INT64
from vdbe.opcodes import HALT, OE_IGNORE, RELOAD, opcode
from vdbe.opcodes.foreignkeys import check_at_statement_end
from vdbe.opcodes.frames import leave_frame
from vdbe.values import is_true, to_text

SQLITE_CONSTRAINT = 19
_CONSTRAINT_KINDS = {1: "NOT NULL", 2: "UNIQUE", 3: "CHECK", 4: "FOREIGN KEY"}
_DEFAULT_MESSAGES = {
    1: "SQL logic error",
    4: "query aborted",
    9: "interrupted",
    19: "constraint failed",
    20: "datatype mismatch",
}


# --8<-- [start:init]
@opcode(p1="value")
def Init(vm, op):
    """Init P1 P2 P3 P4 *

    Synopsis: Start at P2

    The first instruction of every program. It jumps to P2, where SQLite's compiler
    puts the one-time set-up (constants, transactions) that then jumps back to
    address 1. P4, when present, is the statement's text for tracing.
    """
    if op.p2:
        vm.pc = op.p2


# --8<-- [end:init]


# --8<-- [start:goto]
@opcode
def Goto(vm, op):
    """Goto * P2 * * *

    Jump unconditionally to address P2. This is the only operand it uses.
    """
    vm.pc = op.p2


# --8<-- [end:goto]


@opcode
def Noop(vm, op):
    """Noop * * * * *

    Do nothing. SQLite emits it as a placeholder that later code may patch, and as a
    jump target that carries a comment.
    """


@opcode
def Explain(vm, op):
    """Explain P1 P2 P3 P4 *

    One line of EXPLAIN QUERY PLAN: P4 describes a step of the plan, P2 is its id and P3
    its parent's. Running it does nothing. SQLite leaves it in ordinary programs when it
    is built to count loops per plan step (SQLITE_ENABLE_STMT_SCANSTATUS), as some
    packaged builds of newer releases are.
    """


# --8<-- [start:halt]
@opcode(p1="value")
def Halt(vm, op):
    """Halt P1 P2 * P4 P5

    Stop the program. P1 is a result code: 0 ends normally, anything else is an
    error whose message is P4, prefixed by the kind of constraint P5 names (1 NOT NULL,
    2 UNIQUE, 3 CHECK, 4 FOREIGN KEY). P2 says how much to roll back on error: 1 the
    whole transaction (ROLLBACK), 2 the statement (ABORT), 3 nothing (FAIL: the changes
    made so far stay). In a sub-program (a trigger), a normal Halt returns to the
    caller instead, or, when P2 is 4 (`RAISE(IGNORE)`), to the address the caller's
    Program instruction named for skipping the row. A statement that ends leaving
    foreign keys broken fails here (see FkCounter).
    """
    if op.p1 == 0:
        if vm.frame is not None:
            leave_frame(vm, ignore=op.p2 == OE_IGNORE)
            return RELOAD
        if vm.db is not None:
            check_at_statement_end(vm, getattr(vm.db, "autocommit", True))
        return HALT
    vm.error_action = op.p2
    raise halt_error(op, vm)


# --8<-- [end:halt]


def halt_error(op, vm) -> SqlError:
    """The error a Halt with a non-zero P1 reports, with SQLite's message text."""
    detail = op.p4 if isinstance(op.p4, str) and op.p4 else None
    if op.p3 and op.p4 is None:  # a message computed into register P3 (3.47 and later)
        message = to_text(vm.reg[op.p3]) or ""
    elif op.p5 in _CONSTRAINT_KINDS:
        message = f"{_CONSTRAINT_KINDS[op.p5]} constraint failed"
        if detail:
            message = f"{message}: {detail}"
    else:
        message = detail or _DEFAULT_MESSAGES.get(op.p1 & 0xFF, "SQL logic error")
    if op.p1 & 0xFF == SQLITE_CONSTRAINT:
        return ConstraintError(message)
    return SqlError(message)


@opcode
def HaltIfNull(vm, op):
    """HaltIfNull P1 P2 P3 P4 P5

    Synopsis: if r[P3]=null halt

    If register P3 is NULL, halt with the error that P1, P2, P4 and P5 describe, as
    Halt would; otherwise do nothing. SQLite uses it for NOT NULL constraints.
    """
    if vm.reg[op.p3] is None:
        return Halt(vm, op)


@opcode(p1="value")
def Once(vm, op):
    """Once P1 P2 * * *

    Fall through the first time this instruction runs in an execution of the
    program; jump to P2 every later time. Constant subexpressions computed once per
    statement sit behind it.
    """
    key = (id(vm.program), vm.pc)
    if key in vm.once:
        vm.pc = op.p2
    else:
        vm.once.add(key)


# --8<-- [start:gosub]
@opcode
def Gosub(vm, op):
    """Gosub P1 P2 * * *

    Call the subroutine at P2: store this instruction's address in register P1 and
    jump. The subroutine's Return jumps back to the instruction after the Gosub.
    """
    vm.reg[op.p1] = vm.pc - 1
    vm.pc = op.p2


@opcode
def Return(vm, op):
    """Return P1 P2 P3 * *

    Jump to the instruction after the address held in register P1, ending a
    subroutine entered by Gosub. When P3 is 1 and register P1 holds no integer (the
    subroutine was entered by falling into it), do nothing instead.
    """
    target = vm.reg[op.p1]
    if type(target) is int:
        vm.pc = target + 1
    elif op.p3 != 1:
        raise SqlError("Return: register does not hold a return address")


# --8<-- [end:gosub]


@opcode
def BeginSubrtn(vm, op):
    """BeginSubrtn * P2 * * *

    Synopsis: r[P2]=NULL

    Mark the start of a subroutine that can also be reached by falling into it: set
    register P2, the return-address register, to NULL, so that the subroutine's
    Return (with P3 = 1) falls through when no Gosub called it.
    """
    vm.reg[op.p2] = None


@opcode
def InitCoroutine(vm, op):
    """InitCoroutine P1 P2 P3 * *

    Set up a coroutine whose code starts at P3: register P1 gets the address
    before it, so the first Yield enters at P3. Then jump to P2 (if not zero),
    skipping over the coroutine's body.
    """
    vm.reg[op.p1] = op.p3 - 1
    if op.p2:
        vm.pc = op.p2


# --8<-- [start:yield]
@opcode
def Yield(vm, op):
    """Yield P1 P2 * * *

    Swap control with the coroutine whose resume address is in register P1: store
    this instruction's address there and jump to the instruction after the one it
    held. Two routines taking turns this way behave like a generator and its caller.
    """
    resume = vm.reg[op.p1]
    vm.reg[op.p1] = vm.pc - 1
    vm.pc = resume + 1


# --8<-- [end:yield]


@opcode
def EndCoroutine(vm, op):
    """EndCoroutine P1 * * * *

    Finish a coroutine: register P1 holds the address of the Yield that last
    entered it; jump to that Yield's P2, the caller's "no more rows" exit.
    """
    caller = vm.program.instructions[vm.reg[op.p1]]
    vm.reg[op.p1] = None
    vm.pc = caller.p2


@opcode
def If(vm, op):
    """If P1 P2 P3 * *

    Jump to P2 if register P1 is true, that is numeric and not zero. When it is NULL,
    jump only if P3 is not zero.
    """
    value = vm.reg[op.p1]
    truth = value != 0 if type(value) is int else is_true(value)
    if truth or (truth is None and op.p3):
        vm.pc = op.p2


@opcode
def IfNot(vm, op):
    """IfNot P1 P2 P3 * *

    Jump to P2 if register P1 is false, that is numerically zero. When it is NULL,
    jump only if P3 is not zero.
    """
    truth = is_true(vm.reg[op.p1])
    if truth is False or (truth is None and op.p3):
        vm.pc = op.p2


@opcode
def IfPos(vm, op):
    """IfPos P1 P2 P3 * *

    Synopsis: if r[P1]>0 then r[P1]-=P3, goto P2

    If the integer in register P1 is greater than zero, subtract P3 from it and jump
    to P2. LIMIT and OFFSET counters use it.
    """
    value = vm.reg[op.p1]
    if value > 0:
        vm.reg[op.p1] = value - op.p3
        vm.pc = op.p2


@opcode
def IfNotZero(vm, op):
    """IfNotZero P1 P2 * * *

    Synopsis: if r[P1]!=0 then r[P1]--, goto P2

    If the integer in register P1 is not zero, jump to P2, first decrementing it when
    it is positive. A negative counter therefore never reaches zero.
    """
    value = vm.reg[op.p1]
    if value:
        if value > 0:
            vm.reg[op.p1] = value - 1
        vm.pc = op.p2


@opcode
def DecrJumpZero(vm, op):
    """DecrJumpZero P1 P2 * * *

    Synopsis: if (--r[P1])==0 goto P2

    Decrement the integer in register P1 and jump to P2 if it became zero. The
    smallest 64-bit integer is left as it is. A counted loop ends with it.
    """
    value = vm.reg[op.p1]
    if value > SMALLEST_INT64:
        value -= 1
        vm.reg[op.p1] = value
    if value == 0:
        vm.pc = op.p2


@opcode(p1="value")
def Jump(vm, op):
    """Jump P1 P2 P3 * *

    Jump to P1, P2 or P3 as the most recent Compare found its first vector less than,
    equal to, or greater than its second. It always follows a Compare.
    """
    result = vm.compare_result
    vm.pc = op.p1 if result < 0 else (op.p2 if result == 0 else op.p3)
