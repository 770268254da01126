"""A file layer that simulates power loss and failing disks: a tool for crash tests.

`CrashVfs` sits where the pager expects its VFS. The files are real, but the layer also
remembers, for each file, what is *durable*: its content as of the last sync. Every write
since then is *pending*, as if it still sat in the operating system's cache.

Power loss. `CrashVfs(cut_at=("sync", k))` cuts the power just before the k-th sync
(counting from 1). What survives, file by file, is the durable content plus a random
subset of the pending writes, applied in a random order, each one possibly torn: a write
that spans several 512-byte sectors may reach the disk for only some of them. This is the
model of SQLite's own crash tests (its "crash VFS"). Truncation and deletion are treated as
durable when they return (a journaling file system orders its metadata), as is a file's
creation. The surviving images are kept in `images` and `PowerCut` is raised; nothing the
program does afterwards reaches them. `restore(directory)` writes them out as files, for
this project's code and real SQLite to open; `redraw(seed)` draws another outcome of the
same cut.

Failing disks. `CrashVfs(fail_at=("write", n, errno.ENOSPC))` makes the n-th write fail
with that error, once; the operation does nothing, and everything else works.

`ops` counts the operations of each kind seen so far, so that a dry run tells how many
cut or failure points a workload has.
"""

from __future__ import annotations

import os
import random

from .vfs import OsFile, OsVfs, io_error

SECTOR = 512
KINDS = ("write", "sync", "truncate", "delete")


class PowerCut(BaseException):  # noqa: N818 - an event, not an error the program handles
    """The power went: raised at the operation where it happened, and at every later one.
    A BaseException, so that no `except Exception` in the engine mistakes it for an
    error it could handle by writing something more."""


class FileState:
    """What the disk holds of one file: durable bytes, and writes not yet synced."""

    def __init__(self, content: bytes) -> None:
        self.durable = bytearray(content)
        self.pending: list[tuple[int, bytes]] = []

    def truncate(self, size: int) -> None:
        del self.durable[size:]
        self.pending = [(off, data[: max(0, size - off)]) for off, data in self.pending]
        self.pending = [(off, data) for off, data in self.pending if data]

    # --8<-- [start:survivor]
    def survivor(self, rng: random.Random) -> bytes:
        """The file after a power cut: durable content, then some pending writes (each
        kept, dropped or torn at sector boundaries), in a shuffled order."""
        image = bytearray(self.durable)
        writes = [w for w in self.pending if rng.random() < 0.6]
        rng.shuffle(writes)
        for offset, data in writes:
            for start, piece in _sectors(offset, data):
                if rng.random() < 0.15:
                    continue  # torn: this sector of the write never reached the disk
                if len(image) < start:
                    image.extend(bytes(start - len(image)))
                image[start : start + len(piece)] = piece
        return bytes(image)

    # --8<-- [end:survivor]


def _sectors(offset: int, data: bytes):
    """Split a write at the disk's sector boundaries."""
    pos = 0
    while pos < len(data):
        end = min(len(data), (offset + pos) // SECTOR * SECTOR + SECTOR - offset)
        yield offset + pos, data[pos:end]
        pos = end


class CrashFile(OsFile):
    """An OsFile that reports every change to its CrashVfs first."""

    def write(self, offset: int, data) -> None:
        self.vfs.operation("write", self.path)
        super().write(offset, data)
        self.vfs.state(self.path).pending.append((offset, bytes(data)))

    def sync(self) -> None:
        self.vfs.operation("sync", self.path)
        super().sync()
        state = self.vfs.state(self.path)
        state.durable = bytearray(_read_file(self.path))
        state.pending.clear()

    def truncate(self, size: int) -> None:
        self.vfs.operation("truncate", self.path)
        super().truncate(size)
        self.vfs.state(self.path).truncate(size)


class CrashVfs(OsVfs):
    """The real file system, watched: see the module's docstring."""

    def __init__(
        self,
        *,
        cut_at: tuple[str, int] | None = None,
        fail_at: tuple[str, int, int] | None = None,
        seed: int = 0,
    ) -> None:
        super().__init__()
        self.cut_at = cut_at
        self.fail_at = fail_at
        self.rng = random.Random(seed)
        self.ops = dict.fromkeys(KINDS, 0)
        self.files: dict[str, FileState] = {}
        self.images: dict[str, bytes] | None = None  # set when the power is cut
        self.at_cut: dict[str, FileState] = {}  # what the disk held of each file then
        self.failed = False

    def open(self, path: str) -> CrashFile:
        if self.images is not None:
            raise PowerCut()
        self.state(path)
        return CrashFile(path, self)

    def state(self, path: str) -> FileState:
        key = os.path.abspath(path)
        if key not in self.files:
            self.files[key] = FileState(_read_file(path) if os.path.exists(path) else b"")
        return self.files[key]

    def delete(self, path: str) -> None:
        self.operation("delete", path)
        super().delete(path)
        self.files.pop(os.path.abspath(path), None)

    def sync_directory(self, path: str) -> None:
        if self.images is not None:
            raise PowerCut()

    def operation(self, kind: str, path: str) -> None:
        """Count one operation; cut the power or fail it if this is the chosen one."""
        if self.images is not None:
            raise PowerCut()
        self.ops[kind] += 1
        if self.cut_at == (kind, self.ops[kind]):
            self.at_cut = {
                name: state for name, state in self.files.items() if os.path.exists(name)
            }
            self.images = self._survivors(self.rng)
            raise PowerCut()
        if self.fail_at is not None and self.fail_at[:2] == (kind, self.ops[kind]):
            self.failed = True
            code = self.fail_at[2]
            raise io_error(OSError(code, os.strerror(code), path))

    def _survivors(self, rng: random.Random) -> dict[str, bytes]:
        return {name: state.survivor(rng) for name, state in self.at_cut.items()}

    def redraw(self, seed: int) -> None:
        """Draw another outcome of the same power cut into `images`: what the cut leaves
        with `seed` is what a layer made with that seed would have left, so a test can
        try several outcomes of one cut without running its workload again."""
        assert self.images is not None, "the power has not been cut"
        self.images = self._survivors(random.Random(seed))

    def restore(self, directory: str) -> dict[str, str]:
        """Write the files as the power cut left them into `directory`; returns the map
        from each original path to its copy."""
        copies = {}
        for name, image in (self.images or {}).items():
            copy = os.path.join(directory, os.path.basename(name))
            with open(copy, "wb") as f:
                f.write(image)
            copies[name] = copy
        return copies


def _read_file(path: str) -> bytes:
    with open(path, "rb") as f:
        return f.read()
