"""The README's example, the stage-4 chapters' shown output, and installing from wheels."""

from __future__ import annotations

import os
import sqlite3
import subprocess
import sys
import venv
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[3]
EXAMPLE = REPO / "examples" / "bank.carrot"
STAGE4 = REPO / "docs" / "stage4"


@pytest.mark.exercise("txn-abort")
@pytest.mark.exercise("txn-commit-returns")
@pytest.mark.exercise("txn-create-table")
@pytest.mark.exercise("txn-persistent-scalars")
def test_readme_example_prints_what_the_docs_show(carrot):
    result = carrot(str(EXAMPLE))
    assert (result.returncode, result.stderr) == (0, "")
    assert result.stdout == (REPO / "examples" / "bank.expected").read_text()


@pytest.mark.exercise("txn-abort")
@pytest.mark.exercise("txn-commit-returns")
@pytest.mark.exercise("txn-create-table")
@pytest.mark.exercise("txn-persistent-scalars")
def test_bank_file_reads_back_in_sqlite_as_the_docs_show(carrot, tmp_path):
    db = tmp_path / "bank.db"
    assert carrot("run", str(EXAMPLE), "--db", str(db)).returncode == 0
    with sqlite3.connect(db) as conn:
        assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        rows = conn.execute("SELECT key, value FROM balances").fetchall()
    shown = (STAGE4 / "bank.sqlite3.txt").read_text()
    assert shown == "".join(f"{k}|{v}\n" for k, v in rows)


@pytest.mark.exercise("txn-commit-returns")
def test_explain_listing_in_the_docs_is_current(carrot):
    result = carrot("explain", str(STAGE4 / "sell.carrot"))
    assert result.returncode == 0, result.stderr
    assert result.stdout == (STAGE4 / "sell.explain").read_text()


@pytest.mark.exercise("txn-commit-returns")
def test_original_design_program_runs_verbatim(carrot):
    program = (
        REPO / "packages" / "carrot-lang" / "tests" / "golden" / "txn" / "original_design.carrot"
    )
    result = carrot(str(program))
    assert (result.returncode, result.stdout, result.stderr) == (0, "Hello world\n", "")


@pytest.mark.skipif(sys.platform == "win32", reason="POSIX paths in the venv")
@pytest.mark.exercise("txn-commit-returns")
@pytest.mark.exercise("txn-create-table")
@pytest.mark.exercise("txn-persistent-scalars")
def test_wheels_install_carrot_with_txn_extra(tmp_path):
    """`pip install "carrot-lang[txn]"` from wheels built here gives a working carrot."""
    wheels = tmp_path / "wheels"
    packages = [REPO / "packages" / name for name in ("vdbe-core", "carrot-lang", "carrot-txn")]
    subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--quiet", "--no-deps", "-w", wheels, *packages],
        check=True,
        timeout=600,
    )
    # a clean environment: nothing of this checkout may leak into the new venv
    clean = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "PYTHONHOME")}
    env_dir = tmp_path / "venv"
    venv.EnvBuilder(with_pip=True).create(env_dir)
    python = env_dir / "bin" / "python"
    subprocess.run(
        [
            python,
            "-m",
            "pip",
            "install",
            "--quiet",
            "--no-index",
            "--find-links",
            wheels,
            "carrot-lang[txn]",
        ],
        check=True,
        timeout=600,
        env=clean,
    )
    db = tmp_path / "bank.db"
    program = tmp_path / "p.carrot"
    program.write_text(
        (REPO / "packages/carrot-lang/tests/golden/txn/original_design.carrot").read_text()
        + "db.accounts.alice = 100;\n"
    )
    done = subprocess.run(
        [env_dir / "bin" / "carrot", "run", program, "--db", db],
        capture_output=True,
        text=True,
        timeout=120,
        env=clean,
    )
    assert (done.returncode, done.stdout, done.stderr) == (0, "Hello world\n", "")
    with sqlite3.connect(db) as conn:
        assert conn.execute("SELECT key, value FROM accounts").fetchall() == [("alice", 100)]
