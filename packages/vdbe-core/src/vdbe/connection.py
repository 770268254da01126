"""A connection: one open database, and everything that lives between its statements.

    connection = Connection("test.db")
    connection.execute("CREATE TABLE t(a)")
    connection.execute("INSERT INTO t VALUES (?)", [1])
    for row in connection.execute("SELECT a FROM t"):
        print(row)
    connection.close()

A connection keeps, for its whole life:

- the database the VM runs on (`db`: pager, locks, transaction state), and the temp
  database, schema number 1, in memory;
- the compile side (`vdbe.compiler.Compiler`): a real SQLite connection holding a copy
  of the schema, which compiles every statement;
- prepared statements: each program compiled once and kept, under its SQL text and the
  schema cookies it was compiled against, so that running a statement again costs no
  compiling (`sqlite3_prepare` once, `sqlite3_step` many times);
- what SQLite keeps per connection: `changes`, `total_changes`, `last_insert_rowid`,
  functions and collations registered from Python, a progress handler.
"""

from __future__ import annotations

import os
import re
import weakref
from collections.abc import Callable, Iterator, Mapping, Sequence

from vdbe.collation import connection_collations
from vdbe.compiler import Compiler
from vdbe.engine import VM
from vdbe.errors import SqlError
from vdbe.functions import pattern
from vdbe.program import Instruction, Program
from vdbe.statements import is_blank, split_statements
from vdbe.storage import Database, OsVfs
from vdbe.storage.vacuum import autovacuum_mode, parse_autovacuum

_CACHE_LIMIT = 1000  # prepared statements kept; the oldest go first
_SCHEMA_RETRIES = 3  # as sqlite3_prepare_v2 recompiles a statement whose schema moved
_SCHEMA_OPCODES = frozenset({"ParseSchema", "AutoCommit", "Savepoint", "DropTable"})


class Prepared:
    """A compiled statement: the program, and what the connection needs to know of it."""

    __slots__ = (
        "sql",
        "program",
        "parameters",
        "counts_changes",
        "may_change_schema",
        "result_columns",
        "names",
        "declared_types",
    )

    def __init__(self, sql: str, program: Program, parameters: list[str | None]) -> None:
        self.sql = sql
        self.program = program
        self.parameters = parameters  # one name per parameter (None for a plain `?`)
        code = program.instructions
        # sqlite3_changes() reports INSERT, UPDATE and DELETE statements only
        self.counts_changes = any(
            (ins.opcode == "Insert" and ins.p5 & 1)
            or (ins.opcode == "Delete" and ins.p2 & 1)
            or (ins.opcode == "Clear" and ins.p3)
            for ins in code
        )
        self.result_columns = next((i.p2 for i in code if i.opcode == "ResultRow"), 0)
        self.names: list[str] | None = None  # the result columns' names, once asked for
        self.declared_types: list[str | None] | None = None  # and their declared types
        self.may_change_schema = any(
            ins.opcode in _SCHEMA_OPCODES or (ins.opcode == "SetCookie" and ins.p2 == 1)
            for ins in code
        )

    @property
    def cacheable(self) -> bool:
        """Can the program run again as it is? Not a PRAGMA's: SQLite does a PRAGMA's
        work while compiling it (a setting is changed, or read into a constant)."""
        return self.sql.lstrip()[:6].lower() != "pragma"


