"""The Dumb Virtual Machine: a whole compiler pipeline in miniature.

Source text goes through five small steps, each in its own module:

    lexer -> parser -> code generator -> program -> VM
    (tokens)  (AST)    (instructions)             (a u32 value)

`evaluate` runs them all; the modules can also be used one at a time.
"""

from dvm.codegen import compile_expression, compile_source
from dvm.disassembler import disassemble
from dvm.errors import DvmCompileError, DvmError, DvmRuntimeError, DvmSyntaxError
from dvm.parser import parse
from dvm.vm import VM, run

__version__ = "0.1.0"

__all__ = [
    "VM",
    "DvmCompileError",
    "DvmError",
    "DvmRuntimeError",
    "DvmSyntaxError",
    "__version__",
    "compile_expression",
    "compile_source",
    "disassemble",
    "evaluate",
    "parse",
    "run",
]


def evaluate(source: str) -> int:
    """Compile `source` and run it; return the value as an unsigned 32-bit integer."""
    return run(compile_source(source))
