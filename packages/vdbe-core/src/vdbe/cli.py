"""The `vdbe` command: explain, run and trace VDBE programs, and look inside database files.

    vdbe explain "SELECT 1 + 1"                 the program SQLite compiles, as a listing
    vdbe sql --db test.db "SELECT 1 + 1"        compile with SQLite, run on this VM
    vdbe shell test.db                          the sqlite3 shell's shape, on this VM
    vdbe run loop.vdbe --trace                  run a program written by hand
    vdbe dump test.db --page 1                  the file format, decoded
    vdbe check test.db                          the integrity check

Exit status: 0 success, 1 SQL error, 2 bad command line, 3 unsupported opcode,
4 malformed database. Errors print `Error: MESSAGE` on standard error.
"""

from __future__ import annotations

import argparse
import contextlib
import os
import sys

from vdbe import memory
from vdbe.console import use_utf8_streams
from vdbe.errors import CorruptError, UnsupportedOpcode, VdbeError

EXIT_OK, EXIT_SQL, EXIT_USAGE, EXIT_UNSUPPORTED, EXIT_CORRUPT = 0, 1, 2, 3, 4

DESCRIPTION = """\
A virtual machine that runs SQLite's own bytecode.

SQLite compiles every SQL statement into a program for its virtual machine, the VDBE.
This command shows those programs and runs them on this project's VM, which follows
the semantics of SQLite 3.40.

commands:
  explain [--db PATH] "SQL"             print the program SQLite compiles for SQL, in the
                                        sqlite3 shell's EXPLAIN layout, with each
                                        instruction's synopsis as its comment
  sql [--db PATH] [--json] [--trace] "SQL"
                                        compile SQL with SQLite, run it on this VM
                                        (on the database file PATH, if given) and
                                        print the rows, values separated by |;
                                        several statements run in order on one
                                        connection, the first error stops them;
                                        SQL "-" reads them from standard input
  shell [PATH] [-bail]                  the sqlite3 shell's shape on one connection:
                                        statements end at ";", dot-commands
                                        (.help lists them); a script on standard
                                        input when it is not a terminal
  run PROGRAM.vdbe [--db PATH] [--json] [--trace]
                                        run a program written in the listing layout
                                        (the comment column may be left out)
  dump PATH [--page N]                  show a database file's header, schema and a page
  check PATH                            check a database file's integrity

options of sql and run:
  --json    one JSON array per row: null, numbers (Infinity, NaN), strings, and
            {"blob": "HEX"} for a BLOB
  --trace   write each executed instruction, and the registers it changed, to
            standard error

examples:
  vdbe explain "SELECT 1 + 1"
  vdbe sql "SELECT 10 % 3, 'a' || 'b', typeof(1.5)"
  vdbe run packages/vdbe-core/tests/programs/loop.vdbe --trace

exit status: 0 success, 1 SQL error, 2 bad command line, 3 unsupported opcode,
4 malformed database."""


class UsageError(Exception):
    """The command line is wrong (exit 2)."""


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> None:  # argparse would exit with its own format
        raise UsageError(message)


def version_text() -> str:
    from importlib import metadata  # slow to import, and only --version needs it

    try:
        version = metadata.version("vdbe-core")
    except metadata.PackageNotFoundError:
        version = "unknown"
    from vdbe.sqlite_library import describe

    return f"vdbe {version}, compiling with {describe()}"


