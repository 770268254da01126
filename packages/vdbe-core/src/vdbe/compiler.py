"""The compile side of a connection: a real SQLite connection holding a copy of the schema.

SQLite compiles a statement against its in-memory schema: the tables' columns, indexes,
triggers, and the root page of each b-tree, which the program then names (`OpenRead 0 7`
opens the tree at page 7). The VM's database lives in its own storage, so the compiler
needs the schema only, never the data. It gets exactly that: a scratch database file
whose `sqlite_schema` table holds the same rows as the VM's - root page numbers
included - written there with `PRAGMA writable_schema`, and the same schema cookie.

The rows name root pages that do not exist in the scratch file (SQLite refuses a root
past the end of the file), so the file is grown to the largest root first. It grows
sparsely: only its header says how long it is, and the file system stores a hole.

The copy is rewritten whenever the VM's schema cookie moves (a DDL statement, a
ROLLBACK of one, another process's change). Settings that live in the compiling
connection (`PRAGMA foreign_keys`, registered functions and collations) are replayed
when the scratch connection has to be opened again.
"""

from __future__ import annotations

import os
import re
import shutil
import tempfile
from collections.abc import Callable

from vdbe.errors import SqlError
from vdbe.loader import compile_with, name_virtual_tables
from vdbe.program import Instruction, Program
from vdbe.sqlite_library import sqlite3

# (rowid, type, name, tbl_name, rootpage, sql): one row of sqlite_schema
SchemaRow = tuple

_PRAGMA_ASSIGNMENT = re.compile(r"\s*pragma\s+(?:\w+\s*\.\s*)?(\w+)\s*[=(]", re.IGNORECASE)
_TEMP_PRAGMA = re.compile(r"\s*pragma\s+[\"'`\[]?temp[\"'`\]]?\s*\.", re.IGNORECASE)


