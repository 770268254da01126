"""Shared test setup for the dvm package.

The tests always exercise the source tree they sit next to (not some other installed
copy), both in-process and through `python -m dvm` in a subprocess.
"""

import os
import subprocess
import sys
from pathlib import Path

import pytest
from hypothesis import HealthCheck, settings

PACKAGE_DIR = Path(__file__).resolve().parents[1]
SOURCE_DIR = PACKAGE_DIR / "src"
sys.path.insert(0, str(SOURCE_DIR))

settings.register_profile("dev", max_examples=150, deadline=None)
settings.register_profile(
    "ci", max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow]
)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "dev"))


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line("markers", "exercise(id): the test checks exercise ID")


def dvm_environment() -> dict[str, str]:
    """The environment for a subprocess that must import this source tree's dvm."""
    environment = dict(os.environ)
    paths = [str(SOURCE_DIR), environment.get("PYTHONPATH", "")]
    environment["PYTHONPATH"] = os.pathsep.join(path for path in paths if path)
    return environment


DVM_COMMAND = [sys.executable, "-m", "dvm"]


@pytest.fixture
def dvm_command() -> list[str]:
    """The command that runs this tree's dvm: `python -m dvm` (PYTHONPATH is set)."""
    return DVM_COMMAND


@pytest.fixture
def run_dvm():
    """Run `python -m dvm ARGS...` with optional standard input; return the result."""

    def run(*arguments: str, stdin: str = "") -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [*DVM_COMMAND, *arguments],
            input=stdin,
            capture_output=True,
            text=True,
            timeout=60,
            env=dvm_environment(),
        )

    return run


@pytest.fixture
def dvm_env() -> dict[str, str]:
    return dvm_environment()
