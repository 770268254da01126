"""Comparison and logic: the six comparison jumps, NULL tests, Compare/Jump, AND and OR.

The comparison opcodes compare register P3 with register P1 (in that order: `Lt`
jumps when r[P3] < r[P1]) and jump to P2 when the comparison holds. P5 carries flags:

- the low bits (`P5 & 0x47`) name an affinity letter applied before comparing:
  'C', 'D' or 'E' (0x43-0x45) turn numeric-looking text into numbers, 'B' (0x42)
  turns numbers into text, anything else compares the values as they are;
- `0x10` (SQLITE_JUMPIFNULL) jumps when either operand is NULL;
- `0x80` (SQLITE_NULLEQ) makes NULL compare equal to NULL (`IS`, `IS NOT`), except
  a NULL that `Null` with P1 set left in r[P3] (a cleared register).

P4 may name the collating sequence for text (`NOCASE-8`). Every comparison also
leaves its result in `vm.compare_result` for ElseEq. (SQLite 3.40 has no flag to store
the result in a register instead of jumping: a comparison used as a value is compiled
as ZeroOrNull, the jump, and an `Integer 1` it skips.)
"""

from __future__ import annotations

from vdbe.opcodes import opcode
from vdbe.values import apply_affinity, compare, is_true, to_text

SQLITE_JUMPIFNULL = 0x10
SQLITE_NULLEQ = 0x80
SQLITE_AFF_MASK = 0x47
OPFLAG_PERMUTE = 0x01

# For each comparison: does it jump when r[P3] is (less than, equal to, greater than) r[P1]?
LT, LE, GT, GE = (
    (True, False, False),
    (True, True, False),
    (False, False, True),
    (False, True, True),
)
EQ, NE = (False, True, False), (True, False, True)


# --8<-- [start:compare_and_jump]
def compare_and_jump(vm, op, outcome: tuple[bool, bool, bool]) -> None:
    """Compare r[P3] with r[P1] under P5's flags; jump to P2 if `outcome` says so."""
    reg = vm.reg
    left, right = reg[op.p3], reg[op.p1]
    if type(left) is int and type(right) is int:  # the common case, kept fast
        result = (left > right) - (left < right)
    elif left is None or right is None:
        if not op.p5 & SQLITE_NULLEQ:  # NULL compared with anything is NULL
            vm.compare_result = 1
            if op.p5 & SQLITE_JUMPIFNULL:
                vm.pc = op.p2
            return
        if left is not right:
            result = -1 if left is None else 1
        else:  # two NULLs are equal unless r[P3] is a cleared NULL (see Null)
            result = -1 if vm.cleared and op.p3 in vm.cleared else 0
    else:
        left, right = _with_affinity(left, right, op.p5 & SQLITE_AFF_MASK)
        collation = op.p4.name if op.p4 is not None and hasattr(op.p4, "name") else None
        result = compare(left, right, collation)
        result = (result > 0) - (result < 0)
    vm.compare_result = result
    if outcome[result + 1]:
        vm.pc = op.p2


# --8<-- [end:compare_and_jump]


def _with_affinity(left, right, affinity: int):
    """Convert the operands as the comparison's affinity says (registers are not changed)."""
    if affinity >= 0x43:  # NUMERIC, INTEGER, REAL: numeric-looking text becomes a number
        if type(left) is str:
            left = apply_affinity(left, "C")
        if type(right) is str:
            right = apply_affinity(right, "C")
    elif affinity == 0x42:  # TEXT: numbers become text
        if type(left) in (int, float):
            left = to_text(left)
        if type(right) in (int, float):
            right = to_text(right)
    return left, right


@opcode
def Eq(vm, op):
    """Eq P1 P2 P3 P4 P5

    Synopsis: IF r[P3]==r[P1]

    Jump to P2 if registers P3 and P1 are equal. With SQLITE_NULLEQ in P5 two NULLs
    are equal (this is `IS`); otherwise a NULL operand means no jump, unless
    SQLITE_JUMPIFNULL is set. P4 may name the collation for text.
    """
    compare_and_jump(vm, op, EQ)


@opcode
def Ne(vm, op):
    """Ne P1 P2 P3 P4 P5

    Synopsis: IF r[P3]!=r[P1]

    Jump to P2 if registers P3 and P1 are not equal, with Eq's rules for NULL,
    affinity and collation. With SQLITE_NULLEQ this is `IS NOT`.
    """
    compare_and_jump(vm, op, NE)


@opcode
def Lt(vm, op):
    """Lt P1 P2 P3 P4 P5

    Synopsis: IF r[P3]<r[P1]

    Jump to P2 if register P3 is less than register P1. Values of different classes
    order as NULL < numbers < text < blobs; P5's affinity may convert them first.
    """
    compare_and_jump(vm, op, LT)


@opcode
def Le(vm, op):
    """Le P1 P2 P3 P4 P5

    Synopsis: IF r[P3]<=r[P1]

    Jump to P2 if register P3 is less than or equal to register P1, with Lt's rules.
    """
    compare_and_jump(vm, op, LE)


