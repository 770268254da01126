"""Following the SQLite that compiles: its release, how it was built, and the module.

The differential suites compare with whatever SQLite `vdbe.sqlite_library` loads; the
tox environments sqlite-pysqlite3, sqlite-sqlean and sqlite-apsw run them with SQLite
3.51, 3.50 and 3.54. These tests pin the version-dependent pieces on any installed SQLite.
"""

from __future__ import annotations

import contextlib
import os
import subprocess
import sys
from pathlib import Path

import pytest
from vdbe.functions import aggregates
from vdbe.functions.aggregates import CompensatedAvg, CompensatedSum, CompensatedTotal, Sum
from vdbe.sqlite_library import sqlite3


def summed(cls, values):
    acc = cls()
    for value in values:
        acc.step(value)
    return acc.final()


def test_releases_from_3_43_keep_an_error_term_in_real_sums():
    assert aggregates._sums_of((3, 42, 0))["sum"] is Sum
    assert aggregates._sums_of((3, 43, 0))["sum"] is CompensatedSum
    tenths = [0.1] * 10
    assert summed(Sum, tenths) == 0.9999999999999999  # what 3.42 and earlier return
    assert summed(CompensatedSum, tenths) == 1.0
    assert summed(CompensatedAvg, tenths) == 0.1
    assert summed(CompensatedTotal, []) == 0.0


def test_compensated_sums_stay_exact_for_integers_and_refuse_overflow():
    big = 2**62
    assert summed(CompensatedSum, [big, -big, 7]) == 7
    assert summed(CompensatedTotal, [2**53, 1]) == float(2**53)  # the exact sum, then REAL
    with pytest.raises(Exception, match="integer overflow"):
        summed(CompensatedSum, [big, big])
    assert summed(CompensatedTotal, [big, big]) == 2.0**63  # total() never overflows


def test_window_frames_take_values_back_out():
    acc = CompensatedSum()
    for value in (0.1, 0.2, 0.3):
        acc.step(value)
    acc.inverse(0.1)
    assert acc.value() == 0.5


@pytest.mark.skipif(sqlite3.sqlite_version_info < (3, 43, 0), reason="needs SQLite 3.43+")
def test_compensated_sums_match_the_sqlite_that_compiles():
    con = sqlite3.connect(":memory:")
    values = [0.1] * 10 + [1e100, 1.0, -1e100] + [3, 2**60]
    rows = ", ".join("(?)" for _ in values)
    query = f"SELECT sum(column1), total(column1), avg(column1) FROM (VALUES {rows})"
    expected = con.execute(query, values).fetchone()
    got = tuple(summed(cls, values) for cls in (CompensatedSum, CompensatedTotal, CompensatedAvg))
    assert got == expected


def test_a_module_that_is_not_installed_is_named():
    done = subprocess.run(
        [sys.executable, "-m", "vdbe", "sql", "SELECT 1"],
        capture_output=True,
        text=True,
        env={**os.environ, "VDBE_SQLITE": "pysqlite3_not_here"},
    )
    assert done.returncode == 1
    assert "VDBE_SQLITE=pysqlite3_not_here: no such module" in done.stderr
    assert "Traceback" not in done.stderr


def test_without_any_sqlite_programs_still_run_from_their_listings():
    """A Python built without sqlite3 (Pyodide before its package loads) cannot compile
    SQL, but runs listings, sum() included, with 3.40's rules."""
    listing = str(Path(__file__).parent / "programs" / "aggregate.vdbe")
    code = "import sys; sys.modules['sqlite3'] = None; from vdbe.cli import main; "
    code += "sys.exit(main(sys.argv[1:]))"
    env = {name: value for name, value in os.environ.items() if name != "VDBE_SQLITE"}

    def vdbe(*args):
        return subprocess.run([sys.executable, "-c", code, *args], capture_output=True, env=env)

    version = vdbe("--version")
    assert b"compiling with no SQLite (this Python has no sqlite3 module)" in version.stdout
    ran = vdbe("run", listing)
    assert (ran.returncode, ran.stdout) == (0, b"10\n")


