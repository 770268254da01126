"""The `sqlite3` module's interface, on this VM: change one import and code runs here.

    import vdbe.dbapi as sqlite3

    con = sqlite3.connect(":memory:")
    con.execute("CREATE TABLE t(a, b)")
    con.executemany("INSERT INTO t VALUES (?, ?)", [(1, "x"), (2, "y")])
    con.commit()
    print(con.execute("SELECT * FROM t").fetchall())

Every statement is compiled by real SQLite (see `vdbe.connection`) and run by this VM
on its own storage. The module follows Python's `sqlite3` (PEP 249 with SQLite's
additions): the exception hierarchy and SQLite's messages, qmark, numbered and named
parameters, implicit BEGIN before INSERT/UPDATE/DELETE unless `isolation_level` is
None, row and text factories, adapters and converters, functions, aggregates, window
functions and collations written in Python, a progress handler, `interrupt()` and
`iterdump()`. What the VM cannot honour raises NotSupportedError saying so.
"""

from __future__ import annotations

import datetime
import functools
import os
import sys
import threading
import time
import traceback
from collections.abc import Iterable, Mapping, Sequence
from sqlite3.dump import _iterdump

from vdbe import errors as _errors
from vdbe import int64 as _int64
from vdbe.connection import Connection as _Connection
from vdbe.connection import Prepared
from vdbe.sqlite_library import sqlite3 as _sqlite3  # the compile side's module
from vdbe.sqltokens import quote_identifier
from vdbe.statements import split_statements
from vdbe.values import type_name

apilevel = "2.0"
threadsafety = 1
paramstyle = "qmark"
version = "2.6.0"
version_info = (2, 6, 0)
sqlite_version = "3.40.1"
sqlite_version_info = (3, 40, 1)

PARSE_DECLTYPES = 1
PARSE_COLNAMES = 2
# SQLite's numbers, as the sqlite3 module names them: result codes (SQLITE_CONSTRAINT),
# authorizer actions (SQLITE_INSERT), limit categories (SQLITE_LIMIT_LENGTH), ...
globals().update({k: v for k, v in vars(_sqlite3).items() if k.startswith("SQLITE_")})

Binary = memoryview
Date = datetime.date
Time = datetime.time
Timestamp = datetime.datetime


def DateFromTicks(ticks: float) -> datetime.date:  # noqa: N802 - DB-API names
    return Date(*time.localtime(ticks)[:3])


def TimeFromTicks(ticks: float) -> datetime.time:  # noqa: N802
    return Time(*time.localtime(ticks)[3:6])


def TimestampFromTicks(ticks: float) -> datetime.datetime:  # noqa: N802
    return Timestamp(*time.localtime(ticks)[:6])


# ------------------------------------------------------------------------- exceptions


class Warning(Exception):  # noqa: A001, N818 - PEP 249 names it so
    """PEP 249's Warning."""


class Error(Exception):
    """Base of the module's errors; `sqlite_errorcode` and `sqlite_errorname` say which."""

    sqlite_errorcode: int | None = None
    sqlite_errorname: str | None = None


class InterfaceError(Error):
    pass


class DatabaseError(Error):
    pass


class DataError(DatabaseError):
    pass


class OperationalError(DatabaseError):
    pass


class IntegrityError(DatabaseError):
    pass


class InternalError(DatabaseError):
    pass


class ProgrammingError(DatabaseError):
    pass


class NotSupportedError(DatabaseError):
    pass


# The exception Python's sqlite3 raises for each of SQLite's primary result codes.
_EXCEPTIONS = {
    "SQLITE_ERROR": OperationalError,
    "SQLITE_INTERNAL": InternalError,
    "SQLITE_PERM": OperationalError,
    "SQLITE_ABORT": OperationalError,
    "SQLITE_BUSY": OperationalError,
    "SQLITE_LOCKED": OperationalError,
    "SQLITE_NOMEM": MemoryError,
    "SQLITE_READONLY": OperationalError,
    "SQLITE_INTERRUPT": OperationalError,
    "SQLITE_IOERR": OperationalError,
    "SQLITE_CORRUPT": DatabaseError,
    "SQLITE_FULL": OperationalError,
    "SQLITE_CANTOPEN": OperationalError,
    "SQLITE_SCHEMA": OperationalError,
    "SQLITE_TOOBIG": DataError,
    "SQLITE_CONSTRAINT": IntegrityError,
    "SQLITE_MISMATCH": IntegrityError,
    "SQLITE_MISUSE": ProgrammingError,
    "SQLITE_RANGE": InterfaceError,
    "SQLITE_NOTADB": DatabaseError,
}


# A failed constraint's extended result code, told by its message.
_CONSTRAINTS = (
    ("CHECK", "SQLITE_CONSTRAINT_CHECK", 275),
    ("FOREIGN KEY", "SQLITE_CONSTRAINT_FOREIGNKEY", 787),
    ("NOT NULL", "SQLITE_CONSTRAINT_NOTNULL", 1299),
    ("UNIQUE", "SQLITE_CONSTRAINT_UNIQUE", 2067),
    ("PRIMARY KEY", "SQLITE_CONSTRAINT_PRIMARYKEY", 1555),
)


