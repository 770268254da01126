"""Aggregate functions: count, sum, total, avg, group_concat, min and max.

Each aggregate is a class. The VM makes one object per group and calls:

    step(*args)      for each row of the group
    inverse(*args)   when a row leaves a window frame (window functions only)
    value()          the result so far (window functions)
    final()          the result for the whole group; also called for an empty group

Results follow SQLite: sum() of INTEGERs is an INTEGER (and an error on overflow),
any REAL or non-numeric text makes it REAL; total() is always REAL; avg() is REAL;
an empty group gives NULL, except count() (0) and total() (0.0). Since SQLite 3.43 the
REAL sums keep an error term (`CompensatedSum`); `SUMS` holds the classes of the SQLite
that compiles.
"""

from __future__ import annotations

import math
from collections import deque

from vdbe.errors import SqlError
from vdbe.functions.core import numeric_value
from vdbe.functions.text import as_text
from vdbe.sqlite_library import VERSION
from vdbe.values import LARGEST_INT64, SMALLEST_INT64, Value, compare, to_real

BIG_DOUBLE_INT = 4503599627370496  # 2**52: from here on, not every INTEGER is a double


class Count:
    """count(X) counts the rows where X is not NULL; count(*) counts every row."""

    def __init__(self) -> None:
        self.n = 0

    def step(self, *args: Value) -> None:
        if not args or args[0] is not None:
            self.n += 1

    def inverse(self, *args: Value) -> None:
        if not args or args[0] is not None:
            self.n -= 1

    def value(self) -> int:
        return self.n

    final = value


# --8<-- [start:sum]
class Sum:
    """sum(X): INTEGER while every value is an INTEGER, else REAL; NULL if no values."""

    def __init__(self) -> None:
        self.count = 0  # non-NULL values seen
        self.int_sum = 0  # exact sum while all values are INTEGERs
        self.real_sum = 0.0  # the floating point sum, always kept
        self.approx = False  # a REAL (or text that is no INTEGER) was seen
        self.overflow = False  # the INTEGER sum left the 64-bit range

    def step(self, x: Value) -> None:
        if x is None:
            return
        self.count += 1
        n = numeric_value(x)
        if type(n) is int:
            self.real_sum += n
            if not (self.approx or self.overflow):
                self.int_sum += n
                if not SMALLEST_INT64 <= self.int_sum <= LARGEST_INT64:
                    self.overflow = True
        else:
            self.real_sum += n if n is not None else to_real(x)
            self.approx = True

    def inverse(self, x: Value) -> None:
        if x is None:
            return
        self.count -= 1
        n = numeric_value(x)
        if type(n) is int and not self.approx:
            self.real_sum -= n
            self.int_sum -= n
        else:
            self.real_sum -= n if n is not None else to_real(x)

    def real(self) -> float:
        """The sum as a REAL."""
        return self.real_sum

    def value(self) -> Value:
        if self.count == 0:
            return None
        if self.overflow:
            raise SqlError("integer overflow")
        return self.real() if self.approx else self.int_sum

    final = value


# --8<-- [end:sum]


class Total(Sum):
    """total(X): the sum as a REAL, 0.0 for no values; never an overflow error."""

    def value(self) -> float:
        return self.real()

    final = value


class Avg(Sum):
    """avg(X): the REAL mean of the non-NULL values, NULL if there are none."""

    def value(self) -> Value:
        return self.real() / self.count if self.count else None

    final = value


