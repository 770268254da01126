"""Shared settings for vdbe-core's tests.

Property tests draw fresh random examples on a developer's machine (profile ``dev``);
under tox (``HYPOTHESIS_PROFILE=ci``) they draw a fixed sequence, so that a CI run is
repeatable. Set ``HYPOTHESIS_PROFILE=dev`` to explore.
"""

import os
import shutil
import sqlite3
import sys
from pathlib import Path

import pytest
from hypothesis import settings

# tests/ is not a package: a test module that uses another's helpers (the differential
# corpus's harness, say) imports it by its file name from here.
sys.path.insert(0, str(Path(__file__).parent))

settings.register_profile("dev", deadline=None)
settings.register_profile("ci", deadline=None, derandomize=True, print_blob=True)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "dev"))


@pytest.fixture(scope="module")
def db():
    """Real SQLite in memory: the oracle the value and function tests compare with."""
    conn = sqlite3.connect(":memory:")
    conn.text_factory = lambda b: b.decode("utf-8", "replace")
    yield conn
    conn.close()


@pytest.fixture(autouse=True)
def sqlite_shell(request):
    """Tests marked `sqlite_shell` compare with the real sqlite3 command. Without it they
    skip on a developer's machine, and fail under CI (the CI variable set), where a
    missing shell would otherwise hide the comparison in silence."""
    if not request.node.get_closest_marker("sqlite_shell") or shutil.which("sqlite3"):
        return
    if os.environ.get("CI", "") not in ("", "0", "false"):
        pytest.fail("the sqlite3 command is needed here: install it (apt install sqlite3)")
    pytest.skip("the sqlite3 command is not installed")


@pytest.fixture(autouse=True)
def windows_locks_without_fcntl(request, monkeypatch):
    """Where fcntl is missing (CARROT_WITHOUT_POSIX=1 here), files take Windows' locks,
    through a model of the Win32 calls shared by every connection of the test. Tests marked
    `system_locks` need locks another process sees, so they do not run then."""
    if sys.modules.get("fcntl", True) is not None:
        return
    if request.node.get_closest_marker("system_locks"):
        pytest.skip("needs locks that another process sees (fcntl is hidden)")
    from vdbe.storage import system
    from vdbe.storage.windows_model import Kernel32Model

    model = Kernel32Model()
    monkeypatch.setattr(system, "native_locks", lambda: model.layer)