def _error_from(exc: _errors.VdbeError) -> Exception:
    """The module's exception for an error of the VM or the compiler."""
    if isinstance(exc, _errors.UnsupportedOpcode):
        return NotSupportedError(f"this VM cannot run the statement: {exc.message}")
    name = exc.code or "SQLITE_ERROR"
    if exc.message == "datatype mismatch":
        name = "SQLITE_MISMATCH"
    primary = _errors.primary_code(name)
    number, kind = _errors.RESULT_CODES[primary], _EXCEPTIONS[primary]
    if primary == "SQLITE_CONSTRAINT":
        for start, extended, code in _CONSTRAINTS:
            if exc.message.startswith(start):
                name, number = extended, code
    error = kind(exc.message)
    if isinstance(error, Error):
        error.sqlite_errorcode = number
        error.sqlite_errorname = name
    return error


class _Translate:
    """`with _Translate():` turns the VM's errors into the module's."""

    def __enter__(self) -> None:
        return None

    def __exit__(self, kind, exc, tb) -> bool:
        if exc is not None and isinstance(exc, _errors.VdbeError):
            raise _error_from(exc) from None
        if isinstance(exc, RecursionError):
            raise OperationalError("too deeply nested") from None
        return False


_translate = _Translate()

# ------------------------------------------------------------------ adapters, converters


class PrepareProtocol:
    """The protocol `adapt` and `__conform__` speak of (PEP 246)."""

    def __init__(self, *args, **kwargs) -> None:
        if args or kwargs:
            raise TypeError("PrepareProtocol() takes no arguments")


adapters: dict = {}
converters: dict = {}
_callback_tracebacks = False
_base_types_adapted = False  # then even int, float and str values are adapted


def register_adapter(type_: type, adapter) -> None:
    """Values of `type_` are bound as `adapter(value)`."""
    global _base_types_adapted
    if type_ in (int, float, str, bytearray):
        _base_types_adapted = True
    adapters[(type_, PrepareProtocol)] = adapter


def register_converter(name: str, converter) -> None:
    """Values of declared type (or column-name type) `name` are read as `converter(bytes)`."""
    converters[name.upper()] = converter


def adapt(obj, proto=PrepareProtocol, alt=None, /):
    """The adapted form of `obj` (its registered adapter, `__adapt__` or `__conform__`)."""
    adapter = adapters.get((type(obj), proto))
    if adapter is not None:
        return adapter(obj)
    for holder, method, argument in ((proto, "__adapt__", obj), (obj, "__conform__", proto)):
        found = getattr(holder, method, None)
        if found is not None:
            adapted = found(argument)
            if adapted is not None:
                return adapted
    if alt is not None:
        return alt
    raise ProgrammingError("can't adapt")


def enable_callback_tracebacks(flag: bool, /) -> None:
    """Print the tracebacks of exceptions raised in user functions (they are reported as
    SQL errors either way)."""
    global _callback_tracebacks
    _callback_tracebacks = bool(flag)


def __getattr__(name: str):
    """`OptimizedUnicode`: `str`, kept under its old name with a warning, as in sqlite3."""
    if name == "OptimizedUnicode":
        import warnings

        warnings.warn(
            "OptimizedUnicode is deprecated; use str instead", DeprecationWarning, stacklevel=2
        )
        return str
    raise AttributeError(f"module 'vdbe.dbapi' has no attribute {name!r}")


def enable_shared_cache(enable: bool) -> None:
    """Deprecated in the sqlite3 module; here each connection has its own cache anyway."""
    import warnings

    warnings.warn(
        "enable_shared_cache is deprecated and will be removed in Python 3.12. "
        "Shared cache is strongly discouraged by the SQLite 3 documentation. "
        "If shared cache must be used, open the database in URI mode using "
        "the cache=shared query parameter.",
        DeprecationWarning,
        stacklevel=2,
    )


def complete_statement(statement: str) -> bool:
    """Does `statement` end with a complete SQL statement (sqlite3_complete)?"""
    return _sqlite3.complete_statement(statement)


def _register_default_adapters() -> None:
    """Python's sqlite3 binds dates as ISO text and reads "date"/"timestamp" back."""

    def convert_date(value: bytes) -> datetime.date:
        return datetime.date(*map(int, value.split(b"-")))

    def convert_timestamp(value: bytes) -> datetime.datetime:
        day, clock = value.split(b" ")
        year, month, date = map(int, day.split(b"-"))
        parts = clock.split(b".")
        hours, minutes, seconds = map(int, parts[0].split(b":"))
        micro = int(parts[1][:6].decode().ljust(6, "0")) if len(parts) == 2 else 0
        return datetime.datetime(year, month, date, hours, minutes, seconds, micro)

    register_adapter(datetime.date, lambda value: value.isoformat())
    register_adapter(datetime.datetime, lambda value: value.isoformat(" "))
    register_converter("date", convert_date)
    register_converter("timestamp", convert_timestamp)


_register_default_adapters()

# ----------------------------------------------------------------------------- values

_SQL_TYPES = (int, float, str, bytes, type(None))


def _bindable(value, index: int):
    """A parameter as the VM takes it (adapted first, as Python's sqlite3 does)."""
    if type(value) not in _SQL_TYPES or _base_types_adapted:
        value = adapt(value, PrepareProtocol, value)
        if isinstance(value, bytearray | memoryview):
            value = _contiguous_bytes(value)
        elif isinstance(value, int):  # bool and int subclasses
            value = int(value)
        elif isinstance(value, float):
            value = float(value)
        elif isinstance(value, str):
            value = str(value)
        elif not isinstance(value, _SQL_TYPES):
            raise ProgrammingError(
                f"Error binding parameter {index}: type '{type(value).__name__}' is not supported"
            )
    kind = type(value)
    if kind is int and not _int64.SMALLEST_INT64 <= value <= _int64.LARGEST_INT64:
        raise OverflowError("Python int too large to convert to SQLite INTEGER")
    if kind is float and value != value:
        return None  # SQLite stores a NaN as NULL
    if kind is str and not value.isascii():
        value.encode("utf-8")  # a lone surrogate cannot be stored: UnicodeEncodeError
    return value


