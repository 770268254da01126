"""The parser: tokens in, an AST out.

A hand-written recursive-descent parser. Each grammar rule is one method; expressions
go through one method per precedence level, lowest first, each calling the next:

    or      ->  and ( "||" and )*
    and     ->  equality ( "&&" equality )*
    equality->  compare ( ("==" | "!=") compare )*
    compare ->  term ( ("<" | "<=" | ">" | ">=") term )*
    term    ->  factor ( ("+" | "-") factor )*
    factor  ->  unary ( ("*" | "/" | "%") unary )*
    unary   ->  ("-" | "!") unary | postfix
    postfix ->  primary ( "(" args ")" | "[" expr "]" | "." name [ "(" args ")" ] )*

The first mistake stops the parse with a :class:`CompileError` pointing at the token
that was not expected (or just after the previous one, for a missing ``;``).
"""

from __future__ import annotations

import sys
from contextlib import contextmanager

from carrot import ast
from carrot.diagnostics import CompileError
from carrot.extension import NO_EXTENSIONS, RESERVED_FOR, Extensions, missing_extension_message
from carrot.lexer import INT_MAX, out_of_range_message, tokenize
from carrot.tokens import EOF, FLOAT, INT, KEYWORDS, NAME, STRING, Token

COMPARISONS = ("<", "<=", ">", ">=")
MAX_NESTING = 100  # blocks, parentheses and operands inside one another
# Words other languages use where Carrot has a keyword: `def f()` gets a hint, not a riddle.
FOREIGN_KEYWORDS = {
    "function": "fn",
    "def": "fn",
    "func": "fn",
    "var": "let",
    "const": "let",
    "local": "let",
}
MAX_TREE_DEPTH = 600  # nodes inside one another in one top-level statement (a + b + ... too)


def parse(text: str, file: str = "<string>", extensions: Extensions | None = None) -> ast.Program:
    """Parse a whole program, with the statements of ``extensions`` (none unless given)."""
    if extensions is None:
        extensions = NO_EXTENSIONS
    tokens = tokenize(text)
    with deep_recursion():
        return Parser(tokens, file, extensions).parse_program()


@contextmanager
def deep_recursion(limit: int = 20000):
    """Raise Python's recursion limit while walking a deeply nested tree."""
    old = sys.getrecursionlimit()
    sys.setrecursionlimit(max(old, limit))
    try:
        yield
    finally:
        sys.setrecursionlimit(old)


def check_tree_depth(root: ast.Node) -> None:
    """Reject a tree deeper than MAX_TREE_DEPTH, so that the passes after the parser,
    which walk the tree recursively, can never run out of stack. Deep trees come from
    nesting (limited while parsing) and from long chains such as ``1 + 1 + ... + 1``."""
    stack = [(root, 1)]
    while stack:
        node, depth = stack.pop()
        if depth > MAX_TREE_DEPTH:
            raise CompileError(
                f"expression too complex (nested more than {MAX_TREE_DEPTH} levels deep)",
                node.line,
                node.col,
            )
        stack.extend((child, depth + 1) for child in ast.children(node))


