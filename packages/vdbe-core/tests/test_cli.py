"""The `vdbe` command line, run as a real process."""

from __future__ import annotations

import json
import os
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

PROGRAMS = Path(__file__).parent / "programs"


def vdbe(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "vdbe", *args], capture_output=True, text=True, timeout=60
    )


def test_explain_one_plus_one():
    done = vdbe("explain", "SELECT 1 + 1")
    assert done.returncode == 0
    assert "r[1]=r[2]+r[2]" in done.stdout
    assert "Start at 4" in done.stdout
    assert done.stdout.startswith("addr  opcode         p1    p2    p3    p4             p5")


def test_sql_prints_rows_like_the_shell():
    done = vdbe("sql", "SELECT 1, 'a', 2.5, NULL, 0.1 + 0.2, 1e100")
    assert done.returncode == 0
    # a REAL is shown as the compiling SQLite writes it as text: 0.3 up to 3.52,
    # 0.30000000000000004 from 3.53 on
    from vdbe.sqlite_library import sqlite3 as compiling

    sum_text = compiling.connect(":memory:").execute("SELECT CAST(0.1 + 0.2 AS TEXT)").fetchone()[0]
    assert done.stdout == f"1|a|2.5||{sum_text}|1.0e+100\n"


def test_sql_json_output():
    done = vdbe("sql", "--json", "SELECT 1, 1.0, 'x', NULL, x'00ff', 1e308 * 10, -1e308 * 10")
    assert done.returncode == 0
    line = done.stdout.strip()
    assert line == '[1, 1.0, "x", null, {"blob": "00FF"}, Infinity, -Infinity]'
    assert json.loads(line)[1] == 1.0


def test_run_a_hand_written_loop():
    done = vdbe("run", str(PROGRAMS / "loop.vdbe"))
    assert done.returncode == 0
    assert done.stdout == "1\n2\n3\n4\n5\n"


@pytest.mark.exercise("vdbe-trace")
def test_run_with_trace_writes_to_stderr():
    done = vdbe("run", str(PROGRAMS / "loop.vdbe"), "--trace")
    assert done.stdout == "1\n2\n3\n4\n5\n"
    assert "AddImm" in done.stderr and "r[1]=2" in done.stderr


def test_sql_error_exits_1_with_sqlites_message():
    done = vdbe("sql", "SELEC 1")
    assert done.returncode == 1
    assert done.stderr == 'Error: near "SELEC": syntax error\n'
    assert "Traceback" not in done.stderr


def test_constraint_error_exits_1():
    done = vdbe("run", str(PROGRAMS / "unique_error.vdbe"))
    assert done.returncode == 1
    assert done.stderr == "Error: UNIQUE constraint failed: t.a\n"


def test_unsupported_opcode_exits_3_naming_it(tmp_path):
    program = tmp_path / "odd.vdbe"
    program.write_text("0 Init 0 1\n1 VBegin 0 0 0\n2 Halt\n")
    done = vdbe("run", str(program))
    assert done.returncode == 3
    assert "VBegin" in done.stderr and done.stderr.startswith("Error: ")


def test_bad_command_line_exits_2():
    assert vdbe("frobnicate").returncode == 2
    assert vdbe("sql").returncode == 2
    missing = vdbe("run", "no/such/file.vdbe")
    assert missing.returncode == 2
    assert missing.stderr.splitlines()[-1].startswith("Error: cannot read")


def test_malformed_listing_is_an_error_not_a_traceback(tmp_path):
    program = tmp_path / "bad.vdbe"
    program.write_text("0 Init 0 1\n7 Halt\n")
    done = vdbe("run", str(program))
    assert done.returncode == 1
    assert done.stderr.startswith("Error: line 2")


def test_help_and_version():
    help_text = vdbe("--help")
    assert help_text.returncode == 0
    for word in ("explain", "sql", "run", "dump", "check", "--json", "--trace", "exit status"):
        assert word in help_text.stdout
    version = vdbe("--version")
    assert version.returncode == 0
    assert version.stdout.startswith("vdbe ")
    assert f"compiling with SQLite {sqlite3.sqlite_version}" in version.stdout


def test_version_names_the_sqlite_another_module_bundles():
    done = subprocess.run(
        [sys.executable, "-m", "vdbe", "--version"],
        capture_output=True,
        text=True,
        env={**os.environ, "VDBE_SQLITE": "no_such_sqlite_module"},
    )
    assert done.returncode == 1
    assert done.stderr.startswith("Error: VDBE_SQLITE=no_such_sqlite_module: no such module")


