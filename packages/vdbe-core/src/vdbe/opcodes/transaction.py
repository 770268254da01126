"""Transaction opcodes, and the end of a statement.

SQLite runs every statement inside a transaction. A program's `Transaction`
instruction begins one (read or write) unless one is already open; when the program
halts, the statement ends: in autocommit mode (no BEGIN was issued) the transaction
commits if the statement succeeded and rolls back if it failed. Inside a BEGIN, a
failed statement undoes only its own changes, through a statement savepoint that
`Transaction` opened. `end_statement()` is that halting logic; the engine calls it
when a program halts or fails.

`AutoCommit` (BEGIN, COMMIT, ROLLBACK) and `Savepoint` (SAVEPOINT, RELEASE, ROLLBACK
TO) switch modes and manage named savepoints; the pager does the actual journaling.
"""

from __future__ import annotations

import weakref

from vdbe.errors import ConstraintError, SqlError
from vdbe.opcodes import OE_ABORT, OE_FAIL, OE_ROLLBACK, opcode
from vdbe.opcodes.foreignkeys import (
    FOREIGN_KEY_FAILED,
    deferred_violations,
    set_deferred_violations,
)
from vdbe.opcodes.frames import close_cursors, unwind_frames

# The SQL savepoints each database has open (names, innermost last), and whether the
# outermost one began the transaction (then RELEASE of it commits, as SQLite does).
_SAVEPOINTS: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()
# For each of those savepoints, the count of deferred foreign key violations when it
# was opened: ROLLBACK TO restores it.
_DEFERRED_AT: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()


# --8<-- [start:end_statement]
def end_statement(vm, ok: bool) -> None:
    """Finish the statement run by `vm`: close its cursors, then commit or roll back.

    Safe to call more than once. With `ok` False in autocommit mode the whole
    transaction rolls back; inside BEGIN only the statement's savepoint does. How much
    a failure undoes is the failing Halt's P2 (`vm.error_action`): ROLLBACK the whole
    transaction, ABORT the statement, FAIL nothing (what the statement did stays).
    """
    if vm.frame is not None:
        unwind_frames(vm)
    action = getattr(vm, "error_action", OE_ABORT)
    if not ok and action == OE_FAIL:
        ok = True
    close_cursors(vm)
    db = vm.db
    if db is None:
        return
    statement = getattr(vm, "statement_savepoint", None)
    if statement is not None:
        vm.statement_savepoint = None
        for each in vm.statement_databases:
            if each.in_transaction:
                if not ok:
                    each.rollback_to(statement)
                each.release(statement)
        if not ok:
            set_deferred_violations(db, vm.deferred_at_start)
    if not ok and action == OE_ROLLBACK and db.in_transaction:
        _SAVEPOINTS.pop(db, None)
        _DEFERRED_AT.pop(db, None)
        _set_autocommit(db, True)
    if _autocommit(db):
        ended = db.in_transaction
        for each in _databases(vm):  # the main database's mode rules them all
            if each.in_transaction:
                if ok:
                    each.commit()
                else:
                    each.rollback()
        if ended:
            set_deferred_violations(db, 0)


# --8<-- [end:end_statement]


def _databases(vm) -> list:
    """Every database the statement may have touched, the main one first."""
    if vm.databases is None:
        return [vm.db]
    return [db for db in vm.databases if db is not None]


def _autocommit(db) -> bool:
    return bool(getattr(db, "autocommit", True))


def _set_autocommit(db, value: bool) -> None:
    db.autocommit = value


