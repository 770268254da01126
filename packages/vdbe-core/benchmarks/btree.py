"""B-tree benchmark: the storage layer alone, without the VM, against SQLite in-process.

    python packages/vdbe-core/benchmarks/btree.py [--rows N]

Measures CPU time for: appending N rows to a table tree (one transaction), a full scan
reading two columns, N/10 random rowid lookups, and N/10 inserts plus lookups on an index
tree keyed by text (the pattern of Carrot's tables). SQLite does the same work through
Python's sqlite3 module (executemany / a SELECT), so its figures include that module's
overhead: the ratio is an honest "how far is pure Python from C" for this layer. Also
reports this process's peak resident set size.
"""

from __future__ import annotations

import argparse
import os
import random
import resource
import sqlite3
import sys
import tempfile
import time

from vdbe.keyinfo import KeyInfo
from vdbe.record import encode_record
from vdbe.storage import Database


def cpu() -> float:
    return time.process_time()


def ours(path: str, rows: int) -> dict[str, float]:
    out = {}
    records = [encode_record([i * 7 % 1000, f"row {i}"]) for i in range(rows)]
    db = Database(path)
    start = cpu()
    db.begin(write=True)
    root = db.create_btree("table")
    c = db.cursor(root, writable=True)
    for i, record in enumerate(records, 1):
        c.insert(i, record)
    db.commit()
    out["append"] = cpu() - start
    start = cpu()
    total = 0
    ok = c.first()
    while ok:
        total += c.column(0)
        c.column(1)
        ok = c.next()
    out["scan"] = cpu() - start
    keys = [random.Random(i).randint(1, rows) for i in range(rows // 10)]
    start = cpu()
    for k in keys:
        c.seek_rowid(k)
        c.column(0)
    out["lookup"] = cpu() - start
    db.commit()
    start = cpu()
    db.begin(write=True)
    ix = db.cursor(db.create_btree("index"), writable=True, index_key_info=KeyInfo(1))
    for k in keys:
        ix.insert_key(encode_record([f"key {k}", k]))
    for k in keys:
        ix.seek([f"key {k}"], "eq")
    db.commit()
    out["index"] = cpu() - start
    db.close()
    return out


def theirs(path: str, rows: int) -> dict[str, float]:
    out = {}
    data = [(i, i * 7 % 1000, f"row {i}") for i in range(1, rows + 1)]
    con = sqlite3.connect(path)
    con.execute("CREATE TABLE t(a INTEGER PRIMARY KEY, b, c)")
    start = cpu()
    con.executemany("INSERT INTO t VALUES (?, ?, ?)", data)
    con.commit()
    out["append"] = cpu() - start
    start = cpu()
    for _b, _c in con.execute("SELECT b, c FROM t"):
        pass
    out["scan"] = cpu() - start
    keys = [random.Random(i).randint(1, rows) for i in range(rows // 10)]
    start = cpu()
    for k in keys:
        con.execute("SELECT b FROM t WHERE a = ?", (k,)).fetchone()
    out["lookup"] = cpu() - start
    start = cpu()
    con.execute("CREATE TABLE k(key TEXT, v)")
    con.execute("CREATE INDEX kk ON k(key)")
    con.executemany("INSERT INTO k VALUES (?, ?)", [(f"key {k}", k) for k in keys])
    for k in keys:
        con.execute("SELECT v FROM k WHERE key = ?", (f"key {k}",)).fetchone()
    con.commit()
    out["index"] = cpu() - start
    con.close()
    return out


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=100_000)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        mine = ours(os.path.join(tmp, "vdbe.db"), args.rows)
        real = theirs(os.path.join(tmp, "sqlite.db"), args.rows)
    print(f"python {sys.version.split()[0]}, sqlite {sqlite3.sqlite_version}, {args.rows} rows")
    for name in mine:
        ratio = mine[name] / max(real[name], 1e-6)
        print(
            f"{name:<8} vdbe.storage {mine[name]:7.3f}s cpu | sqlite3 module "
            f"{real[name]:7.3f}s cpu | ratio {ratio:6.1f}x"
        )
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"peak RSS of this process: {peak:.1f} MB")
    return 0


if __name__ == "__main__":
    sys.exit(main())
