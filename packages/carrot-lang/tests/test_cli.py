"""The ``carrot`` command, run as a real process: arguments, outputs, exit statuses."""

import importlib.util
import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

CARROT = [sys.executable, "-m", "carrot"]
TXN_INSTALLED = importlib.util.find_spec("carrot_txn") is not None
REPO = Path(__file__).resolve().parents[3]


def carrot(*args, stdin="", timeout=60):
    proc = subprocess.run(
        [*CARROT, *args], input=stdin, capture_output=True, text=True, timeout=timeout
    )
    assert "Traceback" not in proc.stderr
    return proc


@pytest.fixture
def program(tmp_path):
    def write(text, name="prog.carrot"):
        path = tmp_path / name
        path.write_text(text, encoding="utf-8")
        return str(path)

    return write


def test_inline_code():
    proc = carrot("-c", "print(1 + 2);")
    assert (proc.stdout, proc.stderr, proc.returncode) == ("3\n", "", 0)


def test_run_a_file_both_ways(program):
    path = program('print("Hello world");\n')
    for args in ([path], ["run", path]):
        proc = carrot(*args)
        assert (proc.stdout, proc.returncode) == ("Hello world\n", 0)


def test_the_console_script_is_installed():
    exe = shutil.which("carrot")
    if exe is None:
        pytest.skip("the carrot script is not on PATH")
    proc = subprocess.run([exe, "-c", 'print("hi");'], capture_output=True, text=True, timeout=60)
    assert proc.stdout == "hi\n"


def test_compile_error_format_and_status(program):
    path = program("let x = 1;\nlet y = x +;\n")
    proc = carrot(path)
    assert proc.returncode == 65
    assert proc.stdout == ""
    assert proc.stderr == (
        f"{path}:2:12: error: expected an expression, found ';'\nlet y = x +;\n           ^\n"
    )


@pytest.mark.exercise("carrot-string-escapes")
def test_compile_error_caret_follows_tabs(program):
    path = program('\tlet s = "\\q";\n')
    lines = carrot(path).stderr.splitlines()
    assert lines[1:] == ['\tlet s = "\\q";', "\t" + " " * 9 + "^"]


def test_runtime_error_format_and_status(program):
    path = program(
        "fn half(x) {\n    return x / 0;\n}\nfn outer() {\n    return half(1);\n}\n"
        'print("before");\nouter();\n'
    )
    proc = carrot(path)
    assert proc.returncode == 70
    assert proc.stdout == "before\n"
    lines = proc.stderr.splitlines()
    assert lines[0] == f"{path}:2:14: runtime error: division by zero"
    assert lines[1].startswith("  at half (") and ":2:" in lines[1]
    assert lines[2].startswith("  at outer (") and ":5:" in lines[2]
    assert lines[3].startswith("  at <main> (") and ":8:" in lines[3]
    assert len(lines) == 4


def test_inline_code_is_named_string_in_errors():
    proc = carrot("-c", "print(nope);")
    assert proc.stderr.startswith("<string>:1:7: runtime error: name 'nope' is not defined")


def test_missing_file_is_status_66(tmp_path):
    proc = carrot(str(tmp_path / "absent.carrot"))
    assert proc.returncode == 66
    assert "no such file" in proc.stderr


def test_directory_is_status_66(tmp_path):
    proc = carrot(str(tmp_path))
    assert proc.returncode == 66
    assert "directory" in proc.stderr


def test_non_utf8_file_is_a_compile_error_at_the_first_bad_byte(tmp_path):
    path = tmp_path / "latin1.carrot"
    path.write_bytes(b'print(1);\nprint("caf\xe9", "\xff");\n')
    proc = carrot(str(path))
    assert (proc.returncode, proc.stdout) == (65, "")
    assert proc.stderr == (
        f"{path}:2:11: error: source is not valid UTF-8 (byte 0xE9)\n"
        'print("caf\ufffd", "\ufffd");\n'
        "          ^\n"
    )


def test_non_utf8_after_a_byte_order_mark_counts_columns_from_the_text(tmp_path):
    path = tmp_path / "bom.carrot"
    path.write_bytes(b'\xef\xbb\xbflet \xc3\xa9 = "\x80";\n')
    proc = carrot(str(path))
    assert proc.returncode == 65
    assert proc.stderr.startswith(f"{path}:1:10: error: source is not valid UTF-8 (byte 0x80)")