def _contiguous_bytes(value) -> bytes:
    view = memoryview(value)
    if not view.c_contiguous:
        raise BufferError("underlying buffer is not C-contiguous")
    return view.tobytes()


def _bindings(prepared: Prepared, parameters) -> list:
    """The parameter values in the order of the statement's parameters."""
    names = prepared.parameters
    if isinstance(parameters, tuple | list) or (
        not isinstance(parameters, dict) and _is_sequence(parameters)
    ):
        supplied = len(parameters)
        if supplied != len(names):
            raise ProgrammingError(
                "Incorrect number of bindings supplied. The current statement uses "
                f"{len(names)}, and there are {supplied} supplied."
            )
        return [_bindable(parameters[i], i + 1) for i in range(supplied)]
    if isinstance(parameters, Mapping):
        values = []
        for number, name in enumerate(names, 1):
            if name is None:
                raise ProgrammingError(
                    f"Binding {number} has no name, but you supplied a dictionary "
                    "(which has only names)."
                )
            try:
                value = parameters[name]
            except KeyError:
                raise ProgrammingError(
                    f"You did not supply a value for binding parameter :{name}."
                ) from None
            values.append(_bindable(value, number))
        return values
    raise ProgrammingError("parameters are of unsupported type")


def _is_sequence(value) -> bool:
    return hasattr(value, "__len__") and hasattr(value, "__getitem__")


def _from_python(value):
    """A user function's result as an SQL value; a Python exception when there is none
    (OverflowError for a huge int, UnicodeEncodeError for a lone surrogate, ...)."""
    if isinstance(value, int):
        if not _int64.SMALLEST_INT64 <= value <= _int64.LARGEST_INT64:
            raise OverflowError("Python int too large to convert to SQLite INTEGER")
        return int(value)
    if isinstance(value, float):
        return None if value != value else float(value)
    if isinstance(value, str):
        if not value.isascii():
            value.encode("utf-8")
        return str(value)
    if value is None:
        return None
    if isinstance(value, bytes | bytearray | memoryview):
        return _contiguous_bytes(value)
    raise TypeError(f"cannot return a {type(value).__name__} to SQL")


def _report(message: str, source=None):
    """The SQL error for the exception being handled, raised in user code. With callback
    tracebacks on, the exception goes to `sys.unraisablehook` first, as in `sqlite3`."""
    kind, value, tb = sys.exc_info()
    if _callback_tracebacks:
        hook_args = _UnraisableArgs(kind, value, tb, None, source)
        try:
            sys.unraisablehook(hook_args)
        except Exception:
            traceback.print_exception(kind, value, tb)
    if isinstance(value, MemoryError):
        return _errors.SqlError("out of memory", "SQLITE_NOMEM")
    if isinstance(value, OverflowError):
        return _errors.SqlError("string or blob too big", "SQLITE_TOOBIG")
    return _errors.SqlError(message)


class _UnraisableArgs:
    """What `sys.unraisablehook` receives."""

    def __init__(self, exc_type, exc_value, exc_traceback, err_msg, obj) -> None:
        self.exc_type = exc_type
        self.exc_value = exc_value
        self.exc_traceback = exc_traceback
        self.err_msg = err_msg
        self.object = obj


# ------------------------------------------------------------------------- connection

_ISOLATION_LEVELS = ("", "DEFERRED", "IMMEDIATE", "EXCLUSIVE")
_DEFAULT_FACTORY = object()  # cursor() without a factory (None is refused, as in sqlite3)


def connect(
    database,
    timeout: float = 5.0,
    detect_types: int = 0,
    isolation_level: str | None = "",
    check_same_thread: bool = True,
    factory=None,
    cached_statements: int = 128,
    uri: bool = False,
):
    """Open a connection to the database file `database` (":memory:" for one in memory)."""
    factory = Connection if factory is None else factory
    return factory(
        database,
        timeout=timeout,
        detect_types=detect_types,
        isolation_level=isolation_level,
        check_same_thread=check_same_thread,
        cached_statements=cached_statements,
        uri=uri,
    )


def _path_of(database, uri: bool) -> str:
    if isinstance(database, bytes):
        database = os.fsdecode(database)
    elif not isinstance(database, str):
        database = os.fspath(database)
    if uri and database.startswith("file:"):
        from urllib.parse import unquote, urlsplit

        parts = urlsplit(database)
        query = dict(p.split("=", 1) for p in parts.query.split("&") if "=" in p)
        path = unquote(parts.path)
        if query.get("mode") == "memory" or path in ("", ":memory:"):
            return ":memory:"
        if query.get("mode") == "ro":
            raise NotSupportedError("this VM opens databases read-write only (mode=ro)")
        return path
    return database


