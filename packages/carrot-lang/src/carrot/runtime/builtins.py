"""The built-in functions: ``print len str int float type assert abs min max keys``.

Each is a Python function taking the runtime and a list of argument values. They are
ordinary Carrot function values (``type(print)`` is ``"function"``), found as globals
when no program global of the same name exists.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable
from typing import Any

from carrot.runtime.errors import CarrotRuntimeError
from carrot.runtime.printing import display, format_float, print_values, quote
from carrot.runtime.values import (
    INT_MAX,
    INT_MIN,
    Builtin,
    Table,
    less,
    truthy,
    type_name,
)

BUILTINS: dict[str, Builtin] = {}


def builtin(name: str, arity: int | None, min_args: int = 0) -> Callable[[Any], Any]:
    """Register ``impl(rt, args)`` as the built-in ``name``."""

    def register(impl: Callable[..., Any]) -> Callable[..., Any]:
        BUILTINS[name] = Builtin(name, impl, arity, min_args)
        return impl

    return register


def check_arity(fn: Any, n_args: int) -> None:
    """Raise the wrong-number-of-arguments error unless ``n_args`` fits ``fn``."""
    arity = fn.arity
    if arity is None:
        if n_args >= fn.min_args:
            return
        raise CarrotRuntimeError(
            f"{fn.name}() takes at least {_count(fn.min_args)} but {_given(n_args)}"
        )
    if n_args != arity:
        raise CarrotRuntimeError(f"{fn.name}() takes {_count(arity)} but {_given(n_args)}")


def _count(n: int) -> str:
    return f"{n} argument" if n == 1 else f"{n} arguments"


def _given(n: int) -> str:
    return f"{n} was given" if n == 1 else f"{n} were given"


def call_builtin(rt: Any, fn: Builtin, args: list[Any]) -> Any:
    """Check the argument count, then run the built-in."""
    check_arity(fn, len(args))
    return fn.impl(rt, args)


def _not_a(fname: str, wanted: str, value: object) -> CarrotRuntimeError:
    return CarrotRuntimeError(f"{fname}() expects {wanted}, not {type_name(value)}")


# --8<-- [start:print]
@builtin("print", None)
def _print(rt: Any, args: list[Any]) -> None:
    print_values(rt, args)


# --8<-- [end:print]


@builtin("len", 1)
def _len(rt: Any, args: list[Any]) -> int:
    (v,) = args
    if type(v) is str:
        return len(v)
    if type(v) is Table:
        return v.store.length(v)
    raise _not_a("len", "a string or a table", v)


@builtin("str", 1)
def _str(rt: Any, args: list[Any]) -> str:
    return display(args[0], rt.store)


@builtin("type", 1)
def _type(rt: Any, args: list[Any]) -> str:
    return type_name(args[0])


# What int() and float() read in a string, once the whitespace around it is trimmed:
# an optional sign and decimal digits; for float() also a Carrot float literal.
INT_TEXT = re.compile(r"[+-]?[0-9]+")
FLOAT_TEXT = re.compile(r"[+-]?[0-9]+(?:\.[0-9]+(?:e[+-]?[0-9]+)?)?")
WHITESPACE = " \t\r\n\f\v"  # as in Carrot source
INT_DIGITS = len(str(INT_MAX))


def _cannot_convert(fname: str, shown: str) -> CarrotRuntimeError:
    return CarrotRuntimeError(f"{fname}() cannot convert {shown}")


def _shown(text: str) -> str:
    """A string in an error message: as a literal, abbreviated when long."""
    return quote(text) if len(text) <= 40 else quote(text[:20]) + "..."


def float_to_int(f: float, shown: str) -> int:
    """``int(f)``: truncated toward zero; NaN, infinities and values outside 64 bits fail."""
    if f != f or f in (math.inf, -math.inf):
        raise _cannot_convert("int", shown)
    result = int(f)
    if not INT_MIN <= result <= INT_MAX:
        raise _cannot_convert("int", shown)
    return result


def text_to_int(text: str) -> int:
    """``int("...")``: an optional sign and decimal digits, inside 64 bits."""
    trimmed = text.strip(WHITESPACE)
    if not INT_TEXT.fullmatch(trimmed):
        raise _cannot_convert("int", _shown(text))
    if len(trimmed.lstrip("+-").lstrip("0")) > INT_DIGITS:  # never convert a huge text
        raise _cannot_convert("int", _shown(text))
    value = int(trimmed)
    if not INT_MIN <= value <= INT_MAX:
        raise _cannot_convert("int", _shown(text))
    return value


def text_to_float(text: str) -> float:
    """``float("...")``: a Carrot int or float literal, with an optional sign; a value
    too large for a float (``"1.0e999"``) fails, and so do ``"inf"`` and ``"nan"``."""
    trimmed = text.strip(WHITESPACE)
    if not FLOAT_TEXT.fullmatch(trimmed):
        raise _cannot_convert("float", _shown(text))
    value = float(trimmed)
    if value in (math.inf, -math.inf):
        raise _cannot_convert("float", _shown(text))
    return value


@builtin("int", 1)
def _int(rt: Any, args: list[Any]) -> int:
    (v,) = args
    t = type(v)
    if t is int:
        return v
    if t is float:
        return float_to_int(v, format_float(v))
    if t is str:
        return text_to_int(v)
    raise _not_a("int", "a number or a string", v)


@builtin("float", 1)
def _float(rt: Any, args: list[Any]) -> float:
    (v,) = args
    t = type(v)
    if t is int or t is float:
        return float(v)
    if t is str:
        return text_to_float(v)
    raise _not_a("float", "a number or a string", v)


@builtin("assert", None, 1)
def _assert(rt: Any, args: list[Any]) -> None:
    if len(args) > 2:
        raise CarrotRuntimeError(f"assert() takes at most 2 arguments but {_given(len(args))}")
    if truthy(args[0]):
        return None
    if len(args) == 2:
        raise CarrotRuntimeError(f"assertion failed: {display(args[1], rt.store)}")
    raise CarrotRuntimeError("assertion failed")


@builtin("abs", 1)
def _abs(rt: Any, args: list[Any]) -> int | float:
    (v,) = args
    t = type(v)
    if t is int:
        return -float(v) if v == INT_MIN else abs(v)
    if t is float:
        return abs(v)
    raise _not_a("abs", "a number", v)


@builtin("min", None, 1)
def _min(rt: Any, args: list[Any]) -> Any:
    best = args[0]
    for v in args[1:]:
        if less(v, best):
            best = v
    if len(args) == 1:
        less(best, best)  # a lone argument must still be a number or a string
    return best


@builtin("max", None, 1)
def _max(rt: Any, args: list[Any]) -> Any:
    best = args[0]
    for v in args[1:]:
        if less(best, v):
            best = v
    if len(args) == 1:
        less(best, best)
    return best


@builtin("keys", 1)
def _keys(rt: Any, args: list[Any]) -> Table:
    (t,) = args
    if type(t) is not Table:
        raise _not_a("keys", "a table", t)
    result = rt.store.new_table()
    for index, (key, _value) in enumerate(list(t.store.items(t))):
        result.store.set(result, index, key)
    return result
