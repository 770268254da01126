"""carrot-txn's entry into Carrot: the :class:`~carrot.extension.Extension` it publishes.

Carrot discovers this object through the ``carrot.extensions`` entry point declared in
this package's ``pyproject.toml``; nothing in Carrot is patched.
"""

from __future__ import annotations

import os
from typing import Any

from carrot import ast
from carrot.extension import CliOption, Extension
from carrot.runtime.errors import CarrotRuntimeError
from vdbe.errors import VdbeError
from vdbe.storage import Database
from vdbe.storage.vfs import OsVfs

from carrot_txn.compile import (
    TxnReturn,
    compile_abort,
    compile_return,
    compile_statement_end,
    compile_txn_function,
)
from carrot_txn.persistent import DatabaseStore, PersistentStore
from carrot_txn.syntax import parse_abort, parse_txn
from carrot_txn.transactions import Transactions

#: how long a write waits for another process's lock before `database is locked`
BUSY_TIMEOUT_SECONDS = float(os.environ.get("CARROT_BUSY_TIMEOUT", "5"))


# --8<-- [start:setup]
def open_database(path: str | None) -> Database:
    """The database of persistent tables: the file at ``path``, or one in memory."""
    if path is None:
        return Database.memory()
    try:
        return Database(path, vfs=OsVfs(busy_timeout=BUSY_TIMEOUT_SECONDS))
    except (VdbeError, OSError) as error:
        raise CarrotRuntimeError(f"cannot open database {path}: {error}") from None


def setup(interpreter: Any, options: dict[str, Any]) -> None:
    """Before the program runs: open the database, define ``db``, start the txn stack."""
    runtime = interpreter.runtime
    database = open_database(options.get("db"))
    transactions = Transactions(runtime, database)
    tables = PersistentStore(database, on_write=transactions.start_write)
    transactions.stores.append(tables)
    runtime.transactions = transactions
    runtime.globals["db"] = DatabaseStore(tables).db_table


def on_error(interpreter: Any) -> None:
    """A run ended in an error: undo the open transactional calls."""
    transactions = getattr(interpreter.runtime, "transactions", None)
    if transactions is not None:
        transactions.abort_all()


def teardown(interpreter: Any) -> None:
    """After the program: commit what the last statement left, close the file."""
    transactions = getattr(interpreter.runtime, "transactions", None)
    if transactions is None:
        return
    if transactions.calls:
        transactions.abort_all()
    transactions.commit_persistent()
    transactions.persistent.close()


# --8<-- [end:setup]


# --8<-- [start:translators]
#: each opcode of transactional Carrot is, on the fast path, one call of its handler's
#: method of the transaction stack (what the handler itself calls)
TRANSACTION_STEPS = {
    "TxnBegin": "begin_call",
    "TxnCommit": "commit_call",
    "TxnAbort": "abort_call",
    "TxnStatementEnd": "end_statement",
}


def translate_transaction_step(instruction: Any, address: int, writer: Any) -> list[str]:
    """A transactional opcode on the fast path: the same call its handler makes."""
    return [f"rt.transactions.{TRANSACTION_STEPS[instruction.opcode]}()"]


# --8<-- [end:translators]


EXTENSION = Extension(
    name="txn",
    statements={"txn": parse_txn, "abort": parse_abort},
    node_compilers={ast.Abort: compile_abort, TxnReturn: compile_return},
    fn_compilers={"txn": compile_txn_function},
    opcode_modules=["carrot_txn.opcodes"],
    translators=dict.fromkeys(TRANSACTION_STEPS, translate_transaction_step),
    call_free_opcodes=frozenset(TRANSACTION_STEPS),  # savepoints and commits only
    options=[
        CliOption(
            "--db",
            "db",
            "open (or create) this SQLite 3 database file for the persistent tables "
            "db.NAME; without it they live in memory and vanish at exit",
            metavar="PATH",
        )
    ],
    setup=setup,
    teardown=teardown,
    statement_end=compile_statement_end,
    on_error=on_error,
)
