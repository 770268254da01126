"""The differential corpus: every statement of tests/corpus/tables*.sql, run by real SQLite
and by this VM on copies of one file, at page sizes 4096 and 512 (deep trees).

A corpus file (tests/corpus/tables*.sql) holds cases. Each case is a setup script and a
list of statements:

    -- name: scans
    -- setup:
    CREATE TABLE t(a INTEGER PRIMARY KEY, b);
    INSERT INTO t VALUES (1, 'x');
    -- statements:
    SELECT * FROM t;
    DELETE FROM t WHERE a = 1;

A `-- exercise: ID` line after `-- name:` marks a case whose statements depend on the
code of exercise ID (its tests carry that exercise's marker). A `-- pragma: NAME = VALUE`
line sets a setting of the connection (`foreign_keys = ON`) on both sides, once on each
side's connection.

For a case, real sqlite3 runs the setup into a file at a chosen page size, and the file
is copied. Then, statement by statement, real sqlite3 runs the statement on the first
copy ("the oracle"), and this VM runs it on the second. Each side keeps one connection
for the whole case (the VM's is a `vdbe.connection.Connection`): real SQLite compiles
each statement against that connection's copy of the schema, and the VM executes the
program with its own pager and B-trees. The harness compares:

1. the rows, value by value with their types (or the error message);
2. the content of every table of the two files, and their schemas;
3. real SQLite's `PRAGMA integrity_check` of the VM's file.

`PRAGMA incremental_vacuum(N)` returns a row without columns for each page it gives
back. Python's sqlite3 module stops such a statement at its first row, so the oracle
runs it as N one-page steps, `PRAGMA incremental_vacuum(1)`, which free the same pages
in the same order (the sqlite3 shell runs it whole); rows without columns, which no
one sees, are left out of the comparison.
"""

from __future__ import annotations

import re
import shutil
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from vdbe.sqlite_library import sqlite3

CORPUS = Path(__file__).parent / "corpus"


@dataclass
class Case:
    """One setup script and the statements run after it."""

    name: str
    source: str
    exercise: str | None = None  # the exercise whose code this case depends on
    pragmas: list[str] = field(default_factory=list)  # `PRAGMA ...` for each connection
    setup: str = ""
    statements: list[str] = field(default_factory=list)


def parse_corpus(path: Path) -> list[Case]:
    """Read the cases of one corpus file."""
    cases: list[Case] = []
    mode = None
    pending: list[str] = []
    for line in path.read_text().splitlines(keepends=True):
        if line.startswith("-- name:"):
            cases.append(Case(line.split(":", 1)[1].strip(), path.name))
            mode = None
        elif line.startswith("-- exercise:") and cases:
            cases[-1].exercise = line.split(":", 1)[1].strip()
        elif line.startswith("-- pragma:") and cases:
            cases[-1].pragmas.append("PRAGMA " + line.split(":", 1)[1].strip())
        elif line.startswith("-- setup:"):
            mode = "setup"
        elif line.startswith("-- statements:"):
            mode, pending = "statements", []
        elif not cases or mode is None:
            continue
        elif mode == "setup":
            cases[-1].setup += line
        elif line.strip() and not line.startswith("--"):
            pending.append(line)
            if line.rstrip().endswith(";"):
                cases[-1].statements.append("".join(pending).strip())
                pending = []
    return cases


def all_cases() -> list[Case]:
    """Every case of every corpus file, in file order."""
    cases: list[Case] = []
    for path in sorted(CORPUS.glob("tables*.sql")):
        cases.extend(parse_corpus(path))
    return cases


def typed(rows) -> list[tuple]:
    """Rows as tuples of (type name, value), so 1 and 1.0 and '1' all differ."""
    return [tuple((type(v).__name__, v) for v in row) for row in rows]


def _sort_key(row: tuple) -> tuple:
    order = {"NoneType": 0, "int": 1, "float": 1, "str": 2, "bytes": 3}
    return tuple((order[type(v).__name__], v if v is not None else 0) for v in row)


def snapshot(path: Path) -> dict:
    """What a file holds: its schema (without root pages) and every table's rows, sorted."""
    con = sqlite3.connect(path)
    try:
        schema = con.execute(
            "SELECT type, name, tbl_name, sql FROM sqlite_schema ORDER BY type, name"
        ).fetchall()
        tables = {}
        for (name,) in con.execute(
            "SELECT name FROM sqlite_schema WHERE type = 'table' ORDER BY name"
        ).fetchall():
            rows = con.execute(f'SELECT * FROM "{name}"').fetchall()
            tables[name] = sorted(typed(rows), key=lambda r: _sort_key(tuple(v for _, v in r)))
        return {"schema": schema, "tables": tables}
    finally:
        con.close()


def integrity(path: Path) -> str:
    """Real SQLite's verdict on a file: 'ok' or its list of problems."""
    con = sqlite3.connect(path)
    try:
        return "\n".join(r[0] for r in con.execute("PRAGMA integrity_check").fetchall())
    finally:
        con.close()