class Connection:
    """A connection to one database, shaped like `sqlite3.Connection`."""

    Warning = Warning
    Error = Error
    InterfaceError = InterfaceError
    DatabaseError = DatabaseError
    DataError = DataError
    OperationalError = OperationalError
    IntegrityError = IntegrityError
    InternalError = InternalError
    ProgrammingError = ProgrammingError
    NotSupportedError = NotSupportedError

    def __init__(
        self,
        database,
        timeout: float = 5.0,
        detect_types: int = 0,
        isolation_level: str | None = "",
        check_same_thread: bool = True,
        factory=None,
        cached_statements: int = 128,
        uri: bool = False,
    ) -> None:
        self._connection = None
        self.check_same_thread = check_same_thread
        self._thread = threading.get_ident()
        path = _path_of(database, uri)
        with _translate:
            try:
                self._connection = _Connection(path, busy_timeout=timeout)
            except OSError as exc:
                raise OperationalError("unable to open database file") from exc
        self._isolation_level: str | None = None
        self.isolation_level = isolation_level
        self.detect_types = detect_types
        self.row_factory = None
        self.text_factory = str
        self._trace = None
        self._authorizer = None
        self._cursors: list = []
        self.timeout = timeout

    # ----------------------------------------------------------------- checks
    def _check(self) -> _Connection:
        if "_thread" not in self.__dict__:
            raise ProgrammingError("Base Connection.__init__ not called.")
        if self._connection is None:
            raise ProgrammingError("Cannot operate on a closed database.")
        if self.check_same_thread and threading.get_ident() != self._thread:
            raise ProgrammingError(
                "SQLite objects created in a thread can only be used in that same thread. "
                f"The object was created in thread id {self._thread} and this is "
                f"thread id {threading.get_ident()}."
            )
        return self._connection

    # ------------------------------------------------------------- attributes
    @property
    def isolation_level(self) -> str | None:
        self._check()
        return self._isolation_level

    @isolation_level.setter
    def isolation_level(self, value: str | None) -> None:
        if value is None:
            if getattr(self, "_connection", None) is not None and self.in_transaction:
                self.commit()
            self._isolation_level = None
            return
        if not isinstance(value, str):
            raise TypeError("isolation_level must be str or None")
        if str.upper(value) not in _ISOLATION_LEVELS:
            raise ValueError(
                "isolation_level string must be '', 'DEFERRED', 'IMMEDIATE', or 'EXCLUSIVE'"
            )
        self._isolation_level = value

    @property
    def in_transaction(self) -> bool:
        return self._check().in_transaction

    @property
    def total_changes(self) -> int:
        return self._check().total_changes

    # ------------------------------------------------------------- statements
    def cursor(self, factory=_DEFAULT_FACTORY) -> Cursor:
        self._check()
        cursor = (Cursor if factory is _DEFAULT_FACTORY else factory)(self)
        if not isinstance(cursor, Cursor):
            raise TypeError("factory must return a cursor, not " + type(cursor).__name__)
        return cursor

    def execute(self, sql: str, parameters=(), /) -> Cursor:
        return self.cursor().execute(sql, parameters)

    def executemany(self, sql: str, parameters, /) -> Cursor:
        return self.cursor().executemany(sql, parameters)

    def executescript(self, sql_script: str, /) -> Cursor:
        return self.cursor().executescript(sql_script)

    def commit(self) -> None:
        if self._check().in_transaction:
            self._run_simple("COMMIT")

    def rollback(self) -> None:
        if self._check().in_transaction:
            self._run_simple("ROLLBACK")

    def _run_simple(self, sql: str) -> None:
        self._trace_statement(sql)
        with _translate:
            for _ in self._connection.execute(sql):
                pass

    def close(self) -> None:
        if "_thread" not in self.__dict__:
            raise ProgrammingError("Base Connection.__init__ not called.")
        if self._connection is None:
            return
        if self.check_same_thread and threading.get_ident() != self._thread:
            self._check()
        self._connection.close()
        self._connection = None

    def __enter__(self) -> Connection:
        self._check()
        return self

    def __exit__(self, kind, exc, tb) -> bool:
        if kind is None:
            try:
                self.commit()
            except Exception:
                self.rollback()
                raise
        else:
            self.rollback()
        return False

    def interrupt(self) -> None:
        if self._connection is None:
            raise ProgrammingError("Cannot operate on a closed database.")
        self._connection.interrupt()

    def iterdump(self):
        """The database as SQL text, one statement at a time (the `sqlite3` module's dump)."""
        self._check()
        return _iterdump(self)

    # -------------------------------------------------------- user functions
    def create_function(self, name: str, narg: int, func, *, deterministic: bool = False):
        """Make `func` callable from SQL as `name` with `narg` arguments (-1: any)."""
        connection = self._check()
        _check_arg_count(narg)
        key = (name.lower(), narg)
        flags = {"deterministic": True} if deterministic else {}

        def register(compiling) -> None:
            compiling.create_function(name, narg, None if func is None else _noop, **flags)

        connection.compiler.register(("function", *key), register)
        if func is None:
            connection.functions.pop(key, None)
        else:
            connection.functions[key] = _scalar_caller(func)
        connection.forget_prepared()

    def create_aggregate(self, name: str, n_arg: int, aggregate_class) -> None:
        """Make the class `aggregate_class` (step(), finalize()) an SQL aggregate."""
        self._create_aggregate("aggregate", name, n_arg, aggregate_class)

    def create_window_function(self, name: str, num_params: int, aggregate_class, /) -> None:
        """An aggregate usable as a window function (step, inverse, value, finalize)."""
        self._create_aggregate("window", name, num_params, aggregate_class)

    def _create_aggregate(self, kind: str, name: str, narg: int, cls) -> None:
        connection = self._check()
        _check_arg_count(narg)
        key = (name.lower(), narg)

        def register(compiling) -> None:
            if kind == "window":
                compiling.create_window_function(name, narg, None if cls is None else _NoopAgg)
            else:
                compiling.create_aggregate(name, narg, None if cls is None else _NoopAgg)

        connection.compiler.register((kind, *key), register)
        if cls is None:
            connection.aggregates.pop(key, None)
        else:
            connection.aggregates[key] = _aggregate_adapter(cls)
        connection.forget_prepared()

    def create_collation(self, name: str, callable_) -> None:
        """Make `callable_(a, b)` (negative, 0, positive) the collation `name`."""
        connection = self._check()
        if not isinstance(name, str):
            raise TypeError(f"create_collation() argument 1 must be str, not {type(name).__name__}")
        if callable_ is not None and not callable(callable_):
            raise TypeError("parameter must be callable")
        name = str(name)

        def register(compiling) -> None:
            compiling.create_collation(name, None if callable_ is None else _noop_compare)

        key = str.upper(name)
        connection.compiler.register(("collation", key), register)
        if callable_ is None:
            connection.collations.pop(key, None)
        else:
            connection.collations[key] = _collation_caller(callable_)
        connection.forget_prepared()

    def set_progress_handler(self, progress_handler, n: int) -> None:
        """Call `progress_handler()` every `n` VM instructions; a true result interrupts."""
        connection = self._check()
        if progress_handler is None or n <= 0:
            connection.progress = None
            return

        def progress() -> bool:
            try:
                return bool(progress_handler())
            except Exception:  # reported, and the statement stops as if asked to
                _report("progress handler raised exception", progress_handler)
                return True

        connection.progress = (progress, n)

    def set_trace_callback(self, trace_callback) -> None:
        """Call `trace_callback(sql)` with the text of each statement as it starts."""
        self._check()
        self._trace = trace_callback

    def _trace_statement(self, sql: str) -> None:
        if self._trace is not None:
            try:
                self._trace(sql)
            except Exception:
                _report("trace callback raised exception", self._trace)

    def set_authorizer(self, authorizer_callback) -> None:
        """Authorizers judge each action while SQLite compiles: honoured on the compile side."""
        connection = self._check()

        def register(compiling) -> None:
            compiling.set_authorizer(authorizer_callback)

        connection.compiler.register(("authorizer",), register)
        connection.forget_prepared()

    def enable_load_extension(self, enabled: bool, /) -> None:
        raise NotSupportedError("this VM cannot load extensions: they are compiled C code")

    def load_extension(self, *args, **kwargs) -> None:
        raise NotSupportedError("this VM cannot load extensions: they are compiled C code")

    def backup(self, *args, **kwargs) -> None:
        self._check()
        raise NotSupportedError("backup is not supported by this VM")

    def serialize(self, *args, **kwargs):
        self._check()
        raise NotSupportedError("serialize is not supported by this VM")

    def deserialize(self, *args, **kwargs):
        self._check()
        raise NotSupportedError("deserialize is not supported by this VM")

    def getlimit(self, category: int, /) -> int:
        """A limit of the compiler (SQL length, columns, expression depth, ...)."""
        return self._limit(category)

    def setlimit(self, category: int, limit: int, /) -> int:
        """Set a limit of the compiler, which enforces it as it compiles; returns the old one."""
        return self._limit(category, limit)

    def _limit(self, category: int, limit: int | None = None) -> int:
        compiler = self._check().compiler
        try:
            return compiler.limit(category, limit)
        except _sqlite3.ProgrammingError as exc:
            raise ProgrammingError(str(exc)) from None

    def __call__(self, sql: str = None, /):  # noqa: RUF013 - checked after the connection
        """Compile `sql` and return the prepared statement (as `sqlite3` does, opaque)."""
        connection = self._check()
        if not isinstance(sql, str):
            raise TypeError(f"argument must be str, not {type(sql).__name__}")
        sql.encode("utf-8")
        with _translate:
            return Statement(connection.prepare(sql))

    def blobopen(self, table: str, column: str, row: int, /, *, readonly=False, name="main"):
        """A Blob: the BLOB in `column` of row `row` of `table`, read and written in place."""
        self._check()
        where = f"{quote_identifier(name)}.{quote_identifier(table)}"
        return Blob(self, where, quote_identifier(column), row, readonly)


