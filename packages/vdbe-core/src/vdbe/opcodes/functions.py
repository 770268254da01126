"""Calling SQL functions: scalar functions and the steps of aggregates.

The functions themselves live in `vdbe.functions`; these opcodes find them by the
name and argument count in P4 (a `vdbe.p4.FuncRef`), pass them the argument
registers, and store what they return. An aggregate's running state is a Python
object kept in its accumulator register: AggStep creates it on the first row and
feeds it each row, AggFinal replaces it with the final value.

A function whose result may carry the JSON subtype (see `vdbe.functions.jsonvalue`)
says so with a true `returns_subtype` attribute; once one has run, ResultRow hands the
caller plain text.

Two pieces of context reach a function as keyword arguments, when it declares them:
`coll`, the collating sequence named by a CollSeq just before the call (min, max,
instr and friends compare text with it), and `vm`, the machine itself.
"""

from __future__ import annotations

from vdbe.errors import SqlError
from vdbe.opcodes import opcode
from vdbe.values import JsonText, without_subtype

JSON_SUBTYPE = 74  # the subtype SQLite's JSON functions give their results ('J')


def _accepts(func, name: str) -> bool:
    """Does calling `func` (a class: its __init__) accept the keyword argument `name`?

    For plain Python functions the code object lists the argument names, and a flag
    tells whether there is a `**keywords`; anything else is left to `inspect`, which
    knows every kind of callable but takes a while to import.
    """
    if isinstance(func, type) and func.__init__ is object.__init__:
        return False
    called = func.__init__ if isinstance(func, type) else func
    code = getattr(called, "__code__", None)
    if code is None or hasattr(called, "__wrapped__"):
        return _accepts_by_signature(func, name)
    names = code.co_varnames[: code.co_argcount + code.co_kwonlyargcount]
    return name in names or bool(code.co_flags & _CO_VARKEYWORDS)


_CO_VARKEYWORDS = 0x08  # the code flag for a `**keywords` argument (inspect.CO_VARKEYWORDS)


def _accepts_by_signature(func, name: str) -> bool:
    import inspect

    try:
        parameters = inspect.signature(func).parameters
    except (TypeError, ValueError):
        return False
    return name in parameters or any(p.kind is p.VAR_KEYWORD for p in parameters.values())


class _Bound:
    """A function implementation with the context keywords it accepts."""

    __slots__ = ("func", "wants_coll", "wants_vm", "subtyped")

    def __init__(self, func) -> None:
        self.func = func
        self.wants_coll = _accepts(func, "coll")
        self.wants_vm = _accepts(func, "vm")
        self.subtyped = getattr(func, "returns_subtype", False)

    def context(self, vm) -> dict:
        extra = {}
        if self.wants_coll:
            extra["coll"] = vm.collation
        if self.wants_vm:
            extra["vm"] = vm
        return extra


def _implementation(ref, table: dict) -> _Bound:
    """The function (or aggregate class) `ref` names in `table`, looked up once.

    A table is keyed by (name, argument count), with -1 for "any count". The result is
    cached on the P4 object, so later calls skip the lookup.
    """
    bound = ref.impl
    if bound is None:
        found = table.get((ref.name, ref.argc)) or table.get((ref.name, -1))
        if found is None:
            raise SqlError(f"no such function: {ref.name}")
        bound = ref.impl = _Bound(found)
    return bound


def bind_implementation(ref, func) -> None:
    """Make the call `ref` names run `func` (a function registered by a connection)."""
    ref.impl = _Bound(func)


def _scalar(ref) -> _Bound:
    from vdbe.functions import SCALARS

    return _implementation(ref, SCALARS)


def _aggregate(ref) -> _Bound:
    from vdbe.functions import AGGREGATES

    return _implementation(ref, AGGREGATES)


@opcode(p1="value")
def Function(vm, op):
    """Function P1 P2 P3 P4 *

    Synopsis: r[P3]=func(r[P2@NP])

    Call the scalar function named in P4 with the arguments in the registers starting
    at P2 and store its result in register P3. P1 is a bit mask of the arguments that
    were constant when compiled (SQLite caches per-argument data with it).
    """
    ref = op.p4
    bound = _scalar(ref)
    args = vm.reg[op.p2 : op.p2 + ref.argc]
    if bound.wants_coll or bound.wants_vm:
        vm.reg[op.p3] = bound.func(*args, **bound.context(vm))
    else:
        vm.reg[op.p3] = bound.func(*args)
    if bound.subtyped:
        vm.subtypes = True
    vm.collation = None


@opcode(p1="value")
def PureFunc(vm, op):
    """PureFunc P1 P2 P3 P4 *

    Synopsis: r[P3]=func(r[P2@NP])

    Exactly Function, under another name: SQLite emits it where the call must be
    deterministic (in an index expression or a CHECK constraint), so that
    functions like `date('now')` can refuse to run there.
    """
    return Function(vm, op)


