"""Tables are freed when nothing reaches them: a loop that makes a table on every
iteration runs in constant memory. And a session (the REPL) keeps no line's program
once it has run.

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


@pytest.mark.parametrize("fast", [True, False], ids=["fast", "engine"])
def test_a_session_keeps_no_program_once_it_has_run(fast):
    """A REPL runs each line as a program of its own: the function a line declares stays
    (a global holds it), but the line's top-level code is freed once a later line has
    run: a long session does not grow with every line it was given."""
    import io
    import weakref

    from carrot.compiler import compile_program
    from carrot.resolver import analyze
    from carrot.runtime import Interpreter

    interpreter = Interpreter(io.StringIO(), fast=fast)
    known: set[str] = set()
    tops = []
    for n in range(20):
        source = f"fn f{n}(x) {{ return x + {n}; }} let v{n} = f{n}(1);"
        compiled = compile_program(analyze(source, f"line{n}", known_globals=known))
        interpreter.run(compiled)
        known |= {f"f{n}", f"v{n}"}
        tops.append(weakref.ref(compiled.main))
        del compiled  # reference counting alone frees it (no cycle holds it)
    assert [top() for top in tops[:-1]] == [None] * 19
    assert interpreter.globals["v19"] == 20
