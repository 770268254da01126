"""The fast path: each function's bytecode translated into Python source, then compiled.

The engine pays for every instruction: a call through the handler table, operand
fetches from ``op``, register reads and writes in a list. The fast path removes that
overhead the way the Linux kernel JIT-compiles eBPF bytecode: it reads a function's
finished vdbe program and writes an equivalent Python function, in which

- registers become local variables (``r1``, ``r2``, ...) and parameters arrive as the
  first of them;
- jumps become structured ``if``/``while`` statements, recovered from the shapes the
  compiler emits (a forward conditional jump is an ``if``, a backward ``Goto`` closes a
  ``while True`` loop, a jump to just past the loop is ``break``);
- the common cases of hot instructions are written inline (two ints added and checked
  for overflow) and everything else calls the very functions the opcode handlers call,
  so both paths share one definition of Carrot's semantics;
- ``Call`` calls the callee's translation directly, passing the call depth.

A program the translator cannot structure (extension opcodes, say) runs on the engine
instead, which remains the reference. ``carrot --no-jit`` or ``CARROT_NO_JIT=1`` forces
the engine, and the test suite runs every golden program both ways.
"""

from __future__ import annotations

import math
from typing import Any

from vdbe.program import Instruction

from carrot.runtime import values
from carrot.runtime.builtins import BUILTINS, call_builtin, check_arity
from carrot.runtime.errors import CarrotRuntimeError
from carrot.runtime.printing import display, echo_text
from carrot.runtime.state import Runtime, depth_error
from carrot.runtime.values import Builtin, Function, Table, type_name


class NotTranslatable(Exception):  # noqa: N818 - a condition, not a failure to report
    """The program has a shape or an opcode the translator does not handle."""


# Opcodes whose result is always a bool: a later jump on it needs no truth test.
BOOL_RESULTS = frozenset(
    {"Bool", "Truth", "CarrotNot", "CarrotEq", "CarrotNe"}
    | {"CarrotLt", "CarrotLe", "CarrotGt", "CarrotGe"}
)
# Opcodes that cannot raise a runtime error, so need no position bookkeeping.
CANNOT_FAIL = frozenset(
    {"Integer", "Int64", "Real", "String8", "Null", "Bool", "Copy", "SCopy", "Goto"}
    | {"Halt", "LoadFunction", "Truth", "CarrotIf", "CarrotIfNot", "CarrotNot"}
    | {"CarrotEq", "CarrotNe", "FnReturn", "SetGlobal"}
)
# Opcodes whose translation records its own address, only on the path that can fail.
SELF_LOCATING = frozenset(
    {"CarrotAdd", "CarrotSubtract", "CarrotMultiply", "GetGlobal"}
    | {"CarrotLt", "CarrotLe", "CarrotGt", "CarrotGe"}
)
JUMPS = frozenset({"Goto", "CarrotIf", "CarrotIfNot", "NextKey"})
INT_BOUNDS = f"{values.INT_MIN} <= _t <= {values.INT_MAX}"


# --8<-- [start:run_fast]
def run_fast(rt: Runtime, compiled: Any) -> bool:
    """Run ``compiled`` translated to Python; False (nothing run) if it cannot be.

    Once one program of a session has needed the engine, every later one runs there
    too: its functions, reachable from globals and tables, have no translation.
    """
    if rt.engine_only:
        return False
    pending = [f for f in compiled.all_functions() if not translated_for(rt, f)]
    try:
        sources = [translate(function) for function in pending]  # all, before any is used
    except NotTranslatable:
        rt.engine_only = True
        return False
    for function, source in zip(pending, sources, strict=True):
        install(rt, function, source)
    compiled.main.fast(0)
    return True


def translated_for(rt: Runtime, function: Function) -> bool:
    return function.fast is not None and function.fast_runtime is rt


def ensure_translated(rt: Runtime, function: Function) -> None:
    """Give ``function`` a ``fast`` Python translation bound to this runtime."""
    if not translated_for(rt, function):
        install(rt, function, translate(function))


def install(rt: Runtime, function: Function, source: str) -> None:
    """Compile a translation with the runtime's helpers and attach it to ``function``."""
    namespace = runtime_namespace(rt, function)
    exec(compile(source, f"<carrot fn {function.name}>", "exec"), namespace)
    function.fast = namespace["carrot_function"]
    function.fast_source = source
    function.fast_runtime = rt
    function.fast_arity = function.arity  # now calls may take the direct route


# --8<-- [end:run_fast]


