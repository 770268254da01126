"""`vdbe shell`: the sqlite3 shell's shape, on one connection to this VM.

    $ vdbe shell test.db
    vdbe> CREATE TABLE t(a);
    vdbe> INSERT INTO t VALUES (1), (2); SELECT sum(a)
       ...> FROM t;
    3

Input is read a line at a time. A line that starts with `.` when no statement is
pending is a dot-command; other lines gather until they end a complete statement (what
`sqlite3_complete()` says), and then every statement gathered runs in order. Errors go
to standard error in the shell's words: `Parse error near line N: ...` when SQLite could
not compile a statement, `Runtime error near line N: ...` when the VM stopped it; the
rest of that input line is skipped. Without `-bail` the shell goes on and exits 1 at the
end; with it, it stops at the first error.
"""

from __future__ import annotations

import contextlib
import re
import sys
import time
from collections.abc import Callable, Iterable

from vdbe.connection import Connection
from vdbe.errors import RESULT_CODES, SqlError, UnsupportedOpcode, VdbeError, primary_code
from vdbe.program import listing_cells
from vdbe.sqlite_library import sqlite3
from vdbe.sqltokens import quote_identifier
from vdbe.statements import split_statements
from vdbe.values import to_text

BANNER = 'vdbe shell: SQLite 3.40 semantics on this VM\nEnter ".help" for usage hints.\n'
MODES = ("list", "column", "box", "json", "csv")
_CREATE = re.compile(r"^(CREATE\s+(?:UNIQUE\s+)?(?:TABLE|VIEW|INDEX|TRIGGER)\s+)", re.I)
_EXPLAIN = re.compile(r"\s*explain\s+(?!query\s+plan\b)(.*)", re.IGNORECASE | re.DOTALL)
_OTHER_MODES = ("ascii", "html", "insert", "line", "markdown", "qbox", "quote", "table", "tabs")
_SQLITE_MODES = sorted((*MODES, *_OTHER_MODES, "tcl"))

HELP = """\
.changes on|off          Show the number of rows changed by each statement
.dump ?TABLE?            Render the database (or one table) as SQL text
.explain on|off          Show programs (EXPLAIN) in the listing layout
.headers on|off          Show column names above the rows
.help                    Show this message
.indexes ?TABLE?         List the names of indexes (of TABLE)
.mode MODE               Output mode: list column box json csv
.quit                    Leave the shell (.exit too)
.read FILE               Run the statements and commands of FILE
.schema ?PATTERN?        Show the CREATE statements (matching PATTERN)
.tables ?PATTERN?        List the names of tables and views (matching PATTERN)
.timer on|off            Show the time each statement took
.trace on|off            Print each statement before it runs
"""


class _Quit(Exception):  # noqa: N818 - not an error: a way out
    """`.quit`, or -bail after an error: leave with this status."""

    def __init__(self, status: int) -> None:
        super().__init__(status)
        self.status = status


