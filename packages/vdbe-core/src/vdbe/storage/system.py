"""What this operating system gives the file layer, chosen here and nowhere else.

    OPEN_FLAGS, READ_ONLY_FLAGS   os.open flags: binary mode where the system has text mode
    pread, pwrite                 positioned I/O (os.pread where it exists, seek + read where
                                  it does not, as on Windows)
    native_locks()                SQLite's byte-range locks: fcntl on POSIX systems,
                                  LockFileEx on Windows

Everything above this module is the same on every system. fsync is os.fsync everywhere
(on Windows Python maps it to _commit, which flushes the file to the disk).
"""

from __future__ import annotations

import functools
import os

from vdbe.errors import VdbeError

_BINARY = getattr(os, "O_BINARY", 0)  # Windows only: no newline translation
OPEN_FLAGS = os.O_RDWR | os.O_CREAT | _BINARY
READ_ONLY_FLAGS = os.O_RDONLY | _BINARY

if hasattr(os, "pread"):
    pread = os.pread
    pwrite = os.pwrite
else:  # one connection uses a descriptor at a time, so seeking first is safe

    def pread(fd: int, size: int, offset: int) -> bytes:
        os.lseek(fd, offset, os.SEEK_SET)
        return os.read(fd, size)

    def pwrite(fd: int, data, offset: int) -> int:
        os.lseek(fd, offset, os.SEEK_SET)
        return os.write(fd, data)


class LockingUnavailableError(VdbeError):
    """The system has no byte-range locks this VM knows: database files cannot be opened."""

    code = "SQLITE_CANTOPEN"


# --8<-- [start:choose]
@functools.cache
def native_locks():
    """The lock layer of this system: a callable taking a file descriptor and returning
    the object that keeps that file's lock level (see `locking`). Chosen at the first
    file opened, and kept."""
    if os.name == "nt":
        from .windows_locks import Win32, WindowsLocks

        win32 = Win32()
        return lambda fd: WindowsLocks(fd, win32)
    from . import posix_locks

    if posix_locks.fcntl is None:
        raise LockingUnavailableError(
            "database files need byte-range locks, and this system has neither POSIX "
            "fcntl locks nor Windows' LockFileEx; in-memory databases still work"
        )
    return posix_locks.PosixLocks


# --8<-- [end:choose]