class Connection:
    """An open database and the state SQLite keeps per connection (see the module)."""

    def __init__(self, path: str = ":memory:", *, vfs=None, busy_timeout: float = 0.0) -> None:
        self.path = path
        in_memory = path in (":memory:", "")
        if vfs is None and not in_memory:  # opening reads the header: it may meet a writer
            vfs = OsVfs(busy_timeout=busy_timeout)
        self.db = Database(None if in_memory else path, vfs=vfs)
        self.temp = Database.memory()
        self.databases = [self.db, self.temp]  # then attached ones, as SQLite numbers them
        self.database_names = ["main", "temp"]
        self.compiler = Compiler(None if in_memory else os.path.realpath(path))
        self._cache: dict[tuple, Prepared] = {}
        self.compiled = 0  # statements compiled (tests check that repeats are not)
        self.changes = 0
        self.total_changes = 0
        self.last_insert_rowid = 0
        self.functions: dict[tuple[str, int], Callable] = {}
        self.aggregates: dict[tuple[str, int], type] = {}
        self.collations: dict[str, Callable[[str, str], int]] = {}  # by upper-case name
        self.progress: tuple[Callable[[], object], int] | None = None
        self.trace = None  # where each VM writes its trace (vdbe sql --trace)
        self._running: weakref.WeakSet[VM] = weakref.WeakSet()
        self._schema_dirty = False  # an ATTACH happened: read the schemas again
        # PRAGMA settings that change what the VM does (the compile side keeps its own)
        self.settings: dict[str, str] = {}
        self.closed = False
        try:
            self.refresh_schema()
        except BaseException:
            self.close()
            raise

    # ------------------------------------------------------------------ state
    @property
    def in_transaction(self) -> bool:
        """Inside BEGIN ... COMMIT (autocommit mode off)?"""
        return not self.db.autocommit

    def close(self) -> None:
        """Roll back what is not committed and release the files."""
        if self.closed:
            return
        self.closed = True
        for vm in list(self._running):
            vm.close()
        for db in self.databases:
            if db.in_transaction:
                db.rollback()
            db.autocommit = True
            db.close()
        self.compiler.close()
        self._cache.clear()

    # ----------------------------------------------------------------- schema
    @property
    def active_statements(self) -> int:
        """How many statements have started and not yet ended (VACUUM needs none but itself)."""
        return len(self._running)

    def refresh_schema(self) -> None:
        """Copy the VM's schemas to the compile side if their cookies moved."""
        for name, db in zip(self.database_names, self.databases, strict=True):
            cookie, file_format, rows = read_schema(db)
            if cookie != self.compiler.cookies[name]:
                self.compiler.sync(name, rows, cookie, db.page_size, file_format)

    def _schema_is_current(self) -> bool:
        cookies = self.compiler.cookies
        return all(
            read_cookie(db) == cookies[name]
            for name, db in zip(self.database_names, self.databases, strict=True)
        )

    def attach(self, path: str, name: str) -> None:
        """ATTACH: open the database at `path` (in memory for "" or ":memory:") as `name`."""
        if any(name.lower() == known.lower() for known in self.database_names):
            raise SqlError(f"database {name} is already in use")
        if self.in_transaction:
            raise SqlError("cannot ATTACH database within transaction")
        if len(self.databases) >= 12:
            raise SqlError("too many attached databases - max 10")
        try:
            db = Database(None if path in ("", ":memory:") else path)
        except OSError:
            raise SqlError(f"unable to open database: {path}") from None
        self.databases.append(db)
        self.database_names.append(name)
        self.compiler.attach(name, "" if db.path is None else os.path.realpath(path))
        self._schema_dirty = True

    def detach(self, name: str) -> None:
        """DETACH: close the attached database `name`."""
        lowered = [known.lower() for known in self.database_names]
        if name.lower() not in lowered[2:]:
            if name.lower() in lowered:
                raise SqlError(f"cannot detach database {name}")
            raise SqlError(f"no such database: {name}")
        index = lowered.index(name.lower())
        db = self.databases[index]
        if db.in_transaction and not self.in_transaction:
            db.commit()
        if db.in_transaction:
            raise SqlError(f"database {name} is locked")
        del self.databases[index], self.database_names[index]
        db.close()
        self.compiler.detach(self.compiler_name(name))
        self._cache.clear()

    def compiler_name(self, name: str) -> str:
        return next(k for k in self.compiler.cookies if k.lower() == name.lower())

    # ---------------------------------------------------------------- prepare
    # --8<-- [start:prepare]
    def prepare(self, sql: str) -> Prepared:
        """The compiled statement for `sql` (one statement), from the cache if it is there."""
        key = (sql, tuple(self.compiler.cookies.items()))
        prepared = self._cache.get(key)
        if prepared is not None:
            return prepared
        if is_blank(sql):
            return Prepared(sql, Program([]), [])
        try:
            prepared = self._compile(sql)
        except SqlError:
            if self._schema_is_current():
                raise
            self.refresh_schema()  # another connection changed the schema: try again
            return self.prepare(sql)
        if prepared.cacheable:
            if len(self._cache) >= _CACHE_LIMIT:
                del self._cache[next(iter(self._cache))]
            self._cache[key] = prepared
        return prepared

    # --8<-- [end:prepare]

    def _compile(self, sql: str) -> Prepared:
        if _EXPLAIN.match(sql):
            program, parameters = self.compiler.explain(sql)
        else:
            program, parameters = self.compiler.compile(sql)
        self.compiled += 1
        self._bind_functions(program)
        match = _PRAGMA_AUTO_VACUUM_READ.match(sql)
        if match:
            self._report_auto_vacuum(program, match.group(1))
        match = _PRAGMA_AUTO_VACUUM_SET.match(sql)
        if match:
            program = self._switch_auto_vacuum(program, match.group(1), match.group(2))
        return Prepared(sql, program, parameters)

    def _schema_database(self, schema: str | None) -> tuple[int, Database]:
        names = [name.lower() for name in self.database_names]
        schema = (schema or "main").lower()
        index = names.index(schema) if schema in names else 0
        db = self.databases[index]
        if not db.in_transaction:
            db.begin(write=False)
            db.commit()  # a read of the header, which tells the mode
        return index, db

    # --8<-- [start:switch_auto_vacuum]
    def _switch_auto_vacuum(self, program: Program, schema: str | None, value: str) -> Program:
        """`PRAGMA auto_vacuum = FULL | INCREMENTAL`: for a database that is in auto-vacuum
        mode (or still empty), SQLite compiles a program that switches the mode in the
        header (offset 64). The compile side's scratch file is not in auto-vacuum mode, so
        its SQLite compiles nothing: the VM builds the program SQLite builds here."""
        mode = parse_autovacuum(value.strip().strip("'\""))
        index, db = self._schema_database(schema)
        if mode == 0 or not (db.pager.autovacuum or db.pager.page_count == 0):
            return program
        if any(ins.opcode == "SetCookie" for ins in program.instructions):
            return program
        code = [
            ("Init", 0, 8),
            ("Expire", 1, 1),
            ("Transaction", index, 1),
            ("ReadCookie", index, 1, 4),  # the largest root page: 0 unless auto-vacuum
            ("If", 1, 6),
            ("Halt", 0, 2),
            ("SetCookie", index, 7, mode - 1),  # 7: the incremental-vacuum flag
            ("Halt",),
            ("Goto", 0, 1),
        ]
        return Program([Instruction(*ins) for ins in code])

    # --8<-- [end:switch_auto_vacuum]

    def _report_auto_vacuum(self, program: Program, schema: str | None) -> None:
        """`PRAGMA auto_vacuum` compiles to a constant: the mode SQLite's own b-tree has.
        The compile side's scratch file has none, so the mode of the VM's file goes there."""
        _, db = self._schema_database(schema)
        for ins in program.instructions:
            if ins.opcode == "Int64":
                ins.p4 = autovacuum_mode(db.pager)

    def _bind_functions(self, program: Program) -> None:
        """Point calls of functions registered from Python at their implementations, and
        LIKE at its case-sensitive form when the connection asked for it."""
        scalars = self.functions
        if self.case_sensitive_like:
            scalars = {**_CASE_SENSITIVE_LIKE, **scalars}
        if not (scalars or self.aggregates):
            return
        from vdbe.opcodes.functions import bind_implementation
        from vdbe.p4 import FuncRef

        for ins in (i for part in program.with_subprograms() for i in part.instructions):
            ref = ins.p4
            if not isinstance(ref, FuncRef):
                continue
            table = scalars if ins.opcode in ("Function", "PureFunc") else self.aggregates
            found = table.get((ref.name, ref.nargs)) or table.get((ref.name, -1))
            if found is not None:
                bind_implementation(ref, found)

    def column_names(self, prepared: Prepared) -> list[str]:
        """The names of the statement's result columns (sqlite3_column_name)."""
        if prepared.names is None:
            prepared.names = self.compiler.column_names(
                prepared.sql, len(prepared.parameters), prepared.result_columns
            )
        return prepared.names

    def column_types(self, prepared: Prepared) -> list[str | None]:
        """The declared types of the result columns that read a table column directly
        (sqlite3_column_decltype); None for expressions."""
        if prepared.declared_types is None:
            found = self.compiler.query_types(prepared.sql, prepared.result_columns)
            if found is None:  # a statement with parameters: read the program instead
                found = [
                    None if source is None else self.compiler.declared_type(*source)
                    for source in self._column_sources(prepared.program)
                ]
            prepared.declared_types = found
        return prepared.declared_types

    def _column_sources(self, program: Program) -> list[tuple | None]:
        """For each result column: (schema, root page, column number or None for the
        rowid) when it is read straight from a b-tree, else None."""
        code = program.instructions
        at = next((a for a, ins in enumerate(code) if ins.opcode == "ResultRow"), None)
        if at is None:
            return []
        opened = {
            ins.p1: (ins.p3, ins.p2)
            for ins in code
            if ins.opcode in ("OpenRead", "OpenWrite", "ReopenIdx") and not ins.p5 & 0x10
        }
        sources = []
        for register in range(code[at].p1, code[at].p1 + code[at].p2):
            source = None
            for ins in reversed(code[:at]):
                if ins.opcode in ("SCopy", "Copy") and ins.p2 == register and not ins.p3:
                    register = ins.p1
                    continue
                if ins.opcode == "Column" and ins.p3 == register:
                    source = (ins.p1, ins.p2)
                elif ins.opcode in ("Rowid", "IdxRowid") and ins.p2 == register:
                    source = (ins.p1, None)
                elif not _writes(ins, register):
                    continue
                break
            if source is None or source[0] not in opened:
                sources.append(None)
                continue
            db_index, root = opened[source[0]]
            names = self.database_names
            sources.append((names[db_index], root, source[1]) if db_index < len(names) else None)
        return sources

    def forget_prepared(self) -> None:
        """Drop every prepared statement (a function was redefined, say)."""
        self._cache.clear()

    # -------------------------------------------------------------------- run
    def execute(self, sql: str, bindings: Sequence | Mapping = ()) -> Iterator[list]:
        """Run one statement; returns an iterator over its rows, already started (the
        statement has run up to its first row, so a statement without rows is done)."""
        return self.start(self.prepare(sql), bindings)

    # --8<-- [start:start]
    def start(self, prepared: Prepared, bindings: Sequence | Mapping = ()) -> Run:
        """Run a prepared statement up to its first row."""
        if not prepared.cacheable:
            self._before_setting(prepared.sql)
        for _ in range(_SCHEMA_RETRIES):
            run = Run(self, prepared, bindings)
            try:
                run.advance()
            except SqlError as exc:
                if exc.code != "SQLITE_SCHEMA":
                    raise
                self.refresh_schema()
                prepared = self.prepare(prepared.sql)
                continue
            return run
        raise SqlError("database schema has changed", "SQLITE_SCHEMA")

    # --8<-- [end:start]

    def executescript(self, script: str) -> None:
        """Run every statement of `script` in order, to the end of each."""
        for statement in split_statements(script):
            for _ in self.execute(statement.sql):
                pass

    def _finished(self, vm: VM, prepared: Prepared) -> None:
        """After a statement ran to its end: the counters, and the schema it may have changed."""
        if prepared.counts_changes:
            self.changes = vm.changes
            self.total_changes += vm.changes
        rowid = getattr(vm, "last_rowid", None)
        if rowid is not None:
            self.last_insert_rowid = rowid
        if not prepared.cacheable:  # a PRAGMA
            self._apply_setting(prepared.sql)
        if prepared.may_change_schema or self._schema_dirty:
            self._schema_dirty = False
            self.refresh_schema()

    def _apply_setting(self, sql: str) -> None:
        """A PRAGMA's effect on the VM's side (SQLite applied it to the compile side
        while compiling): the LIKE function, the page cache, the wait for locks."""
        match = _PRAGMA_SET.match(sql)
        if match is None:
            return
        name, value = match.group(1).lower(), match.group(2).strip().strip("'\"").lower()
        self.settings[name] = value
        if name == "case_sensitive_like":
            self._cache.clear()  # LIKE compiles differently now
        elif name == "cache_size" and _is_int(value):
            pages = int(value) if int(value) > 0 else -int(value) * 1024 // self.db.page_size
            for db in self.databases:
                db.pager.cache_pages = max(10, pages)
        elif name == "busy_timeout" and _is_int(value):
            self.set_busy_timeout(int(value) / 1000)

    def _before_setting(self, sql: str) -> None:
        """`PRAGMA auto_vacuum = X` acts before its program runs, as SQLite applies it
        while compiling: a database file created from now on (this very program may
        create it) is created in that mode."""
        match = _PRAGMA_AUTO_VACUUM_SET.match(sql)
        if match is None:
            return
        names = [name.lower() for name in self.database_names]
        schema = (match.group(1) or "main").lower()
        if schema in names:  # (SQLite names an unknown one when compiling)
            db = self.databases[names.index(schema)]
            db.pager.new_autovacuum = parse_autovacuum(match.group(2).strip().strip("'\""))

    def set_busy_timeout(self, seconds: float) -> None:
        """How long a statement waits for another connection's lock before it fails
        with 'database is locked'."""
        for db in self.databases:
            db.pager.vfs.busy_timeout = max(0.0, seconds)

    @property
    def case_sensitive_like(self) -> bool:
        return self.settings.get("case_sensitive_like") in ("1", "on", "yes", "true")

    def interrupt(self) -> None:
        """Stop every statement running on this connection ('interrupted')."""
        for vm in list(self._running):
            vm.interrupt()


