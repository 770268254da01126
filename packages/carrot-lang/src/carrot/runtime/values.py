"""Carrot's values as they sit in VM registers, and the rules that combine them.

Registers hold plain Python objects:

| Carrot   | in a register                     |
| -------- | --------------------------------- |
| null     | ``None``                          |
| bool     | ``True`` / ``False``              |
| int      | ``int`` (kept inside 64 bits)     |
| float    | ``float``                         |
| string   | ``str``                           |
| table    | a :class:`Table` (its B-trees) |
| function | a :class:`Function` or :class:`Builtin` |

Python's ``bool`` is a subclass of ``int``, so every test here asks ``type(v) is int``,
never ``isinstance``: ``true + 1`` must be an error, and ``true == 1`` false.

Every semantic rule of the language lives in this module (and in ``tables`` and
``builtins``): the interpreter's opcodes and the fast path both call these same
functions, so the two can only disagree on the cases the fast path inlines.
"""

from __future__ import annotations

import math
from typing import TYPE_CHECKING, Any

from vdbe.int64 import LARGEST_INT64 as INT_MAX
from vdbe.int64 import SMALLEST_INT64 as INT_MIN

from carrot.runtime.errors import CarrotRuntimeError, out_of_memory

if TYPE_CHECKING:
    from vdbe.program import Program

MAX_STRING_BYTES = 1_000_000_000


class Table:
    """A reference to a Carrot table, and the store that reads and writes it.

    An ordinary table holds its entries in two in-memory B-trees, one per kind of key
    (``ints`` and ``strs``, see ``tables.TableStore``); a table kept elsewhere (carrot-txn's
    persistent tables) has a store of its own, which finds it by ``root``. Every table
    operation goes through ``table.store``. Two references are equal only when they are
    the same object.
    """

    __slots__ = ("root", "store", "ints", "strs", "__weakref__")

    def __init__(self, root: int, store: Any = None, ints: Any = None, strs: Any = None) -> None:
        self.root = root
        self.store = store
        self.ints = ints  # int key -> value (a MemTree), for tables in memory
        self.strs = strs  # string key -> value (a MemTree), for tables in memory

    def __repr__(self) -> str:
        return f"<table at {id(self):#x}>" if self.ints is not None else f"<table root={self.root}>"


class Function:
    """A compiled Carrot function: its vdbe program and what the runtime needs to call it.

    The compiler creates one per ``fn`` (and one named ``<main>`` for top-level code).
    It is also the function *value*: ``fibo`` in a register is this object.
    """

    def __init__(self, name: str, params: list[str], program: Program) -> None:
        self.name = name
        self.params = params
        self.arity = len(params)
        self.program = program
        self.n_registers = 0  # highest register number used
        self.positions: list[tuple[int, int]] = []  # (line, col) of each instruction
        self.kind = "fn"  # extensions may mark other kinds (carrot-txn: "txn")
        self.fast: Any = None  # the fast path's compiled Python function, once built
        self.fast_ints: Any = None  # its copy for int arguments alone (or ``fast`` again)
        self.fast_runtime: Any = None  # the Runtime the translation is bound to

    def position(self, pc: int) -> tuple[int, int]:
        """The source position of instruction ``pc`` (clamped into range)."""
        if not self.positions:
            return (0, 0)
        return self.positions[max(0, min(pc, len(self.positions) - 1))]

    def __str__(self) -> str:
        return f"fn {self.name}"

    def __repr__(self) -> str:
        return f"<fn {self.name}>"


class Builtin:
    """A function written in Python (``print``, ``len``, ...). ``arity`` None: any count."""

    __slots__ = ("name", "arity", "min_args", "impl")

    def __init__(self, name: str, impl: Any, arity: int | None, min_args: int = 0) -> None:
        self.name = name
        self.impl = impl
        self.arity = arity
        self.min_args = min_args

    def __str__(self) -> str:
        return f"builtin {self.name}"

    def __repr__(self) -> str:
        return f"<fn {self.name}>"


# --8<-- [start:type_name]
_TYPE_NAMES = {
    type(None): "null",
    bool: "bool",
    int: "int",
    float: "float",
    str: "string",
    Table: "table",
    Function: "function",
    Builtin: "function",
}


def type_name(v: object) -> str:
    """The name ``type(v)`` returns in Carrot."""
    return _TYPE_NAMES[type(v)]


# --8<-- [end:type_name]


# --8<-- [start:truthy]
def truthy(v: object) -> bool:
    """Carrot's truth: ``false``, ``null``, ``0`` and ``0.0`` are false, all else true."""
    if v is None or v is False:
        return False
    t = type(v)
    if t is int or t is float:
        return v != 0
    return True


# --8<-- [end:truthy]


# --8<-- [start:equality]
def equal(a: object, b: object) -> bool:
    """``a == b``: same type and value; an int and a float compare as numbers.

    Values of other different types are simply unequal. Tables and functions are
    equal only to themselves.
    """
    ta, tb = type(a), type(b)
    if ta is tb:
        if ta is Table or ta is Function or ta is Builtin:
            return a is b
        return a == b
    if (ta is int or ta is float) and (tb is int or tb is float):
        return a == b  # Python compares int with float exactly
    return False


