"""Fixtures for the course tool's tests."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

HERE = Path(__file__).resolve().parent
sys.path[:0] = [str(HERE), str(HERE.parent)]

from fake_course import write_fake_course  # noqa: E402


@pytest.fixture
def fake_course(tmp_path: Path) -> Path:
    return write_fake_course(tmp_path / "course")
