"""Compiling ``txn fn`` and ``abort``.

A transactional function compiles to its ordinary body between a ``TxnBegin`` and a
``TxnCommit``::

    TxnBegin                      -- savepoints open, globals remembered
    ... body ...                  -- each `return e;` computes e, then TxnCommit, FnReturn
    Null r ; TxnCommit ; FnReturn r    -- falling off the end

``abort;`` compiles to ``TxnAbort`` and a return of null. After each top-level
statement the program gets a ``TxnStatementEnd``, the autocommit point of persistent
tables.
"""

from __future__ import annotations

from dataclasses import dataclass

from carrot import ast


@dataclass
class TxnReturn(ast.Stmt):
    """A ``return`` inside a ``txn fn``: it must commit before it leaves."""

    value: ast.Expr | None = None


# --8<-- [start:compile]
def compile_txn_function(compiler, fn: ast.FnDecl, compile_body) -> None:
    """Wrap a ``txn fn``'s body in its savepoint (``compile_body`` is not used: the
    body's returns are compiled here, each committing before it leaves)."""
    compiler.emit("TxnBegin", node=fn)
    compiler.block(commit_before_returns(fn.body).body)
    result = compiler.temp()
    compiler.emit("Null", 0, result, node=fn)
    compiler.emit("TxnCommit", node=fn)
    compiler.emit("FnReturn", result, node=fn)


def compile_return(compiler, node: TxnReturn) -> None:
    if node.value is None:
        result = compiler.temp()
        compiler.emit("Null", 0, result, node=node)
    else:
        result = compiler.expr(node.value)
    compiler.emit("TxnCommit", node=node)
    compiler.emit("FnReturn", result, node=node)


def compile_abort(compiler, node: ast.Abort) -> None:
    result = compiler.temp()
    compiler.emit("TxnAbort", node=node)
    compiler.emit("Null", 0, result, node=node)
    compiler.emit("FnReturn", result, node=node)


def compile_statement_end(compiler, node: ast.Stmt) -> None:
    """After each top-level statement: the autocommit point."""
    if not isinstance(node, ast.FnDecl):
        compiler.emit("TxnStatementEnd", node=node)


# --8<-- [end:compile]


def commit_before_returns(block: ast.Block) -> ast.Block:
    """The same block with every ``return`` (at any depth) turned into a TxnReturn."""
    # exercise-start: txn-commit-returns
    return ast.Block([_rewrite(s) for s in block.body], line=block.line, col=block.col)
    # exercise-end: txn-commit-returns


def _rewrite(node: ast.Stmt) -> ast.Stmt:
    # exercise-start: txn-commit-returns
    if isinstance(node, ast.Return):
        return TxnReturn(value=node.value, line=node.line, col=node.col)
    if isinstance(node, ast.Block):
        return commit_before_returns(node)
    if isinstance(node, ast.If):
        node.then = commit_before_returns(node.then)
        if node.orelse is not None:
            node.orelse = _rewrite(node.orelse)
    elif isinstance(node, ast.While | ast.ForIn):
        node.body = commit_before_returns(node.body)
    return node
    # exercise-end: txn-commit-returns
