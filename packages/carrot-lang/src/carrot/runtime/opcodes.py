"""Carrot's extension opcodes: values, operators, tables, globals and printing.

SQLite's instruction set has no booleans, no tables-as-values and no globals, and its
arithmetic turns NULL and text into quiet NULLs or numbers, where Carrot must stop
with a runtime error. The opcodes here fill those gaps. Each is registered with
``@opcode(extension="carrot")`` and documented exactly like SQLite's own, so the
generated opcode reference lists them beside the others, marked as extensions.

Naming: an opcode called ``CarrotX`` is Carrot's counterpart of SQLite's ``X``, with
the same operand layout (``CarrotSubtract`` computes ``r[P2]-r[P1]`` as ``Subtract``
does) but Carrot's rules. The calling opcodes live in :mod:`carrot.runtime.calls`.

Every handler reaches the program's shared state as ``vm.carrot`` (a ``Runtime``).
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from vdbe.opcodes import opcode

from carrot.runtime import values
from carrot.runtime.errors import CarrotRuntimeError
from carrot.runtime.printing import echo, print_values
from carrot.runtime.tables import TableStore
from carrot.runtime.values import INT_MAX, INT_MIN, Table, truthy, type_name

CARROT = "carrot"


# ---------------------------------------------------------------- constants


@opcode(extension=CARROT, writes="p2", result="bool", pure=True)
def Bool(vm, op):
    """Bool P1 P2 * * *

    Synopsis: r[P2]=P1

    Store the boolean ``true`` in register P2 if P1 is non-zero, ``false`` if it is
    zero. SQLite has no boolean type (it uses the integers 1 and 0); Carrot keeps
    ``true`` apart from ``1``, so a literal ``true`` needs its own instruction.
    """
    vm.reg[op.p2] = op.p1 != 0


@opcode(extension=CARROT, writes="p2", pure=True)
def LoadFunction(vm, op):
    """LoadFunction * P2 * P4 *

    Synopsis: r[P2]=P4

    Store the compiled function P4 in register P2, as a function value. A top-level
    ``fn`` statement compiles to this instruction followed by ``SetGlobal``.
    """
    vm.reg[op.p2] = op.p4


# --------------------------------------------------------------- arithmetic
# --8<-- [start:CarrotAdd]
@opcode(extension=CARROT, writes="p3")
def CarrotAdd(vm, op):
    """CarrotAdd P1 P2 P3 * *

    Synopsis: r[P3]=r[P1]+r[P2]

    Add the values in registers P1 and P2 and store the sum in P3. Like SQLite's
    ``Add``, two integers give an integer unless the sum leaves the 64-bit range,
    which gives a float. Unlike ``Add``, two strings are joined, and any other operand
    (null, a bool, a table, a string with a number) is a runtime error instead of NULL.
    """
    reg = vm.reg
    a = reg[op.p1]
    b = reg[op.p2]
    if type(a) is int and type(b) is int:
        s = a + b
        if INT_MIN <= s <= INT_MAX:
            reg[op.p3] = s
            return
    reg[op.p3] = values.add(a, b)


# --8<-- [end:CarrotAdd]


@opcode(extension=CARROT, writes="p3")
def CarrotSubtract(vm, op):
    """CarrotSubtract P1 P2 P3 * *

    Synopsis: r[P3]=r[P2]-r[P1]

    Subtract the value in register P1 from the value in register P2 and store the
    result in P3 (the operand order of SQLite's ``Subtract``). Integer overflow gives
    a float; a non-number operand is a runtime error.
    """
    reg = vm.reg
    a = reg[op.p2]
    b = reg[op.p1]
    if type(a) is int and type(b) is int:
        d = a - b
        if INT_MIN <= d <= INT_MAX:
            reg[op.p3] = d
            return
    reg[op.p3] = values.subtract(a, b)


@opcode(extension=CARROT, writes="p3")
def CarrotMultiply(vm, op):
    """CarrotMultiply P1 P2 P3 * *

    Synopsis: r[P3]=r[P1]*r[P2]

    Multiply the values in registers P1 and P2 and store the product in P3. Integer
    overflow gives a float, as in SQLite; a non-number operand is a runtime error.
    """
    reg = vm.reg
    reg[op.p3] = values.multiply(reg[op.p1], reg[op.p2])


@opcode(extension=CARROT, writes="p3")
def CarrotDivide(vm, op):
    """CarrotDivide P1 P2 P3 * *

    Synopsis: r[P3]=r[P2]/r[P1]

    Divide the value in register P2 by the value in register P1 and store the
    quotient in P3. Two integers give an integer truncated toward zero (``-7 / 2`` is
    ``-3``); a float operand gives float division. Where SQLite's ``Divide`` yields
    NULL for a zero divisor, this is the runtime error ``division by zero``.
    """
    reg = vm.reg
    reg[op.p3] = values.divide(reg[op.p2], reg[op.p1])


@opcode(extension=CARROT, writes="p3")
def CarrotRemainder(vm, op):
    """CarrotRemainder P1 P2 P3 * *

    Synopsis: r[P3]=r[P2]%r[P1]

    Store in P3 the remainder of dividing register P2 by register P1. The result
    has the sign of the dividend (``-7 % 3`` is ``-1``), for integers and floats alike.
    A zero divisor is the runtime error ``division by zero``.
    """
    reg = vm.reg
    reg[op.p3] = values.remainder(reg[op.p2], reg[op.p1])


@opcode(extension=CARROT, writes="p2")
def Negate(vm, op):
    """Negate P1 P2 * * *

    Synopsis: r[P2]=-r[P1]

    Store the negation of register P1 in register P2. SQLite compiles unary minus as
    a subtraction from zero; Carrot has an instruction so that the error for a
    non-number names the unary operator.
    """
    reg = vm.reg
    reg[op.p2] = values.negate(reg[op.p1])


# ------------------------------------------------------------- truth and logic


@opcode(extension=CARROT, writes="p2", result="bool", pure=True)
def CarrotNot(vm, op):
    """CarrotNot P1 P2 * * *

    Synopsis: r[P2]=!r[P1]

    Store in P2 the boolean opposite of register P1's truth. Carrot's truth differs
    from SQLite's: ``false``, ``null``, ``0`` and ``0.0`` are false and every other value,
    every string included, is true. The result is always a bool, never NULL.
    """
    vm.reg[op.p2] = not truthy(vm.reg[op.p1])


@opcode(extension=CARROT, writes="p2", result="bool", pure=True)
def Truth(vm, op):
    """Truth P1 P2 * * *

    Synopsis: r[P2]=truth(r[P1])

    Store in P2 the truth of register P1 as a bool. The short-circuit operators
    ``&&`` and ``||`` end with this instruction, because they yield a bool rather
    than the deciding operand itself.
    """
    vm.reg[op.p2] = truthy(vm.reg[op.p1])


@opcode(extension=CARROT)
def CarrotIf(vm, op):
    """CarrotIf P1 P2 * * *

    Synopsis: IF r[P1]

    Jump to P2 if register P1 is true by Carrot's rules (not ``false``, ``null``,
    ``0`` or ``0.0``). SQLite's ``If`` instead converts the value to a number, which
    would make the string ``"yes"`` false.
    """
    if truthy(vm.reg[op.p1]):
        vm.pc = op.p2


@opcode(extension=CARROT)
def CarrotIfNot(vm, op):
    """CarrotIfNot P1 P2 * * *

    Synopsis: IF !r[P1]

    Jump to P2 if register P1 is false by Carrot's rules: ``false``, ``null``, ``0``
    or ``0.0``. ``if`` and ``while`` compile their condition to this jump.
    """
    if not truthy(vm.reg[op.p1]):
        vm.pc = op.p2


# ---------------------------------------------------------------- comparison
# Unlike SQLite's comparison opcodes, which jump, these store a bool: in Carrot a
# comparison is an ordinary expression (``let small = n < 10;``).


@opcode(extension=CARROT, writes="p3", result="bool", pure=True)
def CarrotEq(vm, op):
    """CarrotEq P1 P2 P3 * *

    Synopsis: r[P3]=(r[P1]==r[P2])

    Store in P3 whether registers P1 and P2 are equal. Values of different types are
    unequal without error, except an int and a float, which compare as numbers;
    tables and functions are equal only to themselves. Never NULL, unlike SQLite's.
    """
    reg = vm.reg
    a = reg[op.p1]
    b = reg[op.p2]
    reg[op.p3] = a == b if type(a) is int and type(b) is int else values.equal(a, b)


@opcode(extension=CARROT, writes="p3", result="bool", pure=True)
def CarrotNe(vm, op):
    """CarrotNe P1 P2 P3 * *

    Synopsis: r[P3]=(r[P1]!=r[P2])

    Store in P3 whether registers P1 and P2 differ: the negation of ``CarrotEq``.
    """
    reg = vm.reg
    a = reg[op.p1]
    b = reg[op.p2]
    reg[op.p3] = a != b if type(a) is int and type(b) is int else not values.equal(a, b)


@opcode(extension=CARROT, writes="p3", result="bool")
def CarrotLt(vm, op):
    """CarrotLt P1 P2 P3 * *

    Synopsis: r[P3]=(r[P1]<r[P2])

    Store in P3 whether register P1 is less than register P2. Numbers compare with
    numbers (an int and a float exactly), strings with strings by code point; any
    other pair is a runtime error.
    """
    reg = vm.reg
    a = reg[op.p1]
    b = reg[op.p2]
    reg[op.p3] = a < b if type(a) is int and type(b) is int else values.less(a, b)


@opcode(extension=CARROT, writes="p3", result="bool")
def CarrotLe(vm, op):
    """CarrotLe P1 P2 P3 * *

    Synopsis: r[P3]=(r[P1]<=r[P2])

    Store in P3 whether register P1 is less than or equal to register P2, with the
    rules of ``CarrotLt``.
    """
    reg = vm.reg
    a = reg[op.p1]
    b = reg[op.p2]
    reg[op.p3] = a <= b if type(a) is int and type(b) is int else values.less_equal(a, b)


@opcode(extension=CARROT, writes="p3", result="bool")
def CarrotGt(vm, op):
    """CarrotGt P1 P2 P3 * *

    Synopsis: r[P3]=(r[P1]>r[P2])

    Store in P3 whether register P1 is greater than register P2, with the rules of
    ``CarrotLt``.
    """
    reg = vm.reg
    a = reg[op.p1]
    b = reg[op.p2]
    reg[op.p3] = a > b if type(a) is int and type(b) is int else values.greater(a, b)


@opcode(extension=CARROT, writes="p3", result="bool")
def CarrotGe(vm, op):
    """CarrotGe P1 P2 P3 * *

    Synopsis: r[P3]=(r[P1]>=r[P2])

    Store in P3 whether register P1 is greater than or equal to register P2, with
    the rules of ``CarrotLt``.
    """
    reg = vm.reg
    a = reg[op.p1]
    b = reg[op.p2]
    reg[op.p3] = a >= b if type(a) is int and type(b) is int else values.greater_equal(a, b)


# -------------------------------------------------------------------- tables


# One function per table operation, called by the handlers below and by the fast path.
def table_get(table: object, key: object) -> object:
    """``table[key]``, null when absent; indexing anything but a table is an error."""
    if type(table) is not Table:
        raise CarrotRuntimeError(f"cannot index {type_name(table)}")
    return table.store.get(table, key)  # type: ignore[union-attr]


def table_set(table: object, key: object, value: object) -> None:
    """``table[key] = value`` (null deletes); indexing anything but a table is an error."""
    if type(table) is not Table:
        raise CarrotRuntimeError(f"cannot index {type_name(table)}")
    table.store.set(table, key, value)  # type: ignore[union-attr]


def next_key(table: object, after: object) -> object:
    """The key after ``after`` (null: the first) in a ``for`` loop's table, or None."""
    if type(table) is not Table:
        raise CarrotRuntimeError(f"cannot iterate over {type_name(table)}")
    return table.store.next_key(table, after)  # type: ignore[union-attr]


