"""The fast path: each function's bytecode translated into Python source, then compiled.

The engine pays for every instruction: a call through the handler table, operand
fetches from ``op``, register reads and writes in a list. The fast path removes that
overhead the way the Linux kernel JIT-compiles eBPF bytecode: it reads a function's
finished vdbe program and writes an equivalent Python function, in which

- registers become local variables (``r1``, ``r2``, ...) and parameters arrive as the
  first of them;
- jumps become structured ``if``/``while`` statements, recovered from the shapes the
  compiler emits (a forward conditional jump is an ``if``, a backward ``Goto`` closes a
  ``while True`` loop, a jump to just past the loop is ``break``), and a comparison
  that only feeds a jump becomes that ``if``'s test;
- what is known about each register (a bool, an int constant, an int, a number) is
  followed through the code, so an addition of two numbers needs no type test, and
  adding a positive constant only the upper 64-bit overflow check; a function whose
  parameters arrive as ints, and a loop whose unchanging operands are ints, run a
  copy of their code specialised for ints;
- everything but those common cases calls the very functions the opcode handlers
  call, so both paths share one definition of Carrot's semantics;
- ``Call`` of a function of the same program calls its translation directly, with
  no lookup where its global cannot change while the program runs (then what the
  call returns is known too), and through ``carrot_ints``, the int copy alone, when
  the arguments are known ints;
- a comparison of ints that decides a jump bounds them, so arithmetic whose result
  cannot leave the 64-bit range needs no overflow check;
- positions cost nothing while nothing fails: a failing line is found from the
  Python traceback and mapped back to its instruction.

A program the translator cannot structure (extension opcodes, say) runs on the engine
instead, which remains the reference. ``carrot --no-jit`` or ``CARROT_NO_JIT=1`` forces
the engine, and the test suite runs every golden program both ways.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterable, Sequence
from functools import partial
from typing import Any

import vdbe.opcodes.control
import vdbe.opcodes.registers  # noqa: F401 - with control: the declarations of their opcodes
from vdbe.opcodes import OPCODES
from vdbe.program import Instruction

from carrot.runtime import calls, opcodes, printing, values
from carrot.runtime.builtins import BUILTINS, call_builtin
from carrot.runtime.errors import CarrotRuntimeError, out_of_memory
from carrot.runtime.state import Runtime, depth_error
from carrot.runtime.values import INT_MAX, INT_MIN, Function


class NotTranslatable(Exception):  # noqa: N818 - a condition, not a failure to report
    """The program has a shape or an opcode the translator does not handle."""


JUMPS = frozenset({"Goto", "CarrotIf", "CarrotIfNot", "NextKey"})
# Functions longer than this are translated once, without an int-specialised copy.
SPECIALISE_LIMIT = 400


# --8<-- [start:run_fast]
def run_fast(rt: Runtime, compiled: Any) -> bool:
    """Run ``compiled`` translated to Python; False (nothing run) if it cannot be.

    Once one program of a session has needed the engine, every later one runs there
    too: its functions, reachable from globals and tables, have no translation.
    """
    if rt.engine_only:
        return False
    functions = compiled.all_functions()
    drop_stale_bindings(rt, functions)
    pending = [f for f in functions if not translated_for(rt, f)]
    known = known_functions(functions)
    bound = bindable_names(functions, known, bindings(rt).written)
    try:
        returns = return_facts(known, bound) if pending else {}
        top = functions[0]  # it may read a name before declaring it: never bound there
        translations = [
            Translation(f, known, bound if f is not top else frozenset(), returns) for f in pending
        ]
    except NotTranslatable:
        rt.engine_only = True
        return False
    namespaces = [install(rt, t) for t in translations]
    for namespace in namespaces:  # direct calls reach the translations just made
        for index, function in enumerate(known):
            namespace[f"J{index}"] = function.fast
            namespace[f"I{index}"] = function.fast_ints
    if pending:
        # the top level runs once: kept, a REPL would hold every line it was given
        bindings(rt).translated.extend(f for f in pending if f is not top)
        bindings(rt).bound.update((f.name, f) for f in known if f.name in bound)
    compiled.main.fast(0)
    return True


def out_of_memory_in(
    name: str, positions: list[tuple[int, int]], addresses: list[int], exhausted: MemoryError
) -> CarrotRuntimeError:
    """The program's "out of memory" error, at the line of a translation that ran out.
    With no memory left Python may record no traceback: then it names the function's start."""
    error = out_of_memory()
    trace = exhausted.__traceback__
    address = addresses[trace.tb_lineno] if trace is not None else 0
    error.add_frame(name, *positions[address])
    return error


def translated_for(rt: Runtime, function: Function) -> bool:
    return function.fast is not None and function.fast_runtime is rt


def ensure_translated(rt: Runtime, function: Function) -> None:
    """Give ``function`` a ``fast`` Python translation bound to this runtime."""
    if not translated_for(rt, function):
        install(rt, Translation(function, []))


def install(rt: Runtime, translation: Translation) -> dict[str, Any]:
    """Compile a translation with the runtime's helpers and attach it to its function."""
    function = translation.function
    namespace = runtime_namespace(rt, translation)
    exec(compile(translation.source, f"<carrot fn {function.name}>", "exec"), namespace)
    function.fast = namespace["carrot_function"]
    function.fast_ints = namespace.get("carrot_ints", function.fast)
    function.fast_runtime = rt
    return namespace


# --8<-- [end:run_fast]


# --8<-- [start:binding]
class Bindings:
    """What a runtime's translations rely on about its globals.

    ``bound``: each global name some translation calls without looking it up, and the
    function it must hold; ``translated``: the functions translated alongside them
    (they call each other directly); ``written``: the globals that a function (not a
    program's top level, which runs once) of some program run here may assign.
    """

    def __init__(self) -> None:
        self.bound: dict[str, Function] = {}
        self.translated: list[Function] = []
        self.written: set[str] = set()


def bindings(rt: Runtime) -> Bindings:
    if rt.bindings is None:
        rt.bindings = Bindings()
    return rt.bindings


