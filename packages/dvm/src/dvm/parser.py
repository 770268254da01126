"""The parser: turns tokens into an abstract syntax tree, by recursive descent.

One function per level of the grammar, loosest-binding first:

    expression := term (("+" | "-") term)*
    term       := unary (("*" | "/" | "%") unary)*
    unary      := "-" unary | primary
    primary    := NUMBER | "(" expression ")"

A level calls the next tighter one for its operands, so `*` binds tighter than `+`,
and the `while` loops build left-leaning trees, so `8 - 2 - 1` means `(8 - 2) - 1`.
After the expression the next token must be END: `2 2` is an error, not `2`.
"""

from collections.abc import Iterator
from contextlib import contextmanager

from dvm.ast import Binary, Expr, Negate, Number, depth
from dvm.errors import DvmSyntaxError
from dvm.lexer import tokenize
from dvm.tokens import Token, TokenKind

# Limits that keep the recursive parts of the pipeline within Python's call stack.
MAX_NESTING = 100  # parentheses and minus signs inside one another
MAX_DEPTH = 256  # levels of the finished tree

ADDITIVE = {TokenKind.PLUS: "+", TokenKind.MINUS: "-"}
MULTIPLICATIVE = {TokenKind.STAR: "*", TokenKind.SLASH: "/", TokenKind.PERCENT: "%"}


def parse(source: str) -> Expr:
    """Parse `source` as one whole expression, or raise DvmSyntaxError."""
    return Parser(tokenize(source)).parse()


class Parser:
    """Holds the tokens and the position of the current one."""

    def __init__(self, tokens: list[Token]) -> None:
        self.tokens = tokens
        self.index = 0
        self.nesting = 0

    @property
    def current(self) -> Token:
        return self.tokens[self.index]

    def advance(self) -> Token:
        """Consume the current token and return it (END is never consumed)."""
        token = self.current
        if token.kind is not TokenKind.END:
            self.index += 1
        return token

    # --8<-- [start:parse]
    def parse(self) -> Expr:
        tree = self.expression()
        if self.current.kind is not TokenKind.END:
            raise DvmSyntaxError(
                f"unexpected {self.current.describe()} after a complete expression",
                self.current.span,
            )
        levels, deepest = depth(tree)
        if levels > MAX_DEPTH:
            raise DvmSyntaxError(
                f"expression is {levels} levels deep; the limit is {MAX_DEPTH}", deepest.span
            )
        return tree

    # --8<-- [end:parse]

    # --8<-- [start:binary-levels]
    def expression(self) -> Expr:
        tree = self.term()
        while self.current.kind in ADDITIVE:
            operator = self.advance()
            tree = Binary(ADDITIVE[operator.kind], tree, self.term(), operator.span)
        return tree

    def term(self) -> Expr:
        tree = self.unary()
        while self.current.kind in MULTIPLICATIVE:
            operator = self.advance()
            tree = Binary(MULTIPLICATIVE[operator.kind], tree, self.unary(), operator.span)
        return tree

    # --8<-- [end:binary-levels]

    # --8<-- [start:unary]
    def unary(self) -> Expr:
        if self.current.kind is TokenKind.MINUS:
            # exercise-start: dvm-unary-minus
            minus = self.advance()
            with self.nested(minus):
                operand = self.unary()
            return Negate(operand, minus.span)
            # exercise-end: dvm-unary-minus
        return self.primary()

    # --8<-- [end:unary]

    # --8<-- [start:primary]
    def primary(self) -> Expr:
        token = self.current
        if token.kind is TokenKind.NUMBER:
            self.advance()
            assert token.value is not None
            return Number(token.value, token.span)
        if token.kind is TokenKind.LEFT_PAREN:
            self.advance()
            with self.nested(token):
                inside = self.expression()
            if self.current.kind is not TokenKind.RIGHT_PAREN:
                raise DvmSyntaxError(
                    f"expected ')' to close the '(' at column {token.span.column},"
                    f" found {self.current.describe()}",
                    self.current.span,
                )
            self.advance()
            return inside
        raise DvmSyntaxError(f"expected a number, '(' or '-', found {token.describe()}", token.span)

    # --8<-- [end:primary]

    @contextmanager
    def nested(self, opener: Token) -> Iterator[None]:
        """Count one more level of parentheses or minus signs while parsing inside it."""
        if self.nesting >= MAX_NESTING:
            raise DvmSyntaxError(
                f"parentheses and minus signs are nested more than {MAX_NESTING} deep",
                opener.span,
            )
        self.nesting += 1
        try:
            yield
        finally:
            self.nesting -= 1
