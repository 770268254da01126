"""Differential runner: run the expression corpus through any VDBE and compare with SQLite.

    python packages/vdbe-core/tests/run_differential.py -- vdbe
    python packages/vdbe-core/tests/run_differential.py -- python -m vdbe
    python packages/vdbe-core/tests/run_differential.py --corpus my.sql -- ./my-vm

The executable is called once per statement as `EXE sql --json "SQL"` (the `vdbe sql`
command line) and must print one JSON array per row: null, integers, floats (with
Infinity, -Infinity, NaN), strings, and {"blob": "HEX"} for a BLOB. Real SQLite, through
Python's sqlite3 module, runs the same statement; the rows must match value for value,
types included (1 and 1.0 differ). When SQLite fails the statement (`integer overflow`),
the executable must exit with status 1 and print SQLite's message as `Error: MESSAGE`.
It prints each failure and a summary; the exit status is 0 when every statement matched.

The corpus files are tests/corpus/expressions*.sql: statements ending with ';' at the end
of a line; lines starting with '--' are comments. The pytest suite imports this module to
run the same corpus in-process.
"""

from __future__ import annotations

import argparse
import json
import math
import sqlite3
import subprocess
import sys
from pathlib import Path

CORPUS_DIR = Path(__file__).parent / "corpus"


def corpus_files() -> list[Path]:
    return sorted(CORPUS_DIR.glob("expressions*.sql"))


def read_corpus(paths: list[Path]) -> list[tuple[str, int, str]]:
    """(file name, line number, statement) for every statement of the corpus files."""
    statements = []
    for path in paths:
        pending: list[str] = []
        start = 0
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            if not pending and (not line.strip() or line.startswith("--")):
                continue
            if not pending:
                start = number
            pending.append(line)
            if line.rstrip().endswith(";"):
                statements.append((path.name, start, "\n".join(pending).rstrip()[:-1]))
                pending = []
    return statements


def oracle_rows(sql: str, module=sqlite3) -> list[list]:
    """The rows real SQLite returns (or raises sqlite3.Error: the VM must then fail alike),
    through `module` (Python's sqlite3 unless another SQLite compiles for the VM)."""
    connection = module.connect(":memory:")
    try:
        return [list(row) for row in connection.execute(sql)]
    finally:
        connection.close()


def json_value(value: object) -> object:
    if isinstance(value, bytes):
        return {"blob": value.hex().upper()}
    return value


def same_value(a: object, b: object) -> bool:
    """Equal and of the same type (NaN equals NaN; 0.0 and -0.0 are told apart)."""
    if type(a) is not type(b):
        return False
    if isinstance(a, float):
        if math.isnan(a) or math.isnan(b):
            return math.isnan(a) and math.isnan(b)
        return a == b and math.copysign(1.0, a) == math.copysign(1.0, b)
    return a == b


def same_rows(expected: list[list], actual: list[list]) -> bool:
    if len(expected) != len(actual):
        return False
    for want, got in zip(expected, actual, strict=True):
        if len(want) != len(got) or not all(map(same_value, want, got)):
            return False
    return True


def run_external(command: list[str], sql: str) -> tuple[list[list] | None, str]:
    """Run `COMMAND sql --json SQL`; (rows, '') or (None, what went wrong)."""
    try:
        done = subprocess.run(
            [*command, "sql", "--json", sql], capture_output=True, text=True, timeout=60
        )
    except (OSError, subprocess.TimeoutExpired) as exc:
        return None, str(exc)
    if done.returncode != 0:
        return None, f"exit {done.returncode}: {done.stderr.strip()}"
    rows = []
    for line in done.stdout.split("\n"):  # not splitlines(): a value may hold U+2028
        if not line:
            continue
        row = json.loads(line)
        rows.append([bytes.fromhex(v["blob"]) if isinstance(v, dict) else v for v in row])
    return rows, ""


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description="Compare a VDBE's rows with real SQLite's on the expression corpus.",
        usage="%(prog)s [--corpus FILE ...] -- COMMAND [ARG ...]",
    )
    parser.add_argument("--corpus", nargs="+", type=Path, help="corpus files (default: all)")
    parser.add_argument("--verbose", action="store_true", help="print every statement")
    parser.add_argument("command", nargs=argparse.REMAINDER)
    args = parser.parse_args(argv)
    command = args.command[1:] if args.command[:1] == ["--"] else args.command
    if not command:
        parser.error("give the command to test after --, e.g. -- vdbe")
    statements = read_corpus(args.corpus or corpus_files())
    failures = 0
    for count, (source, line, sql) in enumerate(statements, 1):
        show_progress(f"{count}/{len(statements)} statements, {failures} failed")
        try:
            expected = oracle_rows(sql)
        except sqlite3.Error as exc:  # the statement fails: the VM must fail the same way
            expected, error = None, f"Error: {exc}"
        actual, problem = run_external(command, sql)
        if expected is None:
            ok = actual is None and problem.startswith("exit 1: ") and problem[8:] == error
            expected = error
        else:
            ok = actual is not None and same_rows(expected, actual)
        if not ok:
            failures += 1
            show_progress("")
            print(f"FAIL {source}:{line}: {sql}")
            if isinstance(expected, str):
                print(f"  expected {expected}")
            else:
                print(f"  expected {json.dumps([[json_value(v) for v in r] for r in expected])}")
            shown = problem or json.dumps([[json_value(v) for v in r] for r in actual])
            print(f"  got      {shown}")
        elif args.verbose:
            show_progress("")
            print(f"ok   {source}:{line}")
    show_progress("")
    print(f"{len(statements) - failures} of {len(statements)} statements match SQLite")
    return 0 if failures == 0 else 1


def show_progress(text: str, stream=None) -> None:
    """Rewrite the progress line in place, on a terminal only (never in a log)."""
    stream = stream or sys.stderr
    if stream.isatty():
        stream.write(f"\r{text}\033[K")
        stream.flush()


if __name__ == "__main__":
    sys.exit(main())