def bindable_names(
    functions: list[Function], known: list[Function], written: set[str] = frozenset()
) -> frozenset[str]:
    """The known functions' names that surely name them whenever a function of this
    program runs, so its calls need not look them up.

    A function can be rebound (assigning its global, or a later ``fn`` of its name),
    so a name is bound only when nothing can: the program's top level declares it
    before its first call (no function of the program can run earlier), no other
    instruction of the program assigns it, and no function of an earlier program run
    in this runtime (``written``) assigns it. :func:`drop_stale_bindings` undoes the
    binding when a later program, or the host, changes the global after all.
    """
    main = functions[0].program.instructions
    first_call = next((i for i, ins in enumerate(main) if ins.opcode not in CALLS_NOTHING), None)
    declared = declarations(main[:first_call])
    assigned: dict[str, int] = {}
    for function in functions:
        for ins in function.program.instructions:
            if ins.opcode == "SetGlobal":
                assigned[ins.p4] = assigned.get(ins.p4, 0) + 1
    return frozenset(
        f.name
        for f in known
        if declared.get(f.name) is f and assigned[f.name] == 1 and f.name not in written
    )


def declarations(code: Sequence[Instruction]) -> dict[str, Function]:
    """The ``fn`` declarations in ``code``: a ``LoadFunction`` stored by ``SetGlobal``."""
    return {code[i].p4: code[i - 1].p4 for i in range(len(code)) if is_declaration(code, i)}


def is_declaration(code: Sequence[Instruction], i: int) -> bool:
    ins = code[i]
    if ins.opcode != "SetGlobal" or i == 0:
        return False
    before = code[i - 1]
    return (
        before.opcode == "LoadFunction"
        and before.p2 == ins.p1
        and getattr(before.p4, "name", None) == ins.p4
    )


def drop_stale_bindings(rt: Runtime, functions: list[Function]) -> None:
    """Before ``functions`` run: if a global some translation calls directly no longer
    holds its function, or this program may assign it otherwise than by declaring
    that very function, every translation made with bindings is dropped (the functions
    of earlier programs are translated again, without them, when next called)."""
    fast = bindings(rt)
    main, *others = functions
    new_writes = {
        ins.p4
        for function in others
        for ins in function.program.instructions
        if ins.opcode == "SetGlobal"
    }
    own = declarations(main.program.instructions)
    top = main.program.instructions
    declaring = {i for i, ins in enumerate(top) if ins.p4 in own and is_declaration(top, i)}
    top_writes = {
        ins.p4 for i, ins in enumerate(top) if ins.opcode == "SetGlobal" and i not in declaring
    }
    stale = any(
        rt.globals.get(name) is not function
        or name in new_writes
        or name in top_writes
        or own.get(name, function) is not function
        for name, function in fast.bound.items()
    )
    if stale:
        for function in fast.translated:
            if function.fast_runtime is rt:
                function.fast = function.fast_ints = function.fast_runtime = None
        fast.bound.clear()
        fast.translated.clear()
    fast.written |= new_writes


# --8<-- [end:binding]


def known_functions(functions: list[Function]) -> list[Function]:
    """The program's functions a call may name directly: one per global name
    (``functions`` starts with ``<main>``, which no call names)."""
    by_name: dict[str, list[Function]] = {}
    for function in functions[1:]:
        by_name.setdefault(function.name, []).append(function)
    return [found[0] for found in by_name.values() if len(found) == 1]


def runtime_namespace(rt: Runtime, translation: Translation) -> dict[str, Any]:
    """The globals the generated code sees: the runtime's shared semantics, bound."""
    function = translation.function
    max_depth = rt.max_depth

    def call_other(fn: Any, args: list[Any], depth: int) -> Any:
        """A call the direct route did not take: any other function value, or none."""
        if type(fn) is Function:
            calls.check_call(fn, len(args), depth, max_depth)
            ensure_translated(rt, fn)
            return fn.fast(depth + 1, *args)
        return calls.call_value(rt, fn, args)

    namespace = {
        "__builtins__": {"KeyError": KeyError, "MemoryError": MemoryError},
        "CarrotRuntimeError": CarrotRuntimeError,
        "int": int,
        "G": rt.globals,
        "rt": rt,
        "BUILTINS": BUILTINS,
        "call_builtin": call_builtin,
        "call_other": call_other,
        "MAX_DEPTH": max_depth,
        "depth_error": depth_error,
        "out_of_memory_in": out_of_memory_in,
        "NAME": function.name,
        "POS": function.positions,
        "AT": translation.addresses,
        "K": [ins.p4 for ins in function.program.instructions],
    }
    namespace.update(SHARED)
    for index, known in enumerate(translation.known):
        namespace[f"F{index}"] = known
    return namespace


# The runtime functions that generated code calls: the handlers' own definitions.
SHARED = {
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
    "table_get": opcodes.table_get,
    "table_set": opcodes.table_set,
    "for_entries": opcodes.for_entries,
    "print_values": printing.print_values,
    "echo": printing.echo,
}


# ------------------------------------------------------------------ translation


def translate(function: Function, program: Sequence[Function] = ()) -> str:
    """Python source defining ``carrot_function(depth, r1, ..., rN)`` for ``function``,
    calling the other functions of ``program`` directly."""
    functions = list(program)
    known = known_functions(functions)
    bound = bindable_names(functions, known) if functions else frozenset()
    returns = return_facts(known, bound)
    if functions and function is functions[0]:
        bound = frozenset()  # the top level may read a name before declaring it
    return Translation(function, known, bound, returns).source


class Translation:
    """One function's Python source, and the instruction address of each of its lines.

    The bytecode is written out twice: the first pass learns which registers each
    instruction's Python really reads (a register known to hold a constant is not
    read), from which a liveness analysis finds the stores nobody reads; the second
    pass writes the final source without them.
    """

    def __init__(
        self,
        function: Function,
        known: list[Function],
        bound: frozenset[str] = frozenset(),
        returns: Returns | None = None,
    ) -> None:
        code = function.program.instructions
        for ins in code:
            if ins.opcode not in TRANSLATORS and ins.opcode not in JUMPS:
                raise NotTranslatable(ins.opcode)
        self.function = function
        self.known = known
        first = Writer(function, known, None, bound, returns)
        first.body()
        second = Writer(function, known, live_after(code, first.reads), bound, returns)
        second.body()
        unset = live_on_entry(code, second.reads, live_after(code, second.reads))
        self.source, self.addresses = second.source(unset)


# --8<-- [start:returns]
# What a call of a bound function returns: by the callee's index, (the fact of its
# result, the parameters that must hold ints for the fact to hold).
Returns = dict[int, tuple[tuple, list[int]]]


