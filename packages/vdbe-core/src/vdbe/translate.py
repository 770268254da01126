"""The translator: a hot program rewritten as one Python function, run instead of the loop.

The engine (`vdbe.engine`) pays, for every instruction, a trip round its loop, a call
through the handler table and operand reads from the instruction object. On a query
that touches 100,000 rows a dozen instructions each, that overhead is most of the time.
Once a program has run `HOT` instructions in the engine, the engine asks for its
translation: Python source with one branch per entry address, compiled once and kept
on the program. In it

- operands are constants in the source, and registers and cursors local lists;
- the instructions a query's row loop is made of (Column, Next, the sorter's,
  Compare and Jump, AggStep, If, IfPos, Gosub, Return...) are written out inline for
  their common case, and call their handler for any other case;
- every other instruction calls its handler, exactly as the engine would;
- the code from an entry follows forward jumps and falls through, so one pass round
  a loop usually runs as a single stretch of Python, back to the top of the loop;
- a sorter record that nothing will ever read is not made: when `MakeRecord` feeds
  `SorterInsert` and `SorterData`'s register is read only through its pseudo cursor
  (`record_is_dead` proves it over every path of the program), the sorter is given
  the values alone, the form in which it sorts and plays them back anyway.

The translation shares the VM's state with the engine (registers, cursors, `pc`), so
either can stop and the other go on: the translation hands back (returns None) at an
address it has no entry for, and on a call into a trigger's program (RELOAD). The
engine stays the reference: `VDBE_TRANSLATE=0` never translates, `VDBE_TRANSLATE=always`
translates every program before its first instruction, and the test suite runs the SQL
corpora both ways. A traced run, a step budget or a progress handler keep the engine.
"""

from __future__ import annotations

import os
from collections import deque
from collections.abc import Callable

from vdbe.errors import InterruptedError_
from vdbe.opcodes import HALT, OPCODES, RELOAD, ROW
from vdbe.opcodes.control import is_true
from vdbe.opcodes.cursors import BTREE, PSEUDO
from vdbe.plain import PLAIN_CODECS
from vdbe.program import Program
from vdbe.record import MISSING, STORED_AS_THEMSELVES, decode_record, values_as_stored
from vdbe.storage.cursor import BtreeCursor

_SETTING = os.environ.get("VDBE_TRANSLATE", "")
ENABLED: bool = _SETTING not in ("0", "no", "off")
HOT = 0 if _SETTING == "always" else 10_000  # engine instructions before translating
# Engine instructions between attempts after the translation handed back: a prime, so
# that the engine stops at a different place of a loop each time, and soon at its top.
RETRY = 997

MAX_INLINE = 8  # instructions written out from one entry before it jumps to another
WITH_NEXT = "with next"  # an instruction's writer took the next one in as well
MAX_PADDED = 64  # cursor numbers below this are plain list indexes in a translation


# --8<-- [start:translation_of]
def translation_of(program: Program) -> Callable | None:
    """The program's translation (made on first request and kept), or None if it has none."""
    known = program.__dict__.get("translation", False)
    if known is False:
        known = None
        if _translatable(program):
            try:
                known = translate(program)
            except Exception:  # noqa: BLE001 - a shape the writer did not foresee: the engine runs it
                known = None
        program.translation = known
    return known


def _translatable(program: Program) -> bool:
    """SQL programs only: not with VDBE_REFERENCE=1 (the plain codecs must answer), and
    not a program of an extension's opcodes (Carrot translates its own programs)."""
    if PLAIN_CODECS:
        return False
    for ins in program.instructions:
        spec = OPCODES.get(ins.opcode)
        if spec is None or spec.extension is not None:
            return False
    return True


# --8<-- [end:translation_of]


def translate(program: Program) -> Callable:
    """Compile `program` to a function `run(vm, handlers)` that runs it from `vm.pc` until a
    row (ROW), the end (HALT), a call into another program (RELOAD) or an address it has
    no entry for (None, with `vm.pc` there)."""
    source = Writer(program).source()
    namespace = dict(_RUNTIME)
    exec(compile(source, f"<translation of {program.name}>", "exec"), namespace)  # noqa: S102
    run = namespace["run"]
    run.source = source  # for the curious: print(translation_of(p).source)
    return run