class Statement:
    """A prepared statement, as a connection's call returns it."""

    __slots__ = ("_prepared",)

    def __new__(cls, *args, **kwargs):
        if len(args) != 1 or not isinstance(args[0], Prepared):
            raise TypeError("cannot create 'vdbe.dbapi.Statement' instances")
        return super().__new__(cls)

    def __init__(self, prepared: Prepared) -> None:
        self._prepared = prepared


class Blob:
    """A BLOB opened for reading and writing in place, as `sqlite3.Blob`.

    Reads and writes go through SQL on the same connection (`substr` and UPDATE), so
    they keep the VM's transaction rules. Its length cannot change. If the row changes
    behind it, the next read or write fails, as SQLite's expired blob handle does.
    """

    def __init__(self, connection: Connection, table: str, column: str, row: int, ro) -> None:
        self._connection = connection
        self._table, self._column, self._row = table, column, row
        self._readonly = bool(ro)
        self._offset = 0
        self._value = self._current()
        if not isinstance(self._value, bytes):
            raise OperationalError(f"cannot open value of type {type_name(self._value)}")
        self._closed = False

    def _current(self):
        sql = f"SELECT {self._column} FROM {self._table} WHERE rowid = ?"
        with _translate:
            found = list(self._connection._check().execute(sql, [self._row]))
        if not found:
            raise OperationalError(f"no such rowid: {self._row}")
        return found[0][0]

    def _check(self) -> bytes:
        self._connection._check()
        if self._closed:
            raise ProgrammingError("Cannot operate on a closed blob.")
        if self._current() != self._value:
            raise OperationalError("the blob's row changed: the blob handle is aborted")
        return self._value

    def _store(self, value: bytes) -> None:
        if self._readonly:
            raise OperationalError("attempt to write a readonly database")
        sql = f"UPDATE {self._table} SET {self._column} = ? WHERE rowid = ?"
        with _translate:
            for _ in self._connection._check().execute(sql, [value, self._row]):
                pass
        self._value = value

    def close(self) -> None:
        self._connection._check()
        self._closed = True

    def __len__(self) -> int:
        return len(self._check())

    def tell(self) -> int:
        self._check()
        return self._offset

    def seek(self, offset: int, origin: int = os.SEEK_SET, /) -> None:
        size = len(self._check())
        if origin not in (os.SEEK_SET, os.SEEK_CUR, os.SEEK_END):
            raise ValueError("'origin' should be os.SEEK_SET, os.SEEK_CUR, or os.SEEK_END")
        base = {os.SEEK_SET: 0, os.SEEK_CUR: self._offset, os.SEEK_END: size}[origin]
        if base + offset > 2**31 - 1:
            raise OverflowError("seek offset results in overflow")
        if not 0 <= base + offset <= size:
            raise ValueError("offset out of blob range")
        self._offset = base + offset

    def read(self, length: int = -1, /) -> bytes:
        value = self._check()
        end = len(value) if length < 0 else min(len(value), self._offset + length)
        data = value[self._offset : end]
        self._offset += len(data)
        return data

    def write(self, data, /) -> None:
        value = self._check()
        data = bytes(memoryview(data))
        if self._offset + len(data) > len(value):
            raise ValueError("data longer than blob length")
        self._store(value[: self._offset] + data + value[self._offset + len(data) :])
        self._offset += len(data)

    def __getitem__(self, key):
        value = self._check()
        if isinstance(key, slice):
            return value[key]
        if not hasattr(key, "__index__"):
            raise TypeError("Blob indices must be integers")
        index = key.__index__()
        if not -len(value) <= index < len(value):
            raise IndexError("Blob index out of range")
        return value[index]

    def __setitem__(self, key, item) -> None:
        value = bytearray(self._check())
        if isinstance(key, slice):
            data = bytes(memoryview(item))
            if len(range(*key.indices(len(value)))) != len(data):
                raise IndexError("Blob slice assignment is wrong size")
            value[key] = data
        else:
            if not hasattr(key, "__index__"):
                raise TypeError("Blob indices must be integers")
            index = key.__index__()
            if not -len(value) <= index < len(value):
                raise IndexError("Blob index out of range")
            if not isinstance(item, int):
                kind = type(item).__name__
                raise TypeError(f"'{kind}' object cannot be interpreted as an integer")
            if not 0 <= item <= 255:
                raise ValueError("byte must be in range(0, 256)")
            value[index] = item
        self._store(bytes(value))

    def __delitem__(self, key) -> None:
        raise TypeError("Blob doesn't support item deletion")

    def __contains__(self, item) -> bool:
        raise TypeError("Blob is not a sequence: 'in' is not supported")

    __iter__ = None

    def __enter__(self) -> Blob:
        self._check()
        return self

    def __exit__(self, *exc_info) -> bool:
        self.close()
        return False