class _VersionAction(argparse.Action):
    """`--version`: like argparse's own, but looks the version up only when asked."""

    def __init__(self, option_strings: list[str], dest: str, **kwargs) -> None:
        super().__init__(
            option_strings, dest, nargs=0, help="show program's version number and exit"
        )

    def __call__(self, parser, namespace, values, option_string=None) -> None:
        sys.stdout.write(version_text() + "\n")
        parser.exit()


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(
        prog="vdbe",
        description=DESCRIPTION,
        formatter_class=argparse.RawDescriptionHelpFormatter,
        usage="vdbe {explain,sql,shell,run,dump,check} ...",
    )
    parser.add_argument("--version", action=_VersionAction)
    commands = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=_Parser)

    explain = commands.add_parser("explain", help="print the program SQLite compiles for SQL")
    explain.add_argument("--db", metavar="PATH", help="database whose schema the SQL uses")
    explain.add_argument("sql", metavar="SQL")

    sql = commands.add_parser("sql", help="compile SQL with SQLite and run it on this VM")
    sql.add_argument("--db", metavar="PATH", help="database file to run on (default: memory)")
    _output_options(sql)
    sql.add_argument("sql", metavar="SQL", help='statements separated by ";" (- reads stdin)')

    shell = commands.add_parser(
        "shell",
        help="the sqlite3 shell's shape, on this VM",
        description="Statements end at ';' and may span lines; lines starting with '.' "
        "are dot-commands (.help lists them). Reads a script from standard input when "
        "it is not a terminal: vdbe shell test.db < script.sql",
    )
    shell.add_argument("path", metavar="PATH", nargs="?", help="database file (default: memory)")
    shell.add_argument("-bail", "--bail", action="store_true", help="stop at the first error")

    run = commands.add_parser("run", help="run a program written in the listing layout")
    run.add_argument("program", metavar="PROGRAM.vdbe")
    run.add_argument("--db", metavar="PATH", help="database file to run on")
    _output_options(run)

    dump = commands.add_parser("dump", help="decode a database file's header, schema, a page")
    dump.add_argument("path", metavar="PATH")
    dump.add_argument("--page", metavar="N", type=int, help="page number to decode")

    check = commands.add_parser("check", help="check a database file's integrity")
    check.add_argument("path", metavar="PATH")
    return parser


def _output_options(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--json", action="store_true", help="one JSON array per row")
    parser.add_argument("--trace", action="store_true", help="trace to standard error")


# ---------------------------------------------------------------------------- output


def text_value(value: object) -> str | bytes:
    """A value as the sqlite3 shell prints it: NULL empty, reals as SQLite renders them."""
    from vdbe.values import to_text

    if value is None:
        return ""
    if isinstance(value, bytes | bytearray):
        return bytes(value)
    if isinstance(value, int | float | str):
        return to_text(value)
    return str(value)


def json_value(value: object) -> object:
    """A value for JSON output (BLOBs as {"blob": "HEX"})."""
    if isinstance(value, bytes | bytearray):
        return {"blob": bytes(value).hex().upper()}
    if isinstance(value, int | float | str) or value is None:
        return value
    return str(value)


def write_row(row: list, as_json: bool, out) -> None:
    if as_json:
        import json  # only --json needs it

        line = json.dumps([json_value(v) for v in row], ensure_ascii=False, allow_nan=True)
        out.write((line + "\n").encode("utf-8"))
        return
    parts = [text_value(v) for v in row]
    data = b"|".join(
        p if isinstance(p, bytes) else p.encode("utf-8", "surrogateescape") for p in parts
    )
    out.write(data + b"\n")


# ---------------------------------------------------------------------------- commands


def _open_database(path: str | None):
    """A `vdbe.storage.Database` on PATH (None: memory), or None if storage is absent."""
    try:
        from vdbe.storage import Database
    except ImportError:
        if path is not None:
            raise VdbeError("this build has no storage engine to open a database file") from None
        return None
    return Database(path)


def _run_program(
    make_program, db_path: str | None, as_json: bool, trace: bool, hand_written: bool = False
) -> int:
    """Open the database (if any), then make the program and run it, printing rows.

    The database is opened first: opening may recover a hot journal, and the program
    must be compiled against the schema as it is after that. A hand-written program may
    do what no compiled one does (name a register far past the others, read a cursor it
    never opened): the instruction that fails is named, as the program's error.
    """
    from vdbe.engine import VM

    out = sys.stdout.buffer
    db = _open_database(db_path) if db_path is not None else None
    try:
        vm = VM(make_program(), db, trace=sys.stderr if trace else None)
        with vm:
            try:
                for row in vm:
                    write_row(row, as_json, out)
            except (VdbeError, OSError, RecursionError, MemoryError):
                raise
            except Exception as exc:
                if not hand_written:
                    raise
                raise VdbeError(_cannot_run(vm, exc)) from None
        out.flush()
    finally:
        if db is not None:
            db.close()
    return EXIT_OK


def _cannot_run(vm, exc: Exception) -> str:
    """The message for a hand-written program stopped by an instruction it got wrong."""
    addr = vm.pc - 1
    if not 0 <= addr < len(vm.program):
        return f"the program went to address {addr}, outside it, without a Halt"
    opcode = vm.program[addr].opcode
    return f"address {addr} ({opcode}) cannot run here: {type(exc).__name__}: {exc}"


def cmd_explain(args) -> int:
    from vdbe.loader import compile_sql

    sys.stdout.write(compile_sql(args.sql, args.db).listing())
    return EXIT_OK


def cmd_sql(args) -> int:
    """Run the statements on one connection, printing each one's rows in turn."""
    from vdbe.connection import Connection
    from vdbe.statements import split_statements

    text = sys.stdin.read() if args.sql == "-" else args.sql
    out = sys.stdout.buffer
    connection = Connection(args.db or ":memory:")
    connection.trace = sys.stderr if args.trace else None
    try:
        for statement in split_statements(text):
            for row in connection.execute(statement.sql):
                if row:  # a row without columns (PRAGMA incremental_vacuum) prints nothing
                    write_row(row, args.json, out)
        out.flush()
    finally:
        connection.close()
    return EXIT_OK


def cmd_shell(args) -> int:
    from vdbe.shell import run

    return run(args.path, args.bail)


def cmd_run(args) -> int:
    from vdbe.program import Program

    try:
        with open(args.program, encoding="utf-8") as f:
            text = f.read()
    except OSError as exc:
        raise UsageError(f"cannot read {args.program}: {exc.strerror or exc}") from None
    program = Program.parse(text, name=args.program)
    return _run_program(lambda: program, args.db, args.json, args.trace, hand_written=True)


def _require_file(path: str) -> None:
    """Dump and check read an existing file; they never create one."""
    if not os.path.isfile(path):
        raise VdbeError(f"no such file: {path}")


def cmd_dump(args) -> int:
    from vdbe.dump import dump

    _require_file(args.path)
    sys.stdout.write(dump(args.path, page=args.page))
    return EXIT_OK


def cmd_check(args) -> int:
    from vdbe.check import check

    _require_file(args.path)
    problems = check(args.path)
    print("\n".join(problems) if problems else "ok")
    return EXIT_SQL if problems else EXIT_OK


COMMANDS = {
    "explain": cmd_explain,
    "sql": cmd_sql,
    "shell": cmd_shell,
    "run": cmd_run,
    "dump": cmd_dump,
    "check": cmd_check,
}


def _discard_output() -> None:
    """Point standard output at /dev/null, so that what is still buffered for it cannot
    fail again when Python flushes it on the way out."""
    with contextlib.suppress(OSError, ValueError):
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())