def return_facts(known: list[Function], bound: frozenset[str]) -> Returns:
    """What each bound function returns when its numeric parameters hold ints.

    Found optimistically, as a type checker infers a recursive function's type: guess
    that every one returns an int, translate each knowing its calls return what the
    guesses say, and weaken the guesses by what the returns really give until they
    agree. Where they agree the guess holds for every call that returns, by induction
    on how deep its calls go: ``fib``'s ints come back as ints or, past an overflow,
    floats, so ``fib(n - 1) + fib(n - 2)`` adds two numbers with no type test.
    """
    indices = [i for i, f in enumerate(known) if f.name in bound]
    guesses = {i: (("int", None), numeric_params(known[i])) for i in indices}
    for _ in range(5):
        found = {}
        for i in indices:
            writer = Writer(known[i], known, None, bound, guesses)
            writer.body()
            found[i] = (meet_returns(guesses[i][0], writer.returned), guesses[i][1])
        if found == guesses:
            return guesses
        guesses = found
    return {}


def coarse(fact: tuple) -> tuple:
    """A returned value's fact as a call's result keeps it: its kind alone."""
    if fact[:1] == ("int",):
        return ("int", None)
    return fact if fact[:1] in (("num",), ("bool",)) else ()


def meet_returns(a: tuple, b: tuple | None) -> tuple:
    if b is None or a == b:
        return a
    return ("num",) if a[:1] in (("int",), ("num",)) and b[:1] in (("int",), ("num",)) else ()


# --8<-- [end:returns]


# --8<-- [start:liveness]
def successors(code: list[Instruction], i: int) -> list[int]:
    """Where control may go after instruction ``i``."""
    ins = code[i]
    name = ins.opcode
    if name == "Goto":
        return [ins.p2]
    if name in ("FnReturn", "Halt"):
        return []
    following = [i + 1] if i + 1 < len(code) else []
    return [*following, ins.p2] if name in JUMPS else following


def live_after(code: list[Instruction], reads: list[set[int]]) -> list[set[int]]:
    """For each instruction, the registers some later instruction may read before
    writing them: the classic backward data-flow analysis, run to a fixed point."""
    writes = [killed_registers(ins) for ins in code]
    after: list[set[int]] = [set() for _ in code]
    changed = True
    while changed:
        changed = False
        for i in range(len(code) - 1, -1, -1):
            out: set[int] = set()
            for j in successors(code, i):
                out |= reads[j] | (after[j] - writes[j])
            if out != after[i]:
                after[i] = out
                changed = True
    return after


def killed_registers(ins: Instruction) -> set[int]:
    """The registers an instruction surely writes. A jump's write (NextKey's key)
    happens on one way out only: it kills nothing."""
    return set() if ins.opcode in JUMPS else set(written_registers(ins))


def live_on_entry(
    code: list[Instruction], reads: list[set[int]], after: list[set[int]]
) -> set[int]:
    """The registers the function may read before it writes them: those the
    translation must set to null first (a register starts as null in the engine)."""
    if not code:
        return set()
    return reads[0] | (after[0] - killed_registers(code[0]))


# --8<-- [end:liveness]


def written_registers(ins: Instruction) -> range:
    """The registers an instruction writes, from its handler's declaration."""
    spec = OPCODES.get(ins.opcode)
    if spec is None or spec.writes is None:
        return range(0)
    first = getattr(ins, spec.writes)
    if ins.opcode == "Null":
        return range(first, max(first, ins.p3) + 1)  # Null fills P2..P3
    if ins.opcode == "Copy":
        return range(first, first + ins.p3 + 1)  # Copy moves P3+1 registers
    return range(first, first + 1)


# ------------------------------------------------------------------ what is known
# A register's fact: ("bool",), ("int", constant), ("int", None) for any int,
# ("int", None, lo, hi) for an int known to lie in lo..hi, ("num",) for an int or a
# float, or ("fn", index) for a register read from the global naming known function
# ``index``. No fact: anything at all.
Facts = dict[int, tuple]


def int_range(fact: tuple) -> tuple[int, int] | None:
    """The bounds an int fact gives its register (None: not known to be an int)."""
    if fact[:1] != ("int",):
        return None
    if fact[1] is not None:
        return fact[1], fact[1]
    if len(fact) == 4:
        return fact[2], fact[3]
    return INT_MIN, INT_MAX


def int_fact(lo: int, hi: int) -> tuple:
    """The fact of an int in ``lo..hi`` (inside the 64-bit range)."""
    if lo == hi:
        return ("int", lo)
    if lo <= INT_MIN and hi >= INT_MAX:
        return ("int", None)
    return ("int", None, max(lo, INT_MIN), min(hi, INT_MAX))


def merge_facts(a: Facts | None, b: Facts | None) -> Facts | None:
    """What holds where two paths join (None: a path that cannot arrive)."""
    if a is None or b is None:
        return copy_facts(b if a is None else a)
    merged: Facts = {}
    for register, fact in a.items():
        other = b.get(register)
        if other == fact:
            merged[register] = fact
        elif other is not None and fact[0] in NUMERIC and other[0] in NUMERIC:
            ranges = int_range(fact), int_range(other)
            if ranges[0] and ranges[1]:
                lo, hi = min(ranges[0][0], ranges[1][0]), max(ranges[0][1], ranges[1][1])
                merged[register] = int_fact(lo, hi)
            else:
                merged[register] = ("num",)
    return merged


def widen(old: Facts | None, new: Facts | None) -> Facts | None:
    """``new`` with the bounds that changed since ``old`` dropped, so that a loop's
    facts settle in a round or two (a counter's range would grow by one a round)."""
    if old is None or new is None:
        return new
    widened = dict(new)
    for register, fact in new.items():
        if fact[:1] == ("int",) and old.get(register) != fact:
            widened[register] = ("int", None)
    return widened


NUMERIC = ("int", "num")


def copy_facts(facts: Facts | None) -> Facts | None:
    return None if facts is None else dict(facts)


class Loop:
    def __init__(self, top: int, end: int) -> None:
        self.top = top
        self.end = end
        self.back: Facts | None = None  # what holds when control returns to the top
        self.exit: Facts | None = None  # what holds when control leaves by ``break``


