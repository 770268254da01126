#!/usr/bin/env python3
"""Run the DVM test cases against any program that behaves like `dvm -c EXPRESSION`.

    python run_cases.py -- dvm
    python run_cases.py --cases cases/core.txt -- ./my-dvm
    python run_cases.py -- java -jar mydvm.jar

Everything after `--` is the command; for each case the runner appends `-c EXPRESSION`,
runs it, and compares what it printed and its exit status with the case.

A cases file has one case a line, `EXPRESSION => EXPECTED`; blank lines and lines
starting with `#` are ignored. EXPECTED is either

    VALUE            standard output must be exactly VALUE (and a newline); exit status 0
    error N          the exit status must be N (65 syntax or compile error, 70 runtime)
    error N: TEXT    ... and standard error must contain TEXT

The runner exits 0 when every case passes, 1 when one fails, 2 on a bad command line.
It uses only the standard library, so it runs wherever Python 3.11 does.
"""

from __future__ import annotations

import argparse
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

CASES_DIR = Path(__file__).resolve().parent / "cases"


@dataclass(frozen=True)
class Case:
    """One expression and what a correct implementation does with it."""

    expression: str
    stdout: str | None  # the expected value, or None when an error is expected
    exit_status: int
    stderr_contains: str
    where: str  # file:line, for reports

    def __str__(self) -> str:
        return self.expression


@dataclass(frozen=True)
class Outcome:
    case: Case
    problems: list[str]

    @property
    def passed(self) -> bool:
        return not self.problems


def parse_case(line: str, where: str) -> Case:
    """One `EXPRESSION => EXPECTED` line as a Case."""
    if "=>" not in line:
        raise ValueError(f"{where}: expected 'EXPRESSION => EXPECTED', got {line!r}")
    expression, expected = (part.strip() for part in line.rsplit("=>", 1))
    if not expected.startswith("error"):
        return Case(expression, expected, 0, "", where)
    status, _, text = expected.removeprefix("error").partition(":")
    try:
        exit_status = int(status)
    except ValueError:
        raise ValueError(f"{where}: expected 'error N' or 'error N: TEXT'") from None
    return Case(expression, None, exit_status, text.strip(), where)


def load_cases(path: Path) -> list[Case]:
    """Every case in one cases file, in order."""
    cases = []
    for number, raw in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        line = raw.strip()
        if line and not line.startswith("#"):
            cases.append(parse_case(line, f"{path.name}:{number}"))
    return cases


def check(
    command: list[str], case: Case, timeout: float = 10.0, env: dict[str, str] | None = None
) -> Outcome:
    """Run the command on one case and list everything that differs from the case."""
    try:
        done = subprocess.run(
            [*command, "-c", case.expression],
            capture_output=True,
            text=True,
            timeout=timeout,
            env=env,
        )
    except FileNotFoundError:
        return Outcome(case, [f"cannot run {command[0]!r}: no such program"])
    except subprocess.TimeoutExpired:
        return Outcome(case, [f"no answer within {timeout:g} seconds"])
    problems = []
    if done.returncode != case.exit_status:
        problems.append(f"exit status {done.returncode}, expected {case.exit_status}")
    if case.stdout is not None and done.stdout.rstrip("\n") != case.stdout:
        problems.append(f"printed {done.stdout.rstrip()!r}, expected {case.stdout!r}")
    if case.stderr_contains and case.stderr_contains not in done.stderr:
        problems.append(f"standard error lacks {case.stderr_contains!r}: {done.stderr.strip()!r}")
    if "Traceback (most recent call last)" in done.stderr:
        problems.append("a traceback was printed")
    return Outcome(case, problems)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description="Check a DVM implementation against expressions and expected results.",
        epilog="example: python run_cases.py -- dvm",
    )
    parser.add_argument(
        "--cases",
        action="append",
        type=Path,
        metavar="FILE",
        help="a cases file (repeatable); default: every *.txt in " + str(CASES_DIR),
    )
    parser.add_argument("--timeout", type=float, default=10.0, help="seconds per case")
    parser.add_argument("-q", "--quiet", action="store_true", help="report failures only")
    parser.add_argument("command", nargs=argparse.REMAINDER, help="-- COMMAND [ARGS...]")
    arguments = parser.parse_args(argv)
    command = arguments.command[1:] if arguments.command[:1] == ["--"] else arguments.command
    if not command:
        parser.error("give the command to test after --, for example: -- dvm")
    files = arguments.cases or sorted(CASES_DIR.glob("*.txt"))
    try:
        cases = [case for path in files for case in load_cases(path)]
    except (OSError, ValueError) as problem:
        parser.error(str(problem))
    failed = 0
    for case in cases:
        outcome = check(command, case, arguments.timeout)
        if outcome.passed:
            if not arguments.quiet:
                print(f"ok    {case.where}  {case.expression}")
            continue
        failed += 1
        print(f"FAIL  {case.where}  {case.expression}")
        for problem in outcome.problems:
            print(f"        {problem}")
    print(f"{len(cases) - failed} passed, {failed} failed")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
