"""Carrot against CPython on the same algorithms, measured in one run.

    python packages/carrot-lang/benchmarks/bench.py            # fast path and engine
    python packages/carrot-lang/benchmarks/bench.py --quick    # smaller sizes
    python packages/carrot-lang/benchmarks/bench.py --no-engine
    python packages/carrot-lang/benchmarks/bench.py --process  # whole processes
    python packages/carrot-lang/benchmarks/bench.py --startup  # carrot -c 'print(1);'

Each benchmark is a Carrot program and a Python function doing the same work. The
Carrot program is compiled once, then run on the fast path (bytecode translated to
Python) and on the engine (the vdbe VM's instruction loop); the table shows CPU
seconds (the best of ``--repeat`` runs for CPython and the fast path, which includes
translating the functions) and each Carrot time divided by CPython's. CPU time, not
wall-clock time: on a machine shared with other work, the wall clock also counts the
moments the benchmark was waiting for a core.

With ``--process`` each side runs as a whole process instead, as a user runs it:
``python -m carrot FILE`` against ``python FILE`` holding the same Python function,
start-up and imports included (the best of ``--repeat`` runs each, CPU seconds of the
child process).
"""

from __future__ import annotations

import argparse
import inspect
import io
import resource
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from carrot.compiler import compile_program
from carrot.extension import NO_EXTENSIONS
from carrot.resolver import analyze
from carrot.runtime import Interpreter


@dataclass
class Benchmark:
    name: str
    carrot: str  # the program; {n} is the size
    python: Callable[[int], object]
    size: int
    quick_size: int


FIB = """
fn fib(n) {
    if n < 2 { return n; }
    return fib(n - 1) + fib(n - 2);
}
print(fib({n}));
"""


def py_fib(n: int) -> int:
    def fib(n: int) -> int:
        if n < 2:
            return n
        return fib(n - 1) + fib(n - 2)

    return fib(n)


LOOP = """
fn sum_to(n) {
    let total = 0;
    let i = 1;
    while i <= n {
        total = total + i;
        i = i + 1;
    }
    return total;
}
print(sum_to({n}));
"""


def py_loop(n: int) -> int:
    total = 0
    i = 1
    while i <= n:
        total = total + i
        i = i + 1
    return total


TABLE = """
fn fill_and_sum(n) {
    let t = {};
    let i = 0;
    while i < n {
        t[i * 7 % n] = i;
        i = i + 1;
    }
    let total = 0;
    i = 0;
    while i < n {
        total = total + t[i];
        i = i + 1;
    }
    return total;
}
print(fill_and_sum({n}));
"""


def py_table(n: int) -> int:
    t = {}
    i = 0
    while i < n:
        t[i * 7 % n] = i
        i = i + 1
    total = 0
    i = 0
    while i < n:
        total = total + t[i]
        i = i + 1
    return total


STRING_KEYS = """
fn fill_and_count(n) {
    let t = {};
    let i = 0;
    while i < n {
        t["k" + str(i * 7 % n)] = i;
        i = i + 1;
    }
    let total = 0;
    i = 0;
    while i < n {
        total = total + t["k" + str(i)];
        i = i + 1;
    }
    return total;
}
print(fill_and_count({n}));
"""


def py_string_keys(n: int) -> int:
    t = {}
    i = 0
    while i < n:
        t["k" + str(i * 7 % n)] = i
        i = i + 1
    total = 0
    i = 0
    while i < n:
        total = total + t["k" + str(i)]
        i = i + 1
    return total


FOR_LOOP = """
fn fill_and_walk(n) {
    let t = {};
    let i = 0;
    while i < n {
        t[i] = i;
        i = i + 1;
    }
    let total = 0;
    let pass = 0;
    while pass < 5 {
        for k, v in t {
            total = total + v;
        }
        pass = pass + 1;
    }
    return total;
}
print(fill_and_walk({n}));
"""


def py_for_loop(n: int) -> int:
    t = {}
    i = 0
    while i < n:
        t[i] = i
        i = i + 1
    total = 0
    passes = 0
    while passes < 5:
        for _k, v in t.items():
            total = total + v
        passes = passes + 1
    return total


STRING = """
fn build(n) {
    let s = "";
    let i = 0;
    while i < n {
        s = s + "ab";
        i = i + 1;
    }
    return len(s);
}
print(build({n}));
"""


def py_string(n: int) -> int:
    s = ""
    i = 0
    while i < n:
        s = s + "ab"
        i = i + 1
    return len(s)


BENCHMARKS = [
    Benchmark("fib(25), recursive", FIB, py_fib, 25, 20),
    Benchmark("loop summing 1..1,000,000", LOOP, py_loop, 1_000_000, 100_000),
    Benchmark("table: insert + look up 100,000 keys", TABLE, py_table, 100_000, 10_000),
    Benchmark("table: the same with string keys", STRING_KEYS, py_string_keys, 100_000, 10_000),
    Benchmark("table: 5 for-loops over 100,000 keys", FOR_LOOP, py_for_loop, 100_000, 10_000),
    Benchmark("string of 200,000 chars by +", STRING, py_string, 100_000, 10_000),
]


def compile_carrot(source: str) -> object:
    """The program compiled once, for every run on either path. The language alone: an
    installed extension (carrot-txn) is not set up here."""
    program = analyze(source, "bench.carrot", extensions=NO_EXTENSIONS)
    return compile_program(program, extensions=NO_EXTENSIONS)


