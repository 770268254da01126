"""The interactive REPL: read a statement, compile it, run it, print its value, repeat.

- The prompt is ``carrot> ``; while braces, brackets or parentheses are still open the
  input continues on the next line with the prompt ``...> ``.
- An expression statement prints its value (``null`` is not echoed); the ``;`` may be
  left off the last statement of an input.
- Globals live on from one input to the next, in one interpreter.
- Errors are reported and the REPL goes on; Ctrl-C abandons the current input or the
  running program; Ctrl-D (end of input) or ``:quit`` leaves; ``:help`` says all this.
- With a terminal, ``readline`` gives line editing and a history kept in
  ``~/.carrot_history``. Without one (input from a pipe) no prompts are printed, as the
  sqlite3 shell does.
"""

from __future__ import annotations

import contextlib
import os
import sys
from collections.abc import Callable

from carrot.diagnostics import CompileError, Source
from carrot.extension import Extensions
from carrot.lexer import tokenize
from carrot.session import (
    EXIT_OK,
    compile_source,
    make_interpreter,
    report_compile_failure,
    report_outside_run,
    run_reporting_errors,
)

PROMPT = "carrot> "
CONTINUATION = "...> "
HISTORY_FILE = os.path.join(os.path.expanduser("~"), ".carrot_history")
OPENERS = {"{": "}", "(": ")", "[": "]"}
END_OF_INPUT = "Ctrl-Z Enter" if os.name == "nt" else "Ctrl-D"  # what the console calls it
HELP = f"""\
Type Carrot statements; an expression statement prints its value (1 + 2).
A line with an open {{ ( or [ continues on the next line, prompted by '...> '.
Globals stay defined between inputs. Ctrl-C cancels, {END_OF_INPUT} or :quit leaves."""


# --8<-- [start:is_complete]
def is_complete(text: str) -> bool:
    """Whether ``text`` is a whole input: every ``{``, ``(`` and ``[`` closed again.

    Text the lexer rejects (an unterminated string, say) counts as complete, so that the
    error is reported at once instead of waiting for more lines.
    """
    try:
        tokens = tokenize(text)
    except CompileError:
        return True
    depth = 0
    for token in tokens:
        if token.kind in OPENERS:
            depth += 1
        elif token.kind in OPENERS.values():
            depth -= 1
    return depth <= 0


# --8<-- [end:is_complete]


class Repl:
    """One REPL session: an interpreter and the globals declared so far."""

    def __init__(self, extensions: Extensions, options, read: Callable[[str], str] | None = None):
        self.extensions = extensions
        self.interactive = read is not None or sys.stdin.isatty()
        self.uses_readline = read is None and self.interactive
        self.read = read or self.default_reader()
        self.known_globals: set[str] = set()
        self.interpreter = None  # made, and the extensions set up, when the loop starts
        self.options = options

    def default_reader(self) -> Callable[[str], str]:
        if self.uses_readline:
            setup_readline()
            return input
        return read_without_prompt

    def loop(self) -> int:
        from vdbe.errors import VdbeError

        from carrot.runtime.errors import CarrotRuntimeError

        try:
            self.interpreter = make_interpreter(self.options, sys.stdout, self.extensions)
        except (CarrotRuntimeError, VdbeError) as error:
            return report_outside_run(error)
        try:
            while True:
                try:
                    text = self.read_input()
                except EOFError:
                    if self.interactive:
                        print()
                    return EXIT_OK
                except KeyboardInterrupt:
                    print("\ninterrupted" if self.interactive else "", file=sys.stderr)
                    continue
                if text.strip() == ":quit":
                    return EXIT_OK
                if text.strip() == ":help":
                    print(HELP)
                    continue
                if text.strip():
                    self.execute(text)
        finally:
            if self.uses_readline:
                save_history()
            try:
                self.interpreter.close()
            except (CarrotRuntimeError, VdbeError) as error:
                report_outside_run(error)

    def read_input(self) -> str:
        """One whole input: lines until the brackets balance."""
        lines = [self.read(PROMPT)]
        while not is_complete("\n".join(lines)):
            lines.append(self.read(CONTINUATION))
        return "\n".join(lines)

    def execute(self, text: str) -> None:
        """Compile and run one input, reporting (not raising) its errors."""
        source = Source(text, "<stdin>")
        try:
            program, compiled = self.compile(source)
        except (CompileError, NotImplementedError) as error:
            report_compile_failure(error, source)
            return
        self.known_globals |= program.globals
        run_reporting_errors(self.interpreter, compiled)
        sys.stdout.flush()

    def compile(self, source: Source):
        """Compile the input; if only its final ``;`` is missing, add it."""
        try:
            return compile_source(source, self.extensions, echo=True, known=self.known_globals)
        except CompileError as first:
            patched = Source(source.text + ";", source.file)
            try:
                return compile_source(patched, self.extensions, echo=True, known=self.known_globals)
            except CompileError:
                raise first from None


def read_without_prompt(prompt: str) -> str:
    line = sys.stdin.readline()
    if not line:
        raise EOFError
    return line.rstrip("\n")


def setup_readline() -> None:
    """Line editing and persistent history, where the platform has readline."""
    try:
        import readline
    except ImportError:  # pragma: no cover - e.g. Windows without pyreadline
        return
    with contextlib.suppress(OSError):
        readline.read_history_file(HISTORY_FILE)
    readline.set_history_length(1000)


def save_history() -> None:
    try:
        import readline

        if readline.get_current_history_length():
            readline.write_history_file(HISTORY_FILE)
    except (ImportError, OSError):
        pass
