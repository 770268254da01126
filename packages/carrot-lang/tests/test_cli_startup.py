"""Start-up: a plain run imports only what running a program needs.

``carrot -c 'print(1);'`` should start about as fast as Python itself, and most of a
small run's start-up is importing. These tests run the command's entry point in a
fresh interpreter and check which modules it loaded: the machinery of other commands
(the REPL, SQL storage, the engine's cursor opcodes) and heavy standard modules
(``importlib.metadata`` with its email and zip parsers) must stay out. Timing itself
is measured by ``benchmarks/bench.py --startup``, not asserted here.
"""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

NOT_NEEDED = [
    "importlib.metadata",  # installed extensions are read from their metadata files
    "email",
    "zipfile",
    "sqlite3",  # only SQL compiles with it
    "vdbe.storage",  # no table was made
    "vdbe.opcodes.cursors",  # the fast path ran: the engine's other opcodes stay unloaded
    "vdbe.opcodes.sorter",
    "carrot.repl",
    "readline",
]

PROBE = """
import json, sys
from carrot.cli import main
status = main(sys.argv[1:])
sys.stdout.flush()
print(json.dumps(sorted(sys.modules)), file=sys.stderr)
sys.exit(status)
"""


EXTENSIONS_ONLY = """
import json, sys
from carrot.extension import load_extensions
before = set(sys.modules)
load_extensions()
print(json.dumps(sorted(set(sys.modules) - before)), file=sys.stderr)
"""


def modules_loaded_by(*args: str, probe: str = PROBE) -> tuple[str, set[str]]:
    proc = subprocess.run(
        [sys.executable, "-c", probe, *args], capture_output=True, text=True, timeout=120
    )
    assert proc.returncode == 0, proc.stderr
    return proc.stdout, set(json.loads(proc.stderr.strip().splitlines()[-1]))


def modules_of_installed_extensions() -> set[str]:
    """What the installed extensions themselves import (carrot-txn keeps persistent
    tables in SQL storage): a plain run may need those."""
    return modules_loaded_by(probe=EXTENSIONS_ONLY)[1]


@pytest.mark.parametrize(
    "code", ["print(1);", "fn f(n) { return n * 2; } print(f(21));", "let x = 1 + 2.5; print(x);"]
)
def test_a_plain_run_imports_only_what_it_needs(code):
    output, loaded = modules_loaded_by("-c", code)
    assert output.strip()  # the program ran and printed
    assert "carrot.runtime.fastpath" in loaded  # on the fast path, as a plain run is
    allowed = modules_of_installed_extensions()
    unneeded = [name for name in NOT_NEEDED if name in loaded and name not in allowed]
    assert not unneeded, f"a plain run imported {unneeded}"


def test_a_table_loads_storage_only_when_made():
    output, loaded = modules_loaded_by("-c", "let t = {a: 1}; print(t);")
    assert output.strip() == '{"a": 1}'
    assert "vdbe.storage" in loaded
    assert "importlib.metadata" not in loaded


def test_version_still_reads_the_installed_metadata():
    output, _ = modules_loaded_by("--version")
    assert output.startswith("carrot ")
