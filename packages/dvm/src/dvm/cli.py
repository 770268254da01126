"""The `dvm` command: `dvm -c EXPRESSION`, `dvm --explain ...`, or `dvm` for the REPL."""

import argparse
import io
import os
import sys
from collections.abc import Sequence

from dvm import __version__
from dvm.repl import execute, repl

EXIT_USAGE = 64
EXIT_INTERRUPTED = 130  # 128 + SIGINT, as shells report Ctrl-C
EXIT_BROKEN_PIPE = 141  # 128 + SIGPIPE
EXIT_IO_ERROR = 74  # the output could not be written (BSD's EX_IOERR)

DESCRIPTION = """\
The Dumb Virtual Machine: compiles an arithmetic expression into instructions for
a small register machine (sixteen 32-bit registers), runs them, and prints the value.
Without -c it starts a REPL."""

EPILOG = """\
the language:
  numbers from 0 to 4294967295, the operators + - * / %, parentheses, unary minus.
  * / % bind tighter than + -, and operators of one level group from the left:
  8 - 2 - 1 is (8 - 2) - 1. Values are unsigned 32-bit numbers: results wrap
  around modulo 2^32 (0 - 1 is 4294967295), and / rounds towards zero (7 / 2 is 3).

examples:
  dvm -c "(1 + 2) * 3"          prints 9
  dvm --explain -c "2 + 2"      prints the program, one instruction a line, then 4
  dvm                           starts the REPL: prompt "> ", :explain, :help, :quit

exit status:
  0   the value was printed
  64  the command line was wrong
  65  syntax error (the column is named and marked) or compile error
      (an expression needing more than 16 registers at once)
  70  runtime error: division by zero
  74  the output could not be written (a full disk, a closed stdout)"""


class ArgumentParser(argparse.ArgumentParser):
    def error(self, message: str):  # type: ignore[override]
        self.print_usage(sys.stderr)
        self.exit(EXIT_USAGE, f"dvm: {message}\ntry 'dvm --help'\n")


def build_parser() -> argparse.ArgumentParser:
    parser = ArgumentParser(
        prog="dvm",
        description=DESCRIPTION,
        epilog=EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument(
        "-c",
        "--command",
        metavar="EXPRESSION",
        help="evaluate EXPRESSION, print its value and exit",
    )
    parser.add_argument(
        "--explain",
        action="store_true",
        help="print the compiled program, one instruction a line, before the value",
    )
    parser.add_argument("--version", action="version", version=f"dvm {__version__}")
    return parser


def use_utf8_streams() -> None:
    """Read and write UTF-8 whatever the system's code page (a pipe on Windows would
    otherwise use cp1252 or cp437), keeping each stream's error handler."""
    for stream in (sys.stdin, sys.stdout, sys.stderr):
        if isinstance(stream, io.TextIOWrapper) and stream.encoding.lower() != "utf-8":
            stream.reconfigure(encoding="utf-8")


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; return the exit status."""
    arguments = build_parser().parse_args(attach_expression(argv))
    if sys.stdout is None:  # started with standard output closed (`dvm -c 1 >&-`)
        print("dvm: cannot write output: standard output is closed", file=sys.stderr)
        return EXIT_IO_ERROR
    use_utf8_streams()
    try:
        if arguments.command is not None:
            status = execute(
                arguments.command,
                explain=arguments.explain,
                stdout=sys.stdout,
                stderr=sys.stderr,
            )
        else:
            status = repl(explain=arguments.explain)
        sys.stdout.flush()  # a full disk shows up here, while we can still report it
        return status
    except KeyboardInterrupt:
        return EXIT_INTERRUPTED
    except BrokenPipeError:
        # Whoever read our output has gone (`dvm | head -1`): stop without a word.
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return EXIT_BROKEN_PIPE
    except OSError as error:  # `dvm -c 1 > /dev/full`
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        print(f"dvm: cannot write output: {error.strerror or error}", file=sys.stderr)
        return EXIT_IO_ERROR


def attach_expression(argv: Sequence[str] | None) -> list[str]:
    """Join `-c EXPR` into `--command=EXPR`, so an expression may start with `-`."""
    words = list(sys.argv[1:] if argv is None else argv)
    joined: list[str] = []
    index = 0
    while index < len(words):
        word = words[index]
        if word == "--":
            joined.extend(words[index:])
            break
        if word in ("-c", "--command") and index + 1 < len(words):
            joined.append(f"--command={words[index + 1]}")
            index += 2
            continue
        joined.append(word)
        index += 1
    return joined
