"""The functions ANALYZE's programs call: stat_init, stat_push and stat_get.

ANALYZE walks each index in key order. For every entry the program works out `i`, the
first key column whose value differs from the previous entry's (0 for the first
entry, the column count when nothing differs), and passes it to stat_push. From those
numbers alone stat_get writes the `stat` column of sqlite_stat1:

    "ROWS D1 D2 ... DK"

ROWS is the number of entries and Dn the average number of entries that share a value
of the first n key columns, rounded up: a planner's guess at how many rows an `=`
constraint on those columns selects.
"""

from __future__ import annotations

from vdbe.values import Value


class StatAccumulator:
    """What ANALYZE has counted so far for one index (SQLite's StatAccum)."""

    def __init__(self, n_col: int, n_key_col: int) -> None:
        self.n_col = n_col  # columns in the index entry, the rowid included
        self.n_key_col = n_key_col  # the key columns the stat string covers
        self.rows = 0
        self.distinct_changes = [0] * n_col  # anDLt: how often prefix n changed value

    def __repr__(self) -> str:
        return f"StatAccumulator(rows={self.rows}, changes={self.distinct_changes})"


def stat_init(n_col: Value, n_key_col: Value, estimate: Value, limit: Value) -> StatAccumulator:
    """stat_init(C, K, N, L): a new accumulator for an index of C columns, K of them keys.

    N (the row count estimate) and L (the analysis_limit) only matter to SQLite when an
    analysis limit makes it skip rows, which this VM never does.
    """
    return StatAccumulator(int(n_col), int(n_key_col))


def stat_push(acc: StatAccumulator, first_changed: Value) -> None:
    """stat_push(P, i): one more index entry, whose first i columns equal the last one's."""
    if acc.rows:
        changes = acc.distinct_changes
        for column in range(int(first_changed), acc.n_col):
            changes[column] += 1
    acc.rows += 1


def stat_get(acc: StatAccumulator) -> str:
    """stat_get(P): the sqlite_stat1 `stat` text for what was pushed."""
    parts = [str(acc.rows)]
    for column in range(acc.n_key_col):
        distinct = acc.distinct_changes[column] + 1
        per_value = (acc.rows + distinct - 1) // distinct
        if per_value == 2 and acc.rows * 10 <= distinct * 11:
            per_value = 1  # nearly unique: SQLite rounds 2 down
        parts.append(str(per_value))
    return " ".join(parts)


ANALYZE_FUNCTIONS = {
    ("stat_init", 4): stat_init,
    ("stat_push", 2): stat_push,
    ("stat_get", 1): stat_get,
}