class Shell:
    """One shell session: a connection, the output settings, and the error state."""

    def __init__(self, connection: Connection, out, err, *, bail: bool = False) -> None:
        self.connection = connection
        self.out = out  # a binary stream
        self.err = err  # a text stream
        self.bail = bail
        self.mode = "list"
        self.headers = False
        self.headers_set = False  # after .headers, column and box no longer decide
        self.explain = True  # EXPLAIN prints the listing layout (the shell's "auto")
        self.trace = False
        self.timer = False
        self.changes = False
        self.failed = False
        self.interactive = False

    # ----------------------------------------------------------------- input
    def run_lines(self, lines: Iterable[str], prompt: Callable[[bool], None] | None = None) -> int:
        """Run a script given as lines; returns the exit status."""
        pending: list[str] = []
        start = 0
        number = 0
        for number, line in enumerate(lines, 1):
            if not pending and line.lstrip().startswith("."):
                self._dot(line.strip(), number)
                continue
            if not pending:
                if not line.strip():
                    continue
                start = number
            pending.append(line)
            text = "".join(pending)
            if sqlite3.complete_statement(text):
                pending = []
                self._run_sql(text, start)
        if pending and "".join(pending).strip():
            text = "".join(pending)
            if not sqlite3.complete_statement(text + ";"):
                self._error(f"Parse error near line {number}: incomplete input")
            else:
                self._run_sql(text, start)
        return 1 if self.failed else 0

    def interact(self, read_line: Callable[[str], str]) -> int:
        """Read statements from a person at a terminal until end of input or .quit."""

        def lines():
            pending = ""  # the statement typed so far, not complete yet
            while True:
                try:
                    line = read_line("   ...> " if pending.strip() else "vdbe> ")
                except EOFError:
                    self.out.write(b"\n")
                    return
                except KeyboardInterrupt:
                    self.out.write(b"^C\n")
                    continue
                yield line + "\n"
                if pending.strip() or not line.lstrip().startswith("."):
                    pending += line + "\n"
                    if sqlite3.complete_statement(pending):
                        pending = ""
                self.out.flush()

        self.bail = False
        self.interactive = True
        return self.run_lines(lines())

    # ------------------------------------------------------------- statements
    def _run_sql(self, text: str, line: int) -> None:
        for statement in split_statements(text):
            if not self._run_statement(statement.sql, line):
                return  # the rest of the input line is skipped, as the shell does

    def _run_statement(self, sql: str, line: int) -> bool:
        if self.trace:
            self._write(sql + "\n")
        started = time.perf_counter(), time.process_time()
        explained = _EXPLAIN.match(sql)
        try:
            if explained:
                return self._explain(self.connection.prepare(explained.group(1)).program)
            prepared = self.connection.prepare(sql)
        except SqlError as exc:
            self._error(
                f"Parse error{self._where(line)}: {exc.message}{_context(sql, exc.message)}"
            )
            return False
        try:
            rows = self.connection.start(prepared)
            names = self.connection.column_names(prepared) if prepared.result_columns else []
            # a row without columns (PRAGMA incremental_vacuum gives one per page) prints
            # nothing in the sqlite3 shell
            self._print(names, (row for row in rows if row))
        except UnsupportedOpcode as exc:
            self._error(f"Runtime error{self._where(line)}: {exc.message}")
            return False
        except VdbeError as exc:
            code = RESULT_CODES[primary_code(exc.code)]
            suffix = f" ({code})" if code > 1 else ""  # the sqlite3 shell shows it so
            self._error(f"Runtime error{self._where(line)}: {exc.message}{suffix}")
            return False
        if self.changes:
            changes = self.connection.changes
            total = self.connection.total_changes
            self._write(f"changes: {changes}   total_changes: {total}\n")
        if self.timer:
            real = time.perf_counter() - started[0]
            cpu = time.process_time() - started[1]
            self._write(f"Run Time: real {real:.3f} user {cpu:.6f} sys 0.000000\n")
        return True

    def _explain(self, program) -> bool:
        """EXPLAIN: the program SQLite compiled, in the listing layout (`.explain on`, the
        default) or as rows in the current mode (`.explain off`)."""
        if self.explain:
            self._write(program.listing())
            return True
        names = ["addr", "opcode", "p1", "p2", "p3", "p4", "p5", "comment"]
        rows = [[addr, *listing_cells(addr, ins)[1:]] for addr, ins in enumerate(program)]
        self._print(names, rows)
        return True

    def _where(self, line: int) -> str:
        """Where an error happened: a line of a script (at a terminal, the line is there)."""
        return "" if self.interactive else f" near line {line}"

    def _error(self, message: str) -> None:
        self.out.flush()
        self.err.write(message + "\n")
        self.err.flush()
        self.failed = True
        if self.bail:
            raise _Quit(1)

    def _write(self, text: str) -> None:
        self.out.write(text.encode("utf-8", "surrogateescape"))

    # ----------------------------------------------------------------- output
    def _print(self, names: list[str], rows) -> None:
        if self.mode in ("column", "box"):
            table = [[_text(v) for v in row] for row in rows]
            if table:
                show = self.mode == "box" or self.headers
                self._write(
                    _boxed(names, table) if self.mode == "box" else _columns(names, table, show)
                )
            return
        first = True
        for row in rows:
            if self.mode == "json":
                self._write(("[" if first else ",\n") + _json_row(names, row))
            elif self.mode == "csv":
                if first and self.headers:
                    self._write(",".join(_csv(n) for n in names) + "\r\n")
                self._write(",".join(_csv(v) for v in row) + "\r\n")
            else:
                if first and self.headers:
                    self._write("|".join(names) + "\n")
                self.out.write(b"|".join(_raw(v) for v in row) + b"\n")
            first = False
        if self.mode == "json" and not first:
            self._write("]\n")

    # ----------------------------------------------------------- dot-commands
    def _dot(self, line: str, number: int) -> None:
        words = _dot_words(line[1:])
        if not words:
            return
        name, args = words[0], words[1:]
        command = _DOT_COMMANDS.get(name) or next(
            (f for n, f in _DOT_COMMANDS.items() if len(name) > 1 and n.startswith(name)), None
        )
        if command is None:
            self._error(
                f'Error: unknown command or invalid arguments:  "{name}". Enter ".help" for help'
            )
            return
        command(self, args)

    def _on_off(self, args: list[str], usage: str) -> bool | None:
        if len(args) != 1 or args[0].lower() not in ("on", "off", "1", "0", "yes", "no"):
            self._error(f"Usage: {usage}")
            return None
        return args[0].lower() in ("on", "1", "yes")

    def dot_help(self, args) -> None:
        self._write(HELP)

    def dot_quit(self, args) -> None:
        raise _Quit(1 if self.failed else 0)

    def dot_headers(self, args) -> None:
        value = self._on_off(args, ".headers on|off")
        if value is not None:
            self.headers, self.headers_set = value, True

    def dot_mode(self, args) -> None:
        if len(args) != 1 or args[0] not in MODES:
            if len(args) == 1 and args[0] in _OTHER_MODES:
                self._error(f"Error: vdbe shell has no {args[0]} mode; it has " + ", ".join(MODES))
            else:
                self._error("Error: mode should be one of: " + " ".join(_SQLITE_MODES))
            return
        self.mode = args[0]
        if self.mode == "column" and not self.headers_set:
            self.headers = True

    def _flag(name: str, usage: str):  # noqa: N805 - makes methods, called in the class
        def command(self, args) -> None:
            value = self._on_off(args, usage)
            if value is not None:
                setattr(self, name, value)

        return command

    dot_explain = _flag("explain", ".explain on|off")
    dot_trace = _flag("trace", ".trace on|off")
    dot_timer = _flag("timer", ".timer on|off")
    dot_changes = _flag("changes", ".changes on|off")

    def _query(self, sql: str, bindings=()) -> list[list]:
        return [list(row) for row in self.connection.execute(sql, bindings)]

    def dot_tables(self, args) -> None:
        pattern = args[0] if args else "%"
        names = []
        for schema in self.connection.database_names:
            prefix = "" if schema == "main" else f"{schema}."
            names += [
                prefix + name
                for (name,) in self._query(
                    f"SELECT name FROM {quote_identifier(schema)}.sqlite_schema WHERE type IN "
                    "('table', 'view') AND name NOT LIKE 'sqlite_%' AND name LIKE ?1",
                    [pattern],
                )
            ]
        self._write(_in_columns(sorted(names)))

    def dot_indexes(self, args) -> None:
        pattern = args[0] if args else "%"
        names = self._query(
            "SELECT name FROM sqlite_schema WHERE type = 'index' AND tbl_name LIKE ?1 ORDER BY 1",
            [pattern],
        )
        self._write(_in_columns([n for (n,) in names]))

    def dot_schema(self, args) -> None:
        pattern = args[0] if args else "%"
        for schema in self.connection.database_names:
            rows = self._query(
                f"SELECT type, name, sql FROM {quote_identifier(schema)}.sqlite_schema "
                "WHERE sql IS NOT NULL AND (name LIKE ?1 OR tbl_name LIKE ?1) "
                "AND name NOT LIKE 'sqlite_%' ORDER BY rowid",
                [pattern],
            )
            for kind, name, sql in rows:
                sql = _if_not_exists(sql)
                if schema != "main":  # the shell names the schema of other databases
                    sql = _CREATE.sub(lambda m, s=schema: m.group(1) + s + ".", sql, count=1)
                if kind == "view":
                    info = self._query(
                        f"PRAGMA {quote_identifier(schema)}.table_info({quote_identifier(name)})"
                    )
                    columns = ",".join(r[1] for r in info)
                    sql += f"\n/* {_quote_if_needed(name)}({columns}) */"
                self._write(sql + ";\n")

    def dot_dump(self, args) -> None:
        pattern = args[0] if args else "%"
        self._write("PRAGMA foreign_keys=OFF;\nBEGIN TRANSACTION;\n")
        tables = self._query(
            "SELECT name, sql FROM sqlite_schema WHERE type = 'table' AND sql IS NOT NULL "
            "AND name NOT LIKE 'sqlite_%' AND name LIKE ?1 ORDER BY rowid",
            [pattern],
        )
        for name, sql in tables:
            self._write(_if_not_exists(sql) + ";\n")
            columns = self._query(f"PRAGMA table_info({quote_identifier(name)})")
            quoted = ", ".join(f"quote({quote_identifier(c[1])})" for c in columns)
            for values in self._query(f"SELECT {quoted} FROM {quote_identifier(name)}"):
                self._write(f"INSERT INTO {_quote_if_needed(name)} VALUES({','.join(values)});\n")
        others = self._query(
            "SELECT sql FROM sqlite_schema WHERE type IN ('index', 'trigger', 'view') "
            "AND sql IS NOT NULL AND tbl_name LIKE ?1 ORDER BY rowid",
            [pattern],
        )
        for (sql,) in others:
            self._write(sql + ";\n")
        self._write("COMMIT;\n")

    def dot_read(self, args) -> None:
        if len(args) != 1:
            self._error("Usage: .read FILE")
            return
        try:
            with open(args[0], encoding="utf-8", errors="surrogateescape") as f:
                lines = f.readlines()
        except OSError:
            self._error(f'Error: cannot open "{args[0]}"')
            return
        interactive, self.interactive = self.interactive, False  # a script has lines
        try:
            self.run_lines(lines)
        finally:
            self.interactive = interactive


