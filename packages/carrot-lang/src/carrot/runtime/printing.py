"""How Carrot values print.

``print`` and ``str()`` show strings raw; inside a table, keys and values that are
strings are quoted. Floats print as SQLite renders a REAL as text (``0.3``, ``1.0``,
``1.0e+100``), with 15 significant digits as SQLite 3.40 does, whichever SQLite the
Python beside it links (3.53 and later write 17). A table prints its entries in key
order; a table that is already being printed (a cycle) shows as ``{...}``.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from vdbe.values import fifteen_digits

from carrot.runtime.values import Builtin, Function, Table

_ESCAPES = {"\\": "\\\\", '"': '\\"', "\n": "\\n", "\t": "\\t", "\r": "\\r", "\0": "\\0"}


def format_float(f: float) -> str:
    """A float as SQLite shows a REAL (``Inf`` and ``-Inf`` included).

    SQLite never stores a NaN (it becomes NULL); Carrot keeps it and prints ``NaN``.
    """
    if f != f:
        return "NaN"
    return fifteen_digits(f)


def quote(s: str) -> str:
    """A string as a Carrot literal: double quotes, with the language's escapes."""
    return '"' + "".join(_ESCAPES.get(ch, ch) for ch in s) + '"'


def repr_scalar(v: object) -> str:
    """Any value but a table, as it appears inside a printed table."""
    if type(v) is str:
        return quote(v)  # type: ignore[arg-type]
    return display_scalar(v)


def display_scalar(v: object) -> str:
    """Any value but a table, as ``print`` shows it at top level."""
    t = type(v)
    if v is None:
        return "null"
    if t is bool:
        return "true" if v else "false"
    if t is int:
        return str(v)
    if t is float:
        return format_float(v)  # type: ignore[arg-type]
    if t is str:
        return v  # type: ignore[return-value]
    if t is Function or t is Builtin:
        return f"<fn {v.name}>"  # type: ignore[union-attr]
    raise TypeError(f"not a Carrot value: {v!r}")


# --8<-- [start:display]
def display(v: object, store: object) -> str:
    """``v`` as ``print`` and ``str()`` show it; ``store`` reads tables' entries."""
    if type(v) is Table:
        return _table_text(v, store)  # type: ignore[arg-type]
    return display_scalar(v)


def _table_text(table: Table, store: object) -> str:
    """A table and everything inside it, without recursion: nesting may be deep.

    ``stack`` holds one entry per table being printed, outermost first: the table and
    the iterator over its entries. A table met again while it is on the stack is a
    cycle and prints as ``{...}``.
    """
    parts: list[str] = []
    on_stack: set[int] = set()
    stack: list[tuple[Table, Iterator[tuple[object, object]]]] = []

    def enter(t: Table) -> None:
        if id(t) in on_stack:
            parts.append("{...}")
            return
        on_stack.add(id(t))
        parts.append("{")
        stack.append((t, iter(t.store.items(t))))

    enter(table)
    while stack:
        current, entries = stack[-1]
        entry = next(entries, None)
        if entry is None:
            parts.append("}")
            on_stack.discard(id(current))
            stack.pop()
            continue
        if parts[-1] != "{":
            parts.append(", ")
        key, value = entry
        parts.append(f"{repr_scalar(key)}: ")
        if type(value) is Table:
            enter(value)  # type: ignore[arg-type]
        else:
            parts.append(repr_scalar(value))
    return "".join(parts)


# --8<-- [end:display]


def echo_text(v: object, store: object) -> str:
    """What the REPL echoes for an expression statement: strings quoted."""
    if type(v) is str:
        return quote(v)  # type: ignore[arg-type]
    return display(v, store)


def print_values(rt: Any, values: list[object]) -> None:
    """``print(...)``: the values as ``str()`` shows them, spaced, then a newline."""
    store = rt.store
    rt.out.write(" ".join([display(v, store) for v in values]) + "\n")


def echo(rt: Any, value: object) -> None:
    """The REPL's echo of an expression statement: quoted strings, nothing for null."""
    if value is not None:
        rt.out.write(echo_text(value, rt.store) + "\n")
