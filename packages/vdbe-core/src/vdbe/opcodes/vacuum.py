"""VACUUM: rebuild a database compactly (see vdbe.storage.vacuum for how), and the
incremental vacuum of an auto-vacuum database (see vdbe.storage.autovacuum).

`VACUUM` compiles to one instruction, `Vacuum 0 0`; `VACUUM INTO 'file'` loads the file
name into a register first and names it in P2. Like SQLite's sqlite3RunVacuum, the
instruction runs its own transaction: it can only run when none is open.
"""

from __future__ import annotations

from vdbe.errors import SqlError, VdbeError
from vdbe.opcodes import opcode
from vdbe.storage import vacuum
from vdbe.storage.vfs import OsVfs


# --8<-- [start:vacuum]
@opcode(p1="value")
def Vacuum(vm, op):
    """Vacuum P1 P2 * * *

    Rebuild database P1 so that it holds no free pages and its b-tree pages are full:
    every tree is copied, in key order, into a fresh database built in memory, which is
    then written over the file page by page within one write transaction (the journal
    keeps the originals, so a failure leaves the old database). When P2 is not 0,
    register P2 holds a file name and the copy goes there instead (`VACUUM INTO`); the
    database itself is only read. Errors are SQLite's: `cannot VACUUM from within a
    transaction`, `cannot VACUUM - SQL statements in progress`, `non-text filename`,
    `output file already exists`.
    """
    if not getattr(vm.db, "autocommit", True):
        raise SqlError("cannot VACUUM from within a transaction")
    connection = getattr(vm, "connection", None)
    if connection is not None and connection.active_statements > 1:
        raise SqlError("cannot VACUUM - SQL statements in progress")
    target = vm.reg[op.p2] if op.p2 else None
    if op.p2 and not isinstance(target, str):
        raise SqlError("non-text filename")
    db = vm.database(op.p1)
    db.begin(write=target is None)
    try:
        image = vacuum.rebuild(db, _next_autovacuum(vm))
        if target is None:
            vacuum.copy_back(db, image)
            db.commit()
        elif target:  # INTO '' makes a copy that nobody keeps, as SQLite's temporary file
            vacuum.write_copy(image, target, db.pager.vfs if db.path else OsVfs())
            db.commit()
    except VdbeError:
        db.rollback()
        raise


# --8<-- [end:vacuum]


def _next_autovacuum(vm) -> int | None:
    """The mode a `PRAGMA auto_vacuum = X` of this connection asked for (SQLite's
    db->nextAutovac: only a VACUUM can change it once the file has tables), or None."""
    settings = getattr(getattr(vm, "connection", None), "settings", {})
    value = settings.get("auto_vacuum")
    return None if value is None else vacuum.parse_autovacuum(value)


# --8<-- [start:incrvacuum]
@opcode(p1="value")
def IncrVacuum(vm, op):
    """IncrVacuum P1 P2 * * *

    One step of the incremental vacuum of database P1 (`PRAGMA incremental_vacuum(N)`
    loops over it N times): the last page of the file is made unused, by taking it off
    the freelist or by moving its content into a free page, and the file is one page
    shorter at commit. If the database has no free page left, or is not in
    auto-vacuum mode, jump to P2.
    """
    if not vm.database(op.p1).incremental_vacuum_step():
        vm.pc = op.p2


# --8<-- [end:incrvacuum]