def time_carrot(compiled: object, fast: bool, repeat: int) -> tuple[float, str]:
    """The best CPU seconds of a run on a new interpreter (each translates afresh)."""
    best, printed = float("inf"), ""
    for _ in range(repeat):
        out = io.StringIO()
        interpreter = Interpreter(out, fast=fast)
        started = time.process_time()
        interpreter.run(compiled)
        best = min(best, time.process_time() - started)
        printed = out.getvalue().strip()
    return best, printed


def time_python(fn: Callable[[int], object], n: int, repeat: int) -> tuple[float, str]:
    best, result = float("inf"), None
    for _ in range(repeat):
        started = time.process_time()
        result = fn(n)
        best = min(best, time.process_time() - started)
    return best, str(result)


def time_process(command: list[str], repeat: int) -> tuple[float, str]:
    """The best CPU seconds of `command` run as a whole process, and its output."""
    best, printed = float("inf"), ""
    for _ in range(repeat):
        before = child_cpu_seconds()
        done = subprocess.run(command, capture_output=True, text=True, check=True)
        best = min(best, child_cpu_seconds() - before)
        printed = done.stdout.strip()
    return best, printed


def child_cpu_seconds() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def compare_processes(bench: Benchmark, n: int, repeat: int, workdir: Path) -> str:
    """One line: the Python program and the Carrot program, each a whole process."""
    carrot_file = workdir / "bench.carrot"
    carrot_file.write_text(bench.carrot.replace("{n}", str(n)))
    python_file = workdir / "bench.py"
    name = bench.python.__name__
    python_file.write_text(f"{inspect.getsource(bench.python)}\nprint({name}({n}))\n")
    py_seconds, py_result = time_process([sys.executable, str(python_file)], repeat)
    carrot_seconds, result = time_process(
        [sys.executable, "-m", "carrot", str(carrot_file)], repeat
    )
    if result != py_result:
        return f"{bench.name}: Carrot printed {result}, Python {py_result}"
    ratio = carrot_seconds / py_seconds
    return f"{bench.name:40} {py_seconds:9.3f} {carrot_seconds:9.3f} {ratio:6.1f}x"


def main_processes(args: argparse.Namespace) -> int:
    print(f"{'benchmark (whole processes)':40} {'python':>9} {'carrot':>9} {'ratio':>7}")
    with tempfile.TemporaryDirectory() as tmp:
        for bench in BENCHMARKS:
            if not args.only or args.only in bench.name:
                n = bench.quick_size if args.quick else bench.size
                print(compare_processes(bench, n, args.repeat, Path(tmp)), flush=True)
    return 0


def main_startup(args: argparse.Namespace) -> int:
    """``carrot -c 'print(1);'`` against ``python -c 'print(1)'``: start-up alone."""
    repeat = max(args.repeat, 10)
    python, _ = time_process([sys.executable, "-c", "print(1)"], repeat)
    carrot, _ = time_process([sys.executable, "-m", "carrot", "-c", "print(1);"], repeat)
    print(f"{'start-up (whole processes)':40} {'python':>9} {'carrot':>9} {'ratio':>7}")
    print(f"{'print(1)':40} {python:9.3f} {carrot:9.3f} {carrot / python:6.1f}x")
    return 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="smaller sizes")
    parser.add_argument("--no-engine", action="store_true", help="skip the engine runs")
    parser.add_argument("--repeat", type=int, default=3, help="runs to take the best of")
    parser.add_argument("--only", help="run only benchmarks whose name contains this")
    parser.add_argument("--process", action="store_true", help="time whole processes")
    parser.add_argument("--startup", action="store_true", help="time start-up alone")
    args = parser.parse_args(argv)
    if args.startup:
        return main_startup(args)
    if args.process:
        return main_processes(args)
    print(f"Python {sys.version.split()[0]}")
    header = f"{'benchmark':40} {'CPython':>9} {'fast':>9} {'ratio':>7}"
    if not args.no_engine:
        header += f" {'engine':>9} {'ratio':>7}"
    print(header)
    for bench in BENCHMARKS:
        if args.only and args.only not in bench.name:
            continue
        # the slow table benchmark runs once: its cost is the B-tree, not the noise
        repeat = 1 if "table" in bench.name else args.repeat
        n = bench.quick_size if args.quick else bench.size
        compiled = compile_carrot(bench.carrot.replace("{n}", str(n)))
        py_seconds, py_result = time_python(bench.python, n, args.repeat)
        fast_seconds, fast_result = time_carrot(compiled, True, repeat)
        if fast_result != py_result:
            print(f"{bench.name}: Carrot printed {fast_result}, Python {py_result}")
            return 1
        line = (
            f"{bench.name:40} {py_seconds:9.3f} {fast_seconds:9.3f} "
            f"{fast_seconds / py_seconds:6.1f}x"
        )
        if not args.no_engine:
            engine_seconds, engine_result = time_carrot(compiled, False, 1)
            if engine_result != py_result:
                print(f"{bench.name}: the engine printed {engine_result}, Python {py_result}")
                return 1
            line += f" {engine_seconds:9.3f} {engine_seconds / py_seconds:6.1f}x"
        print(line, flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
