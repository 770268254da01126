"""Where a piece of source text sits, so errors can point at it."""

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Span:
    """A stretch of source: `line` and `column` count from 1, `length` in characters."""

    line: int
    column: int
    length: int = 1
