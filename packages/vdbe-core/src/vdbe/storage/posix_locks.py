"""SQLite's locks on POSIX systems (Linux, macOS, the BSDs): fcntl byte-range locks.

Readers hold read locks on the shared range; a writer holds a write lock on the reserved
byte, then on the pending byte and the whole shared range. POSIX locks belong to a process,
not to a file descriptor: two connections to one file in the same process do not exclude
each other (SQLite keeps extra bookkeeping for that case; this layer does not).
"""

from __future__ import annotations

import os

from .format import PENDING_BYTE, RESERVED_BYTE, SHARED_FIRST, SHARED_SIZE
from .locking import EXCLUSIVE, NO_LOCK, PENDING, RESERVED, SHARED

try:
    import fcntl
except ImportError:  # not a POSIX system: `system` will not choose this layer
    fcntl = None


def _try(fd: int, kind: int, start: int, length: int) -> bool:
    """Take (or release, with LOCK_UN) a byte-range lock without waiting."""
    try:
        if kind == fcntl.LOCK_UN:
            fcntl.lockf(fd, fcntl.LOCK_UN, length, start, os.SEEK_SET)
        else:
            fcntl.lockf(fd, kind | fcntl.LOCK_NB, length, start, os.SEEK_SET)
        return True
    except OSError:
        return False


class PosixLocks:
    """The lock level of one open file, kept with fcntl locks as SQLite's os_unix.c does."""

    def __init__(self, fd: int) -> None:
        self.fd = fd
        self.level = NO_LOCK

    # --8<-- [start:try_lock]
    def try_lock(self, level: int) -> bool:
        """One attempt to raise the lock to `level`; False if another process is in the way."""
        fd = self.fd
        if self.level >= level:
            return True
        if level == SHARED:
            # the pending byte is tested first so that a waiting writer is not starved
            if not _try(fd, fcntl.LOCK_SH, PENDING_BYTE, 1):
                return False
            ok = _try(fd, fcntl.LOCK_SH, SHARED_FIRST, SHARED_SIZE)
            _try(fd, fcntl.LOCK_UN, PENDING_BYTE, 1)
            if ok:
                self.level = SHARED
            return ok
        if level == RESERVED:
            if not _try(fd, fcntl.LOCK_EX, RESERVED_BYTE, 1):
                return False
            self.level = RESERVED
            return True
        # EXCLUSIVE: PENDING first (keeps new readers out), then the whole shared range
        if self.level < PENDING:
            if not _try(fd, fcntl.LOCK_EX, PENDING_BYTE, 1):
                return False
            self.level = PENDING
        if not _try(fd, fcntl.LOCK_EX, SHARED_FIRST, SHARED_SIZE):
            return False
        self.level = EXCLUSIVE
        return True

    # --8<-- [end:try_lock]

    def unlock(self, level: int) -> None:
        """Lower the lock to SHARED or NO_LOCK."""
        fd = self.fd
        if self.level <= level:
            return
        if level == SHARED:
            if self.level == EXCLUSIVE:
                fcntl.lockf(fd, fcntl.LOCK_SH, SHARED_SIZE, SHARED_FIRST, os.SEEK_SET)
            _try(fd, fcntl.LOCK_UN, PENDING_BYTE, 2)  # pending and reserved together
        else:
            _try(fd, fcntl.LOCK_UN, PENDING_BYTE, 2 + SHARED_SIZE)
        self.level = level

    def reserved_elsewhere(self) -> bool:
        """Does another process hold RESERVED (or more)? Then a journal is not hot."""
        if self.level >= RESERVED:
            return False
        if _try(self.fd, fcntl.LOCK_SH, RESERVED_BYTE, 1):
            _try(self.fd, fcntl.LOCK_UN, RESERVED_BYTE, 1)
            return False
        return True
