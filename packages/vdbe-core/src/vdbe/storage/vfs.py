"""The file layer under the pager: reading, writing, syncing and locking files.

SQLite calls this layer its VFS. `OsVfs` talks to the operating system; it takes POSIX
advisory byte-range locks exactly where SQLite's unix layer takes them, so this program and
a real SQLite process see each other's locks:

    PENDING_BYTE (0x40000000)   write-locked while a writer waits for readers to leave
    RESERVED_BYTE (+1)          write-locked by the one connection that intends to write
    SHARED range (+2, 510 b)    read-locked by every reader; write-locked = EXCLUSIVE

The bytes sit at 1 GiB, normally past the end of the file, so locking them never blocks I/O.
POSIX locks belong to a process, not to a file descriptor: two connections to one file in
the same process do not exclude each other (SQLite needs extra bookkeeping for that case;
this layer does not do it). `FaultyVfs` fails chosen writes and syncs, for crash tests.
"""

from __future__ import annotations

import fcntl
import os
import time

from vdbe.errors import BusyError, VdbeError

from .format import PENDING_BYTE, RESERVED_BYTE, SHARED_FIRST, SHARED_SIZE

NO_LOCK, SHARED, RESERVED, PENDING, EXCLUSIVE = range(5)
LOCK_NAMES = ("none", "shared", "reserved", "pending", "exclusive")


class DiskIOError(VdbeError):
    """A read, write or sync failed."""

    code = "SQLITE_IOERR"

    def __init__(self, message: str = "disk I/O error", code: str | None = None) -> None:
        super().__init__(message, code)


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


class OsFile:
    """One open file: positioned reads and writes, fsync, and SQLite's lock levels."""

    def __init__(self, path: str, vfs: OsVfs) -> None:
        self.path = path
        self.vfs = vfs
        self.lock_level = NO_LOCK
        self.readonly = False
        try:
            self.fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o644)
        except PermissionError:
            try:  # a file we may only read: fine until someone tries to write
                self.fd = os.open(path, os.O_RDONLY)
                self.readonly = True
            except OSError as exc:
                raise VdbeError(f"unable to open database file: {path}", "SQLITE_CANTOPEN") from exc
        except OSError as exc:
            raise VdbeError(f"unable to open database file: {path}", "SQLITE_CANTOPEN") from exc

    # --- data -----------------------------------------------------------------------------
    def read(self, offset: int, size: int) -> bytes:
        try:
            return os.pread(self.fd, size, offset)
        except OSError as exc:
            raise DiskIOError() from exc

    def write(self, offset: int, data) -> None:
        try:
            os.pwrite(self.fd, data, offset)
        except OSError as exc:
            raise DiskIOError() from exc

    def truncate(self, size: int) -> None:
        try:
            os.ftruncate(self.fd, size)
        except OSError as exc:
            raise DiskIOError() from exc

    def sync(self) -> None:
        try:
            os.fsync(self.fd)
        except OSError as exc:
            raise DiskIOError() from exc

    def size(self) -> int:
        return os.fstat(self.fd).st_size

    def close(self) -> None:
        if self.fd >= 0:
            os.close(self.fd)
            self.fd = -1
            self.lock_level = NO_LOCK

    # --- locks ----------------------------------------------------------------------------
    def lock(self, level: int) -> None:
        """Raise the lock to `level` (SHARED, RESERVED or EXCLUSIVE) or raise BusyError."""
        deadline = time.monotonic() + self.vfs.busy_timeout
        while not self.try_lock(level):
            if time.monotonic() >= deadline:
                raise BusyError()
            time.sleep(0.002)

    # --8<-- [start:try_lock]
    def try_lock(self, level: int) -> bool:
        """One attempt to raise the lock to `level`; False if another process is in the way."""
        fd = self.fd
        if self.lock_level >= level:
            return True
        if level == SHARED:
            # the pending byte is tested first so that a waiting writer is not starved
            if not _try(fd, fcntl.LOCK_SH, PENDING_BYTE, 1):
                return False
            ok = _try(fd, fcntl.LOCK_SH, SHARED_FIRST, SHARED_SIZE)
            _try(fd, fcntl.LOCK_UN, PENDING_BYTE, 1)
            if ok:
                self.lock_level = SHARED
            return ok
        if level == RESERVED:
            if not _try(fd, fcntl.LOCK_EX, RESERVED_BYTE, 1):
                return False
            self.lock_level = RESERVED
            return True
        # EXCLUSIVE: PENDING first (keeps new readers out), then the whole shared range
        if self.lock_level < PENDING:
            if not _try(fd, fcntl.LOCK_EX, PENDING_BYTE, 1):
                return False
            self.lock_level = PENDING
        if not _try(fd, fcntl.LOCK_EX, SHARED_FIRST, SHARED_SIZE):
            return False
        self.lock_level = EXCLUSIVE
        return True

    # --8<-- [end:try_lock]

    def unlock(self, level: int) -> None:
        """Lower the lock to SHARED or NO_LOCK."""
        fd = self.fd
        if fd < 0 or self.lock_level <= level:
            return
        if level == SHARED:
            if self.lock_level == EXCLUSIVE:
                fcntl.lockf(fd, fcntl.LOCK_SH, SHARED_SIZE, SHARED_FIRST, os.SEEK_SET)
            _try(fd, fcntl.LOCK_UN, PENDING_BYTE, 2)  # pending and reserved together
            self.lock_level = SHARED
        else:
            _try(fd, fcntl.LOCK_UN, PENDING_BYTE, 2 + SHARED_SIZE)
            self.lock_level = NO_LOCK

    def reserved_elsewhere(self) -> bool:
        """Does another process hold RESERVED (or more)? Then a journal is not hot."""
        if self.lock_level >= RESERVED:
            return False
        if _try(self.fd, fcntl.LOCK_SH, RESERVED_BYTE, 1):
            _try(self.fd, fcntl.LOCK_UN, RESERVED_BYTE, 1)
            return False
        return True


class OsVfs:
    """The real file system. `busy_timeout` is how long a lock request keeps retrying."""

    def __init__(self, busy_timeout: float = 0.0) -> None:
        self.busy_timeout = busy_timeout

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
            raise DiskIOError() from exc


class FaultyFile(OsFile):
    """An OsFile whose writes and syncs go through its FaultyVfs' failure counter."""

    def write(self, offset: int, data) -> None:
        if self.vfs.should_fail("write"):
            half = bytes(data[: len(data) // 2])  # a torn write: only part reaches the disk
            os.pwrite(self.fd, half, offset)
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
