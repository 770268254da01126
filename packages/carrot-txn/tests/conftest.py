"""Shared helpers for carrot-txn's tests: run the installed ``carrot`` in a subprocess."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from hypothesis import settings

settings.register_profile("ci", max_examples=25, deadline=None)
settings.register_profile("dev", max_examples=100, deadline=None)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "dev"))

CARROT = [sys.executable, "-m", "carrot"]
LONG = os.environ.get("CARROT_LONG_TESTS", "0") not in ("", "0")


def run_carrot(*args: str, cwd: Path | None = None, timeout: float = 60, env=None):
    """Run ``carrot ARGS`` and return the completed process (text mode)."""
    return subprocess.run(
        [*CARROT, *args],
        capture_output=True,
        text=True,
        cwd=cwd,
        timeout=timeout,
        stdin=subprocess.DEVNULL,
        env=env,
    )


@pytest.fixture
def carrot():
    """``carrot(*args)`` runs the installed ``carrot`` and returns the finished process."""
    return run_carrot
