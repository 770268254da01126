"""The lexer: turns source text into a list of tokens, ending with an END token.

It reads one character at a time and knows three shapes: whitespace (skipped),
a run of digits (a NUMBER whose value must fit in 32 unsigned bits), and the single
characters of `SINGLE_CHARACTER_TOKENS`. Anything else is a syntax error that points
at the character.
"""

from dvm.errors import DvmSyntaxError
from dvm.span import Span
from dvm.tokens import SINGLE_CHARACTER_TOKENS, Token, TokenKind

LARGEST_LITERAL = 2**32 - 1
WHITESPACE = " \t\r\n"
DIGITS = "0123456789"


# --8<-- [start:tokenize]
def tokenize(source: str) -> list[Token]:
    """Split `source` into tokens; the last one is always END."""
    tokens: list[Token] = []
    index, line, line_start = 0, 1, 0
    while index < len(source):
        char = source[index]
        column = index - line_start + 1
        if char == "\n":
            line, line_start = line + 1, index + 1
            index += 1
        elif char in WHITESPACE:
            index += 1
        elif char in DIGITS:
            end = index
            while end < len(source) and source[end] in DIGITS:
                end += 1
            tokens.append(number_token(source[index:end], Span(line, column, end - index)))
            index = end
        elif char in SINGLE_CHARACTER_TOKENS:
            tokens.append(Token(SINGLE_CHARACTER_TOKENS[char], char, Span(line, column)))
            index += 1
        else:
            raise DvmSyntaxError(f"unexpected character {char!r}", Span(line, column))
    end_column = len(source) - line_start + 1
    tokens.append(Token(TokenKind.END, "", Span(line, end_column)))
    return tokens


# --8<-- [end:tokenize]


# --8<-- [start:number]
def number_token(digits: str, span: Span) -> Token:
    """A NUMBER token for `digits`, refusing values that do not fit in a register."""
    significant = digits.lstrip("0")
    if len(significant) > len(str(LARGEST_LITERAL)) or int(significant or "0") > LARGEST_LITERAL:
        raise DvmSyntaxError(
            f"number {shorten(digits)} is too large; the largest is {LARGEST_LITERAL} (2^32 - 1)",
            span,
        )
    return Token(TokenKind.NUMBER, digits, span, int(significant or "0"))


# --8<-- [end:number]


def shorten(digits: str) -> str:
    """Digits as an error message shows them: very long runs are cut in the middle."""
    if len(digits) <= 30:
        return digits
    return f"{digits[:12]}...{digits[-12:]} ({len(digits)} digits)"