class Parser:
    """Holds the tokens and the current position; ``parse_program`` is the entry point."""

    def __init__(self, tokens: list[Token], file: str, extensions: Extensions):
        self.tokens = tokens
        self.pos = 0
        self.file = file
        self.extensions = extensions
        self.function: ast.FnDecl | None = None  # the function being parsed, if any
        self.depth = 0  # nesting depth of blocks, so deep input fails politely

    # --------------------------------------------------------------- helpers
    # (public: extension statement parsers use them too)

    @property
    def current(self) -> Token:
        return self.tokens[self.pos]

    @property
    def previous(self) -> Token:
        return self.tokens[self.pos - 1]

    def check(self, kind: str) -> bool:
        return self.current.kind == kind

    def match(self, *kinds: str) -> Token | None:
        """Consume and return the current token if it is one of ``kinds``."""
        if self.current.kind in kinds:
            return self.advance()
        return None

    def advance(self) -> Token:
        token = self.tokens[self.pos]
        if token.kind != EOF:
            self.pos += 1
        return token

    def expect(self, kind: str, what: str) -> Token:
        """Consume a token of ``kind`` or fail with "expected WHAT"."""
        if self.check(kind):
            return self.advance()
        raise self.error_here(f"expected {what}, found {self.current.describe()}")

    def expect_semicolon(self, after: str) -> Token:
        """A missing ``;`` is reported just after the previous token, where it belongs."""
        if self.check(";"):
            return self.advance()
        prev = self.previous
        raise CompileError(
            f"expected ';' after {after}, found {self.current.describe()}",
            prev.line,
            prev.col + len(prev.text),
        )

    def error_here(self, message: str) -> CompileError:
        return CompileError(message, self.current.line, self.current.col)

    def in_function(self) -> ast.FnDecl | None:
        """The function whose body is being parsed (None at top level)."""
        return self.function

    # ------------------------------------------------------------ statements

    def parse_program(self) -> ast.Program:
        body = []
        while not self.check(EOF):
            stmt = self.parse_statement()
            check_tree_depth(stmt)
            body.append(stmt)
        return ast.Program(body, file=self.file, line=1, col=1)

    # --8<-- [start:statement]
    def parse_statement(self) -> ast.Stmt:
        token = self.current
        kind = token.kind
        if kind in self.extensions.statements:
            self.advance()
            return self.extensions.statements[kind](self, token)
        if kind in RESERVED_FOR:
            raise self.error_here(missing_extension_message(kind))
        parse_keyword = self.STATEMENTS.get(kind)
        if parse_keyword is not None:
            self.advance()
            return parse_keyword(self, token)
        return self.parse_expression_statement()

    # --8<-- [end:statement]

    def parse_fn(self, token: Token) -> ast.FnDecl:
        return self.parse_function(token)

    def parse_function(self, token: Token, is_txn: bool = False) -> ast.FnDecl:
        """After ``fn`` (``token`` is the first token of the declaration): name, params, body."""
        if self.function is not None or self.depth > 0:
            raise CompileError("functions can only be declared at top level", token.line, token.col)
        name = self.expect(NAME, "a function name after 'fn'")
        self.expect("(", "'(' after the function name")
        params: list[str] = []
        while not self.check(")"):
            param = self.expect(NAME, "a parameter name")
            if param.text in params:
                raise CompileError(f"duplicate parameter '{param.text}'", param.line, param.col)
            params.append(param.text)
            if not self.match(","):
                break
        self.expect(")", "')' after the parameters")
        fn = ast.FnDecl(
            name.text, params, ast.Block([]), is_txn=is_txn, line=token.line, col=token.col
        )
        self.function = fn
        try:
            fn.body = self.parse_block("the function body")
        finally:
            self.function = None
        return fn

    def parse_block(self, what: str) -> ast.Block:
        brace = self.expect("{", f"'{{' to start {what}")
        self.enter(brace)
        body = []
        while not self.check("}"):
            if self.check(EOF):
                message = f"'{{' at {brace.line}:{brace.col} is never closed"
                raise CompileError(message, *self.eof_pos())
            body.append(self.parse_statement())
        self.advance()
        self.depth -= 1
        return ast.Block(body, line=brace.line, col=brace.col)

    def eof_pos(self) -> tuple[int, int]:
        return self.current.line, self.current.col

    def parse_let(self, token: Token) -> ast.Let:
        name = self.expect(NAME, "a variable name after 'let'")
        self.expect("=", f"'=' after 'let {name.text}'")
        value = self.parse_expression()
        self.expect_semicolon("the value")
        return ast.Let(name.text, value, line=token.line, col=token.col)

    def parse_if(self, token: Token) -> ast.If:
        cond = self.parse_condition()
        then = self.parse_block("the body of 'if'")
        orelse: ast.Block | ast.If | None = None
        if self.match("else"):
            if_token = self.match("if")
            orelse = self.parse_if(if_token) if if_token else self.parse_block("the 'else' body")
        return ast.If(cond, then, orelse, line=token.line, col=token.col)

    def parse_while(self, token: Token) -> ast.While:
        cond = self.parse_condition()
        body = self.parse_block("the body of 'while'")
        return ast.While(cond, body, line=token.line, col=token.col)

    def parse_condition(self) -> ast.Expr:
        cond = self.parse_expression()
        if self.check("="):
            raise self.error_here("'=' assigns a value; use '==' to compare")
        return cond

    def parse_for(self, token: Token) -> ast.ForIn:
        key = self.expect(NAME, "a variable name after 'for'")
        value = None
        if self.match(","):
            value = self.expect(NAME, "a second variable name after ','").text
            if value == key.text:
                raise CompileError(f"'{value}' is used twice in the loop", *self.prev_pos())
        self.expect("in", "'in' after the loop variables")
        iterable = self.parse_expression()
        body = self.parse_block("the body of 'for'")
        return ast.ForIn(key.text, value, iterable, body, line=token.line, col=token.col)

    def prev_pos(self) -> tuple[int, int]:
        return self.previous.line, self.previous.col

    def parse_return(self, token: Token) -> ast.Return:
        value = None if self.check(";") else self.parse_expression()
        self.expect_semicolon("'return'" if value is None else "the returned value")
        return ast.Return(value, line=token.line, col=token.col)

    def parse_break(self, token: Token) -> ast.Break:
        self.expect_semicolon("'break'")
        return ast.Break(line=token.line, col=token.col)

    def parse_continue(self, token: Token) -> ast.Continue:
        self.expect_semicolon("'continue'")
        return ast.Continue(line=token.line, col=token.col)

    def parse_expression_statement(self) -> ast.Stmt:
        start = self.current
        if start.text in FOREIGN_KEYWORDS and self.tokens[self.pos + 1].kind == NAME:
            raise self.error_here(
                f"unexpected name '{start.text}': Carrot writes '{FOREIGN_KEYWORDS[start.text]}'"
            )
        expr = self.parse_expression()
        if self.check("="):
            equals = self.advance()
            if not isinstance(expr, ast.AssignTarget):
                raise CompileError("cannot assign to this expression", equals.line, equals.col)
            value = self.parse_expression()
            self.expect_semicolon("the assigned value")
            return ast.Assign(expr, value, line=start.line, col=start.col)
        self.expect_semicolon("the expression")
        return ast.ExprStmt(expr, line=start.line, col=start.col)

    STATEMENTS = {
        "fn": parse_fn,
        "let": parse_let,
        "if": parse_if,
        "while": parse_while,
        "for": parse_for,
        "return": parse_return,
        "break": parse_break,
        "continue": parse_continue,
    }

    # ------------------------------------------------------------ expressions

    # --8<-- [start:binary]
    def parse_expression(self) -> ast.Expr:
        self.enter(self.current)
        expr = self.parse_or()
        self.depth -= 1
        return expr

    def enter(self, token: Token) -> None:
        """Count one more level of nesting; absurdly deep input is an error, not a crash."""
        self.depth += 1
        if self.depth > MAX_NESTING:
            raise CompileError("the program is nested too deeply", token.line, token.col)

    def parse_or(self) -> ast.Expr:
        expr = self.parse_and()
        while op := self.match("||"):
            expr = ast.Logical("||", expr, self.parse_and(), line=op.line, col=op.col)
        return expr

    def parse_and(self) -> ast.Expr:
        expr = self.parse_equality()
        while op := self.match("&&"):
            expr = ast.Logical("&&", expr, self.parse_equality(), line=op.line, col=op.col)
        return expr

    def parse_equality(self) -> ast.Expr:
        return self.parse_binary(("==", "!="), self.parse_comparison)

    def parse_comparison(self) -> ast.Expr:
        return self.parse_binary(COMPARISONS, self.parse_term)

    def parse_term(self) -> ast.Expr:
        return self.parse_binary(("+", "-"), self.parse_factor)

    def parse_factor(self) -> ast.Expr:
        return self.parse_binary(("*", "/", "%"), self.parse_unary)

    def parse_binary(self, operators: tuple[str, ...], operand) -> ast.Expr:
        """One left-associative level: ``operand (op operand)*``."""
        expr = operand()
        while op := self.match(*operators):
            expr = ast.Binary(op.kind, expr, operand(), line=op.line, col=op.col)
        return expr

    # --8<-- [end:binary]

    def parse_unary(self) -> ast.Expr:
        op = self.match("-", "!")
        if op is None:
            return self.parse_postfix()
        if op.kind == "-" and self.check(INT) and self.current.value == INT_MAX + 1:
            self.advance()  # -9223372036854775808: the one literal that only fits negated
            return ast.Int(-(INT_MAX + 1), line=op.line, col=op.col)
        self.enter(op)
        operand = self.parse_unary()
        self.depth -= 1
        return ast.Unary(op.kind, operand, line=op.line, col=op.col)

    def parse_postfix(self) -> ast.Expr:
        expr = self.parse_primary()
        while True:
            if self.match("("):
                args = self.parse_arguments()
                expr = ast.Call(expr, args, line=expr.line, col=expr.col)
            elif bracket := self.match("["):
                key = self.parse_expression()
                self.expect("]", "']' after the index")
                expr = ast.Index(expr, key, line=bracket.line, col=bracket.col)
            elif self.match("."):
                name = self.expect_field_name()
                if self.match("("):
                    args = self.parse_arguments()
                    expr = ast.MethodCall(expr, name.text, args, line=name.line, col=name.col)
                else:
                    expr = ast.Field(expr, name.text, line=name.line, col=name.col)
            else:
                return expr

    def expect_field_name(self) -> Token:
        """A name after ``.``; keywords are fine there (``t.in``), as in JavaScript."""
        if self.check(NAME) or self.current.kind in KEYWORDS:
            return self.advance()
        raise self.error_here(f"expected a field name after '.', found {self.current.describe()}")

    def parse_arguments(self) -> list[ast.Expr]:
        """After ``(``: comma-separated expressions (a trailing comma allowed) and ``)``."""
        args: list[ast.Expr] = []
        while not self.check(")"):
            args.append(self.parse_expression())
            if not self.match(","):
                break
        self.expect(")", "')' after the arguments")
        return args

    # --8<-- [start:primary]
    def parse_primary(self) -> ast.Expr:
        token = self.current
        pos = {"line": token.line, "col": token.col}
        kind = token.kind
        if kind == INT:
            self.advance()
            if token.value > INT_MAX:  # 9223372036854775808 without a minus before it
                raise CompileError(out_of_range_message(token.text), token.line, token.col)
            return ast.Int(token.value, **pos)
        if kind == FLOAT:
            self.advance()
            return ast.Float(token.value, **pos)
        if kind == STRING:
            self.advance()
            return ast.Str(token.value, **pos)
        if kind in ("true", "false"):
            self.advance()
            return ast.Bool(kind == "true", **pos)
        if kind == "null":
            self.advance()
            return ast.Null(**pos)
        if kind == NAME:
            self.advance()
            return ast.Name(token.text, **pos)
        if kind == "(":
            self.advance()
            expr = self.parse_expression()
            self.expect(")", "')' to close '('")
            return expr
        if kind == "[":
            self.advance()
            return ast.ListLit(self.parse_list_items(), **pos)
        if kind == "{":
            self.advance()
            return ast.TableLit(self.parse_table_entries(), **pos)
        raise self.error_here(f"expected an expression, found {token.describe()}")

    # --8<-- [end:primary]

    def parse_list_items(self) -> list[ast.Expr]:
        items: list[ast.Expr] = []
        while not self.check("]"):
            items.append(self.parse_expression())
            if not self.match(","):
                break
        self.expect("]", "']' to close the list")
        return items

    def parse_table_entries(self) -> list[tuple[ast.Expr, ast.Expr]]:
        """``{name: v, "text": v, 7: v, [expr]: v}``, a trailing comma allowed."""
        entries: list[tuple[ast.Expr, ast.Expr]] = []
        while not self.check("}"):
            entries.append((self.parse_table_key(), self.parse_table_value()))
            if not self.match(","):
                break
        self.expect("}", "'}' to close the table")
        return entries

    def parse_table_key(self) -> ast.Expr:
        token = self.current
        if token.kind == NAME or token.kind in KEYWORDS:
            self.advance()
            return ast.Str(token.text, line=token.line, col=token.col)
        if token.kind == "[":
            self.advance()
            key = self.parse_expression()
            self.expect("]", "']' after the key")
            return key
        if token.kind in (INT, FLOAT, STRING, "-"):
            return self.parse_unary()
        raise self.error_here(f"expected a table key, found {token.describe()}")

    def parse_table_value(self) -> ast.Expr:
        self.expect(":", "':' after the table key")
        return self.parse_expression()
