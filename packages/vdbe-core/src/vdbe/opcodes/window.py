"""Window functions: the built-in ones, as aggregates that a window program drives.

SQLite compiles `f(...) OVER (PARTITION BY ... ORDER BY ... frame)` into a program
built from ordinary opcodes: the rows of one partition go into an ephemeral table
(OpenEphemeral, then Insert), several cursors on that table (OpenDup) mark the current
row and the two ends of the frame, and as the frame slides the program calls
`AggStep` for a row entering it, `AggInverse` for a row leaving it and `AggValue` for
the current result (`ResetSorter` empties the table between partitions). Any aggregate
works as a window function this way (sum, count, group_concat ... with their
`inverse`); the functions here exist only as window functions.

Each class keeps SQLite's own state and rules (window.c), because the window program
relies on exactly when each is stepped: `rank()` is stepped once per row of a peer
group and read once per group, `percent_rank()` and `cume_dist()` count rows in
`step` and rows already passed in `inverse`. For `first_value()`, `nth_value()`,
`lead()` and `lag()` the program itself reads the wanted row through a cursor
(SeekRowid, Column), so their value here is NULL, as in SQLite.
"""

from __future__ import annotations

from vdbe.errors import SqlError
from vdbe.values import to_numeric


class RowNumber:
    """row_number(): the number of the row within its partition, from 1."""

    def __init__(self) -> None:
        self.n = 0

    def step(self) -> None:
        self.n += 1

    def inverse(self) -> None:
        pass

    def value(self) -> int:
        return self.n

    final = value


# --8<-- [start:rank]
class Rank:
    """rank(): the row number of the first row of the current peer group."""

    def __init__(self) -> None:
        self.steps = 0  # rows stepped so far in the partition
        self.rank = 0  # the rank of the current peer group, 0 until its first row

    def step(self) -> None:
        # exercise-start: vdbe-window-rank
        self.steps += 1
        if self.rank == 0:
            self.rank = self.steps
        # exercise-end: vdbe-window-rank

    def inverse(self) -> None:
        pass

    def value(self) -> int:
        # exercise-start: vdbe-window-rank
        rank, self.rank = self.rank, 0  # the next peer group starts afresh
        return rank
        # exercise-end: vdbe-window-rank

    final = value


# --8<-- [end:rank]


class DenseRank:
    """dense_rank(): the number of the current peer group, with no gaps."""

    def __init__(self) -> None:
        self.stepped = False
        self.rank = 0

    def step(self) -> None:
        # exercise-start: vdbe-window-rank
        self.stepped = True
        # exercise-end: vdbe-window-rank

    def inverse(self) -> None:
        pass

    def value(self) -> int:
        # exercise-start: vdbe-window-rank
        if self.stepped:
            self.rank += 1
            self.stepped = False
        return self.rank
        # exercise-end: vdbe-window-rank

    final = value


class PercentRank:
    """percent_rank(): (rank - 1) / (rows in partition - 1), 0.0 for a single row."""

    def __init__(self) -> None:
        self.total = 0  # rows of the partition (stepped)
        self.before = 0  # rows before the current peer group (inverted)

    def step(self) -> None:
        self.total += 1

    def inverse(self) -> None:
        self.before += 1

    def value(self) -> float:
        if self.total > 1:
            return self.before / (self.total - 1)
        return 0.0

    final = value


class CumeDist:
    """cume_dist(): the fraction of the partition's rows up to the current peer group."""

    def __init__(self) -> None:
        self.total = 0
        self.upto = 0

    def step(self) -> None:
        self.total += 1

    def inverse(self) -> None:
        self.upto += 1

    def value(self) -> float:
        return self.upto / self.total if self.total else 0.0

    final = value


class Ntile:
    """ntile(N): the number, 1 to N, of the group of rows the current row falls in."""

    def __init__(self) -> None:
        self.total = 0  # rows of the partition
        self.groups = 0  # N
        self.row = 0  # index of the current row

    def step(self, n=None) -> None:
        if self.total == 0:
            groups = to_numeric(n)
            if type(groups) is float and groups.is_integer():
                groups = int(groups)
            if type(groups) is not int or groups <= 0:
                raise SqlError("argument of ntile must be a positive integer")
            self.groups = groups
        self.total += 1

    def inverse(self, n=None) -> None:
        self.row += 1

    def value(self) -> int | None:
        if self.groups <= 0:
            return None
        size = self.total // self.groups
        if size == 0:
            return self.row + 1
        large = self.total - self.groups * size  # this many groups get one extra row
        in_large = large * (size + 1)
        if self.row < in_large:
            return 1 + self.row // (size + 1)
        return 1 + large + (self.row - in_large) // size

    final = value


class LastValue:
    """last_value(X): X of the last row of the frame."""

    def __init__(self) -> None:
        self.last = None
        self.rows = 0

    def step(self, x=None) -> None:
        self.last = x
        self.rows += 1

    def inverse(self, x=None) -> None:
        self.rows -= 1
        if self.rows == 0:
            self.last = None

    def value(self):
        return self.last

    final = value


class NthValue:
    """nth_value(X, N): X of the N-th row of the frame (read by the program itself)."""

    def __init__(self) -> None:
        self.steps = 0
        self.found = None

    def step(self, x=None, n=None) -> None:
        number = to_numeric(n)
        if type(number) is float and number.is_integer():
            number = int(number)
        if type(number) is not int or number <= 0:
            raise SqlError("second argument to nth_value must be a positive integer")
        self.steps += 1
        if number == self.steps:
            self.found = x

    def inverse(self, *args) -> None:
        pass

    def value(self) -> None:
        return None

    def final(self):
        return self.found


class FirstValue:
    """first_value(X): X of the first row of the frame (read by the program itself)."""

    def __init__(self) -> None:
        self.seen = False
        self.first = None

    def step(self, x=None) -> None:
        if not self.seen:
            self.seen = True
            self.first = x

    def inverse(self, *args) -> None:
        pass

    def value(self) -> None:
        return None

    def final(self):
        return self.first


class LeadLag:
    """lead() and lag(): the program reads the other row through a cursor; nothing here."""

    def step(self, *args) -> None:
        pass

    def inverse(self, *args) -> None:
        pass

    def value(self) -> None:
        return None

    final = value


# vdbe.functions puts these in AGGREGATES, where AggStep and friends find them.
WINDOW_FUNCTIONS: dict[tuple[str, int], type] = {
    ("row_number", 0): RowNumber,
    ("rank", 0): Rank,
    ("dense_rank", 0): DenseRank,
    ("percent_rank", 0): PercentRank,
    ("cume_dist", 0): CumeDist,
    ("ntile", 1): Ntile,
    ("last_value", 1): LastValue,
    ("nth_value", 2): NthValue,
    ("first_value", 1): FirstValue,
    **{(name, n): LeadLag for name in ("lead", "lag") for n in (1, 2, 3)},
}