class Compiler:
    """Compiles statements with real SQLite against a mirror of a VM database's schema."""

    def __init__(self, file_name: str | None = None) -> None:
        self.file_name = file_name  # the VM's file, shown by PRAGMA database_list
        try:
            self._directory = tempfile.mkdtemp(prefix="vdbe-compile-")
        except OSError as exc:
            raise SqlError(f"cannot make a temporary directory to compile in: {exc}") from None
        self.path = os.path.join(self._directory, "schema.db")
        self.cookies = {"main": None, "temp": None}
        # the scratch files' names, and the names PRAGMA database_list must show instead
        self._file_names = {os.fsencode(self.path): os.fsencode(file_name or "")}
        self._attached = 0
        self.rows: dict[str, dict[int, SchemaRow]] = {}  # schema -> root page -> its row
        self._page_size = 4096
        self._settings: dict[str, str] = {}  # pragma name -> the statement that set it
        self._registrations: dict[tuple, Callable[[sqlite3.Connection], None]] = {}
        self._connection: sqlite3.Connection | None = None
        self._open()

    # --------------------------------------------------------------------- connection
    def _open(self) -> None:
        # No statement cache: compiling a PRAGMA is what applies it (and reads a setting
        # into a constant), so every EXPLAIN must be compiled afresh.
        connection = sqlite3.connect(
            self.path, isolation_level=None, check_same_thread=False, cached_statements=0
        )
        connection.text_factory = bytes
        connection.execute("PRAGMA journal_mode=OFF")
        connection.execute("PRAGMA synchronous=OFF")
        connection.execute(f"PRAGMA page_size={self._page_size}")
        for register in self._registrations.values():
            register(connection)
        for statement in self._settings.values():
            connection.execute(statement).fetchall()
        self._connection = connection

    def close(self) -> None:
        if self._connection is not None:
            self._connection.close()
            self._connection = None
        shutil.rmtree(self._directory, ignore_errors=True)

    def limit(self, category: int, value: int | None = None) -> int:
        """Read (or, with `value`, set and keep) one of SQLite's limits; returns the old."""
        if value is None:
            return self._connection.getlimit(category)
        old = self._connection.setlimit(category, value)
        self._registrations[("limit", category)] = lambda c: c.setlimit(category, value)
        return old

    def register(self, key: tuple, register: Callable[[sqlite3.Connection], None]) -> None:
        """Run `register(connection)` now and whenever the connection is opened again
        (create_function and friends); a later call with the same key replaces it."""
        register(self._connection)
        self._registrations[key] = register

    # ------------------------------------------------------------------------ compile
    def compile(self, sql: str) -> tuple[Program, list[str | None]]:
        """The program SQLite compiles for one statement, and its parameters' names
        (without their `:`, `@` or `$`; None for a `?`)."""
        self._parameters: list[str | None] = []
        program = compile_with(sql, self._explain, self._query)
        match = _PRAGMA_ASSIGNMENT.match(sql)
        if match:  # compiling applied it to this connection: keep it for a reopen
            self._settings[match.group(1).lower()] = sql
        return program, self._parameters

    def _explain(self, sql: str) -> list[tuple]:
        if _TEMP_PRAGMA.match(sql):
            # SQLite refuses to EXPLAIN a pragma of a temp database not yet opened; running
            # one opens it, as the user's PRAGMA would have in SQLite itself
            self._connection.execute("PRAGMA temp.page_size").fetchall()
        statement = "EXPLAIN " + sql.strip()
        try:
            rows, self._parameters = _explain_with_parameters(self._connection, statement)
            rows = name_virtual_tables(self._connection, rows, statement)
        except sqlite3.Error as exc:
            raise SqlError(str(exc), _code_of(exc)) from None
        except (ValueError, OverflowError) as exc:  # NUL characters, huge statements
            raise SqlError(str(exc)) from None
        names = self._file_names
        return [r[:5] + (names[r[5]],) + r[6:] if r[5] in names else r for r in rows]

    def _query(self, sql: str) -> list[tuple]:
        """The rows of a query about the mirrored schema (see loader.compile_with)."""
        return self._connection.execute(sql).fetchall()

    def explain(self, sql: str) -> tuple[Program, list[str | None]]:
        """An EXPLAIN or EXPLAIN QUERY PLAN statement: SQLite answers it while compiling,
        without running anything, so its answer becomes a program that returns those
        rows."""
        try:
            rows, parameters = _explain_with_parameters(self._connection, sql.strip())
        except sqlite3.Error as exc:
            raise SqlError(str(exc), _code_of(exc)) from None
        return rows_program(rows), parameters

    def column_names(self, sql: str, parameters: int, count: int) -> list[str]:
        """The names SQLite gives the `count` result columns of `sql`.

        EXPLAIN does not show them, and the statement cannot simply run here (its tables
        have no pages here). A query is asked as `SELECT * FROM (query) LIMIT 0`, which
        names its columns as the query does, and reads nothing; SQLite makes repeated
        names unique in a subquery (`a`, `a:1`), so that suffix is taken off again.
        A PRAGMA or EXPLAIN runs as it is: what it reports was settled while compiling.
        """
        text = sql.strip().rstrip(";").strip()
        keyword = text[:10].split(None, 1)[0].lower() if text else ""
        if keyword.startswith(("select", "values", "with")):
            query = f"SELECT * FROM ({text}\n) LIMIT 0"
        elif keyword.startswith(("pragma", "explain")):
            query = text
        else:
            return _returning_names(text, count)
        try:
            cursor = self._connection.execute(query, [None] * parameters)
            names = [column[0] for column in cursor.description or ()]
            cursor.close()
        except (sqlite3.Error, ValueError):
            return _returning_names(text, count)
        names = [n.decode() if isinstance(n, bytes) else n for n in names]
        if len(names) != count:
            return _returning_names(text, count)
        return _without_unique_suffixes(names)

    # ----------------------------------------------------------------------- schema
    def sync(
        self, schema: str, rows: list[SchemaRow], cookie: int, page_size: int, file_format: int
    ) -> None:
        """Make schema `schema` ("main" or "temp") hold `rows`, with cookie `cookie`.

        The schema format number matters too: below 4, SQLite ignores DESC in indexes.
        """
        if schema == "temp" and not rows and self.cookies["temp"] is None:
            self.cookies["temp"] = cookie  # nothing to copy: leave it unopened, as SQLite
            return
        table = _schema_table(schema)
        largest_root = max((row[4] or 0 for row in rows), default=0)
        if schema == "main":
            self._page_size = page_size
            self._grow_main(largest_root, file_format)
        else:
            self._grow_by_padding(schema, largest_root)
        # --8<-- [start:sync]
        run = self._connection.execute
        run("PRAGMA writable_schema=ON")
        try:
            run("BEGIN")
            run(f"DELETE FROM {table}")
            self._connection.executemany(
                f"INSERT INTO {table}(rowid, type, name, tbl_name, rootpage, sql)"
                " VALUES (?, ?, ?, ?, ?, ?)",
                rows,
            )
            run("COMMIT")
            run(f"PRAGMA {_quote(schema)}.schema_version={cookie}")
            # SQLite reads the schema again when a statement finds the cookie moved
            run(f"SELECT 1 FROM {table} LIMIT 1").fetchall()
        except sqlite3.Error as exc:
            if self._connection.in_transaction:
                run("ROLLBACK")
            raise SqlError(f"cannot mirror the schema to compile against: {exc}") from None
        finally:
            run("PRAGMA writable_schema=OFF")
        self.cookies[schema] = cookie
        # --8<-- [end:sync]
        self.rows[schema] = {row[4]: row for row in rows if row[4]}

    def _grow_main(self, pages: int, file_format: int) -> None:
        """Make the scratch file at least `pages` pages long, as a sparse file, and give
        it the schema format number `file_format` (0 leaves it to SQLite)."""
        size = os.path.getsize(self.path)
        have = size // self._page_size if size else 0
        if have >= pages and file_format in (0, self._file_format()):
            return  # (an empty file is an empty database, as long as no root needs room)
        self._connection.close()
        if have == 0:  # a new file: let SQLite write a first page of the right size
            first = sqlite3.connect(self.path)
            first.execute("PRAGMA journal_mode=OFF")
            first.execute("PRAGMA synchronous=OFF")
            first.execute(f"PRAGMA page_size={self._page_size}")
            first.execute("VACUUM")
            first.close()
        grow_file(self.path, max(pages, have, 1), file_format)
        self._open()
        self.cookies["temp"] = None  # the temp schema went with the old connection

    def _file_format(self) -> int:
        with open(self.path, "rb") as f:
            header = f.read(48)
        return int.from_bytes(header[44:48], "big") if len(header) == 48 else 0

    def _grow_by_padding(self, schema: str, pages: int) -> None:
        """The temp and attached databases must reach their largest root too: pages are
        added to their freelist (a padding table filled, then dropped)."""
        run = self._connection.execute
        schema = _quote(schema)
        (have,) = run(f"PRAGMA {schema}.page_count").fetchone()
        if have >= pages:
            return
        (size,) = run(f"PRAGMA {schema}.page_size").fetchone()
        run(f"CREATE TABLE {schema}.vdbe_padding(x)")
        run(f"INSERT INTO {schema}.vdbe_padding VALUES (zeroblob(?))", (pages * size,))
        run(f"DROP TABLE {schema}.vdbe_padding")

    def attach(self, name: str, file_name: str) -> None:
        """A new attached database, `name`, for a schema to be mirrored into: a scratch
        file, which `PRAGMA database_list` shows as `file_name`, the VM's file."""
        self._attached += 1
        path = os.path.join(self._directory, f"attached-{self._attached}.db")
        self._file_names[os.fsencode(path)] = os.fsencode(file_name)

        def register(connection) -> None:
            connection.execute(f"ATTACH ? AS {_quote(name)}", (path,))
            connection.execute(f"PRAGMA {_quote(name)}.journal_mode=OFF")

        register(self._connection)
        self._registrations[("attach", name.lower())] = register
        self.cookies[name] = None

    def query_types(self, sql: str, count: int) -> list[str | None] | None:
        """The declared types of a query's result columns, as SQLite works them out when
        compiling: made into a temporary view (in a transaction rolled back at once),
        whose columns `PRAGMA table_info` lists with their types. None when the statement
        cannot be a view (it has parameters, or is no query)."""
        text = sql.strip().rstrip(";").strip()
        if not text[:10].lower().startswith(("select", "values", "with")):
            return None
        run = self._connection.execute
        try:
            run("PRAGMA temp.journal_mode=MEMORY")  # so that the view can be rolled back
            run("BEGIN")
            try:
                run(f"CREATE TEMP VIEW vdbe_column_types AS {text}\n")
                columns = run("PRAGMA temp.table_info(vdbe_column_types)").fetchall()
            finally:
                run("ROLLBACK")
        except (sqlite3.Error, ValueError):
            return None
        types = [_text(column[2]) or None for column in columns]
        return types if len(types) == count else None

    def declared_type(self, schema: str, root: int, column: int | None) -> str | None:
        """The declared type of column number `column` (None: the rowid) of the table or
        index whose b-tree has root page `root` (sqlite3_column_decltype)."""
        row = self.rows.get(schema, {}).get(root)
        if row is None:
            return None
        kind, name, table = (_text(v) for v in row[1:4])
        run = self._connection.execute
        try:
            columns = run(f"PRAGMA {_quote(schema)}.table_xinfo({_quote(table)})").fetchall()
            if kind == "index" and column is not None:
                xinfo = run(f"PRAGMA {_quote(schema)}.index_xinfo({_quote(name)})").fetchall()
                column = xinfo[column][1] if column < len(xinfo) else None
                column = None if column is not None and column < 0 else column
        except sqlite3.Error:
            return None
        if column is None:  # the rowid: declared only by an INTEGER PRIMARY KEY column
            found = [c[2] for c in columns if c[5] == 1 and _text(c[2]).upper() == "INTEGER"]
            return _text(found[0]) if len(found) == 1 else None
        return _text(columns[column][2]) or None if column < len(columns) else None

    def detach(self, name: str) -> None:
        self._connection.execute(f"DETACH {_quote(name)}")
        self._registrations.pop(("attach", name.lower()), None)
        self.cookies.pop(name, None)


