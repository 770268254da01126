"""The part of the `sqlite3` module's interface that `vdbe` uses, over the `apsw` package.

The newest SQLite often reaches PyPI first inside `apsw`, whose version number pins the
SQLite it bundles (apsw 3.54.1.0 is SQLite 3.54.1). `apsw` is not a DB-API module, so
`VDBE_SQLITE=apsw` loads this module in place of `sqlite3`: connections, cursors, the
exception classes and the few module functions that the compile side and the tests'
oracle call, with the `sqlite3` module's behaviour where the two differ:

- `execute` runs one statement, and says so when given more; `executescript` runs many.
- Parameters are checked against the statement as `sqlite3` checks them, and a mapping
  is asked for each name with `mapping[name]`, so that its `__missing__` is honoured.
- With an `isolation_level` other than None, INSERT, UPDATE, DELETE and REPLACE open a
  transaction first, which `commit()` ends (the module's default, "legacy" mode).
- Errors are the DB-API classes `sqlite3` raises for each result code, with SQLite's
  message and `sqlite_errorcode`/`sqlite_errorname`.
- Text arrives as `str` (apsw decodes it); a `text_factory` other than `str` is given
  the UTF-8 bytes. Text that is not UTF-8 cannot be read, except in EXPLAIN's rows
  (see `_explained`).

Anything else raises AttributeError: the module is a driver for `vdbe`, not a general one.
"""

from __future__ import annotations

import os
import re
from collections.abc import Callable, Iterable, Mapping

import apsw

sqlite_version = apsw.sqlite_lib_version()
sqlite_version_info = tuple(int(part) for part in sqlite_version.split("."))
# SQLite's numbers under SQLite's names: result codes, limit categories, authorizer actions
globals().update({k: v for k, v in vars(apsw).items() if k.startswith("SQLITE_")})


class Warning(Exception):  # noqa: A001, N818 - the DB-API's name
    pass


class Error(Exception):
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


# the class the sqlite3 module raises for each primary result code (DatabaseError otherwise)
_CLASS_OF_CODE = {
    apsw.SQLITE_INTERNAL: InternalError,
    apsw.SQLITE_NOTFOUND: InternalError,
    apsw.SQLITE_CORRUPT: DatabaseError,
    apsw.SQLITE_TOOBIG: DataError,
    apsw.SQLITE_CONSTRAINT: IntegrityError,
    apsw.SQLITE_MISMATCH: IntegrityError,
    apsw.SQLITE_MISUSE: InterfaceError,
    apsw.SQLITE_RANGE: InterfaceError,
}
_OPERATIONAL = (
    "ERROR", "PERM", "ABORT", "BUSY", "LOCKED", "READONLY", "INTERRUPT", "IOERR", "FULL",
    "CANTOPEN", "PROTOCOL", "EMPTY", "SCHEMA",
)  # fmt: skip
_CLASS_OF_CODE.update({getattr(apsw, "SQLITE_" + name): OperationalError for name in _OPERATIONAL})


def _translated(exc: apsw.Error) -> Error:
    """The sqlite3 module's exception for one of apsw's."""
    code = getattr(exc, "extendedresult", None)
    primary = getattr(exc, "result", None)
    if isinstance(exc, apsw.NoMemError):
        return MemoryError(str(exc))
    cls = _CLASS_OF_CODE.get(primary, DatabaseError) if primary is not None else InterfaceError
    error = cls(str(exc))
    if code is not None:
        error.sqlite_errorcode = code
        names = apsw.mapping_extended_result_codes
        error.sqlite_errorname = names.get(code) or apsw.mapping_result_codes.get(primary)
    return error


def complete_statement(statement: str) -> bool:
    """Does `statement` end with a complete SQL statement (sqlite3_complete)?"""
    return apsw.complete(statement)


def connect(
    database: str | os.PathLike,
    timeout: float = 5.0,
    isolation_level: str | None = "",
    check_same_thread: bool = True,
    cached_statements: int = 128,
    uri: bool = False,
) -> Connection:
    """Open a database as `sqlite3.connect` does (check_same_thread is moot: apsw
    connections may be shared between threads)."""
    return Connection(os.fspath(database), timeout, isolation_level, cached_statements, uri)


