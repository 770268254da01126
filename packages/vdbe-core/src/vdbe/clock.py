"""The clock that date('now') and its kin read.

SQLite reads the time once per step of a statement (sqlite3_step) and gives every 'now'
of that step the same moment, so `SELECT datetime('now') = datetime('now')` is always
true. The engine marks where a step begins and ends; within one, the first 'now' reads
the system clock and later ones reuse that reading. Outside a step (a function called
directly from Python) every 'now' reads the clock.
"""

from __future__ import annotations

import time

_reading: int | None = None  # this step's 'now', in milliseconds since 1970
_stepping = False


def begin_step() -> None:
    global _reading, _stepping
    _reading, _stepping = None, True


def end_step() -> None:
    global _reading, _stepping
    _reading, _stepping = None, False


def unix_ms() -> int:
    """Milliseconds since 1970 for 'now', the same throughout one step."""
    global _reading
    if _reading is not None:
        return _reading
    now = int(time.time() * 1000)
    if _stepping:
        _reading = now
    return now
