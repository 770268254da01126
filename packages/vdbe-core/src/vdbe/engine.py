"""The engine: the loop that runs a program, one instruction at a time.

    vm = VM(program)
    for row in vm:          # or vm.step() until it returns None, or vm.run()
        print(row)

The VM's state is a handful of public attributes that handlers read and write:

- `program`: the Program being run; `pc`: the address of the next instruction;
- `reg`: the registers, a list indexed by SQLite's register numbers (`reg[0]` unused);
- `cursors`: open cursors, indexed by cursor number (None when closed);
- `db`: the database (a `vdbe.storage.Database`, or None for table-free programs);
- `row`: the last result row; `trace`: where the trace goes, or None.
"""

from __future__ import annotations

import itertools
from collections.abc import Callable, Iterator, Mapping, Sequence

from vdbe import clock, memory
from vdbe.errors import InterruptedError_, SqlError, StepLimitError, UnsupportedOpcode
from vdbe.opcodes import HALT, LEFT_OUT, OPCODES, RELOAD, ROW, load_all
from vdbe.program import Instruction, Program

MAX_CURSORS = 1_000_000  # cursor numbers a program may use (SQLite's compiler uses a few)

_SPENT = object()  # what the step budget yields once it is used up


class VM:
    """A virtual machine running one program, in the manner of a `sqlite3_stmt`."""

    def __init__(
        self,
        program: Program,
        db: object | None = None,
        *,
        trace: object | None = None,
        max_steps: int | None = None,
        bindings: Sequence | Mapping | None = None,
        progress: tuple[Callable[[], object], int] | None = None,
    ) -> None:
        load_all()
        memory.keep_reserve()
        self.program = program
        self.db = db
        # With a connection: [main, temp, attached...], what a cursor's P3 numbers
        self.databases: list | None = None
        self.pc = 0
        if program.n_registers is None:
            program.n_registers = register_count(program)
        self.reg: list = [None] * program.n_registers
        self.cursors: list = []
        self.row: list | None = None
        self.trace = trace
        self.bindings = bindings if bindings is not None else ()
        self.halted = False
        self.max_steps = max_steps
        self.frame = None  # the caller's saved state while a sub-program runs
        self.once: set = set()  # (program id, address) of Once instructions already passed
        self.cleared: set = set()  # registers holding a cleared NULL (see the Null opcode)
        self.collation: str | None = None  # named by CollSeq for the next function call
        self.compare_result = 0  # what the last Compare found, for Jump
        self.made_record: tuple = (None, None)  # the last MakeRecord's (record, values)
        self.changes = 0  # rows changed by the statement, as sqlite3_changes() counts
        self.fk_violations = 0  # immediate foreign key violations (see FkCounter)
        self.subtypes = False  # a function has made a value with a subtype (JSON text)
        # The step budget is an iterator the loop draws one item from per instruction;
        # it is shared by all calls of step(), so the budget covers the whole run.
        self._budget = itertools.repeat(None) if max_steps is None else iter(range(max_steps))
        if progress is not None:
            self._budget = _with_progress(self._budget, *progress)
        # Without a budget or a trace, the budget is instead the number of instructions
        # run here before the program's translation to Python takes over (vdbe.translate).
        self._translating = max_steps is None and progress is None and trace is None
        if self._translating:
            self._translating = _translator() is not None
        if self._translating:
            self._budget = itertools.repeat(None, _translator().HOT)
        # This VM's own copy of each program's handler list: id(program) -> (program, list).
        self._handler_lists: dict[int, tuple[Program, list]] = {}
        self._interrupted = False

    # --8<-- [start:loop]
    def step(self) -> list | None:
        """Run until the next result row (returned) or the end of the program (None)."""
        if self.halted:
            return None
        handlers, code = self._load(self.program)
        clock.begin_step()  # every date('now') of this step is one moment
        try:
            while True:
                for _ in self._budget:
                    pc = self.pc
                    self.pc = pc + 1
                    signal = handlers[pc](self, code[pc])
                    if signal is None:
                        continue
                    if signal is ROW:
                        return self.row
                    if signal is HALT:
                        self._finish(ok=True)
                        return None
                    if signal is RELOAD:  # a handler switched programs: re-read what we cache
                        handlers, code = self._load(self.program)
                if not self._translating:
                    raise StepLimitError(f"step limit of {self.max_steps} instructions exceeded")
                signal = self._run_translation(handlers)  # the program is hot
                if signal is ROW:
                    return self.row
                if signal is HALT:
                    self._finish(ok=True)
                    return None
                handlers, code = self._load(self.program)
        except BaseException as error:
            if isinstance(error, MemoryError):
                memory.release_reserve()  # so that the error can unwind (see vdbe.memory)
            self._finish(ok=False)
            raise
        finally:
            clock.end_step()

    # --8<-- [end:loop]

    # --8<-- [start:run_translation]
    def _run_translation(self, handlers: list) -> str | None:
        """Run the program's translation from `pc` (see vdbe.translate); its signal.

        Its signal is ROW, HALT, RELOAD (the engine runs the called program), or None
        where the translation has no entry: the engine goes on for RETRY instructions
        and tries again. A program that has no translation stays in the engine.
        """
        translator = _translator()
        self._budget = itertools.repeat(None, translator.RETRY)
        if self.frame is not None or self._interrupted or self.trace is not None:
            return None  # a trigger's program, or a run being stopped: the engine's
        run = translator.translation_of(self.program)
        if run is None:
            self._budget = itertools.repeat(None)
            return None
        signal = run(self, handlers)
        if signal is ROW:
            self._budget = iter(())  # the next step() goes straight back to it
        return signal

    # --8<-- [end:run_translation]

    def step_instruction(self) -> list | None:
        """Run exactly one instruction, as a debugger's "step" does.

        Returns the result row when that instruction made one, else None; `halted`
        says when the program has ended and `pc` which instruction comes next. The
        step budget counts these instructions too. `step()` runs the same handlers in
        a tight loop; this is the slow, one-at-a-time way in, for tools that show the
        machine between instructions.
        """
        if self.halted:
            return None
        handlers, code = self._load(self.program)
        try:
            if next(self._budget, _SPENT) is _SPENT and not self._translating:
                raise StepLimitError(f"step limit of {self.max_steps} instructions exceeded")
            pc = self.pc
            self.pc = pc + 1
            signal = handlers[pc](self, code[pc])
            if signal is ROW:
                return self.row
            if signal is HALT:
                self._finish(ok=True)
        except BaseException:
            self._finish(ok=False)
            raise
        return None

    # --8<-- [start:load]
    def _load(self, program: Program) -> tuple[list, list[Instruction]]:
        """The handler list and instruction list of a program, the pair the loop indexes."""
        known = self._handler_lists.get(id(program))
        if known is not None and known[0] is program:
            handlers = known[1]
        else:
            if program.handlers is None or len(program.handlers) != len(program.instructions):
                program.handlers = [handler_for(ins.opcode) for ins in program]
            handlers = list(program.handlers)
            if self.trace is not None:
                from vdbe.trace import traced_handlers

                handlers = traced_handlers(self, program, handlers)
            if self._interrupted:
                handlers[:] = [_raise_interrupted] * len(handlers)
            self._handler_lists[id(program)] = (program, handlers)
        return handlers, program.instructions

    # --8<-- [end:load]

    def _finish(self, ok: bool) -> None:
        """End the statement: close cursors, commit or roll back (see opcodes.transaction)."""
        self.halted = True
        if self.db is None and not self.cursors:
            return
        end_statement = _statement_ender()
        if end_statement is not None:
            end_statement(self, ok)

    def reset(self) -> None:
        """End the program where it stands, keeping what it did (as sqlite3_reset)."""
        if not self.halted:
            self._finish(ok=True)

    def close(self) -> None:
        """Abandon the program if it is still running (its statement is rolled back)."""
        if not self.halted:
            self._finish(ok=False)

    def __enter__(self) -> VM:
        return self

    def __exit__(self, *exc_info) -> None:
        self.close()

    def __iter__(self) -> Iterator[list]:
        while (row := self.step()) is not None:
            yield row

    def run(self) -> list[list]:
        """Run to the end and return every result row."""
        return list(self)

    # --8<-- [start:interrupt]
    def interrupt(self) -> None:
        """Stop the program at its next instruction with InterruptedError_ ('interrupted').

        The loop pays nothing for this: every entry of the VM's handler lists is replaced,
        in place, by a handler that raises, so whatever instruction comes next stops it.
        May be called from another thread or a signal handler.
        """
        self._interrupted = True
        for _, handlers in self._handler_lists.values():
            handlers[:] = [_raise_interrupted] * len(handlers)

    # --8<-- [end:interrupt]

    def database(self, index: int):
        """Database number `index`: 0 the main one, 1 the temp one, 2 and up attached
        ones. A VM run without a connection has only the main database."""
        if index == 1 and self.databases is None:
            return self._own_temp_database()
        if index == 0 or self.databases is None:
            if index != 0:
                raise SqlError("temporary tables are not supported")
            if self.db is None:
                raise SqlError("no database is open")
            return self.db
        if index >= len(self.databases) or self.databases[index] is None:
            raise SqlError(f"no database number {index}")
        return self.databases[index]

    def _own_temp_database(self):
        """A VM without a connection has an empty TEMP database of its own, which lives
        as long as the VM (ALTER TABLE's programs read its schema, for one)."""
        temp = self.__dict__.get("_temp_database")
        if temp is None:
            from vdbe.storage import Database

            temp = self._temp_database = Database.memory()
        return temp

    def ensure_registers(self, count: int) -> None:
        """Grow the register file to at least `count` registers."""
        if len(self.reg) < count:
            self.reg.extend([None] * (count - len(self.reg)))

    def cursor(self, number: int):
        """The open cursor number `number` (None if closed)."""
        return self.cursors[number] if number < len(self.cursors) else None

    def set_cursor(self, number: int, cursor: object) -> None:
        """Install (or with None, forget) cursor number `number`."""
        if not 0 <= number < MAX_CURSORS:  # only a hand-written program gets this wrong
            raise SqlError(f"cursor number {number} is out of range (0 to {MAX_CURSORS - 1})")
        if number >= len(self.cursors):
            self.cursors.extend([None] * (number + 1 - len(self.cursors)))
        self.cursors[number] = cursor


