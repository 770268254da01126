"""Damaged database files under `carrot --db`: a runtime error, never a traceback.

A file made by real SQLite holds Carrot's persistent tables (``key``/``value``, WITHOUT
ROWID: small ints, and strings long enough to spill onto overflow pages) beside an
ordinary SQL table. Copies of it are damaged at random (bytes overwritten, most often in
page headers and cell pointers; a page zeroed; the file cut short), then a program walks
every persistent table, changes them in a transactional call and at top level, and
prints what it found. It runs through the ``carrot`` command's ``main()`` in this process
(``vdbe.harness``): only exit status 0 or 70 (a runtime error such as ``database disk
image is malformed``), no traceback, no ``internal error``, within 10 seconds and 1 GB.

CARROT_FUZZ_FILES sets the number of files (10,000 with CARROT_LONG_TESTS=1).
"""

from __future__ import annotations

import os
import random
import sqlite3
from collections import Counter
from pathlib import Path

import pytest
from carrot.cli import main
from vdbe.harness import Hang, memory_budget, run_main

LONG = os.environ.get("CARROT_LONG_TESTS", "0") not in ("", "0")
CASES = int(os.environ.get("CARROT_FUZZ_FILES", "10000" if LONG else "40"))

PROGRAM = """
let n = 0;
let total = 0;
for k, v in db.bank { n = n + 1; total = total + v; }
for k, v in db.names { n = n + len(v); }
txn fn change() {
    db.bank[7] = db.bank[7] + 1;
    db.names["new"] = "x";
    db.fresh[n] = total;
}
change();
db.bank[8] = null;
print(n, total, db.bank[3], db.names["k5"]);
"""


@pytest.fixture(scope="module")
def originals(tmp_path_factory) -> dict[int, bytes]:
    out = {}
    for page_size in (512, 4096):
        path = tmp_path_factory.mktemp("carrot-fuzz") / f"orig{page_size}.db"
        con = sqlite3.connect(path)
        con.execute(f"PRAGMA page_size={page_size}")
        for table in ("bank", "names"):
            con.execute(f"CREATE TABLE {table}(key PRIMARY KEY, value) WITHOUT ROWID")
        con.execute("CREATE TABLE t(a INTEGER PRIMARY KEY, b TEXT)")
        rng = random.Random(page_size)
        con.executemany("INSERT INTO bank VALUES (?, ?)", [(k, k * 10) for k in range(300)])
        con.executemany(
            "INSERT INTO names VALUES (?, ?)",
            [(f"k{k}", "v" * rng.choice([1, 50, 700, 3000])) for k in range(60)],
        )
        con.executemany("INSERT INTO t VALUES (?, ?)", [(i, f"row {i}") for i in range(200)])
        con.commit()
        con.close()
        out[page_size] = path.read_bytes()
    return out


def damage(data: bytes, rng: random.Random, page_size: int) -> bytes:
    buf = bytearray(data)
    pages = len(buf) // page_size
    how = rng.random()
    if how < 0.1:
        return bytes(buf[: rng.randrange(100, len(buf))])
    if how < 0.2:
        p = rng.randrange(1, pages)
        buf[p * page_size : (p + 1) * page_size] = bytes(page_size)
        return bytes(buf)
    for _ in range(rng.randint(1, 6)):
        p = rng.randrange(pages)
        start = p * page_size + (100 if p == 0 else 0)
        if rng.random() < 0.6:  # the page header and its cell pointers
            off = start + rng.randrange(24)
        else:
            off = p * page_size + rng.randrange(page_size)
        n = rng.randint(1, 4)
        buf[off : off + n] = rng.randbytes(n)[: len(buf) - off]
    return bytes(buf)


@pytest.mark.exercise("txn-commit-returns")
@pytest.mark.exercise("txn-persistent-scalars")
@pytest.mark.exercise("txn-create-table")
def test_damaged_files_under_carrot(originals, tmp_path):
    rng = random.Random(20261207)
    program = tmp_path / "walk.carrot"
    program.write_text(PROGRAM)
    path = tmp_path / "case.db"
    statuses = Counter()
    with memory_budget():
        for case in range(CASES):
            page_size = rng.choice([512, 4096])
            path.write_bytes(damage(originals[page_size], rng, page_size))
            try:
                outcome = run_main(main, ["run", str(program), "--db", str(path)])
            except Hang:
                pytest.fail(f"case {case} ran over 10 seconds")
            assert outcome.status in (0, 70) and outcome.clean, (case, outcome)
            statuses[outcome.status] += 1
            Path(f"{path}-journal").unlink(missing_ok=True)
    print(CASES, "files:", dict(statuses))
    assert statuses[0] and statuses[70], statuses


def test_a_record_shorter_than_its_table_reads_as_null(tmp_path):
    """Rows written before ALTER TABLE ADD COLUMN hold one field fewer: SQLite reads the
    missing value as NULL, and so does Carrot."""
    path = tmp_path / "altered.db"
    con = sqlite3.connect(path)
    con.execute("CREATE TABLE bank(key PRIMARY KEY) WITHOUT ROWID")
    con.execute("INSERT INTO bank VALUES (1)")
    con.execute("ALTER TABLE bank ADD COLUMN value")
    con.execute("INSERT INTO bank VALUES (2, 20)")
    con.commit()
    con.close()
    program = tmp_path / "read.carrot"
    program.write_text("print(db.bank[1], db.bank[2]);\n")
    outcome = run_main(main, ["run", str(program), "--db", str(path)])
    assert (outcome.status, outcome.out, outcome.err) == (0, "null 20\n", "")


def test_a_blob_in_a_persistent_table_is_a_runtime_error(tmp_path):
    """SQL may store a BLOB where Carrot keeps its values, or a damaged file may seem to
    hold one: Carrot has no value for it, and says so."""
    path = tmp_path / "blob.db"
    con = sqlite3.connect(path)
    con.execute("CREATE TABLE kv(key PRIMARY KEY, value) WITHOUT ROWID")
    con.execute("INSERT INTO kv VALUES ('b', x'00ff'), (x'01', 1)")
    con.commit()
    con.close()
    program = tmp_path / "read.carrot"
    for source in ('print(len(db.kv["b"]));\n', "for k in db.kv { print(k); }\n"):
        program.write_text(source)
        outcome = run_main(main, ["run", str(program), "--db", str(path)])
        assert outcome.status == 70 and outcome.clean, outcome
        assert "runtime error: a persistent table holds a BLOB" in outcome.err