@opcode
def CollSeq(vm, op):
    """CollSeq P1 * * P4

    Name the collating sequence (P4) for the function or aggregate step that comes
    next. If P1 is not zero, register P1 is set to 0 (min() and max() aggregates can
    set it to 1 to report a new extreme).
    """
    vm.collation = op.p4.name if op.p4 is not None else None
    if op.p1:
        vm.reg[op.p1] = 0


def _accumulator(vm, register: int, ref):
    """The aggregate state in `register`, created on first use."""
    state = vm.reg[register]
    if state is None or not hasattr(state, "step"):
        bound = _aggregate(ref)
        state = bound.func(**bound.context(vm))
        vm.reg[register] = state
    return state


@opcode
def AggStep(vm, op):
    """AggStep * P2 P3 P4 P5

    Synopsis: accum=r[P3] step(r[P2@P5])

    Feed one row to the aggregate named in P4: its P5 arguments are in the registers
    starting at P2, its running state in register P3 (created on the first row).
    """
    reg = vm.reg
    try:
        step = reg[op.p3].step
    except AttributeError:  # the group's first row: make its state
        step = _accumulator(vm, op.p3, op.p4).step
    n = op.p5
    if n == 1:
        step(reg[op.p2])  # the usual cases: one argument, or none as in count(*)
    elif n == 0:
        step()
    else:
        step(*reg[op.p2 : op.p2 + n])
    vm.collation = None


@opcode
def AggStep1(vm, op):
    """AggStep1 P1 P2 P3 P4 P5

    Synopsis: accum=r[P3] step(r[P2@P5])

    AggStep (P1 = 0) or AggInverse (P1 = 1). SQLite rewrites AggStep into this form
    after its first run; programs can use either.
    """
    if op.p1:
        return AggInverse(vm, op)
    return AggStep(vm, op)


@opcode
def AggInverse(vm, op):
    """AggInverse * P2 P3 P4 P5

    Synopsis: accum=r[P3] inverse(r[P2@P5])

    Take one row back out of the aggregate in register P3: the opposite of AggStep,
    used by window functions when a row leaves the window frame.
    """
    state = _accumulator(vm, op.p3, op.p4)
    state.inverse(*vm.reg[op.p2 : op.p2 + op.p5])


@opcode
def AggFinal(vm, op):
    """AggFinal P1 P2 * P4 *

    Synopsis: accum=r[P1] N=P2

    Finish the aggregate whose state is in register P1 and store its result there. If
    no row was ever stepped (an empty group), the aggregate's result for no rows is
    stored, such as 0 for count() and NULL for sum(). P2 is the argument count.
    """
    state = _accumulator(vm, op.p1, op.p4)
    vm.reg[op.p1] = state.final()
    if getattr(state, "returns_subtype", False):
        vm.subtypes = True


@opcode
def AggValue(vm, op):
    """AggValue * P2 P3 P4 *

    Synopsis: r[P3]=value N=P2

    Store the current value of the aggregate whose state is in register P1 into
    register P3, leaving the state in place so that more rows can follow. Window
    functions use it to report a running result for each row.
    """
    state = _accumulator(vm, op.p1, op.p4)
    vm.reg[op.p3] = state.value()
    if getattr(state, "returns_subtype", False):
        vm.subtypes = True


@opcode
def ClrSubtype(vm, op):
    """ClrSubtype P1 * * * *

    Synopsis: r[P1].subtype = 0

    Forget the subtype of the value in register P1: JSON text becomes plain text, so
    that a JSON function given it quotes it as a string instead of nesting it.
    """
    vm.reg[op.p1] = without_subtype(vm.reg[op.p1])


@opcode
def GetSubtype(vm, op):
    """GetSubtype P1 P2 * * *

    Synopsis: r[P2] = r[P1].subtype

    Store the subtype of the value in register P1, as an integer, in register P2 (NULL
    when it has none). SQLite 3.45 and later use it to keep the subtype of an argument
    that an aggregate with ORDER BY stores in its ephemeral table until it is read back.
    """
    vm.reg[op.p2] = JSON_SUBTYPE if type(vm.reg[op.p1]) is JsonText else None


@opcode
def SetSubtype(vm, op):
    """SetSubtype P1 P2 * * *

    Synopsis: r[P2].subtype = r[P1]

    Give the value in register P2 the subtype held in register P1, or none if that is
    NULL: the other half of GetSubtype. Only JSON's subtype means anything to the
    functions of this VM, so any other number leaves the value without one.
    """
    subtype, value = vm.reg[op.p1], vm.reg[op.p2]
    if subtype is not None and subtype & 0xFF == JSON_SUBTYPE and isinstance(value, str):
        vm.reg[op.p2] = JsonText(value)
        vm.subtypes = True
    else:
        vm.reg[op.p2] = without_subtype(value)
