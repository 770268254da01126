"""Every Carrot example in the docs that needs this stage runs and prints what it shows.

carrot-lang's docs test skips those examples when carrot-txn is absent; here, with it
installed, they run through the same collector and checker (imported by path).
"""

from __future__ import annotations

import importlib.util
import re
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[3]
CHECKER = REPO / "packages" / "carrot-lang" / "tests" / "test_docs_examples.py"


def load_checker():
    spec = importlib.util.spec_from_file_location("carrot_docs_examples", CHECKER)
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    return module


checker = load_checker()
BLOCKS = [b for b in checker.carrot_blocks([REPO / "docs"]) if b.needs_txn]


def test_the_stage_four_chapters_have_examples():
    assert sum("stage4" in b.path.parts for b in BLOCKS) >= 3


def exercises_needed(code: str) -> list[str]:
    """The stage-4 exercises whose code an example runs, judged from its text."""
    needed = set()
    if "txn fn" in code:
        needed.add("txn-commit-returns")
    if "abort;" in code:
        needed.add("txn-abort")
    if re.search(r"\bdb(\.\w+|\[[^]]+\])(\.\w+|\[[^]]+\])\s*=[^=]", code):
        needed |= {"txn-persistent-scalars", "txn-create-table"}
    return sorted(needed)


def params():
    for block in BLOCKS:
        if block.shows_txn_missing:
            marks = [pytest.mark.skip(reason="shows the error given without carrot-txn")]
        else:
            marks = [pytest.mark.exercise(e) for e in exercises_needed(block.code)]
        yield pytest.param(block, marks=marks, id=block.id)


@pytest.mark.parametrize("block", list(params()))
def test_docs_example_with_txn(block, tmp_path):
    checker.check_block(block, tmp_path)
