"""10,000 money transfers in transactional calls: Carrot against Python's sqlite3.

Both sides do the same work: a table of 100 accounts with key/value columns, and
10,000 transfers, each one read-modify-write of two balances inside a savepoint that
is rolled back when the payer's balance would go negative. Carrot runs ``txn fn
transfer`` (the savepoints are its own pager's journal); the baseline runs SAVEPOINT,
two SELECTs, two UPDATEs and RELEASE or ROLLBACK TO through Python's ``sqlite3``
module. Each side is timed as a whole process (start-up included), in memory and on
a file, in the same run, and the ratio is printed with transfers per second.

    python packages/carrot-txn/benchmarks/transfers.py [--transfers N]
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import tempfile
import time
from pathlib import Path

CARROT_PROGRAM = """
let i = 0;
while i < 100 {
    db.bank[i] = 1000;
    i = i + 1;
}

txn fn transfer(from, to, amount) {
    db.bank[from] = db.bank[from] - amount;
    db.bank[to] = db.bank[to] + amount;
    if db.bank[from] < 0 {
        abort;
    }
}

let n = 0;
while n < TRANSFERS {
    transfer(n % 100, (n * 7 + 3) % 100, n % 37);
    n = n + 1;
}
let total = 0;
for k, v in db.bank {
    total = total + v;
}
print(total);
"""

SQLITE_PROGRAM = """
import sqlite3, sys
conn = sqlite3.connect(sys.argv[1], isolation_level=None)
conn.execute("CREATE TABLE bank(key PRIMARY KEY, value) WITHOUT ROWID")
conn.execute("BEGIN")
for i in range(100):
    conn.execute("INSERT INTO bank VALUES (?, 1000)", (i,))
conn.execute("COMMIT")
get = "SELECT value FROM bank WHERE key = ?"
put = "UPDATE bank SET value = ? WHERE key = ?"
for n in range(int(sys.argv[2])):
    source, target, amount = n % 100, (n * 7 + 3) % 100, n % 37
    conn.execute("SAVEPOINT transfer")
    left = conn.execute(get, (source,)).fetchone()[0] - amount
    conn.execute(put, (left, source))
    conn.execute(put, (conn.execute(get, (target,)).fetchone()[0] + amount, target))
    if left < 0:
        conn.execute("ROLLBACK TO transfer")
    conn.execute("RELEASE transfer")
print(conn.execute("SELECT sum(value) FROM bank").fetchone()[0])
"""


def timed(command: list[str]) -> tuple[float, str]:
    start = time.perf_counter()
    done = subprocess.run(command, capture_output=True, text=True, check=True)
    return time.perf_counter() - start, done.stdout.strip()


def measure(transfers: int, on_file: bool, workdir: Path) -> None:
    where = "file" if on_file else "memory"
    program = workdir / "transfers.carrot"
    program.write_text(CARROT_PROGRAM.replace("TRANSFERS", str(transfers)))
    carrot = [sys.executable, "-m", "carrot", "run", str(program)]
    if on_file:
        carrot += ["--db", str(workdir / "carrot.db")]
    sqlite_db = str(workdir / "sqlite.db") if on_file else ":memory:"
    baseline = [sys.executable, "-c", SQLITE_PROGRAM, sqlite_db, str(transfers)]
    carrot_time, carrot_out = timed(carrot)
    sqlite_time, sqlite_out = timed(baseline)
    assert carrot_out == sqlite_out, (carrot_out, sqlite_out)
    print(
        f"{where:6}  carrot {carrot_time:7.2f} s ({transfers / carrot_time:8.0f} transfers/s)"
        f"   sqlite3 {sqlite_time:6.2f} s ({transfers / sqlite_time:8.0f} transfers/s)"
        f"   ratio {carrot_time / sqlite_time:5.1f}x"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--transfers", type=int, default=10_000)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        for on_file in (False, True):
            measure(args.transfers, on_file, Path(tmp))


if __name__ == "__main__":
    main()
