"""Running compiled Carrot: the vdbe engine with Carrot's opcodes, or the fast path.

:class:`Interpreter` owns one :class:`Runtime` (globals, tables, output) for its whole
life, so a REPL can run input after input in the same world. ``run`` executes a
:class:`~carrot.compiler.CompiledProgram`:

- on the **engine** (the reference semantics): a ``vdbe.engine.VM`` runs ``<main>``;
  ``Call`` and ``FnReturn`` switch it between the functions' programs;
- on the **fast path**: each function's bytecode is translated into a Python function
  (see :mod:`carrot.runtime.fastpath`), and the translations call each other directly.

Either way a runtime error leaves as a :class:`CarrotRuntimeError` whose position and
call stack are filled in from the functions' position tables.

A program compiled with extensions runs on an interpreter given the same ones::

    extensions = load_extensions()
    program = analyze(text, "bank.carrot", extensions)
    with Interpreter(extensions=extensions, options={"db": "bank.db"}) as interpreter:
        interpreter.run(compile_program(program, extensions=extensions))
"""

from __future__ import annotations

import contextlib
import os
import sys
from collections.abc import Iterator
from typing import Any, TextIO

from vdbe import memory
from vdbe.engine import VM
from vdbe.errors import InterruptedError_, StepLimitError

from carrot.extension import NO_EXTENSIONS, ExtensionError, Extensions
from carrot.runtime import calls, opcodes  # noqa: F401 - registers the Carrot opcodes
from carrot.runtime.errors import CarrotInterrupted, CarrotRuntimeError, out_of_memory
from carrot.runtime.state import Runtime
from carrot.runtime.values import Function

NO_JIT_ENV = "CARROT_NO_JIT"


def fast_path_default() -> bool:
    """The fast path is on unless the environment variable CARROT_NO_JIT is set (not 0)."""
    return os.environ.get(NO_JIT_ENV, "0") in ("", "0")


class Interpreter:
    """Runs compiled programs in one persistent Carrot world."""

    def __init__(
        self,
        out: TextIO | None = None,
        *,
        max_depth: int = 1000,
        max_steps: int | None = None,
        trace: TextIO | None = None,
        fast: bool | None = None,
        db: Any = None,
        extensions: Extensions | None = None,
        options: dict[str, Any] | None = None,
    ) -> None:
        """``extensions``: registered now, set up with ``options`` (``{"db": PATH}``),
        told when a program fails, and torn down by :meth:`close`."""
        self.runtime = Runtime(out, max_depth=max_depth, db=db)
        self.extensions = extensions or NO_EXTENSIONS
        self.extensions.import_opcodes()
        self.max_steps = max_steps
        self.trace = trace
        if fast is None:
            fast = fast_path_default()
        # the step budget and the trace are the engine's: they need the reference path
        self.fast = fast and max_steps is None and trace is None
        self.vm: VM | None = None
        self.extensions.setup(self, options or {})

    def close(self) -> None:
        """Let the extensions finish (commit, close files). Call it once, at the end."""
        self.extensions.teardown(self)

    def __enter__(self) -> Interpreter:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()

    @property
    def globals(self) -> dict[str, Any]:
        return self.runtime.globals

    def run(self, compiled: Any) -> None:
        """Run a compiled program's top-level code to its end."""
        file = getattr(compiled, "file", "<string>")
        missing = getattr(compiled, "extensions", frozenset()) - self.extensions.names
        if missing:
            raise ExtensionError(
                f"the program was compiled with the extension(s) {', '.join(sorted(missing))}:"
                " give the Interpreter the same extensions"
            )
        memory.keep_reserve()
        try:
            if self.fast:
                self._run_fast(compiled)
            else:
                self._run_engine(compiled)
        except CarrotRuntimeError as error:
            error.file = file
            self.extensions.error(self)  # e.g. undo a transactional call's changes
            raise
        finally:
            self.runtime.out.flush()

    # --8<-- [start:run_engine]
    def _run_engine(self, compiled: Any) -> None:
        vm = self.start(compiled)
        try:
            with self.errors_located(vm):
                vm.run()
        finally:
            self.runtime.frames = []

    def start(self, compiled: Any) -> VM:
        """A VM at the first instruction of the program's top-level code, ready to run
        (or to be stepped one instruction at a time, as the docs' playground does)."""
        rt = self.runtime
        main: Function = compiled.main
        vm = VM(main.program, None, trace=self.trace, max_steps=self.max_steps)
        vm.carrot = rt
        vm.ensure_registers(main.n_registers + 1)
        rt.frames = []
        rt.function = main
        self.vm = vm
        return vm

    @contextlib.contextmanager
    def errors_located(self, vm: VM) -> Iterator[None]:
        """Turn what the VM raises into the error a user sees: a CarrotRuntimeError
        that names the failing instruction's position and each caller's."""
        try:
            yield
        except CarrotRuntimeError as error:
            raise self._locate(error, vm) from None
        except StepLimitError:
            error = CarrotRuntimeError(f"step limit exceeded ({self.max_steps})")
            raise self._locate(error, vm) from None
        except (KeyboardInterrupt, InterruptedError_):
            raise CarrotInterrupted() from None
        except RecursionError:
            error = CarrotRuntimeError("value nested too deeply")
            raise self._locate(error, vm) from None
        except MemoryError:  # the program's values outgrew the memory it may have
            raise self._locate(out_of_memory(), vm) from None

    def _locate(self, error: CarrotRuntimeError, vm: VM) -> CarrotRuntimeError:
        """Fill in where the error happened: the failing instruction, then each caller."""
        rt = self.runtime
        function = rt.function
        if function is not None:
            error.add_frame(function.name, *function.position(vm.pc - 1))
        for frame in reversed(rt.frames):
            error.add_frame(frame.function.name, *frame.function.position(frame.pc - 1))
        return error

    # --8<-- [end:run_engine]

    def _run_fast(self, compiled: Any) -> None:
        from carrot.runtime.fastpath import run_fast

        limit = sys.getrecursionlimit()
        needed = self.runtime.max_depth * 2 + 200
        if needed > limit:
            sys.setrecursionlimit(needed)
        try:
            if not run_fast(self.runtime, compiled):
                self._run_engine(compiled)
        except (KeyboardInterrupt, InterruptedError_):
            raise CarrotInterrupted() from None
        finally:
            sys.setrecursionlimit(limit)

    def interrupt(self) -> None:
        """Stop the running program as Ctrl-C would (from another thread)."""
        if self.vm is not None:
            self.vm.interrupt()
