"""Limits: each size works, or stops with its documented error, never a host traceback.

* a table of 10,000,000 entries (made by real SQLite), read and written by `vdbe sql` and
  by a Carrot program through ``db``;
* a 500 MB string and blob in SQL and in Carrot, and the next size up: `string or blob
  too big` past SQLite's 1,000,000,000 bytes, Carrot's runtime error past its own;
* recursion at the depth limit: Carrot calls 1,000 deep work and one more is a runtime
  error; SQL triggers recursing stop with `too many levels of trigger recursion`;
* a database of 4 GB: over a million pages, most of them free and never written (a
  sparse file), so pages are read and written past the 4 GiB offset and past the page of
  the lock bytes at 1 GiB, and real SQLite checks the result.

The commands run in this process (`vdbe.harness`). The default run uses 100,000 entries
and 5 MB strings; CARROT_LONG_TESTS=1 the full sizes. Recursion and the 4 GB file are
cheap, so they run at full size always.
"""

from __future__ import annotations

import os
import sqlite3
from pathlib import Path

import pytest
from carrot.cli import main as carrot_main
from vdbe.cli import main as vdbe_main
from vdbe.harness import GIB, memory_budget, run_main

LONG = os.environ.get("CARROT_LONG_TESTS", "0") not in ("", "0")
ENTRIES = 10_000_000 if LONG else 100_000
STRING = 500_000_000 if LONG else 5_000_000
SLOW = 1800  # seconds: a full-size case is slow in pure Python, but must end


def carrot(tmp_path: Path, source: str, *args: str):
    program = tmp_path / "limit.carrot"
    program.write_text(source)
    with memory_budget(2 * GIB):
        return run_main(carrot_main, ["run", str(program), *args], seconds=SLOW)


def vdbe_sql(path: Path | str, sql: str):
    with memory_budget(2 * GIB):
        return run_main(vdbe_main, ["sql", "--db", str(path), sql], seconds=SLOW)


def integrity(path: Path) -> str:
    con = sqlite3.connect(path)
    try:
        return con.execute("PRAGMA integrity_check").fetchone()[0]
    finally:
        con.close()


@pytest.mark.exercise("txn-persistent-scalars")
def test_a_table_of_millions_of_entries(tmp_path):
    path = tmp_path / "big.db"
    con = sqlite3.connect(path)
    con.execute("CREATE TABLE big(key PRIMARY KEY, value) WITHOUT ROWID")
    con.execute(
        "INSERT INTO big WITH RECURSIVE n(i) AS (SELECT 0 UNION ALL SELECT i + 1 FROM n "
        f"WHERE i < {ENTRIES - 1}) SELECT i, i * 2 FROM n"
    )
    con.commit()
    con.close()
    last = ENTRIES - 1
    done = vdbe_sql(
        path,
        f"SELECT count(*) FROM big; SELECT value FROM big WHERE key = {last};"
        f"INSERT INTO big VALUES ({ENTRIES}, -1); SELECT count(*) FROM big",
    )
    assert (done.status, done.out, done.err) == (0, f"{ENTRIES}\n{2 * last}\n{ENTRIES + 1}\n", "")
    done = carrot(
        tmp_path,
        f"print(len(db.big), db.big[{last}], db.big[{ENTRIES}]);\ndb.big[{ENTRIES + 1}] = 7;\n",
        "--db",
        str(path),
    )
    assert (done.status, done.err) == (0, ""), done
    assert done.out == f"{ENTRIES + 1} {2 * last} -1\n"
    assert integrity(path) == "ok"


def test_a_string_of_hundreds_of_megabytes(tmp_path):
    done = vdbe_sql(
        ":memory:", f"SELECT length(zeroblob({STRING})), length(printf('%.*c', {STRING}, 'x'))"
    )
    assert (done.status, done.out) == (0, f"{STRING}|{STRING}\n"), done
    done = vdbe_sql(":memory:", "SELECT length(zeroblob(1000000001))")
    assert (done.status, done.err) == (1, "Error: string or blob too big\n")
    grown = carrot(
        tmp_path, f'let s = "x";\nwhile len(s) < {STRING} {{ s = s + s; }}\nprint(len(s));\n'
    )
    assert grown.status == 0 and grown.clean, grown
    assert int(grown.out) >= STRING


def test_past_carrots_string_limit(tmp_path):
    """Doubling a string until it passes 1,000,000,000 bytes stops with a runtime error,
    checked before the joined string is made."""
    done = carrot(
        tmp_path,
        'let s = "x";\nwhile true { s = s + s; }\n',
    )
    assert done.status == 70 and done.clean, done
    assert "runtime error: string too long" in done.err, done.err