def _translator():
    """The `vdbe.translate` module, or None when VDBE_TRANSLATE=0 turns translation off."""
    from vdbe import translate

    return translate if translate.ENABLED else None


def _statement_ender():
    """`vdbe.opcodes.transaction.end_statement`, when the SQL opcodes are installed."""
    try:
        from vdbe.opcodes.transaction import end_statement
    except ImportError:
        return None
    return end_statement


def _with_progress(budget: Iterator, handler: Callable[[], object], every: int) -> Iterator:
    """The step budget, calling `handler` every `every` instructions; a true result
    interrupts the program (sqlite3_progress_handler)."""
    while True:
        drawn = 0
        for _ in itertools.islice(budget, every):
            drawn += 1
            yield None
        if drawn < every:  # the budget itself ran out
            return
        if handler():
            raise InterruptedError_()


def _raise_interrupted(vm: VM, op: Instruction) -> None:
    raise InterruptedError_()


def handler_for(name: str):
    """The handler of an opcode; unknown opcodes get one that raises UnsupportedOpcode."""
    spec = OPCODES.get(name)
    if spec is not None:
        return spec.handler

    def unsupported(vm: VM, op: Instruction) -> None:
        raise UnsupportedOpcode(op.opcode, why=LEFT_OUT.get(op.opcode))

    return unsupported


def register_count(program: Program) -> int:
    """How many registers the program needs: past the largest register it names, twice.

    P1 counts unless the opcode's declaration says it is a cursor number or a value.
    """
    largest = 0
    for ins in program:
        candidates = [ins.p2, ins.p3]
        spec = OPCODES.get(ins.opcode)
        if spec is None or spec.p1 == "register":
            candidates.append(ins.p1)
        for value in candidates:
            if isinstance(value, int) and 0 < value < 1_000_000 and value > largest:
                largest = value
    return 2 * largest + 2
