"""Tokens: the words of a Carrot program, as the lexer hands them to the parser.

A token's ``kind`` is a short string. Keywords and punctuation are their own kind
(``"fn"``, ``"=="``, ``"{"``), so the parser can write ``self.check("==")``. The other
kinds are upper case so they can never clash with a keyword: ``INT``, ``FLOAT``,
``STRING``, ``NAME`` and ``EOF``.
"""

from __future__ import annotations

from dataclasses import dataclass

INT = "INT"
FLOAT = "FLOAT"
STRING = "STRING"
NAME = "NAME"
EOF = "EOF"

# --8<-- [start:keywords]
KEYWORDS = frozenset(
    {
        "fn", "txn", "let", "if", "else", "while", "for", "in",
        "return", "break", "continue", "abort", "true", "false", "null",
    }
)  # fmt: skip
# --8<-- [end:keywords]

# Longest first: the lexer tries two-character operators before one-character ones.
PUNCTUATION = (
    "==",
    "!=",
    "<=",
    ">=",
    "&&",
    "||",
    "(",
    ")",
    "{",
    "}",
    "[",
    "]",
    ",",
    ";",
    ".",
    ":",
    "=",
    "<",
    ">",
    "+",
    "-",
    "*",
    "/",
    "%",
    "!",
)


# --8<-- [start:token]
@dataclass(frozen=True, slots=True)
class Token:
    """One token: its kind, its exact source text, its value (for literals) and position."""

    kind: str
    text: str
    line: int
    col: int
    value: object = None  # int for INT, float for FLOAT, the decoded str for STRING

    # --8<-- [end:token]

    def describe(self) -> str:
        """How error messages name this token: ``'while'``, ``end of input``, ``number 42``."""
        if self.kind == EOF:
            return "end of input"
        if self.kind in (INT, FLOAT):
            return f"number {self.text}"
        if self.kind == STRING:
            return f"string {self.text}"
        if self.kind == NAME:
            return f"name '{self.text}'"
        return f"'{self.text}'"
