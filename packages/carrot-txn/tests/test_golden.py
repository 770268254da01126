"""The stage-4 golden programs, each run through ``carrot`` by carrot-lang's golden runner.

Each program is one test, marked with the exercises whose code it needs, so that an
exercise's starter fails exactly the programs that exercise is about.
"""

from __future__ import annotations

import importlib.util
import re
import sys
from pathlib import Path

import pytest

HERE = Path(__file__).resolve().parent
REPO = HERE.parents[2]
RUNNER = REPO / "packages" / "carrot-lang" / "tests" / "run_golden.py"
# this stage's programs, and the ones carrot-lang keeps for this stage (the original
# design's program, which needs carrot-txn to run verbatim)
PROGRAMS = sorted((HERE / "golden").glob("*.carrot")) + sorted(
    (REPO / "packages" / "carrot-lang" / "tests" / "golden" / "txn").glob("*.carrot")
)


def load_runner():
    spec = importlib.util.spec_from_file_location("run_golden", RUNNER)
    module = importlib.util.module_from_spec(spec)
    sys.modules["run_golden"] = module
    spec.loader.exec_module(module)
    return module


runner = load_runner()


def exercises_needed(source: str) -> list[str]:
    """The exercises a program's ``// exercises: ID ...`` line says it runs the code of."""
    match = re.search(r"^// exercises: (.*)$", source, re.MULTILINE)
    return match.group(1).split() if match else []


def params():
    for path in PROGRAMS:
        marks = [pytest.mark.exercise(e) for e in exercises_needed(path.read_text())]
        yield pytest.param(path, marks=marks, id=path.stem)


def test_there_are_at_least_sixty_programs():
    assert len(PROGRAMS) >= 60


@pytest.mark.parametrize("path", list(params()))
@pytest.mark.parametrize("way", ["fast", "engine"])
def test_golden_program(path, way):
    # each program runs on the fast path and on the engine (the reference)
    command = [sys.executable, "-m", "carrot", *(["--no-jit"] if way == "engine" else [])]
    result = runner.run_program(command, path, timeout=120)
    if result.skipped:
        pytest.skip("needs an optional package to be absent")
    assert result.failures == []