def runtime_namespace(rt: Runtime, function: Function) -> dict[str, Any]:
    """The globals the generated code sees: helpers bound to one runtime."""
    store = rt.store
    out = rt.out
    max_depth = rt.max_depth

    def table_get(table: Any, key: Any) -> Any:
        if type(table) is not Table:
            raise CarrotRuntimeError(f"cannot index {type_name(table)}")
        return table.store.get(table, key)

    def table_set(table: Any, key: Any, value: Any) -> None:
        if type(table) is not Table:
            raise CarrotRuntimeError(f"cannot index {type_name(table)}")
        table.store.set(table, key, value)

    def next_key(table: Any, after: Any) -> Any:
        if type(table) is not Table:
            raise CarrotRuntimeError(f"cannot iterate over {type_name(table)}")
        return table.store.next_key(table, after)

    def print_values(*args: Any) -> None:
        out.write(" ".join([display(a, store) for a in args]) + "\n")

    def echo(value: Any) -> None:
        if value is not None:
            out.write(echo_text(value, store) + "\n")

    def call_other(fn: Any, args: list[Any], depth: int) -> Any:
        """A call the inline path did not take: a built-in, a wrong arity, a non-function."""
        if type(fn) is Builtin:
            return call_builtin(rt, fn, args)
        if type(fn) is not Function:
            raise CarrotRuntimeError(f"cannot call {type_name(fn)}")
        check_arity(fn, len(args))
        if depth >= max_depth:
            raise depth_error(max_depth)
        ensure_translated(rt, fn)
        return fn.fast(depth + 1, *args)

    def undefined(name: str) -> None:
        raise CarrotRuntimeError(f"name '{name}' is not defined")

    return {
        "__builtins__": {"type": type, "int": int, "KeyError": KeyError},
        "CarrotRuntimeError": CarrotRuntimeError,
        "Function": Function,
        "MAX_DEPTH": max_depth,
        "depth_error": depth_error,
        "G": rt.globals,
        "store": store,
        "rt": rt,
        "BUILTINS": BUILTINS,
        "call_builtin": call_builtin,
        "truthy": values.truthy,
        "equal": values.equal,
        "add": values.add,
        "subtract": values.subtract,
        "multiply": values.multiply,
        "divide": values.divide,
        "remainder": values.remainder,
        "negate": values.negate,
        "less": values.less,
        "less_equal": values.less_equal,
        "greater": values.greater,
        "greater_equal": values.greater_equal,
        "table_get": table_get,
        "table_set": table_set,
        "next_key": next_key,
        "print_values": print_values,
        "echo": echo,
        "call_other": call_other,
        "undefined": undefined,
        "NAME": function.name,
        "POS": function.positions,
        "K": [ins.p4 for ins in function.program.instructions],
    }


# ------------------------------------------------------------------ translation


def translate(function: Function) -> str:
    """Python source defining ``carrot_function(depth, r1, ..., rN)`` for ``function``."""
    if function.kind != "fn":
        raise NotTranslatable(f"a {function.kind} function")  # an extension's own kind
    code = function.program.instructions
    for ins in code:
        if ins.opcode not in TRANSLATORS and ins.opcode not in JUMPS:
            raise NotTranslatable(ins.opcode)
    params = [f"r{i}" for i in range(1, function.arity + 1)]
    others = [f"r{i}" for i in range(function.arity + 1, function.n_registers + 1)]
    writer = Writer(code)
    writer.range(0, len(code), None, 2)
    lines = [f"def carrot_function({', '.join(['depth', *params])}):"]
    if others:
        lines.append(f"    {' = '.join(others)} = None")
    lines.append("    at = 0")
    lines.append("    try:")
    lines.extend(writer.lines or ["        pass"])
    lines.append("    except CarrotRuntimeError as error:")
    lines.append("        error.add_frame(NAME, *POS[at])")
    lines.append("        raise")
    lines.append("    return None")
    return "\n".join(lines) + "\n"


class Loop:
    def __init__(self, top: int, end: int) -> None:
        self.top = top
        self.end = end


