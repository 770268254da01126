"""The playground's bridge: what the page's buttons do, on the real packages.

The playground page runs this module in the reader's browser, in Pyodide, next to the
very wheels of dvm, vdbe-core, carrot-lang and carrot-txn that ``pip install`` gets.
The page calls two things and receives JSON text back:

    run(lang, source)          Run: the output exactly as the command line prints it
    Session(lang, source)      Explain and Step: a compiled program, held between
        .explain()             the listing of each program
        .step() .step_over() .cont()   run one instruction, one line's worth, or on
        .state()               registers, call frames, cursors or tables, output

``lang`` is ``"carrot"``, ``"sql"`` or ``"dvm"``. Nothing here re-implements a stage: a run
is the stage's own command-line ``main``, and stepping drives the stage's own VM one
instruction at a time (``vdbe.engine.VM.step_instruction``).
"""

from __future__ import annotations

import contextlib
import io
import json
import os
import sqlite3
import tempfile
from collections.abc import Iterator

STEP_BUDGET = 1_000_000  # a runaway program stops here, with the normal error
SHOWN_KEYS = 20  # keys listed per table in the state pane
LANGUAGES = ("carrot", "sql", "dvm")
_directory: str | None = None  # where the SQL database lives: one per process


# --8<-- [start:run]
def run(lang: str, source: str, explain: bool = False) -> str:
    """Run a program as its command would; JSON {"output", "status"}.

    ``explain``: for dvm, print the program before the value (``dvm --explain``)."""
    with captured() as output:
        if lang == "carrot":
            from carrot.cli import main

            status = main(["-c", source, "--max-steps", str(STEP_BUDGET)])
        elif lang == "sql":
            from vdbe.cli import main

            status = main(["sql", "--db", fresh_database(), source])
        elif lang == "dvm":
            from dvm.cli import main

            status = main(["--explain", "-c", source] if explain else ["-c", source])
        else:
            raise ValueError(f"unknown language {lang!r}; expected one of {LANGUAGES}")
    return json.dumps({"output": output.getvalue().decode("utf-8", "replace"), "status": status})


# --8<-- [end:run]


@contextlib.contextmanager
def captured() -> Iterator[io.BytesIO]:
    """Standard output and error, interleaved as a terminal shows them, as bytes."""
    raw = io.BytesIO()
    text = io.TextIOWrapper(raw, encoding="utf-8", errors="replace", write_through=True)
    with contextlib.redirect_stdout(text), contextlib.redirect_stderr(text):
        yield raw
    text.detach()  # flushes, and leaves `raw` open for the caller to read


def fresh_database() -> str:
    """The playground's database file (in Pyodide, in memory), emptied."""
    global _directory
    if _directory is None:
        _directory = tempfile.mkdtemp(prefix="playground-")
    path = os.path.join(_directory, "playground.db")
    for name in (path, path + "-journal"):
        with contextlib.suppress(FileNotFoundError):
            os.remove(name)
    return path


def split_statements(source: str) -> list[str]:
    """SQL text cut into statements as `vdbe sql` cuts it; a last statement left without
    its `;` gets one, when that makes it whole."""
    from vdbe.statements import split_statements as cut

    statements = [statement.sql for statement in cut(source)]
    last = statements[-1] if statements else ";"
    if not last.endswith(";") and sqlite3.complete_statement(last + ";"):
        statements[-1] = last + ";"
    return statements


class Session:
    """One program, compiled, being stepped; a new Session starts it again."""

    def __init__(self, lang: str, source: str) -> None:
        kinds = {"carrot": CarrotStepper, "sql": SqlStepper, "dvm": DvmStepper}
        if lang not in kinds:
            raise ValueError(f"unknown language {lang!r}; expected one of {LANGUAGES}")
        self.stepper = kinds[lang](source)

    def explain(self) -> str:
        return json.dumps(self.stepper.programs)

    def state(self) -> str:
        return json.dumps(self.stepper.state())

    def step(self) -> str:
        self.stepper.guarded(self.stepper.step)
        return self.state()

    def step_over(self) -> str:
        self.stepper.guarded(self.stepper.step_over)
        return self.state()

    def cont(self) -> str:
        self.stepper.guarded(self.stepper.cont)
        return self.state()


class Stepper:
    """What every language's stepper shares: the output so far, the end, the error.

    ``programs`` is a list of {"name", "listing", "lines"}: each program's listing and,
    per address, the source line it came from (0: none).
    """

    def __init__(self) -> None:
        self.out = io.StringIO()
        self.programs: list[dict] = []
        self.done = False
        self.error: str | None = None

    def guarded(self, action) -> None:
        """Run a stepping action unless the program has ended; an error ends it."""
        if self.done:
            return
        try:
            action()
        except Exception as error:  # the same words the command line prints
            self.error = self.message(error)
            self.done = True
            self.stopped()

    def message(self, error: Exception) -> str:
        return f"{type(error).__name__}: {error}"

    def stopped(self) -> None:
        """Clean up after an error ended the program."""

    def step_over(self) -> None:
        self.step()

    def cont(self) -> None:
        while not self.done:
            self.step()

    def state(self) -> dict:
        output = self.out.getvalue() + (self.error + "\n" if self.error else "")
        return {"done": self.done, "error": self.error, "output": output}


