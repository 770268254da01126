"""The REPL, through a subprocess with a pipe for standard input, and in-process."""

import io
import subprocess

from dvm.repl import PROMPT, repl


def test_answers_two_plus_two(run_dvm):
    done = run_dvm(stdin="2 + 2\n")
    assert (done.returncode, done.stdout, done.stderr) == (0, "> 4\n> ", "")


def test_end_of_input_without_newline(run_dvm):
    done = run_dvm(stdin="6 * 7")
    assert (done.returncode, done.stdout) == (0, "> 42\n> ")


def test_several_lines_and_blank_ones(run_dvm):
    done = run_dvm(stdin="1 + 1\n\n   \n(1+2)*3\n")
    assert done.stdout == "> 2\n> > > 9\n> "


def test_explain_toggles(run_dvm):
    done = run_dvm(stdin=":explain\n2 + 2\n:explain\n2 + 2\n")
    chunks = done.stdout.split(PROMPT)
    assert chunks[1] == "explain is on\n"
    assert chunks[2].splitlines()[2].split()[1] == "Add"
    assert chunks[2].splitlines()[-1] == "4"
    assert chunks[3] == "explain is off\n"
    assert chunks[4] == "4\n"


def test_explain_flag_starts_the_repl_explaining(run_dvm):
    done = run_dvm("--explain", stdin="1+1\n")
    assert "Add" in done.stdout and done.stdout.endswith("2\n> ")


def test_quit_leaves_at_once(run_dvm):
    done = run_dvm(stdin="1\n:quit\n2\n")
    assert (done.returncode, done.stdout) == (0, "> 1\n> ")


def test_errors_are_reported_and_the_loop_goes_on(run_dvm):
    done = run_dvm(stdin="2 2\n7 / 0\n5\n")
    assert done.returncode == 0
    assert done.stdout == "> > > 5\n> "
    assert done.stderr.splitlines() == [
        "syntax error at column 3: unexpected number 2 after a complete expression",
        "2 2",
        "  ^",
        "runtime error at column 3: division by zero",
        "7 / 0",
        "  ^",
    ]


def test_help_and_unknown_commands(run_dvm):
    done = run_dvm(stdin=":help\n:frob\n")
    assert ":explain" in done.stdout and ":quit" in done.stdout
    assert "unknown command ':frob'" in done.stderr
    assert done.returncode == 0


def test_in_process_with_streams():
    stdin, stdout, stderr = io.StringIO("3 * 3\n:quit\n"), io.StringIO(), io.StringIO()
    assert repl(stdin=stdin, stdout=stdout, stderr=stderr) == 0
    assert stdout.getvalue() == "> 9\n> "
    assert stderr.getvalue() == ""


def test_odd_bytes_on_standard_input(run_dvm):
    done = run_dvm(stdin="\x00\n1 $\n\x7f\n4\n")
    assert done.returncode == 0
    assert done.stdout.endswith("4\n> ")
    assert "Traceback" not in done.stderr
    assert done.stderr.count("unexpected character") == 3


def test_bytes_that_are_not_text(dvm_command, dvm_env):
    environment = {**dvm_env, "PYTHONIOENCODING": "utf-8"}  # strict decoding
    done = subprocess.run(
        dvm_command, input=b"\xff\xfe\n2\n", capture_output=True, env=environment, timeout=60
    )
    assert done.returncode == 0
    assert done.stdout.endswith(b"2\n> ")
    assert b"unexpected character" in done.stderr
    assert b"Traceback" not in done.stderr


def test_reader_going_away_is_quiet(dvm_command, dvm_env):
    reader = subprocess.Popen(
        [*dvm_command],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        env=dvm_env,
    )
    reader.stdout.close()  # nobody reads the answers
    _, stderr = reader.communicate(b"1 + 1\n" * 20000, timeout=60)
    assert reader.returncode == 141
    assert b"Traceback" not in stderr
