"""The read-eval-print loop, and `execute`, the eval-and-print step it shares with `-c`.

The loop prints the prompt `> `, reads a line, and hands it to `execute`, which
compiles and runs it and prints the value (and, with explain on, the program first).
Lines starting with `:` are commands to the loop itself: `:explain`, `:help`, `:quit`.
An error is printed and the loop goes on; end of input leaves it.
"""

import contextlib
import io
import os
import sys
from typing import TextIO

from dvm.codegen import compile_source
from dvm.disassembler import disassemble
from dvm.errors import DvmError
from dvm.vm import run

PROMPT = "> "
END_OF_INPUT = "Ctrl-Z Enter" if os.name == "nt" else "Ctrl-D"  # what the console calls it
EXIT_OK = 0
EXIT_SOFTWARE = 70  # an internal problem, or a part not written yet

HELP = f"""\
Type an arithmetic expression and press Enter: the machine prints its value.
  2 + 2        numbers 0..4294967295, + - * / %, parentheses, unary minus
Commands:
  :explain     turn showing the compiled program on or off
  :help        show this help
  :quit        leave (end of input, {END_OF_INPUT}, leaves too)"""


# --8<-- [start:execute]
def execute(source: str, *, explain: bool, stdout: TextIO, stderr: TextIO) -> int:
    """Compile and run `source`, print the value (or the error); return an exit status."""
    try:
        program = compile_source(source)
        if explain:
            print(disassemble(program), file=stdout)
        value = run(program)
    except DvmError as error:
        print(error.render(source), file=stderr)
        return error.exit_status
    except NotImplementedError as missing:
        print(f"not implemented yet: {missing}", file=stderr)
        return EXIT_SOFTWARE
    except Exception as bug:  # never show a traceback, even for a bug in the machine
        print(f"internal error: {type(bug).__name__}: {bug}", file=stderr)
        return EXIT_SOFTWARE
    print(value, file=stdout)
    return EXIT_OK


# --8<-- [end:execute]


# --8<-- [start:repl]
def repl(
    *,
    explain: bool = False,
    stdin: TextIO | None = None,
    stdout: TextIO | None = None,
    stderr: TextIO | None = None,
) -> int:
    """Read lines until `:quit` or end of input; evaluate each one. Returns 0."""
    stdin, stdout, stderr = stdin or sys.stdin, stdout or sys.stdout, stderr or sys.stderr
    read = line_reader(stdin, stdout)
    if read.interactive:
        print("dvm: type an expression, or :help", file=stdout)
    while True:
        try:
            line = read()
        except EOFError:
            if read.interactive:
                print(file=stdout)
            return EXIT_OK
        except KeyboardInterrupt:
            print(file=stdout)
            continue
        command = line.strip()
        if command in (":quit", ":q"):
            return EXIT_OK
        elif command == ":explain":
            explain = not explain
            print(f"explain is {'on' if explain else 'off'}", file=stdout)
        elif command == ":help":
            print(HELP, file=stdout)
        elif command.startswith(":"):
            print(f"unknown command {command!r}; type :help", file=stderr)
        elif command:
            execute(line, explain=explain, stdout=stdout, stderr=stderr)


# --8<-- [end:repl]


class line_reader:  # noqa: N801 - used like a function
    """Reads one line after printing the prompt; raises EOFError at the end of input.

    At a terminal it uses `input`, which gives line editing and history; otherwise
    (a pipe, a file, a test) it writes the prompt itself and reads plain lines.
    """

    def __init__(self, stdin: TextIO, stdout: TextIO) -> None:
        self.stdin, self.stdout = stdin, stdout
        if isinstance(stdin, io.TextIOWrapper):
            # Bytes that are not valid text become U+FFFD, which the lexer then reports.
            stdin.reconfigure(errors="replace")
        self.interactive = stdin is sys.__stdin__ and stdout is sys.__stdout__ and stdin.isatty()
        if self.interactive:
            with contextlib.suppress(ImportError):
                import readline  # noqa: F401 - importing it turns on line editing

    def __call__(self) -> str:
        if self.interactive:
            return input(PROMPT)
        self.stdout.write(PROMPT)
        self.stdout.flush()
        line = self.stdin.readline()
        if not line:
            raise EOFError
        return line.rstrip("\n")
