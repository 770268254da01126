"""The front door: real SQLite compiles SQL, and its EXPLAIN rows become a Program.

    program = compile_sql("SELECT 1 + 1")
    VM(program).run()          # [[2]]

Python's `sqlite3` module runs `EXPLAIN <statement>` on a connection (in memory, or on
a copy of what compiling reads of the user's database file) and returns one row per
instruction: addr, opcode, p1, p2, p3, p4, p5, comment. P4 arrives as text and is
parsed by `vdbe.p4`. EXPLAIN's text loses three things, which are recovered here from
the statement itself:

- a BLOB literal's bytes (EXPLAIN prints them as a C string, cut at the first zero byte);
- a REAL literal's last digits (EXPLAIN prints 16 significant digits, a double may need 17);
- how many arguments a call passes to a function that takes any number (`printf(-1)`).

The last is read from the program and the text together: calls in the text are
matched to Function instructions in the order their closing parentheses appear
(arguments are computed before the call, so inner calls come first), and a count is
taken only if the registers fit it: see `_guess_argc`. SQLite does not always keep
the text's order (a WHERE clause is compiled before the result columns), and some
calls are in no text the user wrote (ALTER TABLE rewrites the schema with `printf`).
"""

from __future__ import annotations

import math
import os
import re
import struct
from collections.abc import Callable, Mapping, Sequence

from vdbe.errors import SqlError
from vdbe.int64 import LARGEST_INT64
from vdbe.opcodes.types import StrictTable
from vdbe.p4 import FuncRef, parse_p4
from vdbe.program import Instruction, Program, link_subprograms, split_at_restarts
from vdbe.realfmt import format_float
from vdbe.sqlite_library import sqlite3
from vdbe.sqltokens import quote_identifier
from vdbe.values import parse_real


# --8<-- [start:compile_sql]
def compile_sql(
    sql: str, db_path: str | None = None, bindings: Sequence | Mapping | None = None
) -> Program:
    """Compile one SQL statement with real SQLite and return the VDBE program."""
    return compile_with(
        sql,
        lambda text: explain_rows(text, db_path, bindings),
        lambda query: _query_schema(db_path, query),
    )


def compile_with(
    sql: str,
    explain: Callable[[str], list[tuple]],
    query: Callable[[str], list[tuple]] | None = None,
) -> Program:
    """The program of `sql`, from `explain(statement)`: the rows of its EXPLAIN.

    `query(sql)` answers questions about the schema the statement was compiled
    against, which EXPLAIN's text leaves open: the columns of a STRICT table that
    TypeCheck names, and, when the statement fires triggers, which table each
    trigger is on (see `vdbe.program.link_subprograms`).
    """
    rows = explain(sql)
    segments = [[_instruction(row) for row in rows] for rows in split_at_restarts(rows)]
    instructions = [ins for segment in segments for ins in segment]
    if any(_text_lost_something(ins) for ins in instructions):
        literals = scan_literals(sql)
        for segment in segments:
            _recover_literals(segment, literals)
        if _zero_sign_unknown(instructions, literals):
            _settle_zero_signs(instructions, sql, literals, explain)
    for ins in instructions:
        if ins.opcode == "TypeCheck":
            ins.p4 = _strict_table(str(ins.p4), query)
    if len(segments) == 1:
        return Program(instructions, "main")
    calls = sum(ins.opcode == "Program" for ins in instructions)
    tables = {}
    if calls > len(segments) - 1 and query is not None:
        trigger = "SELECT name, tbl_name, sql FROM sqlite_schema WHERE type = 'trigger'"
        tables = {
            _text(name): (_text(table), _trigger_event(_text(sql)))
            for name, table, sql in query(trigger)
        }
    return link_subprograms(segments, "main", tables)


