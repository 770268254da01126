"""Transactional calls that abort, against a Python dict with an undo log, in one run.

    python packages/carrot-txn/benchmarks/abort.py            # 10,000 calls
    python packages/carrot-txn/benchmarks/abort.py --quick    # 1,000 calls

A table of 100,000 entries is filled, then a ``txn fn`` that writes 10 entries and
aborts is called 10,000 times. The Python program does the same with a dict, keeping
each call's undo log by hand (key and old value, replayed backwards). Both programs
also time the fill alone, so the line for the calls is their difference: the cost of
the savepoints, writes and rollbacks. Each runs in-process (``carrot.cli.main`` on the
file, compile included) and as a whole process (``python -m carrot FILE``). Times are
CPU seconds (of this process, or of the child), steadier than the wall clock on a
machine shared with other work.
"""

from __future__ import annotations

import argparse
import contextlib
import io
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

FILL = """
let t = {};
let i = 0;
while i < 100000 {
    t[i] = i;
    i = i + 1;
}
"""

CALLS = """
txn fn touch(base) {
    let j = 0;
    while j < 10 {
        t[base + j] = -1;
        j = j + 1;
    }
    abort;
}
let c = 0;
while c < {calls} {
    touch(c * 7919 % 99990);
    c = c + 1;
}
"""

SHOW = "print(len(t), t[5], t[99999]);\n"

PY_FILL = """
t = {}
i = 0
while i < 100000:
    t[i] = i
    i = i + 1
"""

PY_CALLS = """
def touch(base):
    undo = []
    j = 0
    while j < 10:
        undo.append((base + j, t.get(base + j)))
        t[base + j] = -1
        j = j + 1
    for key, old in reversed(undo):  # abort: put every old value back, newest first
        if old is None:
            del t[key]
        else:
            t[key] = old

c = 0
while c < {calls}:
    touch(c * 7919 % 99990)
    c = c + 1
"""

PY_SHOW = "print(len(t), t[5], t[99999])\n"


def in_process(path: Path) -> tuple[float, str]:
    from carrot.cli import main

    out = io.StringIO()
    started = time.process_time()
    with contextlib.redirect_stdout(out):
        status = main([str(path)])
    seconds = time.process_time() - started
    if status:
        raise SystemExit(f"carrot {path} exited {status}")
    return seconds, out.getvalue().strip()


def python_in_process(source: str) -> tuple[float, str]:
    out = io.StringIO()
    started = time.process_time()
    with contextlib.redirect_stdout(out):
        exec(compile(source, "bench.py", "exec"), {})
    return time.process_time() - started, out.getvalue().strip()


def whole_process(command: list[str]) -> tuple[float, str]:
    before = child_cpu_seconds()
    done = subprocess.run(command, capture_output=True, text=True, check=True)
    return child_cpu_seconds() - before, done.stdout.strip()


def child_cpu_seconds() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def measure(workdir: Path, calls: int, with_calls: bool) -> dict[str, float]:
    """Seconds of each way of running the program (with or without the calls)."""
    carrot = FILL + (CALLS.replace("{calls}", str(calls)) if with_calls else "") + SHOW
    python = PY_FILL + (PY_CALLS.replace("{calls}", str(calls)) if with_calls else "") + PY_SHOW
    carrot_file, python_file = workdir / "bench.carrot", workdir / "bench.py"
    carrot_file.write_text(carrot)
    python_file.write_text(python)
    runs = {
        "carrot in-process": in_process(carrot_file),
        "python in-process": python_in_process(python),
        "carrot process": whole_process([sys.executable, "-m", "carrot", str(carrot_file)]),
        "python process": whole_process([sys.executable, str(python_file)]),
    }
    printed = {result for _seconds, result in runs.values()}
    if len(printed) != 1:
        raise SystemExit(f"the programs disagree: {printed}")
    return {name: seconds for name, (seconds, _result) in runs.items()}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="1,000 calls")
    args = parser.parse_args(argv)
    calls = 1_000 if args.quick else 10_000
    with tempfile.TemporaryDirectory() as tmp:
        fill = measure(Path(tmp), calls, with_calls=False)
        total = measure(Path(tmp), calls, with_calls=True)
    print(f"{'':32} {'python':>8} {'carrot':>8} {'ratio':>7}")
    for how in ("in-process", "process"):
        py, carrot = total[f"python {how}"], total[f"carrot {how}"]
        print(
            f"{'fill + ' + format(calls, ',') + ' aborted calls, ' + how:32}"
            f" {py:8.3f} {carrot:8.3f} {carrot / py:6.1f}x"
        )
        py_calls = py - fill[f"python {how}"]
        carrot_calls = carrot - fill[f"carrot {how}"]
        print(
            f"{'the calls alone, ' + how:32} {py_calls:8.3f} {carrot_calls:8.3f}"
            f" {carrot_calls / max(py_calls, 1e-6):6.1f}x"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
