"""The lexer: source text in, a list of tokens out.

It walks the text one character at a time, keeping the line and column of every token
it starts, and checks the lexical rules that need no grammar: integer literals must fit
in 64 bits, string escapes must be one of ``\\n \\t \\r \\\\ \\" \\0``, every character must
belong to some token. Breaking one of them is a :class:`CompileError` at the offending
spot. Whitespace and ``//`` comments are skipped.
"""

from __future__ import annotations

# The largest int literal; the parser lets "-9223372036854775808" through.
from vdbe.int64 import LARGEST_INT64 as INT_MAX

from carrot.diagnostics import CompileError
from carrot.tokens import EOF, FLOAT, INT, KEYWORDS, NAME, PUNCTUATION, STRING, Token

TWO_CHARACTER = frozenset(p for p in PUNCTUATION if len(p) == 2)
ONE_CHARACTER = frozenset(p for p in PUNCTUATION if len(p) == 1)

ESCAPES = {"n": "\n", "t": "\t", "r": "\r", "\\": "\\", '"': '"', "0": "\0"}


def tokenize(text: str) -> list[Token]:
    """All the tokens of ``text``, ending with an ``EOF`` token."""
    return Lexer(text).tokens()


def is_name_start(ch: str) -> bool:
    return ch == "_" or ("a" <= ch <= "z") or ("A" <= ch <= "Z")


def is_name_char(ch: str) -> bool:
    return is_name_start(ch) or is_digit(ch)


def is_digit(ch: str) -> bool:
    return "0" <= ch <= "9"