# --8<-- [start:structure]
class Writer:
    """Turns a range of instructions into indented Python statements.

    ``range(lo, hi)`` assumes control enters at ``lo`` and leaves by falling through
    to ``hi``; every jump must go to a place the structure can name: inside the range
    (an ``if``), the top of the enclosing loop (``continue``) or just past it (``break``).
    """

    def __init__(self, code: list[Instruction]) -> None:
        self.code = code
        self.lines: list[str] = []
        self.bools: set[int] = set()  # registers known to hold a bool right now
        self.ints: dict[int, int] = {}  # registers known to hold this int constant
        # loop headers: target -> address of the last backward Goto that closes the loop
        self.closers: dict[int, int] = {}
        for address, ins in enumerate(code):
            if ins.opcode == "Goto" and ins.p2 <= address:
                self.closers[ins.p2] = max(self.closers.get(ins.p2, -1), address)

    def out(self, depth: int, text: str) -> None:
        self.lines.append("    " * depth + text)

    def range(self, lo: int, hi: int, loop: Loop | None, depth: int, skip_loop: int = -1) -> None:
        start = len(self.lines)
        i = lo
        while i < hi:
            closer = self.closers.get(i)
            if closer is not None and i != skip_loop and closer < hi:
                self.out(depth, "while True:")
                self.forget()  # the loop is also entered from its end
                self.range(i, closer, Loop(i, closer + 1), depth + 1, skip_loop=i)
                self.forget()
                i = closer + 1
                continue
            ins = self.code[i]
            if ins.opcode == "Goto":
                self.goto(ins.p2, i, hi, loop, depth)
            elif ins.opcode in ("CarrotIf", "CarrotIfNot"):
                i = self.conditional(ins, i, hi, loop, depth)
                continue
            elif ins.opcode == "NextKey":
                self.next_key(ins, i, loop, depth)
            else:
                self.straight(ins, i, depth)
            i += 1
        if len(self.lines) == start:
            self.out(depth, "pass")

    def goto(self, target: int, i: int, hi: int, loop: Loop | None, depth: int) -> None:
        if loop is not None and target == loop.top:
            self.out(depth, "continue")
        elif loop is not None and target == loop.end:
            self.out(depth, "break")
        elif target == hi and i == hi - 1:
            pass  # falls through to the end of the range anyway
        else:
            raise NotTranslatable(f"goto {target} at {i}")

    def condition(self, ins: Instruction) -> str:
        """The Python test that is true when the jump is taken."""
        register = f"r{ins.p1}"
        test = register if ins.p1 in self.bools else f"truthy({register})"
        return test if ins.opcode == "CarrotIf" else f"not {test}"

    def conditional(self, ins: Instruction, i: int, hi: int, loop: Loop | None, depth: int) -> int:
        """Translate a conditional jump; return the address to continue at."""
        target, taken = ins.p2, self.condition(ins)
        if loop is not None and target == loop.end:
            self.out(depth, f"if {taken}:")
            self.out(depth + 1, "break")
            return i + 1
        if loop is not None and target == loop.top:
            self.out(depth, f"if {taken}:")
            self.out(depth + 1, "continue")
            return i + 1
        if not i < target <= hi:
            raise NotTranslatable(f"jump {target} at {i}")
        last = self.code[target - 1]
        not_taken = taken[4:] if taken.startswith("not ") else f"not {taken}"
        self.out(depth, f"if {not_taken}:")
        before = self.facts()  # what is known where the jump lands
        if target - 1 > i and last.opcode == "Goto" and target <= last.p2 <= hi:
            # if/else: the then-part ends by jumping over the else-part
            self.range(i + 1, target - 1, loop, depth + 1)
            after_then = self.facts()
            self.out(depth, "else:")
            self.bools, self.ints = before
            self.range(target, last.p2, loop, depth + 1)
            self.merge(after_then)
            return last.p2
        self.range(i + 1, target, loop, depth + 1)
        self.merge(before)
        return target

    def facts(self) -> tuple[set[int], dict[int, int]]:
        return set(self.bools), dict(self.ints)

    def merge(self, other: tuple[set[int], dict[int, int]]) -> None:
        """Where two paths join, keep only what holds on both."""
        bools, ints = other
        self.bools &= bools
        self.ints = {r: v for r, v in self.ints.items() if ints.get(r) == v}

    def forget(self) -> None:
        self.bools = set()
        self.ints = {}

    def operand(self, register: int) -> str:
        """A register as an expression: its constant when it is known to hold one."""
        value = self.ints.get(register)
        return f"r{register}" if value is None else repr(value)

    def int_test(self, *registers: int) -> str:
        """The Python test that every one of ``registers`` holds an int."""
        tests = [f"r{r}.__class__ is int" for r in registers if r not in self.ints]
        return " and ".join(tests) or "True"

    # --8<-- [end:structure]

    def next_key(self, ins: Instruction, i: int, loop: Loop | None, depth: int) -> None:
        if loop is None or ins.p2 != loop.end or i != loop.top:
            raise NotTranslatable(f"NextKey at {i}")
        self.out(depth, f"at = {i}")
        self.out(depth, f"_k = next_key(r{ins.p1}, r{ins.p3})")
        self.out(depth, "if _k is None:")
        self.out(depth + 1, "break")
        self.out(depth, f"r{ins.p3} = _k")
        self.bools.discard(ins.p3)
        self.ints.pop(ins.p3, None)

    def straight(self, ins: Instruction, i: int, depth: int) -> None:
        if ins.opcode not in CANNOT_FAIL and ins.opcode not in SELF_LOCATING:
            self.out(depth, f"at = {i}")
        for line in TRANSLATORS[ins.opcode](ins, i, self):
            self.out(depth, line)
        written = WRITES.get(ins.opcode)
        if written is not None:
            register = getattr(ins, written)
            if ins.opcode in BOOL_RESULTS:
                self.bools.add(register)
            else:
                self.bools.discard(register)
            if ins.opcode == "Integer":
                self.ints[register] = ins.p1
            else:
                self.ints.pop(register, None)


