"""The abstract syntax tree of a Carrot program.

The parser builds these nodes; the resolver fills in their slot fields; the compiler
turns them into vdbe programs. Every node knows where it came from: ``line`` and ``col``
(both counted from 1, columns in characters) point at the token that best names the
node, so error messages can show a caret under it:

- statements, literals and names: their first token (``let``, ``if``, the name itself);
- ``Binary``, ``Logical``, ``Unary``: the operator;
- ``Call``: the callee's own position (the name in ``fibo(3)``);
- ``Field`` and ``MethodCall``: the name after the dot; ``Index``: the ``[``.

Fields marked "resolver" start out as ``None`` and are filled in by
:mod:`carrot.resolver`. A ``slot`` is a local variable's register number inside its
function's frame (0, 1, 2, ... with parameters first); ``None`` means the name is a
global, looked up by name at run time.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Union


@dataclass(kw_only=True)
class Node:
    """Base of every node: where it is in the source."""

    line: int = 0
    col: int = 0


class Stmt(Node):
    """Base of statements (a marker class: it adds no fields)."""


class Expr(Node):
    """Base of expressions (a marker class: it adds no fields)."""


# --8<-- [start:expressions]
# ---------------------------------------------------------------- expressions


@dataclass
class Int(Expr):
    value: int  # always inside the signed 64-bit range


@dataclass
class Float(Expr):
    value: float


@dataclass
class Str(Expr):
    value: str  # escapes already decoded


@dataclass
class Bool(Expr):
    value: bool


@dataclass
class Null(Expr):
    pass


@dataclass
class Name(Expr):
    name: str
    slot: int | None = None  # resolver: local slot, or None for a global


@dataclass
class TableLit(Expr):
    """``{a: 1, "b c": 2, 7: "x", [k]: v}``: keys are expressions (``a`` became ``Str("a")``)."""

    entries: list[tuple[Expr, Expr]]


@dataclass
class ListLit(Expr):
    """``[10, 20, 30]``: a table with keys 0, 1, 2."""

    items: list[Expr]


@dataclass
class Unary(Expr):
    op: str  # "-" or "!"
    operand: Expr


@dataclass
class Binary(Expr):
    op: str  # "+ - * / % == != < <= > >="
    left: Expr
    right: Expr


@dataclass
class Logical(Expr):
    op: str  # "&&" or "||"; short-circuit, the result is a bool
    left: Expr
    right: Expr


@dataclass
class Call(Expr):
    callee: Expr
    args: list[Expr]


@dataclass
class Index(Expr):
    obj: Expr
    key: Expr


@dataclass
class Field(Expr):
    """``t.name``, the same as ``t["name"]``."""

    obj: Expr
    name: str


@dataclass
class MethodCall(Expr):
    """``t.name(args)``: calls ``t["name"]`` with ``t`` as its first argument."""

    obj: Expr
    name: str
    args: list[Expr]


# --8<-- [end:expressions]

# --8<-- [start:statements]
# ----------------------------------------------------------------- statements


@dataclass
class Block(Stmt):
    body: list[Stmt]


@dataclass
class Let(Stmt):
    name: str
    value: Expr
    slot: int | None = None  # resolver: local slot, or None when it defines a global


@dataclass
class Assign(Stmt):
    target: Name | Index | Field
    value: Expr


@dataclass
class If(Stmt):
    """``if cond {then} else ...``; an ``else if`` chain nests an ``If`` in ``orelse``."""

    cond: Expr
    then: Block
    orelse: Block | If | None = None


@dataclass
class While(Stmt):
    cond: Expr
    body: Block


@dataclass
class ForIn(Stmt):
    """``for key in t {}`` or ``for key, value in t {}``."""

    key: str
    value: str | None
    iterable: Expr
    body: Block
    key_slot: int | None = None  # resolver
    value_slot: int | None = None  # resolver (None when there is no value variable)


@dataclass
class Return(Stmt):
    value: Expr | None  # None for a bare ``return;``


@dataclass
class Break(Stmt):
    pass


@dataclass
class Continue(Stmt):
    pass


@dataclass
class Abort(Stmt):
    """``abort;`` - parsed and compiled only when the carrot-txn extension is installed."""


@dataclass
class ExprStmt(Stmt):
    expr: Expr


@dataclass
class FnDecl(Stmt):
    """``fn name(a, b) { ... }`` (top level only); ``txn fn`` sets ``is_txn``."""

    name: str
    params: list[str]
    body: Block
    is_txn: bool = False
    n_slots: int | None = None  # resolver: registers the frame needs for params and locals


@dataclass
class Program(Node):
    """A whole source file (or one REPL input)."""

    body: list[Stmt]
    file: str = "<string>"
    n_slots: int | None = None  # resolver: locals of top-level code (inside its blocks)
    globals: set[str] = field(default_factory=set)  # resolver: names declared at top level


# --8<-- [end:statements]

AssignTarget = Union[Name, Index, Field]  # noqa: UP007 - a runtime alias for isinstance


def children(node: Node) -> list[Node]:
    """Every node directly inside ``node``, in source order (for generic tree walks)."""
    found: list[Node] = []
    for name in node.__dataclass_fields__:
        _collect(getattr(node, name), found)
    return found


def _collect(value: object, found: list[Node]) -> None:
    if isinstance(value, Node):
        found.append(value)
    elif isinstance(value, list | tuple):
        for item in value:
            _collect(item, found)
