"""The cases in tests/cases/ against this dvm, and the runner that checks any DVM."""

import subprocess
import sys
from pathlib import Path

import dvm
import pytest

TESTS_DIR = Path(__file__).resolve().parent
RUNNER = TESTS_DIR / "run_cases.py"


def load_runner():
    """run_cases.py is a script, not a module on the path: import it by file name."""
    import importlib.util

    spec = importlib.util.spec_from_file_location("run_cases", RUNNER)
    module = importlib.util.module_from_spec(spec)
    sys.modules.setdefault("run_cases", module)
    spec.loader.exec_module(module)
    return module


run_cases = load_runner()

# Each cases file belongs to the core, or to the exercise that makes it pass.
CASE_FILES = {
    "core.txt": None,
    "mod.txt": "dvm-mod",
    "unary-minus.txt": "dvm-unary-minus",
    "register-reuse.txt": "dvm-register-reuse",
}


def parametrized_cases():
    for name, exercise in CASE_FILES.items():
        marks = [pytest.mark.exercise(exercise)] if exercise else []
        for case in run_cases.load_cases(TESTS_DIR / "cases" / name):
            yield pytest.param(case, marks=marks, id=case.where)


def test_every_cases_file_is_listed():
    assert {path.name for path in (TESTS_DIR / "cases").glob("*.txt")} == set(CASE_FILES)


@pytest.mark.parametrize("case", list(parametrized_cases()))
def test_case(case, dvm_command, dvm_env):
    outcome = run_cases.check(dvm_command, case, env=dvm_env)
    assert outcome.passed, outcome.problems


def test_runner_passes_the_real_dvm(dvm_command, dvm_env):
    done = subprocess.run(
        [sys.executable, str(RUNNER), "--cases", str(TESTS_DIR / "cases" / "core.txt"), "--"]
        + dvm_command,
        capture_output=True,
        text=True,
        env=dvm_env,
        timeout=300,
    )
    assert done.returncode == 0, done.stdout
    assert done.stdout.splitlines()[-1].endswith(" passed, 0 failed")


def test_runner_catches_a_wrong_implementation(tmp_path):
    always_four = [sys.executable, "-c", "print(4)"]
    cases = tmp_path / "few.txt"
    cases.write_text("# two cases\n2 + 2 => 4\n2 + 3 => 5\n7 / 0 => error 70: division\n")
    done = subprocess.run(
        [sys.executable, str(RUNNER), "--cases", str(cases), "--", *always_four],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert done.returncode == 1
    assert "printed '4', expected '5'" in done.stdout
    assert "exit status 0, expected 70" in done.stdout
    assert done.stdout.splitlines()[-1] == "1 passed, 2 failed"


def test_runner_reports_a_missing_program(tmp_path):
    cases = tmp_path / "one.txt"
    cases.write_text("1 => 1\n")
    done = subprocess.run(
        [sys.executable, str(RUNNER), "--cases", str(cases), "--", str(tmp_path / "nothing")],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert done.returncode == 1
    assert "no such program" in done.stdout


def test_runner_needs_a_command():
    done = subprocess.run([sys.executable, str(RUNNER)], capture_output=True, text=True)
    assert done.returncode == 2
    assert "give the command" in done.stderr


def test_case_lines_parse():
    case = run_cases.parse_case("2 2 => error 65: column 3", "x:1")
    assert (case.expression, case.stdout, case.exit_status, case.stderr_contains) == (
        "2 2",
        None,
        65,
        "column 3",
    )
    assert run_cases.parse_case("1+1 => 2", "x:2").stdout == "2"
    with pytest.raises(ValueError):
        run_cases.parse_case("no arrow here", "x:3")


def test_this_is_the_dvm_under_test():
    assert Path(dvm.__file__).resolve().is_relative_to(TESTS_DIR.parent / "src")
