"""DB-API benchmark: vdbe.dbapi against Python's sqlite3 module, in the same run.

    python packages/vdbe-core/benchmarks/dbapi.py
    python packages/vdbe-core/benchmarks/dbapi.py --rows 20000 --lookups 2000

The same code runs twice, once with `import sqlite3` and once with `import vdbe.dbapi
as sqlite3`, in this process, on an in-memory database:

1. executemany: 100,000 rows inserted by one `executemany` (one implicit transaction),
   then committed;
2. point selects: 10,000 `SELECT ... WHERE id = ?` with a different key each time.

Both repeat one statement, so both show what a prepared statement saves: the VM's
connection compiles each statement once (it prints how many statements it compiled),
and each run after that is the VM's own work. The ratio is the VM's time over SQLite's.
"""

from __future__ import annotations

import argparse
import sqlite3
import time

import vdbe.dbapi


def executemany(module, rows: int) -> float:
    con = module.connect(":memory:")
    con.execute("CREATE TABLE t(id INTEGER PRIMARY KEY, name TEXT, score REAL)")
    data = [(i, f"name {i}", i * 0.5) for i in range(rows)]
    started = time.perf_counter()
    con.executemany("INSERT INTO t VALUES (?, ?, ?)", data)
    con.commit()
    elapsed = time.perf_counter() - started
    (count,) = con.execute("SELECT count(*) FROM t").fetchone()
    assert count == rows, count
    con.close()
    return elapsed


def point_selects(module, rows: int, lookups: int) -> tuple[float, int | None]:
    con = module.connect(":memory:")
    con.execute("CREATE TABLE t(id INTEGER PRIMARY KEY, name TEXT, score REAL)")
    con.executemany("INSERT INTO t VALUES (?, ?, ?)", [(i, f"n{i}", i) for i in range(rows)])
    con.commit()
    compiled_before = _compiled(con)
    started = time.perf_counter()
    total = 0
    for k in range(lookups):
        (score,) = con.execute("SELECT score FROM t WHERE id = ?", ((k * 7919) % rows,)).fetchone()
        total += score
    elapsed = time.perf_counter() - started
    compiled = _compiled(con)
    con.close()
    return elapsed, None if compiled is None else compiled - compiled_before


def _compiled(con) -> int | None:
    inner = getattr(con, "_connection", None)
    return getattr(inner, "compiled", None)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rows", type=int, default=100_000, help="rows for executemany")
    parser.add_argument("--lookups", type=int, default=10_000, help="point selects")
    args = parser.parse_args(argv)
    table_rows = min(args.rows, 10_000)

    sqlite_many = executemany(sqlite3, args.rows)
    vm_many = executemany(vdbe.dbapi, args.rows)
    sqlite_points, _ = point_selects(sqlite3, table_rows, args.lookups)
    vm_points, compiled = point_selects(vdbe.dbapi, table_rows, args.lookups)

    print(f"{'workload':<34} {'sqlite3':>10} {'vdbe.dbapi':>11} {'ratio':>8}")
    for name, theirs, mine in (
        (f"executemany, {args.rows:,} rows", sqlite_many, vm_many),
        (f"point selects, {args.lookups:,}", sqlite_points, vm_points),
    ):
        print(f"{name:<34} {theirs:>9.3f}s {mine:>10.3f}s {mine / theirs:>7.1f}x")
    print(f"statements compiled by the VM's connection during the point selects: {compiled}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