# Which operand names the register an opcode writes.
WRITES = {
    "Integer": "p2",
    "Int64": "p2",
    "Real": "p2",
    "String8": "p2",
    "Null": "p2",
    "Bool": "p2",
    "Copy": "p2",
    "SCopy": "p2",
    "LoadFunction": "p2",
    "Negate": "p2",
    "CarrotNot": "p2",
    "Truth": "p2",
    "NewTable": "p2",
    "GetField": "p2",
    "GetGlobal": "p2",
    "CarrotAdd": "p3",
    "CarrotSubtract": "p3",
    "CarrotMultiply": "p3",
    "CarrotDivide": "p3",
    "CarrotRemainder": "p3",
    "CarrotEq": "p3",
    "CarrotNe": "p3",
    "CarrotLt": "p3",
    "CarrotLe": "p3",
    "CarrotGt": "p3",
    "CarrotGe": "p3",
    "TableGet": "p3",
    "Call": "p3",
    "CallBuiltin": "p3",
}


# ------------------------------------------------------------ one instruction each
def _constant(ins: Instruction, i: int) -> str:
    value = ins.p4
    if type(value) is float and not math.isfinite(value):
        return f"K[{i}]"
    return repr(value)


# --8<-- [start:arith]
def _arith(symbol: str, fallback: str, swapped: bool):
    """Two ints inline, with SQLite's overflow check; every other case calls ``fallback``."""

    def emit(ins: Instruction, i: int, w: Writer) -> list[str]:
        a, b = (ins.p2, ins.p1) if swapped else (ins.p1, ins.p2)
        ra, rb, rc = w.operand(a), w.operand(b), f"r{ins.p3}"
        return [
            f"if {w.int_test(a, b)} and "
            f"{INT_BOUNDS.replace('_t', f'(_t := {ra} {symbol} {rb})', 1)}:",
            f"    {rc} = _t",
            "else:",
            f"    at = {i}",
            f"    {rc} = {fallback}({ra}, {rb})",
        ]

    return emit


# --8<-- [end:arith]


def _compare(symbol: str, fallback: str, negate: bool = False):
    def emit(ins: Instruction, i: int, w: Writer) -> list[str]:
        ra, rb, rc = w.operand(ins.p1), w.operand(ins.p2), f"r{ins.p3}"
        slow = f"{'not ' if negate else ''}{fallback}({ra}, {rb})"
        if ins.opcode not in SELF_LOCATING:  # equality never fails
            return [f"{rc} = {ra} {symbol} {rb} if {w.int_test(ins.p1, ins.p2)} else {slow}"]
        return [
            f"if {w.int_test(ins.p1, ins.p2)}:",
            f"    {rc} = {ra} {symbol} {rb}",
            "else:",
            f"    at = {i}",
            f"    {rc} = {slow}",
        ]

    return emit


def _truth(ins: Instruction, i: int, w: Writer) -> list[str]:
    if ins.p1 in w.bools:
        return [] if ins.p1 == ins.p2 else [f"r{ins.p2} = r{ins.p1}"]
    return [f"r{ins.p2} = truthy(r{ins.p1})"]


def _not(ins: Instruction, i: int, w: Writer) -> list[str]:
    if ins.p1 in w.bools:
        return [f"r{ins.p2} = not r{ins.p1}"]
    return [f"r{ins.p2} = not truthy(r{ins.p1})"]


def _get_global(ins: Instruction, i: int, w: Writer) -> list[str]:
    return [
        "try:",
        f"    r{ins.p2} = G[{ins.p4!r}]",
        "except KeyError:",
        f"    at = {i}",
        f"    undefined({ins.p4!r})",
    ]