# --8<-- [start:structure]
class Writer:
    """Turns a range of instructions into indented Python statements.

    ``range(lo, hi)`` assumes control enters at ``lo`` and leaves by falling through
    to ``hi``; every jump must go to a place the structure can name: inside the range
    (an ``if``), the top of the enclosing loop (``continue``) or just past it (``break``).
    ``facts`` holds what is known of the registers at the point being written (None
    where control cannot arrive); ``live`` (on the final pass) which registers a later
    instruction reads.
    """

    def __init__(
        self,
        function: Function,
        known: list[Function],
        live: list[set[int]] | None,
        bound: frozenset[str] = frozenset(),
        returns: Returns | None = None,
    ) -> None:
        self.function = function
        self.bound = bound  # names whose calls go straight to the known function
        self.returns = returns or {}
        self.returned: tuple | None = None  # what the int copy's returns give, so far
        self.collecting = False  # inside the int copy (or the only copy)
        self.int_lines: tuple[int, int] | None = None  # where the int copy's lines are
        self.code = function.program.instructions
        self.known = known
        self.known_index = {f.name: index for index, f in enumerate(known)}
        self.live = live
        self.lines: list[tuple[int, str, int]] = []  # (indent, text, address)
        self.reads: list[set[int]] = [set() for _ in self.code]
        self.address = 0
        self.facts: Facts | None = {}
        self.tests: dict[int, tuple[str, int]] = {}  # comparisons left for the next jump
        self.folded: set[int] = set()  # instructions a loop head does (a for's TableGet)
        self.compared: tuple[int, Facts] | None = None  # the last ordering and its operands
        # loop headers: target -> address of the last backward Goto that closes the loop
        self.closers: dict[int, int] = {}
        self.targets: set[int] = set()
        for address, ins in enumerate(self.code):
            if ins.opcode in JUMPS:
                self.targets.add(ins.p2)
            if ins.opcode == "Goto" and ins.p2 <= address:
                self.closers[ins.p2] = max(self.closers.get(ins.p2, -1), address)

    def out(self, depth: int, text: str) -> None:
        self.lines.append((depth, text, self.address))

    def body(self) -> None:
        """The whole function, with an int-specialised copy when its parameters are ints."""
        params = numeric_params(self.function)
        whole = partial(self.range, 0, len(self.code), None)
        entry = partial(self.collecting_returns, whole)
        if params and len(self.code) <= SPECIALISE_LIMIT:
            not_ints = dict.fromkeys(params, ("other",))  # no loop tests them again
            self.split_on_ints(params, {}, not_ints, 2, entry, whole)
        else:
            entry(2)
            self.int_lines = None  # the only copy: no second entry

    def collecting_returns(self, write: Callable[[int], None], depth: int) -> None:
        """``write(depth)``, noting in ``returned`` what its returns give and in
        ``int_lines`` which lines it wrote."""
        self.collecting = True
        start = len(self.lines)
        write(depth)
        self.int_lines = (start, len(self.lines))
        if self.facts is not None:  # it may fall off the end: null
            self.note_return(())
        self.collecting = False

    def note_return(self, fact: tuple) -> None:
        if self.collecting:
            self.returned = meet_returns(coarse(fact), self.returned)

    def split_on_ints(
        self,
        registers: list[int],
        facts: Facts,
        otherwise: Facts,
        depth: int,
        write: Callable[[int], None],
        write_otherwise: Callable[[int], None] | None = None,
    ) -> None:
        """``if`` every one of ``registers`` holds an int, ``write(depth + 1)`` knowing it
        (the int-specialised copy); ``else:`` the same code (by ``write_otherwise``, if
        given) knowing ``otherwise`` of them. ``facts``: what holds before the test."""
        for register in registers:
            self.read(register)  # the test reads them
        self.out(depth, f"if {all_ints(registers)}:")
        self.facts = {**facts, **dict.fromkeys(registers, ("int", None))}
        write(depth + 1)
        after_ints = self.facts
        self.out(depth, "else:")
        self.facts = {**facts, **otherwise}
        (write_otherwise or write)(depth + 1)
        self.facts = merge_facts(after_ints, self.facts)

    def source(self, unset: set[int]) -> tuple[str, list[int]]:
        """The function's source, and the instruction address of every line (1-based).
        ``unset``: the registers that may be read before they are written.

        It defines ``carrot_function`` and, when the body has an int-specialised copy,
        ``carrot_ints``: that copy alone, which a caller whose arguments are known ints
        calls to skip the entry's type test."""
        texts, addresses = self.definition("carrot_function", self.lines, unset)
        if self.int_lines is not None:
            start, end = self.int_lines
            copy = [(depth - 1, text, address) for depth, text, address in self.lines[start:end]]
            more_texts, more_addresses = self.definition("carrot_ints", copy, unset)
            texts += more_texts
            addresses += more_addresses[1:]  # line numbers run on through both
        return "\n".join(texts) + "\n", addresses

    def definition(
        self, name: str, lines: list[tuple[int, str, int]], unset: set[int]
    ) -> tuple[list[str], list[int]]:
        """One ``def`` around ``lines``: its texts, and the address of each line (from 1)."""
        arity = self.function.arity
        params = [f"r{i}" for i in range(1, arity + 1)]
        nulls = [f"r{i}" for i in sorted(unset) if i > arity]
        head = [
            f"def {name}({', '.join(['depth', *params])}):",
            "    if depth > MAX_DEPTH:",
            "        raise depth_error(MAX_DEPTH)",  # the caller's line is where it fails
        ]
        if nulls:
            head.append(f"    {' = '.join(nulls)} = None")
        head.append("    try:")
        tail = [
            "    except CarrotRuntimeError as error:",
            "        error.add_frame(NAME, *POS[AT[error.__traceback__.tb_lineno]])",
            "        raise",
            "    except MemoryError as exhausted:",
            "        raise out_of_memory_in(NAME, POS, AT, exhausted) from None",
            "    return None",
        ]
        body = [("    " * depth + text, address) for depth, text, address in lines]
        body = body or [("        pass", 0)]
        texts = head + [text for text, _ in body] + tail
        addresses = [0] * (len(head) + 1) + [address for _, address in body] + [0] * len(tail)
        return texts, addresses

    # ------------------------------------------------------------------ control
    def range(self, lo: int, hi: int, loop: Loop | None, depth: int, skip_loop: int = -1) -> None:
        start = len(self.lines)
        i = lo
        while i < hi:
            closer = self.closers.get(i)
            if closer is not None and i != skip_loop and closer < hi:
                self.loop(i, closer, depth)
                i = closer + 1
                continue
            ins = self.code[i]
            self.address = i
            if ins.opcode == "Goto":
                self.goto(ins.p2, i, hi, loop, depth)
            elif ins.opcode in ("CarrotIf", "CarrotIfNot"):
                i = self.conditional(ins, i, hi, loop, depth)
                continue
            elif ins.opcode == "NextKey":
                raise NotTranslatable(f"NextKey at {i}")  # only a loop's head is one
            elif i in self.folded:
                pass  # done by the loop head before it
            elif self.facts is not None:  # code after a return or break runs never
                self.straight(ins, i, depth)
            i += 1
        if len(self.lines) == start:
            self.out(depth, "pass")

    def loop(self, top: int, closer: int, depth: int) -> None:
        """``while True:`` around ``top..closer``, with what holds at the top found by
        running the body's facts to a fixed point (at most a few rounds)."""
        facts = self.loop_facts(top, closer, self.facts, depth)
        invariant = self.invariant_ints(top, closer, facts)
        self.address = top
        if invariant:
            body = partial(self.loop_body, top, closer)
            self.split_on_ints(invariant, facts or {}, {}, depth, body)
        else:
            self.facts = copy_facts(facts)
            self.loop_body(top, closer, depth)

    def loop_facts(self, top: int, closer: int, entry: Facts | None, depth: int) -> Facts | None:
        facts = entry
        for _ in range(4):
            mark = len(self.lines)
            self.facts = copy_facts(facts)
            looping = Loop(top, closer + 1)
            first = self.loop_head(top, looping, depth)
            self.range(first, closer, looping, depth + 1, skip_loop=top)
            del self.lines[mark:]
            widened = widen(facts, merge_facts(facts, merge_facts(self.facts, looping.back)))
            if widened == facts:
                return facts
            facts = widened
        return {}

    def loop_body(self, top: int, closer: int, depth: int) -> None:
        """The loop ``top..closer``, entered knowing ``self.facts``."""
        looping = Loop(top, closer + 1)
        first = self.loop_head(top, looping, depth)
        self.range(first, closer, looping, depth + 1, skip_loop=top)
        self.facts = looping.exit

    def loop_head(self, top: int, looping: Loop, depth: int) -> int:
        """The loop's first line; returns the address its body starts at.

        Most loops are ``while True:``, left by ``break``. A ``for`` loop over a table
        (``NextKey`` at its top, which leaves the loop when no key is left) becomes a
        Python ``for`` over the table's entries: one step of a walk down a leaf instead
        of a seek for the next key and another for its value. The ``TableGet`` that
        reads the value just after the key is folded into that ``for``.
        """
        self.address = top
        head = self.code[top]
        if head.opcode != "NextKey":
            self.out(depth, "while True:")
            return top
        if head.p2 != looping.end:
            raise NotTranslatable(f"NextKey at {top}")
        value = "_v"
        get = self.value_read(top)
        if get is not None:
            value = f"r{get.p3}"
            self.folded.add(top + 2)
        self.out(depth, f"for r{head.p3}, {value} in for_entries({self.read(head.p1)}):")
        looping.exit = merge_facts(looping.exit, self.facts)  # the loop may end at once
        self.set_fact(head.p3, None)
        if get is not None:
            self.set_fact(get.p3, None)
        return top + 1

    def value_read(self, top: int) -> Instruction | None:
        """The ``TableGet`` of the loop's value, where the compiler puts it: after the
        ``Copy`` of the key into the loop's variable, reading the table at that key."""
        head = self.code[top]
        if top + 2 >= len(self.code) or {top + 1, top + 2} & self.targets:
            return None
        copy, get = self.code[top + 1], self.code[top + 2]
        copied = written_registers(copy)
        return (
            get
            if copy.opcode == "Copy"
            and head.p1 not in copied
            and head.p3 not in copied
            and get.opcode == "TableGet"
            and (get.p1, get.p2) == (head.p1, head.p3)
            else None
        )

    def invariant_ints(self, top: int, closer: int, facts: Facts | None) -> list[int]:
        """Registers the loop uses as numbers but never writes, of unknown type: testing
        them once before the loop lets its whole body treat them as ints."""
        if facts is None or any(self.closers.get(i) for i in range(top + 1, closer)):
            return []  # unreachable, or not an innermost loop
        written: set[int] = set()
        used: set[int] = set()
        for ins in self.code[top : closer + 1]:
            written.update(written_registers(ins))
            if ins.opcode in NUMERIC_OPERANDS:
                used.update((ins.p1, ins.p2))
        candidates = used - written - {0}
        return sorted(r for r in candidates if r not in facts)

    def goto(self, target: int, i: int, hi: int, loop: Loop | None, depth: int) -> None:
        if loop is not None and target == loop.top:
            self.out(depth, "continue")
            loop.back = merge_facts(loop.back, self.facts)
            self.facts = None
        elif loop is not None and target == loop.end:
            self.out(depth, "break")
            loop.exit = merge_facts(loop.exit, self.facts)
            self.facts = None
        elif target == hi and i == hi - 1:
            pass  # falls through to the end of the range anyway
        else:
            raise NotTranslatable(f"goto {target} at {i}")

    def condition(self, ins: Instruction) -> str:
        """The Python test that is true when the jump is taken."""
        register = ins.p1
        pending = self.tests.pop(register, None)
        if pending is not None:
            test, self.address = pending  # the comparison's own line, for its errors
        elif self.fact(register)[:1] == ("bool",):
            test = self.read(register)
        else:
            test = f"truthy({self.read(register)})"
        if ins.opcode == "CarrotIf":
            return test
        return test[4:] if test.startswith("not ") else f"not {test}"

    def conditional(self, ins: Instruction, i: int, hi: int, loop: Loop | None, depth: int) -> int:
        """Translate a conditional jump; return the address to continue at."""
        target = ins.p2
        self.address = i
        jumping, staying = self.branch_facts(ins, i)
        taken = self.condition(ins)  # a fused comparison's line keeps its own address
        if loop is not None and target in (loop.end, loop.top):
            self.out(depth, f"if {taken}:")
            self.facts = jumping
            self.goto(target, i, hi, loop, depth + 1)
            self.facts = staying
            return i + 1
        if not i < target <= hi:
            raise NotTranslatable(f"jump {target} at {i}")
        last = self.code[target - 1]
        not_taken = taken[4:] if taken.startswith("not ") else f"not ({taken})"
        self.out(depth, f"if {not_taken}:")
        before = jumping  # what is known where the jump lands
        self.facts = staying
        if target - 1 > i and last.opcode == "Goto" and target <= last.p2 <= hi:
            # if/else: the then-part ends by jumping over the else-part
            self.range(i + 1, target - 1, loop, depth + 1)
            after_then = self.facts
            self.address = target
            self.out(depth, "else:")
            self.facts = copy_facts(before)
            self.range(target, last.p2, loop, depth + 1)
            self.facts = merge_facts(self.facts, after_then)
            return last.p2
        self.range(i + 1, target, loop, depth + 1)
        self.facts = merge_facts(self.facts, before)
        return target

    # --8<-- [end:structure]

    # --8<-- [start:ranges]
    def branch_facts(self, ins: Instruction, i: int) -> tuple[Facts | None, Facts | None]:
        """What holds where a conditional jump goes, and where it does not.

        A jump right after the comparison of two ints that decides it also teaches the
        ints' bounds: past a failed ``if n < 2``, ``n >= 2``, so ``n - 1`` and ``n - 2``
        cannot leave the 64-bit range and need no overflow check.
        """
        jumping, staying = copy_facts(self.facts), copy_facts(self.facts)
        compared = self.compared
        if compared is None or compared[0] != i - 1 or i in self.targets:
            return jumping, staying
        compare = self.code[i - 1]
        if compare.p3 != ins.p1:
            return jumping, staying
        truth_on_jump = ins.opcode == "CarrotIf"
        for facts, truth in ((jumping, truth_on_jump), (staying, not truth_on_jump)):
            if facts is not None:
                narrow(facts, compare, compared[1], truth)
        return jumping, staying

    # --8<-- [end:ranges]

    # ------------------------------------------------------------ registers
    def fact(self, register: int) -> tuple:
        if self.facts is None:
            return ()
        return self.facts.get(register, ())

    def set_fact(self, register: int, fact: tuple | None) -> None:
        if self.facts is None:
            return
        if fact:
            self.facts[register] = fact
        else:
            self.facts.pop(register, None)

    def read(self, register: int) -> str:
        """A register as an expression its Python reads."""
        self.reads[self.address].add(register)
        return f"r{register}"

    def operand(self, register: int) -> str:
        """A register as an expression: its constant when it is known to hold one."""
        fact = self.fact(register)
        if fact[:1] == ("int",) and fact[1] is not None:
            return repr(fact[1])
        return self.read(register)

    def constant(self, register: int) -> int | None:
        fact = self.fact(register)
        return fact[1] if fact[:1] == ("int",) else None

    def numeric(self, register: int) -> bool:
        return self.fact(register)[:1] in (("int",), ("num",))

    def int_test(self, *registers: int) -> str:
        """The Python test that every one of ``registers`` not known to be a number
        holds an int ("" when all are known numbers)."""
        return all_ints(r for r in registers if not self.numeric(r))

    def dead(self, ins: Instruction, i: int) -> bool:
        """Whether nothing reads what ``ins`` writes (known only on the final pass)."""
        if self.live is None:
            return False
        return not any(r in self.live[i] for r in written_registers(ins))

    def straight(self, ins: Instruction, i: int, depth: int) -> None:
        spec = OPCODES[ins.opcode]
        self.result: tuple | None = ("bool",) if spec.result == "bool" else None
        for register in written_registers(ins):
            self.tests.pop(register, None)  # a comparison left pending is overwritten
        if ins.opcode in ORDERINGS:  # its operands' facts, for the jump it may decide
            self.compared = (i, {r: self.fact(r) for r in (ins.p1, ins.p2)})
        if (spec.pure or self.bound_global(ins) is not None) and self.dead(ins, i):
            lines = []
            TRANSLATORS[ins.opcode](ins, i, self)  # for the facts it learns
        elif ins.opcode in COMPARISONS and self.feeds_next_jump(ins, i):
            self.tests[ins.p3] = (comparison(ins, self), i)
            lines = []
        else:
            lines = TRANSLATORS[ins.opcode](ins, i, self)
        for line in lines:
            self.out(depth, line)
        for register in written_registers(ins):
            self.set_fact(register, self.result)
        if ins.opcode == "FnReturn":
            self.note_return(self.fact(ins.p1))
        if ins.opcode in ("FnReturn", "Halt"):
            self.facts = None

    def bound_global(self, ins: Instruction) -> int | None:
        """The known function a ``GetGlobal`` surely reads (its index), if bound."""
        if ins.opcode != "GetGlobal" or ins.p4 not in self.bound:
            return None
        return self.known_index[ins.p4]

    def entry(self, index: int, first_arg: int) -> str:
        """How a call reaches known function ``index``: ``I`` (its int copy) where the
        arguments its copy needs as ints are known ints, else ``J`` (the whole)."""
        callee = self.known[index]
        params = numeric_params(callee)
        if not params or len(callee.program.instructions) > SPECIALISE_LIMIT:
            return "J"
        return "I" if all(self.fact(first_arg + p - 1)[:1] == ("int",) for p in params) else "J"

    def call_result(self, index: int, first_arg: int) -> tuple | None:
        """What a direct call of known function ``index`` returns, if known."""
        fact, int_params = self.returns.get(index, ((), []))
        args_are_ints = all(self.fact(first_arg + p - 1)[:1] == ("int",) for p in int_params)
        return (fact or None) if args_are_ints else None

    def feeds_next_jump(self, ins: Instruction, i: int) -> bool:
        """A comparison whose only reader is the conditional jump right after it."""
        if self.live is None or i + 1 >= len(self.code) or i + 1 in self.targets:
            return False
        after = self.code[i + 1]
        return (
            after.opcode in ("CarrotIf", "CarrotIfNot")
            and after.p1 == ins.p3
            and ins.p3 not in self.live[i + 1]
            and i + 1 not in self.closers
        )


