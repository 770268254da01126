"""The `dvm` command, run as `python -m dvm` in a subprocess."""

import os
import subprocess
import sys

import pytest
from dvm import __version__
from dvm.cli import attach_expression


@pytest.mark.parametrize(
    "expression, value",
    [("2 + 2", "4"), ("(1+2)*3", "9"), ("0 - 1", "4294967295"), ("7 / 2", "3")],
)
def test_prints_the_value(run_dvm, expression, value):
    done = run_dvm("-c", expression)
    assert (done.returncode, done.stdout, done.stderr) == (0, value + "\n", "")


def test_long_option_name(run_dvm):
    assert run_dvm("--command", "6*7").stdout == "42\n"


def test_explain_prints_the_program_then_the_value(run_dvm):
    done = run_dvm("--explain", "-c", "2 + 2")
    assert done.returncode == 0
    lines = done.stdout.splitlines()
    assert [line.split()[1] for line in lines[:-1]] == ["LoadImm", "LoadImm", "Add", "Return"]
    assert lines[-1] == "4"


def test_explain_after_the_expression_works_too(run_dvm):
    assert run_dvm("-c", "1 + 1", "--explain").stdout.splitlines()[-1] == "2"


def test_syntax_error_exits_65_with_a_caret_under_the_second_two(run_dvm):
    done = run_dvm("-c", "2 2")
    assert done.returncode == 65
    assert done.stdout == ""
    message, line, caret = done.stderr.splitlines()
    assert "column 3" in message
    assert line == "2 2"
    assert caret.index("^") == 2 and caret.strip() == "^"


def test_literal_too_large_is_a_syntax_error(run_dvm):
    done = run_dvm("-c", "4294967296")
    assert done.returncode == 65
    assert "too large" in done.stderr
    assert run_dvm("-c", "4294967295").stdout == "4294967295\n"


def test_division_by_zero_exits_70(run_dvm):
    done = run_dvm("-c", "1 + 7 / 0")
    assert done.returncode == 70
    assert done.stdout == ""
    assert done.stderr.splitlines() == [
        "runtime error at column 7: division by zero",
        "1 + 7 / 0",
        "      ^",
    ]


@pytest.mark.parametrize(
    "expression",
    ["", "(", ")", "\x01", "é", "9" * 5000, "(" * 1000 + "1" + ")" * 1000, "1+" * 3000 + "1", "--"],
    ids=["empty", "open", "close", "control", "letter", "long-number", "deep", "long-sum", "minus"],
)
def test_no_traceback_for_any_input(run_dvm, expression):
    done = run_dvm("-c", expression)
    assert done.returncode in (65, 70)
    assert "Traceback" not in done.stderr
    assert done.stderr.strip()


def test_help_teaches(run_dvm):
    done = run_dvm("--help")
    assert done.returncode == 0
    for words in ["-c EXPRESSION", "--explain", "4294967295", "(1 + 2) * 3", "65", "70", ":quit"]:
        assert words in done.stdout


def test_version(run_dvm):
    done = run_dvm("--version")
    assert (done.returncode, done.stdout) == (0, f"dvm {__version__}\n")


@pytest.mark.parametrize("arguments", [["--frobnicate"], ["-c"], ["extra"]])
def test_bad_command_line_exits_64(run_dvm, arguments):
    done = run_dvm(*arguments)
    assert done.returncode == 64
    assert "usage: dvm" in done.stderr
    assert "Traceback" not in done.stderr


@pytest.mark.exercise("dvm-unary-minus")
def test_expression_may_start_with_minus(run_dvm):
    assert run_dvm("-c", "-(2)").stdout == "4294967294\n"
    assert run_dvm("-c", "-1").stdout == "4294967295\n"


@pytest.mark.exercise("dvm-register-reuse")
def test_one_to_a_hundred(run_dvm):
    done = run_dvm("-c", "+".join(str(n) for n in range(1, 101)))
    assert (done.returncode, done.stdout) == (0, "5050\n")


def test_attach_expression():
    assert attach_expression(["-c", "-1", "--explain"]) == ["--command=-1", "--explain"]
    assert attach_expression(["--explain"]) == ["--explain"]
    assert attach_expression(["-c"]) == ["-c"]


def test_a_full_disk_is_reported_without_a_traceback():
    with open("/dev/full", "w") as full:
        done = subprocess.run(
            [sys.executable, "-m", "dvm", "-c", "1"], stdout=full, stderr=subprocess.PIPE, text=True
        )
    assert done.returncode == 74
    assert "Traceback" not in done.stderr
    assert "dvm: cannot write output" in done.stderr


def test_a_closed_stdout_is_reported():
    done = subprocess.run(
        [sys.executable, "-m", "dvm", "-c", "1"],
        stderr=subprocess.PIPE,
        text=True,
        preexec_fn=lambda: os.close(1),
    )
    assert done.returncode == 74
    assert "standard output is closed" in done.stderr