def _trigger_event(sql: str | None) -> str | None:
    """INSERT, UPDATE or DELETE: what fires the trigger that `sql` creates."""
    found = re.search(r"\b(INSERT|UPDATE|DELETE)\b(?:\s+OF\b.*?)?\s+ON\b", sql or "", re.I | re.S)
    return found.group(1).upper() if found else None


def _strict_table(name: str, query) -> StrictTable:
    """The columns of STRICT table `name`, which TypeCheck checks values against."""
    pragma = f"PRAGMA table_xinfo({quote_identifier(name)})"
    rows = query(pragma) if query is not None else []
    if not rows:
        raise SqlError(f"cannot read the columns of STRICT table {name}")
    return StrictTable(name, [(_text(r[1]), _text(r[2]).upper(), r[6]) for r in rows])


# --8<-- [end:compile_sql]


def explain_rows(
    sql: str, db_path: str | None = None, bindings: Sequence | Mapping | None = None
) -> list[tuple]:
    """The rows of `EXPLAIN sql`, with text columns as bytes (they may hold any bytes).

    With a database file, SQLite compiles on a temporary copy of the part of the file
    that compiling reads, so that it never touches the file itself (it would, for
    instance, roll back a hot journal: that is the VM's job). The copy is writable, as
    the file is: on a read-only connection SQLite leaves CHECK constraints out of the
    programs it compiles.
    """
    statement = "EXPLAIN " + sql.strip().rstrip(";")
    if db_path is None or not os.path.exists(db_path):
        return _explain(":memory:", statement, bindings)
    import tempfile  # only needed with a file

    try:
        directory = tempfile.TemporaryDirectory(prefix="vdbe-")
    except OSError as exc:
        raise SqlError(f"cannot make a temporary directory to compile in: {exc}") from None
    with directory as path:
        copy = os.path.join(path, "compile.db")
        try:
            _copy_what_compiling_reads(db_path, copy)
        except OSError as exc:
            raise SqlError(f"unable to open database file: {db_path}: {exc.strerror}") from None
        rows = _explain(copy, statement, bindings)
    # The file's full name is in a program (`PRAGMA database_list` prints it): SQLite
    # saw the copy's, so put the file's back.
    copy_name, file_name = (os.fsencode(os.path.realpath(p)) for p in (copy, db_path))
    return [row[:5] + (file_name,) + row[6:] if row[5] == copy_name else row for row in rows]


def _explain(path: str, statement: str, bindings) -> list[tuple]:
    try:
        connection = sqlite3.connect(path)
    except sqlite3.Error as exc:
        raise SqlError(str(exc)) from None
    connection.text_factory = bytes
    try:
        rows = execute_explain(connection, statement, bindings)
        return name_virtual_tables(connection, rows, statement)
    except sqlite3.Error as exc:
        raise SqlError(str(exc)) from None
    finally:
        connection.close()


def _query_schema(db_path: str | None, query: str) -> list[tuple]:
    """The rows of a query about the schema of the file at `db_path` (none without one)."""
    if db_path is None:
        return []
    try:
        peek = sqlite3.connect(_immutable_uri(db_path), uri=True)
    except (sqlite3.Error, UnicodeError):
        return []
    try:
        return peek.execute(query).fetchall()
    except sqlite3.Error:
        return []
    finally:
        peek.close()


def name_virtual_tables(connection, rows: list[tuple], statement: str) -> list[tuple]:
    """VOpen's P4 prints the address of SQLite's table object: put the table's name there.

    A table-valued function has one such object per connection, so compiling a scan of
    each candidate name on the same connection tells which address is whose. The
    candidates are the JSON tables, then every name the statement mentions.
    """
    addresses = {row[5] for row in rows if row[1] == b"VOpen"}
    if not addresses:
        return rows
    names: dict[bytes, str] = {}
    candidates = ["json_each", "json_tree", *re.findall(r"[A-Za-z_][A-Za-z0-9_$]*", statement)]
    for name in dict.fromkeys(candidates):
        if addresses <= names.keys():
            break
        try:
            probe = connection.execute(f'EXPLAIN SELECT * FROM "{name}"').fetchall()
        except sqlite3.Error:
            continue
        for row in probe:
            if row[1] == b"VOpen":
                names.setdefault(row[5], name)
    return [
        row[:5] + (b"vtab:" + names.get(row[5], "?").encode(),) + row[6:]
        if row[1] == b"VOpen"
        else row
        for row in rows
    ]