# --8<-- [start:carrot]
class CarrotStepper(Stepper):
    """Carrot on the reference engine: the interpreter's own VM, one instruction a step."""

    def __init__(self, source: str) -> None:
        from carrot.diagnostics import CompileError, Source, format_compile_error
        from carrot.extension import load_extensions
        from carrot.session import RunOptions, compile_source, make_interpreter

        super().__init__()
        self.source = Source(source, "<string>")
        self.extensions = load_extensions()
        try:
            _, self.compiled = compile_source(self.source, self.extensions)
        except CompileError as error:
            self.error = format_compile_error(error, self.source)
            self.done = True
            return
        self.programs = [program_entry(fn) for fn in self.compiled.all_functions()]
        options = RunOptions(fast=False, max_steps=STEP_BUDGET)
        self.interpreter = make_interpreter(options, self.out, self.extensions)  # set up too
        self.vm = self.interpreter.start(self.compiled)
        self.runtime = self.interpreter.runtime

    def message(self, error: Exception) -> str:
        render = getattr(error, "render", None)
        return render() if render else super().message(error)

    def step(self) -> None:
        with self.interpreter.errors_located(self.vm):
            self.vm.step_instruction()
        self.finish_if_halted()

    def step_over(self) -> None:
        """One instruction, and if it calls a function, the whole call."""
        depth = len(self.runtime.frames)
        self.step()
        while not self.done and len(self.runtime.frames) > depth:
            self.step()

    def cont(self) -> None:
        with self.interpreter.errors_located(self.vm):
            self.vm.run()
        self.finish_if_halted()

    def finish_if_halted(self) -> None:
        if self.vm.halted:
            self.done = True
            self.interpreter.close()
            self.runtime.frames = []

    def stopped(self) -> None:
        """As after a failed run: the extensions undo what they must (an open ``txn``)."""
        if hasattr(self, "vm"):
            self.extensions.error(self.interpreter)
            self.interpreter.close()
            self.runtime.frames = []

    # --8<-- [end:carrot]

    def state(self) -> dict:
        state = super().state()
        if not hasattr(self, "vm"):
            return state
        rt = self.runtime
        function = rt.function
        frames = [(function, self.vm.pc, self.vm.reg)]
        frames += [(f.function, f.pc, f.registers) for f in reversed(rt.frames)]
        tables: dict[int, dict] = {}
        for index, (fn, _, registers) in enumerate(frames):
            for number, value in enumerate(registers):
                self.note_table(
                    tables, value, f"{fn.name} r[{number}]" if index else f"r[{number}]"
                )
        for name, value in rt.globals.items():
            self.note_table(tables, value, name)
        state.update(
            program=self.function_index(function),
            pc=self.vm.pc,
            line=function.position(self.vm.pc)[0] if function else 0,
            registers=[
                [number, self.value_text(value)]
                for number, value in enumerate(self.vm.reg)
                if number and value is not None
            ],
            frames=[
                {"function": fn.name, "pc": pc, "line": fn.position(pc)[0]}
                for fn, pc, _ in frames
                if fn is not None
            ],
            tables=list(tables.values()),
        )
        return state

    def function_index(self, function) -> int:
        for index, fn in enumerate(self.compiled.all_functions()):
            if fn is function:
                return index
        return 0

    def value_text(self, value) -> str:
        from carrot.runtime.printing import echo_text
        from carrot.runtime.values import Table

        if type(value) is Table:
            return f"table #{value.root}"
        try:
            return echo_text(value, self.runtime.store)
        except (TypeError, ValueError):
            return repr(value)  # an engine value that is not a Carrot one

    def note_table(self, tables: dict, value, where: str) -> None:
        from carrot.runtime.printing import repr_scalar
        from carrot.runtime.values import Table

        if type(value) is not Table:
            return
        if value.root in tables:
            tables[value.root]["names"].append(where)
            return
        keys = []
        for key, _ in value.store.items(value):
            if len(keys) == SHOWN_KEYS:
                keys.append("...")
                break
            keys.append(repr_scalar(key))
        tables[value.root] = {"table": f"table #{value.root}", "names": [where], "keys": keys}


def program_entry(fn) -> dict:
    """A Carrot function's listing and each instruction's source line."""
    heading = "<main>" if fn.name == "<main>" else f"fn {fn.name}({', '.join(fn.params)})"
    lines = [fn.position(pc)[0] for pc in range(len(fn.program.instructions))]
    return {"name": heading, "listing": fn.program.listing(), "lines": lines}


