"""The stage-4 golden programs, run by carrot-lang's golden runner against ``carrot``."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

HERE = Path(__file__).resolve().parent
REPO = HERE.parents[2]
RUNNER = REPO / "packages" / "carrot-lang" / "tests" / "run_golden.py"
PROGRAMS = sorted((HERE / "golden").glob("*.carrot"))


def test_there_are_at_least_sixty_programs():
    assert len(PROGRAMS) >= 60


@pytest.mark.parametrize("fast", ["0", "1"], ids=["engine", "default"])
def test_golden_programs(fast, monkeypatch):
    monkeypatch.setenv("CARROT_NO_JIT", "1" if fast == "0" else "0")
    result = subprocess.run(
        [sys.executable, str(RUNNER), str(HERE / "golden"), "--", sys.executable, "-m", "carrot"],
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert result.returncode == 0, result.stdout[-6000:] + result.stderr[-2000:]
    assert result.stdout.strip().splitlines()[-1] == f"{len(PROGRAMS)} passed, 0 failed"
