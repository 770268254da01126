"""VDBE_REFERENCE=1: `vdbe sql` runs the plain codecs a learner writes, and gives the same rows.

The varint codec and `decode_column` each have a fast twin that the VM runs by default.
These tests run `vdbe sql` both ways on a file SQLite wrote, and then run it on a copy of
the package whose plain codec is taken out, to show that the plain run really used it.
"""

from __future__ import annotations

import os
import re
import shutil
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest
import vdbe

QUERY = "SELECT a, quote(b), c, d, typeof(b), length(b) FROM t WHERE a < 50 OR a > 250 ORDER BY a"


@pytest.fixture(scope="module")
def database(tmp_path_factory) -> Path:
    """A table whose rows need multi-byte varints: long texts, big and negative numbers,
    blobs, NULLs, and a column added by ALTER TABLE (its default fills older rows)."""
    path = tmp_path_factory.mktemp("plain") / "t.db"
    with sqlite3.connect(path) as con:
        con.execute("CREATE TABLE t(a, b, c)")
        rows = [(i, "x" * (i * 3), i * 1.5 if i % 2 else None) for i in range(0, 300, 7)]
        rows += [(-5, b"\x00\x01\xff", 2**60), (-(2**63), "", -1), (2**63 - 1, None, 0)]
        con.executemany("INSERT INTO t VALUES (?, ?, ?)", rows)
        con.execute("ALTER TABLE t ADD COLUMN d DEFAULT 42")
        con.execute("INSERT INTO t VALUES (1, 2, 3, 4)")
    return path


def vdbe_sql(database: Path, plain: bool, package_root: Path | None = None):
    env = dict(os.environ, VDBE_REFERENCE="1" if plain else "0")
    if package_root is not None:
        env["PYTHONPATH"] = os.pathsep.join(
            filter(None, [str(package_root), env.get("PYTHONPATH")])
        )
    return subprocess.run(
        [sys.executable, "-m", "vdbe", "sql", "--db", str(database), QUERY],
        capture_output=True,
        text=True,
        env=env,
        timeout=120,
    )


def without_exercise(tmp_path: Path, exercise: str) -> Path:
    """A copy of the vdbe package with the code of `exercise` replaced by a raise."""
    root = tmp_path / "src"
    copy = root / "vdbe"
    shutil.copytree(Path(vdbe.__file__).parent, copy, ignore=shutil.ignore_patterns("__pycache__"))
    region = re.compile(
        rf"^([ \t]*)# exercise-start: {exercise}\n.*?^[ \t]*# exercise-end: {exercise}\n",
        re.MULTILINE | re.DOTALL,
    )
    taken_out = 0
    for path in copy.rglob("*.py"):
        text = path.read_text()
        new, count = region.subn(r"\1raise NotImplementedError\n", text)
        if count:
            path.write_text(new)
            taken_out += count
    assert taken_out, f"no region of {exercise} found"
    return root


@pytest.mark.exercise("vdbe-varint")
@pytest.mark.exercise("vdbe-column")
def test_plain_codecs_give_the_rows_of_the_fast_ones(database):
    fast = vdbe_sql(database, plain=False)
    plain = vdbe_sql(database, plain=True)
    assert fast.returncode == 0, fast.stderr
    assert plain.returncode == 0, plain.stderr
    assert plain.stdout == fast.stdout
    expected_rows = sqlite3.connect(database).execute(QUERY).fetchall()
    assert len(fast.stdout.splitlines()) == len(expected_rows)
    assert "1|2|3|4|integer|1" in fast.stdout.splitlines()
    assert "0|''||42|text|0" in fast.stdout.splitlines()


@pytest.mark.parametrize("exercise", ["vdbe-varint", "vdbe-column"])
def test_taking_the_plain_codec_out_breaks_only_the_plain_run(database, tmp_path, exercise):
    root = without_exercise(tmp_path, exercise)
    expected = vdbe_sql(database, plain=False).stdout
    fast = vdbe_sql(database, plain=False, package_root=root)
    plain = vdbe_sql(database, plain=True, package_root=root)
    assert fast.returncode == 0, fast.stderr
    assert fast.stdout == expected
    assert plain.returncode != 0
    assert plain.stdout != expected
