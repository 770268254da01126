#!/usr/bin/env python3
"""Run the pure-Python test suites under Pyodide's Python (WebAssembly) in node.

    python tools/pyodide_tests.py WHEEL_DIR [pytest arguments...]

Pyodide is the playground's pinned copy (tools/playground/package.json, installed with
npm ci by ``playground_assets.install``). pytest, hypothesis and their dependencies are
pure-Python wheels, downloaded from PyPI into WHEEL_DIR once and put on Pyodide's
sys.path; ``tools/pyodide_pytest.mjs`` mounts the checkout and runs pytest there.

Where node or npm is missing the run is skipped with a message (exit status 0). Pyodide
has no processes and no terminals: the root conftest skips the tests that start them.
Its `sqlite3` module is a separate download from Pyodide's CDN, which this does not
fetch, so only suites that need no SQLite run here.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

from playground_assets import PYODIDE_DIR, install

RUNNER = Path(__file__).with_name("pyodide_pytest.mjs")
TEST_TOOLS = ("pytest", "hypothesis")


def fetch_wheels(target: Path) -> None:
    """Pure-Python wheels of the test tools, for any platform (Pyodide's included)."""
    if any(target.glob("pytest-*.whl")):
        return
    command = [sys.executable, "-m", "pip", "download", "--quiet", "--only-binary=:all:"]
    command += ["--platform", "any", "--implementation", "py", "--abi", "none"]
    command += ["--python-version", "3.14", "--dest", str(target), *TEST_TOOLS]
    subprocess.run(command, check=True)


def main(argv: list[str]) -> int:
    if len(argv) < 1:
        print(__doc__, file=sys.stderr)
        return 2
    node = shutil.which("node")
    if node is None or shutil.which("npm") is None:
        print("pyodide tests skipped: node and npm are needed to run Pyodide")
        return 0
    if install() != 0:
        return 1
    wheels = Path(argv[0])
    wheels.mkdir(parents=True, exist_ok=True)
    fetch_wheels(wheels)
    return subprocess.run([node, str(RUNNER), str(PYODIDE_DIR), str(wheels), *argv[1:]]).returncode


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
