"""A small fake course for testing the course tool: two stages, three exercises.

The fake repository has the real root conftest.py and pytest settings and the real
tools, so the tool runs on it exactly as it runs on the project.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
import textwrap
from pathlib import Path

TOOLS = Path(__file__).resolve().parent.parent
REPO = TOOLS.parent

PYPROJECT = """\
[tool.pytest.ini_options]
addopts = "--import-mode=importlib -ra"
markers = [
    "exercise(id): the test checks the code a learner writes in exercise ID",
]
filterwarnings = ["error::pytest.PytestUnknownMarkWarning"]
"""

FILES = {
    "packages/dvm/pyproject.toml": """\
        [build-system]
        requires = ["setuptools"]
        build-backend = "setuptools.build_meta"

        [project]
        name = "dvm"
        version = "0.1.0"
        requires-python = ">=3.11"

        [project.scripts]
        dvm = "dvm.cli:main"

        [tool.setuptools.packages.find]
        where = ["src"]
        """,
    "packages/dvm/exercises.toml": """\
        [[exercise]]
        id = "dvm-add"
        title = "Add two numbers"
        files = ["src/dvm/ops.py"]

        [[exercise]]
        id = "dvm-mul"
        title = "Multiply two numbers"
        files = ["src/dvm/ops.py"]
        points = 20
        """,
    "packages/dvm/src/dvm/__init__.py": '''\
        """A fake stage one."""
        ''',
    "packages/dvm/src/dvm/ops.py": '''\
        """Operations."""


        def add(a, b):
            """The sum."""
            # exercise-start: dvm-add
            total = a + b
            return total
            # exercise-end: dvm-add


        def mul(a, b):
            # exercise-start: dvm-mul
            return a * b
            # exercise-end: dvm-mul


        def neg(a):
            return -a
        ''',
    "packages/dvm/src/dvm/cli.py": """\
        import sys

        from dvm.ops import add


        def main():
            print(add(int(sys.argv[1]), int(sys.argv[2])))
            return 0
        """,
    "packages/dvm/tests/test_ops.py": """\
        import subprocess

        import pytest

        from dvm.ops import add, mul, neg


        @pytest.mark.exercise("dvm-add")
        def test_add():
            assert add(2, 3) == 5


        @pytest.mark.exercise("dvm-add")
        def test_command_adds():
            out = subprocess.run(["dvm", "2", "2"], capture_output=True, text=True)
            assert out.stdout == "4\\n"


        @pytest.mark.exercise("dvm-mul")
        def test_mul():
            assert mul(2, 3) == 6


        def test_neg():
            assert neg(2) == -2
        """,
    "packages/vdbe-core/pyproject.toml": """\
        [build-system]
        requires = ["setuptools"]
        build-backend = "setuptools.build_meta"

        [project]
        name = "vdbe-core"
        version = "0.1.0"
        dependencies = ["dvm>=0.1"]

        [tool.setuptools.packages.find]
        where = ["src"]
        """,
    "packages/vdbe-core/exercises.toml": """\
        [[exercise]]
        id = "vdbe-twice"
        title = "Double a number"
        files = ["src/vdbe/more.py"]
        """,
    "packages/vdbe-core/src/vdbe/__init__.py": "",
    "packages/vdbe-core/src/vdbe/more.py": """\
        from dvm.ops import add


        class Doubler:
            def twice(self, x):
                # exercise-start: vdbe-twice
                return add(x, x)
                # exercise-end: vdbe-twice
        """,
    "packages/vdbe-core/tests/test_more.py": """\
        import pytest

        from vdbe.more import Doubler


        # A "/" in a parameter id: pytest cannot select such a test by node id on its
        # command line, so the check must select it another way.
        @pytest.mark.exercise("vdbe-twice")
        @pytest.mark.parametrize("x", [4, 5], ids=["cases/four", "cases/five"])
        def test_twice(x):
            assert Doubler().twice(x) == 2 * x


        def test_doubler_exists():
            assert Doubler() is not None
        """,
}


def write_fake_course(root: Path, files: dict[str, str] | None = None) -> Path:
    """Write the fake course (with changes from `files`) into root as a git checkout."""
    root.mkdir(parents=True, exist_ok=True)
    (root / "pyproject.toml").write_text(PYPROJECT)
    shutil.copy(REPO / "conftest.py", root / "conftest.py")
    (root / "tools").mkdir()
    for module in TOOLS.glob("course*.py"):
        shutil.copy(module, root / "tools" / module.name)
    for name, text in {**FILES, **(files or {})}.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(textwrap.dedent(text))
    git = ["git", "-C", str(root), "-c", "user.name=t", "-c", "user.email=t@example.invalid"]
    subprocess.run([*git, "init", "-q"], check=True)
    subprocess.run([*git, "add", "."], check=True)
    subprocess.run([*git, "commit", "-q", "-m", "fake course"], check=True)
    return root


def run_course(*args: str, cwd: Path | None = None) -> subprocess.CompletedProcess:
    """Run tools/course.py as a learner or instructor would."""
    return subprocess.run(
        [sys.executable, str(TOOLS / "course.py"), *args],
        capture_output=True,
        text=True,
        cwd=cwd,
        timeout=600,
    )