def test_recursion_at_the_depth_limit(tmp_path):
    source = "fn f(n) {{ if n == 0 {{ return 0; }} return f(n - 1) + 1; }}\nprint(f({depth}));\n"
    assert carrot(tmp_path, source.format(depth=999)).out == "999\n"
    over = carrot(tmp_path, source.format(depth=1000))
    assert over.status == 70 and over.clean
    assert "runtime error: call depth exceeded (1000)" in over.err
    deep = carrot(tmp_path, source.format(depth=50_000), "--max-depth", "100000")
    assert deep.status in (0, 70) and deep.clean, deep.err[:300]
    triggers = vdbe_sql(
        ":memory:",
        "PRAGMA recursive_triggers = ON; CREATE TABLE t(n);"
        "CREATE TRIGGER r AFTER INSERT ON t WHEN new.n < 5000"
        " BEGIN INSERT INTO t VALUES (new.n + 1); END;"
        "INSERT INTO t VALUES (1)",
    )
    assert (triggers.status, triggers.err) == (1, "Error: too many levels of trigger recursion\n")


PAGE = 4096


def sparse_database(path: Path, pages: int) -> None:
    """A database of `pages` pages: a table on page 2, every other page free (the page of
    the lock bytes excepted, as SQLite never uses it), listed from the end down, so the
    first pages handed out lie past 4 GiB. Only page 1, page 2 and the freelist's trunk
    pages are written; the rest of the file is a hole."""
    con = sqlite3.connect(path)
    con.execute(f"PRAGMA page_size={PAGE}")
    con.execute("CREATE TABLE t(a INTEGER PRIMARY KEY, b)")
    con.execute("INSERT INTO t VALUES (1, 'first')")
    con.commit()
    con.close()
    lock_page = (1 << 30) // PAGE + 1
    free = [p for p in range(pages, 2, -1) if p != lock_page]
    per_trunk = PAGE // 4 - 2
    trunks = []
    while free:
        trunk, free = free[0], free[1:]
        leaves, free = free[:per_trunk], free[per_trunk:]
        trunks.append((trunk, leaves))
    with open(path, "r+b") as f:
        header = bytearray(f.read(100))
        counter = int.from_bytes(header[24:28], "big")
        header[28:32] = pages.to_bytes(4, "big")
        header[32:36] = trunks[0][0].to_bytes(4, "big")
        header[36:40] = sum(1 + len(leaves) for _, leaves in trunks).to_bytes(4, "big")
        header[92:96] = counter.to_bytes(4, "big")
        f.seek(0)
        f.write(header)
        f.truncate(pages * PAGE)
        for i, (trunk, leaves) in enumerate(trunks):
            following = trunks[i + 1][0] if i + 1 < len(trunks) else 0
            body = [following, len(leaves), *leaves]
            f.seek((trunk - 1) * PAGE)
            f.write(b"".join(n.to_bytes(4, "big") for n in body))


@pytest.mark.exercise("txn-persistent-scalars")
@pytest.mark.exercise("txn-create-table")
def test_a_four_gigabyte_database_of_sparse_pages(tmp_path):
    path = tmp_path / "sparse.db"
    pages = (4 << 30) // PAGE + 100
    sparse_database(path, pages)
    assert path.stat().st_size > 4 << 30
    assert integrity(path) == "ok"  # real SQLite accepts the file as built
    with memory_budget(2 * GIB):
        checked = run_main(vdbe_main, ["check", str(path)], seconds=SLOW)
    assert (checked.status, checked.out) == (0, "ok\n"), checked
    done = vdbe_sql(
        path,
        "INSERT INTO t(b) WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n "
        "WHERE i < 300) SELECT zeroblob(5000) FROM n;"
        "SELECT count(*), sum(length(b)) FROM t; PRAGMA page_count",
    )
    assert (done.status, done.err) == (0, ""), done
    assert done.out == f"301|1500005\n{pages}\n"
    assert integrity(path) == "ok"
    con = sqlite3.connect(path)
    assert con.execute("SELECT count(*), max(a) FROM t").fetchone() == (301, 301)
    con.close()
    ran = carrot(tmp_path, 'db.kv["far"] = "away";\nprint(db.kv["far"]);\n', "--db", str(path))
    assert (ran.status, ran.out) == (0, "away\n"), ran
    assert integrity(path) == "ok"
