"""The state a running Carrot program shares across all its calls.

One :class:`Runtime` lives as long as an interpreter (a whole REPL session):
the table store, the globals, where ``print`` writes, the call-depth limit, and,
while the interpreter runs, the stack of suspended callers. The VM reaches it as
``vm.carrot``; the fast path's generated code receives it as its first argument.
"""

from __future__ import annotations

import sys
from dataclasses import dataclass
from typing import Any, TextIO

from carrot.runtime.builtins import BUILTINS
from carrot.runtime.errors import CarrotRuntimeError
from carrot.runtime.tables import TableStore
from carrot.runtime.values import Function


# --8<-- [start:frame]
@dataclass(slots=True)
class Frame:
    """A suspended caller: what ``FnReturn`` restores.

    Like the ``VdbeFrame`` SQLite pushes when ``OP_Program`` runs a trigger's
    sub-program, it saves the caller's program, the address to resume at, and its
    registers; ``result`` is the caller's register that receives the return value.
    """

    function: Function
    pc: int
    registers: list[Any]
    result: int


# --8<-- [end:frame]


class Runtime:
    """Globals, tables, output and limits of one running Carrot world."""

    def __init__(self, out: TextIO | None = None, *, max_depth: int = 1000, db: Any = None) -> None:
        self.out = out if out is not None else sys.stdout
        self.store = TableStore(db)
        self.globals: dict[str, Any] = dict(BUILTINS)
        self.max_depth = max_depth
        self.frames: list[Frame] = []  # the interpreter's suspended callers
        self.function: Function | None = None  # the function the interpreter is running
        self.engine_only = False  # set once a program could not take the fast path
        self.bindings: Any = None  # what the fast path's translations assume of globals

    def get_global(self, name: str) -> Any:
        """A global's value; reading one that was never set is a runtime error."""
        try:
            return self.globals[name]
        except KeyError:
            raise CarrotRuntimeError(f"name '{name}' is not defined") from None

    def snapshot_globals(self) -> dict[str, Any]:
        """A copy of every global, for an extension that must undo changes to them."""
        return dict(self.globals)

    def restore_globals(self, snapshot: dict[str, Any]) -> None:
        """Put the globals back as :meth:`snapshot_globals` saw them."""
        self.globals.clear()
        self.globals.update(snapshot)


def depth_error(limit: int) -> CarrotRuntimeError:
    return CarrotRuntimeError(f"call depth exceeded ({limit})")