# --8<-- [start:compensated]
class CompensatedSum(Sum):
    """sum(X) as SQLite computes it since 3.43: exact while every value is an INTEGER;
    after that a double with a running error term (Kahan-Babuska-Neumaier summation),
    so that sum(0.1) over ten rows is 1.0 and not 0.9999999999999999. Only the adding
    differs from `Sum`: `real_sum` starts when the first REAL arrives, and `real()`
    adds the error back."""

    def __init__(self) -> None:
        super().__init__()
        self.error = 0.0  # what the double additions lost, added back at the end

    def _add(self, r: float) -> None:
        s = self.real_sum
        t = s + r
        self.error += (s - t) + r if abs(s) > abs(r) else (r - t) + s
        self.real_sum = t

    def _add_int(self, i: int) -> None:
        """Add an INTEGER; past 2**52 it goes in two parts that doubles hold exactly."""
        if -BIG_DOUBLE_INT < i < BIG_DOUBLE_INT:
            self._add(float(i))
        else:
            small = abs(i) % 16384 * (1 if i > 0 else -1)  # C's %: the dividend's sign
            self._add(float(i - small))
            self._add(float(small))

    def _go_approx(self) -> None:
        self.approx = True
        self.real_sum = self.error = 0.0
        self._add_int(self.int_sum)

    def step(self, x: Value) -> None:
        if x is None:
            return
        self.count += 1
        n = numeric_value(x)
        if type(n) is int:
            if self.approx:
                self._add_int(n)
            elif SMALLEST_INT64 <= self.int_sum + n <= LARGEST_INT64:
                self.int_sum += n
            else:
                self.overflow = True
                self._go_approx()
                self._add_int(n)
        else:
            if not self.approx:
                self._go_approx()
            self.overflow = False  # a REAL after an overflow: the sum is a REAL
            self._add(n if n is not None else to_real(x))

    def inverse(self, x: Value) -> None:
        if x is None:
            return
        self.count -= 1
        n = numeric_value(x)
        if not self.approx:
            self.int_sum -= n  # while exact, every value stepped was an INTEGER
            if not SMALLEST_INT64 <= self.int_sum <= LARGEST_INT64:
                self.overflow = True
                self._go_approx()
        elif type(n) is int:
            self._add_int(-n)
        else:
            self._add(-(n if n is not None else to_real(x)))

    def real(self) -> float:
        if not self.approx:
            return float(self.int_sum)
        if math.isfinite(self.error):
            return self.real_sum + self.error
        return self.real_sum


# --8<-- [end:compensated]


class CompensatedTotal(CompensatedSum, Total):
    """total(X) since SQLite 3.43: Total's result, from the compensated sum."""


class CompensatedAvg(CompensatedSum, Avg):
    """avg(X) since SQLite 3.43: Avg's result, from the compensated sum."""


class GroupConcat:
    """group_concat(X[, SEP]): the non-NULL values joined by SEP (default ',').

    The separator given on a row goes in front of that row's value, so it can vary.
    """

    def __init__(self) -> None:
        self.parts: deque[tuple[str, str]] = deque()  # (separator before, text)

    def step(self, x: Value, sep: Value = ",") -> None:
        if x is None:
            return
        separator = as_text(sep) if sep is not None else ""
        self.parts.append((separator, as_text(x)))

    def inverse(self, x: Value, sep: Value = ",") -> None:
        if x is not None and self.parts:
            self.parts.popleft()

    def value(self) -> Value:
        if not self.parts:
            return None
        pieces = iter(self.parts)
        first = next(pieces)[1]
        return first + "".join(sep + text for sep, text in pieces)

    final = value


class _MinMax:
    """The smallest (or largest) non-NULL value, compared with the call's collation."""

    want_max = False

    def __init__(self, coll: str | None = None) -> None:
        self.coll = coll
        self.best: Value = None

    def _better(self, v: Value) -> bool:
        c = compare(self.best, v, self.coll)
        return c < 0 if self.want_max else c > 0

    def step(self, x: Value) -> None:
        if x is None:
            return
        best = self.best
        if best is None:
            self.best = x
        elif type(x) is type(best) and (type(x) is not str or self.coll in (None, "BINARY")):
            # two values of one type: Python's order is SQLite's (text in BINARY order)
            if (x > best) if self.want_max else (x < best):
                self.best = x
        elif self._better(x):
            self.best = x

    def inverse(self, x: Value) -> None:
        # SQLite never removes rows from min() and max(): for a sliding window frame
        # it recomputes them over the frame instead.
        name = "max" if self.want_max else "min"
        raise SqlError(f"{name}() has no inverse step")

    def value(self) -> Value:
        return self.best

    final = value


class Min(_MinMax):
    """min(X) over a group."""


class Max(_MinMax):
    """max(X) over a group."""

    want_max = True


def _sums_of(version: tuple[int, ...]) -> dict[str, type]:
    if version >= (3, 43, 0):
        return {"sum": CompensatedSum, "total": CompensatedTotal, "avg": CompensatedAvg}
    return {"sum": Sum, "total": Total, "avg": Avg}


SUMS = _sums_of(VERSION)
