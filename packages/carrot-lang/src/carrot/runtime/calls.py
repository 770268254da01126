"""Calls with frames and return values: the ``Call``, ``CallBuiltin`` and ``FnReturn`` opcodes.

SQLite runs a trigger as a *sub-program*: ``OP_Program`` saves the running program,
its registers and its address in a ``VdbeFrame``, gives the sub-program fresh
registers, and jumps to its first instruction; ``OP_Param`` lets the sub-program read
the caller's registers. Carrot calls work the same way, with two simplifications: the
arguments are copied into the callee's first registers when the frame is made (so no
``Param`` is needed), and ``FnReturn`` hands one value back into a register the caller
chose. Both tell the engine loop to ``RELOAD``, because the program it was running
has changed under it.
"""

from __future__ import annotations

from typing import Any

from vdbe.opcodes import RELOAD, opcode

from carrot.runtime.builtins import BUILTINS, call_builtin, check_arity
from carrot.runtime.errors import CarrotRuntimeError
from carrot.runtime.state import Frame, depth_error
from carrot.runtime.values import Builtin, Function, type_name

CARROT = "carrot"


# --8<-- [start:Call]
@opcode(extension=CARROT, writes="p3")
def Call(vm, op):
    """Call P1 P2 P3 * *

    Synopsis: r[P3]=call r[P1] with P2 args

    Call the function value in register P1 with the P2 arguments in the registers
    after it, and store its result in P3. For a Carrot function this pushes a frame
    (the caller's function, resume address, registers and P3), gives the callee a new
    register file with the arguments in registers 1 to P2, and continues at the
    callee's address 0. A built-in runs at once. Calling a value that is not a
    function, with the wrong number of arguments, or deeper than the depth limit is a
    runtime error.
    """
    reg = vm.reg
    fn = reg[op.p1]
    n_args = op.p2
    if type(fn) is Function:
        rt = vm.carrot
        if fn.arity != n_args or len(rt.frames) >= rt.max_depth:
            check_call(fn, n_args, len(rt.frames), rt.max_depth)
        registers = [None] * (fn.n_registers + 1)
        registers[1 : n_args + 1] = reg[op.p1 + 1 : op.p1 + 1 + n_args]
        rt.frames.append(Frame(rt.function, vm.pc, reg, op.p3))
        rt.function = fn
        vm.program = fn.program
        vm.reg = registers
        vm.pc = 0
        return RELOAD
    reg[op.p3] = call_value(vm.carrot, fn, reg[op.p1 + 1 : op.p1 + 1 + n_args])
    return None


def check_call(fn: Function, n_args: int, depth: int, max_depth: int) -> None:
    """The errors of calling a Carrot function: a wrong argument count, then the depth
    limit (``depth`` calls are already active)."""
    check_arity(fn, n_args)
    if depth >= max_depth:
        raise depth_error(max_depth)


def call_value(rt: Any, fn: Any, args: list[Any]) -> Any:
    """Call a value that is not a Carrot function: a built-in runs, anything else fails."""
    if type(fn) is Builtin:
        check_arity(fn, len(args))
        return fn.impl(rt, args)
    raise CarrotRuntimeError(f"cannot call {type_name(fn)}")


# --8<-- [end:Call]


# --8<-- [start:FnReturn]
@opcode(extension=CARROT)
def FnReturn(vm, op):
    """FnReturn P1 * * * *

    Synopsis: return r[P1]

    Return from the running Carrot function with the value of register P1: pop the
    caller's frame, restore its program, registers and resume address, and store the
    value in the register its ``Call`` named. (SQLite's ``Return`` is the other half
    of ``Gosub``, a jump within one program; this one crosses programs.)
    """
    value = vm.reg[op.p1]
    rt = vm.carrot
    frame = rt.frames.pop()
    rt.function = frame.function
    vm.program = frame.function.program
    vm.reg = frame.registers
    vm.pc = frame.pc
    frame.registers[frame.result] = value
    return RELOAD


# --8<-- [end:FnReturn]


@opcode(extension=CARROT, writes="p3")
def CallBuiltin(vm, op):
    """CallBuiltin P1 P2 P3 P4 *

    Synopsis: r[P3]=P4(r[P1@P2])

    Call the built-in function named P4 with the P2 arguments in registers P1
    onwards and store its result in P3. The compiler emits this, instead of a
    ``GetGlobal`` and a ``Call``, when a call names a built-in that no global of the
    program shadows, much as SQLite's ``Function`` names its SQL function in P4.
    """
    reg = vm.reg
    reg[op.p3] = call_builtin(vm.carrot, BUILTINS[op.p4], reg[op.p1 : op.p1 + op.p2])
