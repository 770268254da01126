"""The opcodes of transactional Carrot, documented like SQLite's own.

SQLite's ``Savepoint`` opcode opens, releases or rolls back a named savepoint of one
database connection. A transactional Carrot call needs a little more at each of
those moments - the same operation on two databases (ordinary tables and persistent
tables) plus the globals - so it gets its own opcodes, marked as extensions. Each
reaches the program's transaction stack as ``vm.carrot.transactions``.
"""

from __future__ import annotations

from vdbe.opcodes import opcode

EXTENSION = "carrot-txn"


# --8<-- [start:opcodes]
@opcode(extension=EXTENSION)
def TxnBegin(vm, op):
    """TxnBegin * * * * *

    Synopsis: savepoint

    Start a transactional call: open a savepoint in the database of ordinary tables
    and in the database of persistent tables, and remember every global's value. It is
    the first instruction of every ``txn fn``. Like SQLite's ``Savepoint`` with P1=0,
    it only marks the journal; nothing is written until a page changes.
    """
    vm.carrot.transactions.begin_call()


@opcode(extension=EXTENSION)
def TxnCommit(vm, op):
    """TxnCommit * * * * *

    Synopsis: release savepoint

    A transactional call returns normally: release its savepoints, keeping its
    changes. When no other transactional call is active, commit the database of
    persistent tables, so the changes are durable before the caller continues. The
    compiler places it just before each ``FnReturn`` of a ``txn fn``, after the
    returned value has been computed.
    """
    vm.carrot.transactions.commit_call()


@opcode(extension=EXTENSION)
def TxnAbort(vm, op):
    """TxnAbort * * * * *

    Synopsis: rollback to savepoint

    ``abort``: roll both databases back to the savepoints the call opened, release
    them, and put every global back as it was when the call began. A ``FnReturn`` of
    null follows. Output already printed stays printed.
    """
    vm.carrot.transactions.abort_call()


@opcode(extension=EXTENSION)
def TxnStatementEnd(vm, op):
    """TxnStatementEnd * * * * *

    Synopsis: autocommit

    A top-level statement has completed. Outside transactional calls, commit whatever
    it changed in persistent tables, as SQLite's autocommit mode ends each statement's
    implicit transaction when the statement finishes.
    """
    vm.carrot.transactions.end_statement()


# --8<-- [end:opcodes]
