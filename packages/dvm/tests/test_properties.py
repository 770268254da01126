"""Property tests: random expressions against a reference evaluator, and random text.

Trees are generated as plain tuples, written out as source text (with as few
parentheses as precedence allows, or fully parenthesised), and the value the DVM
computes from the text is compared with a direct evaluation of the tuple that
reduces every intermediate result modulo 2^32. Division by zero must be reported
by both or by neither.
"""

import contextlib
import io

import pytest
from dvm import evaluate
from dvm.cli import main
from dvm.errors import DvmRuntimeError
from hypothesis import assume, given
from hypothesis import strategies as st

MODULUS = 2**32
PRECEDENCE = {"+": 1, "-": 1, "*": 2, "/": 2, "%": 2}
NEGATE_PRECEDENCE, ATOM_PRECEDENCE = 3, 4

numbers = st.one_of(
    st.integers(0, 10), st.sampled_from([2**31, MODULUS - 1, 65536]), st.integers(0, MODULUS - 1)
)


def trees(operators: str, negation: bool, max_leaves: int) -> st.SearchStrategy:
    def extend(children: st.SearchStrategy) -> st.SearchStrategy:
        binary = st.tuples(st.sampled_from(operators), children, children)
        if negation:
            return st.one_of(binary, st.tuples(st.just("neg"), children))
        return binary

    return st.recursive(st.tuples(st.just("num"), numbers), extend, max_leaves=max_leaves)


@st.composite
def large_trees(draw: st.DrawFn, min_leaves: int = 17, max_leaves: int = 60) -> tuple:
    """Trees with many leaves, split at random points, so they need register reuse."""
    values = draw(st.lists(numbers, min_size=min_leaves, max_size=max_leaves))

    def build(values: list[int]) -> tuple:
        if len(values) == 1:
            return ("num", values[0])
        split = draw(st.integers(1, len(values) - 1))
        operator = draw(st.sampled_from("++--**/"))
        return (operator, build(values[:split]), build(values[split:]))

    return build(values)


def reference(tree: tuple) -> int:
    """The value of a tuple tree in u32 arithmetic; ZeroDivisionError for x / 0 or x % 0."""
    kind = tree[0]
    if kind == "num":
        return tree[1]
    if kind == "neg":
        return -reference(tree[1]) % MODULUS
    left, right = reference(tree[1]), reference(tree[2])
    if kind == "+":
        return (left + right) % MODULUS
    if kind == "-":
        return (left - right) % MODULUS
    if kind == "*":
        return (left * right) % MODULUS
    if kind == "/":
        return left // right
    return left % right


def precedence(tree: tuple) -> int:
    if tree[0] == "num":
        return ATOM_PRECEDENCE
    return NEGATE_PRECEDENCE if tree[0] == "neg" else PRECEDENCE[tree[0]]


def write(tree: tuple, spaced: bool, full_parentheses: bool) -> str:
    """Source text for a tree; parentheses only where precedence needs them, unless full."""

    def child(subtree: tuple, needs_parentheses: bool) -> str:
        text = write(subtree, spaced, full_parentheses)
        return f"({text})" if needs_parentheses or full_parentheses else text

    kind = tree[0]
    if kind == "num":
        return str(tree[1])
    if kind == "neg":
        return "-" + child(tree[1], precedence(tree[1]) < NEGATE_PRECEDENCE)
    level = PRECEDENCE[kind]
    left = child(tree[1], precedence(tree[1]) < level)
    right = child(tree[2], precedence(tree[2]) <= level)  # operators group from the left
    return f"{left} {kind} {right}" if spaced else f"{left}{kind}{right}"


def count(tree: tuple, kinds: tuple[str, ...]) -> int:
    own = 1 if tree[0] in kinds else 0
    return own + sum(count(child, kinds) for child in tree[1:] if isinstance(child, tuple))


def agree(tree: tuple, spaced: bool, full_parentheses: bool) -> None:
    source = write(tree, spaced, full_parentheses)
    try:
        expected = reference(tree)
    except ZeroDivisionError:
        with pytest.raises(DvmRuntimeError, match="division by zero"):
            evaluate(source)
        return
    assert evaluate(source) == expected, source


def registers_loaded(tree: tuple) -> int:
    """LoadImm instructions the tree compiles to: one per number, one per negation."""
    return count(tree, ("num", "neg"))


@given(trees("+-*/", negation=False, max_leaves=12), st.booleans(), st.booleans())
def test_arithmetic_matches_the_reference(tree, spaced, full_parentheses):
    assume(registers_loaded(tree) <= 16)
    agree(tree, spaced, full_parentheses)


@pytest.mark.exercise("dvm-mod")
@given(trees("+-*/%", negation=False, max_leaves=12), st.booleans(), st.booleans())
def test_remainder_matches_the_reference(tree, spaced, full_parentheses):
    assume(registers_loaded(tree) <= 16)
    agree(tree, spaced, full_parentheses)


@pytest.mark.exercise("dvm-unary-minus")
@given(trees("+-*/", negation=True, max_leaves=10), st.booleans(), st.booleans())
def test_negation_matches_the_reference(tree, spaced, full_parentheses):
    assume(registers_loaded(tree) <= 16)
    agree(tree, spaced, full_parentheses)


@pytest.mark.exercise("dvm-register-reuse")
@given(large_trees(), st.booleans())
def test_large_expressions_match_the_reference(tree, spaced):
    agree(tree, spaced, full_parentheses=False)


@given(st.text(alphabet="0123456789+-*/%() \t\nx", max_size=40))
def test_any_text_gives_a_value_or_a_clean_error(text):
    stdout, stderr = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(stdout), contextlib.redirect_stderr(stderr):
        status = main(["-c", text])
    assert status in (0, 65, 70)
    assert "internal error" not in stderr.getvalue()
    if status == 0:
        assert 0 <= int(stdout.getvalue()) < MODULUS
    else:
        assert stderr.getvalue() and not stdout.getvalue()