def numeric_params(function: Function) -> list[int]:
    """Parameters the function uses as operands of arithmetic or comparison."""
    used = set()
    for ins in function.program.instructions:
        if ins.opcode in NUMERIC_OPERANDS:
            used.update((ins.p1, ins.p2))
    return [p for p in range(1, function.arity + 1) if p in used]


def all_ints(registers: Iterable[int]) -> str:
    """The Python test that every one of ``registers`` holds an int."""
    return " and ".join(f"r{r}.__class__ is int" for r in registers)


# ------------------------------------------------------------ one instruction each
NUMERIC_OPERANDS = frozenset(
    {"CarrotAdd", "CarrotSubtract", "CarrotMultiply"}
    | {"CarrotLt", "CarrotLe", "CarrotGt", "CarrotGe"}
)


def _constant(ins: Instruction, i: int) -> str:
    value = ins.p4
    if type(value) is float and not math.isfinite(value):
        return f"K[{i}]"
    return repr(value)


def _integer(ins: Instruction, i: int, w: Writer) -> list[str]:
    w.result = ("int", ins.p1)
    return [f"r{ins.p2} = {ins.p1}"]


def _int64(ins: Instruction, i: int, w: Writer) -> list[str]:
    w.result = ("int", ins.p4)
    return [f"r{ins.p2} = {ins.p4!r}"]


