"""Virtual table cursors: the opcodes through which a program reads a virtual table.

A virtual table cursor is a VdbeCursor of kind VTAB whose `vtab` is the module's own
cursor object (see `vdbe.vtab`): VOpen makes it, VFilter starts a scan, VColumn reads,
VNext moves on, and the ordinary Rowid, NullRow and Close work on it as on any cursor.
"""

from __future__ import annotations

from vdbe.errors import SqlError
from vdbe.opcodes import opcode
from vdbe.opcodes.cursors import VTAB, VdbeCursor, get_cursor, install
from vdbe.values import JsonText


def module_named(p4: object):
    """The module VOpen's P4 names (`vtab:json_each`); a clear error when there is none."""
    from vdbe.vtab import MODULES

    name = str(p4 or "").removeprefix("vtab:")
    module = MODULES.get(name)
    if module is not None:
        return module
    built_in = " and ".join(sorted(MODULES))
    if name.startswith("pragma_"):
        raise SqlError(
            f"{name}: table-valued PRAGMA functions are not supported by this VM "
            "(they read the schema, which the VM does not keep)"
        )
    what = f"the virtual table {name}" if name != "?" else "this virtual table"
    raise SqlError(f"{what} is not supported by this VM (only {built_in} are built in)")


@opcode
def VOpen(vm, op):
    """VOpen P1 * * P4 *

    Open cursor P1 on the virtual table named in P4. SQLite prints P4 as the address of
    its table object; the loader replaces that by the module's name (`vtab:json_each`).
    """
    cur = VdbeCursor(VTAB)
    cur.vtab = module_named(op.p4).open()
    install(vm, op.p1, cur)


# --8<-- [start:scan]
@opcode
def VFilter(vm, op):
    """VFilter P1 P2 P3 P4 *

    Synopsis: iplan=r[P3] zplan='P4'

    Start a scan of virtual table cursor P1 and jump to P2 if it has no row. Register
    P3 holds the plan number the module chose when the statement was compiled, P3+1
    the count of arguments, and the arguments follow from P3+2 (for a table-valued
    function, the values of its call). P4 is the plan's text, if any.
    """
    cur = get_cursor(vm, op.p1)
    reg = vm.reg
    count = reg[op.p3 + 1]
    cur.vtab.filter(reg[op.p3], op.p4, reg[op.p3 + 2 : op.p3 + 2 + count])
    cur.null_row = cur.vtab.eof()
    if cur.null_row:
        vm.pc = op.p2


@opcode
def VColumn(vm, op):
    """VColumn P1 P2 P3 * P5

    Synopsis: r[P3]=vcolumn(P2)

    Store column P2 of the current row of virtual table cursor P1 in register P3 (NULL
    after NullRow). P5 is set when the value is only going to be written back by an
    UPDATE, which no table-valued function does.
    """
    cur = get_cursor(vm, op.p1)
    if cur.null_row:
        vm.reg[op.p3] = None
        return
    value = cur.vtab.column(op.p2)
    if type(value) is JsonText:
        vm.subtypes = True  # ResultRow must hand it out as plain text
    vm.reg[op.p3] = value


@opcode
def VNext(vm, op):
    """VNext P1 P2 * * *

    Move virtual table cursor P1 to its next row and jump to P2 if there is one; fall
    through when the scan is over.
    """
    cur = get_cursor(vm, op.p1)
    cur.vtab.next()
    if cur.vtab.eof():
        cur.null_row = True
    else:
        vm.pc = op.p2


# --8<-- [end:scan]


@opcode
def VCheck(vm, op):
    """VCheck P1 P2 P3 P4 *

    PRAGMA integrity_check, as SQLite 3.44 and later compile it, asks each virtual table
    of schema P1 whose module has an integrity method (P4 points at the table; R-tree,
    FTS and Geopoly have one) to check itself, and stores the module's complaint, or
    NULL, in register P2. Those modules are C code this VM does not run: it finds
    nothing to report (NULL), as SQLite 3.43 and earlier did. The ordinary tables
    behind such a module are still checked, each by the rest of the program.
    """
    vm.reg[op.p2] = None