def test_non_utf8_bytes_given_with_c_are_the_same_compile_error():
    proc = subprocess.run(
        [*CARROT, "-c", os.fsdecode(b'print(1);\n  "\xfe";')],
        capture_output=True,
        stdin=subprocess.DEVNULL,
    )
    assert proc.returncode == 65
    assert proc.stderr.startswith(b"<string>:2:4: error: source is not valid UTF-8 (byte 0xFE)")


def test_byte_order_mark_is_ignored(tmp_path):
    path = tmp_path / "bom.carrot"
    path.write_bytes(b'\xef\xbb\xbfprint("ok");\n')
    assert carrot(str(path)).stdout == "ok\n"


@pytest.mark.parametrize(
    "args",
    [
        ["--no-such-option"],
        ["run"],
        ["explain"],
        ["-c"],
        ["-c", "print(1);", "file.carrot"],
        ["--max-steps", "zero", "-c", "1;"],
        ["--max-depth", "-5", "-c", "1;"],
        ["run", "a.carrot", "b.carrot"],
    ],
)
def test_bad_command_lines_are_status_64(args):
    proc = carrot(*args)
    assert proc.returncode == 64
    assert proc.stderr.startswith("carrot")
    assert proc.stdout == ""


@pytest.mark.skipif(TXN_INSTALLED, reason="carrot-txn provides --db")
def test_db_without_the_extension_names_the_package(program):
    proc = carrot("run", program("print(1);"), "--db", "bank.db")
    assert proc.returncode == 64
    assert 'carrot-txn package: pip install "carrot-lang[txn]"' in proc.stderr


def test_help_teaches():
    proc = carrot("--help")
    assert proc.returncode == 0
    for words in ("carrot -c", "carrot explain", "REPL", "--max-steps", "--max-depth", "65"):
        assert words in proc.stdout
    assert carrot("run", "--help").returncode == 0


@pytest.mark.exercise("carrot-while")  # examples/fib.carrot loops with while
@pytest.mark.skipif(not (REPO / "examples").is_dir(), reason="not in the repository")
def test_the_example_files_help_names_exist_and_run():
    """Each examples/NAME.carrot in --help is in the repository and runs as shown."""
    help_text = carrot("--help").stdout
    commands = [line.split() for line in help_text.splitlines() if "examples/" in line]
    named = [word for words in commands for word in words if word.startswith("examples/")]
    assert {"examples/hello.carrot", "examples/fib.carrot"} <= set(named)
    for words in commands:
        if words[0] == "carrot":
            proc = subprocess.run([*CARROT, *words[1:]], cwd=REPO, capture_output=True, text=True)
            assert (proc.returncode, proc.stderr) == (0, ""), words


def test_version():
    proc = carrot("--version")
    assert proc.returncode == 0
    assert proc.stdout.startswith("carrot ")


def test_explain_lists_each_function_under_its_name(program):
    path = program(
        "fn fibo(x) {\n  if x < 2 { return x; }\n  return fibo(x - 1) + fibo(x - 2);\n}\n"
        "print(fibo(5));\n"
    )
    proc = carrot("explain", path)
    assert proc.returncode == 0
    assert proc.stdout.count("addr") >= 2  # one listing per program
    assert "fibo" in proc.stdout and "<main>" in proc.stdout
    assert "5\n" not in proc.stdout.splitlines()  # explaining does not run the program


def test_explain_python_shows_the_fast_path_translation():
    proc = carrot("explain", "--python", "-c", "fn f(x) { return x * 2; } print(f(21));")
    assert proc.returncode == 0
    assert "# f" in proc.stdout and "def " in proc.stdout


def test_repl_later_inputs_see_a_global_that_shadows_a_builtin():
    proc = carrot(stdin='let len = 5;\nlen;\nprint("x");\n')
    assert proc.stdout == "5\nx\n"
    proc = carrot(stdin='let len = 5;\nlen("x");\n')
    assert "runtime error: cannot call int" in proc.stderr


def test_explain_inline_and_compile_error():
    assert carrot("explain", "-c", "print(1);").returncode == 0
    assert carrot("explain", "-c", "print(1;").returncode == 65