def _if_true(value, jump_on_null) -> bool:
    """If's test for a value that is not an int: true numbers, or NULL when P3 says so."""
    truth = is_true(value)
    return bool(truth or (truth is None and jump_on_null))


_RUNTIME = {
    "ROW": ROW,
    "HALT": HALT,
    "RELOAD": RELOAD,
    "BTREE": BTREE,
    "PSEUDO": PSEUDO,
    "InterruptedError_": InterruptedError_,
    "decode_record": decode_record,
    "values_as_stored": values_as_stored,
    "BtreeCursor": BtreeCursor,
    "MISSING": MISSING,
    "STORED": STORED_AS_THEMSELVES,
    "_if_true": _if_true,
}

# ---------------------------------------------------------------------------
# The control flow, for the entries and for proving a register dead
# ---------------------------------------------------------------------------

# Instructions that never jump (the translation writes some of them out).
_NO_JUMP = frozenset(
    {"Integer", "Int64", "Real", "String8", "Null", "Transaction", "OpenRead", "OpenPseudo"}
    | {"SorterOpen", "SorterData", "Close", "Rowid", "Sequence", "Column", "AggFinal"}
    | {"SCopy", "Copy", "Move", "Compare", "MakeRecord", "SorterInsert", "ResultRow"}
    | {"AggStep"}
)

# Instructions after which the engine never goes on to the next one.
_NO_FALL_THROUGH = frozenset({"Goto", "Jump", "Gosub", "Return", "Yield", "EndCoroutine", "Halt"})


def successors(program: Program, i: int) -> set[int]:
    """Every address the program may go to after instruction `i` (more, never fewer).

    Static jumps are read from the operands. Return, Yield and EndCoroutine jump to an
    address kept in a register: for them, every place such an address can come from.
    Any other instruction may go on or jump to its P2.
    """
    code = program.instructions
    ins = code[i]
    name = ins.opcode
    n = len(code)
    out: set[int] = set()
    if name == "Jump":
        out |= {ins.p1, ins.p2, ins.p3}
    elif name == "Return":
        out |= {g + 1 for g, other in enumerate(code) if other.opcode == "Gosub"}
        out |= {j.p1 + 1 for j in code if j.opcode == "Integer"}  # an address set by hand
        if ins.p3 == 1:
            out.add(i + 1)
    elif name == "Yield":
        out |= {y + 1 for y, other in enumerate(code) if other.opcode == "Yield"}
        out |= {j.p3 for j in code if j.opcode == "InitCoroutine"}
        out |= {j.p1 + 1 for j in code if j.opcode == "Integer"}
    elif name == "EndCoroutine":
        out |= {j.p2 for j in code if j.opcode == "Yield"}
    elif name == "InitCoroutine":
        out |= {ins.p2 if ins.p2 else i + 1, ins.p3}
    elif name == "Halt":
        pass
    elif name not in _NO_JUMP and isinstance(ins.p2, int):
        out.add(ins.p2)
    if name not in _NO_FALL_THROUGH:
        out.add(i + 1)
    return {a for a in out if isinstance(a, int) and 0 <= a < n}


def _span(start, count) -> range:
    return range(start, start + max(count, 0))


# Registers each opcode reads and writes, for the ones a sorter's loops are made of. An
# opcode not listed here is taken to read every register from its smallest operand up.
_READS: dict[str, Callable] = {
    "Integer": lambda i: (),
    "Int64": lambda i: (),
    "Real": lambda i: (),
    "String8": lambda i: (),
    "Null": lambda i: (),
    "Goto": lambda i: (),
    "Jump": lambda i: (),
    "Init": lambda i: (),
    "InitCoroutine": lambda i: (),
    "Gosub": lambda i: (),
    "Halt": lambda i: (),
    "Transaction": lambda i: (),
    "OpenRead": lambda i: (),
    "OpenPseudo": lambda i: (),
    "SorterOpen": lambda i: (),
    "Rewind": lambda i: (),
    "Next": lambda i: (),
    "SorterSort": lambda i: (),
    "SorterNext": lambda i: (),
    "SorterData": lambda i: (),
    "Close": lambda i: (),
    "Rowid": lambda i: (),
    "Sequence": lambda i: (),
    "Column": lambda i: (),  # on a pseudo cursor: its register, added by `_reads`
    "Return": lambda i: (i.p1,),
    "Yield": lambda i: (i.p1,),
    "EndCoroutine": lambda i: (i.p1,),
    "If": lambda i: (i.p1,),
    "IfNot": lambda i: (i.p1,),
    "IfPos": lambda i: (i.p1,),
    "IsNull": lambda i: (i.p1,),
    "NotNull": lambda i: (i.p1,),
    "AggFinal": lambda i: (i.p1,),
    "SCopy": lambda i: (i.p1,),
    "Copy": lambda i: _span(i.p1, i.p3 + 1),
    "Move": lambda i: _span(i.p1, i.p3),
    "Compare": lambda i: (*_span(i.p1, i.p3), *_span(i.p2, i.p3)),
    "MakeRecord": lambda i: _span(i.p1, i.p2),
    "SorterInsert": lambda i: (i.p2,),
    "ResultRow": lambda i: _span(i.p1, i.p2),
    "AggStep": lambda i: (i.p3, *_span(i.p2, i.p5)),
}