# --8<-- [start:call]
def _call(ins: Instruction, i: int, w: Writer) -> list[str]:
    args = [f"r{ins.p1 + 1 + k}" for k in range(ins.p2)]
    fn = f"r{ins.p1}"
    return [
        f"if {fn}.__class__ is Function and {fn}.fast_arity == {ins.p2}:",
        "    if depth >= MAX_DEPTH:",
        "        raise depth_error(MAX_DEPTH)",
        f"    r{ins.p3} = {fn}.fast({', '.join(['depth + 1', *args])})",
        "else:",
        f"    r{ins.p3} = call_other({fn}, [{', '.join(args)}], depth)",
    ]


# --8<-- [end:call]


def _call_builtin(ins: Instruction, i: int, w: Writer) -> list[str]:
    args = ", ".join(f"r{ins.p1 + k}" for k in range(ins.p2))
    return [f"r{ins.p3} = call_builtin(rt, BUILTINS[{ins.p4!r}], [{args}])"]


def _print(ins: Instruction, i: int, w: Writer) -> list[str]:
    if ins.p5:
        return [f"echo(r{ins.p1})"]
    args = ", ".join(f"r{ins.p1 + k}" for k in range(ins.p2))
    return [f"print_values({args})"]


def _null(ins: Instruction, i: int, w: Writer) -> list[str]:
    last = max(ins.p2, ins.p3)
    return [" = ".join(f"r{k}" for k in range(ins.p2, last + 1)) + " = None"]


def _copy(ins: Instruction, i: int, w: Writer) -> list[str]:
    return [f"r{ins.p2 + k} = r{ins.p1 + k}" for k in range(ins.p3 + 1)]


TRANSLATORS = {
    "Integer": lambda ins, i, w: [f"r{ins.p2} = {ins.p1}"],
    "Int64": lambda ins, i, w: [f"r{ins.p2} = {_constant(ins, i)}"],
    "Real": lambda ins, i, w: [f"r{ins.p2} = {_constant(ins, i)}"],
    "String8": lambda ins, i, w: [f"r{ins.p2} = {_constant(ins, i)}"],
    "Null": _null,
    "Bool": lambda ins, i, w: [f"r{ins.p2} = {ins.p1 != 0}"],
    "Copy": _copy,
    "SCopy": lambda ins, i, w: [f"r{ins.p2} = r{ins.p1}"],
    "Halt": lambda ins, i, w: ["return None"],
    "LoadFunction": lambda ins, i, w: [f"r{ins.p2} = K[{i}]"],
    "CarrotAdd": _arith("+", "add", False),
    "CarrotSubtract": _arith("-", "subtract", True),
    "CarrotMultiply": _arith("*", "multiply", False),
    "CarrotDivide": lambda ins, i, w: [f"r{ins.p3} = divide(r{ins.p2}, r{ins.p1})"],
    "CarrotRemainder": lambda ins, i, w: [f"r{ins.p3} = remainder(r{ins.p2}, r{ins.p1})"],
    "Negate": lambda ins, i, w: [f"r{ins.p2} = negate(r{ins.p1})"],
    "CarrotNot": _not,
    "Truth": _truth,
    "CarrotEq": _compare("==", "equal"),
    "CarrotNe": _compare("!=", "equal", negate=True),
    "CarrotLt": _compare("<", "less"),
    "CarrotLe": _compare("<=", "less_equal"),
    "CarrotGt": _compare(">", "greater"),
    "CarrotGe": _compare(">=", "greater_equal"),
    "NewTable": lambda ins, i, w: [f"r{ins.p2} = store.new_table()"],
    "TableGet": lambda ins, i, w: [f"r{ins.p3} = table_get(r{ins.p1}, r{ins.p2})"],
    "TableSet": lambda ins, i, w: [f"table_set(r{ins.p1}, r{ins.p2}, r{ins.p3})"],
    "GetField": lambda ins, i, w: [f"r{ins.p2} = table_get(r{ins.p1}, K[{i}])"],
    "SetField": lambda ins, i, w: [f"table_set(r{ins.p1}, K[{i}], r{ins.p3})"],
    "GetGlobal": _get_global,
    "SetGlobal": lambda ins, i, w: [f"G[{ins.p4!r}] = r{ins.p1}"],
    "Print": _print,
    "Call": _call,
    "CallBuiltin": _call_builtin,
    "FnReturn": lambda ins, i, w: [f"return r{ins.p1}"],
}


def register_translator(opcode: str, translator: Any) -> None:
    """Let an extension's opcode run on the fast path too.

    ``translator(instruction, address, writer)`` returns the Python lines that do what
    the opcode's handler does; the generated code sees the runtime as ``rt``. An opcode
    without a translator sends every program that uses it to the engine.
    """
    TRANSLATORS[opcode] = translator