@pytest.mark.exercise("carrot-while")
def test_max_steps_and_max_depth(program):
    loop = program("while true { }\n")
    proc = carrot("run", loop, "--max-steps", "500")
    assert proc.returncode == 70
    assert "step limit exceeded (500)" in proc.stderr
    deep = program("fn f(n) { return f(n + 1); }\nf(0);\n", "deep.carrot")
    proc = carrot(deep, "--max-depth", "20")
    assert "call depth exceeded (20)" in proc.stderr


def test_trace_goes_to_stderr(program):
    proc = carrot("run", program("print(2 * 21);"), "--trace")
    assert proc.returncode == 0
    assert proc.stdout == "42\n"
    assert proc.stderr.strip()


@pytest.mark.skipif(sys.platform == "win32", reason="sends SIGINT, a POSIX signal")
@pytest.mark.exercise("carrot-while")
def test_ctrl_c_prints_interrupted_and_exits_130(program):
    path = program('print("ready");\nlet i = 0;\nwhile true { i = i + 1; }\n')
    proc = subprocess.Popen(
        [sys.executable, "-u", "-m", "carrot", path],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL),  # even if ignored here
    )
    assert proc.stdout.readline() == "ready\n"  # it is running the loop now
    time.sleep(0.3)
    proc.send_signal(signal.SIGINT)
    stdout, stderr = proc.communicate(timeout=60)
    assert proc.returncode == 130
    assert stderr.strip() == "interrupted"
    assert "Traceback" not in stderr


@pytest.mark.exercise("carrot-while")
def test_broken_pipe_is_quiet(program):
    path = program("let i = 0;\nwhile i < 100000 { print(i); i = i + 1; }\n")
    reader = subprocess.Popen(["head", "-n", "1"], stdin=subprocess.PIPE, stdout=subprocess.PIPE)
    writer = subprocess.run(
        [*CARROT, path], stdout=reader.stdin, stderr=subprocess.PIPE, timeout=120
    )
    reader.stdin.close()
    assert reader.stdout.read() == b"0\n"
    reader.wait(timeout=60)
    assert b"Traceback" not in writer.stderr


def test_python_dash_m_and_main_module_agree():
    env = dict(os.environ)
    proc = subprocess.run(
        [sys.executable, "-c", "import sys; from carrot.cli import main; sys.exit(main())", "-c",
         "print(7);"],
        capture_output=True, text=True, env=env, timeout=60,
    )  # fmt: skip
    assert proc.stdout == "7\n"


# ------------------------------------------------------------------ the REPL (piped stdin)


def test_repl_prints_expression_values_and_keeps_globals():
    proc = carrot(stdin='let x = 40;\nx + 2;\n"text";\nprint("p");\nnull;\n')
    assert proc.returncode == 0
    assert proc.stdout == '42\n"text"\np\n'


def test_repl_block_stays_open_until_braces_close():
    proc = carrot(stdin="fn twice(x) {\n  return x * 2;\n}\ntwice(21);\n")
    assert proc.stdout == "42\n"


def test_repl_errors_do_not_end_it():
    proc = carrot(stdin="1 +;\nprint(nope);\nprint(1 / 0);\n3;\n")
    assert proc.returncode == 0
    assert proc.stdout == "3\n"
    assert "<stdin>:1:4: error: expected an expression" in proc.stderr
    assert "runtime error: name 'nope' is not defined" in proc.stderr
    assert "runtime error: division by zero" in proc.stderr


def test_repl_semicolon_may_be_left_off():
    assert carrot(stdin="1 + 1\n").stdout == "2\n"


def test_repl_assignment_to_earlier_global():
    proc = carrot(stdin="let n = 1;\nn = n + 1;\nn;\n")
    assert proc.stdout == "2\n"


def test_repl_help_command():
    proc = carrot(stdin=":help\n")
    assert "expression statement prints its value" in proc.stdout


def test_repl_quit_command():
    proc = carrot(stdin="1;\n:quit\n2;\n")
    assert (proc.stdout, proc.returncode) == ("1\n", 0)