_EXPLAIN = re.compile(r"\s*explain\b", re.IGNORECASE)
_PRAGMA_AUTO_VACUUM_READ = re.compile(r"\s*pragma\s+(?:(\w+)\s*\.\s*)?auto_vacuum\s*;?\s*$", re.I)
_PRAGMA_AUTO_VACUUM_SET = re.compile(
    r"\s*pragma\s+(?:(\w+)\s*\.\s*)?auto_vacuum\s*(?:=|\()\s*([^);]*)", re.I
)
_PRAGMA_SET = re.compile(r"\s*pragma\s+(?:\w+\s*\.\s*)?(\w+)\s*(?:=|\()\s*([^);]*)", re.I)
_CASE_SENSITIVE_LIKE = {
    ("like", 2): pattern.like_case_sensitive,
    ("like", 3): pattern.like_escape_case_sensitive,
}


def _is_int(text: str) -> bool:
    return text.lstrip("-+").isdigit()


def _writes(ins, register: int) -> bool:
    """Might this instruction write `register` (its P2 or P3, as most opcodes do)?"""
    return register in (ins.p2, ins.p3) and ins.opcode not in _READS_ONLY


# Opcodes whose P2 and P3 are jump targets or read registers, never written ones.
_READS_ONLY = frozenset(
    {"Goto", "If", "IfNot", "IsNull", "NotNull", "Eq", "Ne", "Lt", "Le", "Gt", "Ge"}
    | {"Next", "Prev", "Rewind", "Last", "SeekRowid", "NotExists", "Once", "ResultRow"}
)