def _copy_what_compiling_reads(db_path: str, copy: str) -> None:
    """Write the pages of the file that compiling reads into `copy`, each at its place.

    To compile a statement SQLite reads page 1 (the header), the pages of the schema
    table and those of `sqlite_stat1` (the planner's statistics, when ANALYZE made
    them). The copy is as long as the file but holds only those pages: the rest is a
    hole, which the file system does not store, so a file of a million rows costs no
    more than an empty one. A file that cannot be cut down so is copied whole.
    """
    with open(db_path, "rb") as original, open(copy, "wb") as out:
        pages = _pages_compiling_reads(db_path)
        if pages is None:
            import shutil

            shutil.copyfileobj(original, out)
            return
        page_size = _page_size(original.read(100))
        for number in sorted(pages):
            original.seek((number - 1) * page_size)
            out.seek((number - 1) * page_size)
            out.write(original.read(page_size))
        out.truncate(os.fstat(original.fileno()).st_size)


def _page_size(header: bytes) -> int:
    size = int.from_bytes(header[16:18], "big")
    return 65536 if size == 1 else size


def _pages_compiling_reads(db_path: str) -> set[int] | None:
    """Page 1 and the pages of sqlite_schema and sqlite_stat1; None to copy the whole file.

    SQLite lists them itself (its `dbstat` table) on a connection that reads the file
    as it is, with no locks and no journal (`immutable=1`). None when that fails (the
    file is not a database, for one) or when the schema has virtual tables, whose
    modules may read their own tables while compiling.
    """
    try:
        peek = sqlite3.connect(_immutable_uri(db_path), uri=True)
    except (sqlite3.Error, UnicodeError):
        return None
    try:
        if peek.execute("SELECT 1 FROM sqlite_schema WHERE sql LIKE 'CREATE VIRTUAL%'").fetchone():
            return None
        pages = {}
        for name in ("sqlite_schema", "sqlite_master", "sqlite_stat1"):
            rows = peek.execute("SELECT pageno FROM dbstat WHERE name = ?", (name,))
            pages[name] = {number for (number,) in rows}
    except sqlite3.Error:
        return None
    finally:
        peek.close()
    schema = pages["sqlite_schema"] | pages["sqlite_master"]  # its name varies by version
    return schema | pages["sqlite_stat1"] if 1 in schema else None


def _immutable_uri(path: str) -> str:
    """A `file:` URI that opens `path` read-only, with no locking and no journal."""
    escaped = os.path.realpath(path).replace("%", "%25").replace("?", "%3F").replace("#", "%23")
    return f"file://{escaped}?immutable=1"


class _AnyName(dict):
    """Bindings for EXPLAIN: every named parameter is NULL (only the program matters)."""

    def __missing__(self, key):
        return None


def execute_explain(connection, statement: str, bindings=None) -> list[tuple]:
    """Run `statement` (an EXPLAIN) on `connection`; unbound parameters are NULL."""
    if bindings is not None:
        return connection.execute(statement, bindings).fetchall()
    try:
        return connection.execute(statement).fetchall()
    except sqlite3.ProgrammingError as exc:
        match = re.search(r"uses (\d+)", str(exc))
        if match:
            return connection.execute(statement, [None] * int(match.group(1))).fetchall()
        if "binding" in str(exc).lower():
            return connection.execute(statement, _AnyName()).fetchall()
        raise


def _text(value) -> str | None:
    if value is None:
        return None
    if isinstance(value, bytes):
        return value.decode("utf-8", errors="surrogateescape")
    return str(value)


