"""Cutting a script into statements, as the sqlite3 shell does.

A statement ends at a `;` that is outside string literals, quoted names and comments,
and after which the text is a complete statement: `CREATE TRIGGER ... BEGIN ...; END;`
holds semicolons of its own, and only SQLite's own `sqlite3_complete()` (the module's
`complete_statement`) knows where such a statement ends.

    for statement in split_statements("SELECT 1; SELECT 2;"):
        print(statement.line, statement.sql)
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from vdbe.sqlite_library import sqlite3

# Tokens that may hold a `;` which does not end anything, and the `;` itself.
_PIECES = re.compile(
    r"""'(?:[^']|'')*'?|"(?:[^"]|"")*"?|`(?:[^`]|``)*`?|\[[^\]]*\]?"""
    r"""|--[^\n]*|/\*.*?(?:\*/|$)|;""",
    re.DOTALL,
)


class Statement:
    """One statement of a script: its text (with its `;`) and the line it starts on."""

    __slots__ = ("sql", "line")

    def __init__(self, sql: str, line: int) -> None:
        self.sql = sql
        self.line = line

    def __repr__(self) -> str:
        return f"Statement({self.sql!r}, line={self.line})"


def semicolons(text: str) -> Iterator[int]:
    """The offsets of the `;` characters that are not inside literals or comments."""
    for match in _PIECES.finditer(text):
        if match.group() == ";":
            yield match.start()


def split_statements(text: str, first_line: int = 1) -> list[Statement]:
    """The statements of `text`, in order; what follows the last `;` is one more
    statement if it holds anything but spaces and comments."""
    found = []
    start = 0
    for at in semicolons(text):
        piece = text[start : at + 1]
        if sqlite3.complete_statement(piece):
            found.append(_statement(text, start, piece, first_line))
            start = at + 1
    rest = text[start:]
    if not is_blank(rest):
        found.append(_statement(text, start, rest, first_line))
    return [s for s in found if not is_blank(s.sql.rstrip(";"))]


def _statement(text: str, start: int, piece: str, first_line: int) -> Statement:
    leading = len(piece) - len(piece.lstrip())
    line = first_line + text.count("\n", 0, start + leading)
    return Statement(piece.strip(), line)


def is_blank(text: str) -> bool:
    """Only spaces, comments and semicolons?"""
    without = _PIECES.sub(lambda m: "" if m.group()[:2] in ("--", "/*") else m.group(), text)
    return not without.replace(";", "").strip()


def top_level_split(text: str) -> list[str]:
    """The comma-separated items of `text`, outside parentheses and literals, stripped."""
    items, depth, start = [], 0, 0
    for match in re.finditer(r"'(?:[^']|'')*'|\"(?:[^\"]|\"\")*\"|[(),]", text):
        token = match.group()
        if token == "(":
            depth += 1
        elif token == ")":
            depth -= 1
        elif token == "," and depth == 0:
            items.append(text[start : match.start()].strip())
            start = match.end()
    items.append(text[start:].strip())
    return [item for item in items if item]