class Connection:
    """One apsw connection, with the `sqlite3.Connection` methods vdbe calls."""

    def __init__(
        self, path: str, timeout: float, isolation_level: str | None, cache: int, uri: bool
    ) -> None:
        flags = apsw.SQLITE_OPEN_READWRITE | apsw.SQLITE_OPEN_CREATE
        if uri:
            flags |= apsw.SQLITE_OPEN_URI
        try:
            self._apsw = apsw.Connection(path, flags=flags, statementcachesize=cache)
            self._apsw.set_busy_timeout(int(timeout * 1000))
        except apsw.Error as exc:
            raise _translated(exc) from None
        self.isolation_level = isolation_level
        self.text_factory: Callable = str

    @property
    def in_transaction(self) -> bool:
        return self._apsw.in_transaction

    def cursor(self) -> Cursor:
        return Cursor(self)

    def execute(self, sql: str, parameters: Iterable | Mapping = ()) -> Cursor:
        return self.cursor().execute(sql, parameters)

    def executemany(self, sql: str, seq_of_parameters: Iterable) -> Cursor:
        return self.cursor().executemany(sql, seq_of_parameters)

    def executescript(self, script: str) -> Cursor:
        """Commit, then run every statement of `script` as it stands (no implicit BEGIN)."""
        self.commit()
        try:
            for _ in self._apsw.execute(script):
                pass
        except apsw.Error as exc:
            raise _translated(exc) from None
        return self.cursor()

    def commit(self) -> None:
        if self._apsw.in_transaction:
            self._run("COMMIT")

    def rollback(self) -> None:
        if self._apsw.in_transaction:
            self._run("ROLLBACK")

    def close(self) -> None:
        self._apsw.close()

    def getlimit(self, category: int) -> int:
        return self._apsw.limit(category)

    def setlimit(self, category: int, limit: int) -> int:
        return self._apsw.limit(category, limit)

    def create_function(self, name: str, narg: int, func, *, deterministic: bool = False):
        self._apsw.create_scalar_function(name, func, narg, deterministic=deterministic)

    def create_aggregate(self, name: str, narg: int, cls) -> None:
        factory = None if cls is None else (lambda: _Aggregate(cls()))
        self._apsw.create_aggregate_function(name, factory, narg)

    def create_window_function(self, name: str, narg: int, cls) -> None:
        factory = None if cls is None else (lambda: _Aggregate(cls()))
        self._apsw.create_window_function(name, factory, narg)

    def create_collation(self, name: str, compare) -> None:
        self._apsw.create_collation(name, compare)

    def set_authorizer(self, authorizer) -> None:
        self._apsw.authorizer = authorizer

    def _run(self, sql: str) -> None:
        try:
            self._apsw.execute(sql)
        except apsw.Error as exc:
            raise _translated(exc) from None


class _Aggregate:
    """An instance of a `sqlite3` aggregate class (step, finalize; value, inverse for a
    window) as apsw calls it (step, final, value, inverse)."""

    def __init__(self, instance) -> None:
        self.instance = instance

    def step(self, *args):
        self.instance.step(*args)

    def inverse(self, *args):
        self.instance.inverse(*args)

    def value(self):
        return self.instance.value()

    def final(self):
        return self.instance.finalize()


class Cursor:
    """Runs one statement at a time and hands its rows out, as `sqlite3.Cursor`."""

    def __init__(self, connection: Connection) -> None:
        self.connection = connection
        self._rows: Iterable = iter(())
        self.description = None

    def execute(self, sql: str, parameters: Iterable | Mapping = ()) -> Cursor:
        connection = self.connection
        statement = _first_statement(connection._apsw, sql)
        values = _bound_values(statement, parameters)
        if _begins_transaction(connection, statement.text):
            connection._run(f"BEGIN {connection.isolation_level}")
        self.description = statement.description
        if connection.text_factory is not str and _is_explain(statement.text):
            self._rows = iter(_explained(connection, statement.text, values))
            return self
        try:
            rows = connection._apsw.cursor().execute(statement.text, values)
        except apsw.Error as exc:
            raise _translated(exc) from None
        # (no reference back to self: a cursor dropped unread frees its statement at once)
        self._rows = _converted(rows, connection.text_factory)
        return self

    def executemany(self, sql: str, seq_of_parameters: Iterable) -> Cursor:
        for parameters in seq_of_parameters:
            self.execute(sql, parameters)
        return self

    def __iter__(self):
        return self._rows

    def fetchone(self) -> tuple | None:
        return next(self._rows, None)

    def fetchall(self) -> list[tuple]:
        return list(self._rows)

    def close(self) -> None:
        self._rows = iter(())


class _Statement:
    """The first statement of some SQL text, as SQLite prepares it."""

    def __init__(self, text: str, names: tuple | None = None, description=None) -> None:
        self.text = text
        self.names = names  # each parameter's name without its prefix, None for a `?`;
        # None for text that holds no statement (blanks, comments, a lone `;`)
        self.description = description  # as sqlite3's: 7-tuples, None without columns


def _first_statement(connection: apsw.Connection, sql: str) -> _Statement:
    """The first statement of `sql`, refusing a second after it as sqlite3 does."""
    first = _prepare(connection, sql)
    rest = sql[len(first.text) :]
    while first.names is not None and rest.strip():
        following = _prepare(connection, rest)
        if following.names is not None:
            raise ProgrammingError("You can only execute one statement at a time.")
        if not following.text:
            break
        rest = rest[len(following.text) :]
    return first


