"""Trigger benchmark: rows written through triggers, each a sub-program call.

    python packages/vdbe-core/benchmarks/triggers.py

An INSERT of 20,000 rows into a table with two triggers (one with a WHEN clause)
calls a trigger program 20,000 to 40,000 times: each call takes a frame, copies the
row in with Param and writes a row of its own. The same statement runs as a whole
`vdbe sql --db FILE "SQL"` process and in a `python -c` process with real SQLite, on
identical copies, in the same run (see storage.py for how processes are timed). The
INSERT without its triggers is timed too, so the ratio of the two says what the
calls cost in each engine.
"""

from __future__ import annotations

import shutil
import sqlite3
import sys
import tempfile
from pathlib import Path

from storage import print_machine, python_command, timed, vdbe_command  # noqa: E402 - sibling benchmark

ROWS = 20_000
SCHEMA = """
CREATE TABLE item(id INTEGER PRIMARY KEY, qty INTEGER, name TEXT);
CREATE TABLE audit(item INTEGER, qty INTEGER, note TEXT);
CREATE TABLE big(item INTEGER);
"""
TRIGGERS = """
CREATE TRIGGER item_audit AFTER INSERT ON item BEGIN
  INSERT INTO audit VALUES (new.id, new.qty, 'added ' || new.name);
END;
CREATE TRIGGER item_big AFTER INSERT ON item WHEN new.qty > 500 BEGIN
  INSERT INTO big VALUES (new.id);
END;
"""
INSERT = (
    f"WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < {ROWS}) "
    "INSERT INTO item(qty, name) SELECT i * 7 % 1000, 'item ' || i FROM n"
)


def run(name: str, schema: str, workdir: Path) -> tuple[float, float]:
    """(VM CPU seconds, SQLite CPU seconds) for the INSERT on a file with `schema`."""
    base = workdir / f"{name}.db"
    con = sqlite3.connect(base)
    con.executescript(schema)
    con.close()
    cpu = []
    for who, command in (("vdbe", vdbe_command), ("python", python_command)):
        copy = workdir / f"{name}-{who}.db"
        shutil.copyfile(base, copy)
        cpu.append(timed(command(copy, INSERT))[1])
    vm, sqlite = cpu
    print(f"{name:<18} vdbe {vm:6.2f}s cpu | sqlite {sqlite:5.3f}s cpu: {vm / sqlite:6.1f}x")
    return vm, sqlite


def main() -> int:
    print_machine()
    with tempfile.TemporaryDirectory() as tmp:
        workdir = Path(tmp)
        run("warm-up", SCHEMA, workdir)
        plain_vm, plain_sqlite = run("no triggers", SCHEMA, workdir)
        vm, sqlite = run("two triggers", SCHEMA + TRIGGERS, workdir)
        print(
            f"the triggers cost: vdbe {vm / plain_vm:.2f}x its plain insert,"
            f" sqlite {sqlite / plain_sqlite:.2f}x"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
