"""Errors in a user's program, and how they are shown.

Two kinds of error reach the user, both on standard error:

- a **compile error** (exit status 65) is found before anything runs: by the lexer,
  the parser, the resolver or the compiler. It shows where, the source line and a caret::

      prog.carrot:2:14: error: expected ';' after the value
          let x = 1 + 2
                       ^

- a **runtime error** (exit status 70) stops a running program. It shows where, then one
  line per active call, innermost first::

      prog.carrot:3:14: runtime error: unsupported operands for +: string and int
        at greet (prog.carrot:3:14)
        at <main> (prog.carrot:6:1)

Both are exceptions that carry positions, never Python tracebacks. Compile errors are
:class:`CompileError` (here); runtime errors are ``carrot.runtime.CarrotRuntimeError``,
which renders itself.
"""

from __future__ import annotations

from dataclasses import dataclass, field


class CarrotError(Exception):
    """Base of every error in a user's program."""

    def __init__(self, message: str, line: int = 0, col: int = 0, file: str | None = None):
        super().__init__(message)
        self.message = message
        self.line = line
        self.col = col
        self.file = file


class CompileError(CarrotError):
    """The program is not valid Carrot; raised before it runs (exit status 65)."""


@dataclass
class Source:
    """A program's text and the name it is shown under (a path, ``<string>``, ``<stdin>``)."""

    text: str
    file: str = "<string>"
    lines: list[str] = field(init=False)

    def __post_init__(self) -> None:
        self.lines = self.text.split("\n")

    def line_text(self, line: int) -> str | None:
        if 1 <= line <= len(self.lines):
            return self.lines[line - 1].rstrip("\r")
        return None


class SourceDecodeError(CompileError):
    """The program's bytes are not UTF-8; ``source`` shows them, bad bytes replaced."""

    def __init__(self, message: str, line: int, col: int, source: Source) -> None:
        super().__init__(message, line, col, source.file)
        self.source = source


BOM = b"\xef\xbb\xbf"


def decode_source(data: bytes, file: str) -> Source:
    """A program file's bytes as a Source (a leading byte order mark dropped).

    Bytes that are not UTF-8 are a compile error at the first bad byte: its line, and
    its column counted in characters like every other column.
    """
    data = data.removeprefix(BOM)
    try:
        return Source(data.decode("utf-8"), file)
    except UnicodeDecodeError as exc:
        line_start = data.rfind(b"\n", 0, exc.start) + 1
        line = data.count(b"\n", 0, line_start) + 1
        col = len(data[line_start : exc.start].decode("utf-8")) + 1
        message = f"source is not valid UTF-8 (byte 0x{data[exc.start]:02X})"
        shown = Source(data.decode("utf-8", "replace"), file)
        raise SourceDecodeError(message, line, col, shown) from None


# --8<-- [start:format_compile_error]
def format_compile_error(error: CompileError, source: Source) -> str:
    """``FILE:LINE:COL: error: MESSAGE``, then the source line and a caret under COL."""
    file = error.file or source.file
    lines = [f"{file}:{error.line}:{error.col}: error: {error.message}"]
    text = source.line_text(error.line)
    if text is not None:
        lines.append(text)
        lines.append(caret_line(text, error.col))
    return "\n".join(lines)


def caret_line(text: str, col: int) -> str:
    """Spaces up to column ``col`` then ``^``; tabs are copied so the caret lines up."""
    prefix = text[: max(col - 1, 0)]
    padding = "".join("\t" if ch == "\t" else " " for ch in prefix)
    padding += " " * max(col - 1 - len(prefix), 0)
    return padding + "^"


# --8<-- [end:format_compile_error]
