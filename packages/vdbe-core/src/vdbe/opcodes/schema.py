"""Schema opcodes: creating, emptying and dropping B-trees, and the schema cache.

A CREATE TABLE program does two things: it allocates the table's B-tree
(`CreateBtree`) and writes a row describing it into the `sqlite_schema` table, an
ordinary table at root page 1 - with the same OpenWrite/MakeRecord/Insert opcodes as any
INSERT. Then SQLite re-reads that row into its in-memory schema (`ParseSchema`).

This VM compiles no SQL, so it keeps no in-memory schema: the schema lives only in the
file's `sqlite_schema` table, which the program updates itself. The opcodes that only
maintain SQLite's cache (`ParseSchema`, `DropTable`, `DropIndex`, `DropTrigger`,
`Expire`) therefore do nothing here. The schema cookie, bumped by every DDL program
through SetCookie, is what tells the SQL compiler (real SQLite, reading the same file
before the next statement) that its own copy is stale and must be read again.
"""

from __future__ import annotations

from vdbe.errors import CorruptError, SqlError
from vdbe.opcodes import opcode

BTREE_INTKEY = 1


@opcode
def CreateBtree(vm, op):
    """CreateBtree P1 P2 P3 * *

    Synopsis: r[P2]=root iDb=P1 flags=P3

    Allocate a new, empty B-tree in database P1 and store its root page number in
    register P2. P3 is 1 for a rowid table (integer keys) and 2 for an index or a
    WITHOUT ROWID table (record keys). The root page number is what the program then
    writes into the `rootpage` column of `sqlite_schema`.
    """
    kind = "table" if op.p3 == BTREE_INTKEY else "index"
    vm.reg[op.p2] = vm.database(op.p1).create_btree(kind)


@opcode
def Destroy(vm, op):
    """Destroy P1 P2 P3 * *

    Free every page of the B-tree whose root page is P1 (DROP TABLE, DROP INDEX) onto the
    freelist. Register P2 receives the page number of a root page that was moved into
    the freed slot, or 0: an auto-vacuum database keeps its roots together, so its
    largest root moves into the gap, and the program then corrects that tree's row of
    `sqlite_schema`. While another statement of the connection is running (and might
    hold a cursor on a tree that moves) it fails: `database table is locked`.
    """
    connection = getattr(vm, "connection", None)
    if connection is not None and connection.active_statements > 1:
        raise SqlError("database table is locked", "SQLITE_LOCKED")
    moved = vm.database(op.p3).destroy_btree(op.p1)
    vm.reg[op.p2] = moved or 0


@opcode
def Clear(vm, op):
    """Clear P1 P2 P3 * *

    Delete every entry of the B-tree whose root page is P1, keeping the tree itself.
    `DELETE FROM t` without a WHERE clause is a Clear of the table and of each of its
    indexes. If P3 is not zero the removed rows count as changes, and if P3 is positive
    register P3 is increased by their number.
    """
    removed = vm.database(op.p2).clear_btree(op.p1)
    if op.p3:
        vm.changes += removed
        if op.p3 > 0:
            vm.reg[op.p3] = (vm.reg[op.p3] or 0) + removed


@opcode
def ParseSchema(vm, op):
    """ParseSchema P1 * * P4 *

    SQLite: read the rows of `sqlite_schema` that match the WHERE clause P4 and compile
    them into its in-memory schema. This VM keeps no schema - it compiles nothing - so
    there is nothing to parse: the rows the program just wrote into `sqlite_schema` are
    the whole truth, and the SQL compiler re-reads them because the schema cookie
    changed.
    """


@opcode
def LoadAnalysis(vm, op):
    """LoadAnalysis P1 * * * *

    SQLite: read the sqlite_stat1 table of database P1 into the in-memory schema, where
    the query planner finds it. ANALYZE ends with it. Plans are SQLite's business here:
    the compiler reads sqlite_stat1 itself, from the file the program just wrote.
    """


@opcode
def DropTable(vm, op):
    """DropTable P1 * * P4 *

    SQLite: forget the in-memory description of table P4 after its B-tree was destroyed
    and its `sqlite_schema` row deleted. There is no in-memory schema here, so nothing
    is left to forget.
    """


@opcode
def DropIndex(vm, op):
    """DropIndex P1 * * P4 *

    SQLite: forget the in-memory description of index P4. A no-op here, as DropTable.
    """


@opcode
def DropTrigger(vm, op):
    """DropTrigger P1 * * P4 *

    SQLite: forget the in-memory description of trigger P4. A no-op here, as DropTable.
    """


@opcode
def Expire(vm, op):
    """Expire P1 P2 * * *

    SQLite: mark prepared statements as expired, so they are compiled again before
    their next run (P1=0: all of them; P2=1: only once they finish). This VM runs each
    program once, and the SQL compiler notices schema changes through the cookie, so
    there is nothing to expire.
    """


@opcode
def TableLock(vm, op):
    """TableLock P1 P2 P3 P4 *

    Synopsis: iDb=P1 root=P2 write=P3

    SQLite: take a table-level lock in shared-cache mode. Without shared cache there is
    nothing to lock; file locks are the pager's business.
    """


@opcode
def IntegrityCk(vm, op):
    """IntegrityCk P1 P2 P3 P4 P5

    Check the structure of the database file, as `vdbe check` does (vdbe.check): every
    B-tree, the freelist, the use of every page, and that the schema's SQL compiles.
    Store NULL in register P1 if all is well, otherwise the problems found, one a line
    (in this project's words, not SQLite's), and take their number, less one, off the
    count of errors still allowed in register P3 (newer releases swap them: the count
    in P1, the result in P1+1). P4 lists the root pages of the trees
    (P2 of them) that `PRAGMA integrity_check` wants checked; this check walks every
    tree the schema names. P5 is the database: 0 the main file; 1, TEMP, is held in
    memory and reported sound. The rest of the pragma's program checks rows against
    indexes and constraints with ordinary opcodes.
    """
    result, budget = _integrity_registers(op)
    if op.p5 != 0:  # TEMP: its trees are in memory, and no file can be damaged
        vm.reg[result] = None
        return
    if result == op.p1 + 1 and isinstance(op.p4, list):
        _count_entries(vm, op.p4, op.p3)
    from vdbe.check import walk

    problems = walk(vm.database(0)).problems[: max(1, (vm.reg[budget] or 0) + 1)]
    vm.reg[result] = "\n".join(problems) if problems else None
    if problems:
        vm.reg[budget] = (vm.reg[budget] or 0) - (len(problems) - 1)


def _count_entries(vm, roots: list[int], first: int) -> None:
    """Newer releases: the number of entries of each tree of P4, into the registers from
    P3 on; the program then checks that each index has as many entries as its table."""
    db = vm.database(0)
    for i, root in enumerate(roots):
        try:
            vm.reg[first + i] = db.cursor(root).count() if root else None
        except CorruptError:
            vm.reg[first + i] = None  # the walk reports the damage


def _integrity_registers(op) -> tuple[int, int]:
    """(the register for the result, the register counting the errors still allowed).

    SQLite 3.40 compiles `IntegrityCk 2 N 1`: the result in P1, the count in P3. Newer
    releases (3.50 and 3.54 do; the release between that changed it is not pinned
    down here) compile `IntegrityCk 1 N 8`: the count in P1, the result in P1+1, and in
    P3 the first of N registers that receive the number of entries of each tree. The
    operands tell which layout a program uses: the count's register always comes first
    in the newer one."""
    if op.p1 < op.p3:
        return op.p1 + 1, op.p1
    return op.p1, op.p3