def for_entries(table: object) -> Iterator[tuple[object, object]]:
    """The (key, value) pairs a ``for`` loop over ``table`` visits, each taken when the
    loop reaches it: what ``NextKey`` and ``TableGet`` give, step by step, on the fast
    path. A table in memory walks its trees' leaves; another store seeks each key."""
    if type(table) is not Table:
        raise CarrotRuntimeError(f"cannot iterate over {type_name(table)}")
    store = table.store  # type: ignore[union-attr]
    if type(store) is TableStore:
        return store.entries(table)
    return _seek_each(store, table)


def _seek_each(store: Any, table: Table) -> Iterator[tuple[object, object]]:
    key = store.next_key(table, None)
    while key is not None:
        yield key, store.get(table, key)
        key = store.next_key(table, key)


@opcode(extension=CARROT, writes="p2", result="table")
def NewTable(vm, op):
    """NewTable * P2 * * *

    Synopsis: r[P2]=new table

    Create an empty table, a new index B-tree in the runtime's database (as
    ``OpenEphemeral`` creates a temporary B-tree), and store a reference to it in P2.
    """
    vm.reg[op.p2] = vm.carrot.store.new_table()


# --8<-- [start:TableGet]
@opcode(extension=CARROT, writes="p3")
def TableGet(vm, op):
    """TableGet P1 P2 P3 * *

    Synopsis: r[P3]=r[P1][r[P2]]

    Look up key r[P2] in the table r[P1] and store its value in P3, or null when the
    key is absent. The lookup is a seek in the table's index B-tree, as ``SeekGE``
    with ``IdxGT`` would do it in SQL. A float key with an integral value is that int;
    any other key but an int or a string, or a P1 that is not a table, is an error.
    """
    reg = vm.reg
    reg[op.p3] = table_get(reg[op.p1], reg[op.p2])