def _check_arg_count(narg: int) -> None:
    if not isinstance(narg, int):
        raise TypeError("narg must be an integer")
    if narg < -1 or narg > 127:
        raise OperationalError("Error creating function")


def _noop(*args):
    return None


def _noop_compare(a, b) -> int:
    return 0


class _NoopAgg:
    def step(self, *args) -> None:
        pass

    def inverse(self, *args) -> None:
        pass

    def value(self) -> None:
        return None

    def finalize(self) -> None:
        return None


def _scalar_caller(func):
    def call(*args):
        try:
            return _from_python(func(*args))
        except Exception:
            raise _report("user-defined function raised exception", func) from None

    return call


def _aggregate_adapter(cls):
    """A class in the VM's aggregate shape (step, inverse, value, final) around `cls`.

    As in `sqlite3`, the Python object is made on the first row: a group without rows
    never makes one, and its result is NULL.
    """

    class Adapter:
        def __init__(self) -> None:
            self.inner = None

        def _call(self, method: str, *args, result: bool = False):
            if self.inner is None:
                try:
                    self.inner = cls()
                except Exception:
                    raise _report(
                        "user-defined aggregate's '__init__' method raised error", cls
                    ) from None
            try:
                bound = getattr(self.inner, method)
            except AttributeError:
                raise _report(
                    f"user-defined aggregate's '{method}' method not defined", cls
                ) from None
            try:
                value = bound(*args)
                return _from_python(value) if result else None
            except Exception:
                raise _report(
                    f"user-defined aggregate's '{method}' method raised error", cls
                ) from None

        def step(self, *args) -> None:
            self._call("step", *args)

        def inverse(self, *args) -> None:
            self._call("inverse", *args)

        def value(self):
            return self._call("value", result=True)

        def final(self):
            if self.inner is None:
                return None
            return self._call("finalize", result=True)

    return Adapter


def _collation_caller(func):
    def compare(a: str, b: str) -> int:
        try:
            result = func(a, b)
        except Exception:
            raise _report("user-defined collation raised exception", func) from None
        return (result > 0) - (result < 0)

    return compare