def make_files(case: Case, workdir: Path, page_size: int) -> tuple[Path, Path]:
    """Run the setup with real sqlite3 into one file and copy it: (oracle, vm) paths."""
    oracle = workdir / f"{case.name}-{page_size}-oracle.db"
    mine = workdir / f"{case.name}-{page_size}-vm.db"
    con = sqlite3.connect(oracle)
    con.execute(f"PRAGMA page_size = {page_size}")
    con.executescript(case.setup)
    con.close()
    shutil.copyfile(oracle, mine)
    return oracle, mine


INCREMENTAL_VACUUM = re.compile(
    r"\s*pragma\s+(\w+\s*\.\s*)?incremental_vacuum\s*(?:[=(]\s*(-?\d+)\s*\)?)?\s*;?\s*$", re.I
)


def run_oracle(con: sqlite3.Connection, sql: str) -> tuple[list | None, str | None]:
    """Real SQLite's answer, on its connection to the oracle: (rows, None) or (None, error)."""
    try:
        match = INCREMENTAL_VACUUM.match(sql)
        if match:
            return _incremental_vacuum(con, match.group(1) or "", int(match.group(2) or 0)), None
        return typed(con.execute(sql).fetchall()), None
    except sqlite3.Error as exc:
        return None, str(exc)


def _incremental_vacuum(con: sqlite3.Connection, schema: str, pages: int) -> list:
    """PRAGMA incremental_vacuum(pages) as one-page steps (all free pages if pages <= 0)."""
    left = pages if pages > 0 else 0x7FFFFFFF
    while left:
        free = con.execute(f"PRAGMA {schema}freelist_count").fetchone()[0]
        con.execute(f"PRAGMA {schema}incremental_vacuum(1)").fetchall()
        if con.execute(f"PRAGMA {schema}freelist_count").fetchone()[0] == free:
            break  # nothing left to give back (or not an auto-vacuum database)
        left -= 1
    return []


def run_vm(connection, sql: str) -> tuple[list | None, str | None]:
    """This VM's answer on the same statement, on its connection to the VM's copy:
    (rows, None) or (None, error message)."""
    from vdbe.errors import SqlError

    try:
        return typed([row for row in connection.execute(sql) if len(row)]), None
    except SqlError as exc:
        return None, exc.message


def check_statement(oracle: Path, mine: Path, connections: tuple, sql: str) -> list[str]:
    """Run one statement both ways, on the two connections (SQLite's, the VM's); the list
    of differences (empty when they agree)."""
    problems = []
    expected = run_oracle(connections[0], sql)
    got = run_vm(connections[1], sql)
    if got != expected:
        problems.append(f"{sql}\n  sqlite3: {_short(expected)}\n  vm:      {_short(got)}")
    before, after = snapshot(oracle), snapshot(mine)
    if before != after:
        problems.append(f"{sql}\n  the files differ after it: {_diff(before, after)}")
    verdict = integrity(mine)
    if verdict != "ok":
        problems.append(f"{sql}\n  integrity_check of the VM's file: {verdict[:300]}")
    return problems


def _short(result) -> str:
    text = repr(result)
    return text if len(text) < 400 else text[:400] + "..."


def _diff(a: dict, b: dict) -> str:
    if a["schema"] != b["schema"]:
        return f"schema {a['schema']} != {b['schema']}"
    for name in sorted(set(a["tables"]) | set(b["tables"])):
        x, y = a["tables"].get(name), b["tables"].get(name)
        if x != y:
            missing = [r for r in (x or []) if r not in (y or [])][:3]
            extra = [r for r in (y or []) if r not in (x or [])][:3]
            return f"table {name}: missing {missing} extra {extra}"
    return "?"


CASES = all_cases()


def test_corpus_is_large_enough():
    statements = sum(len(case.statements) for case in CASES)
    assert statements >= 150
    names = [case.name for case in CASES]
    assert len(names) == len(set(names)), "case names must be unique"


def _params(cases: list[Case]) -> list:
    """The cases as parameters; a case that needs an exercise's code carries its marker."""
    return [
        pytest.param(case, id=case.name, marks=pytest.mark.exercise(case.exercise))
        if case.exercise
        else pytest.param(case, id=case.name)
        for case in cases
    ]


@pytest.mark.parametrize("page_size", [4096, 512])
@pytest.mark.parametrize("case", _params(CASES))
def test_case(case, page_size, tmp_path):
    oracle, mine = make_files(case, tmp_path, page_size)
    problems = []
    connections = open_connections(oracle, mine, case.pragmas)
    try:
        for sql in case.statements:
            found = check_statement(oracle, mine, connections, sql)
            if found:
                problems.extend(found)
                close_connections(connections)  # the next statement starts from one file
                shutil.copyfile(oracle, mine)
                connections = open_connections(oracle, mine, case.pragmas)
    finally:
        close_connections(connections)
    assert not problems, "\n".join(problems)


def open_connections(oracle: Path, mine: Path, pragmas) -> tuple:
    """A connection of real SQLite to the oracle and one of the VM to its copy, each kept
    for the case's statements (so that `last_insert_rowid()` and settings carry over as
    in any session), with the case's PRAGMAs set once on each."""
    from vdbe.connection import Connection

    theirs = sqlite3.connect(oracle, isolation_level=None)
    mine_ = Connection(str(mine))
    for pragma in pragmas:
        theirs.execute(pragma)
        list(mine_.execute(pragma))
    return theirs, mine_


def close_connections(connections: tuple) -> None:
    for connection in connections:
        connection.close()