@opcode
def Transaction(vm, op):
    """Transaction P1 P2 P3 P4 P5

    Begin a transaction on database P1 if none is open: a read transaction when P2 is
    0, a write transaction otherwise (a read transaction is upgraded). Inside a BEGIN, a
    writing statement also opens a statement savepoint, so that its failure undoes only
    itself. When P5 is set, P3 is the schema cookie the program was compiled against:
    if the file's cookie differs, the schema changed under the program and it stops
    with SQLITE_SCHEMA. Each database (main, temp, attached) has its own transaction;
    the main database's autocommit mode decides for all of them when they end. A read
    without a database file has nothing to begin (json_each's programs begin one).
    """
    if vm.db is None and op.p1 == 0 and op.p2 == 0:
        return
    db = vm.database(op.p1)
    write = op.p2 != 0
    if not db.in_transaction:
        db.begin(write)
    elif write:
        db.begin(True)  # upgrades a read transaction; a no-op for a write one
    if write and not _autocommit(vm.db):
        opened = getattr(vm, "statement_databases", None)
        if opened is None:
            opened = vm.statement_databases = []
            vm.deferred_at_start = deferred_violations(vm.db)  # restored if it fails
        if db not in opened:
            name = f"statement-{id(vm)}"
            db.savepoint(name)
            opened.append(db)
            vm.statement_savepoint = name
    if op.p5 and _cookie(db) != op.p3:
        raise SqlError("database schema has changed", "SQLITE_SCHEMA")


def _cookie(db) -> int:
    """The schema cookie; 0 for a database with no page yet (a new temp database)."""
    return db.schema_cookie if db.pager.page_count else 0


@opcode
def AutoCommit(vm, op):
    """AutoCommit P1 P2 * * *

    Switch autocommit mode on (P1=1) or off (P1=0). BEGIN is `AutoCommit 0 0`: the
    transaction then stays open across statements. COMMIT is `AutoCommit 1 0`: the
    transaction commits when this program halts. ROLLBACK is `AutoCommit 1 1`: it rolls
    back at once. Errors carry SQLite's messages: `cannot start a transaction within a
    transaction`, `cannot commit - no transaction is active`, `cannot rollback - no
    transaction is active`. COMMIT while deferred foreign keys are broken fails with
    `FOREIGN KEY constraint failed` and leaves the transaction open.
    """
    db = vm.db
    if db is None:
        raise SqlError("no database is open")
    want_autocommit = op.p1 != 0
    if not want_autocommit:
        if not _autocommit(db):
            raise SqlError("cannot start a transaction within a transaction")
        _set_autocommit(db, False)
        return
    if _autocommit(db):
        verb = "rollback" if op.p2 else "commit"
        raise SqlError(f"cannot {verb} - no transaction is active")
    if not op.p2 and deferred_violations(db) > 0:
        raise ConstraintError(FOREIGN_KEY_FAILED)  # the transaction stays open
    _set_autocommit(db, True)
    _SAVEPOINTS.pop(db, None)
    _DEFERRED_AT.pop(db, None)
    if op.p2:
        if db.in_transaction:
            set_deferred_violations(db, 0)
        for each in _databases(vm):
            if each.in_transaction:
                each.rollback()


@opcode
def Savepoint(vm, op):
    """Savepoint P1 * * P4 *

    Open (P1=0), release (P1=1) or roll back to (P1=2) the savepoint named P4. Outside
    a transaction, SAVEPOINT begins one, and releasing that outermost savepoint commits
    it. RELEASE also releases every savepoint opened after the named one; ROLLBACK TO
    undoes the changes made since the savepoint and keeps it open (and the count of
    deferred foreign key violations it had). An unknown name fails with `no such
    savepoint: NAME`; releasing the savepoint that began the transaction while deferred
    foreign keys are broken fails as COMMIT does.
    """
    db = vm.db
    if db is None:
        raise SqlError("no database is open")
    name = str(op.p4)
    names, began = _SAVEPOINTS.get(db, ([], False))
    if op.p1 == 0:
        if not names and _autocommit(db):
            began = True
            _set_autocommit(db, False)
            if not db.in_transaction:
                db.begin(True)
        names.append(name)
        _SAVEPOINTS[db] = (names, began)
        _DEFERRED_AT.setdefault(db, []).append(deferred_violations(db))
        db.savepoint(name)
        return
    lowered = [n.lower() for n in names]
    if name.lower() not in lowered:
        raise SqlError(f"no such savepoint: {name}")
    index = len(lowered) - 1 - lowered[::-1].index(name.lower())
    target = names[index]
    counts = _DEFERRED_AT.setdefault(db, [])
    if op.p1 == 2:
        db.rollback_to(target)
        del names[index + 1 :]
        if index < len(counts):
            set_deferred_violations(db, counts[index])
            del counts[index + 1 :]
        return
    if index == 0 and began and deferred_violations(db) > 0:
        raise ConstraintError(FOREIGN_KEY_FAILED)  # it would commit: refused
    db.release(target)
    del names[index:]
    del counts[index:]
    if not names and began:
        _SAVEPOINTS.pop(db, None)
        _set_autocommit(db, True)  # the transaction commits when the statement ends