# ---------------------------------------------------------------------------- cursor


def _keyword(sql: str) -> str:
    """The statement's first keyword, lower case (comments skipped)."""
    text = sql.lstrip()
    while text.startswith(("--", "/*")):
        if text.startswith("--"):
            cut = text.find("\n")
            text = "" if cut < 0 else text[cut + 1 :].lstrip()
        else:
            cut = text.find("*/")
            text = "" if cut < 0 else text[cut + 2 :].lstrip()
    word = []
    for ch in text:
        if not ch.isalpha():
            break
        word.append(ch)
    return "".join(word).lower()


_DML = frozenset({"insert", "update", "delete", "replace"})


@functools.lru_cache(maxsize=1024)
def _is_dml(sql: str) -> bool:
    """Is this an INSERT, UPDATE, DELETE or REPLACE (which sqlite3 begins a transaction
    for, and counts in rowcount)?"""
    return _keyword(sql) in _DML


class Cursor:
    """A cursor: runs statements and fetches their rows, as `sqlite3.Cursor`."""

    def __init__(self, connection: Connection) -> None:
        if not isinstance(connection, Connection):
            raise TypeError("argument 1 must be a vdbe.dbapi.Connection")
        self.connection = connection
        self.arraysize = 1
        self.row_factory = connection.row_factory
        self.description = None
        self.rowcount = -1
        self.lastrowid = None
        self._run = None
        self._names: list[str] = []
        self._converters: list = []
        self._busy = False  # converting a row (a factory must not use this cursor)
        self._dml = False  # the statement running is an INSERT, UPDATE, DELETE or REPLACE
        self._closed = False

    def _check(self) -> _Connection:
        if "_closed" not in self.__dict__:
            raise ProgrammingError("Base Cursor.__init__ not called.")
        if self._busy:
            raise ProgrammingError("Recursive use of cursors not allowed.")
        if self._closed:
            raise ProgrammingError("Cannot operate on a closed cursor.")
        return self.connection._check()

    def close(self) -> None:
        if "_closed" not in self.__dict__:
            raise ProgrammingError("Base Cursor.__init__ not called.")
        if self._busy:
            raise ProgrammingError("Recursive use of cursors not allowed.")
        self.connection._check()
        self._finish()
        self._closed = True

    def _finish(self) -> None:
        if self._run is not None:
            self._run.close()
            self._run = None

    # ------------------------------------------------------------------ execute
    def execute(self, sql: str, parameters=(), /) -> Cursor:
        connection = self._check()
        if not isinstance(sql, str):
            raise TypeError(f"execute() argument 1 must be str, not {type(sql).__name__}")
        self._finish()
        self.description = None
        self.rowcount = -1
        prepared = self._prepare(connection, sql)
        self._dml = _is_dml(sql)
        self._begin_if_needed(connection, sql)
        self._start(connection, prepared, parameters)
        if self._run is not None and self._run.done and self._dml:
            self.rowcount = connection.changes
        self.lastrowid = connection.last_insert_rowid
        return self

    def executemany(self, sql: str, seq_of_parameters, /) -> Cursor:
        connection = self._check()
        if not isinstance(sql, str):
            raise TypeError(f"executemany() argument 1 must be str, not {type(sql).__name__}")
        self._finish()
        self.description = None
        self.rowcount = -1
        prepared = self._prepare(connection, sql)
        if prepared.program.instructions and _has_rows(prepared):
            raise ProgrammingError("executemany() can only execute DML statements.")
        counted = 0
        dml = _is_dml(sql)
        for parameters in _iterate(seq_of_parameters):
            self._begin_if_needed(connection, sql)
            self._start(connection, prepared, parameters)
            if dml:
                counted += connection.changes
        self.rowcount = counted if dml else -1
        self._finish()
        return self

    def executescript(self, sql_script: str, /) -> Cursor:
        connection = self._check()
        if not isinstance(sql_script, str):
            kind = type(sql_script).__name__
            raise TypeError(f"executescript() argument must be str, not {kind}")
        if "\x00" in sql_script:
            raise ValueError("the query contains a null character")
        self._finish()
        self.connection.commit()
        with _translate:
            for statement in split_statements(sql_script):
                self.connection._trace_statement(statement.sql)
                for _ in connection.execute(statement.sql):
                    pass
        return self

    def _prepare(self, connection: _Connection, sql: str) -> Prepared:
        if "\x00" in sql:
            raise ProgrammingError("the query contains a null character")
        if not sql.isascii():
            sql.encode("utf-8")  # a lone surrogate: UnicodeEncodeError, as in sqlite3
        with _translate:
            prepared = connection.prepare(sql)
        return prepared

    def _begin_if_needed(self, connection: _Connection, sql: str) -> None:
        level = self.connection.isolation_level
        if level is not None and not connection.in_transaction and _is_dml(sql):
            self.connection._run_simple(f"BEGIN {level}")

    def _start(self, connection: _Connection, prepared: Prepared, parameters) -> None:
        values = _bindings(prepared, parameters)
        self.connection._trace_statement(prepared.sql)
        with _translate:
            run = connection.start(prepared, values)
        self._run = run
        if _has_rows(prepared):
            self._describe(connection, prepared)
        elif not run.done:
            # rows without columns (PRAGMA incremental_vacuum gives one per page): the
            # sqlite3 module takes one step and resets the statement, as done here
            with _translate:
                run.close()

    def _describe(self, connection: _Connection, prepared: Prepared) -> None:
        with _translate:
            names = connection.column_names(prepared)
            detect = self.connection.detect_types
            types = connection.column_types(prepared) if detect & PARSE_DECLTYPES else []
        shown = []
        self._converters = []
        for i, name in enumerate(names):
            converter = None
            if detect & PARSE_COLNAMES and "[" in name and name.rstrip().endswith("]"):
                declared = name[name.index("[") + 1 : name.rindex("]")]
                converter = converters.get(declared.upper())
            if converter is None and i < len(types) and types[i]:
                word = types[i].split("(", 1)[0].split(None, 1)
                converter = converters.get(word[0].upper()) if word else None
            if detect & PARSE_COLNAMES and "[" in name:
                name = name[: name.index("[")].rstrip()
            shown.append(name)
            self._converters.append(converter)
        self._names = shown
        self.description = tuple((n, None, None, None, None, None, None) for n in shown)

    # ------------------------------------------------------------------- fetch
    def _convert(self, row: list) -> object:
        text_factory = self.connection.text_factory
        values = []
        for i, value in enumerate(row):
            converter = self._converters[i] if i < len(self._converters) else None
            if converter is not None and value is not None:
                self._busy = True
                try:
                    value = converter(_as_bytes(value))
                finally:
                    self._busy = False
            elif isinstance(value, str) and (text_factory is not str or not value.isascii()):
                value = self._text(value, text_factory, i)
            values.append(value)
        values = tuple(values)
        if self.row_factory is not None:
            self._busy = True
            try:
                return self.row_factory(self, values)
            finally:
                self._busy = False
        return values

    def _text(self, value: str, text_factory, column: int):
        try:
            data = value.encode("utf-8", "surrogateescape")
            if text_factory is str:
                return data.decode("utf-8")
            if text_factory is bytes:
                return data
            return text_factory(data)
        except UnicodeError:
            name = self._names[column] if column < len(self._names) else str(column)
            raise OperationalError(
                f"Could not decode to UTF-8 column '{name}' with text '{value}'"
            ) from None

    def fetchone(self):
        self._check()
        run = self._run
        if run is None:
            return None
        try:
            with _translate:
                row = next(run)
        except StopIteration:
            self._run = None
            return None
        if run.done and self._dml:  # an INSERT ... RETURNING has finished its changes
            self.rowcount = self.connection._connection.changes
        return self._convert(row)

    def fetchmany(self, size: int | None = None):
        if size is None:
            size = self.arraysize
        rows = []
        while size > 0:
            row = self.fetchone()
            if row is None:
                break
            rows.append(row)
            size -= 1
        return rows

    def fetchall(self):
        rows = []
        while (row := self.fetchone()) is not None:
            rows.append(row)
        return rows

    def __iter__(self) -> Cursor:
        return self

    def __next__(self):
        row = self.fetchone()
        if row is None:
            raise StopIteration
        return row

    def setinputsizes(self, sizes, /) -> None:
        self._check()

    def setoutputsize(self, size, column=None, /) -> None:
        self._check()