class Run:
    """One execution of a prepared statement: a VM, stepped on demand."""

    def __init__(self, connection: Connection, prepared: Prepared, bindings) -> None:
        self.connection = connection
        self.prepared = prepared
        vm = VM(
            prepared.program,
            connection.db,
            bindings=bindings,
            trace=connection.trace,
            progress=connection.progress,
        )
        vm.connection = connection
        vm.databases = connection.databases
        self.vm = vm
        self.next_row: list | None = None
        self.done = False
        connection._running.add(vm)

    def advance(self) -> None:
        """Step to the next row (kept in `next_row`), or to the end."""
        if not self.prepared.program.instructions:  # only spaces and comments
            self.done = True
            return
        if self.connection.collations or connection_collations:
            connection_collations.clear()
            connection_collations.update(self.connection.collations)
        try:
            self.next_row = self.vm.step()
        except BaseException:
            self.done = True
            self.connection._running.discard(self.vm)
            raise
        if self.next_row is None:
            self.done = True
            self.connection._running.discard(self.vm)
            self.connection._finished(self.vm, self.prepared)

    def __iter__(self) -> Run:
        return self

    def __next__(self) -> list:
        if self.next_row is None:
            raise StopIteration
        row = self.next_row
        self.advance()
        return row

    def close(self) -> None:
        """Abandon the rest of the rows (the statement ends as sqlite3_reset ends it)."""
        if not self.done:
            self.done = True
            self.next_row = None
            self.connection._running.discard(self.vm)
            self.vm.reset()


# --------------------------------------------------------------- reading the VM's schema


def read_cookie(db) -> int:
    """The schema cookie of `db`, read inside a transaction (started and ended if needed)."""
    with _read_transaction(db):
        return db.schema_cookie if db.pager.page_count else 0


def read_schema(db) -> tuple[int, int, list[tuple]]:
    """(schema cookie, schema format number, rows of sqlite_schema as (rowid, type, name,
    tbl_name, rootpage, sql))."""
    with _read_transaction(db):
        if not db.pager.page_count:
            return 0, 0, []
        cursor = db.cursor(1)
        rows = []
        more = cursor.first()
        while more:
            rows.append((cursor.rowid(), *(cursor.column(i) for i in range(5))))
            more = cursor.next()
        return db.schema_cookie, db.get_meta(2), rows


class _read_transaction:  # noqa: N801 - used as a `with` statement
    """Hold a read transaction while the block runs, unless one is already open."""

    def __init__(self, db) -> None:
        self.db = db
        self.started = False

    def __enter__(self) -> None:
        if not self.db.in_transaction:
            self.db.begin(False)
            self.started = True

    def __exit__(self, *exc) -> None:
        if self.started:
            self.db.commit()
