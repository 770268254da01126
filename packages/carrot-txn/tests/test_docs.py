"""Every Carrot example in the docs that needs this stage runs and prints what it shows.

carrot-lang's docs test skips those examples when carrot-txn is absent; here, with it
installed, they run through the same collector and checker (imported by path).
"""

from __future__ import annotations

import importlib.util
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


@pytest.mark.parametrize("block", [pytest.param(b, id=b.id) for b in BLOCKS])
def test_docs_example_with_txn(block, tmp_path):
    if block.shows_txn_missing:
        pytest.skip("shows the error given without carrot-txn")
    checker.check_block(block, tmp_path)