def _real(ins: Instruction, i: int, w: Writer) -> list[str]:
    w.result = ("num",)
    return [f"r{ins.p2} = {_constant(ins, i)}"]


# --8<-- [start:arith]
def _arith(symbol: str, fallback: str, swapped: bool):
    """Numbers inline, with the 64-bit overflow check on the side an int result can
    leave the range; every other case calls ``fallback``, the handler's own rule.

    Two numbers need no type test: Python's ``+`` of an int and a float, or of two
    floats, is already Carrot's, and an int result inside the range is exact. Adding
    a constant ``c >= 0`` can only overflow upward, so only that bound is tested.
    """

    def emit(ins: Instruction, i: int, w: Writer) -> list[str]:
        a, b = (ins.p2, ins.p1) if swapped else (ins.p1, ins.p2)
        ra, rb, rc = w.operand(a), w.operand(b), f"r{ins.p3}"
        bounds = result_range(symbol, int_range(w.fact(a)), int_range(w.fact(b)))
        if bounds is not None and INT_MIN <= bounds[0] <= bounds[1] <= INT_MAX:
            w.result = int_fact(*bounds)  # two ints whose result cannot leave the range
            return [f"{rc} = {ra} {symbol} {rb}"]
        result = f"(_t := {ra} {symbol} {rb})"
        check = overflow_check(symbol, w.constant(a), w.constant(b), result)
        types = w.int_test(a, b)
        w.result = ("num",) if not types else None
        return [
            f"if {types + ' and ' if types else ''}{check}:",
            f"    {rc} = _t",
            "else:",
            f"    {rc} = {fallback}({ra}, {rb})",
        ]

    return emit