class Lexer:
    """Scans one source text. ``pos`` is an index into the text; ``line``/``col`` follow it."""

    def __init__(self, text: str):
        self.text = text
        self.pos = 0
        self.line = 1
        self.col = 1

    # --8<-- [start:tokens]
    def tokens(self) -> list[Token]:
        found: list[Token] = []
        while True:
            self.skip_space_and_comments()
            if self.pos >= len(self.text):
                found.append(self.end_token(found))
                return found
            found.append(self.next_token())

    def next_token(self) -> Token:
        ch = self.text[self.pos]
        if is_digit(ch):
            return self.number()
        if is_name_start(ch):
            return self.name()
        if ch == '"':
            return self.string()
        two = self.text[self.pos : self.pos + 2]
        if two in TWO_CHARACTER:  # longest match first: '==' before '='
            return self.make(two, two)
        if ch in ONE_CHARACTER:
            return self.make(ch, ch)
        raise self.error(unexpected_character_message(ch, self.peek(1)))

    # --8<-- [end:tokens]

    def end_token(self, found: list[Token]) -> Token:
        """EOF sits just after the last token, so "expected ';'" points at a useful place."""
        if found:
            last = found[-1]
            return Token(EOF, "", last.line, last.col + len(last.text))
        return Token(EOF, "", 1, 1)

    # ------------------------------------------------------------ moving around

    def peek(self, ahead: int = 0) -> str:
        index = self.pos + ahead
        return self.text[index] if index < len(self.text) else ""

    def advance(self) -> str:
        ch = self.text[self.pos]
        self.pos += 1
        if ch == "\n":
            self.line += 1
            self.col = 1
        else:
            self.col += 1
        return ch

    def make(self, kind: str, text: str, value: object = None) -> Token:
        """A token for the next ``len(text)`` characters (which must not hold a newline)."""
        token = Token(kind, text, self.line, self.col, value)
        self.pos += len(text)
        self.col += len(text)
        return token

    def error(self, message: str, line: int | None = None, col: int | None = None):
        return CompileError(message, line or self.line, col or self.col)

    def skip_space_and_comments(self) -> None:
        while self.pos < len(self.text):
            ch = self.text[self.pos]
            if ch in " \t\r\n\f\v":
                self.advance()
            elif ch == "/" and self.peek(1) == "/":
                while self.pos < len(self.text) and self.text[self.pos] != "\n":
                    self.advance()
            else:
                return

    # ------------------------------------------------------------ the token kinds

    def name(self) -> Token:
        end = self.pos
        while end < len(self.text) and is_name_char(self.text[end]):
            end += 1
        word = self.text[self.pos : end]
        return self.make(word if word in KEYWORDS else NAME, word)

    # --8<-- [start:number]
    def number(self) -> Token:
        """``digits`` is an int; ``digits.digits`` with an optional ``e[+-]digits`` a float."""
        end = self.digits_end(self.pos)
        is_float = False
        if self.text.startswith(".", end) and is_digit(self.char_at(end + 1)):
            is_float = True
            end = self.digits_end(end + 1)
            if self.char_at(end) == "e":
                exponent = end + 1
                if self.char_at(exponent) in ("+", "-"):
                    exponent += 1
                if not is_digit(self.char_at(exponent)):
                    raise self.error("a float's exponent needs digits after 'e'", col=self.col)
                end = self.digits_end(exponent)
        if is_name_char(self.char_at(end)) or self.char_at(end) == ".":
            bad = end
            while is_name_char(self.char_at(bad)) or self.char_at(bad) == ".":
                bad += 1
            raise self.error(f"invalid number '{self.text[self.pos : bad]}'")
        text = self.text[self.pos : end]
        if is_float:
            return self.make(FLOAT, text, float(text))
        significant = text.lstrip("0")
        # INT_MAX + 1 is allowed only after a minus (the parser checks). Digits are
        # counted first: a literal of thousands of digits is never converted.
        if len(significant) > len(str(INT_MAX)) or int(significant or "0") > INT_MAX + 1:
            raise self.error(out_of_range_message(text))
        return self.make(INT, text, int(significant or "0"))

    # --8<-- [end:number]

    def char_at(self, index: int) -> str:
        return self.text[index] if index < len(self.text) else ""

    def digits_end(self, index: int) -> int:
        while index < len(self.text) and is_digit(self.text[index]):
            index += 1
        return index

    def string(self) -> Token:
        """A double-quoted string on one line; the token's value has its escapes decoded."""
        line, col, start = self.line, self.col, self.pos
        self.advance()  # the opening quote
        chars: list[str] = []
        while True:
            ch = self.peek()
            if ch == "" or ch == "\n":
                raise self.error("unterminated string", line, col)
            self.advance()
            if ch == '"':
                break
            if ch == "\\":
                escape_col = self.col - 1
                letter = self.peek()
                if letter in ("", "\n"):
                    raise self.error("unterminated string", line, col)
                self.advance()
                chars.append(decode_escape(letter, self.line, escape_col))
            else:
                chars.append(ch)
        return Token(STRING, self.text[start : self.pos], line, col, "".join(chars))


# --8<-- [start:decode_escape]
def decode_escape(letter: str, line: int, col: int) -> str:
    """The character that ``\\`` followed by ``letter`` stands for in a string literal.

    ``line``/``col`` point at the backslash, for the error an unknown escape raises.
    """
    # exercise-start: carrot-string-escapes
    if letter in ESCAPES:
        return ESCAPES[letter]
    raise CompileError(f"invalid escape sequence '\\{letter}' in string", line, col)
    # exercise-end: carrot-string-escapes


# --8<-- [end:decode_escape]


def out_of_range_message(literal: str) -> str:
    """The compile error of an int literal outside 64 bits; a long one is abbreviated."""
    if len(literal) > 40:
        literal = f"{literal[:20]}... ({len(literal)} digits)"
    return f"integer literal {literal} is out of range (64-bit signed)"


def unexpected_character_message(ch: str, following: str) -> str:
    if ch in "&|" and following != ch:
        return f"unexpected character '{ch}' (did you mean '{ch}{ch}'?)"
    if ch.isprintable() and not ch.isspace():
        return f"unexpected character '{ch}'"
    return f"unexpected character U+{ord(ch):04X}"
