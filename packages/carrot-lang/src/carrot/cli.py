"""The ``carrot`` command: run a program, run inline code, explain, or start the REPL.

    carrot FILE                       run a program
    carrot run FILE [options]         the same, spelled out
    carrot -c CODE [options]          run the code given on the command line
    carrot explain FILE | -c CODE     print the compiled programs instead of running them
    carrot                            the interactive REPL

Exit statuses follow the BSD ``sysexits`` convention that the language reference fixes:
0 success, 64 bad command line, 65 compile error, 66 input file missing or unreadable,
70 runtime error, 130 interrupted by Ctrl-C. No Python traceback is ever shown: an
error in the implementation itself is reported in one line as an internal error.
"""

from __future__ import annotations

import argparse
import sys
from typing import Any

from vdbe.console import use_utf8_streams
from vdbe.errors import VdbeError

from carrot.diagnostics import (
    CompileError,
    Source,
    SourceDecodeError,
    decode_source,
)
from carrot.extension import (
    INSTALL_HINT,
    OPTION_OWNERS,
    ExtensionError,
    Extensions,
    load_extensions,
)
from carrot.runtime.errors import CarrotRuntimeError
from carrot.session import (
    EXIT_INTERRUPTED,
    EXIT_NO_INPUT,
    EXIT_OK,
    EXIT_RUNTIME,
    EXIT_USAGE,
    RunOptions,
    compile_source,
    flush_quietly,
    make_interpreter,
    report_compile_failure,
    report_outside_run,
    run_reporting_errors,
)

DESCRIPTION = """\
Carrot is a small dynamically typed language whose programs are compiled to
bytecode for a virtual machine built on SQLite's design (the vdbe package).

commands:
  carrot FILE                 run the program in FILE
  carrot run FILE [options]   the same, spelled out
  carrot -c CODE [options]    run CODE given on the command line
  carrot explain FILE         print each function's compiled program (EXPLAIN layout)
  carrot explain -c CODE      the same for CODE
  carrot explain --python F   the Python source the fast path makes of each function
  carrot                      start the interactive REPL (prompt "carrot> ")
"""

EPILOG = """\
examples (the files are in the examples/ directory of Carrot's repository):
  carrot -c 'print(1 + 2);'
  carrot examples/hello.carrot
  carrot run examples/fib.carrot --max-depth 5000 --max-steps 1000000
  carrot explain examples/fib.carrot

exit status: 0 success, 64 bad command line, 65 compile error,
66 input file not found or unreadable, 70 runtime error, 130 interrupted (Ctrl-C).
Errors are reported as FILE:LINE:COL: error: MESSAGE (compile) or
FILE:LINE:COL: runtime error: MESSAGE followed by the active calls.
"""


class UsageError(Exception):
    """A mistake on the command line (exit status 64)."""


class InputError(Exception):
    """The program file cannot be read (exit status 66)."""


class CarrotArgumentParser(argparse.ArgumentParser):
    """argparse, but a bad command line exits 64 (EX_USAGE) instead of 2."""

    def error(self, message: str):  # type: ignore[override]
        raise UsageError(f"{message}\n(see '{self.prog} --help')")


def package_version() -> str:
    from importlib.metadata import PackageNotFoundError, version  # only for --version

    try:
        return version("carrot-lang")
    except PackageNotFoundError:  # running from a source tree that is not installed
        return "unknown"


class VersionAction(argparse.Action):
    """``--version``: looks the installed version up only when asked."""

    def __init__(self, option_strings: list[str], dest: str, **kwargs: Any) -> None:
        super().__init__(
            option_strings, dest, nargs=0, help="show program's version number and exit"
        )

    def __call__(self, parser: Any, namespace: Any, values: Any, option: Any = None) -> None:
        print(f"carrot {package_version()}")
        parser.exit()


