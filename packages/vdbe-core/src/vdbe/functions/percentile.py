"""median(), percentile(), percentile_cont() and percentile_disc(): aggregates (and
window functions) built into SQLite builds made with SQLITE_ENABLE_PERCENTILE (apsw's
3.54 is one). The VM offers them when the compiling SQLite has that option.

Each keeps every non-NULL value of its group. With the values sorted, a fraction P
(percentile() takes it in percent) points at position P*(N-1): percentile_disc()
returns the value at the whole part of that position, the others draw a straight line
between the two values around it. The result is always a REAL; an empty group is NULL.
"""

from __future__ import annotations

import bisect
import math

from vdbe.errors import SqlError
from vdbe.values import Value


class _Percentile:
    """The values so far, kept sorted, and the fraction asked for."""

    name = "percentile"
    scale = 100.0  # P is given in percent (1.0 for the _cont and _disc forms)
    discrete = False

    def __init__(self) -> None:
        self.values: list[float] = []
        self.fraction: float | None = None

    def _fraction_of(self, p: Value) -> float:
        if type(p) not in (int, float) or not 0.0 <= p <= self.scale:
            raise SqlError(
                f"the fraction argument to {self.name}() is not between 0.0 and {self.scale:.1f}"
            )
        fraction = p / self.scale
        if self.fraction is None:
            self.fraction = fraction
        elif abs(self.fraction - fraction) > 0.001 / self.scale:
            raise SqlError(
                f"the fraction argument to {self.name}() is not the same for all input rows"
            )
        return fraction

    def _value_of(self, y: Value) -> float | None:
        if y is None:
            return None
        if type(y) not in (int, float):
            raise SqlError(f"input to {self.name}() is not numeric")
        if math.isinf(y):
            raise SqlError(f"Inf input to {self.name}()")
        return float(y)

    def step(self, y: Value, p: Value = 50.0) -> None:
        self._fraction_of(p)
        value = self._value_of(y)
        if value is not None:
            bisect.insort(self.values, value)

    def inverse(self, y: Value, p: Value = 50.0) -> None:
        value = self._value_of(y)
        if value is not None:
            del self.values[bisect.bisect_left(self.values, value)]

    def value(self) -> Value:
        n = len(self.values)
        if n == 0 or self.fraction is None:
            return None
        position = self.fraction * (n - 1)
        low = int(position)
        if self.discrete or low == n - 1 or position == low:
            return self.values[low]
        below, above = self.values[low], self.values[low + 1]
        return below + (above - below) * (position - low)

    final = value


class Median(_Percentile):
    """median(Y): percentile(Y, 50)."""

    name = "median"

    def step(self, y: Value) -> None:  # type: ignore[override]
        super().step(y, 50.0)

    def inverse(self, y: Value) -> None:  # type: ignore[override]
        super().inverse(y, 50.0)


class Percentile(_Percentile):
    """percentile(Y, P): P in percent, 0 to 100."""


class PercentileCont(_Percentile):
    """percentile_cont(Y, P): P a fraction, 0 to 1."""

    name = "percentile_cont"
    scale = 1.0


class PercentileDisc(_Percentile):
    """percentile_disc(Y, P): the value at position P*(N-1), rounded down."""

    name = "percentile_disc"
    scale = 1.0
    discrete = True


PERCENTILE_AGGREGATES = {
    ("median", 1): Median,
    ("percentile", 2): Percentile,
    ("percentile_cont", 2): PercentileCont,
    ("percentile_disc", 2): PercentileDisc,
}