FOLLOWED_CHANGES = [
    "SELECT log10(1000), log2(1024), log(100), log10(2), log(2, 8)",  # 3.41
    "SELECT 'a' LIKE x'61', x'61' LIKE 'a', NULL LIKE x'', x'' LIKE NULL",  # build option
    "SELECT glob(x'61', 'a'), glob(NULL, x'6162')",  # LIKE_DOESNT_MATCH_BLOBS
    "SELECT quote(9e999), quote(-9e999), quote(1.5)",  # 3.45
    "SELECT sum(column1), total(column1), avg(column1) FROM (VALUES (0.1), (0.2), (0.3))",
]


@pytest.mark.parametrize("sql", FOLLOWED_CHANGES)
def test_the_vm_answers_as_the_sqlite_that_compiles(sql):
    """Run by the default env against 3.40, by sqlite-pysqlite3, -sqlean and -apsw against
    3.51, 3.50 and 3.54."""
    from vdbe import dbapi

    want = sqlite3.connect(":memory:").execute(sql).fetchall()
    assert dbapi.connect(":memory:").execute(sql).fetchall() == want


def _keeps_samples() -> bool:
    options = sqlite3.connect(":memory:").execute("PRAGMA compile_options").fetchall()
    return ("ENABLE_STAT4",) in options


@pytest.mark.skipif(not _keeps_samples(), reason="this SQLite is built without STAT4")
def test_analyze_keeps_the_samples_sqlite_keeps(tmp_path):
    """Builds with SQLITE_ENABLE_STAT4 (every package on PyPI that bundles a SQLite)
    keep 24 samples per index in sqlite_stat4: with thousands of skewed rows, samples
    are pushed out and promoted, and the VM must keep the same ones."""
    from vdbe.connection import Connection

    rows = [((i * i) % 11 if i % 5 else 3, i % 13, i // 40) for i in range(3000)]
    oracle, mine = tmp_path / "oracle.db", tmp_path / "vm.db"
    con = sqlite3.connect(oracle)
    con.executescript(
        "CREATE TABLE t(a, b, c); CREATE INDEX t_ab ON t(a, b); CREATE INDEX t_c ON t(c);"
        "CREATE TABLE w(k PRIMARY KEY, v) WITHOUT ROWID; CREATE INDEX w_v ON w(v);"
    )
    con.executemany("INSERT INTO t VALUES (?, ?, ?)", rows)
    con.executemany("INSERT INTO w VALUES (?, ?)", [(i, i * i % 101) for i in range(500)])
    con.commit()
    con.close()
    mine.write_bytes(oracle.read_bytes())
    con = sqlite3.connect(oracle)
    con.execute("ANALYZE")
    con.commit()
    con.close()
    vm = Connection(str(mine))
    list(vm.execute("ANALYZE"))
    vm.close()

    def stats(path):
        with contextlib.closing(sqlite3.connect(path)) as con:
            return [
                con.execute(f"SELECT * FROM {table} ORDER BY rowid").fetchall()
                for table in ("sqlite_stat1", "sqlite_stat4")
            ]

    theirs = stats(oracle)
    assert len(theirs[1]) > 3 * 24 - 10  # most indexes filled all their places
    assert stats(mine) == theirs


@pytest.mark.skipif(sqlite3.sqlite_version_info < (3, 45, 0), reason="needs SQLite 3.45+")
def test_an_ordered_aggregate_keeps_json_arguments_json():
    """3.45 and later store an ordered aggregate's arguments with GetSubtype and read
    them back with SetSubtype, so json() arguments nest instead of being quoted."""
    from vdbe import dbapi

    sql = """WITH v(x, y) AS (VALUES ('[1]', 2), ('{"a":2}', 1), ('3', 3))
        SELECT json_group_array(json(x) ORDER BY y), json_group_array(x ORDER BY y),
               json_group_object(y, json(x) ORDER BY y DESC) FROM v"""
    want = sqlite3.connect(":memory:").execute(sql).fetchall()
    assert want[0][0] == '[{"a":2},[1],3]'
    assert dbapi.connect(":memory:").execute(sql).fetchall() == want
