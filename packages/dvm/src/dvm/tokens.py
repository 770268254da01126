"""Tokens: the words of the expression language, as the lexer hands them to the parser."""

from dataclasses import dataclass
from enum import Enum

from dvm.span import Span


class TokenKind(Enum):
    """Every kind of token. The value is how the kind is named in error messages."""

    NUMBER = "number"
    PLUS = "'+'"
    MINUS = "'-'"
    STAR = "'*'"
    SLASH = "'/'"
    PERCENT = "'%'"
    LEFT_PAREN = "'('"
    RIGHT_PAREN = "')'"
    END = "the end of the input"


# --8<-- [start:single-characters]
SINGLE_CHARACTER_TOKENS = {
    "+": TokenKind.PLUS,
    "-": TokenKind.MINUS,
    "*": TokenKind.STAR,
    "/": TokenKind.SLASH,
    "%": TokenKind.PERCENT,
    "(": TokenKind.LEFT_PAREN,
    ")": TokenKind.RIGHT_PAREN,
}
# --8<-- [end:single-characters]


# --8<-- [start:token]
@dataclass(frozen=True, slots=True)
class Token:
    """One token: its kind, the exact source text, where it sits, and a number's value."""

    kind: TokenKind
    text: str
    span: Span
    value: int | None = None

    def describe(self) -> str:
        """How an error message names this token: `number 12`, `'+'`, `the end of the input`."""
        if self.kind is TokenKind.NUMBER:
            return f"number {self.text}"
        return self.kind.value


# --8<-- [end:token]
