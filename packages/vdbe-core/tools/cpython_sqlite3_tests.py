"""Run CPython's own `sqlite3` tests against `vdbe.dbapi`, and count what passes.

    python packages/vdbe-core/tools/cpython_sqlite3_tests.py            every module
    python packages/vdbe-core/tools/cpython_sqlite3_tests.py test_dump  one of them
    ... --verbose                                                        name each failure

The interpreter ships its test suite as the package `test.test_sqlite3`. Each module
runs in a child process in which `sqlite3` is `vdbe.dbapi` (the VM's own compile side
imported the real module before the swap, so it keeps it). A test passes when it
neither fails, errors nor is skipped. The exit status is 0 when the modules named in
TARGET together pass at least TARGET_SHARE of their tests.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile

MODULES = (
    "test_dbapi",
    "test_transactions",
    "test_types",
    "test_regression",
    "test_factory",
    "test_userfunctions",
    "test_dump",
    "test_hooks",
    "test_backup",
)
TARGET = MODULES[:7]
TARGET_SHARE = 0.75
TIMEOUT = 600  # seconds for one module

_CHILD = r"""
import importlib, io, json, sys, unittest
import vdbe.dbapi                      # binds the real sqlite3 inside the VM first
sys.modules["sqlite3"] = vdbe.dbapi
module = importlib.import_module("test.test_sqlite3." + sys.argv[1])
suite = unittest.defaultTestLoader.loadTestsFromModule(module)
stream = io.StringIO()
result = unittest.TextTestRunner(stream=stream, verbosity=0).run(suite)
def names(pairs):  # one entry per test (its subtests fold into it)
    found = {}
    for test, text in pairs:
        key = getattr(test, "test_case", test).id()
        found.setdefault(key, text.strip().splitlines()[-1] if text.strip() else "")
    return [[key, reason] for key, reason in found.items()]
print(json.dumps({
    "run": result.testsRun,
    "failures": names(result.failures),
    "errors": names(result.errors),
    "skipped": names(result.skipped),
    "unexpected": [str(t) for t in result.unexpectedSuccesses],
}))
"""


def run_module(name: str) -> dict:
    """Run one module in a child process; its counts (or a crash as one error)."""
    try:
        with tempfile.TemporaryDirectory(prefix="cpython-sqlite3-") as scratch:
            done = subprocess.run(  # the tests make files in the working directory
                [sys.executable, "-c", _CHILD, name],
                capture_output=True,
                text=True,
                timeout=TIMEOUT,
                cwd=scratch,
            )
        return json.loads(done.stdout.strip().splitlines()[-1])
    except (IndexError, json.JSONDecodeError):
        crash = (done.stderr.strip().splitlines() or ["no output"])[-1]
    except subprocess.TimeoutExpired:
        crash = f"no result after {TIMEOUT} s"
    return {"run": 0, "failures": [], "errors": [[name, crash]], "skipped": []}


def passed(counts: dict) -> int:
    missed = len(counts["failures"]) + len(counts["errors"]) + len(counts["skipped"])
    return max(0, counts["run"] - missed)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("modules", nargs="*", default=list(MODULES))
    parser.add_argument("--verbose", action="store_true", help="name each failing test")
    args = parser.parse_args(argv)
    totals = {}
    print(f"{'module':<20} {'passed':>6} {'run':>5} {'failed':>6} {'errors':>6} {'skipped':>7}")
    for name in args.modules:
        counts = run_module(name)
        totals[name] = counts
        print(
            f"{name:<20} {passed(counts):>6} {counts['run']:>5} {len(counts['failures']):>6}"
            f" {len(counts['errors']):>6} {len(counts['skipped']):>7}",
            flush=True,
        )
        if args.verbose:
            for kind in ("failures", "errors", "skipped"):
                for test, reason in counts[kind]:
                    print(f"    {kind[:-1] if kind != 'skipped' else 'skip'}: {test}: {reason}")
    target = [totals[name] for name in TARGET if name in totals]
    if not target:
        return 0
    ok = sum(passed(c) for c in target)
    run = sum(c["run"] for c in target)
    share = ok / run if run else 0.0
    print(f"target modules: {ok} of {run} pass ({share:.1%}; goal {TARGET_SHARE:.0%})")
    return 0 if share >= TARGET_SHARE else 1


if __name__ == "__main__":
    sys.exit(main())
