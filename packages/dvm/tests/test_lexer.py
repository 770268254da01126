"""The lexer: token kinds, values, spans, and the errors it raises."""

import pytest
from dvm.errors import DvmSyntaxError
from dvm.lexer import tokenize
from dvm.span import Span
from dvm.tokens import TokenKind


def kinds(source: str) -> list[TokenKind]:
    return [token.kind for token in tokenize(source)]


def test_every_token_kind():
    assert kinds("1+-*/%()") == [
        TokenKind.NUMBER,
        TokenKind.PLUS,
        TokenKind.MINUS,
        TokenKind.STAR,
        TokenKind.SLASH,
        TokenKind.PERCENT,
        TokenKind.LEFT_PAREN,
        TokenKind.RIGHT_PAREN,
        TokenKind.END,
    ]


def test_empty_input_is_just_end():
    [end] = tokenize("")
    assert end.kind is TokenKind.END
    assert end.span == Span(1, 1)


def test_numbers_carry_their_value_text_and_span():
    tokens = tokenize("  123 + 007")
    assert [(t.text, t.value, t.span) for t in (tokens[0], tokens[2], tokens[3])] == [
        ("123", 123, Span(1, 3, 3)),
        ("007", 7, Span(1, 9, 3)),
        ("", None, Span(1, 12)),
    ]


def test_whitespace_separates_numbers():
    assert [t.value for t in tokenize("1 2\t3\n4")[:-1]] == [1, 2, 3, 4]


def test_lines_and_columns_across_newlines():
    tokens = tokenize("1 +\n  22")
    assert tokens[2].span == Span(2, 3, 2)
    assert tokens[3].span == Span(2, 5)


def test_largest_literal_is_accepted():
    assert tokenize("4294967295")[0].value == 2**32 - 1
    assert tokenize("0004294967295")[0].value == 2**32 - 1


@pytest.mark.parametrize("literal", ["4294967296", "99999999999", "1" + "0" * 5000])
def test_literal_too_large_is_a_syntax_error_under_the_literal(literal):
    with pytest.raises(DvmSyntaxError, match="too large") as caught:
        tokenize(f"1 + {literal}")
    assert caught.value.span == Span(1, 5, len(literal))


def test_many_leading_zeros_are_fine():
    assert tokenize("0" * 10000 + "5")[0].value == 5


@pytest.mark.parametrize("source, column", [("2 $ 3", 3), ("x", 1), ("1.5", 2), ("é", 1)])
def test_unexpected_character(source, column):
    with pytest.raises(DvmSyntaxError, match="unexpected character") as caught:
        tokenize(source)
    assert caught.value.span.column == column


def test_describe_names_tokens_for_messages():
    number, plus, end = tokenize("12+")[0], tokenize("12+")[1], tokenize("")[0]
    assert number.describe() == "number 12"
    assert plus.describe() == "'+'"
    assert end.describe() == "the end of the input"