def _prepare(connection: apsw.Connection, sql: str) -> _Statement:
    """Prepare the first statement of `sql` without running it: apsw calls an exec
    tracer with each prepared statement, and one that returns False stops it there."""
    found = []

    def tracer(cursor: apsw.Cursor, text: str, bindings) -> bool:
        if not cursor.has_vdbe:
            found.append(_Statement(text))
            return False
        columns = cursor.get_description()
        description = tuple((name,) + (None,) * 6 for name, _ in columns) or None
        found.append(_Statement(text, cursor.bindings_names, description))
        return False

    cursor = connection.cursor()
    cursor.exec_trace = tracer
    try:
        cursor.execute(sql, apsw._null_bindings)  # (apsw.ext.query_info binds as this)
    except apsw.ExecTraceAbort:
        pass
    except apsw.Error as exc:
        raise _translated(exc) from None
    return found[0] if found else _Statement(sql)


def _converted(rows, text_factory: Callable):
    """The rows, their text made by `text_factory` (from UTF-8 bytes) unless it is str."""
    try:
        for row in rows:
            if text_factory is str:
                yield row
            else:
                yield tuple(text_factory(v.encode()) if isinstance(v, str) else v for v in row)
    except apsw.Error as exc:
        raise _translated(exc) from None


def _is_explain(sql: str) -> bool:
    words = sql.split(None, 2)
    return bool(words) and words[0].upper() == "EXPLAIN" and words[1:2] != ["QUERY"]


# a BLOB literal, or a string literal to step over
_LITERAL = re.compile(r"(?P<blob>[xX]'(?P<hex>[0-9A-Fa-f]*)')|'(?:[^']|'')*'")


def _explained(connection: Connection, sql: str, values: tuple) -> list[tuple]:
    """The rows of an EXPLAIN, its text as `text_factory` makes it from bytes.

    EXPLAIN shows a Blob instruction's P4 as the blob's own bytes (up to the first zero
    byte) in a TEXT column, and apsw decodes TEXT as UTF-8 or fails. When a BLOB literal
    is not UTF-8, the statement is explained again with each such literal replaced by
    one of the same length made of letters (SQLite compiles it the same way: a literal's
    value does not change the program), and those Blobs' P4 is given its real bytes.
    """
    factory = connection.text_factory
    try:
        return list(_converted(connection._apsw.execute(sql, values), factory))
    except UnicodeDecodeError:
        pass
    originals: dict[str, bytes] = {}

    def stand_in(match: re.Match) -> str:
        blob = bytes.fromhex(match["hex"]) if match["blob"] else b""
        try:
            blob.decode()
            return match[0]
        except UnicodeDecodeError:
            letters = bytes(65 + (len(originals) + i) % 26 for i in range(len(blob)))
            originals[letters.decode()] = blob.split(b"\0", 1)[0]
            return f"x'{letters.hex()}'"

    rows = _converted(connection._apsw.execute(_LITERAL.sub(stand_in, sql), values), str)
    return [_with_blob_bytes(row, originals, factory) for row in rows]


def _with_blob_bytes(row: tuple, originals: dict[str, bytes], factory: Callable) -> tuple:
    """A row of the stand-in statement's EXPLAIN, a Blob's P4 back to its real bytes."""
    values = [factory(v.encode()) if isinstance(v, str) else v for v in row]
    if row[1] == "Blob" and row[5] in originals:
        values[5] = factory(originals[row[5]])
    return tuple(values)


def _bound_values(statement: _Statement, parameters: Iterable | Mapping) -> tuple:
    """The values for the statement's parameters, in order, checked as sqlite3 checks."""
    names = statement.names or ()
    if isinstance(parameters, Mapping):
        for number, name in enumerate(names, 1):
            if name is None:
                raise ProgrammingError(
                    f"Binding {number} has no name, but you supplied a dictionary "
                    "(which has only names)."
                )
        try:
            return tuple(parameters[name] for name in names)
        except KeyError as exc:
            raise ProgrammingError(
                f"You did not supply a value for binding parameter :{exc.args[0]}."
            ) from None
    values = tuple(parameters)
    if len(values) != len(names):
        raise ProgrammingError(
            "Incorrect number of bindings supplied. The current statement uses "
            f"{len(names)}, and there are {len(values)} supplied."
        )
    return values


def _begins_transaction(connection: Connection, sql: str) -> bool:
    """Does the sqlite3 module's legacy mode begin a transaction before `sql`?"""
    if connection.isolation_level is None or connection.in_transaction:
        return False
    words = sql.lstrip().split(None, 1)
    return bool(words) and words[0].upper() in ("INSERT", "UPDATE", "DELETE", "REPLACE")
