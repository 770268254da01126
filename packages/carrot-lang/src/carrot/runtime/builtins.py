"""The built-in functions: ``print len str int float type assert abs min max keys``.

Each is a Python function taking the runtime and a list of argument values. They are
ordinary Carrot function values (``type(print)`` is ``"function"``), found as globals
when no program global of the same name exists.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

from carrot.runtime.errors import CarrotRuntimeError
from carrot.runtime.printing import display, format_float
from carrot.runtime.values import (
    INT_MAX,
    INT_MIN,
    Builtin,
    Table,
    less,
    truthy,
    type_name,
)

_NUMBER = re.compile(r"[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?")
_INTEGER = re.compile(r"[+-]?\d+")

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
    store = rt.store
    rt.out.write(" ".join([display(a, store) for a in args]) + "\n")


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


def _float_to_int(f: float, shown: str) -> int:
    if f != f or f in (float("inf"), float("-inf")):
        raise CarrotRuntimeError(f"int() cannot convert {shown}")
    result = int(f)
    if not INT_MIN <= result <= INT_MAX:
        raise CarrotRuntimeError(f"int() cannot convert {shown}")
    return result


def parse_number(text: str) -> int | float | None:
    """A string as a number (surrounding spaces allowed), or None if it is not one."""
    text = text.strip()
    if _INTEGER.fullmatch(text):
        value = int(text)
        return value if INT_MIN <= value <= INT_MAX else float(value)
    if _NUMBER.fullmatch(text):
        return float(text)
    return None


@builtin("int", 1)
def _int(rt: Any, args: list[Any]) -> int:
    (v,) = args
    t = type(v)
    if t is int:
        return v
    if t is bool:
        return int(v)
    if t is float:
        return _float_to_int(v, format_float(v))
    if t is str:
        number = parse_number(v)
        if number is None:
            raise CarrotRuntimeError(f'int() cannot convert "{v}"')
        if type(number) is float:
            return _float_to_int(number, f'"{v}"')
        return number  # type: ignore[return-value]
    raise _not_a("int", "a number or a string", v)


@builtin("float", 1)
def _float(rt: Any, args: list[Any]) -> float:
    (v,) = args
    t = type(v)
    if t is int or t is float or t is bool:
        return float(v)
    if t is str:
        number = parse_number(v)
        if number is None:
            raise CarrotRuntimeError(f'float() cannot convert "{v}"')
        return float(number)
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
