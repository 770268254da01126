"""Storage benchmark: this VM against real SQLite, whole processes, in the same run.

    python packages/vdbe-core/benchmarks/storage.py            # the three timings
    python packages/vdbe-core/benchmarks/storage.py --memory   # also 1,000,000 rows, peak RSS

Each workload runs as a separate process on a database file, three ways, from identical
copies of the file: real SQLite as the `sqlite3` command-line shell (when installed),
real SQLite through Python's sqlite3 module in a `python -c` process (the same
interpreter start-up the VM pays), and this VM as `vdbe sql --db FILE "SQL"` (real
SQLite compiles the statement, the VM runs it on its own pager and B-trees). The ratios
are the VM's time over each SQLite's, for wall-clock time and for CPU time (user +
system of the child); CPU time is the steadier figure on a busy machine.

Workloads (the targets are each within 20x):

1. bulk insert: 100,000 rows by INSERT ... SELECT from a recursive CTE;
2. full scan: one pass over those rows aggregating two columns;
3. lookups: 10,000 rowid lookups through a join.

A fourth line, start-up, runs `SELECT 1` on the same file: the fixed cost every
process pays before any row is touched (interpreter, imports, compiling the statement,
opening the file). It is not a target, but it explains much of the ratios above.

With --memory, 1,000,000 rows are inserted the same way and the VM process's peak
resident set size is reported (the target is under 150 MB).
"""

from __future__ import annotations

import argparse
import os
import resource
import shutil
import sqlite3
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROWS = 100_000
LOOKUPS = 10_000

SCHEMA = """
CREATE TABLE t(a INTEGER PRIMARY KEY, b INTEGER, c TEXT);
CREATE TABLE k(id INTEGER PRIMARY KEY, ref INTEGER);
"""

BULK = (
    "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < {rows}) "
    "INSERT INTO t(b, c) SELECT i * 7 % 1000, 'row ' || i FROM n"
)
SCAN = "SELECT sum(b), max(c) FROM t"
LOOKUP = "SELECT count(*), sum(t.b) FROM k JOIN t ON t.a = k.ref"
FILL_KEYS = (
    "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < {lookups}) "
    "INSERT INTO k(ref) SELECT (i * 7919) % {rows} + 1 FROM n"
)


def shell_command(db: Path, sql: str) -> list[str] | None:
    """Real SQLite's command-line shell, if it is installed."""
    shell = shutil.which("sqlite3")
    return [shell, str(db), sql] if shell else None


def python_command(db: Path, sql: str) -> list[str]:
    """Real SQLite through Python's sqlite3 module, as a whole process."""
    code = (
        "import sqlite3, sys; c = sqlite3.connect(sys.argv[1]);"
        " print(c.execute(sys.argv[2]).fetchall()); c.commit()"
    )
    return [sys.executable, "-c", code, str(db), sql]


def vdbe_command(db: Path, sql: str) -> list[str]:
    """This VM as a whole process."""
    return [sys.executable, "-m", "vdbe", "sql", "--db", str(db), sql]


def child_environment() -> dict[str, str]:
    """The children run as an installed program does: Python may keep compiled
    bytecode (pip compiles a package's modules when it installs it), so the VM's
    modules are not compiled again by every process."""
    env = dict(os.environ)
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    return env


def timed(command: list[str]) -> tuple[float, float, str]:
    """Run a command; (wall seconds, CPU seconds of the child, its output)."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    done = subprocess.run(command, capture_output=True, text=True, env=child_environment())
    wall = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if done.returncode != 0:
        raise SystemExit(f"{command[0]} failed: {done.stderr.strip()}")
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return wall, cpu, done.stdout.strip()


def peak_rss_mb(command: list[str]) -> float:
    """Peak resident set size of one child process, in MB (measured by a fresh parent)."""
    probe = (
        "import resource, subprocess, sys\n"
        "subprocess.run(sys.argv[1:], check=True, capture_output=True)\n"
        "print(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", probe, *command], capture_output=True, text=True, check=True
    )
    return int(done.stdout.strip()) / 1024


def prepare(path: Path, rows: int, with_data: bool) -> None:
    con = sqlite3.connect(path)
    con.executescript(SCHEMA)
    if with_data:
        con.execute(BULK.format(rows=rows))
        con.execute(FILL_KEYS.format(lookups=LOOKUPS, rows=rows))
    con.commit()
    con.close()


def compare(name: str, sql: str, empty: bool, workdir: Path, show: bool = True) -> dict[str, float]:
    """Run one workload every way on identical files; print and return the CPU ratios."""
    base = workdir / f"{name}.db"
    prepare(base, ROWS, with_data=not empty)
    runs = {}
    for who, make in (("shell", shell_command), ("python", python_command), ("vdbe", vdbe_command)):
        copy = workdir / f"{name}-{who}.db"
        shutil.copyfile(base, copy)
        command = make(copy, sql)
        if command is not None:
            runs[who] = timed(command)
    v_wall, v_cpu, _ = runs["vdbe"]
    line = f"{name:<12} vdbe {v_wall:6.2f}s wall {v_cpu:6.2f}s cpu"
    ratios = {}
    for who in ("shell", "python"):
        if who in runs:
            wall, cpu, _ = runs[who]
            ratios[who] = v_cpu / max(cpu, 1e-3)
            line += (
                f" | sqlite {who} {wall:5.3f}s wall {cpu:5.3f}s cpu:"
                f" {v_wall / wall:5.1f}x wall {ratios[who]:5.1f}x cpu"
            )
    if show:
        print(line)
    return ratios


def print_machine() -> None:
    """The line that heads every run: the Python, the SQLite and the cores it ran with."""
    print(
        f"python {sys.version.split()[0]}, sqlite {sqlite3.sqlite_version}, {os.cpu_count()} cpus"
    )


def memory(workdir: Path, rows: int) -> float:
    path = workdir / "memory.db"
    prepare(path, rows, with_data=False)
    mb = peak_rss_mb(vdbe_command(path, BULK.format(rows=rows)))
    con = sqlite3.connect(path)
    count = con.execute("SELECT count(*) FROM t").fetchone()[0]
    con.close()
    print(f"memory       {rows:,} rows inserted ({count:,} in the file): peak RSS {mb:.1f} MB")
    return mb


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--memory", action="store_true", help="also insert 1,000,000 rows")
    parser.add_argument("--memory-rows", type=int, default=1_000_000)
    args = parser.parse_args(argv)
    print_machine()
    with tempfile.TemporaryDirectory() as tmp:
        workdir = Path(tmp)
        compare("warm-up", "SELECT 1", False, workdir, show=False)  # bytecode, file cache
        compare("bulk insert", BULK.format(rows=ROWS), True, workdir)
        compare("full scan", SCAN, False, workdir)
        compare("lookups", LOOKUP, False, workdir)
        compare("start-up", "SELECT 1", False, workdir)
        if args.memory:
            memory(workdir, args.memory_rows)
    return 0


if __name__ == "__main__":
    sys.exit(main())
