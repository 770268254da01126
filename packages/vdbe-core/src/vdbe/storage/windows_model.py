"""A model of Windows' byte-range locks, so that the Windows lock layer runs on any system.

`Kernel32Model` answers the two calls the layer makes, `LockFileEx` and `UnlockFileEx`,
with their real arguments (an OVERLAPPED carries the offset), by Windows' rules:

- locks belong to a file handle; two handles on one file conflict, in one process or two;
- a shared lock may overlap only shared locks; an exclusive lock may overlap nothing,
  not even a lock the same handle holds;
- an unlock must name exactly a range that handle locked, or it fails (ERROR_NOT_LOCKED).

Every call is recorded in `calls`, so tests can compare the ranges and their order with
SQLite's os_win.c. `Kernel32Model().layer` is a lock-layer constructor for `OsVfs(locks=)`.
"""

from __future__ import annotations

import os

from .windows_locks import LOCKFILE_EXCLUSIVE_LOCK, LOCKFILE_FAIL_IMMEDIATELY, Win32, WindowsLocks


class Handle:
    """A file handle: which file it is open on, and a serial number of its own."""

    __slots__ = ("file", "serial")

    def __init__(self, file: tuple[int, int], serial: int) -> None:
        self.file = file
        self.serial = serial

    def __repr__(self) -> str:
        return f"<handle {self.serial}>"


class Kernel32Model:
    """LockFileEx and UnlockFileEx, kept in memory by Windows' rules."""

    def __init__(self) -> None:
        self.held: dict[tuple[int, int], list[tuple[Handle, int, int, bool]]] = {}
        self.calls: list[tuple[Handle, str, int, int, bool]] = []  # handle, what, start, len, ok
        self.handles = 0
        self.win32 = Win32(kernel32=self, handle_of=self.handle_of)

    def handle_of(self, fd: int) -> Handle:
        info = os.fstat(fd)
        self.handles += 1
        return Handle((info.st_dev, info.st_ino), self.handles)

    def layer(self, fd: int) -> WindowsLocks:
        return WindowsLocks(fd, self.win32)

    def LockFileEx(self, handle, flags, reserved, length_low, length_high, overlapped) -> int:
        if not flags & LOCKFILE_FAIL_IMMEDIATELY:
            raise ValueError("a LockFileEx that waits would wait forever in this model")
        start, length = _range(overlapped, length_low, length_high)
        exclusive = bool(flags & LOCKFILE_EXCLUSIVE_LOCK)
        locks = self.held.setdefault(handle.file, [])
        ok = not any(
            start < s + n and s < start + length and (exclusive or other_exclusive)
            for _, s, n, other_exclusive in locks
        )
        if ok:
            locks.append((handle, start, length, exclusive))
        self.calls.append((handle, "exclusive" if exclusive else "shared", start, length, ok))
        return int(ok)

    def UnlockFileEx(self, handle, reserved, length_low, length_high, overlapped) -> int:
        start, length = _range(overlapped, length_low, length_high)
        locks = self.held.get(handle.file, [])
        mine = [lock for lock in locks if lock[:3] == (handle, start, length)]
        if mine:
            locks.remove(mine[0])
        self.calls.append((handle, "unlock", start, length, bool(mine)))
        return int(bool(mine))

    def held_by(self, handle: Handle) -> list[tuple[str, int, int]]:
        """The ranges `handle` holds now: (shared or exclusive, start, length)."""
        return [
            ("exclusive" if exclusive else "shared", start, length)
            for h, start, length, exclusive in self.held.get(handle.file, [])
            if h is handle
        ]


def _range(overlapped, length_low: int, length_high: int) -> tuple[int, int]:
    where = overlapped._obj  # the OVERLAPPED that ctypes.byref points to
    return where.Offset | where.OffsetHigh << 32, length_low | length_high << 32
