"""SQL text cut into tokens as SQLite's tokenizer (tokenize.c) cuts it.

ALTER TABLE does not rebuild a CREATE statement from a parsed form: SQLite edits the
statement's text in place, replacing the tokens that name the table or column and
leaving every other byte (spacing, comments, case) as the user wrote it. Editing
text that way needs to know exactly where each token starts and ends, including the
awkward ones: quoted identifiers in "double quotes", [brackets] and `backticks`, with
doubled quote characters inside; strings; blobs; comments that run to the end.

    tokenize("CREATE TABLE [t](a)") -> [Token('keyword', 'CREATE', 0), Token('space', ' ', 6), ...]

Kinds: 'space' (whitespace and comments), 'id' (an identifier, quoted or not, or a
keyword that is not reserved where it stands: the parser decides), 'string', 'blob',
'number', 'variable', 'op' (punctuation and operators), 'illegal'.
"""

from __future__ import annotations

import re
from typing import NamedTuple


class Token(NamedTuple):
    kind: str
    text: str
    start: int

    @property
    def end(self) -> int:
        return self.start + len(self.text)

    @property
    def quoted(self) -> bool:
        """Is this an identifier written in quotes ("x", [x] or `x`)?"""
        return self.kind == "id" and self.text[:1] in "\"[`'"

    @property
    def name(self) -> str:
        """An identifier's name: quotes taken off, doubled quote characters undone."""
        text = self.text
        if self.kind == "id" and text[:1] == "[":
            return text[1:-1]
        if text[:1] in "\"`'" and len(text) >= 2:
            return text[1:-1].replace(text[0] * 2, text[0])
        return text


# Identifier characters: ASCII letters, digits, '_' and '$', and every non-ASCII
# character (SQLite looks at bytes; a byte >= 0x80 is part of an identifier).
_ID_START = r"[A-Za-z_\x80-\U0010ffff]"
_ID_CHAR = r"[A-Za-z0-9_$\x80-\U0010ffff]"

# Digits, with '_' allowed between two of them (1_000), as SQLite 3.46 and later read
# numbers; an older SQLite never stored such a number in a schema.
_DIGITS = r"[0-9](?:_?[0-9])*"
_HEX = r"[0-9A-Fa-f](?:_?[0-9A-Fa-f])*"

# --8<-- [start:tokens]
_TOKENS = re.compile(
    rf"""
    (?P<space>[ \t\n\f\r]+|--[^\n]*\n?|/\*(?:.|\n)*?(?:\*/|\Z))
  | (?P<blob>[xX]'[^']*')
  | (?P<string>'(?:[^']|'')*')
  | (?P<id>"(?:[^"]|"")*"|`(?:[^`]|``)*`|\[[^\]]*\]|{_ID_START}{_ID_CHAR}*)
  | (?P<number>0[xX]{_HEX}|(?:{_DIGITS}(?:\.(?:{_DIGITS})?)?|\.{_DIGITS})(?:[eE][-+]?{_DIGITS})?)
  | (?P<variable>\?[0-9]*|[:@$#]{_ID_CHAR}+)
  | (?P<op>->>|->|\|\||<<|>>|<=|>=|==|!=|<>|[-+*/%&|~<>=(),;.])
    """,
    re.VERBOSE,
)
_ID_RUN = re.compile(rf"{_ID_CHAR}+")
# --8<-- [end:tokens]


def tokenize(sql: str) -> list[Token]:
    """Every token of `sql`, spaces and comments included, so that they join back to it.

    An unterminated string, quoted identifier or blob, a number run into letters
    (`12ab`), and a character SQL does not use each give an 'illegal' token.
    """
    tokens: list[Token] = []
    pos = 0
    while pos < len(sql):
        m = _TOKENS.match(sql, pos)
        if m is None:
            end = _illegal_end(sql, pos)
            tokens.append(Token("illegal", sql[pos:end], pos))
            pos = end
            continue
        kind, end = m.lastgroup, m.end()
        if kind == "number":
            run = _ID_RUN.match(sql, end)  # a number run into letters is no token
            if run:
                kind, end = "illegal", run.end()
        tokens.append(Token(kind, sql[pos:end], pos))
        pos = end
    return tokens


def _illegal_end(sql: str, pos: int) -> int:
    """Where an illegal token starting at `pos` ends: an unclosed quote runs to the end."""
    return len(sql) if sql[pos] in "'\"`[" else pos + 1


def words(tokens: list[Token]) -> list[Token]:
    """The tokens without spaces and comments: what the parser sees."""
    return [t for t in tokens if t.kind != "space"]


def quote_identifier(name: str) -> str:
    """`name` in double quotes, inner quotes doubled (SQLite's printf %w inside "")."""
    return '"' + name.replace('"', '""') + '"'


def is_id_char(c: str) -> bool:
    """Can `c` be part of an unquoted identifier (SQLite's sqlite3IsIdChar)?"""
    return bool(c) and (c.isascii() and (c.isalnum() or c in "_$") or not c.isascii())