@opcode
def ReadCookie(vm, op):
    """ReadCookie P1 P2 P3 * *

    Store in register P2 the 32-bit meta value number P3 of database P1's header: 1 is
    the schema cookie, 2 the schema format, 5 the text encoding, 6 the user version, 8
    the application id. `PRAGMA user_version` reads one this way.
    """
    vm.reg[op.p2] = vm.database(op.p1).get_meta(op.p3)


@opcode
def SetCookie(vm, op):
    """SetCookie P1 P2 P3 * P5

    Write the value P3 into meta value number P2 of database P1's header (see
    ReadCookie). Every DDL statement sets the schema cookie (number 1) to one more than
    it was, which tells other connections that their copy of the schema is stale.
    """
    vm.database(op.p1).set_cookie(op.p2, op.p3)


@opcode
def Pagecount(vm, op):
    """Pagecount P1 P2 * * *

    Store the number of pages in database P1's file in register P2 (`PRAGMA page_count`).
    """
    vm.reg[op.p2] = vm.database(op.p1).pager.page_count


@opcode
def MaxPgcnt(vm, op):
    """MaxPgcnt P1 P2 P3 * *

    Store the largest number of pages database P1 may grow to in register P2
    (`PRAGMA max_page_count`); this pager allows SQLite's default maximum, and P3 (a new
    maximum) is not supported, so it is ignored.
    """
    vm.reg[op.p2] = 4294967294


@opcode
def ResetCount(vm, op):
    """ResetCount * * * * *

    Start counting changed rows from zero again; trigger programs use it so that their
    own changes are not counted as the statement's.
    """
    vm.changes = 0


@opcode(p1="value")
def Checkpoint(vm, op):
    """Checkpoint P1 P2 P3 * *

    Checkpoint the write-ahead log of database P1 (of every database when P1 is past the
    last one) in mode P2 (passive, full, restart or truncate), and write three numbers
    from register P3: 1 if a lock blocked it, the log's size in pages, and how many of
    them were copied into the database. This pager never keeps a log (its journal is
    the rollback journal), so the answer is SQLite's for a database not in WAL mode:
    0, -1, -1 (`PRAGMA wal_checkpoint`).
    """
    vm.reg[op.p3 : op.p3 + 3] = [0, -1, -1]


_JOURNAL_MODES = ("delete", "persist", "off", "truncate", "memory", "wal")


@opcode
def JournalMode(vm, op):
    """JournalMode P1 P2 P3 * *

    Set the journal mode of database P1 to mode number P3 and store the resulting mode's
    name in register P2; P3 = -1 only asks. This pager keeps SQLite's default rollback
    journal, "delete" (the journal file is deleted at commit), and no other mode; an
    in-memory database keeps its journal in memory, "memory", and SQLite answers so
    whatever mode but "off" is asked for. `CREATE ... IF NOT EXISTS` on an existing
    object compiles to a query of the mode.
    """
    db = vm.db if vm.databases is None else vm.databases[op.p1]
    current = "memory" if db is None or db.path is None else "delete"
    mode = op.p3
    asked = _JOURNAL_MODES[mode] if 0 <= mode < len(_JOURNAL_MODES) else str(mode)
    if mode != -1 and asked != current and (current == "delete" or asked == "off"):
        raise SqlError(f"journal mode {asked} is not supported")
    vm.reg[op.p2] = current
