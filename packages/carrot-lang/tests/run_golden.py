"""Run the golden Carrot programs against any implementation of the language.

Usage::

    python run_golden.py [options] [PATH ...] -- EXECUTABLE [ARG ...]

    python tests/run_golden.py -- carrot
    python tests/run_golden.py tests/golden/tables -- ./my-carrot --fast
    python tests/run_golden.py --filter closures -- python -m carrot

Each ``PATH`` is a ``.carrot`` file or a directory searched for them (default: the
``golden`` directory next to this script, without its ``txn`` part, which needs the
carrot-txn package). Every program is run as ``EXECUTABLE ARG ... [ARGS] FILE`` with an
empty standard input, and its output is checked against comments in the program:

``// expect: TEXT``
    the next line of standard output is exactly TEXT (in order; no extra lines).
``// expect runtime error: MESSAGE``
    standard error starts with ``FILE:LINE:COL: runtime error: MESSAGE`` where LINE is the
    line of this comment; the exit status is 70.
``// expect compile error: MESSAGE`` or ``// expect compile error: LINE:COL: MESSAGE``
    standard error starts with ``FILE:LINE:COL: error: MESSAGE`` (LINE defaults to the
    comment's own line); the exit status is 65.
``// expect exit: N``
    the exit status is N (for cases the two above do not cover).
``// args: ARG ...``
    extra command-line arguments, put before the file (``--max-steps 100``).
``// skip if module: NAME``
    skip the program when Python module NAME can be imported here (for checks that
    only hold while an optional package is absent).

With no error expected, standard error must be empty and the exit status 0. No output may
ever contain a Python traceback. The last line printed is ``N passed, N failed``; the
exit status is 0 when nothing failed.
"""

from __future__ import annotations

import argparse
import importlib.util
import os
import re
import shlex
import subprocess
import sys
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

HERE = Path(__file__).resolve().parent
DEFAULT_SUITE = HERE / "golden"
EXCLUDED_BY_DEFAULT = ("txn",)  # directories that need an optional package

EXPECT_OUTPUT = re.compile(r"// expect: ?(.*)$")
EXPECT_RUNTIME = re.compile(r"// expect runtime error: (.+)$")
EXPECT_COMPILE = re.compile(r"// expect compile error: (?:(\d+):(\d+): )?(.+)$")
EXPECT_EXIT = re.compile(r"// expect exit: (\d+)")
ARGS = re.compile(r"// args: (.+)$")
SKIP_IF_MODULE = re.compile(r"// skip if module: ([\w.]+)")

EXIT_COMPILE = 65
EXIT_RUNTIME = 70


@dataclass
class Expectation:
    """What one golden program must do, read from its comments."""

    output: list[tuple[int, str]] = field(default_factory=list)  # (source line, text)
    error_kind: str | None = None  # "runtime error" or "error"
    error_line: int | None = None
    error_col: int | None = None
    error_message: str | None = None
    exit_status: int = 0
    args: list[str] = field(default_factory=list)
    skip_module: str | None = None


def read_program(path: Path) -> str:
    """A program's text; bytes that are not UTF-8 (programs that test exactly that)
    are replaced, so their ``// expect`` comments can still be read."""
    return path.read_bytes().decode("utf-8", "replace")


# --8<-- [start:parse_expectations]
def parse_expectations(text: str) -> Expectation:
    """Read the ``// expect...`` comments of a program."""
    expect = Expectation()
    exit_given = None
    for number, line in enumerate(text.split("\n"), start=1):
        if match := EXPECT_OUTPUT.search(line):
            expect.output.append((number, match.group(1)))
        elif match := EXPECT_RUNTIME.search(line):
            expect.error_kind, expect.error_line = "runtime error", number
            expect.error_message = match.group(1).rstrip()
            expect.exit_status = EXIT_RUNTIME
        elif match := EXPECT_COMPILE.search(line):
            line_given, col_given, message = match.groups()
            expect.error_kind = "error"
            expect.error_line = int(line_given) if line_given else number
            expect.error_col = int(col_given) if col_given else None
            expect.error_message = message.rstrip()
            expect.exit_status = EXIT_COMPILE
        if match := EXPECT_EXIT.search(line):
            exit_given = int(match.group(1))
        if match := ARGS.search(line):
            expect.args.extend(shlex.split(match.group(1)))
        if match := SKIP_IF_MODULE.search(line):
            expect.skip_module = match.group(1)
    if exit_given is not None:
        expect.exit_status = exit_given
    return expect


# --8<-- [end:parse_expectations]


@dataclass
class Result:
    path: Path
    failures: list[str] = field(default_factory=list)
    skipped: bool = False

    @property
    def passed(self) -> bool:
        return not self.failures and not self.skipped


def run_program(command: list[str], path: Path, timeout: float = 30.0) -> Result:
    """Run one golden program and compare what it did with what it expects."""
    expect = parse_expectations(read_program(path))
    result = Result(path)
    if expect.skip_module and importlib.util.find_spec(expect.skip_module) is not None:
        result.skipped = True
        return result
    try:
        proc = subprocess.run(
            [*command, *expect.args, str(path)],
            stdin=subprocess.DEVNULL,
            capture_output=True,
            timeout=timeout,
        )
    except subprocess.TimeoutExpired:
        result.failures.append(f"timed out after {timeout:g} seconds")
        return result
    except OSError as exc:
        result.failures.append(f"cannot run {command[0]}: {exc}")
        return result
    stdout = proc.stdout.decode("utf-8", "replace")
    stderr = proc.stderr.decode("utf-8", "replace")
    check_output(result, expect, stdout)
    check_errors(result, expect, stderr, path)
    if proc.returncode != expect.exit_status:
        result.failures.append(
            f"expected exit status {expect.exit_status} and got {proc.returncode}"
        )
    if "Traceback (most recent call last)" in stdout + stderr:
        result.failures.append("a Python traceback was printed")
    return result