class SqlStepper(Stepper):
    """SQL: each statement compiled by SQLite, run on the vdbe VM, instruction by instruction."""

    def __init__(self, source: str) -> None:
        super().__init__()
        self.path = fresh_database()
        self.statements = split_statements(source)
        self.index = -1
        self.vm = None
        self.db = None
        self.rows: list[list[str]] = []
        self.programs = [
            {"name": statement, "listing": "", "lines": []} for statement in self.statements
        ]
        self.guarded(self.next_statement)

    def message(self, error: Exception) -> str:
        return "Error: " + (getattr(error, "message", None) or str(error))

    def next_statement(self) -> None:
        """Compile and start the next statement (after the previous one ended)."""
        from vdbe.engine import VM
        from vdbe.loader import compile_sql
        from vdbe.storage import Database

        self.close()
        self.index += 1
        if self.index >= len(self.statements):
            self.done = True
            return
        self.db = Database(self.path)
        program = compile_sql(self.statements[self.index], self.path)
        self.programs[self.index]["listing"] = program.listing()
        self.vm = VM(program, self.db, max_steps=STEP_BUDGET)

    def close(self) -> None:
        if self.vm is not None:
            self.vm.close()
        if self.db is not None:
            self.db.close()
        self.vm = self.db = None

    def step(self) -> None:
        if self.vm is None:
            return
        row = self.vm.step_instruction()
        if row is not None:
            self.show_row(row)
        if self.vm.halted:
            self.next_statement()

    def cont(self) -> None:
        while not self.done:
            for row in self.vm:
                self.show_row(row)
            self.next_statement()

    def show_row(self, row: list) -> None:
        from vdbe.cli import text_value

        cells = [text_value(v) for v in row]
        cells = [c.decode("utf-8", "replace") if isinstance(c, bytes) else c for c in cells]
        self.rows.append(cells)
        self.out.write("|".join(cells) + "\n")

    def stopped(self) -> None:
        self.close()

    def state(self) -> dict:
        state = super().state()
        vm = self.vm
        state.update(
            program=max(self.index, 0),
            pc=vm.pc if vm is not None else -1,
            registers=[]
            if vm is None
            else [[n, sql_value_text(v)] for n, v in enumerate(vm.reg) if n and v is not None],
            cursors=[] if vm is None else cursor_lines(vm.cursors),
            rows=self.rows,
        )
        return state


def sql_value_text(value) -> str:
    """A register's value as SQL would write it (strings quoted, NULL named)."""
    if value is None:
        return "NULL"
    if isinstance(value, str):
        return "'" + value.replace("'", "''") + "'"
    if isinstance(value, bytes | bytearray):
        return "x'" + bytes(value).hex().upper() + "'"
    if isinstance(value, int | float):
        from vdbe.values import to_text

        return to_text(value)
    return repr(value)


def cursor_lines(cursors: list) -> list[str]:
    """One line per open cursor: its number, kind, tree and position."""
    lines = []
    for number, cursor in enumerate(cursors):
        if cursor is None:
            continue
        kind = getattr(cursor, "kind", type(cursor).__name__)
        text = f"cursor {number}: {kind}"
        root = getattr(cursor, "root", 0)
        if root:
            text += f", {'table' if getattr(cursor, 'is_table', True) else 'index'} root {root}"
        if getattr(cursor, "ephemeral", False):
            text += ", ephemeral"
        if kind == "btree":  # (a sorter's or a pseudo-table's row is in registers)
            text += btree_position(cursor)
        lines.append(text)
    return lines


def btree_position(cursor) -> str:
    """Where a B-tree cursor stands: on no row, or (a table's) on which rowid."""
    if cursor.null_row:
        return ", no row"
    if cursor.is_table and cursor.bt is not None:
        with contextlib.suppress(Exception):  # a cursor between moves has no rowid
            return f", at rowid {cursor.bt.rowid()}"
    return ""


class DvmStepper(Stepper):
    """The Dumb VM: straight-line code, so the state after k steps is the state of its
    first k instructions run on a fresh machine."""

    def __init__(self, source: str) -> None:
        from dvm import DvmError, compile_source, disassemble

        super().__init__()
        self.source = source
        self.pc = 0
        self.registers: list[int] = []
        try:
            self.program = compile_source(source)
        except DvmError as error:
            self.error = error.render(source)
            self.done = True
            return
        lines = [span.line if span is not None else 0 for span in self.program.spans]
        self.programs = [
            {"name": "expression", "listing": disassemble(self.program), "lines": lines}
        ]

    def message(self, error: Exception) -> str:
        render = getattr(error, "render", None)
        return render(self.source) if render else super().message(error)

    def step(self) -> None:
        from dvm import VM
        from dvm.program import Program, Return

        instruction = self.program[self.pc]
        if isinstance(instruction, Return):
            self.out.write(f"{VM(self.program).run()}\n")
            self.done = True
            return
        prefix = self.program.instructions[: self.pc + 1]
        spans = self.program.spans[: self.pc + 1]
        machine = VM(Program([*prefix, Return(0)], [*spans, None]))
        machine.run()
        self.registers = machine.registers
        self.pc += 1

    def state(self) -> dict:
        state = super().state()
        state.update(
            program=0,
            pc=self.pc,
            registers=[[n, str(v)] for n, v in enumerate(self.registers)],
        )
        return state