def result_range(
    symbol: str, a: tuple[int, int] | None, b: tuple[int, int] | None
) -> tuple[int, int] | None:
    """The least and greatest exact result of ``a symbol b`` for ints in those ranges."""
    if a is None or b is None:
        return None
    if symbol == "+":
        return a[0] + b[0], a[1] + b[1]
    if symbol == "-":
        return a[0] - b[1], a[1] - b[0]
    corners = [x * y for x in a for y in b]
    return min(corners), max(corners)


def overflow_check(symbol: str, a: int | None, b: int | None, result: str) -> str:
    """The test that ``result`` stayed inside the 64-bit range, on the sides it can leave."""
    step = b if symbol in "+-" and b is not None else (a if symbol == "+" else None)
    if step is not None and symbol == "-":
        step = -step
    if step is not None and step >= 0:
        return f"{result} <= {INT_MAX}"
    if step is not None:
        return f"{result} >= {INT_MIN}"
    return f"{INT_MIN} <= {result} <= {INT_MAX}"


# --8<-- [end:arith]

COMPARISONS = {
    "CarrotEq": ("==", "equal"),
    "CarrotNe": ("!=", "not equal"),
    "CarrotLt": ("<", "less"),
    "CarrotLe": ("<=", "less_equal"),
    "CarrotGt": (">", "greater"),
    "CarrotGe": (">=", "greater_equal"),
}


# each ordering as ``a < b`` or ``a <= b`` of its operands (P1 and P2), maybe swapped
ORDERINGS = {
    "CarrotLt": (False, False),  # (swapped, or equal)
    "CarrotLe": (False, True),
    "CarrotGt": (True, False),
    "CarrotGe": (True, True),
}


def narrow(facts: Facts, compare: Instruction, operands: Facts, truth: bool) -> None:
    """Narrow the ranges of ``compare``'s two int operands (whose facts before it ran
    are ``operands``) knowing its outcome; its result register keeps its bool."""
    swapped, or_equal = ORDERINGS[compare.opcode]
    a, b = (compare.p2, compare.p1) if swapped else (compare.p1, compare.p2)
    if not truth:  # not (a < b) is b <= a; not (a <= b) is b < a
        a, b, or_equal = b, a, not or_equal
    ranges = int_range(operands.get(a, ())), int_range(operands.get(b, ()))
    if a == b or ranges[0] is None or ranges[1] is None:
        return
    (a_lo, a_hi), (b_lo, b_hi) = ranges
    gap = 0 if or_equal else 1  # a <= b - gap
    a_hi, b_lo = min(a_hi, b_hi - gap), max(b_lo, a_lo + gap)
    if a_lo > a_hi or b_lo > b_hi:
        return  # the branch is never taken: nothing to learn
    for register, fact in ((a, int_fact(a_lo, a_hi)), (b, int_fact(b_lo, b_hi))):
        if register != compare.p3:
            facts[register] = fact


def comparison(ins: Instruction, w: Writer) -> str:
    """A comparison as one expression: plain Python when both sides are numbers."""
    symbol, fallback = COMPARISONS[ins.opcode]
    ra, rb = w.operand(ins.p1), w.operand(ins.p2)
    fast = f"{ra} {symbol} {rb}"
    types = w.int_test(ins.p1, ins.p2)
    if not types:
        return fast
    return f"({fast} if {types} else {fallback}({ra}, {rb}))"


def _compare(ins: Instruction, i: int, w: Writer) -> list[str]:
    return [f"r{ins.p3} = {comparison(ins, w)}"]


def _truth(ins: Instruction, i: int, w: Writer) -> list[str]:
    if w.fact(ins.p1)[:1] == ("bool",):
        value = w.read(ins.p1)  # read even when nothing is written: the bool flows on
        return [] if ins.p1 == ins.p2 else [f"r{ins.p2} = {value}"]
    return [f"r{ins.p2} = truthy({w.read(ins.p1)})"]


def _not(ins: Instruction, i: int, w: Writer) -> list[str]:
    if w.fact(ins.p1)[:1] == ("bool",):
        return [f"r{ins.p2} = not {w.read(ins.p1)}"]
    return [f"r{ins.p2} = not truthy({w.read(ins.p1)})"]


def _get_global(ins: Instruction, i: int, w: Writer) -> list[str]:
    index = w.known_index.get(ins.p4)
    if index is not None:
        w.result = ("fn", index)
    if w.bound_global(ins) is not None:
        return [f"r{ins.p2} = F{index}"]
    return [
        "try:",
        f"    r{ins.p2} = G[{ins.p4!r}]",
        "except KeyError:",
        f"    r{ins.p2} = rt.get_global({ins.p4!r})",
    ]