# The register an opcode sets whatever it held before.
_WRITES: dict[str, Callable] = {
    "Integer": lambda i: i.p2,
    "Column": lambda i: i.p3,
    "SorterData": lambda i: i.p2,
    "MakeRecord": lambda i: i.p3,
    "Rowid": lambda i: i.p2,
    "SCopy": lambda i: i.p2,
}


def _reads(ins, register: int, pseudo_registers: dict[int, set[int]]) -> bool:
    """May `ins` read `register`? (Column on a pseudo cursor reads the cursor's register.)"""
    reads = _READS.get(ins.opcode)
    if reads is None:
        operands = [p for p in (ins.p1, ins.p2, ins.p3) if isinstance(p, int) and p > 0]
        return any(p <= register for p in operands)
    if ins.opcode == "Column" and register in pseudo_registers.get(ins.p1, ()):
        return True
    return register in reads(ins)


# --8<-- [start:record_is_dead]
def record_is_dead(program: Program, after: int, register: int, allow=None) -> bool:
    """Is `register` never read again once instruction `after` has run, on any path?

    A path ends where an instruction sets the register anew. `allow(ins)` names reads
    that do not count (Column on the pseudo cursor that reads a sorter's values).
    """
    code = program.instructions
    pseudo = _pseudo_registers(program)
    seen: set[int] = set()
    todo = deque(successors(program, after))
    while todo:
        i = todo.popleft()
        if i in seen:
            continue
        seen.add(i)
        ins = code[i]
        if _reads(ins, register, pseudo) and not (allow is not None and allow(ins)):
            return False
        writes = _WRITES.get(ins.opcode)
        if writes is not None and writes(ins) == register:
            continue
        todo.extend(successors(program, i))
    return True


# --8<-- [end:record_is_dead]


def _pseudo_registers(program: Program) -> dict[int, set[int]]:
    """Cursor number -> the registers OpenPseudo gave it."""
    out: dict[int, set[int]] = {}
    for ins in program.instructions:
        if ins.opcode == "OpenPseudo":
            out.setdefault(ins.p1, set()).add(ins.p2)
    return out


# Opcodes that may name a sorter cursor without reading its records' bytes.
_SORTER_VALUE_USERS = frozenset(
    {"SorterOpen", "SorterInsert", "SorterSort", "SorterNext", "SorterData", "Close"}
)


def values_only_insert(program: Program, i: int) -> bool:
    """May MakeRecord at `i` and the SorterInsert after it give the sorter values alone?

    Yes when no one will read the record's bytes: not through MakeRecord's register,
    not through the register SorterData plays each record back into (except by Column
    on its pseudo cursor, which reads the values), and no other opcode uses the sorter.
    """
    code = program.instructions
    make, insert = code[i], code[i + 1]
    if any(ins.opcode == "Program" for ins in code):  # a trigger may read any register
        return False
    if not record_is_dead(program, i + 1, make.p3):
        return False
    sorter = insert.p1
    pseudo = _pseudo_registers(program)
    for j, ins in enumerate(code):
        if ins.p1 != sorter or ins.opcode in ("Integer", "Goto", "Init", "Gosub", "Yield"):
            continue
        if ins.opcode not in _SORTER_VALUE_USERS and _READS.get(ins.opcode) is None:
            return False  # an opcode that might read the sorter's records
        if ins.opcode == "SorterData":
            reader = ins.p3 if ins.p2 in pseudo.get(ins.p3, ()) else None

            def through_pseudo(other, reader=reader) -> bool:
                return other.opcode == "Column" and other.p1 == reader

            if not record_is_dead(program, j, ins.p2, allow=through_pseudo):
                return False
    return True


