"""Syntax highlighting for Carrot, as a Pygments lexer.

The package registers it under Pygments' ``pygments.lexers`` entry point, so once
carrot-lang is installed ```` ```carrot ```` code blocks are coloured on the docs site
and ``pygmentize -l carrot prog.carrot`` works. The rules follow the language's
lexical structure (see :mod:`carrot.lexer`); a malformed escape is marked as an error.
"""

from __future__ import annotations

from pygments.lexer import RegexLexer, bygroups, words
from pygments.token import (
    Comment,
    Error,
    Keyword,
    Name,
    Number,
    Operator,
    Punctuation,
    String,
    Text,
    Whitespace,
)

BUILTINS = ("print", "len", "str", "int", "float", "type", "assert", "abs", "min", "max", "keys")


class CarrotLexer(RegexLexer):
    """Pygments lexer for the Carrot language."""

    name = "Carrot"
    aliases = ["carrot"]
    filenames = ["*.carrot"]
    mimetypes = ["text/x-carrot"]

    tokens = {
        "root": [
            (r"\s+", Whitespace),
            (r"//.*?$", Comment.Single),
            (
                r"(fn)(\s+)([A-Za-z_][A-Za-z0-9_]*)",
                bygroups(Keyword.Declaration, Whitespace, Name.Function),
            ),
            (words(("fn", "let", "txn"), suffix=r"\b"), Keyword.Declaration),
            (
                words(
                    (
                        "if",
                        "else",
                        "while",
                        "for",
                        "in",
                        "return",
                        "break",
                        "continue",
                        "abort",
                    ),
                    suffix=r"\b",
                ),
                Keyword,
            ),
            (words(("true", "false", "null"), suffix=r"\b"), Keyword.Constant),
            (words(BUILTINS, suffix=r"\b"), Name.Builtin),
            (r"[0-9]+\.[0-9]+(e[+-]?[0-9]+)?", Number.Float),
            (r"[0-9]+", Number.Integer),
            (r'"', String.Double, "string"),
            (r"[A-Za-z_][A-Za-z0-9_]*", Name),
            (r"==|!=|<=|>=|&&|\|\||[-+*/%<>=!]", Operator),
            (r"[(){}\[\],;.:]", Punctuation),
            (r".", Text),
        ],
        "string": [
            (r'\\[ntr\\"0]', String.Escape),
            (r"\\.", Error),
            (r'"', String.Double, "#pop"),
            (r"\n", Error, "#pop"),
            (r'[^"\\\n]+', String.Double),
        ],
    }
