"""Tables are freed when nothing reaches them: a loop that makes a table on every
iteration runs in constant memory.

The program runs in a child process, so its peak resident set size is its own; the
bound is generous (a Python process running Carrot needs a few tens of MB) and fixed:
100,000 tables that were never freed would need several hundred MB.
"""

from __future__ import annotations

import subprocess
import sys

import pytest

PEAK_RSS_LIMIT_MB = 120

PROGRAM = """
let i = 0;
let total = 0;
while i < 100000 {
    let t = {n: i, items: [i, i + 1], name: "row"};
    t.self = t;
    total = total + len(t) + len(t.items);
    i = i + 1;
}
print(total);
"""

CHILD = """
import io, resource, sys
from carrot.compiler import compile_program
from carrot.extension import NO_EXTENSIONS
from carrot.resolver import analyze
from carrot.runtime import Interpreter

program = analyze(sys.argv[1], "loop.carrot", extensions=NO_EXTENSIONS)
out = io.StringIO()
Interpreter(out).run(compile_program(program, extensions=NO_EXTENSIONS))
print(out.getvalue().strip(), resource.getrusage(resource.RUSAGE_SELF).ru_maxrss)
"""


@pytest.mark.exercise("carrot-while")
def test_a_table_per_iteration_runs_in_constant_memory():
    done = subprocess.run(
        [sys.executable, "-c", CHILD, PROGRAM], capture_output=True, text=True, check=True
    )
    printed, max_rss_kb = done.stdout.split()
    assert printed == str(100_000 * 6)
    assert int(max_rss_kb) / 1024 < PEAK_RSS_LIMIT_MB
