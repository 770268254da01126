"""The two pieces of syntax this stage adds to Carrot's parser.

``txn`` is a prefix of a function declaration and ``abort`` a statement of its own.
Carrot's parser hands us each keyword already consumed, with its token for positions.
"""

from __future__ import annotations

from carrot import ast
from carrot.diagnostics import CompileError


# --8<-- [start:syntax]
def parse_txn(parser, token) -> ast.FnDecl:
    """``txn fn name(params) { ... }``: an ordinary declaration marked transactional."""
    parser.expect("fn", "'fn' after 'txn'")
    return parser.parse_function(token, is_txn=True)


def parse_abort(parser, token) -> ast.Abort:
    """``abort;`` is only meaningful inside the body of a ``txn fn``."""
    function = parser.in_function()
    if function is None or not function.is_txn:
        raise CompileError("'abort' outside a transactional function", token.line, token.col)
    parser.expect_semicolon("'abort'")
    return ast.Abort(line=token.line, col=token.col)


# --8<-- [end:syntax]