def _text(value) -> str:
    return value.decode("utf-8", "replace") if isinstance(value, bytes) else value


def _quote(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def _schema_table(schema: str) -> str:
    if schema == "main":
        return "sqlite_schema"
    if schema == "temp":
        return "temp.sqlite_temp_schema"
    return f"{_quote(schema)}.sqlite_schema"


def _code_of(exc: sqlite3.Error) -> str:
    """SQLite's result code name for an error of the `sqlite3` module."""
    name = getattr(exc, "sqlite_errorname", None)
    if name:
        return name
    if isinstance(exc, sqlite3.ProgrammingError):  # several statements at once, say
        return "SQLITE_MISUSE"
    if isinstance(exc, sqlite3.DataError):  # the statement is over the length limit
        return "SQLITE_TOOBIG"
    return "SQLITE_ERROR"


class _NameRecorder(dict):
    """Bindings that answer NULL to every name, and remember the names asked for."""

    def __init__(self) -> None:
        super().__init__()
        self.names: list[str | None] = []

    def __missing__(self, key: str) -> None:
        self.names.append(key)


def _explain_with_parameters(connection, statement: str) -> tuple[list[tuple], list]:
    """The rows of an EXPLAIN, and the statement's parameter names (see compile)."""
    try:
        return connection.execute(statement).fetchall(), []
    except sqlite3.ProgrammingError as exc:
        match = re.search(r"uses (\d+)", str(exc))
        if match is None:
            raise
    count = int(match.group(1))
    recorder = _NameRecorder()
    try:
        rows = connection.execute(statement, recorder).fetchall()
    except sqlite3.ProgrammingError:  # a `?` among them: names only up to it
        rows = connection.execute(statement, [None] * count).fetchall()
    names = recorder.names + [None] * (count - len(recorder.names))
    return rows, names


def rows_program(rows: list[tuple]) -> Program:
    """A program that returns `rows`, constants loaded into registers 1, 2, ..."""
    code = [Instruction("Init", 0, 1, 0, None, 0, "")]
    for row in rows:
        for register, value in enumerate(row, 1):
            if value is None:
                code.append(Instruction("Null", 0, register, 0, None, 0, ""))
            elif isinstance(value, int):
                code.append(Instruction("Int64", 0, register, 0, value, 0, ""))
            else:
                text = value.decode("utf-8", "replace") if isinstance(value, bytes) else value
                code.append(Instruction("String8", 0, register, 0, str(text), 0, ""))
        code.append(Instruction("ResultRow", 1, len(row), 0, None, 0, ""))
    code.append(Instruction("Halt", 0, 0, 0, None, 0, ""))
    return Program(code, "main")


def _without_unique_suffixes(names: list[str]) -> list[str]:
    seen: set[str] = set()
    plain = []
    for name in names:
        base, colon, number = name.rpartition(":")
        if colon and number.isdigit() and base in seen:
            name = base
        seen.add(name)
        plain.append(name)
    return plain


def _returning_names(text: str, count: int) -> list[str]:
    """Names for a RETURNING clause's columns: each expression's text, or its alias."""
    from vdbe.statements import top_level_split

    lowered = text.lower()
    at = lowered.rfind("returning")
    names = []
    if at >= 0:
        for item in top_level_split(text[at + len("returning") :]):
            match = re.match(r"(?is)(.*?)\s+(?:as\s+)?([A-Za-z_]\w*|\"[^\"]*\")$", item)
            if match and not match.group(1).rstrip().endswith((".", "(", ",")):
                names.append(match.group(2).strip('"'))
            else:
                names.append(item)
    if len(names) != count:
        names = [f"column{i + 1}" for i in range(count)]
    return names


def grow_file(path: str, pages: int, file_format: int = 0) -> None:
    """Declare the database at `path` `pages` pages long, extending the file sparsely;
    set its schema format number to `file_format` unless that is 0.

    The header's page count (offset 28) is believed only while the "version valid for"
    number (offset 92) equals the change counter (offset 24); both move, so that a
    connection that had the file open reads the header again.
    """
    with open(path, "r+b") as f:
        header = bytearray(f.read(100))
        page_size = int.from_bytes(header[16:18], "big")
        page_size = 65536 if page_size == 1 else page_size
        counter = (int.from_bytes(header[24:28], "big") + 1) & 0xFFFFFFFF
        header[24:28] = header[92:96] = counter.to_bytes(4, "big")
        header[28:32] = pages.to_bytes(4, "big")
        if file_format:
            header[44:48] = file_format.to_bytes(4, "big")
        f.seek(0)
        f.write(header)
        f.truncate(max(pages * page_size, os.fstat(f.fileno()).st_size))