# --8<-- [start:call]
def _call(ins: Instruction, i: int, w: Writer) -> list[str]:
    """A function of this program is called directly: at once where its name is bound,
    else after checking by identity that the global still holds it. Anything else goes
    through ``call_other``, which checks what the engine's ``Call`` checks. The callee
    itself checks the depth limit, on entry."""
    args = [w.read(ins.p1 + 1 + k) for k in range(ins.p2)]
    fact = w.fact(ins.p1)
    direct = fact[:1] == ("fn",) and w.known[fact[1]].arity == ins.p2
    index = fact[1] if direct else None
    if direct:
        entry = w.entry(index, ins.p1 + 1)
        call = f"{entry}{index}({', '.join(['depth + 1', *args])})"
    if direct and w.known[index].name in w.bound:
        w.result = w.call_result(index, ins.p1 + 1)
        return [f"r{ins.p3} = {call}"]
    fn = w.read(ins.p1)
    slow = f"r{ins.p3} = call_other({fn}, [{', '.join(args)}], depth)"
    if not direct:
        return [slow]
    return [
        f"if {fn} is F{index}:",
        f"    r{ins.p3} = {call}",
        "else:",
        f"    {slow}",
    ]


# --8<-- [end:call]


def _call_builtin(ins: Instruction, i: int, w: Writer) -> list[str]:
    args = ", ".join(w.read(ins.p1 + k) for k in range(ins.p2))
    return [f"r{ins.p3} = call_builtin(rt, BUILTINS[{ins.p4!r}], [{args}])"]


def _print(ins: Instruction, i: int, w: Writer) -> list[str]:
    if ins.p5:
        return [f"echo(rt, {w.read(ins.p1)})"]
    args = ", ".join(w.read(ins.p1 + k) for k in range(ins.p2))
    return [f"print_values(rt, [{args}])"]


def _negate(ins: Instruction, i: int, w: Writer) -> list[str]:
    """``-1`` is ``Integer 1`` then ``Negate``: a known constant is negated here, once
    (the smallest int alone has no negation in range: the handler's rule makes a float)."""
    value = w.constant(ins.p1)
    if value is not None and value != INT_MIN:
        w.result = ("int", -value)
        return [f"r{ins.p2} = {-value}"]
    return [f"r{ins.p2} = negate({w.read(ins.p1)})"]


def _null(ins: Instruction, i: int, w: Writer) -> list[str]:
    return [" = ".join(f"r{k}" for k in written_registers(ins)) + " = None"]


def _copy(ins: Instruction, i: int, w: Writer) -> list[str]:
    if ins.p3 == 0:
        w.result = w.fact(ins.p1) or None
    return [f"r{ins.p2 + k} = {w.read(ins.p1 + k)}" for k in range(ins.p3 + 1)]


def _scopy(ins: Instruction, i: int, w: Writer) -> list[str]:
    w.result = w.fact(ins.p1) or None
    return [f"r{ins.p2} = {w.read(ins.p1)}"]


def _halt(ins: Instruction, i: int, w: Writer) -> list[str]:
    return ["return None"]


def _return(ins: Instruction, i: int, w: Writer) -> list[str]:
    return [f"return {w.read(ins.p1)}"]


def _simple(template: str):
    """A translation that is one line: ``template`` with ``{a}`` ``{b}`` ``{c}`` for the
    registers P1 P2 P3 as read, ``{o1}`` ``{o2}`` ``{o3}`` for them as written, ``{k}``
    for the constant P4 and ``{i}`` for the address."""
    names = [name for name in ("a", "b", "c") if "{" + name + "}" in template]

    def emit(ins: Instruction, i: int, w: Writer) -> list[str]:
        operands = {"a": ins.p1, "b": ins.p2, "c": ins.p3}
        reads = {name: w.read(operands[name]) for name in names}
        return [
            template.format(
                **reads, o1=f"r{ins.p1}", o2=f"r{ins.p2}", o3=f"r{ins.p3}", k=repr(ins.p4), i=i
            )
        ]

    return emit


TRANSLATORS = {
    "Integer": _integer,
    "Int64": _int64,
    "Real": _real,
    "String8": lambda ins, i, w: [f"r{ins.p2} = {_constant(ins, i)}"],
    "Null": _null,
    "Bool": lambda ins, i, w: [f"r{ins.p2} = {ins.p1 != 0}"],
    "Copy": _copy,
    "SCopy": _scopy,
    "Halt": _halt,
    "LoadFunction": _simple("{o2} = K[{i}]"),
    "CarrotAdd": _arith("+", "add", False),
    "CarrotSubtract": _arith("-", "subtract", True),
    "CarrotMultiply": _arith("*", "multiply", False),
    "CarrotDivide": _simple("{o3} = divide({b}, {a})"),
    "CarrotRemainder": _simple("{o3} = remainder({b}, {a})"),
    "Negate": _negate,
    "CarrotNot": _not,
    "Truth": _truth,
    "CarrotEq": _compare,
    "CarrotNe": _compare,
    "CarrotLt": _compare,
    "CarrotLe": _compare,
    "CarrotGt": _compare,
    "CarrotGe": _compare,
    "NewTable": _simple("{o2} = rt.store.new_table()"),
    "TableGet": _simple("{o3} = table_get({a}, {b})"),
    "TableSet": _simple("table_set({a}, {b}, {c})"),
    "GetField": _simple("{o2} = table_get({a}, K[{i}])"),
    "SetField": _simple("table_set({a}, K[{i}], {c})"),
    "GetGlobal": _get_global,
    "SetGlobal": _simple("G[{k}] = {a}"),
    "Print": _print,
    "Call": _call,
    "CallBuiltin": _call_builtin,
    "FnReturn": _return,
}


# the opcodes that surely call no function of the program (an extension's opcode only
# when its extension says so)
CALLS_NOTHING = set((frozenset(TRANSLATORS) | JUMPS) - {"Call"})


def register_translator(opcode: str, translator: Any, *, calls_functions: bool = True) -> None:
    """Let an extension's opcode run on the fast path too.

    ``translator(instruction, address, writer)`` returns the Python lines that do what
    the opcode's handler does; the generated code sees the runtime as ``rt``. An opcode
    without a translator sends every program that uses it to the engine.
    ``calls_functions=False`` promises that it never calls a Carrot function, so a
    top-level ``fn`` declared after it may still be bound (see :func:`bindable_names`).
    """
    TRANSLATORS[opcode] = translator
    if calls_functions:
        CALLS_NOTHING.discard(opcode)
    else:
        CALLS_NOTHING.add(opcode)
