"""The file layer under the pager: reading, writing, syncing and locking files.

SQLite calls this layer its VFS. `OsVfs` talks to the operating system through `system`,
which chooses once what differs between systems (binary mode, positioned I/O, the lock
layer); this module is the same everywhere. Locks are taken at SQLite's own byte offsets
(see `locking`), so this program and a real SQLite process see each other's locks.
`FaultyVfs` fails chosen writes and syncs, for crash tests.
"""

from __future__ import annotations

import errno
import os
import time

from vdbe.errors import BusyError, VdbeError

from . import system
from .locking import NO_LOCK


class DiskIOError(VdbeError):
    """A read, write or sync failed."""

    code = "SQLITE_IOERR"

    def __init__(self, message: str = "disk I/O error", code: str | None = None) -> None:
        super().__init__(message, code)


def io_error(exc: OSError) -> VdbeError:
    """The error SQLite reports for a failed file operation: a full disk is SQLITE_FULL,
    anything else SQLITE_IOERR."""
    if exc.errno in (errno.ENOSPC, errno.EDQUOT):
        return VdbeError("database or disk is full", "SQLITE_FULL")
    return DiskIOError()


class OsFile:
    """One open file: positioned reads and writes, fsync, and SQLite's lock levels."""

    def __init__(self, path: str, vfs: OsVfs) -> None:
        self.path = path
        self.vfs = vfs
        self.readonly = False
        try:
            make_locks = vfs.locks or system.native_locks()
        except system.LockingUnavailableError as exc:
            raise system.LockingUnavailableError(
                f"unable to open database file {path}: {exc}"
            ) from None
        try:
            self.fd = os.open(path, system.OPEN_FLAGS, 0o644)
        except PermissionError:
            try:  # a file we may only read: fine until someone tries to write
                self.fd = os.open(path, system.READ_ONLY_FLAGS)
                self.readonly = True
            except OSError as exc:
                raise VdbeError(f"unable to open database file: {path}", "SQLITE_CANTOPEN") from exc
        except OSError as exc:
            raise VdbeError(f"unable to open database file: {path}", "SQLITE_CANTOPEN") from exc
        self.locks = make_locks(self.fd)

    # --- data -----------------------------------------------------------------------------
    def read(self, offset: int, size: int) -> bytes:
        try:
            return system.pread(self.fd, size, offset)
        except OSError as exc:
            raise io_error(exc) from exc

    def write(self, offset: int, data) -> None:
        try:
            system.pwrite(self.fd, data, offset)
        except OSError as exc:
            raise io_error(exc) from exc

    def truncate(self, size: int) -> None:
        try:
            os.ftruncate(self.fd, size)
        except OSError as exc:
            raise io_error(exc) from exc

    def sync(self) -> None:
        try:
            os.fsync(self.fd)
        except OSError as exc:
            raise io_error(exc) from exc

    def size(self) -> int:
        return os.fstat(self.fd).st_size

    def close(self) -> None:
        if self.fd >= 0:
            self.locks.unlock(NO_LOCK)  # Windows keeps a closed handle's locks a while
            os.close(self.fd)
            self.fd = -1

    # --- locks ----------------------------------------------------------------------------
    @property
    def lock_level(self) -> int:
        return self.locks.level

    def lock(self, level: int) -> None:
        """Raise the lock to `level` (SHARED, RESERVED or EXCLUSIVE) or raise BusyError."""
        deadline = time.monotonic() + self.vfs.busy_timeout
        while not self.locks.try_lock(level):
            if time.monotonic() >= deadline:
                raise BusyError()
            time.sleep(0.002)

    def try_lock(self, level: int) -> bool:
        """One attempt to raise the lock to `level`; False if another connection is in the way."""
        return self.locks.try_lock(level)

    def unlock(self, level: int) -> None:
        """Lower the lock to SHARED or NO_LOCK."""
        if self.fd >= 0:
            self.locks.unlock(level)

    def reserved_elsewhere(self) -> bool:
        """Does another connection hold RESERVED (or more)? Then a journal is not hot."""
        return self.locks.reserved_elsewhere()


class OsVfs:
    """The real file system. `busy_timeout` is how long a lock request keeps retrying."""

    def __init__(self, busy_timeout: float = 0.0, locks=None) -> None:
        self.busy_timeout = busy_timeout
        self.locks = locks  # a lock layer's constructor (fd -> layer); None: the system's

    def open(self, path: str) -> OsFile:
        return OsFile(path, self)

    def exists(self, path: str) -> bool:
        return os.path.exists(path)

    def sync_directory(self, path: str) -> None:
        """Make a newly created file's directory entry durable (best effort)."""
        try:
            fd = os.open(os.path.dirname(os.path.abspath(path)), os.O_RDONLY)
        except OSError:
            return
        try:
            os.fsync(fd)
        except OSError:
            pass
        finally:
            os.close(fd)

    def delete(self, path: str) -> None:
        try:
            os.unlink(path)
        except FileNotFoundError:
            pass
        except OSError as exc:
            raise io_error(exc) from exc


class FaultyFile(OsFile):
    """An OsFile whose writes and syncs go through its FaultyVfs' failure counter."""

    def write(self, offset: int, data) -> None:
        if self.vfs.should_fail("write"):
            half = bytes(data[: len(data) // 2])  # a torn write: only part reaches the disk
            system.pwrite(self.fd, half, offset)
            raise DiskIOError()
        super().write(offset, data)

    def truncate(self, size: int) -> None:
        if self.vfs.should_fail("write"):
            raise DiskIOError()
        super().truncate(size)

    def sync(self) -> None:
        if self.vfs.should_fail("sync"):
            raise DiskIOError()
        super().sync()


class FaultyVfs(OsVfs):
    """Fails the Nth write (`fail_write_at`) or Nth sync (`fail_sync_at`), counting from 1.

    After the first failure every later write and sync fails too, as after a lost disk:
    the database must then recover on the next open from whatever reached the files.
    """

    def __init__(self, fail_write_at: int | None = None, fail_sync_at: int | None = None):
        super().__init__()
        self.fail_write_at = fail_write_at
        self.fail_sync_at = fail_sync_at
        self.writes = 0
        self.syncs = 0
        self.failed = False

    def open(self, path: str) -> FaultyFile:
        return FaultyFile(path, self)

    def should_fail(self, kind: str) -> bool:
        if self.failed:
            return True
        if kind == "write":
            self.writes += 1
            self.failed = self.writes == self.fail_write_at
        else:
            self.syncs += 1
            self.failed = self.syncs == self.fail_sync_at
        return self.failed

    def delete(self, path: str) -> None:
        if self.should_fail("write"):
            raise DiskIOError()
        super().delete(path)
