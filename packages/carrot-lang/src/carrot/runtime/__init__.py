"""Carrot's runtime: its values, tables on B-trees, built-ins, and the opcodes that run them.

- ``values``: the register representation of every Carrot value and the operators' rules;
- ``tables``: tables as index B-trees, with a tagged record encoding;
- ``builtins`` and ``printing``: the built-in functions and how values print;
- ``opcodes`` and ``calls``: the Carrot extension opcodes for the vdbe engine;
- ``interpreter``: runs a compiled program on the engine or on the fast path
  (``fastpath``), which translates each function's bytecode into Python.
"""

from carrot.runtime.errors import CarrotInterrupted, CarrotRuntimeError
from carrot.runtime.interpreter import Interpreter
from carrot.runtime.state import Runtime

__all__ = ["CarrotInterrupted", "CarrotRuntimeError", "Interpreter", "Runtime"]
