"""Runtime errors of Carrot programs, and how they are shown to the user.

A runtime error is raised as a :class:`CarrotRuntimeError` carrying only its message.
The interpreter (or the fast path) then fills in where it happened: the source
position of the failing instruction and one entry per active call, innermost first.
``render()`` gives the text the command line prints on standard error::

    prog.carrot:3:14: runtime error: division by zero
      at half (prog.carrot:3:14)
      at <main> (prog.carrot:6:7)
"""

from __future__ import annotations

from vdbe import memory
from vdbe.errors import VdbeError


class CarrotRuntimeError(VdbeError):
    """An error in a running Carrot program (exit status 70)."""

    exit_status = 70

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.file = "<string>"
        self.line = 0
        self.col = 0
        # (function name, line, col) per active call, innermost first
        self.stack: list[tuple[str, int, int]] = []
        # set while the fast path unwinds: the failing instruction's address
        self.pending_pc: int | None = None

    def add_frame(self, name: str, line: int, col: int) -> None:
        """Record one more active call; the first one added is the innermost."""
        if not self.stack:
            self.line, self.col = line, col
        self.stack.append((name, line, col))

    def render(self) -> str:
        """The full report: the error line, then the call stack."""
        lines = [f"{self.file}:{self.line}:{self.col}: runtime error: {self.message}"]
        for name, line, col in self.stack:
            lines.append(f"  at {name} ({self.file}:{line}:{col})")
        return "\n".join(lines)


def out_of_memory() -> CarrotRuntimeError:
    """The error a program gets when its values outgrow the memory the process may have
    (a host MemoryError, caught where the running program can still be located). It
    first gives back the engine's reserve (`vdbe.memory`), so that it can be built."""
    memory.release_reserve()
    return CarrotRuntimeError("out of memory")


class CarrotInterrupted(CarrotRuntimeError):  # noqa: N818 - named for what the user did
    """The user pressed Ctrl-C (exit status 130); the report is just ``interrupted``."""

    exit_status = 130

    def __init__(self, message: str = "interrupted") -> None:
        super().__init__(message)

    def render(self) -> str:
        return self.message