def positive_int(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected a whole number, got '{text}'") from None
    if value <= 0:
        raise argparse.ArgumentTypeError(f"expected a number above 0, got {value}")
    return value


def add_run_options(parser: argparse.ArgumentParser, extensions: Extensions) -> None:
    group = parser.add_argument_group("running options")
    group.add_argument(
        "--trace",
        action="store_true",
        help="write each executed instruction and the registers it changed to stderr",
    )
    group.add_argument(
        "--no-jit",
        action="store_true",
        help="run every function on the reference engine, never the fast path",
    )
    group.add_argument(
        "--max-steps",
        type=positive_int,
        metavar="N",
        help="stop with a runtime error after N instructions (default: no limit)",
    )
    group.add_argument(
        "--max-depth",
        type=positive_int,
        metavar="N",
        default=1000,
        help="largest call depth before a runtime error (default: 1000)",
    )
    provided = {option.flag for option in extensions.options}
    for option in extensions.options:
        group.add_argument(option.flag, dest=option.dest, metavar=option.metavar, help=option.help)
    for flag, _package in OPTION_OWNERS.items():
        if flag not in provided:  # accept it, to say which package gives it
            group.add_argument(flag, dest="missing_" + flag.lstrip("-"), help=argparse.SUPPRESS)


def build_parser(command: str | None, extensions: Extensions) -> argparse.ArgumentParser:
    """The argument parser for ``carrot``, ``carrot run`` or ``carrot explain``."""
    prog = "carrot" if command is None else f"carrot {command}"
    parser = CarrotArgumentParser(
        prog=prog,
        description=DESCRIPTION,
        epilog=EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("--version", action=VersionAction)
    parser.add_argument("-c", dest="code", metavar="CODE", help="run CODE instead of a file")
    parser.add_argument("file", nargs="?", metavar="FILE", help="the program to run (.carrot)")
    if command == "explain":
        parser.add_argument(
            "--python",
            action="store_true",
            help="print the Python source the fast path makes of each function instead",
        )
    else:
        add_run_options(parser, extensions)
    return parser


# --8<-- [start:main]
def main(argv: list[str] | None = None) -> int:
    """Entry point of the ``carrot`` command; returns the exit status."""
    args = sys.argv[1:] if argv is None else argv
    if sys.stdout is None:  # started with standard output closed (`carrot prog >&-`)
        print("carrot: error: cannot write output: standard output is closed", file=sys.stderr)
        return EXIT_RUNTIME
    use_utf8_streams()
    try:
        return dispatch(args)
    except UsageError as exc:
        print(f"carrot: error: {exc}", file=sys.stderr)
        return EXIT_USAGE
    except InputError as exc:
        print(f"carrot: error: {exc}", file=sys.stderr)
        return EXIT_NO_INPUT
    except SourceDecodeError as error:
        return report_compile_failure(error, error.source)
    except ExtensionError as exc:
        print(f"carrot: error: {exc}", file=sys.stderr)
        return EXIT_RUNTIME
    except KeyboardInterrupt:
        flush_quietly(sys.stdout)
        print("interrupted", file=sys.stderr)
        return EXIT_INTERRUPTED
    except BrokenPipeError:
        silence_stdout()  # the reader went away (carrot prog | head): not an error
        return EXIT_OK
    except SystemExit as exc:  # --help and --version print and exit 0
        return exc.code if isinstance(exc.code, int) else EXIT_OK
    except OSError as exc:  # the output could not be written (`carrot prog > /dev/full`)
        silence_stdout()
        print(f"carrot: error: cannot write output: {exc.strerror or exc}", file=sys.stderr)
        return EXIT_RUNTIME
    except Exception as exc:  # the last resort: a bug in carrot, never a traceback
        print(f"carrot: internal error: {type(exc).__name__}: {exc}", file=sys.stderr)
        return EXIT_RUNTIME


# --8<-- [end:main]


def dispatch(args: list[str]) -> int:
    command = args[0] if args and args[0] in ("run", "explain") else None
    extensions = load_extensions()
    parser = build_parser(command, extensions)
    ns = parser.parse_args(args[1:] if command else args)
    if ns.code is not None and ns.file is not None:
        raise UsageError("give either FILE or -c CODE, not both")
    if ns.code is None and ns.file is None:
        if command is not None:
            raise UsageError(f"'carrot {command}' needs a FILE or -c CODE")
        return start_repl(extensions, run_options(ns, extensions))
    source = code_source(ns.code) if ns.code is not None else read_source(ns.file)
    if command == "explain":
        return explain(source, extensions, python=ns.python)
    return run(source, extensions, run_options(ns, extensions))


def run_options(ns: argparse.Namespace, extensions: Extensions) -> RunOptions:
    for flag, package in OPTION_OWNERS.items():
        if getattr(ns, "missing_" + flag.lstrip("-"), None) is not None:
            raise UsageError(f"{flag} needs the {package} package: {INSTALL_HINT[package]}")
    return RunOptions(
        trace=ns.trace,
        fast=False if ns.no_jit else None,
        max_steps=ns.max_steps,
        max_depth=ns.max_depth,
        extension_options={opt.dest: getattr(ns, opt.dest) for opt in extensions.options},
    )


def code_source(code: str) -> Source:
    """The program given with -c. Bytes of the command line that were not UTF-8 reach
    Python as surrogate escapes: they are the same compile error as in a file."""
    try:
        return decode_source(code.encode("utf-8", "surrogateescape"), "<string>")
    except UnicodeEncodeError:  # a lone surrogate of another origin: the lexer reports it
        return Source(code, "<string>")


def read_source(path: str) -> Source:
    """The program in ``path``; a missing or unreadable file is exit status 66."""
    try:
        with open(path, "rb") as f:
            data = f.read()
    except FileNotFoundError:
        raise InputError(f"cannot open '{path}': no such file") from None
    except IsADirectoryError:
        raise InputError(f"cannot read '{path}': it is a directory") from None
    except OSError as exc:
        raise InputError(f"cannot read '{path}': {exc.strerror or exc}") from None
    return decode_source(data, path)


# --8<-- [start:pipeline]
def run(source: Source, extensions: Extensions, options: RunOptions) -> int:
    """Compile and run one program; report its errors; return the exit status."""
    try:
        _, compiled = compile_source(source, extensions)
    except (CompileError, NotImplementedError) as error:
        return report_compile_failure(error, source)
    try:
        interpreter = make_interpreter(options, sys.stdout, extensions)
    except (CarrotRuntimeError, VdbeError) as error:  # e.g. a --db file that cannot be opened
        return report_outside_run(error)
    status = EXIT_OK
    try:
        status = run_reporting_errors(interpreter, compiled)
    finally:
        try:
            interpreter.close()
        except (CarrotRuntimeError, VdbeError) as error:  # e.g. the final commit failed
            status = report_outside_run(error)
    flush_quietly(sys.stdout)
    return status


# --8<-- [end:pipeline]


def explain(source: Source, extensions: Extensions, python: bool = False) -> int:
    """Print every function's compiled program under a heading naming it (or, with
    ``python``, the Python source the fast path translates it into)."""
    extensions.import_opcodes()  # their synopses fill the listing's comment column
    try:
        _, compiled = compile_source(source, extensions)
    except (CompileError, NotImplementedError) as error:
        return report_compile_failure(error, source)
    if python:
        from carrot.runtime.fastpath import NotTranslatable

        try:
            text = compiled.python_source()
        except NotTranslatable as reason:
            print(f"carrot: this program runs on the engine only: {reason}", file=sys.stderr)
            return EXIT_RUNTIME
    else:
        text = compiled.explain()
    sys.stdout.write(text.rstrip("\n") + "\n")
    return EXIT_OK


def start_repl(extensions: Extensions, options: RunOptions) -> int:
    from carrot.repl import Repl

    return Repl(extensions, options).loop()


def silence_stdout() -> None:
    """After a broken pipe, point stdout at /dev/null so the final flush cannot fail."""
    import os

    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
    except (OSError, ValueError):
        pass
