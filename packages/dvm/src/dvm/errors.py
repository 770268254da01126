"""The errors a user can meet, and how they are shown.

Every error carries a message and, when it is known, the `Span` of source it is
about. `render` turns it into the text the command line prints: the kind of error,
the line and column, the source line, and carets under the offending part.
"""

from typing import ClassVar

from dvm.span import Span


class DvmError(Exception):
    """Base class of every error caused by what a user typed."""

    kind: ClassVar[str] = "error"
    exit_status: ClassVar[int] = 65

    def __init__(self, message: str, span: Span | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.span = span

    # --8<-- [start:render]
    def render(self, source: str | None = None) -> str:
        """The error as the command line prints it, pointing into `source`."""
        if self.span is None:
            return f"{self.kind}: {self.message}"
        lines = (source or "").split("\n")
        where = f"column {self.span.column}"
        if len(lines) > 1:
            where = f"line {self.span.line}, {where}"
        text = f"{self.kind} at {where}: {self.message}"
        if source is not None and 1 <= self.span.line <= len(lines):
            line = lines[self.span.line - 1]
            text += "\n" + line + "\n" + caret_line(line, self.span)
        return text

    # --8<-- [end:render]


class DvmSyntaxError(DvmError):
    """The text is not an expression: a bad character, a missing operand, a stray token."""

    kind = "syntax error"
    exit_status = 65


class DvmCompileError(DvmError):
    """A well-formed expression the code generator cannot fit into the machine."""

    kind = "compile error"
    exit_status = 65


class DvmRuntimeError(DvmError):
    """Something went wrong while the VM ran the program (division by zero)."""

    kind = "runtime error"
    exit_status = 70


def caret_line(line: str, span: Span) -> str:
    """Spaces up to `span.column`, then one caret per character of the span.

    Tabs before the span are kept as tabs, so the carets line up in a terminal.
    """
    prefix = "".join("\t" if char == "\t" else " " for char in line[: span.column - 1])
    return prefix + "^" * max(span.length, 1)
