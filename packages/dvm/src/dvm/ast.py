"""The abstract syntax tree: what the parser builds and the code generator walks.

Three kinds of node are enough for the whole language. Each remembers the `Span`
of the source it came from (for a binary operation, its operator), so later errors,
even a division by zero at run time, can point back at the source.
"""

from dataclasses import dataclass

from dvm.span import Span


# --8<-- [start:nodes]
@dataclass(frozen=True, slots=True)
class Number:
    """A literal, already known to fit in 32 unsigned bits."""

    value: int
    span: Span


@dataclass(frozen=True, slots=True)
class Negate:
    """Unary minus: `-operand`, which wraps around modulo 2^32."""

    operand: "Expr"
    span: Span


@dataclass(frozen=True, slots=True)
class Binary:
    """`left operator right`, where operator is one of `+ - * / %`."""

    operator: str
    left: "Expr"
    right: "Expr"
    span: Span


Expr = Number | Negate | Binary
# --8<-- [end:nodes]


def depth(tree: Expr) -> tuple[int, Expr]:
    """How many levels deep `tree` is, and its deepest node.

    Written with an explicit stack rather than recursion, so it works on any tree the
    parser can build, however deep.
    """
    deepest, deepest_node = 0, tree
    stack: list[tuple[Expr, int]] = [(tree, 1)]
    while stack:
        node, level = stack.pop()
        if level > deepest:
            deepest, deepest_node = level, node
        if isinstance(node, Negate):
            stack.append((node.operand, level + 1))
        elif isinstance(node, Binary):
            stack.append((node.left, level + 1))
            stack.append((node.right, level + 1))
    return deepest, deepest_node


def to_source(tree: Expr) -> str:
    """The tree written back as fully parenthesised source text (handy in tests and docs)."""
    match tree:
        case Number(value):
            return str(value)
        case Negate(operand):
            return f"-{to_source(operand)}"
        case Binary(operator, left, right):
            return f"({to_source(left)} {operator} {to_source(right)})"
    raise TypeError(f"not an expression node: {tree!r}")