# --8<-- [end:TableGet]


@opcode(extension=CARROT)
def TableSet(vm, op):
    """TableSet P1 P2 P3 * *

    Synopsis: r[P1][r[P2]]=r[P3]

    Store r[P3] under key r[P2] in the table r[P1]: any old entry for the key is
    deleted from the B-tree and a new record inserted. Storing null only deletes.
    """
    reg = vm.reg
    table_set(reg[op.p1], reg[op.p2], reg[op.p3])


@opcode(extension=CARROT, writes="p2")
def GetField(vm, op):
    """GetField P1 P2 * P4 *

    Synopsis: r[P2]=r[P1].P4

    Store in P2 the value under the string key P4 in the table r[P1]: ``t.name``
    is ``t["name"]`` with the key known when the program is compiled.
    """
    reg = vm.reg
    reg[op.p2] = table_get(reg[op.p1], op.p4)


@opcode(extension=CARROT)
def SetField(vm, op):
    """SetField P1 * P3 P4 *

    Synopsis: r[P1].P4=r[P3]

    Store r[P3] under the string key P4 in the table r[P1] (``t.name = value``).
    """
    table_set(vm.reg[op.p1], op.p4, vm.reg[op.p3])


# --8<-- [start:NextKey]
@opcode(extension=CARROT, writes="p3")
def NextKey(vm, op):
    """NextKey P1 P2 P3 * *

    Synopsis: r[P3]=key after r[P3] in r[P1], else goto P2

    Advance a ``for`` loop over the table r[P1]. Register P3 holds the key visited
    last (null before the first); it is replaced by the next key in key order, found
    by seeking the B-tree for the first key greater than it (as ``SeekGT`` does). When
    there is no such key, jump to P2: the loop is over. Because each step seeks
    afresh, the loop body may add and remove keys safely.
    """
    reg = vm.reg
    key = next_key(reg[op.p1], reg[op.p3])
    if key is None:
        vm.pc = op.p2
    else:
        reg[op.p3] = key


