"""The opcode registry: every instruction the VM knows, with its handler and documentation.

A handler is a small function named exactly as SQLite names the opcode. It receives the
VM and the instruction, and `vm.pc` already points at the next instruction:

    @opcode
    def Goto(vm, op):
        '''Goto * P2 * * *

        Jump to address P2. ...
        '''
        vm.pc = op.p2

Its docstring starts with SQLite's header line, then (where SQLite has one) a
`Synopsis:` line; the synopsis fills the EXPLAIN comment column and, with the prose,
the opcode reference. A handler returns None to go on, or a signal:

- ROW: `vm.row` holds a result row; `step()` hands it to the caller.
- HALT: the program is finished.
- RELOAD: the handler switched `vm.program` / `vm.reg` (a call into another program),
  so the engine loop must re-read whatever it keeps in local variables.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable

from vdbe.sqlite_opcodes import SQLITE_OPCODES

ROW = "row"
HALT = "halt"
RELOAD = "reload"

# What Halt's P2 asks for (SQLite's OE_* actions): how much an error undoes, the whole
# transaction, the statement or nothing; in a trigger, RAISE(IGNORE) skipping the row.
OE_ROLLBACK, OE_ABORT, OE_FAIL, OE_IGNORE = 1, 2, 3, 4

# The modules of opcode families that ship with vdbe-core; `load_all()` imports them
# all, and a module named here that is missing is an error.
FAMILY_MODULES = (
    "control",
    "frames",
    "foreignkeys",
    "registers",
    "arithmetic",
    "compare",
    "types",
    "functions",
    "cursors",
    "index",
    "sorter",
    "window",
    "transaction",
    "schema",
    "vtab",
    "vacuum",
)


class OpcodeSpec:
    """What the registry knows of one opcode."""

    __slots__ = (
        "name",
        "handler",
        "header",
        "synopsis",
        "doc",
        "extension",
        "module",
        "p1",
        "writes",
        "result",
        "pure",
    )

    def __init__(
        self,
        name: str,
        handler: Callable,
        header: str,  # `Add P1 P2 P3 * *`
        synopsis: str,  # `r[P3]=r[P1]+r[P2]`, or '' when SQLite has none
        doc: str,  # the prose after the header and synopsis
        extension: str | None,  # None for SQLite's opcodes, e.g. 'carrot' for an extension
        module: str,  # the Python module that defines the handler
        p1: str = "register",  # what P1 names: a "register", a "cursor" or a "value"
        writes: str | None = None,  # the operand naming the (first) register written
        result: str | None = None,  # the type of what is written, when always one
        pure: bool = False,  # only writes its register(s), and cannot fail
    ) -> None:
        self.name = name
        self.handler = handler
        self.header = header
        self.synopsis = synopsis
        self.doc = doc
        self.extension = extension
        self.module = module
        self.p1 = p1
        self.writes = writes
        self.result = result
        self.pure = pure

    def _fields(self) -> tuple:
        return tuple(getattr(self, name) for name in self.__slots__)

    def __eq__(self, other: object) -> bool:
        if other.__class__ is not self.__class__:
            return NotImplemented
        return self._fields() == other._fields()

    def __hash__(self) -> int:
        return hash(self._fields())

    def __repr__(self) -> str:
        fields = ", ".join(f"{name}={getattr(self, name)!r}" for name in self.__slots__)
        return f"OpcodeSpec({fields})"


OPCODES: dict[str, OpcodeSpec] = {}
_LOADED = False

# SQLite opcodes this VM leaves out on purpose, and why: a program that reaches one stops
# with this reason, and the opcode status page shows it.
_OTHER_MODULES = "virtual table modules other than json_each and json_tree are C code"
LEFT_OUT: dict[str, str] = {
    "VBegin": f"writing a virtual table: {_OTHER_MODULES}",
    "VCreate": f"CREATE VIRTUAL TABLE: {_OTHER_MODULES}",
    "VDestroy": f"DROP TABLE of a virtual table: {_OTHER_MODULES}",
    "VUpdate": f"writing a virtual table: {_OTHER_MODULES}",
    "VRename": f"renaming a virtual table: {_OTHER_MODULES}",
    "VInitIn": "IN constraints handed to a virtual table: json_each and json_tree take none",
}


def parse_docstring(name: str, doc: str | None) -> tuple[str, str, str]:
    """Split a handler docstring into (header, synopsis, prose)."""
    if not doc or not doc.strip():
        raise ValueError(f"opcode {name} has no docstring")
    lines = [line.strip() for line in doc.strip().splitlines()]
    header = " ".join(lines[0].split())
    if header.split()[0] != name:
        raise ValueError(f"opcode {name}: docstring header {header!r} must start with {name}")
    rest = lines[1:]
    synopsis = ""
    body_start = 0
    for i, line in enumerate(rest):
        if line.startswith("Synopsis:"):
            synopsis = line[len("Synopsis:") :].strip()
            body_start = i + 1
            break
        if line:
            break
    prose = "\n".join(rest[body_start:]).strip()
    return header, synopsis, prose


# --8<-- [start:opcode]
def opcode(
    func: Callable | None = None,
    *,
    extension: str | None = None,
    p1: str = "register",
    writes: str | None = None,
    result: str | None = None,
    pure: bool = False,
):
    """Register a handler under its function name: `@opcode` or `@opcode(extension='carrot')`.

    The keywords declare, once, facts about the instruction that tools read instead of
    its code, as SQLite's generator reads `in1`/`out2`/`jump` from its case comments:
    `p1` says whether P1 is a register (the engine sizes the register file from the
    largest register named), a cursor number or a plain value; `writes` names the
    operand holding the register it writes, `result` the type it always writes
    (e.g. "bool"), and `pure` that writing is all it does and it never fails.
    A test runs every handler against its declaration.
    """

    def register(handler: Callable) -> Callable:
        name = handler.__name__
        header, synopsis, prose = parse_docstring(name, handler.__doc__)
        OPCODES[name] = OpcodeSpec(
            name,
            handler,
            header,
            synopsis,
            prose,
            extension,
            handler.__module__,
            p1=p1,
            writes=writes,
            result=result,
            pure=pure,
        )
        return handler

    if func is not None:
        return register(func)
    return register


# --8<-- [end:opcode]


def load_all() -> dict[str, OpcodeSpec]:
    """Import every opcode family module, so the registry is complete."""
    global _LOADED
    if _LOADED:
        return OPCODES
    _LOADED = True
    for module in FAMILY_MODULES:  # a missing one is an error: the VM would lack opcodes
        importlib.import_module(f"{__name__}.{module}")
    return OPCODES


def synopsis_of(name: str) -> str:
    """The synopsis of an opcode: the registered one, else SQLite 3.40's, else ''."""
    load_all()
    spec = OPCODES.get(name)
    if spec is not None:
        return spec.synopsis
    known = SQLITE_OPCODES.get(name)
    return known[1] if known else ""


def compiled_since(*release: int) -> bool:
    """Was the program compiled by SQLite `release` or newer? Handlers ask where releases
    compile differently; the compiling SQLite is looked up only then, so a program run
    from a listing (a Carrot script, say) never loads the sqlite3 module."""
    from vdbe.sqlite_library import VERSION  # noqa: PLC0415

    return release <= VERSION
