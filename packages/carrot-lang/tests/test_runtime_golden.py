"""The golden programs, run in-process on both execution paths.

The fast path must agree with the engine (the reference) on every program: each one is
run twice, ``fast=False`` and ``fast=True``, and checked against its ``// expect``
comments with the golden runner's own checks. Programs that need code a learner writes
in an exercise carry that exercise's marker.
"""

from __future__ import annotations

import importlib.util
import io
import sys
from pathlib import Path

import pytest
from carrot.compiler import compile_program
from carrot.diagnostics import CompileError, decode_source
from carrot.resolver import analyze, exercises_needed
from carrot.runtime import CarrotRuntimeError, Interpreter

HERE = Path(__file__).resolve().parent
GOLDEN = HERE / "golden"


def load_runner():
    spec = importlib.util.spec_from_file_location("carrot_golden_runner", HERE / "run_golden.py")
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up there
    spec.loader.exec_module(module)
    return module


RUNNER = load_runner()


def golden_programs():
    params = []
    for path in sorted(GOLDEN.rglob("*.carrot")):
        relative = path.relative_to(GOLDEN)
        if relative.parts[0] in RUNNER.EXCLUDED_BY_DEFAULT:
            continue
        needed = exercises_needed(RUNNER.read_program(path), str(path))
        marks = [pytest.mark.exercise(e) for e in sorted(needed)]
        params.append(pytest.param(path, marks=marks, id=str(relative)))
    return params


def options(args):
    """The interpreter options a program's ``// args:`` line asks for."""
    found = {}
    for flag, value in zip(args[::2], args[1::2], strict=False):
        if flag == "--max-steps":
            found["max_steps"] = int(value)
        elif flag == "--max-depth":
            found["max_depth"] = int(value)
        else:
            pytest.skip(f"option {flag} is not an interpreter option")
    return found


def run_in_process(path, fast):
    """Compile and run ``path`` as the command line would: (stdout, stderr, status)."""
    expect = RUNNER.parse_expectations(RUNNER.read_program(path))
    out = io.StringIO()
    try:
        source = decode_source(path.read_bytes(), str(path))  # as the command reads files
        compiled = compile_program(analyze(source.text, str(path)))
    except CompileError as error:
        return "", f"{path}:{error.line}:{error.col}: error: {error.message}\n", 65
    interpreter = Interpreter(out, fast=fast, **options(expect.args))
    try:
        interpreter.run(compiled)
    except CarrotRuntimeError as error:
        return out.getvalue(), error.render() + "\n", error.exit_status
    finally:
        if interpreter.fast:  # the fast path really ran: nothing fell back to the engine
            assert compiled.main.fast is not None
    return out.getvalue(), "", 0


@pytest.mark.parametrize("fast", [False, True], ids=["engine", "fast"])
@pytest.mark.parametrize("path", golden_programs())
def test_golden_program(path, fast):
    expect = RUNNER.parse_expectations(RUNNER.read_program(path))
    if expect.skip_module and importlib.util.find_spec(expect.skip_module) is not None:
        pytest.skip(f"module {expect.skip_module} is installed")
    stdout, stderr, status = run_in_process(path, fast)
    result = RUNNER.Result(path)
    RUNNER.check_output(result, expect, stdout)
    RUNNER.check_errors(result, expect, stderr, path)
    if status != expect.exit_status:
        result.failures.append(f"expected exit status {expect.exit_status} and got {status}")
    assert not result.failures, "\n".join(result.failures)


def test_the_suite_is_there():
    assert len(golden_programs()) >= 150