# --8<-- [end:NextKey]

# ------------------------------------------------------------------- globals


@opcode(extension=CARROT, writes="p2")
def GetGlobal(vm, op):
    """GetGlobal * P2 * P4 *

    Synopsis: r[P2]=global P4

    Store the value of the global variable named P4 in register P2. Globals are
    looked up by name when the instruction runs, so a function may use a global
    defined after it; reading one never set is the error ``name 'x' is not defined``.
    """
    vm.reg[op.p2] = vm.carrot.get_global(op.p4)


@opcode(extension=CARROT)
def SetGlobal(vm, op):
    """SetGlobal P1 * * P4 *

    Synopsis: global P4=r[P1]

    Set the global variable named P4 to the value of register P1 (a top-level
    ``let``, ``fn``, or an assignment to a global).
    """
    vm.carrot.globals[op.p4] = vm.reg[op.p1]


# ------------------------------------------------------------------ printing


@opcode(extension=CARROT)
def Print(vm, op):
    """Print P1 P2 * * P5

    Synopsis: print r[P1@P2]

    Write the P2 values in registers P1 onwards to the program's output, separated
    by single spaces and followed by a newline; strings print raw and tables in key
    order. This is the built-in ``print`` called by name. With P5 set (the REPL
    echoing an expression statement) it writes one value with strings quoted, and
    nothing at all for null.
    """
    reg = vm.reg
    if op.p5:
        echo(vm.carrot, reg[op.p1])
    else:
        print_values(vm.carrot, reg[op.p1 : op.p1 + op.p2])