def _instruction(row: tuple) -> Instruction:
    addr, opcode, p1, p2, p3, p4, p5, comment = row
    opcode = _text(opcode)
    if opcode == "Blob":
        p4_value: object = bytes(p4) if p4 is not None else b""
    elif opcode in ("Int64", "Real") and p4 is None:  # 3.54 on: the number in P1 and P3
        p4_value = _number_from_halves(opcode, p1, p3)
    elif opcode == "Real":
        p4_value = _ShownReal(_text(p4))
    else:
        p4_value = parse_p4(opcode, _text(p4))
    return Instruction(opcode, p1, p2, p3, p4_value, p5, _text(comment) or "")


# ------------------------------------------------------------ what EXPLAIN's text lost


def _text_lost_something(ins: Instruction) -> bool:
    """Does this instruction need the statement's text to be complete (see above)?"""
    if ins.opcode == "Blob" or isinstance(ins.p4, _ShownReal):
        return True
    return isinstance(ins.p4, FuncRef) and ins.p4.nargs < 0


# The statement's tokens. Compiled on first use (the `re` module caches it): most
# programs have nothing to recover, and compiling this pattern takes a few milliseconds.
_TOKEN = r"""
    (?P<space>\s+|--[^\n]*|/\*.*?(\*/|$))
  | (?P<blob>[xX]'(?P<hex>[0-9A-Fa-f]*)')
  | (?P<string>'(?:[^']|'')*')
  | (?P<quoted>"(?:[^"]|"")*"|`(?:[^`]|``)*`|\[[^\]]*\])
  | (?P<hexint>0[xX][0-9A-Fa-f]+)
  | (?P<number>(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][-+]?\d+)?)
  | (?P<name>[A-Za-z_\x80-\uffff][A-Za-z0-9_$\x80-\uffff]*)
  | (?P<other>.)
    """


class Literals:
    """The literals of a statement in order of appearance, and its function calls."""

    def __init__(self) -> None:
        self.blobs: list[bytes] = []
        self.numbers: list[tuple[str, bool]] = []  # (literal, written after a '-')
        self.number_spans: list[tuple[int, int]] = []  # where each number is in the text
        self.calls: dict[str, list[int]] = {}


def scan_literals(sql: str) -> Literals:
    """Read the statement's tokens for BLOB literals, numbers and call argument counts."""
    found = Literals()
    tokens_found = re.finditer(_TOKEN, sql, re.VERBOSE | re.DOTALL)
    matches = [m for m in tokens_found if m.lastgroup != "space"]
    ends: list[tuple[int, str, int]] = []  # (index of the call's ')', name, argument count)
    tokens = [(m.lastgroup, m.group()) for m in matches]
    for i, (kind, text) in enumerate(tokens):
        if kind == "blob":
            found.blobs.append(bytes.fromhex(text[2:-1]))
        elif kind == "number":
            found.numbers.append((text, i > 0 and tokens[i - 1][1] == "-"))
            found.number_spans.append(matches[i].span())
        elif kind == "name" and i + 1 < len(tokens) and tokens[i + 1][1] == "(":
            count, close_at = _count_arguments(tokens, i + 1)
            ends.append((close_at, text.lower(), count))
    # A call's arguments are computed before the call, so the program calls functions in
    # the order their closing parentheses appear: inner calls first.
    for _, name, count in sorted(ends):
        found.calls.setdefault(name, []).append(count)
    return found


def _count_arguments(tokens: list[tuple[str, str]], open_at: int) -> tuple[int, int]:
    """(arguments passed, index of the closing ')') for the call whose '(' is at `open_at`.

    `f(*)` passes none.
    """
    depth, commas, inside = 0, 0, []
    close_at = len(tokens)
    for index in range(open_at, len(tokens)):
        text = tokens[index][1]
        if text == "(":
            depth += 1
            if depth == 1:
                continue
        elif text == ")":
            depth -= 1
            if depth == 0:
                close_at = index
                break
        elif text == "," and depth == 1:
            commas += 1
        inside.append(text)
    return (0 if inside in ([], ["*"]) else commas + 1), close_at