# --8<-- [end:equality]


def _operands_error(op: str, a: object, b: object) -> CarrotRuntimeError:
    return CarrotRuntimeError(f"unsupported operands for {op}: {type_name(a)} and {type_name(b)}")


# --8<-- [start:compare]
def comparable(op: str, a: object, b: object) -> None:
    """Order comparisons accept two numbers or two strings; any other pair is an error."""
    ta, tb = type(a), type(b)
    if (ta is int or ta is float) and (tb is int or tb is float):
        return
    if ta is str and tb is str:
        return  # Python orders str by code point, as Carrot does
    raise _operands_error(op, a, b)


def less(a: Any, b: Any) -> bool:
    comparable("<", a, b)
    return a < b


def less_equal(a: Any, b: Any) -> bool:
    comparable("<=", a, b)
    return a <= b


def greater(a: Any, b: Any) -> bool:
    comparable(">", a, b)
    return a > b


def greater_equal(a: Any, b: Any) -> bool:
    comparable(">=", a, b)
    return a >= b


# --8<-- [end:compare]

COMPARE = {"<": less, "<=": less_equal, ">": greater, ">=": greater_equal}


# --8<-- [start:arithmetic]
def _is_number(t: type) -> bool:
    return t is int or t is float


def _int_result(exact: int, fallback: float) -> int | float:
    """An int result that left the 64-bit range becomes a float, as in SQLite."""
    if INT_MIN <= exact <= INT_MAX:
        return exact
    return fallback


def add(a: Any, b: Any) -> Any:
    """``a + b``: numbers add; two strings join; anything else is a runtime error."""
    ta, tb = type(a), type(b)
    if ta is int and tb is int:
        return _int_result(a + b, float(a) + float(b))
    if _is_number(ta) and _is_number(tb):
        return float(a) + float(b)
    if ta is str and tb is str:
        return join_strings(a, b)
    raise _operands_error("+", a, b)


def subtract(a: Any, b: Any) -> Any:
    """``a - b`` for numbers."""
    ta, tb = type(a), type(b)
    if ta is int and tb is int:
        return _int_result(a - b, float(a) - float(b))
    if _is_number(ta) and _is_number(tb):
        return float(a) - float(b)
    raise _operands_error("-", a, b)


def multiply(a: Any, b: Any) -> Any:
    """``a * b`` for numbers."""
    ta, tb = type(a), type(b)
    if ta is int and tb is int:
        return _int_result(a * b, float(a) * float(b))
    if _is_number(ta) and _is_number(tb):
        return float(a) * float(b)
    raise _operands_error("*", a, b)


def divide(a: Any, b: Any) -> Any:
    """``a / b``: ints truncate toward zero; with a float operand, float division."""
    ta, tb = type(a), type(b)
    if not (_is_number(ta) and _is_number(tb)):
        raise _operands_error("/", a, b)
    if b == 0:
        raise CarrotRuntimeError("division by zero")
    if ta is int and tb is int:
        quotient = abs(a) // abs(b)
        if (a < 0) != (b < 0):
            quotient = -quotient
        return _int_result(quotient, float(a) / float(b))
    return float(a) / float(b)


def remainder(a: Any, b: Any) -> Any:
    """``a % b``: the result takes the sign of the dividend (``-7 % 3`` is ``-1``)."""
    ta, tb = type(a), type(b)
    if not (_is_number(ta) and _is_number(tb)):
        raise _operands_error("%", a, b)
    if b == 0:
        raise CarrotRuntimeError("division by zero")
    if ta is int and tb is int:
        result = abs(a) % abs(b)
        return -result if a < 0 else result
    if math.isinf(a):  # IEEE: an infinite dividend leaves no remainder to speak of
        return math.nan
    return math.fmod(float(a), float(b))


def negate(a: Any) -> Any:
    """Unary ``-``: ``-(-9223372036854775808)`` leaves the int range and becomes a float."""
    t = type(a)
    if t is int:
        return _int_result(-a, -float(a))
    if t is float:
        return -a
    raise CarrotRuntimeError(f"unsupported operand for -: {type_name(a)}")


# --8<-- [end:arithmetic]


def join_strings(a: str, b: str) -> str:
    """Concatenate, refusing results over the 1,000,000,000-byte limit; a result under
    the limit that the process has no memory for is the program's error too."""
    try:
        if len(a) + len(b) > MAX_STRING_BYTES // 4 and (
            len(a.encode("utf-8", "surrogatepass")) + len(b.encode("utf-8", "surrogatepass"))
            > MAX_STRING_BYTES
        ):
            raise CarrotRuntimeError("string too long")
        return a + b
    except MemoryError:
        raise out_of_memory() from None


ARITHMETIC = {
    "+": add,
    "-": subtract,
    "*": multiply,
    "/": divide,
    "%": remainder,
}
