"""The parser: precedence, associativity, parentheses, spans and syntax errors."""

import pytest
from dvm.ast import Binary, Negate, Number, depth, to_source
from dvm.errors import DvmSyntaxError
from dvm.parser import MAX_DEPTH, MAX_NESTING, parse
from dvm.span import Span


@pytest.mark.parametrize(
    "source, shape",
    [
        ("1", "1"),
        ("1 + 2", "(1 + 2)"),
        ("1 + 2 * 3", "(1 + (2 * 3))"),
        ("1 * 2 + 3", "((1 * 2) + 3)"),
        ("(1 + 2) * 3", "((1 + 2) * 3)"),
        ("8 - 2 - 1", "((8 - 2) - 1)"),
        ("8 / 4 / 2", "((8 / 4) / 2)"),
        ("8 / 4 * 2", "((8 / 4) * 2)"),
        ("1 - 2 + 3", "((1 - 2) + 3)"),
        ("7 % 4 * 2 + 1", "(((7 % 4) * 2) + 1)"),
        ("((((5))))", "5"),
    ],
)
def test_precedence_and_grouping(source, shape):
    assert to_source(parse(source)) == shape


@pytest.mark.exercise("dvm-unary-minus")
@pytest.mark.parametrize(
    "source, shape",
    [
        ("-1", "-1"),
        ("--1", "--1"),
        ("-2 * 3", "(-2 * 3)"),
        ("2 * -3", "(2 * -3)"),
        ("-(2 + 3)", "-(2 + 3)"),
        ("1 - -1", "(1 - -1)"),
    ],
)
def test_unary_minus_binds_tightest(source, shape):
    assert to_source(parse(source)) == shape


@pytest.mark.exercise("dvm-unary-minus")
def test_negate_node_remembers_the_minus_sign():
    tree = parse("1 * -2")
    assert tree.right == Negate(Number(2, Span(1, 6)), Span(1, 5))


def test_nodes_remember_where_they_came_from():
    tree = parse("12 +\n (3 / 4)")
    assert tree == Binary(
        "+",
        Number(12, Span(1, 1, 2)),
        Binary("/", Number(3, Span(2, 3)), Number(4, Span(2, 7)), Span(2, 5)),
        Span(1, 4),
    )


@pytest.mark.parametrize(
    "source, column, message",
    [
        ("2 2", 3, "unexpected number 2 after a complete expression"),
        ("(1) (2)", 5, "unexpected '(' after"),
        ("2 +", 4, "expected a number, '(' or '-', found the end of the input"),
        ("", 1, "found the end of the input"),
        ("   ", 4, "found the end of the input"),
        (")", 1, "found ')'"),
        ("* 2", 1, "found '*'"),
        ("1 + * 2", 5, "found '*'"),
        ("(1 + 2", 7, "expected ')' to close the '(' at column 1"),
        ("((1) + 2", 9, "expected ')' to close the '(' at column 1"),
        ("1 + 2)", 6, "unexpected ')'"),
        ("()", 2, "found ')'"),
    ],
)
def test_syntax_errors_point_at_the_offending_token(source, column, message):
    with pytest.raises(DvmSyntaxError) as caught:
        parse(source)
    assert caught.value.span.column == column
    assert message in caught.value.message


def test_deep_parentheses_are_refused_cleanly():
    source = "(" * (MAX_NESTING + 1) + "1" + ")" * (MAX_NESTING + 1)
    with pytest.raises(DvmSyntaxError, match="nested more than"):
        parse(source)
    fits = "(" * MAX_NESTING + "1" + ")" * MAX_NESTING
    assert parse(fits) == Number(1, Span(1, MAX_NESTING + 1))


def test_very_long_chains_are_refused_cleanly():
    with pytest.raises(DvmSyntaxError, match="levels deep"):
        parse("+".join(["1"] * (MAX_DEPTH + 5)))
    assert depth(parse("+".join(["1"] * MAX_DEPTH)))[0] == MAX_DEPTH


def test_depth_counts_levels():
    assert depth(parse("1"))[0] == 1
    assert depth(parse("1 + 2 * 3"))[0] == 3