_DOT_COMMANDS: dict[str, Callable] = {
    "changes": Shell.dot_changes,
    "dump": Shell.dot_dump,
    "exit": Shell.dot_quit,
    "explain": Shell.dot_explain,
    "headers": Shell.dot_headers,
    "help": Shell.dot_help,
    "indexes": Shell.dot_indexes,
    "indices": Shell.dot_indexes,
    "mode": Shell.dot_mode,
    "quit": Shell.dot_quit,
    "read": Shell.dot_read,
    "schema": Shell.dot_schema,
    "tables": Shell.dot_tables,
    "timer": Shell.dot_timer,
    "trace": Shell.dot_trace,
}


# ------------------------------------------------------------------------------ helpers


def _dot_words(text: str) -> list[str]:
    """A dot-command's words; quoted words may hold spaces."""
    return [a or b or c for a, b, c in re.findall(r'"([^"]*)"|\'([^\']*)\'|(\S+)', text)]


def _context(sql: str, message: str) -> str:
    """The shell's pointer under a parse error: the statement, and where it went wrong.

    SQLite reports the offset of the token it stopped at; that offset is not available
    here, so the token named in the message (`near "X"`, `no such column: X`) is found
    in the statement instead.
    """
    match = re.match(
        r'near "(.*)": syntax error$|no such column: (.*)$|\w+ (.*) already exists$', message
    )
    if not match:
        return ""
    token = next(group for group in match.groups() if group is not None)
    offset = sql.find(token)
    if offset < 0:
        offset = sql.lower().find(token.lower())
    if offset < 0:
        return ""
    while offset > 50:
        sql, offset = sql[1:], offset - 1
    code = re.sub(r"\s", " ", sql[:78])
    if offset < 25:
        return f"\n  {code}\n  {' ' * offset}^--- error here"
    return f"\n  {code}\n  {' ' * (offset - 14)}error here ---^"