@opcode
def Gt(vm, op):
    """Gt P1 P2 P3 P4 P5

    Synopsis: IF r[P3]>r[P1]

    Jump to P2 if register P3 is greater than register P1, with Lt's rules.
    """
    compare_and_jump(vm, op, GT)


@opcode
def Ge(vm, op):
    """Ge P1 P2 P3 P4 P5

    Synopsis: IF r[P3]>=r[P1]

    Jump to P2 if register P3 is greater than or equal to register P1, with Lt's rules.
    """
    compare_and_jump(vm, op, GE)


@opcode
def ElseEq(vm, op):
    """ElseEq * P2 * * *

    Jump to P2 if the Lt or Gt just before found its operands equal. SQLite pairs it
    with them to test `<` and `=` with one comparison, in row-value comparisons.
    """
    if vm.compare_result == 0:
        vm.pc = op.p2


@opcode
def IsNull(vm, op):
    """IsNull P1 P2 * * *

    Synopsis: if r[P1]==NULL goto P2

    Jump to P2 if register P1 is NULL.
    """
    if vm.reg[op.p1] is None:
        vm.pc = op.p2


@opcode
def NotNull(vm, op):
    """NotNull P1 P2 * * *

    Synopsis: if r[P1]!=NULL goto P2

    Jump to P2 if register P1 is not NULL.
    """
    if vm.reg[op.p1] is not None:
        vm.pc = op.p2


@opcode
def IsTrue(vm, op):
    """IsTrue P1 P2 P3 P4 *

    Synopsis: r[P2] = coalesce(r[P1]==TRUE,P3) ^ P4

    Store in register P2 whether register P1 is true (1 or 0), or P3 when it is NULL,
    inverted when P4 is 1. This one opcode gives `IS TRUE`, `IS FALSE`, `IS NOT TRUE`
    and `IS NOT FALSE`.
    """
    truth = is_true(vm.reg[op.p1])
    value = op.p3 if truth is None else int(truth)
    vm.reg[op.p2] = value ^ (op.p4 or 0)


@opcode
def ZeroOrNull(vm, op):
    """ZeroOrNull P1 P2 P3 * *

    Synopsis: r[P2] = 0 OR NULL

    Store 0 in register P2 if registers P1 and P3 are both not NULL, else NULL. A
    comparison computed as a value (not a jump) starts from it.
    """
    reg = vm.reg
    reg[op.p2] = None if reg[op.p1] is None or reg[op.p3] is None else 0


@opcode
def Permutation(vm, op):
    """Permutation * * * P4 *

    Give the Compare that follows the order in which to visit its registers: P4 is a
    list of register offsets. It only affects a Compare with OPFLAG_PERMUTE in P5.
    """
    vm.permutation = op.p4


@opcode
def Compare(vm, op):
    """Compare P1 P2 P3 P4 P5

    Synopsis: r[P1@P3] <-> r[P2@P3]

    Compare the P3 registers starting at P1 with the P3 registers starting at P2,
    field by field, as a sort does (NULLs equal and first), using the KeyInfo in P4
    for collations and descending fields. The result is left for the Jump that follows.
    """
    key_info = op.p4
    permutation = getattr(vm, "permutation", None) if op.p5 & OPFLAG_PERMUTE else None
    reg = vm.reg
    result = 0
    for i in range(op.p3):
        offset = permutation[i] if permutation else i
        a, b = reg[op.p1 + offset], reg[op.p2 + offset]
        if a == b and type(a) is type(b):
            continue  # equal values of one type are equal under every collation
        collation = _field(key_info, "collations", i)
        result = compare(a, b, collation)
        if result:
            if _field(key_info, "nulls_last", i) and (a is None or b is None):
                result = -result
            if _field(key_info, "descending", i):
                result = -result
            break
    vm.compare_result = result


def _field(key_info, name: str, i: int):
    values = getattr(key_info, name, None) or ()
    return values[i] if i < len(values) else None


@opcode
def And(vm, op):
    """And P1 P2 P3 * *

    Synopsis: r[P3]=(r[P1] && r[P2])

    Store the three-valued AND of registers P1 and P2 in register P3: 0 if either is
    false, else NULL if either is NULL, else 1.
    """
    a, b = is_true(vm.reg[op.p1]), is_true(vm.reg[op.p2])
    if a is False or b is False:
        vm.reg[op.p3] = 0
    else:
        vm.reg[op.p3] = None if a is None or b is None else 1


@opcode
def Or(vm, op):
    """Or P1 P2 P3 * *

    Synopsis: r[P3]=(r[P1] || r[P2])

    Store the three-valued OR of registers P1 and P2 in register P3: 1 if either is
    true, else NULL if either is NULL, else 0.
    """
    a, b = is_true(vm.reg[op.p1]), is_true(vm.reg[op.p2])
    if a or b:
        vm.reg[op.p3] = 1
    else:
        vm.reg[op.p3] = None if a is None or b is None else 0
