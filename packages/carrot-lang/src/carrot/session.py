"""A run of Carrot code, shared by the command line and the REPL: compiling a source,
making the interpreter (with the extensions set up), running and reporting errors, and
the exit statuses all of them return.
"""

from __future__ import annotations

import contextlib
import sys
from dataclasses import dataclass, field
from typing import Any, TextIO

from carrot.diagnostics import CompileError, Source, format_compile_error
from carrot.extension import Extensions
from carrot.runtime.errors import CarrotRuntimeError

EXIT_OK = 0
EXIT_USAGE = 64
EXIT_COMPILE = 65
EXIT_NO_INPUT = 66
EXIT_RUNTIME = 70
EXIT_INTERRUPTED = 130


@dataclass
class RunOptions:
    """How to run a program: the limits, tracing, and extension options such as ``db``."""

    trace: bool = False
    fast: bool | None = None  # None: the fast path unless something needs the engine
    max_steps: int | None = None
    max_depth: int = 1000
    extension_options: dict[str, Any] = field(default_factory=dict)


def compile_source(source: Source, extensions: Extensions, *, echo: bool = False, known=()):
    """Front end then compiler: the compiled program, or CompileError."""
    from carrot.compiler import compile_program
    from carrot.parser import deep_recursion
    from carrot.resolver import analyze

    program = analyze(source.text, source.file, extensions, frozenset(known))
    with deep_recursion():
        compiled = compile_program(
            program, echo=echo, known_globals=frozenset(known), extensions=extensions
        )
    return program, compiled


def report_compile_failure(error: CompileError | NotImplementedError, source: Source) -> int:
    """Print why ``source`` did not compile; return the exit status."""
    if isinstance(error, NotImplementedError):  # a learner's exercise stub was reached
        return report_missing(error)
    print(format_compile_error(error, source), file=sys.stderr)
    return EXIT_COMPILE


def report_missing(missing: NotImplementedError) -> int:
    """An exercise stub that is not written yet."""
    print(f"carrot: not implemented yet: {missing}", file=sys.stderr)
    return EXIT_RUNTIME


def make_interpreter(options: RunOptions, out: TextIO, extensions: Extensions):
    """The interpreter for a run (or a whole REPL session), the extensions set up.
    An extension's setup error (a --db file that cannot be opened) propagates."""
    from carrot.runtime import Interpreter

    return Interpreter(
        out,
        max_depth=options.max_depth,
        max_steps=options.max_steps,
        trace=sys.stderr if options.trace else None,
        fast=options.fast,
        extensions=extensions,
        options=options.extension_options,
    )


def run_reporting_errors(interpreter, compiled) -> int:
    """Run ``compiled``; print a runtime error or an interrupt; return the exit status."""
    try:
        interpreter.run(compiled)
    except (CarrotRuntimeError, KeyboardInterrupt) as error:
        flush_quietly(sys.stdout)
        if isinstance(error, KeyboardInterrupt):
            print("interrupted", file=sys.stderr)
            return EXIT_INTERRUPTED
        print(error.render(), file=sys.stderr)
        return error.exit_status
    except NotImplementedError as missing:  # a learner's exercise stub was reached
        flush_quietly(sys.stdout)
        return report_missing(missing)
    return EXIT_OK


def report_outside_run(error: Exception) -> int:
    """An error of an extension's setup or teardown: no program position to show."""
    flush_quietly(sys.stdout)
    message = getattr(error, "message", None) or str(error)
    print(f"carrot: error: {message}", file=sys.stderr)
    return EXIT_RUNTIME


def flush_quietly(stream: TextIO) -> None:
    with contextlib.suppress(OSError, ValueError):
        stream.flush()