def _raw(value) -> bytes:
    """A value's bytes as the shell prints them: as a C string, so up to a NUL byte."""
    if value is None:
        return b""
    if not isinstance(value, bytes):
        value = to_text(value).encode("utf-8", "surrogateescape")
    return value.split(b"\x00", 1)[0]


def _text(value) -> str:
    return _raw(value).decode("utf-8", "replace")


def _columns(names: list[str], table: list[list[str]], show_headers: bool) -> str:
    widths = [len(n) for n in names]
    for row in table:
        widths = [max(w, len(v)) for w, v in zip(widths, row, strict=False)]
    lines = []
    if show_headers:
        lines.append("  ".join(n.ljust(w) for n, w in zip(names, widths, strict=False)))
        lines.append("  ".join("-" * w for w in widths))
    lines += ["  ".join(v.ljust(w) for v, w in zip(row, widths, strict=False)) for row in table]
    return "\n".join(lines) + "\n"


def _boxed(names: list[str], table: list[list[str]]) -> str:
    widths = [len(n) for n in names]
    for row in table:
        widths = [max(w, len(v)) for w, v in zip(widths, row, strict=False)]

    def rule(left: str, middle: str, right: str) -> str:
        return left + middle.join("─" * (w + 2) for w in widths) + right

    def centred(name: str, width: int) -> str:
        room = width - len(name)
        return " " * (room // 2) + name + " " * (room - room // 2)

    lines = [rule("┌", "┬", "┐")]
    lines.append(
        "│ " + " │ ".join(centred(n, w) for n, w in zip(names, widths, strict=False)) + " │"
    )
    lines.append(rule("├", "┼", "┤"))
    for row in table:
        lines.append(
            "│ " + " │ ".join(v.ljust(w) for v, w in zip(row, widths, strict=False)) + " │"
        )
    lines.append(rule("└", "┴", "┘"))
    return "\n".join(lines) + "\n"


def _json_text(value) -> str:
    if isinstance(value, bytes):  # written out as its bytes, as the shell does
        value = value.decode("utf-8", "surrogateescape")
    out = ['"']
    for ch in value:
        if ch in '"\\':
            out.append("\\" + ch)
        elif ch in "\b\f\n\r\t":
            out.append({"\b": "\\b", "\f": "\\f", "\n": "\\n", "\r": "\\r", "\t": "\\t"}[ch])
        elif ord(ch) < 0x20:
            out.append(f"\\u{ord(ch):04x}")
        else:
            out.append(ch)
    out.append('"')
    return "".join(out)


def _json_row(names: list[str], row) -> str:
    fields = []
    for name, value in zip(names, row, strict=False):
        if value is None:
            shown = "null"
        elif isinstance(value, str | bytes):
            shown = _json_text(value)
        else:
            shown = to_text(value)
        fields.append(f"{_json_text(name)}:{shown}")
    return "{" + ",".join(fields) + "}"


def _csv(value) -> str:
    if value is None:
        return ""
    text = _text(value)
    if text == "" or any(c <= " " or c == '"' or c == "," or c >= "\x7f" for c in text):
        return '"' + text.replace('"', '""') + '"'
    return text


def _in_columns(names: list[str]) -> str:
    """Names laid out in columns across 80 characters, as .tables lists them."""
    if not names:
        return ""
    width = max(len(n) for n in names)
    per_line = max(1, 80 // (width + 2))
    rows = (len(names) + per_line - 1) // per_line
    lines = []
    for i in range(rows):
        cells = [names[j] for j in range(i, len(names), rows)]
        lines.append("  ".join(c.ljust(width) for c in cells))
    return "\n".join(lines) + "\n"


def _quote_if_needed(name: str) -> str:
    return name if re.fullmatch(r"[A-Za-z_][A-Za-z0-9_]*", name) else quote_identifier(name)


def _if_not_exists(sql: str) -> str:
    """The shell writes a table with a quoted name as CREATE TABLE IF NOT EXISTS."""
    if re.match(r"CREATE TABLE ['\"]", sql):
        return "CREATE TABLE IF NOT EXISTS " + sql[13:]
    return sql


# -------------------------------------------------------------------------------- main


def read_line_function() -> Callable[[str], str]:
    """`input`, with line editing and history when the readline module is there."""
    with contextlib.suppress(ImportError):  # some platforms have no readline
        import readline  # noqa: F401 - importing it gives input() line editing
    return input


def run(path: str | None, bail: bool, stdin=None, out=None, err=None) -> int:
    """Open the database and run the shell; the exit status."""
    stdin = stdin or sys.stdin
    out = out or sys.stdout.buffer
    err = err or sys.stderr
    try:
        connection = Connection(path or ":memory:")
    except VdbeError as exc:
        err.write(f'Error: unable to open database "{path}": {exc.message}\n')
        return 1
    shell = Shell(connection, out, err, bail=bail)
    try:
        if stdin.isatty():
            out.write(
                b'vdbe shell: SQLite 3.40 semantics on this VM\nEnter ".help" for usage hints.\n'
            )
            out.flush()
            return shell.interact(read_line_function())
        return shell.run_lines(stdin)
    except _Quit as done:
        return done.status
    finally:
        out.flush()
        connection.close()
