"""Foreign keys: counting violations instead of failing at once.

With `PRAGMA foreign_keys = ON`, SQLite compiles each write to a parent or child
table with code that looks the other side up and, for every reference it breaks
or mends, adds +1 or -1 to a counter (`FkCounter`). Nothing fails on the spot, since
a later row of the same statement may mend what an earlier one broke (deleting a
parent, then its children). Two counters are kept:

- the statement's, for immediate constraints: when the statement ends with it above
  zero, the statement fails with `FOREIGN KEY constraint failed` and is undone;
- the database's, for DEFERRABLE INITIALLY DEFERRED constraints: it lives as long as
  the transaction, and COMMIT refuses to commit while it is above zero.

`FkIfZero` lets the compiled code skip the lookups when no violation is pending.
ON DELETE/UPDATE actions (CASCADE, SET NULL, SET DEFAULT) are compiled as trigger
programs and run through `Program` (see vdbe.opcodes.frames).
"""

from __future__ import annotations

from vdbe.errors import ConstraintError
from vdbe.opcodes import OE_ABORT, OE_ROLLBACK, opcode

FOREIGN_KEY_FAILED = "FOREIGN KEY constraint failed"


def deferred_violations(db) -> int:
    """The database's count of deferred foreign key violations (0 without a database)."""
    return getattr(db, "deferred_fk", 0) if db is not None else 0


def set_deferred_violations(db, count: int) -> None:
    if db is not None:
        db.deferred_fk = count


# --8<-- [start:fkcounter]
@opcode
def FkCounter(vm, op):
    """FkCounter P1 P2 * * *

    Synopsis: fkctr[P1]+=P2

    Add P2 (+1 for a reference broken, -1 for one mended) to a count of foreign key
    violations: the database's count of deferred ones when P1 is set, otherwise the
    statement's count of immediate ones.
    """
    if op.p1:
        set_deferred_violations(vm.db, deferred_violations(vm.db) + op.p2)
    else:
        vm.fk_violations += op.p2


@opcode
def FkIfZero(vm, op):
    """FkIfZero P1 P2 * * *

    Synopsis: if fkctr[P1]==0 goto P2

    Jump to P2 if the count of violations is zero: the database's deferred count
    when P1 is set, the statement's immediate count otherwise. The code after it
    looks for rows that mend a violation, which is wasted work when none is pending.
    """
    count = deferred_violations(vm.db) if op.p1 else vm.fk_violations
    if count == 0:
        vm.pc = op.p2


@opcode
def FkCheck(vm, op):
    """FkCheck * * * * *

    Fail with `FOREIGN KEY constraint failed` if the statement has left immediate
    foreign keys broken; otherwise do nothing. A statement with RETURNING checks so
    before it hands out its rows, which it gathered in an ephemeral table while it
    wrote, so that no row is returned from a statement that then fails.
    """
    fail_if_immediate_broken(vm)


def fail_if_immediate_broken(vm) -> None:
    """Fail the statement, undoing it (ABORT), if it leaves immediate foreign keys broken."""
    if vm.fk_violations > 0:
        vm.error_action = OE_ABORT  # undo the statement
        raise ConstraintError(FOREIGN_KEY_FAILED)


# --8<-- [end:fkcounter]


def check_at_statement_end(vm, autocommit: bool) -> None:
    """Fail the statement if it leaves foreign keys broken (as Halt ends it).

    Immediate violations always fail it. Deferred ones fail it only when it is about
    to commit on its own (autocommit), since inside a transaction they may still be
    mended before COMMIT.
    """
    fail_if_immediate_broken(vm)
    if autocommit and deferred_violations(vm.db) > 0:
        vm.error_action = OE_ROLLBACK  # the statement's transaction goes
        raise ConstraintError(FOREIGN_KEY_FAILED)
