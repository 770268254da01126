"""The golden suite run through ``run_golden.py`` against the real ``carrot`` command,
and the runner's own checks (it must catch a wrong implementation)."""

import importlib.util
import io
import os
import sys
from pathlib import Path

import pytest
from carrot.resolver import exercises_needed

HERE = Path(__file__).resolve().parent
CARROT = [sys.executable, "-m", "carrot"]


def load_runner():
    spec = importlib.util.spec_from_file_location(
        "carrot_golden_runner_cli", HERE / "run_golden.py"
    )
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    return module


RUNNER = load_runner()


LONG = os.environ.get("CARROT_LONG_TESTS") == "1"
ALWAYS = ("errors", "limits", "original")  # the parts about exit statuses and stderr


def sample(programs):
    """All programs in long mode; by default the error parts and every eighth other one
    (each program also runs in-process in test_runtime_golden.py)."""
    if LONG:
        return programs
    return [
        p
        for index, p in enumerate(programs)
        if p.relative_to(RUNNER.DEFAULT_SUITE).parts[0] in ALWAYS or index % 8 == 0
    ]


def sampled_programs():
    """One pytest parameter per program, marked with the exercises it needs."""
    params = []
    for path in sample(RUNNER.find_programs([])):
        needed = exercises_needed(RUNNER.read_program(path), str(path))
        marks = [pytest.mark.exercise(e) for e in sorted(needed)]
        relative = path.relative_to(RUNNER.DEFAULT_SUITE)
        params.append(pytest.param(path, marks=marks, id=str(relative)))
    return params


@pytest.mark.parametrize("path", sampled_programs())
def test_golden_program_on_the_real_command(path):
    result = RUNNER.run_program(CARROT, path)
    assert result.passed or result.skipped, "\n".join(result.failures)


def test_the_suite_is_large_enough():
    assert len(RUNNER.find_programs([])) >= 150


def test_every_section_of_the_language_has_programs():
    sections = {p.relative_to(RUNNER.DEFAULT_SUITE).parts[0] for p in RUNNER.find_programs([])}
    assert sections >= {
        "lexical", "values", "operators", "truthiness", "statements", "scoping", "tables",
        "methods", "for_in", "builtins", "printing", "functions", "errors", "limits", "original",
    }  # fmt: skip


def test_txn_programs_are_left_out_by_default():
    assert all("txn" not in p.relative_to(RUNNER.DEFAULT_SUITE).parts[:1]
               for p in RUNNER.find_programs([]))  # fmt: skip
    assert (RUNNER.DEFAULT_SUITE / "txn").is_dir()


# ------------------------------------------------------------------ the runner itself


def test_parse_expectations():
    expect = RUNNER.parse_expectations(
        "// args: --max-steps 5\n"
        "print(1); // expect: 1\n"
        "// expect: \n"
        "x(); // expect runtime error: cannot call int\n"
    )
    assert expect.output == [(2, "1"), (3, "")]
    assert (expect.error_kind, expect.error_line, expect.error_message) == (
        "runtime error",
        4,
        "cannot call int",
    )
    assert expect.exit_status == 70
    assert expect.args == ["--max-steps", "5"]


def test_parse_compile_error_with_position_and_exit_override():
    expect = RUNNER.parse_expectations(
        "// expect compile error: 3:9: bad thing\n// expect exit: 2\n"
    )
    assert (expect.error_line, expect.error_col, expect.error_message) == (3, 9, "bad thing")
    assert expect.exit_status == 2


@pytest.fixture
def fake(tmp_path):
    """A fake implementation: a script that prints what it is told to."""

    def make(stdout="", stderr="", status=0):
        script = tmp_path / "fake.py"
        script.write_text(
            "import sys\n"
            f"sys.stdout.write({stdout!r})\n"
            f"sys.stderr.write({stderr!r})\n"
            f"sys.exit({status})\n"
        )
        return [sys.executable, str(script)]

    return make


def run_one(tmp_path, command, text):
    path = tmp_path / "case.carrot"
    path.write_text(text)
    return RUNNER.run_program(command, path)


def test_runner_accepts_a_correct_implementation(tmp_path, fake):
    result = run_one(tmp_path, fake(stdout="1\n2\n"), "// expect: 1\n// expect: 2\n")
    assert result.passed, result.failures


@pytest.mark.parametrize(
    "stdout, stderr, status, text, complaint",
    [
        ("1\n", "", 0, "// expect: 2\n", "expected output '2' on line 1 and got '1'"),
        ("", "", 0, "// expect: 2\n", "missing expected output '2'"),
        ("1\n9\n", "", 0, "// expect: 1\n", "got unexpected output '9'"),
        ("", "", 1, "", "expected exit status 0 and got 1"),
        ("", "oops\n", 0, "", "unexpected output on stderr"),
        ("", "Traceback (most recent call last):\n", 70, "// expect exit: 70\n", "traceback"),
        (
            "",
            "f:1:2: runtime error: other\n",
            70,
            "x; // expect runtime error: wanted\n",
            "expected runtime error at 1: 'wanted' and got runtime error at 1: 'other'",
        ),
        (
            "",
            "f:2:1: runtime error: wanted\n",
            70,
            "x; // expect runtime error: wanted\n",
            "at 1: 'wanted' and got runtime error at 2",
        ),
        (
            "",
            "f:1:5: error: bad\n",
            65,
            "// expect compile error: 1:4: bad\n",
            "expected error at 1:4: 'bad' and got error at 1:5: 'bad'",
        ),
    ],
)
def test_runner_catches_wrong_behaviour(tmp_path, fake, stdout, stderr, status, text, complaint):
    result = run_one(tmp_path, fake(stdout, stderr, status), text)
    assert not result.passed
    assert any(complaint in failure for failure in result.failures), result.failures


def test_runner_command_line_and_summary(tmp_path, fake, capsys):
    good = tmp_path / "good.carrot"
    good.write_text("// expect: hi\n")
    bad = tmp_path / "bad.carrot"
    bad.write_text("// expect: bye\n")
    command = fake(stdout="hi\n")
    assert RUNNER.main([str(tmp_path), "--", *command]) == 1
    out = capsys.readouterr().out
    assert "FAIL" in out and "bad.carrot" in out
    assert out.splitlines()[-1] == "1 passed, 1 failed"
    assert RUNNER.main([str(good), "--", *command]) == 0
    assert RUNNER.main([str(good)]) == 2  # no executable given


class Terminal(io.StringIO):
    def isatty(self):
        return True


def test_runner_shows_progress_on_a_terminal_only(tmp_path, fake, capsys, monkeypatch):
    for name in ("a", "b"):
        (tmp_path / f"{name}.carrot").write_text("// expect: hi\n")
    command = [str(tmp_path), "--", *fake(stdout="hi\n")]
    assert RUNNER.main(command) == 0
    assert capsys.readouterr().err == ""  # not a terminal: nothing
    terminal = Terminal()
    monkeypatch.setattr(sys, "stderr", terminal)
    assert RUNNER.main(command) == 0
    shown = terminal.getvalue()
    assert "\r1/2 programs, 0 failed" in shown and "\r2/2 programs, 0 failed" in shown
    assert shown.endswith("\r\033[K")


def test_skip_if_module(tmp_path, fake):
    result = run_one(tmp_path, fake(), "// skip if module: sys\n// expect: never\n")
    assert result.skipped and not result.failures