def _as_bytes(value) -> bytes:
    """A value as a converter receives it: its text as SQLite renders it, in UTF-8."""
    if isinstance(value, bytes):
        return value
    if not isinstance(value, str):
        from vdbe.values import to_text

        value = to_text(value)
    return value.encode("utf-8", "surrogateescape")


def _has_rows(prepared: Prepared) -> bool:
    return prepared.result_columns > 0


def _iterate(seq_of_parameters) -> Iterable:
    try:
        return iter(seq_of_parameters)
    except TypeError:
        raise TypeError("executemany() argument 2 must be an iterable") from None


# -------------------------------------------------------------------------------- Row


class Row:
    """A result row whose values are found by index or, ignoring case, by column name."""

    __slots__ = ("_values", "_names")

    def __init__(self, cursor: Cursor, values: tuple) -> None:
        if not isinstance(cursor, Cursor):
            raise TypeError("Row() argument 1 must be a cursor")
        if not isinstance(values, tuple):
            raise TypeError("Row() argument 2 must be a tuple")
        self._values = values
        self._names = tuple(d[0] for d in cursor.description or ())

    def keys(self) -> list[str]:
        return list(self._names)

    def __getitem__(self, key):
        if isinstance(key, str):
            folded = _ascii_upper(key)
            for i, name in enumerate(self._names):
                if _ascii_upper(name) == folded:
                    return self._values[i]
            raise IndexError("No item with that key")
        if isinstance(key, int | slice):
            return self._values[key]
        raise IndexError("Index must be int or string")

    def __len__(self) -> int:
        return len(self._values)

    def __iter__(self):
        return iter(self._values)

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Row):
            return NotImplemented
        return self._names == other._names and self._values == other._values

    def __ne__(self, other: object) -> bool:
        result = self.__eq__(other)
        return result if result is NotImplemented else not result

    def __hash__(self) -> int:
        return hash(self._names) ^ hash(self._values)

    def __repr__(self) -> str:
        return f"<vdbe.dbapi.Row object at {id(self):#x}>"


def _ascii_upper(text: str) -> str:
    """Upper case for A-Z only: how `sqlite3.Row` compares column names."""
    return text.translate(_UPPER)


_UPPER = str.maketrans("abcdefghijklmnopqrstuvwxyz", "ABCDEFGHIJKLMNOPQRSTUVWXYZ")
Sequence.register(Row)

__all__ = [name for name in dir(sys.modules[__name__]) if not name.startswith("_")]
