"""Sorting and grouping benchmark: ORDER BY, GROUP BY and DISTINCT on 100,000 rows.

    python packages/vdbe-core/benchmarks/sorting.py

Each query runs as a whole `vdbe sql --db FILE "SQL"` process on a file of 100,000
unindexed rows, next to real SQLite in a `python -c` process on an identical copy,
in the same run (see storage.py for how processes are timed). These queries are the
ones whose work happens in the VM's in-memory trees and sorters rather than in the
file: ORDER BY sorts every row, GROUP BY sorts and aggregates, DISTINCT fills a
temporary index to drop repeated values. The outer `count(*)`/`sum` keeps the output
to one line, so the figures measure the query, not printing.

Figures (CPU seconds of the `vdbe sql` process; see docs/stage2/storage-performance.md):

    query      before in-memory trees   with them   with the sorter keeping values   translated
    order by   15.1 (10.5 - 13.5 **)    3.5         2.7 - 3.0                        3.0 - 3.5 **
    distinct   14.5 (11.8 - 13.3 **)    3.3         2.6 - 3.9                        2.5 - 3.3 **
    group by    2.2 (1.7 - 2.0 *)       1.8         1.0 - 1.4 (1.2 *)                0.49 - 0.76 **

    * the three trees alternated in one sitting, on a busy 2-core machine
    ** the first and last trees alternated in one sitting (load 8 to 11); GROUP BY
       1.83 - 1.90 s before against 0.49 - 0.76 s translated, 3.0x fewer instructions;
       at load 2, 1.84 - 2.26 s against 0.50 - 0.51 s

To compare trees in one sitting, run this file once per tree with PYTHONPATH set to
that tree's packages/vdbe-core/src: the child processes inherit it.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
from pathlib import Path

from storage import compare, print_machine  # noqa: E402 - the sibling benchmark's process timing

QUERIES = {
    "order by": "SELECT count(*), max(c) FROM (SELECT c FROM t ORDER BY c, b LIMIT -1 OFFSET 1)",
    "group by": "SELECT count(*), sum(n) FROM (SELECT b, count(*) AS n FROM t GROUP BY b)",
    "distinct": "SELECT count(*) FROM (SELECT DISTINCT c FROM t)",
}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--only", help="run only queries whose name contains this")
    args = parser.parse_args(argv)
    print_machine()
    with tempfile.TemporaryDirectory() as tmp:
        workdir = Path(tmp)
        compare("warm-up", "SELECT 1", False, workdir, show=False)  # bytecode, file cache
        for name, sql in QUERIES.items():
            if not args.only or args.only in name:
                compare(name, sql, False, workdir)
    return 0


if __name__ == "__main__":
    sys.exit(main())