# The opcodes the translation writes out (the others call their handlers).
_WRITTEN_OUT = frozenset(
    {"Goto", "Integer", "Gosub", "Return", "IfPos", "If", "Compare", "Jump", "AggStep"}
    | {"Column", "Next", "SorterData", "SorterNext", "MakeRecord", "SorterInsert"}
)

# ---------------------------------------------------------------------------
# Writing the source
# ---------------------------------------------------------------------------


def _operands(ins) -> tuple:
    return ins.p1, ins.p2, ins.p3, ins.p5


class Writer:
    """Writes the translation of one program: a dispatcher over entry addresses, and from
    each entry the instructions that follow, inline, until a jump leaves the stretch."""

    def __init__(self, program: Program) -> None:
        self.program = program
        self.code = program.instructions
        self.lines: list[str] = []
        self.ordered, self.leaders, self.loop_tops = self._leaders()
        self.top, self.leave = None, "continue"  # the entry being written, and how to leave it
        self.pseudo = {c for c, regs in _pseudo_registers(program).items() if len(regs) == 1}
        numbers = [ins.p1 for ins in self.code if ins.opcode in _WRITTEN_OUT]
        numbers += [ins.p3 for ins in self.code if ins.opcode == "SorterData"]
        numbers = [n for n in numbers if isinstance(n, int) and 0 <= n < MAX_PADDED]
        self.n_cursors = max(numbers, default=-1) + 1  # the cursor list's length in `run`
        columns = [ins.p1 for ins in self.code if ins.opcode == "Column"]
        self.one_column = {c for c in set(columns) if columns.count(c) == 1}
        self.fused = {
            i
            for i in range(len(self.code) - 1)
            if self.code[i].opcode == "MakeRecord"
            and self.code[i + 1].opcode == "SorterInsert"
            and self.code[i + 1].p2 == self.code[i].p3
            and all(
                type(p) is int for p in (*_operands(self.code[i]), *_operands(self.code[i + 1]))
            )
            and values_only_insert(program, i)
        }

    def _leaders(self) -> tuple[list[int], set[int], set[int]]:
        """Loop tops (targets of backward jumps) and the other addresses a jump, a
        return or a resumed run may start from."""
        code = self.code
        n = len(code)
        leaders: set[int] = {0}
        back: set[int] = set()
        for i, ins in enumerate(code):
            if ins.opcode in ("Gosub", "Yield", "InitCoroutine", "ResultRow"):
                leaders.add(i + 1)  # where a Return, a Yield or the next step() comes back
            if ins.opcode == "Yield" and isinstance(ins.p2, int):
                leaders.add(ins.p2)  # where EndCoroutine sends the coroutine's caller
            if ins.opcode in ("Return", "Yield", "EndCoroutine"):
                continue  # their other targets are the ones above
            for t in successors(self.program, i):
                if t != i + 1 or ins.opcode in _NO_FALL_THROUGH:  # a jump, maybe to i + 1
                    leaders.add(t)
                    if t <= i:
                        back.add(t)
        leaders = {t for t in leaders if t < n}
        return sorted(back) + sorted(leaders - back), leaders, back

    def source(self) -> str:
        """The function's source: a dispatcher testing `pc` against every leader, loop
        tops first, and from each up to MAX_INLINE instructions inline. At any other
        address it hands back to the engine."""
        out = self.lines
        out.append("def run(vm, handlers):")
        out.append("    code = vm.program.instructions")
        out.append("    reg = vm.reg")
        out.append("    cursors = vm.cursors")
        out.append(f"    if len(cursors) < {self.n_cursors}:  # so cursors[n] needs no test")
        out.append(f"        cursors.extend([None] * ({self.n_cursors} - len(cursors)))")
        out.append("    pc = vm.pc")
        out.append("    while True:")
        out.append("        if vm._interrupted:")
        out.append("            raise InterruptedError_()")
        for k, entry in enumerate(self.ordered):
            out.append(f"        {'if' if k == 0 else 'elif'} pc == {entry}:")
            budget = [MAX_INLINE]
            if entry in self.loop_tops:  # its own loop: round it without the dispatcher
                out.append("            while True:")
                out.append("                if vm._interrupted:")
                out.append("                    raise InterruptedError_()")
                self.top, self.leave = entry, "break"
                self.path(entry, 4, budget)
            else:
                self.top, self.leave = None, "continue"
                self.path(entry, 3, budget)
        out.append("        else:")
        out.append("            vm.pc = pc")
        out.append("            return None")
        return "\n".join(out) + "\n"

    # -- one stretch of code ----------------------------------------------------------
    def cursor(self, number) -> str:
        """The expression for cursor `number` (None when not open): a plain index when
        `run` has made the cursor list long enough on entry."""
        if isinstance(number, int) and 0 <= number < self.n_cursors:
            return f"cursors[{number}]"
        return f"cursors[{number}] if {number} < len(cursors) else None"

    def emit(self, depth: int, line: str) -> None:
        self.lines.append("    " * depth + line)

    def goto(self, target: int, depth: int, budget: list[int], here: int) -> None:
        """Go on at `target`: inline if it lies ahead and the budget allows, else by
        the dispatcher."""
        if here < target < len(self.code) and budget[0] > 0:
            self.path(target, depth, budget)
        elif target == self.top:
            self.emit(depth, "continue")  # round the entry's own loop again
        else:
            self.leave_for(str(target), depth)

    def leave_for(self, target: str, depth: int) -> None:
        """Go on at `target` (an expression) by the dispatcher."""
        self.emit(depth, f"pc = {target}")
        self.emit(depth, self.leave)

    def path(self, i: int, depth: int, budget: list[int]) -> None:
        """The code from address `i` on, at indentation `depth`."""
        while True:
            if i >= len(self.code):
                self.leave_for(str(i), depth)
                return
            budget[0] -= 1
            ins = self.code[i]
            write = getattr(self, "op_" + ins.opcode, None)
            if i in self.fused:
                self.fused_insert(i, depth)
                i += 2
                continue
            if write is not None and not all(type(p) is int for p in _operands(ins)):
                write = None  # odd operands (a hand-written listing): the handler's business
            if write is None:
                self.call(i, depth)
            else:
                ended = write(i, ins, depth, budget)
                if ended is WITH_NEXT:  # it wrote the next instruction too
                    i += 1
                    budget[0] -= 1
                elif ended:
                    return
            i += 1
            if budget[0] <= 0 and i in self.leaders:
                self.goto(i, depth, budget, i)
                return

    def call(self, i: int, depth: int, jumps: bool = True) -> None:
        """Instruction `i` by its handler, as the engine runs it."""
        emit = self.emit
        emit(depth, f"vm.pc = {i + 1}")
        emit(depth, f"signal = handlers[{i}](vm, code[{i}])")
        emit(depth, "if signal is not None:")
        emit(depth + 1, "return signal")
        if jumps:
            emit(depth, f"if vm.pc != {i + 1}:")
            self.leave_for("vm.pc", depth + 1)

    # -- the instructions written out ------------------------------------------------
    # Each returns True when the stretch ends with it (every way on is a jump), or
    # WITH_NEXT when it wrote the next instruction too.

    def op_Goto(self, i, ins, depth, budget):
        self.goto(ins.p2, depth, budget, i)
        return True

    def op_Integer(self, i, ins, depth, budget):
        self.emit(depth, f"reg[{ins.p2}] = {int(ins.p1)!r}")

    def op_Gosub(self, i, ins, depth, budget):
        self.emit(depth, f"reg[{ins.p1}] = {i}")
        self.goto(ins.p2, depth, budget, i)
        return True

    def op_Return(self, i, ins, depth, budget):
        self.emit(depth, f"target = reg[{ins.p1}]")
        self.emit(depth, "if type(target) is int:")
        self.leave_for("target + 1", depth + 1)
        self.call(i, depth)  # P3 = 1 falls through; otherwise the handler's error

    def op_IfPos(self, i, ins, depth, budget):
        self.emit(depth, f"value = reg[{ins.p1}]")
        self.emit(depth, "if value > 0:")
        self.emit(depth + 1, f"reg[{ins.p1}] = value - {int(ins.p3)!r}")
        self.goto(ins.p2, depth + 1, budget, i)

    def op_If(self, i, ins, depth, budget):
        self.emit(depth, f"value = reg[{ins.p1}]")
        test = f"value != 0 if type(value) is int else _if_true(value, {bool(ins.p3)})"
        self.emit(depth, f"if {test}:")
        self.goto(ins.p2, depth + 1, budget, i)

    def op_Compare(self, i, ins, depth, budget):
        if ins.p5 or not isinstance(ins.p3, int) or ins.p3 < 1:
            self.call(i, depth, jumps=False)  # a permutation: the handler's business
            return
        tests = " and ".join(
            f"reg[{ins.p1 + k}] == reg[{ins.p2 + k}]"
            f" and type(reg[{ins.p1 + k}]) is type(reg[{ins.p2 + k}])"
            for k in range(ins.p3)
        )
        self.emit(depth, f"if {tests}:")  # equal values of one type: equal, any collation
        self.emit(depth + 1, "vm.compare_result = 0")
        self.emit(depth, "else:")
        self.call(i, depth + 1, jumps=False)

    def op_Jump(self, i, ins, depth, budget):
        self.emit(depth, "result = vm.compare_result")
        self.emit(depth, "if result == 0:")
        self.goto(ins.p2, depth + 1, budget, i)
        self.emit(depth, "if result < 0:")
        self.goto(ins.p1, depth + 1, budget, i)
        self.goto(ins.p3, depth, budget, i)
        return True

    def op_AggStep(self, i, ins, depth, budget):
        n = ins.p5
        args = {0: "", 1: f"reg[{ins.p2}]"}.get(n, f"*reg[{ins.p2}:{ins.p2 + n}]")
        self.emit(depth, "try:")
        self.emit(depth + 1, f"step = reg[{ins.p3}].step")
        self.emit(depth, "except AttributeError:  # the group's first row: the handler makes it")
        self.emit(depth + 1, "step = None")
        self.emit(depth, "if step is None:")
        self.call(i, depth + 1, jumps=False)
        self.emit(depth, "else:")
        self.emit(depth + 1, f"step({args})")
        self.emit(depth + 1, "vm.collation = None")

    def op_Column(self, i, ins, depth, budget):
        p1, p2, p3 = ins.p1, ins.p2, ins.p3
        emit = self.emit
        emit(depth, f"cur = {self.cursor(p1)}")
        if p1 in self.pseudo:  # a sorter's rows: the values SorterData handed over
            emit(depth, "if (cur is not None and cur.row is None and cur.kind is PSEUDO")
            emit(depth, "        and reg[cur.pseudo_reg] is cur.row_src):")
            emit(depth + 1, "row = cur.pseudo_row")
        elif p1 in self.one_column:  # the only column read: decode that field alone
            emit(depth, "value = MISSING")
            emit(depth, "if (cur is not None and cur.kind is BTREE")
            emit(depth, "        and cur.deferred_rowid is None and not cur.null_row):")
            emit(depth + 1, "row = cur.row")
            emit(depth + 1, "bt = cur.bt")
            emit(depth + 1, "if row is not None:")
            emit(depth + 2, f"value = row[{p2}] if {p2} < len(row) else MISSING")
            emit(depth + 1, "elif bt.__class__ is BtreeCursor and not bt.eof:")
            emit(depth + 2, f"value = bt.field({p2})")
            emit(depth, "if value is MISSING:")
            self.call(i, depth + 1, jumps=False)
            emit(depth, "else:")
            emit(depth + 1, f"reg[{p3}] = value")
            return
        else:  # a table's row, decoded once while the cursor stays on it
            emit(depth, "if cur is None:")
            emit(depth + 1, "row = None")
            emit(depth, "else:")
            emit(depth + 1, "row = cur.row")
            emit(depth + 1, "if (row is None and cur.kind is BTREE and cur.is_table")
            emit(depth + 1, "        and cur.deferred_rowid is None and not cur.null_row")
            emit(depth + 1, "        and not cur.bt.eof):")
            emit(depth + 2, "row = cur.row = decode_record(cur.bt.payload())")
        if p1 in self.pseudo:
            emit(depth, "else:")
            emit(depth + 1, "row = None")
        emit(depth, f"if row is not None and {p2} < len(row):")
        emit(depth + 1, f"reg[{p3}] = row[{p2}]")
        emit(depth, "else:")
        self.call(i, depth + 1, jumps=False)

    def op_Next(self, i, ins, depth, budget):
        emit = self.emit
        emit(depth, f"cur = {self.cursor(ins.p1)}")
        emit(depth, "if cur is None or cur.null_row or cur.deferred_rowid is not None:")
        self.call(i, depth + 1)
        emit(depth, "else:")
        emit(depth + 1, "cur.row = None")
        emit(depth + 1, "if cur.bt.next():")
        self.goto(ins.p2, depth + 2, budget, i)
        emit(depth + 1, "cur.null_row = True")

    def op_SorterData(self, i, ins, depth, budget):
        emit = self.emit
        column = self.code[i + 1] if i + 1 < len(self.code) else None
        with_column = (  # the Column after it reads the pseudo cursor: write it here too
            column is not None
            and column.opcode == "Column"
            and column.p1 == ins.p3
            and ins.p3 in self.pseudo
            and i + 1 not in self.leaders
        )
        emit(depth, f"cur = {self.cursor(ins.p1)}")
        emit(depth, "sorter = None if cur is None else cur.sorter")
        emit(depth, "if sorter is None or sorter.pos >= len(sorter.entries):")
        self.call(i, depth + 1, jumps=False)
        if with_column:
            emit(depth + 1, "row = None")
        emit(depth, "else:")
        emit(depth + 1, "values, record = sorter.entries[sorter.pos]")
        emit(depth + 1, f"reg[{ins.p2}] = record")
        emit(depth + 1, f"pseudo = {self.cursor(ins.p3)}")
        emit(depth + 1, "if pseudo is not None:")
        emit(depth + 2, "pseudo.row_src = record")
        emit(depth + 2, "pseudo.pseudo_row = values")
        if not with_column:
            return None
        # Column reads the values just handed over, as its handler would find them.
        emit(depth + 1, "if (pseudo is not None and pseudo.row is None and pseudo.kind is PSEUDO")
        emit(depth + 1, f"        and pseudo.pseudo_reg == {ins.p2}):")
        emit(depth + 2, "row = values")
        emit(depth + 1, "else:")
        emit(depth + 2, "row = None")
        emit(depth, f"if row is not None and {column.p2} < len(row):")
        emit(depth + 1, f"reg[{column.p3}] = row[{column.p2}]")
        emit(depth, "else:")
        self.call(i + 1, depth + 1, jumps=False)
        return WITH_NEXT

    def op_SorterNext(self, i, ins, depth, budget):
        emit = self.emit
        emit(depth, f"cur = {self.cursor(ins.p1)}")
        emit(depth, "sorter = None if cur is None else cur.sorter")
        emit(depth, "if sorter is None:")
        self.call(i, depth + 1)
        emit(depth, "else:")
        emit(depth + 1, "sorter.pos += 1")
        emit(depth + 1, "if sorter.pos < len(sorter.entries):")
        self.goto(ins.p2, depth + 2, budget, i)
        emit(depth + 1, "cur.null_row = True")

    def fused_insert(self, i: int, depth: int) -> None:
        """MakeRecord at `i` and SorterInsert at `i + 1`, the record never made: the
        sorter keeps the values (as a record would give them back) and no bytes."""
        make, insert = self.code[i], self.code[i + 1]
        emit = self.emit
        emit(depth, f"cur = {self.cursor(insert.p1)}")
        emit(depth, "sorter = None if cur is None else cur.sorter")
        emit(depth, "if True:" if make.p4 else "if sorter is None:")
        self.call(i, depth + 1, jumps=False)  # affinities to apply, or not a sorter:
        self.call(i + 1, depth + 1, jumps=False)  # the handlers do it all
        emit(depth, "else:")
        first, count = make.p1, make.p2
        if 1 <= count <= 4:  # values of the types a record keeps as they are: as they are
            test = " and ".join(f"type(reg[{first + k}]) in STORED" for k in range(count))
            listed = ", ".join(f"reg[{first + k}]" for k in range(count))
            emit(depth + 1, f"if {test}:")
            emit(depth + 2, f"sorter.entries.append(([{listed}], None))")
            emit(depth + 1, "else:")
            emit(depth + 2, f"values = values_as_stored(reg[{first}:{first + count}])")
            emit(depth + 2, "sorter.entries.append((values, None))")
        else:
            values = f"values_as_stored(reg[{first}:{first + count}])"
            emit(depth + 1, f"sorter.entries.append(({values}, None))")