# --8<-- [start:check_output]
def check_output(result: Result, expect: Expectation, stdout: str) -> None:
    lines = stdout.split("\n")
    if lines and lines[-1] == "":
        lines.pop()
    for index, (source_line, wanted) in enumerate(expect.output):
        if index >= len(lines):
            result.failures.append(f"missing expected output '{wanted}' on line {source_line}")
            return
        if lines[index] != wanted:
            result.failures.append(
                f"expected output '{wanted}' on line {source_line} and got '{lines[index]}'"
            )
            return
    for extra in lines[len(expect.output) :]:
        result.failures.append(f"got unexpected output '{extra}'")
        return


# --8<-- [end:check_output]


def check_errors(result: Result, expect: Expectation, stderr: str, path: Path) -> None:
    if expect.error_kind is None:
        if stderr.strip() and expect.exit_status == 0:
            result.failures.append(f"unexpected output on stderr: {first_line(stderr)!r}")
        return
    first = first_line(stderr)
    pattern = re.compile(r"^(.*):(\d+):(\d+): (runtime error|error): (.*)$")
    match = pattern.match(first)
    if not match:
        result.failures.append(f"expected a {expect.error_kind} and got stderr {first!r}")
        return
    _, line, col, kind, message = match.groups()
    where = f"{expect.error_line}" + (f":{expect.error_col}" if expect.error_col else "")
    got_where = f"{line}" + (f":{col}" if expect.error_col else "")
    if kind != expect.error_kind or message != expect.error_message or where != got_where:
        result.failures.append(
            f"expected {expect.error_kind} at {where}: '{expect.error_message}'"
            f" and got {kind} at {got_where}: '{message}'"
        )


def first_line(text: str) -> str:
    return text.strip("\n").split("\n")[0] if text.strip() else ""


def find_programs(paths: list[Path]) -> list[Path]:
    """Every ``.carrot`` file named, or under a directory named, in sorted order."""
    if not paths:
        return sorted(
            p
            for p in DEFAULT_SUITE.rglob("*.carrot")
            if p.relative_to(DEFAULT_SUITE).parts[0] not in EXCLUDED_BY_DEFAULT
        )
    found: list[Path] = []
    for path in paths:
        found.extend(sorted(path.rglob("*.carrot")) if path.is_dir() else [path])
    return found


def run_all(command: list[str], programs: list[Path], jobs: int) -> list[Result]:
    """Run every program; on a terminal, a line on standard error shows how far it got."""
    results: list[Result] = []
    with ThreadPoolExecutor(max_workers=max(jobs, 1)) as pool:
        for result in pool.map(lambda p: run_program(command, p), programs):
            results.append(result)
            failed = sum(bool(r.failures) for r in results)
            show_progress(f"{len(results)}/{len(programs)} programs, {failed} failed")
    show_progress("")
    return results


def show_progress(text: str, stream=None) -> None:
    """Rewrite the progress line in place, on a terminal only (never in a log)."""
    stream = stream or sys.stderr
    if stream.isatty():
        stream.write(f"\r{text}\033[K")
        stream.flush()


def display(path: Path) -> str:
    try:
        return str(path.resolve().relative_to(DEFAULT_SUITE))
    except ValueError:
        return str(path)


def report(results: list[Result], out=None) -> int:
    """Print each failure with its reasons, then ``N passed, N failed``."""
    out = out or sys.stdout
    for result in results:
        if result.failures:
            print(f"FAIL {display(result.path)}", file=out)
            for failure in result.failures:
                print(f"     {failure}", file=out)
    passed = sum(r.passed for r in results)
    failed = sum(bool(r.failures) for r in results)
    skipped = sum(r.skipped for r in results)
    if skipped:
        print(f"({skipped} skipped)", file=out)
    print(f"{passed} passed, {failed} failed", file=out)
    return 1 if failed else 0


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    if "--" not in argv and ("-h" in argv or "--help" in argv):
        print(__doc__)
        return 0
    if "--" not in argv:
        print("usage: run_golden.py [options] [PATH ...] -- EXECUTABLE [ARG ...]", file=sys.stderr)
        return 2
    split = argv.index("--")
    command = argv[split + 1 :]
    if not command:
        print("run_golden.py: no executable given after --", file=sys.stderr)
        return 2
    parser = argparse.ArgumentParser(prog="run_golden.py", description=__doc__.split("\n")[0])
    parser.add_argument("paths", nargs="*", type=Path, help=".carrot files or directories")
    parser.add_argument("--filter", default="", help="only programs whose path contains this")
    parser.add_argument("-j", "--jobs", type=int, default=os.cpu_count() or 1)
    ns = parser.parse_args(argv[:split])
    programs = [p for p in find_programs(ns.paths) if ns.filter in str(p)]
    if not programs:
        print("run_golden.py: no .carrot programs found", file=sys.stderr)
        return 2
    return report(run_all(command, programs, ns.jobs))


if __name__ == "__main__":
    sys.exit(main())
