"""SQLite's locks on Windows: LockFileEx and UnlockFileEx on the same bytes, as os_win.c.

Windows locks differ from POSIX ones in three ways that shape this layer:
- they are mandatory and belong to a file handle, so two connections in one process
  exclude each other as two processes do;
- an exclusive lock may not overlap any other lock, even one the same handle holds, so a
  writer drops its read lock on the shared range before locking that range exclusively
  (and takes the read lock back if it cannot);
- an unlock must name exactly a range that was locked, so every lock is released with
  the offset and length it was taken with.

The calls, in SQLite's order:

    SHARED      lock PENDING_BYTE (shared), lock the shared range (shared), unlock PENDING
    RESERVED    lock RESERVED_BYTE (exclusive)
    EXCLUSIVE   from RESERVED: lock PENDING_BYTE (exclusive); then unlock the shared
                range and lock it exclusively (on failure, lock it shared again)
    unlock      the exclusive shared range (re-locked shared when stepping down to SHARED),
                RESERVED_BYTE, the shared range (down to NO_LOCK), PENDING_BYTE

SQLite also sends unlock calls that release nothing (Windows answers ERROR_NOT_LOCKED):
the shared range a second time after an exclusive lock, and RESERVED_BYTE and PENDING_BYTE
after a climb from SHARED straight to EXCLUSIVE (hot-journal recovery), which never locked
them. This layer leaves those out. It
also leaves out os_win.c's three quick attempts at PENDING_BYTE (a guard against virus
scanners): the pager's busy loop retries anyway.
"""

from __future__ import annotations

import ctypes

from vdbe.errors import VdbeError

from .format import PENDING_BYTE, RESERVED_BYTE, SHARED_FIRST, SHARED_SIZE
from .locking import EXCLUSIVE, NO_LOCK, PENDING, RESERVED, SHARED

LOCKFILE_FAIL_IMMEDIATELY = 0x1
LOCKFILE_EXCLUSIVE_LOCK = 0x2
READ_NOW = LOCKFILE_FAIL_IMMEDIATELY
WRITE_NOW = LOCKFILE_FAIL_IMMEDIATELY | LOCKFILE_EXCLUSIVE_LOCK
DWORD = ctypes.c_uint32


class OVERLAPPED(ctypes.Structure):
    """Win32's OVERLAPPED: for LockFileEx, it carries the 64-bit offset of the range."""

    _fields_ = [
        ("Internal", ctypes.c_size_t),
        ("InternalHigh", ctypes.c_size_t),
        ("Offset", DWORD),
        ("OffsetHigh", DWORD),
        ("hEvent", ctypes.c_void_p),
    ]


class Win32:
    """The two kernel32 calls, through ctypes. `kernel32` and `handle_of` replace the real
    DLL and `msvcrt.get_osfhandle` (tests on other systems pass a model of Windows)."""

    def __init__(self, kernel32=None, handle_of=None) -> None:
        if kernel32 is None:
            kernel32 = ctypes.WinDLL("kernel32", use_last_error=True)
            pointer = ctypes.POINTER(OVERLAPPED)
            kernel32.LockFileEx.argtypes = [ctypes.c_void_p, DWORD, DWORD, DWORD, DWORD, pointer]
            kernel32.UnlockFileEx.argtypes = [ctypes.c_void_p, DWORD, DWORD, DWORD, pointer]
            kernel32.LockFileEx.restype = kernel32.UnlockFileEx.restype = ctypes.c_int
        if handle_of is None:
            import msvcrt

            handle_of = msvcrt.get_osfhandle
        self.kernel32 = kernel32
        self.handle_of = handle_of

    def lock(self, handle, flags: int, start: int, length: int) -> bool:
        where = OVERLAPPED(Offset=start & 0xFFFFFFFF, OffsetHigh=start >> 32)
        return bool(self.kernel32.LockFileEx(handle, flags, 0, length, 0, ctypes.byref(where)))

    def unlock(self, handle, start: int, length: int) -> bool:
        where = OVERLAPPED(Offset=start & 0xFFFFFFFF, OffsetHigh=start >> 32)
        return bool(self.kernel32.UnlockFileEx(handle, 0, length, 0, ctypes.byref(where)))


class WindowsLocks:
    """The lock level of one open file, kept with LockFileEx as SQLite's os_win.c does."""

    def __init__(self, fd: int, win32: Win32) -> None:
        self.win32 = win32
        self.handle = win32.handle_of(fd)
        self.level = NO_LOCK
        self.holds_reserved = False  # RESERVED_BYTE locked
        self.holds_pending = False  # PENDING_BYTE locked (not on a climb from SHARED)

    def _lock(self, flags: int, start: int, length: int) -> bool:
        return self.win32.lock(self.handle, flags, start, length)

    def _unlock(self, start: int, length: int) -> None:
        self.win32.unlock(self.handle, start, length)

    def _read_lock(self) -> bool:
        return self._lock(READ_NOW, SHARED_FIRST, SHARED_SIZE)

    # --8<-- [start:try_lock]
    def try_lock(self, level: int) -> bool:
        """One attempt to raise the lock to `level`; False if another connection is in the way."""
        if self.level >= level:
            return True
        if level == SHARED:
            # the pending byte, locked for a moment, keeps readers out while a writer waits
            if not self._lock(READ_NOW, PENDING_BYTE, 1):
                return False
            ok = self._read_lock()
            self._unlock(PENDING_BYTE, 1)
            if ok:
                self.level = SHARED
            return ok
        if level == RESERVED:
            if not self._lock(WRITE_NOW, RESERVED_BYTE, 1):
                return False
            self.holds_reserved = True
            self.level = RESERVED
            return True
        # EXCLUSIVE: a writer takes PENDING first; the read lock must go before the range
        # can be locked exclusively, and comes back if that fails
        if self.level == RESERVED:
            if not self._lock(WRITE_NOW, PENDING_BYTE, 1):
                return False
            self.holds_pending = True
        self.level = PENDING
        self._unlock(SHARED_FIRST, SHARED_SIZE)
        if self._lock(WRITE_NOW, SHARED_FIRST, SHARED_SIZE):
            self.level = EXCLUSIVE
            return True
        self._read_lock()
        return False

    # --8<-- [end:try_lock]

    def unlock(self, level: int) -> None:
        """Lower the lock to SHARED or NO_LOCK."""
        held = self.level
        if held <= level:
            return
        if held == EXCLUSIVE:
            self._unlock(SHARED_FIRST, SHARED_SIZE)
            if level == SHARED and not self._read_lock():
                raise VdbeError("disk I/O error (the read lock could not be taken back)")
        if self.holds_reserved:
            self._unlock(RESERVED_BYTE, 1)
            self.holds_reserved = False
        if level == NO_LOCK and held < EXCLUSIVE:
            self._unlock(SHARED_FIRST, SHARED_SIZE)
        if self.holds_pending:
            self._unlock(PENDING_BYTE, 1)
            self.holds_pending = False
        self.level = level

    def reserved_elsewhere(self) -> bool:
        """Does another connection hold RESERVED (or more)? Then a journal is not hot."""
        if self.level >= RESERVED:
            return False
        if self._lock(READ_NOW, RESERVED_BYTE, 1):
            self._unlock(RESERVED_BYTE, 1)
            return False
        return True
