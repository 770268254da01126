"""Tracing: print each instruction as it runs, with the registers it changed.

    VM(program, trace=sys.stderr).run()

writes one line per executed instruction, in the listing layout, whose last column
lists the registers the instruction changed (like SQLite's `PRAGMA vdbe_trace`):

    1     Add            2     2     1                    0   r[1]=2

Tracing costs nothing when it is off: the VM wraps each handler in a tracing
function only when a trace destination is given, so the engine loop is unchanged.
`trace` may be a text stream (anything with `write`) or a function taking the line.
"""

from __future__ import annotations

from vdbe.p4 import format_p4, format_real
from vdbe.program import format_row


def show_value(value: object) -> str:
    """A register value as the trace shows it: NULL, 42, 1.5, 'text', x'00FF'."""
    if value is None:
        return "NULL"
    if isinstance(value, bool):
        return str(value)
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        return format_real(value)
    if isinstance(value, str):
        text = value if len(value) <= 40 else value[:37] + "..."
        return "'" + text.replace("'", "''") + "'"
    if isinstance(value, bytes | bytearray):
        shown = bytes(value[:20]).hex().upper()
        return f"x'{shown}'" + ("..." if len(value) > 20 else "")
    return f"<{type(value).__name__}>"


def changed_registers(before: list, after: list) -> list[tuple[int, object]]:
    """The registers whose value differs after an instruction: (register, new value) pairs.

    A register counts as changed when its new value is not the same object and differs
    in type or value, so 1 becoming 1.0 is a change; registers past the end of `before`
    count as NULL before.
    """
    # exercise-start: vdbe-trace
    changes = []
    for i, new in enumerate(after):
        old = before[i] if i < len(before) else None
        if new is not old and (type(new) is not type(old) or new != old):
            changes.append((i, new))
    return changes
    # exercise-end: vdbe-trace


def trace_line(addr: int, op, changes: list[tuple[int, object]]) -> str:
    """One trace line: the instruction in listing layout, then its register changes."""
    shown = " ".join(f"r[{i}]={show_value(v)}" for i, v in changes)
    cells = [str(addr), op.opcode, str(op.p1), str(op.p2), str(op.p3)]
    cells += [format_p4(op.p4), str(op.p5), shown]
    return format_row(cells)


def _emit(destination, line: str) -> None:
    if hasattr(destination, "write"):
        destination.write(line + "\n")
    else:
        destination(line)


# --8<-- [start:traced]
def traced_handlers(vm, program, handlers: list) -> list:
    """Wrap each handler so that running it also writes a trace line."""

    def wrap(addr: int, handler):
        def traced(vm, op):
            before = list(vm.reg)
            try:
                return handler(vm, op)
            finally:
                _emit(vm.trace, trace_line(addr, op, changed_registers(before, vm.reg)))

        return traced

    return [wrap(addr, handler) for addr, handler in enumerate(handlers)]


# --8<-- [end:traced]