def _recover_literals(instructions: list[Instruction], literals: Literals) -> None:
    remaining = {name: list(counts) for name, counts in literals.calls.items()}
    reals_used: set[int] = set()
    written = _registers_written(instructions)
    for addr, ins in enumerate(instructions):
        if ins.opcode == "Blob":
            ins.p4 = _recover_blob(ins, literals.blobs)
        elif isinstance(ins.p4, _ShownReal):
            ins.p4 = _recover_real(ins.p4, literals.numbers, reals_used)
        elif isinstance(ins.p4, FuncRef) and ins.p4.nargs < 0:
            counts = remaining.get(ins.p4.name, [])
            argc = _guess_argc(ins, addr, counts, written, _init_section(instructions))
            if argc in counts:
                counts.remove(argc)
            ins.p4 = FuncRef(ins.p4.name, ins.p4.nargs, argc)


def _recover_blob(ins: Instruction, blobs: list[bytes]) -> bytes:
    shown = ins.p4 if isinstance(ins.p4, bytes) else b""
    for blob in blobs:
        if len(blob) != ins.p1 or not blob.startswith(shown):
            continue
        if len(shown) == len(blob) or blob[len(shown)] == 0:  # cut at its first zero byte
            return blob
    # Not a literal of the statement (CREATE TABLE writes a record header this way):
    # what EXPLAIN cut off at the first zero byte was zeros.
    return shown + bytes(max(0, ins.p1 - len(shown)))


def _number_from_halves(opcode: str, low: int, high: int) -> int | float:
    """The 64-bit integer (Int64) or double (Real) whose bits an instruction carries in P1
    (the low 32) and P3 (the high 32), as SQLite 3.54 and later compile them: exact,
    where a Real's P4 text kept only 16 digits."""
    bits = ((high & 0xFFFFFFFF) << 32 | (low & 0xFFFFFFFF)).to_bytes(8, "little")
    return struct.unpack("<q" if opcode == "Int64" else "<d", bits)[0]


class _ShownReal(str):
    """The text EXPLAIN printed for a Real's P4, until the literal is recovered."""


def _recover_real(shown: str, numbers: list[tuple[str, bool]], used: set[int]) -> float:
    """The double that printed as `shown` (16 digits), found among the literals.

    Only literals that SQLite codes as a Real count: those with a point or an exponent,
    and integers too big for 64 bits. Each is used once, in order, when the same digits
    appear twice; and since SQLite prints a negative zero as `0`, the literal's sign in
    the text decides that one.
    """
    matches = []
    for index, (text, negated) in enumerate(numbers):
        if not _codes_as_real(text):
            continue
        value = -parse_real(text)[1] if negated else parse_real(text)[1]
        for candidate in (value, -value):
            # EXPLAIN printed it with SQLite's own printf, whose last digit can differ
            # from Python's correctly rounded one: compare in SQLite's rendering
            printed = format_float(candidate, "g", 16)
            if printed == shown or (candidate == 0 and printed.lstrip("-") == shown):
                matches.append((index, candidate))
                break
    for index, candidate in matches:
        if index not in used:
            used.add(index)
            return candidate
    return matches[0][1] if matches else float(shown)


def _zero_sign_unknown(instructions: list[Instruction], literals: Literals) -> bool:
    """Are there REAL zeros to load while the text has both 0.0 and -0.0 literals?"""
    signs = {neg for text, neg in literals.numbers if _codes_as_real(text) and float(text) == 0}
    has_zero = any(ins.opcode == "Real" and ins.p4 == 0 for ins in instructions)
    return has_zero and len(signs) == 2