def _fail(message: str, status: int) -> int:
    sys.stderr.write(f"Error: {message}\n")
    return status


# --8<-- [start:main]
def main(argv: list[str] | None = None) -> int:
    """Run the command line; return the exit status (never shows a traceback)."""
    parser = build_parser()
    if sys.stdout is None:  # started with standard output closed (`vdbe sql "..." >&-`)
        return _fail("cannot write output: standard output is closed", EXIT_SQL)
    use_utf8_streams()
    try:
        args = parser.parse_args(argv)
        if args.command is None:
            parser.print_help()
            return EXIT_USAGE
        return COMMANDS[args.command](args)
    except UsageError as exc:
        sys.stderr.write(f"usage: {parser.usage}\n")
        return _fail(str(exc), EXIT_USAGE)
    except UnsupportedOpcode as exc:
        return _fail(exc.message, EXIT_UNSUPPORTED)
    except CorruptError as exc:
        return _fail(exc.message, EXIT_CORRUPT)
    except VdbeError as exc:
        return _fail(exc.message, EXIT_SQL)
    except KeyboardInterrupt:
        return _fail("interrupted", EXIT_SQL)
    except BrokenPipeError:  # the reader went away (`vdbe sql ... | head -1`)
        _discard_output()
        return EXIT_OK
    except RecursionError:
        return _fail("too deeply nested", EXIT_SQL)
    except MemoryError:  # the statement needed more memory than the process may have
        memory.release_reserve()
        return _fail("out of memory", EXIT_SQL)
    except OSError as exc:  # the output could not be written (`> /dev/full`); the
        # database's own I/O errors arrive as VdbeError
        _discard_output()
        return _fail(f"cannot write output: {exc.strerror or exc}", EXIT_SQL)
    except Exception as exc:  # a bug in the VM: still no traceback for the user
        return _fail(f"internal error: {type(exc).__name__}: {exc}", EXIT_SQL)


# --8<-- [end:main]