def test_repl_prompts_with_a_fake_terminal(monkeypatch, capsys):
    from carrot.extension import NO_EXTENSIONS
    from carrot.repl import Repl
    from carrot.session import RunOptions

    lines = iter(["fn f() {", "  return 5;", "}", "f();"])
    prompts = []

    def read(prompt):
        prompts.append(prompt)
        try:
            return next(lines)
        except StopIteration:
            raise EOFError from None

    assert Repl(NO_EXTENSIONS, RunOptions(), read=read).loop() == 0
    assert prompts == ["carrot> ", "...> ", "...> ", "carrot> ", "carrot> "]
    assert "5\n" in capsys.readouterr().out


def test_repl_is_complete():
    from carrot.repl import is_complete

    assert is_complete("print(1);")
    assert not is_complete("fn f() {")
    assert not is_complete("let t = [1,")
    assert is_complete("fn f() {\n}")
    assert is_complete('print("{");')  # braces inside strings do not count
    assert is_complete("// {")
    assert is_complete('print("unterminated')  # reported at once, not waited on


def test_golden_files_exist_next_to_the_runner():
    assert (Path(__file__).parent / "run_golden.py").exists()


def test_repl_on_a_terminal_prompts_and_keeps_history(tmp_path):
    pty = pytest.importorskip("pty")
    import select

    env = dict(os.environ, HOME=str(tmp_path), TERM="dumb")
    pid, fd = pty.fork()
    if pid == 0:  # the child: the REPL on a pseudo-terminal
        os.execvpe(sys.executable, [sys.executable, "-m", "carrot"], env)
    seen = b""

    def read_until(marker, timeout=60.0):
        nonlocal seen
        deadline = time.time() + timeout
        while marker not in seen and time.time() < deadline:
            ready, _, _ = select.select([fd], [], [], 0.2)
            if ready:
                try:
                    seen += os.read(fd, 4096)
                except OSError:
                    break
        return marker in seen

    def prompts():
        return seen.count(b"carrot> ")

    status = None
    try:
        assert read_until(b"carrot> ")
        os.write(fd, b"fn f(a) {\n")
        assert read_until(b"...> ")
        os.write(fd, b"return a * 2; }\n")
        assert wait_for(lambda: prompts() >= 2, read_until)
        os.write(fd, b"f(21)\n")
        assert read_until(b"42") and wait_for(lambda: prompts() >= 3, read_until)
        os.write(fd, b"\x04")  # Ctrl-D at an empty prompt leaves
        status = wait_for_exit(pid, read_until)
    finally:
        if status is None:  # never hang the test run: stop the child and fail
            os.kill(pid, signal.SIGKILL)
            os.waitpid(pid, 0)
        os.close(fd)
    assert status == 0
    history = (tmp_path / ".carrot_history").read_text()
    assert "f(21)" in history


def wait_for(condition, read_until, timeout=60.0):
    """Keep reading the terminal until ``condition()`` holds (or the time is up)."""
    deadline = time.time() + timeout
    while not condition() and time.time() < deadline:
        read_until(b"\x00never", timeout=0.3)
    return condition()


def wait_for_exit(pid, read_until, timeout=60.0):
    """The child's exit status, reading its output meanwhile; None if it does not exit."""
    deadline = time.time() + timeout
    while time.time() < deadline:
        done, status = os.waitpid(pid, os.WNOHANG)
        if done:
            return os.waitstatus_to_exitcode(status)
        read_until(b"\x00never", timeout=0.3)
    return None


@pytest.mark.skipif(not Path("/dev/full").exists(), reason="needs /dev/full")
def test_output_that_cannot_be_written_is_a_runtime_error_not_a_traceback():
    with open("/dev/full", "w") as full:
        proc = subprocess.run(
            [*CARROT, "-c", "print(1);"], stdout=full, stderr=subprocess.PIPE, text=True, timeout=60
        )
    assert proc.returncode == 70
    assert proc.stderr == "carrot: error: cannot write output: No space left on device\n"


def test_a_closed_stdout_is_reported():
    proc = subprocess.run(
        [*CARROT, "-c", "print(1);"],
        stderr=subprocess.PIPE,
        text=True,
        timeout=60,
        preexec_fn=lambda: os.close(1),
    )
    assert proc.returncode == 70
    assert proc.stderr == "carrot: error: cannot write output: standard output is closed\n"