def _settle_zero_signs(instructions, sql: str, literals: Literals, explain) -> None:
    """Tell 0.0 from -0.0 (EXPLAIN prints both as `0`) by compiling a probe statement.

    Each zero literal is replaced by a tiny number of its own (`1e-300`, `2e-300`, ...);
    SQLite compiles the probe to the same program, and the sign of each Real's P4 in it
    is the sign that instruction's zero has.
    """
    probe = sql
    for k, (start, end) in reversed(list(enumerate(literals.number_spans))):
        text = literals.numbers[k][0]
        if _codes_as_real(text) and float(text) == 0:
            probe = f"{probe[:start]}{k + 1}e-300{probe[end:]}"
    rows = explain(probe)
    if [row[1] for row in rows] != [ins.opcode.encode() for ins in instructions]:
        return  # the probe compiled differently: keep the first guess
    for ins, row in zip(instructions, rows, strict=True):
        if ins.opcode == "Real" and ins.p4 == 0 and row[5] is not None:
            ins.p4 = math.copysign(0.0, float(_text(row[5])))


def _codes_as_real(text: str) -> bool:
    if any(c in text for c in ".eE"):
        return True
    return int(text) > LARGEST_INT64


def _guess_argc(ins, addr: int, counts: list[int], written: dict, init_at: int) -> int:
    """The argument count of a call to a function that takes any number of them.

    `counts` are the counts of this function's calls in the statement's text not
    matched yet, inner calls first. The program itself says much: arguments sit in
    registers P2, P2+1, ... and are computed before the call, and bit k of P1 is set
    exactly when argument k is a constant, which SQLite computes once in the set-up
    code at the end of the program (or, where it does not factor constants, in the
    body). A non-constant argument is written in the body, before the call. The first
    text count that fits that layout wins; a call that is not in the text (SQL that
    SQLite generates itself, as ALTER TABLE does) takes the longest run of registers
    that fits it.
    """
    mask = ins.p1 if ins.opcode in ("Function", "PureFunc") else 0
    at_least = mask.bit_length()

    def fits(k: int) -> bool:
        """Can register P2+k be argument k?"""
        addresses = written.get(ins.p2 + k, ())
        in_body = any(a < addr for a in addresses)
        if k < 32 and mask >> k & 1:
            return in_body or any(a >= init_at for a in addresses)
        return in_body and not any(a >= init_at for a in addresses)

    fitting = [n for n in counts if n >= at_least and all(fits(k) for k in range(n))]
    if fitting:
        return fitting[0]
    n = at_least
    while n < _MAX_FUNCTION_ARGS and fits(n):
        n += 1
    return n


_MAX_FUNCTION_ARGS = 127  # SQLITE_MAX_FUNCTION_ARG


# Which operand an opcode writes its result to: the register P2 or P3 names.
_WRITES_P2 = frozenset(
    {"Integer", "Int64", "Real", "String8", "String", "Blob", "Variable", "Null", "SCopy"}
    | {"Copy", "IntCopy", "Move", "Not", "BitNot", "IsTrue", "ZeroOrNull", "BeginSubrtn"}
)


def _registers_written(instructions: list[Instruction]) -> dict[int, list[int]]:
    """register -> addresses of the instructions that may write it (P3 unless P2 is listed)."""
    written: dict[int, list[int]] = {}
    for addr, ins in enumerate(instructions):
        first = ins.p2 if ins.opcode in _WRITES_P2 else ins.p3
        last = first
        if ins.opcode == "Null" and ins.p3 > ins.p2:
            last = ins.p3
        elif ins.opcode == "Copy":
            last = first + ins.p3
        for register in range(first, last + 1):
            written.setdefault(register, []).append(addr)
    return written


def _init_section(instructions: list[Instruction]) -> int:
    """Where the set-up code that Init jumps to starts (it runs before the body)."""
    if instructions and instructions[0].opcode == "Init" and instructions[0].p2:
        return instructions[0].p2
    return len(instructions)
