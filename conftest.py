"""pytest settings shared by every stage's tests.

``CARROT_WITHOUT_POSIX=1`` runs the tests as on a system without ``fcntl`` and
``readline`` (Windows): both modules are made unimportable before any package loads.
vdbe-core's tests then put files under the Windows lock layer, driven through a model of
the Win32 calls (``vdbe.storage.windows_model``).

``VDBE_SQLITE=MODULE`` compiles with the SQLite another module bundles (see
``vdbe.sqlite_library``); the tests' oracle, ``import sqlite3``, is then that module too,
so the VM is compared with the SQLite that compiled its programs.

Under Pyodide (``sys.platform == "emscripten"``, see ``tools/pyodide_tests.py``) no process,
thread or terminal can be started: a test that tries is skipped there, not failed.

``--exercise ID`` keeps only the tests marked ``@pytest.mark.exercise("ID")``, the tests
of one exercise (``python tools/course.py test ID`` passes it). The marker itself is
registered in the root pyproject.toml.
"""

from __future__ import annotations

import os
import sys

import pytest

if os.environ.get("CARROT_WITHOUT_POSIX"):
    sys.modules["fcntl"] = None  # `import fcntl` now raises ImportError, as on Windows
    sys.modules["readline"] = None

if os.environ.get("VDBE_SQLITE"):
    import sqlite3.dump  # noqa: F401 - the standard library's dump stays importable

    from vdbe.sqlite_library import sqlite3 as compiling

    sys.modules["sqlite3"] = compiling


@pytest.fixture(autouse=sys.platform == "emscripten")
def no_processes_under_pyodide(monkeypatch):
    """Pyodide's Python runs in one WebAssembly instance: no processes, threads, terminals."""
    import pty
    import subprocess
    import threading

    def refuse(*args, **kwargs):
        pytest.skip("starts a process, thread or terminal, which Pyodide's Python cannot do")

    monkeypatch.setattr(subprocess.Popen, "__init__", refuse)
    monkeypatch.setattr(threading.Thread, "start", refuse)
    monkeypatch.setattr(pty, "fork", refuse)
    monkeypatch.setattr(pty, "openpty", refuse)


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption(
        "--exercise",
        action="append",
        default=[],
        metavar="ID",
        help='run only the tests marked @pytest.mark.exercise("ID") (may be repeated)',
    )


def exercise_ids(item: pytest.Item) -> set[str]:
    """The exercises a test belongs to."""
    ids = set()
    for marker in item.iter_markers("exercise"):
        if len(marker.args) != 1 or not isinstance(marker.args[0], str):
            raise pytest.UsageError(
                f'{item.nodeid}: write the marker as @pytest.mark.exercise("ID"), '
                f"not with {marker.args!r}"
            )
        ids.add(marker.args[0])
    return ids


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    wanted = set(config.getoption("exercise"))
    kept, dropped = [], []
    for item in items:
        (kept if exercise_ids(item) & wanted or not wanted else dropped).append(item)
    if dropped:
        config.hook.pytest_deselected(items=dropped)
        items[:] = kept
