"""A little memory set aside for the moment a program runs out.

When a running program has taken all the memory the process may have, even the error
that says so needs some: Python must allocate the exception's traceback as it unwinds,
and with nothing left it can spin, failing to, instead of stopping. So a few megabytes
are kept back while programs run and given back at the first ``MemoryError``; the
error then unwinds, frees the program's values, and the reserve is set aside again
before the next run. (``bytes(n)`` is allocated zero-filled by the system, untouched:
it costs address space, not resident memory.)
"""

from __future__ import annotations

import contextlib

RESERVE_BYTES = 4 << 20
_reserve: list[bytes] = []


def keep_reserve() -> None:
    """Set the reserve aside, if it is not already (and if there is memory for it)."""
    if not _reserve:
        with contextlib.suppress(MemoryError):
            _reserve.append(bytes(RESERVE_BYTES))


def release_reserve() -> None:
    """Give the reserve back: call on catching a MemoryError, before doing anything else."""
    _reserve.clear()