@pytest.mark.skipif(sys.platform == "win32", reason="sends SIGINT, a POSIX signal")
def test_ctrl_c_stops_without_a_traceback(tmp_path):
    import signal
    import time

    program = tmp_path / "endless.vdbe"
    program.write_text("0 Init 0 1\n1 Integer 7 1\n2 ResultRow 1 1\n3 Goto 0 3\n")
    process = subprocess.Popen(
        [sys.executable, "-u", "-m", "vdbe", "run", str(program)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL),  # even if ignored here
    )
    try:
        assert process.stdout.readline() == "7\n"  # it is in the endless loop now
        time.sleep(0.3)
        process.send_signal(signal.SIGINT)
        _, stderr = process.communicate(timeout=30)
    finally:
        process.kill()
    assert process.returncode == 1
    assert stderr == "Error: interrupted\n"


@pytest.mark.skipif(sys.platform == "win32", reason="limits memory with the resource module")
def test_a_statement_that_runs_out_of_memory_says_so():
    """A blob under SQLite's length limit can still be more than the process may have:
    SQLite's own message, not a Python MemoryError."""
    import resource

    def limit_memory():
        resource.setrlimit(resource.RLIMIT_AS, (600 << 20, resource.RLIM_INFINITY))

    done = subprocess.run(
        [sys.executable, "-m", "vdbe", "sql", "SELECT zeroblob(900000000) || zeroblob(10)"],
        capture_output=True,
        text=True,
        timeout=60,
        preexec_fn=limit_memory,
    )
    assert (done.returncode, done.stderr) == (1, "Error: out of memory\n")


def _sample_database(path: Path) -> Path:
    import sqlite3

    connection = sqlite3.connect(path)
    connection.execute("CREATE TABLE t(a INTEGER PRIMARY KEY, b TEXT)")
    connection.executemany("INSERT INTO t VALUES (?, ?)", [(1, "x"), (2, "y")])
    connection.commit()
    connection.close()
    return path


def test_sql_runs_on_a_database_file(tmp_path):
    db = _sample_database(tmp_path / "t.db")
    done = vdbe("sql", "--db", str(db), "SELECT b FROM t ORDER BY a DESC")
    assert (done.returncode, done.stdout) == (0, "y\nx\n")


@pytest.mark.exercise("storage-header")
@pytest.mark.exercise("storage-cell-parse")
def test_check_and_dump_delegate_to_the_storage_tools(tmp_path):
    db = _sample_database(tmp_path / "t.db")
    check = vdbe("check", str(db))
    assert (check.returncode, check.stdout) == (0, "ok\n")
    dump = vdbe("dump", str(db), "--page", "2")
    assert dump.returncode == 0 and dump.stdout


def test_check_and_dump_never_create_a_file(tmp_path):
    missing = tmp_path / "missing.db"
    for command in ("check", "dump"):
        done = vdbe(command, str(missing))
        assert done.returncode == 1
        assert done.stderr == f"Error: no such file: {missing}\n"
    assert not missing.exists()


def test_malformed_database_exits_4(tmp_path):
    db = _sample_database(tmp_path / "t.db")
    data = bytearray(db.read_bytes())
    data[4096:4200] = b"\xff" * 104  # wreck the header of the table's page
    db.write_bytes(bytes(data))
    done = vdbe("sql", "--db", str(db), "SELECT * FROM t")
    assert done.returncode == 4
    assert done.stderr == "Error: database disk image is malformed\n"


@pytest.mark.skipif(not Path("/dev/full").exists(), reason="needs /dev/full")
def test_output_that_cannot_be_written_is_an_error_not_a_traceback():
    with open("/dev/full", "w") as full:
        done = subprocess.run(
            [sys.executable, "-m", "vdbe", "sql", "SELECT 1"],
            stdout=full,
            stderr=subprocess.PIPE,
            text=True,
            timeout=60,
        )
    assert (done.returncode, done.stderr) == (
        1,
        "Error: cannot write output: No space left on device\n",
    )


def test_a_closed_stdout_is_reported():
    done = subprocess.run(
        [sys.executable, "-m", "vdbe", "sql", "SELECT 1"],
        stderr=subprocess.PIPE,
        text=True,
        timeout=60,
        preexec_fn=lambda: os.close(1),
    )
    assert (done.returncode, done.stderr) == (
        1,
        "Error: cannot write output: standard output is closed\n",
    )
