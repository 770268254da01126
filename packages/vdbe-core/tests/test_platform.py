"""Running where POSIX is not: without fcntl or readline, and with paths no shell likes.

Windows has neither `fcntl` nor `readline`. Every module of the four packages must still
import there; in-memory databases must work on any system; and opening a file on a system
with no byte-range locks at all must say what is missing.
"""

from __future__ import annotations

import importlib.util
import os
import sqlite3
import subprocess
import sys

import pytest

HIDE_POSIX = "import sys; sys.modules['fcntl'] = None; sys.modules['readline'] = None\n"

IMPORT_ALL = """
import importlib, pkgutil
package = importlib.import_module(NAME)
for info in pkgutil.walk_packages(package.__path__, NAME + "."):
    if info.name.endswith(".__main__"):
        continue  # importing it would run the command
    try:
        importlib.import_module(info.name)
    except ModuleNotFoundError as missing:  # an optional extra (pygments) is fine
        if missing.name in sys.stdlib_module_names:
            raise
print("imported", NAME)
"""

VDBE_WITHOUT_FCNTL = HIDE_POSIX + "from vdbe.cli import main; sys.exit(main(sys.argv[1:]))"


def run_python(code: str, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-c", code, *args], capture_output=True, text=True, timeout=120
    )


@pytest.mark.parametrize("name", ["dvm", "vdbe", "carrot", "carrot_txn"])
def test_every_module_imports_without_fcntl_and_readline(name):
    if importlib.util.find_spec(name) is None:
        pytest.skip(f"{name} is not installed in this environment")
    done = run_python(HIDE_POSIX + f"NAME = {name!r}\n" + IMPORT_ALL)
    assert done.stderr == ""
    assert done.stdout == f"imported {name}\n"


def test_without_any_lock_primitive_memory_works_and_files_say_what_is_missing(tmp_path):
    done = run_python(VDBE_WITHOUT_FCNTL, "sql", "SELECT 6 * 7")
    assert (done.returncode, done.stdout) == (0, "42\n")
    path = str(tmp_path / "locked out.db")
    done = run_python(VDBE_WITHOUT_FCNTL, "sql", "--db", path, "SELECT 1")
    assert done.returncode == 1
    assert f"unable to open database file {path}" in done.stderr
    assert "fcntl" in done.stderr and "LockFileEx" in done.stderr
    assert "in-memory databases still work" in done.stderr
    assert "Traceback" not in done.stderr
    assert not os.path.exists(path)  # nothing was created


def test_a_database_in_a_folder_with_spaces_and_accents(tmp_path):
    folder = tmp_path / "données partagées"
    folder.mkdir()
    path = str(folder / "añadir ü.db")
    con = sqlite3.connect(path)
    con.execute("CREATE TABLE t(x)")
    con.commit()
    con.close()
    vdbe = [sys.executable, "-m", "vdbe", "sql", "--db", path]
    done = subprocess.run([*vdbe, "INSERT INTO t VALUES ('é')"], capture_output=True, timeout=60)
    assert done.returncode == 0, done.stderr
    con = sqlite3.connect(path)
    assert con.execute("SELECT x FROM t").fetchall() == [("é",)]
    assert con.execute("PRAGMA integrity_check").fetchone() == ("ok",)
    con.close()
